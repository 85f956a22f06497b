#include "ui/experiment/deploy_dialog.h"

#include "common/error_message.h"
#include "ui/shell/background_job.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

namespace routerlab {

namespace {

constexpr int kDefaultPort = 8000;
constexpr int kDefaultFallbacks = 2;

QDoubleSpinBox* weightBox(double value, QWidget* parent) {
    auto* box = new QDoubleSpinBox(parent);
    box->setRange(0, 1);
    box->setDecimals(2);
    box->setSingleStep(0.05);
    box->setValue(value);
    return box;
}

// routerlab-cli is installed beside the workbench; elsewhere the shell finds it on PATH.
QString cliPath() {
    const QString beside =
        QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("routerlab-cli"));
    return QFileInfo(beside).isExecutable() ? beside : QStringLiteral("routerlab-cli");
}

} // namespace

DeployDialog::DeployDialog(const Input& input, QWidget* parent)
    : QDialog(parent), input_(input), job_(new BackgroundJob(BackgroundJob::kDefaultPollMs, this)) {
    setWindowTitle(tr("Deploy a Router"));
    setObjectName(QStringLiteral("deployDialog"));
    connect(job_, &BackgroundJob::poll, this, [this] {
        if (training_ && training_->epochs > 0) {
            progress_->setRange(0, training_->epochs);
            progress_->setValue(training_->epochsDone);
        }
    });
    connect(job_, &BackgroundJob::finished, this, &DeployDialog::onTrainingFinished);
    auto* intro = new QLabel(tr("Serve a router of this run behind an OpenAI-compatible endpoint: "
                                "choose it and its preference, train its file if it needs one, "
                                "then run the command below."),
                             this);
    intro->setWordWrap(true);
    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("deployStatus"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &DeployDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(createChoices());
    layout->addWidget(createCommandBox(), 1);
    layout->addWidget(status_);
    layout->addWidget(buttons);
    resize(760, 600);
    updateCommand();
}

DeployDialog::~DeployDialog() {
    job_->cancel();
    job_->waitForFinished();
}

QWidget* DeployDialog::createChoices() {
    auto* box = new QGroupBox(tr("Router and serving"), this);
    auto* form = new QFormLayout(box);
    router_ = new QComboBox(box);
    router_->setObjectName(QStringLiteral("deployRouter"));
    const DeployableRouters routers =
        deployableRouters(input_.experiment->experiment.simulate.routers, input_.simulateResult);
    for (int i = 0; i < routers.specs.size(); ++i)
        router_->addItem(i == routers.leader ? tr("%1 (best mean reward)").arg(routers.specs[i])
                                             : routers.specs[i],
                         routers.specs[i]);
    router_->setCurrentIndex(std::max(0, routers.leader));
    form->addRow(tr("Router"), router_);

    const Preference p = input_.preference.normalised();
    quality_ = weightBox(p.quality, box);
    cost_ = weightBox(p.cost, box);
    latency_ = weightBox(p.latency, box);
    auto* weights = new QHBoxLayout;
    for (auto [label, spin] : {std::pair{tr("quality"), quality_}, std::pair{tr("cost"), cost_},
                               std::pair{tr("latency"), latency_}}) {
        weights->addWidget(new QLabel(label, box));
        weights->addWidget(spin, 1);
    }
    form->addRow(tr("Preference"), weights);

    port_ = new QSpinBox(box);
    port_->setRange(0, 65535);
    port_->setValue(kDefaultPort);
    port_->setSpecialValueText(tr("0 (any free port)"));
    fallbacks_ = new QSpinBox(box);
    fallbacks_->setRange(0, 10);
    fallbacks_->setValue(kDefaultFallbacks);
    fallbacks_->setToolTip(tr("On a 429, 5xx, timeout or broken stream, try the router's next-best "
                              "models, up to this many."));
    auto* serving = new QHBoxLayout;
    serving->addWidget(port_, 1);
    serving->addWidget(new QLabel(tr("Fallbacks"), box));
    serving->addWidget(fallbacks_, 1);
    form->addRow(tr("Port"), serving);

    workspace_ = new QLineEdit(input_.workspace, box);
    workspace_->setObjectName(QStringLiteral("deployWorkspace"));
    workspace_->setPlaceholderText(tr("none: the proxy records nothing"));
    workspace_->setToolTip(tr("Every proxied call is recorded here; Tools ▸ Live Console's "
                              "Traffic tab shows it."));
    auto* browse = new QPushButton(tr("Browse…"), box);
    browse->setAutoDefault(false);
    connect(browse, &QPushButton::clicked, this, &DeployDialog::chooseWorkspace);
    auto* workspaceRow = new QHBoxLayout;
    workspaceRow->addWidget(workspace_, 1);
    workspaceRow->addWidget(browse);
    form->addRow(tr("Workspace"), workspaceRow);

    routerFile_ = new QLabel(box);
    routerFile_->setObjectName(QStringLiteral("deployRouterFile"));
    routerFile_->setWordWrap(true);
    routerFile_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    train_ = new QPushButton(tr("Train and Save…"), box);
    train_->setObjectName(QStringLiteral("deployTrain"));
    train_->setAutoDefault(false);
    cancel_ = new QPushButton(tr("Cancel Training"), box);
    cancel_->setAutoDefault(false);
    cancel_->setEnabled(false);
    progress_ = new QProgressBar(box);
    progress_->setRange(0, 1);
    progress_->setValue(0);
    progress_->setFormat(tr("epoch %v of %m"));
    connect(train_, &QPushButton::clicked, this, &DeployDialog::chooseRouterFile);
    connect(cancel_, &QPushButton::clicked, this, &DeployDialog::cancelTraining);
    auto* trainRow = new QHBoxLayout;
    trainRow->addWidget(train_);
    trainRow->addWidget(progress_, 1);
    trainRow->addWidget(cancel_);
    form->addRow(tr("Router file"), routerFile_);
    form->addRow(QString(), trainRow);
    note_ = new QLabel(box);
    note_->setWordWrap(true);
    form->addRow(note_);

    connect(router_, &QComboBox::currentIndexChanged, this, &DeployDialog::updateCommand);
    for (QDoubleSpinBox* spin : {quality_, cost_, latency_})
        connect(spin, &QDoubleSpinBox::valueChanged, this, &DeployDialog::updateCommand);
    for (QSpinBox* spin : {port_, fallbacks_})
        connect(spin, &QSpinBox::valueChanged, this, &DeployDialog::updateCommand);
    connect(workspace_, &QLineEdit::textChanged, this, &DeployDialog::updateCommand);
    return box;
}

QWidget* DeployDialog::createCommandBox() {
    auto* box = new QGroupBox(tr("Command"), this);
    commandView_ = new QPlainTextEdit(box);
    commandView_->setObjectName(QStringLiteral("deployCommand"));
    commandView_->setReadOnly(true);
    commandView_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    commandView_->setLineWrapMode(QPlainTextEdit::NoWrap);
    commandView_->setMinimumHeight(150);
    copy_ = new QPushButton(tr("Copy"), box);
    copy_->setObjectName(QStringLiteral("deployCopy"));
    copy_->setAutoDefault(false);
    connect(copy_, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(command_); });
    auto* layout = new QVBoxLayout(box);
    layout->addWidget(commandView_, 1);
    layout->addWidget(copy_, 0, Qt::AlignRight);
    return box;
}

QString DeployDialog::defaultRouterFile() const {
    const QFileInfo first(QDir(input_.folder).absoluteFilePath(input_.datasets.value(0)));
    const QDir dir(first.isDir() ? first.absoluteFilePath() : first.absolutePath());
    QString name = router_->currentData().toString();
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]+")), QStringLiteral("-"));
    return dir.filePath(name + QStringLiteral(".barp"));
}

void DeployDialog::chooseRouterFile() {
    const QString file =
        QFileDialog::getSaveFileName(this, tr("Save the Trained Router"), defaultRouterFile(),
                                     tr("BaRP routers (*.barp);;All files (*)"));
    if (!file.isEmpty())
        trainAndSave(file);
}

void DeployDialog::chooseWorkspace() {
    // An existing workspace gains a session: it is not replaced.
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Record the Traffic in"), workspace_->text(),
        tr("Workspaces (*.routerlab);;All files (*)"), nullptr, QFileDialog::DontConfirmOverwrite);
    if (!file.isEmpty())
        workspace_->setText(file);
}

void DeployDialog::trainAndSave(const QString& path) {
    if (isTraining())
        return;
    const RouterSpec router = RouterSpec::parse(router_->currentData().toString());
    ProxyDeployment check;
    check.router = router;
    check.routerFile = path;
    try {
        deployedRouter(check); // refuses a name the spec cannot carry before an epoch is spent
    } catch (const std::invalid_argument& e) {
        setStatus(tr("Cannot use that file: %1").arg(QString::fromUtf8(e.what())), true);
        return;
    }
    training_ = std::make_shared<Training>();
    training_->path = path;
    progress_->setRange(0, 0); // busy until the first epoch tells the total
    train_->setEnabled(false);
    router_->setEnabled(false);
    cancel_->setEnabled(true);
    setStatus(tr("Training %1…").arg(router.toString()), false);
    job_->start(
        [t = training_, experiment = input_.experiment, router] {
            try {
                t->trained = trainRouterFile(experiment->setup->problem(), router, t->path,
                                             [&t](int done, int total) {
                                                 t->epochsDone = done;
                                                 t->epochs = total;
                                                 return !t->cancel;
                                             });
            } catch (...) {
                t->error = currentErrorMessage();
            }
        },
        [t = training_] { t->cancel = true; });
}

void DeployDialog::cancelTraining() {
    job_->cancel();
    cancel_->setEnabled(false);
}

bool DeployDialog::isTraining() const {
    return job_->isRunning();
}

void DeployDialog::onTrainingFinished() {
    const Training& t = *training_;
    train_->setEnabled(true);
    router_->setEnabled(true);
    cancel_->setEnabled(false);
    QString message;
    const bool written = t.error.isEmpty() && t.trained.model;
    if (!t.error.isEmpty())
        message = tr("Could not train or save the router: %1").arg(t.error);
    else if (!written)
        message =
            tr("Training cancelled after %n epoch(s); nothing was written.", nullptr, t.epochsDone);
    else
        message = tr("Saved %1: trained %n epoch(s) in %2 s.", nullptr, t.epochs)
                      .arg(QFileInfo(t.path).fileName())
                      .arg(t.trained.trainingSeconds, 0, 'f', 2);
    if (written)
        trainedFiles_.insert(router_->currentData().toString(), t.path);
    updateCommand();
    setStatus(message, !t.error.isEmpty());
    emit trainingFinished(written, message);
}

void DeployDialog::updateCommand() {
    const GuiExperiment& e = input_.experiment->experiment;
    const QString spec = router_->currentData().toString();
    ProxyDeployment d;
    d.cli = input_.cli.isEmpty() ? cliPath() : input_.cli;
    d.pool = input_.pool;
    d.router = RouterSpec::parse(spec);
    d.routerFile = trainedFiles_.value(spec);
    d.datasets = input_.datasets;
    d.features = e.simulate.options.features;
    // Test files (--test-dataset) are not passed on: the proxy trains on --dataset as a whole.
    if (e.simulate.options.split.kind != SplitRule::Kind::Sources)
        d.split = e.simulate.options.split.toString();
    d.reward = e.simulate.options.reward;
    d.preference = Preference{quality_->value(), cost_->value(), latency_->value()};
    d.port = port_->value();
    d.fallbacks = fallbacks_->value();
    d.workspace = workspace_->text().trimmed();
    d.folder = input_.folder;

    const bool needsFile = deploysAsTrainedFile(d.router);
    train_->setVisible(needsFile);
    progress_->setVisible(needsFile);
    cancel_->setVisible(needsFile);
    routerFile_->setText(
        !needsFile
            ? tr("none needed: the proxy trains %1 on the dataset at start").arg(d.router.name)
        : d.routerFile.isEmpty() ? tr("not written yet: Train and Save…")
                                 : QDir::toNativeSeparators(d.absolute(d.routerFile)));
    QStringList notes;
    if (RouterRegistry::instance().can(d.router, Capability::LearnsOnline))
        notes << tr("This router learns from feedback, which the proxy does not collect: it "
                    "will route as it does before learning.");
    if (input_.poolEdited)
        notes << tr("The pool was edited here: save it first, the proxy reads the file.");
    note_->setText(notes.join(QLatin1Char(' ')));
    note_->setVisible(!notes.isEmpty());
    try {
        command_ = proxyCommand(d);
        commandView_->setPlainText(command_);
        setStatus(tr("Run the command in a shell; it prints the address it listens on."), false);
    } catch (const std::invalid_argument& e) {
        command_.clear();
        commandView_->clear();
        commandView_->setPlaceholderText(tr("No command yet: %1").arg(QString::fromUtf8(e.what())));
        setStatus(tr("No command yet: %1").arg(QString::fromUtf8(e.what())), !needsFile);
    }
    copy_->setEnabled(!command_.isEmpty());
}

void DeployDialog::reject() {
    cancelTraining();
    QDialog::reject();
}

void DeployDialog::setStatus(const QString& text, bool error) {
    status_->setText(text);
    status_->setStyleSheet(error ? QStringLiteral("color: #b02020;") : QString());
}

} // namespace routerlab
