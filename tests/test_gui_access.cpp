// Accessible names on every control of the window, on every page and in its tool windows; and
// the experiment designer's Browse buttons and features picker.
//
// A control is a button, slider, combo box, line edit, spin box, text editor, item view
// (tables, trees, lists) or chart view. It counts as named when QWidget::accessibleName() is
// set, or, for a button, when it shows text: assistive technologies read a button's text as its
// name. Parts Qt builds inside other controls (a combo box's list, a spin box's editor, scroll
// bars, header views, dock title buttons) are named by Qt and not checked.
// ROUTERLAB_LIST_NAMES=1 lists every control of the window with its name, to review them.
#include "experiment/experiment_file.h"
#include "features/prompt_features.h"
#include "gui_harness.h"
#include "ui/experiment/experiment_designer.h"
#include "ui/experiment/experiment_workbench.h"
#include "ui/experiment/features_picker.h"
#include "ui/live/live_console.h"
#include "ui/quiz/quiz_wizard.h"
#include "ui/shell/main_window.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QGraphicsView>
#include <QHeaderView>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextEdit>
#include <QTimer>
#include <QtTest>
#include <functional>

using namespace routerlab;

namespace {

constexpr int kTimeoutMs = 120000;

using gui_harness::sampleFile;

bool isControl(const QWidget* w) {
    return qobject_cast<const QAbstractButton*>(w) || qobject_cast<const QAbstractSlider*>(w) ||
           qobject_cast<const QComboBox*>(w) || qobject_cast<const QLineEdit*>(w) ||
           qobject_cast<const QAbstractSpinBox*>(w) || qobject_cast<const QAbstractItemView*>(w) ||
           qobject_cast<const QGraphicsView*>(w) || qobject_cast<const QTextEdit*>(w) ||
           qobject_cast<const QPlainTextEdit*>(w);
}

// Made by Qt inside another control, and named by it.
bool isQtPart(const QWidget* w) {
    if (w->objectName().startsWith(QLatin1String("qt_")) || qobject_cast<const QScrollBar*>(w) ||
        qobject_cast<const QHeaderView*>(w))
        return true;
    for (const QWidget* p = w->parentWidget(); p; p = p->parentWidget())
        if (qobject_cast<const QComboBox*>(p) || qobject_cast<const QAbstractSpinBox*>(p) ||
            qobject_cast<const QAbstractItemView*>(p) || qobject_cast<const QTabBar*>(p) ||
            qobject_cast<const QLineEdit*>(p))
            return true;
    return false;
}

bool isNamed(const QWidget* w) {
    if (!w->accessibleName().trimmed().isEmpty())
        return true;
    const auto* button = qobject_cast<const QAbstractButton*>(w);
    return button && !button->text().remove(QLatin1Char('&')).trimmed().isEmpty();
}

QString describe(const QWidget* w) {
    QStringList path;
    for (const QWidget* p = w; p; p = p->parentWidget())
        path.prepend(p->objectName().isEmpty() ? QString::fromLatin1(p->metaObject()->className())
                                               : p->objectName());
    return path.join(QLatin1Char('/'));
}

QStringList unnamedControls(const QWidget* root) {
    QStringList out;
    for (const QWidget* w : root->findChildren<QWidget*>())
        if (isControl(w) && !isQtPart(w) && !isNamed(w))
            out << describe(w);
    return out;
}

// Accepts the next file dialog with `file` once it shows, after noting where it started and
// what it filters on.
void answerFileDialog(const QString& file, QString* startedIn, QStringList* filters) {
    QTimer::singleShot(0, [=] {
        auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        *startedIn = dialog->directory().absolutePath();
        *filters = dialog->nameFilters();
        dialog->selectFile(file);
        static_cast<QDialog*>(dialog)->accept(); // protected in QFileDialog
    });
}

} // namespace

class TestGuiAccess : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        gui_harness::isolateSettings(dir_);
        // Qt's own dialogs, which a test can answer.
        QCoreApplication::setAttribute(Qt::AA_DontUseNativeDialogs);
    }

    void everyControlHasAName() {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
        window.openDataset({sampleFile("sample.csv")}, sampleFile("sample.pool.json"));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeoutMs);
        // Every page shown once, so that pages building their controls on show have them.
        for (int i = 0; i < window.pages()->count(); ++i) {
            window.pages()->setCurrentIndex(i);
            QCoreApplication::processEvents();
        }
        if (qEnvironmentVariableIsSet("ROUTERLAB_LIST_NAMES"))
            for (const QWidget* w : window.findChildren<QWidget*>())
                if (isControl(w) && !isQtPart(w))
                    qInfo("%s = %s", qPrintable(describe(w)), qPrintable(w->accessibleName()));
        QStringList unnamed = unnamedControls(&window);
        unnamed += unnamedControls(window.openLiveConsole());
        unnamed += unnamedControls(window.openQuizWizard());
        for (const QString& w : unnamed)
            qWarning("without a name: %s", qPrintable(w));
        QVERIFY2(unnamed.isEmpty(),
                 qPrintable(QStringLiteral("%1 without a name:\n").arg(unnamed.size()) +
                            unnamed.join(QLatin1Char('\n'))));
        window.liveConsole()->close();
        window.quizWizard()->close();
    }

    void featuresPickerOffersTheCoresFormsAndFlagsABadOne() {
        FeaturesPicker picker;
        QComboBox* combo = picker.comboBox();
        QVERIFY(combo->isEditable());
        // Every offered form is one the core accepts, once its placeholder is filled in.
        for (int i = 0; i < combo->count(); ++i) {
            const QString form = combo->itemText(i);
            if (form.startsWith(QLatin1String("embeddings")))
                continue;
            QVERIFY2(featurizerSpecProblem(form).isEmpty(), qPrintable(form));
            QVERIFY(makeFeaturizer(form) != nullptr);
        }
        picker.setSpec(QStringLiteral("tfidf:1024"));
        QVERIFY(picker.problem().isEmpty());
        const QColor good = combo->lineEdit()->palette().color(QPalette::Base);

        // A dimension out of range: red, the reason as tooltip, the text kept as typed.
        combo->setFocus();
        combo->lineEdit()->clear();
        QTest::keyClicks(combo->lineEdit(), QStringLiteral("tfidf:1"));
        QCOMPARE(picker.spec(), QStringLiteral("tfidf:1"));
        QVERIFY(picker.problem().contains(QStringLiteral("2..65536")));
        QCOMPARE(combo->toolTip(), picker.problem());
        const QColor bad = combo->lineEdit()->palette().color(QPalette::Base);
        QVERIFY(bad != good);
        QVERIFY(bad.red() > bad.green());
        QTest::keyClicks(combo->lineEdit(), QStringLiteral("28"));
        QVERIFY(picker.problem().isEmpty());
        QCOMPARE(combo->lineEdit()->palette().color(QPalette::Base), good);

        // An unknown form names the known ones; an embeddings file must exist.
        picker.setSpec(QStringLiteral("bag-of-words"));
        QVERIFY(picker.problem().contains(QStringLiteral("hashed-words[:D]")));
        QCOMPARE(picker.spec(), QStringLiteral("bag-of-words"));
        picker.setSpec(QStringLiteral("embeddings:") + dir_.filePath(QStringLiteral("none.csv")));
        QVERIFY(picker.problem().contains(QStringLiteral("none.csv")));

        // Browse… for an embeddings file fills in the form.
        const QString file = dir_.filePath(QStringLiteral("vectors.csv"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("prompt_id,v1,v2\np1,0.1,0.2\n");
        out.close();
        QString startedIn;
        QStringList filters;
        answerFileDialog(file, &startedIn, &filters);
        picker.browseButton()->click();
        QCOMPARE(picker.spec(), QStringLiteral("embeddings:") + file);
        QVERIFY(picker.problem().isEmpty());
        QCOMPARE(startedIn, dir_.path());
        QVERIFY(filters.first().contains(QStringLiteral("*.jsonl")));
    }

    void designerRefusesBadFeaturesAndBrowsesForPaths() {
        ExperimentDesigner designer;
        designer.setExperiment(
            sampleExperiment(sampleFile("sample.csv"), sampleFile("sample.pool.json")));
        GuiExperiment experiment;
        QString error;
        QVERIFY2(designer.experiment(experiment, error), qPrintable(error));
        designer.featuresPicker()->setSpec(QStringLiteral("tfidf:x"));
        QVERIFY(!designer.experiment(experiment, error));
        QVERIFY2(error.contains(QStringLiteral("tfidf:x")), qPrintable(error));

        // The pool's Browse… starts in the dataset's folder and fills the field.
        auto* pool = designer.findChild<QLineEdit*>(QStringLiteral("poolField"));
        auto* browse = designer.findChild<QPushButton*>(QStringLiteral("poolFieldBrowse"));
        QVERIFY(pool && browse);
        pool->clear();
        const QString other = dir_.filePath(QStringLiteral("other.pool.json"));
        QVERIFY(QFile::copy(sampleFile("sample.pool.json"), other));
        QString startedIn;
        QStringList filters;
        answerFileDialog(other, &startedIn, &filters);
        browse->click();
        QCOMPARE(pool->text(), other);
        QCOMPARE(startedIn, QFileInfo(sampleFile("sample.csv")).absolutePath());
        QVERIFY(filters.first().contains(QStringLiteral("*.pool.json")));

        // The dataset's Browse… takes several files, joined as the field expects.
        auto* datasets = designer.findChild<QLineEdit*>(QStringLiteral("datasetsField"));
        auto* browseData = designer.findChild<QPushButton*>(QStringLiteral("datasetsFieldBrowse"));
        QVERIFY(datasets && browseData);
        answerFileDialog(sampleFile("sample.csv"), &startedIn, &filters);
        browseData->click();
        QCOMPARE(datasets->text(), sampleFile("sample.csv"));
        QVERIFY(filters.first().contains(QStringLiteral("*.jsonl")));
    }

private:
    QTemporaryDir dir_;
};

QTEST_MAIN(TestGuiAccess)
#include "test_gui_access.moc"
