#include "ui/experiment/experiment_designer.h"

#include "ui/experiment/features_picker.h"
#include "ui/experiment/router_parameter_form.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QVBoxLayout>

namespace routerlab {

namespace {

QStringList splitPaths(const QString& text) {
    QStringList out;
    for (const QString& p : text.split(QLatin1Char(';'), Qt::SkipEmptyParts))
        out << p.trimmed();
    return out;
}

// Trains and scores on every prompt; listed first among the split kinds.
QString noSplit() {
    return SplitRule::namedKinds().front();
}

QDoubleSpinBox* weightBox(QWidget* parent) {
    auto* box = new QDoubleSpinBox(parent);
    box->setRange(0, 100);
    box->setDecimals(2);
    box->setSingleStep(0.1);
    return box;
}

} // namespace

ExperimentDesigner::ExperimentDesigner(QWidget* parent) : QWidget(parent) {
    columns_ = new QHBoxLayout;
    auto* left = new QVBoxLayout;
    left->addWidget(createDataBox());
    left->addWidget(createRouterBox(), 1);
    columns_->addLayout(left, 3);
    columns_->addWidget(createSettingsBox(), 2);

    auto* open = new QPushButton(tr("Open Experiment…"), this);
    auto* save = new QPushButton(tr("Save Experiment As…"), this);
    auto* cluster = new QPushButton(tr("Run on a Cluster…"), this);
    cluster->setObjectName(QStringLiteral("clusterButton"));
    cluster->setToolTip(tr("Write Slurm (or Kubernetes) scripts that run this experiment as "
                           "shards and merge them"));
    run_ = new QPushButton(tr("Run (F5)"), this);
    run_->setObjectName(QStringLiteral("runButton"));
    run_->setDefault(true);
    connect(open, &QPushButton::clicked, this, &ExperimentDesigner::chooseAndOpen);
    connect(save, &QPushButton::clicked, this, &ExperimentDesigner::chooseAndSave);
    connect(cluster, &QPushButton::clicked, this, &ExperimentDesigner::clusterRequested);
    connect(run_, &QPushButton::clicked, this, &ExperimentDesigner::runRequested);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(open);
    buttons->addWidget(save);
    buttons->addStretch(1);
    buttons->addWidget(cluster);
    buttons->addWidget(run_);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(columns_, 1);
    layout->addLayout(buttons);
}

void ExperimentDesigner::fitWidth(int width) {
    const QBoxLayout::Direction before = columns_->direction();
    columns_->setDirection(QBoxLayout::LeftToRight);
    const bool fits = layout()->minimumSize().width() <= width;
    const QBoxLayout::Direction after = fits ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom;
    if (after != QBoxLayout::LeftToRight || before != after)
        columns_->setDirection(after);
}

bool ExperimentDesigner::isSideBySide() const {
    return columns_->direction() == QBoxLayout::LeftToRight;
}

DesignerPage::DesignerPage(ExperimentDesigner* designer, QWidget* parent)
    : QScrollArea(parent), designer_(designer) {
    setObjectName(QStringLiteral("designerPage"));
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setWidget(designer);
}

void DesignerPage::resizeEvent(QResizeEvent* event) {
    const QScrollBar* bar = verticalScrollBar();
    designer_->fitWidth(event->size().width() - 2 * frameWidth() -
                        (bar->isVisible() ? bar->width() : 0));
    QScrollArea::resizeEvent(event);
}

QWidget* ExperimentDesigner::createDataBox() {
    auto* box = new QGroupBox(tr("Data"), this);
    auto* form = new QFormLayout(box);
    datasets_ = new QLineEdit(box);
    datasets_->setObjectName(QStringLiteral("datasetsField"));
    datasets_->setToolTip(tr("Dataset files or folders, separated by ';'."));
    testDatasets_ = new QLineEdit(box);
    testDatasets_->setObjectName(QStringLiteral("testDatasetsField"));
    testDatasets_->setPlaceholderText(tr("optional: score on these, train on the dataset"));
    testDatasets_->setToolTip(tr("Test dataset files or folders, separated by ';'."));
    pool_ = new QLineEdit(box);
    pool_->setObjectName(QStringLiteral("poolField"));
    pool_->setPlaceholderText(tr("optional when the data records costs"));
    pool_->setToolTip(tr("The model pool (*.pool.json) that prices the data."));
    form->addRow(tr("Dataset"),
                 withBrowse(datasets_, tr("Dataset"), &ExperimentDesigner::chooseDatasets));
    form->addRow(tr("Test dataset"), withBrowse(testDatasets_, tr("Test dataset"),
                                                &ExperimentDesigner::chooseDatasets));
    form->addRow(tr("Pool"), withBrowse(pool_, tr("Pool"), &ExperimentDesigner::choosePool));
    return box;
}

QWidget* ExperimentDesigner::withBrowse(QLineEdit* field, const QString& name,
                                        void (ExperimentDesigner::*pickFiles)(QLineEdit*)) {
    auto* row = new QWidget(field->parentWidget());
    auto* browse = new QPushButton(tr("Browse…"), row);
    field->setAccessibleName(name);
    field->setAccessibleDescription(field->toolTip());
    browse->setObjectName(field->objectName() + QStringLiteral("Browse"));
    browse->setAccessibleName(tr("Browse for the %1").arg(name.toLower()));
    connect(browse, &QPushButton::clicked, this,
            [this, field, pickFiles] { (this->*pickFiles)(field); });
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(field, 1);
    layout->addWidget(browse);
    return row;
}

QString ExperimentDesigner::startDir(const QLineEdit* field) const {
    for (const QLineEdit* f : {field, static_cast<const QLineEdit*>(datasets_)}) {
        const QStringList paths = splitPaths(f->text());
        if (paths.isEmpty())
            continue;
        const QFileInfo info(paths.first());
        const QString dir = info.isDir() ? info.absoluteFilePath() : info.absolutePath();
        if (QFileInfo(dir).isDir())
            return dir;
    }
    return QDir::homePath();
}

void ExperimentDesigner::chooseDatasets(QLineEdit* field) {
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Choose Dataset Files"), startDir(field),
        tr("Datasets (*.csv *.jsonl *.ndjson *.json);;All files (*)"));
    if (!files.isEmpty())
        field->setText(files.join(QLatin1Char(';')));
}

void ExperimentDesigner::choosePool(QLineEdit* field) {
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Choose Pool"), startDir(field),
                                     tr("Model pools (*.pool.json *.json);;All files (*)"));
    if (!file.isEmpty())
        field->setText(file);
}

QWidget* ExperimentDesigner::createRouterBox() {
    auto* box =
        new QGroupBox(tr("Routers (oracle, random and best-single are always added)"), this);
    routers_ = new QListWidget(box);
    routers_->setObjectName(QStringLiteral("routerList"));
    routers_->setAccessibleName(tr("Routers of the experiment"));
    routers_->setAccessibleDescription(tr("Select one to edit its parameters"));
    routerType_ = new QComboBox(box);
    routerType_->setAccessibleName(tr("Router to add"));
    for (const RouterType& t : RouterRegistry::instance().types()) {
        routerType_->addItem(t.name);
        routerType_->setItemData(routerType_->count() - 1, t.summary, Qt::ToolTipRole);
    }
    auto* add = new QPushButton(tr("Add"), box);
    auto* remove = new QPushButton(tr("Remove"), box);
    connect(add, &QPushButton::clicked, this, [this] { addRouter(routerType_->currentText()); });
    connect(remove, &QPushButton::clicked, this, [this] { delete routers_->currentItem(); });
    form_ = new RouterParameterForm(box);
    auto* scroll = new QScrollArea(box);
    scroll->setWidget(form_);
    scroll->setWidgetResizable(true);
    scroll->setMinimumWidth(220);
    connect(routers_, &QListWidget::currentRowChanged, this, &ExperimentDesigner::onRouterSelected);
    connect(form_, &RouterParameterForm::specEdited, this, &ExperimentDesigner::onFormEdited);

    auto* addRow = new QHBoxLayout;
    addRow->addWidget(routerType_, 1);
    addRow->addWidget(add);
    addRow->addWidget(remove);
    auto* list = new QVBoxLayout;
    list->addWidget(routers_, 1);
    list->addLayout(addRow);
    auto* layout = new QHBoxLayout(box);
    layout->addLayout(list, 2);
    layout->addWidget(scroll, 3);
    return box;
}

QWidget* ExperimentDesigner::createSettingsBox() {
    auto* box = new QGroupBox(tr("Settings"), this);
    auto* form = new QFormLayout(box);
    quality_ = weightBox(box);
    cost_ = weightBox(box);
    latency_ = weightBox(box);
    quality_->setAccessibleName(tr("Quality weight"));
    cost_->setAccessibleName(tr("Cost weight"));
    latency_->setAccessibleName(tr("Latency weight"));
    auto* weights = new QHBoxLayout;
    weights->addWidget(quality_);
    weights->addWidget(cost_);
    weights->addWidget(latency_);
    form->addRow(tr("Preference (quality, cost, latency)"), weights);
    seeds_ = new QSpinBox(box);
    seeds_->setRange(1, 1000);
    form->addRow(tr("Seeds per router"), seeds_);
    sessions_ = new QComboBox(box);
    sessions_->addItems({QStringLiteral("category"), QStringLiteral("length"),
                         QStringLiteral("column"), QStringLiteral("single")});
    sessionLength_ = new QSpinBox(box);
    sessionLength_->setRange(1, 10000000);
    sessions_->setAccessibleName(tr("Sessions"));
    sessionLength_->setAccessibleName(tr("Session length"));
    auto* sessions = new QHBoxLayout;
    sessions->addWidget(sessions_);
    sessions->addWidget(sessionLength_);
    form->addRow(tr("Sessions"), sessions);
    split_ = new QComboBox(box);
    split_->addItems(SplitRule::namedKinds());
    splitValue_ = new QLineEdit(box);
    splitValue_->setToolTip(tr("random: the training fraction (e.g. 0.7); category: the test "
                               "categories, comma-separated."));
    split_->setAccessibleName(tr("Split"));
    splitValue_->setAccessibleName(tr("Split value"));
    splitValue_->setAccessibleDescription(splitValue_->toolTip());
    auto* split = new QHBoxLayout;
    split->addWidget(split_);
    split->addWidget(splitValue_);
    form->addRow(tr("Split"), split);
    reward_ = new QComboBox(box);
    reward_->addItems({QStringLiteral("pickllm"), QStringLiteral("linear")});
    form->addRow(tr("Reward"), reward_);
    missing_ = new QComboBox(box);
    missing_->addItems({QStringLiteral("skip"), QStringLiteral("failure")});
    form->addRow(tr("Missing cells"), missing_);
    features_ = new FeaturesPicker(box);
    form->addRow(tr("Prompt features"), features_);
    points_ = new QSpinBox(box);
    points_->setRange(2, 1001);
    form->addRow(tr("Sweep points"), points_);
    sweepLatency_ = weightBox(box);
    form->addRow(tr("Sweep latency weight"), sweepLatency_);
    threads_ = new QSpinBox(box);
    threads_->setRange(1, 256);
    form->addRow(tr("Worker threads"), threads_);
    connect(sessions_, &QComboBox::currentTextChanged, this,
            [this](const QString& t) { sessionLength_->setEnabled(t == QLatin1String("length")); });
    connect(split_, &QComboBox::currentTextChanged, this,
            [this](const QString& t) { splitValue_->setEnabled(t != noSplit()); });
    return box;
}

void ExperimentDesigner::addRouter(const QString& spec) {
    routers_->addItem(spec);
    routers_->setCurrentRow(routers_->count() - 1);
}

void ExperimentDesigner::setRunning(bool running) {
    run_->setEnabled(!running);
}

void ExperimentDesigner::onRouterSelected() {
    QListWidgetItem* item = routers_->currentItem();
    if (!item) {
        form_->setSpec({});
        return;
    }
    try {
        form_->setSpec(RouterSpec::parse(item->text()));
    } catch (const std::invalid_argument& e) {
        emit message(QString::fromUtf8(e.what()), true);
    }
}

void ExperimentDesigner::onFormEdited() {
    if (QListWidgetItem* item = routers_->currentItem())
        item->setText(form_->spec().toString());
}

void ExperimentDesigner::setExperiment(const GuiExperiment& e) {
    const SimulationArguments& a = e.simulate;
    datasets_->setText(a.datasets.join(QStringLiteral(";")));
    testDatasets_->setText(a.testDatasets.join(QStringLiteral(";")));
    pool_->setText(a.pool);
    routers_->clear();
    for (const RouterSpec& r : a.routers)
        routers_->addItem(r.toString());
    routers_->setCurrentRow(0);
    quality_->setValue(a.preference.quality);
    cost_->setValue(a.preference.cost);
    latency_->setValue(a.preference.latency);
    seeds_->setValue(a.seeds);
    const QString sessions = a.options.sessions.toString();
    sessions_->setCurrentText(sessions.section(QLatin1Char(':'), 0, 0));
    sessionLength_->setValue(a.options.sessions.length);
    sessionLength_->setEnabled(sessions_->currentText() == QLatin1String("length"));
    const QString split = a.testDatasets.isEmpty() ? a.options.split.toString() : noSplit();
    split_->setCurrentText(split.section(QLatin1Char(':'), 0, 0));
    splitValue_->setText(split.section(QLatin1Char(':'), 1));
    splitValue_->setEnabled(split_->currentText() != noSplit());
    reward_->setCurrentText(rewardKindName(a.options.reward));
    missing_->setCurrentText(a.options.missing == MissingPolicy::SkipPrompt
                                 ? QStringLiteral("skip")
                                 : QStringLiteral("failure"));
    features_->setSpec(a.options.features);
    points_->setValue(e.points);
    sweepLatency_->setValue(e.latencyWeight);
    threads_->setValue(std::max(1, a.threads));
}

bool ExperimentDesigner::experiment(GuiExperiment& out, QString& error) const {
    // The page is turned into a temporary experiment file and read back with the CLI's
    // parser: one set of rules for what a valid experiment is.
    SimulationArguments a;
    a.command = QStringLiteral("simulate");
    a.datasets = splitPaths(datasets_->text());
    a.testDatasets = splitPaths(testDatasets_->text());
    a.pool = pool_->text().trimmed();
    try {
        for (int i = 0; i < routers_->count(); ++i) {
            a.routers.push_back(RouterSpec::parse(routers_->item(i)->text()));
            RouterRegistry::instance().resolve(a.routers.back());
        }
        a.preference = Preference{quality_->value(), cost_->value(), latency_->value()};
        const QString sessions = sessions_->currentText() == QLatin1String("length")
                                     ? QStringLiteral("length:%1").arg(sessionLength_->value())
                                     : sessions_->currentText();
        a.options.sessions = SessionRule::parse(sessions);
        if (a.testDatasets.isEmpty())
            a.options.split = SplitRule::parse(split_->currentText() == noSplit()
                                                   ? noSplit()
                                                   : split_->currentText() + QLatin1Char(':') +
                                                         splitValue_->text().trimmed());
        a.options.reward = rewardKindFromName(reward_->currentText());
    } catch (const std::invalid_argument& e) {
        error = QString::fromUtf8(e.what());
        return false;
    }
    if (a.routers.empty()) {
        error = tr("add at least one router");
        return false;
    }
    a.options.missing = missing_->currentText() == QLatin1String("skip") ? MissingPolicy::SkipPrompt
                                                                         : MissingPolicy::Failure;
    if (!features_->problem().isEmpty()) {
        error = tr("Prompt features: %1").arg(features_->problem());
        return false;
    }
    a.options.features = features_->spec();
    a.seeds = seeds_->value();
    GuiExperiment e;
    e.simulate = a;
    e.points = points_->value();
    e.latencyWeight = sweepLatency_->value();
    const QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("experiment.json"));
    if (!dir.isValid() || !saveExperimentFile(file, e, error))
        return false;
    const bool ok = loadExperimentFile(file, out, error);
    if (ok)
        out.simulate.threads = threads_->value();
    return ok;
}

bool ExperimentDesigner::openFile(const QString& path, QString& error) {
    GuiExperiment e;
    if (!loadExperimentFile(path, e, error))
        return false;
    setExperiment(e);
    return true;
}

bool ExperimentDesigner::saveFile(const QString& path, QString& error) const {
    GuiExperiment e;
    return experiment(e, error) && saveExperimentFile(path, e, error);
}

void ExperimentDesigner::chooseAndOpen() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Experiment"), {},
                                                      tr("Experiments (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (openFile(path, error))
        emit message(tr("Opened experiment %1").arg(path), false);
    else
        emit message(tr("Could not open the experiment: %1").arg(error), true);
}

void ExperimentDesigner::chooseAndSave() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save Experiment"), QStringLiteral("experiment.json"), tr("Experiments (*.json)"));
    if (path.isEmpty())
        return;
    QString error;
    if (saveFile(path, error))
        emit message(tr("Saved experiment %1 (run it with routerlab-cli simulate --experiment "
                        "%1)")
                         .arg(path),
                     false);
    else
        emit message(tr("Could not save the experiment: %1").arg(error), true);
}

} // namespace routerlab
