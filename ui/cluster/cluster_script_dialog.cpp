#include "ui/cluster/cluster_script_dialog.h"

#include "common/input_error.h"
#include "experiment/cluster_scripts.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace routerlab {

namespace {

QString defaultCli() {
    // routerlab-cli is built and installed beside the GUI; a cluster that has RouterLab
    // elsewhere is told so through the field.
    return QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("routerlab-cli"));
}

} // namespace

ClusterScriptDialog::ClusterScriptDialog(const GuiExperiment& experiment,
                                         const QString& workspacePath, QWidget* parent)
    : QDialog(parent), experiment_(experiment), workspacePath_(workspacePath),
      folder_(new QLineEdit(this)), command_(new QComboBox(this)), shards_(new QSpinBox(this)),
      partition_(new QLineEdit(this)), timeLimit_(new QLineEdit(this)), cpus_(new QSpinBox(this)),
      memory_(new QLineEdit(this)), cli_(new QLineEdit(defaultCli(), this)),
      results_(new QLineEdit(this)),
      recordInWorkspace_(new QCheckBox(tr("Record the merged result in this workspace"), this)),
      kubernetes_(new QCheckBox(tr("Also write Kubernetes Indexed Job manifests"), this)),
      image_(new QLineEdit(this)), volumeClaim_(new QLineEdit(this)),
      report_(new QPlainTextEdit(this)) {
    setWindowTitle(tr("Run on a Cluster"));
    setObjectName(QStringLiteral("clusterScriptDialog"));

    folder_->setPlaceholderText(tr("a folder on the cluster's shared storage"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, &ClusterScriptDialog::chooseFolder);
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(folder_, 1);
    folderRow->addWidget(browse);
    connect(folder_, &QLineEdit::textChanged, this, &ClusterScriptDialog::updateDefaults);

    command_->addItem(tr("sweep: %1 preferences from quality to cost").arg(experiment_.points),
                      QStringLiteral("sweep"));
    command_->addItem(tr("simulate: the designer's one preference"), QStringLiteral("simulate"));
    shards_->setRange(1, 100000);
    shards_->setValue(4);
    shards_->setToolTip(tr("Array tasks; cell i runs in shard i mod N"));
    partition_->setPlaceholderText(tr("the cluster's default"));
    timeLimit_->setPlaceholderText(tr("e.g. 00:30:00 (default: the partition's)"));
    cpus_->setRange(1, 1024);
    cpus_->setValue(1);
    cpus_->setToolTip(tr("Each shard runs its cells on this many threads"));
    memory_->setPlaceholderText(tr("e.g. 4G (default: the partition's)"));
    cli_->setToolTip(tr("routerlab-cli as the compute nodes see it"));
    results_->setToolTip(tr("Shards, logs and result.json, on storage every node can write"));
    updateDefaults();
    recordInWorkspace_->setEnabled(!workspacePath_.isEmpty());
    recordInWorkspace_->setChecked(!workspacePath_.isEmpty());
    if (workspacePath_.isEmpty())
        recordInWorkspace_->setToolTip(tr("Open a workspace first"));
    image_->setPlaceholderText(tr("container image with routerlab-cli"));
    volumeClaim_->setPlaceholderText(tr("PersistentVolumeClaim holding the folder"));
    image_->setEnabled(false);
    volumeClaim_->setEnabled(false);
    connect(kubernetes_, &QCheckBox::toggled, image_, &QWidget::setEnabled);
    connect(kubernetes_, &QCheckBox::toggled, volumeClaim_, &QWidget::setEnabled);

    auto* slurm = new QGroupBox(tr("Slurm job array"), this);
    auto* form = new QFormLayout(slurm);
    form->addRow(tr("Folder:"), folderRow);
    form->addRow(tr("Run as:"), command_);
    form->addRow(tr("Shards:"), shards_);
    form->addRow(tr("Partition:"), partition_);
    form->addRow(tr("Time limit:"), timeLimit_);
    form->addRow(tr("CPUs per task:"), cpus_);
    form->addRow(tr("Memory per task:"), memory_);
    form->addRow(tr("routerlab-cli:"), cli_);
    form->addRow(tr("Results folder:"), results_);
    form->addRow(QString(), recordInWorkspace_);
    auto* kube = new QGroupBox(tr("Kubernetes"), this);
    auto* kubeForm = new QFormLayout(kube);
    kubeForm->addRow(kubernetes_);
    kubeForm->addRow(tr("Image:"), image_);
    kubeForm->addRow(tr("Volume claim:"), volumeClaim_);

    report_->setReadOnly(true);
    report_->setObjectName(QStringLiteral("clusterReport"));
    report_->setPlaceholderText(
        tr("The folder receives experiment.json, sweep-array.sbatch, merge.sbatch and "
           "submit.sh. Copy it to the cluster if it is not already there, run submit.sh, and "
           "open results/result.json with File ▸ Open Result… once the merge job has run."));
    report_->setMinimumHeight(110);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* write = buttons->addButton(tr("Write Scripts"), QDialogButtonBox::ActionRole);
    write->setObjectName(QStringLiteral("writeScripts"));
    write->setDefault(true);
    connect(write, &QPushButton::clicked, this, &ClusterScriptDialog::onWrite);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(slurm);
    layout->addWidget(kube);
    layout->addWidget(report_, 1);
    layout->addWidget(buttons);
    resize(620, 640);
}

void ClusterScriptDialog::chooseFolder() {
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Folder for the cluster scripts"), folder_->text());
    if (!dir.isEmpty())
        folder_->setText(dir);
}

void ClusterScriptDialog::updateDefaults() {
    const QString folder = folder_->text().trimmed();
    results_->setPlaceholderText(folder.isEmpty()
                                     ? tr("<folder>/results")
                                     : QDir(folder).filePath(QStringLiteral("results")));
}

bool ClusterScriptDialog::writeScripts(QStringList& written, QString& error) {
    const QString folder = folder_->text().trimmed();
    if (folder.isEmpty())
        error = tr("choose the folder for the scripts");
    else if (cli_->text().trimmed().isEmpty())
        error = tr("give routerlab-cli's path on the cluster");
    else if (kubernetes_->isChecked() && image_->text().trimmed().isEmpty())
        error = tr("give the container image for the Kubernetes Jobs");
    else if (!QDir().mkpath(folder))
        error = tr("%1: cannot create the folder").arg(folder);
    if (!error.isEmpty())
        return false;
    const QString experimentPath = QDir(folder).absoluteFilePath(QStringLiteral("experiment.json"));
    ClusterJob job;
    job.cli = cli_->text().trimmed();
    job.command = command_->currentData().toString();
    job.experiment = experimentPath;
    const QString results = results_->text().trimmed();
    job.resultFolder =
        QFileInfo(results.isEmpty() ? QDir(folder).filePath(QStringLiteral("results")) : results)
            .absoluteFilePath();
    job.shards = shards_->value();
    job.partition = partition_->text().trimmed();
    job.timeLimit = timeLimit_->text().trimmed();
    job.cpusPerTask = cpus_->value();
    job.memory = memory_->text().trimmed();
    if (recordInWorkspace_->isChecked())
        job.workspace = QFileInfo(workspacePath_).absoluteFilePath();
    job.image = image_->text().trimmed();
    job.volumeClaim = volumeClaim_->text().trimmed();
    // Checked before anything is written: a refused value leaves the folder as it was.
    const std::vector<ClusterValueProblem> problems = clusterJobProblems(job);
    if (!problems.empty()) {
        error = problems.front().field + QStringLiteral(": ") + problems.front().message;
        return false;
    }
    if (!saveExperimentFile(experimentPath, experiment_, error))
        return false;
    try {
        written =
            QStringList{experimentPath} + writeClusterFiles(job, folder, kubernetes_->isChecked());
    } catch (const InputError& e) {
        error = e.message();
        return false;
    }
    report_->setPlainText(
        tr("Wrote:\n  %1\n\nOn the cluster, run:\n  %2\n\nWhen the merge job has run, open %3 "
           "with File ▸ Open Result…%4. A failed task can be resubmitted alone with\n  sbatch "
           "--array=K %5\nand merge.sbatch run again.")
            .arg(written.join(QStringLiteral("\n  ")),
                 QDir(folder).absoluteFilePath(QStringLiteral("submit.sh")),
                 QDir(job.resultFolder).filePath(QStringLiteral("result.json")),
                 job.workspace.isEmpty() ? QString()
                                         : tr(" (the merge also records it in the workspace)"),
                 QDir(folder).absoluteFilePath(QStringLiteral("sweep-array.sbatch"))));
    return true;
}

void ClusterScriptDialog::onWrite() {
    QStringList written;
    QString error;
    if (!writeScripts(written, error))
        report_->setPlainText(tr("Could not write the scripts: %1").arg(error));
}

} // namespace routerlab
