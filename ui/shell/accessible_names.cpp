#include "ui/shell/accessible_names.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QBoxLayout>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QCoreApplication>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTextDocument>
#include <QTextEdit>

namespace routerlab {

namespace {

bool needsName(const QWidget* w) {
    if (!w->accessibleName().isEmpty() || qobject_cast<const QAbstractButton*>(w))
        return false;
    // The editor inside a spin box or combo box is part of it, and Qt names it.
    if (qobject_cast<const QAbstractSpinBox*>(w->parentWidget()) ||
        qobject_cast<const QComboBox*>(w->parentWidget()))
        return false;
    return qobject_cast<const QAbstractSlider*>(w) || qobject_cast<const QComboBox*>(w) ||
           qobject_cast<const QLineEdit*>(w) || qobject_cast<const QAbstractSpinBox*>(w) ||
           qobject_cast<const QAbstractItemView*>(w) || qobject_cast<const QChartView*>(w) ||
           qobject_cast<const QTextEdit*>(w) || qobject_cast<const QPlainTextEdit*>(w);
}

// A label's words without mnemonics, markup or a trailing colon.
QString plain(const QString& text) {
    QTextDocument doc;
    doc.setHtml(text);
    QString out = doc.toPlainText().remove(QLatin1Char('&')).trimmed();
    if (out.endsWith(QLatin1Char(':')))
        out.chop(1);
    return out;
}

QString firstSentence(const QString& text) {
    QString out = plain(text);
    const int end = out.indexOf(QLatin1String(". "));
    if (end > 0)
        out.truncate(end);
    if (out.endsWith(QLatin1Char('.')))
        out.chop(1);
    return out;
}

// The controls a form row's field holds: the field itself, or those inside its layout.
QList<QWidget*> controlsOf(QLayoutItem* field) {
    QList<QWidget*> out;
    if (!field)
        return out;
    if (QWidget* w = field->widget()) {
        if (needsName(w))
            out << w;
        for (QWidget* child : w->findChildren<QWidget*>())
            if (needsName(child))
                out << child;
    } else if (QLayout* layout = field->layout()) {
        for (int i = 0; i < layout->count(); ++i)
            out += controlsOf(layout->itemAt(i));
    }
    return out;
}

void nameFormRows(QWidget* root) {
    for (QFormLayout* form : root->findChildren<QFormLayout*>()) {
        for (int row = 0; row < form->rowCount(); ++row) {
            QLayoutItem* labelItem = form->itemAt(row, QFormLayout::LabelRole);
            const auto* label = labelItem ? qobject_cast<QLabel*>(labelItem->widget()) : nullptr;
            if (!label)
                continue;
            const QList<QWidget*> controls = controlsOf(form->itemAt(row, QFormLayout::FieldRole));
            // Several controls in one row: each is told apart by its own tip, else its place.
            for (int i = 0; i < controls.size(); ++i) {
                QWidget* c = controls[i];
                if (controls.size() == 1 || c->toolTip().isEmpty())
                    c->setAccessibleName(controls.size() == 1 ? plain(label->text())
                                                              : QStringLiteral("%1 (%2 of %3)")
                                                                    .arg(plain(label->text()))
                                                                    .arg(i + 1)
                                                                    .arg(controls.size()));
                else
                    c->setAccessibleName(plain(label->text()) + QStringLiteral(": ") +
                                         firstSentence(c->toolTip()));
            }
        }
    }
}

// A label just left of a control in a row of widgets reads as its name.
void nameFromPrecedingLabels(QWidget* root) {
    for (QBoxLayout* box : root->findChildren<QBoxLayout*>()) {
        // Only a caption to the left: a label above is more often a status line.
        if (box->direction() != QBoxLayout::LeftToRight)
            continue;
        for (int i = 1; i < box->count(); ++i) {
            const auto* label = qobject_cast<QLabel*>(box->itemAt(i - 1)->widget());
            QWidget* w = box->itemAt(i)->widget();
            if (label && w && needsName(w) && !plain(label->text()).isEmpty())
                w->setAccessibleName(plain(label->text()));
        }
    }
}

// A group with a single unnamed control: its title names it.
void nameFromGroupTitles(QWidget* root) {
    for (QGroupBox* group : root->findChildren<QGroupBox*>()) {
        QList<QWidget*> unnamed;
        for (QWidget* w : group->findChildren<QWidget*>())
            if (needsName(w))
                unnamed << w;
        if (unnamed.size() == 1 && !group->title().isEmpty())
            unnamed.front()->setAccessibleName(plain(group->title()));
    }
}

// The text of the tab that holds `w`, if any.
QString pageTitle(const QWidget* w) {
    for (const QWidget* p = w; p && p->parentWidget(); p = p->parentWidget())
        if (auto* tabs = qobject_cast<const QTabWidget*>(p->parentWidget()->parentWidget()))
            if (const int index = tabs->indexOf(const_cast<QWidget*>(p)); index >= 0)
                return plain(tabs->tabText(index));
    return {};
}

} // namespace

void nameControls(QWidget* root) {
    nameFormRows(root);
    nameFromPrecedingLabels(root);
    for (QLabel* label : root->findChildren<QLabel*>())
        if (QWidget* buddy = label->buddy(); buddy && needsName(buddy))
            buddy->setAccessibleName(plain(label->text()));
    nameFromGroupTitles(root);
    for (QWidget* w : root->findChildren<QWidget*>()) {
        if (!needsName(w))
            continue;
        if (auto* edit = qobject_cast<QLineEdit*>(w); edit && !edit->placeholderText().isEmpty())
            w->setAccessibleName(firstSentence(edit->placeholderText()));
        else if (!w->toolTip().isEmpty())
            w->setAccessibleName(firstSentence(w->toolTip()));
        else if (qobject_cast<QAbstractItemView*>(w) && !pageTitle(w).isEmpty())
            w->setAccessibleName(
                QCoreApplication::translate("AccessibleNames", "%1 table").arg(pageTitle(w)));
        else if (auto* chart = qobject_cast<QChartView*>(w))
            w->setAccessibleName(!chart->chart()->title().isEmpty()
                                     ? plain(chart->chart()->title())
                                     : QCoreApplication::translate("AccessibleNames", "%1 chart")
                                           .arg(pageTitle(w))
                                           .trimmed());
    }
}

} // namespace routerlab
