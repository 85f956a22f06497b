#include "main_window.h"

#include "common/version.h"
#include "dataset_summary_model.h"
#include "dataset_view.h"
#include "load_controller.h"
#include "pool_view.h"
#include "recent_files_menu.h"

#include <QAction>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <algorithm>

// Resources in a static library are dropped by the linker unless something references them.
static void initRouterLabResources() {
    Q_INIT_RESOURCE(resources);
}

namespace routerlab {

namespace {

constexpr int kStatusTimeoutMs = 10000;

QSettings settings() {
    return QSettings(QStringLiteral("RouterLab"), QStringLiteral("RouterLab"));
}

bool isPoolFile(const QString& path) {
    return path.endsWith(QStringLiteral(".pool.json"), Qt::CaseInsensitive);
}

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    initRouterLabResources();
    setWindowTitle(QStringLiteral("RouterLab"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/routerlab.svg")));
    setAcceptDrops(true);
    createActions();
    createCentral();
    createDock();
    createMenus();
    loader_ = new LoadController(statusBar(), this);
    connect(loader_, &LoadController::finished, this, &MainWindow::onLoadFinished);
    connect(loader_, &LoadController::runningChanged, this, &MainWindow::updateActions);
    restoreSettings();
    updateActions();
}

MainWindow::~MainWindow() {
    // Stop the worker while everything it reports to still exists.
    delete loader_;
}

void MainWindow::createActions() {
    openFileAction_ = new QAction(tr("Open Dataset &File…"), this);
    openFileAction_->setShortcut(QKeySequence::Open);
    connect(openFileAction_, &QAction::triggered, this, &MainWindow::chooseDatasetFiles);
    openFolderAction_ = new QAction(tr("Open Dataset F&older…"), this);
    openFolderAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    connect(openFolderAction_, &QAction::triggered, this, &MainWindow::chooseDatasetFolder);
    openPoolAction_ = new QAction(tr("Open &Pool…"), this);
    connect(openPoolAction_, &QAction::triggered, this, &MainWindow::choosePool);
    reloadAction_ = new QAction(tr("&Reload"), this);
    reloadAction_->setShortcut(QKeySequence::Refresh);
    connect(reloadAction_, &QAction::triggered, this, &MainWindow::reload);
    quitAction_ = new QAction(tr("&Quit"), this);
    quitAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quitAction_->setMenuRole(QAction::QuitRole);
    connect(quitAction_, &QAction::triggered, this, &QWidget::close);
    aboutAction_ = new QAction(tr("&About RouterLab"), this);
    aboutAction_->setMenuRole(QAction::AboutRole);
    connect(aboutAction_, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(openFileAction_);
    file->addAction(openFolderAction_);
    file->addAction(openPoolAction_);
    recentMenu_ = new RecentFilesMenu(file);
    connect(recentMenu_, &RecentFilesMenu::openRequested, this, &MainWindow::startLoad);
    file->addMenu(recentMenu_);
    file->addSeparator();
    file->addAction(reloadAction_);
    file->addSeparator();
    file->addAction(quitAction_);
    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());
    menuBar()->addMenu(tr("&Help"))->addAction(aboutAction_);
}

void MainWindow::createDock() {
    auto* dock = new QDockWidget(tr("Workspace"), this);
    dock->setObjectName(QStringLiteral("workspaceDock")); // saveState() keys docks by name
    navigator_ = new WorkspaceNavigator(dock);
    dock->setWidget(navigator_);
    dock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    resizeDocks({dock}, {220}, Qt::Horizontal);
    connect(navigator_, &WorkspaceNavigator::entrySelected, this,
            &MainWindow::onNavigatorSelection);
}

void MainWindow::createCentral() {
    tabs_ = new QTabWidget(this);
    datasetView_ = new DatasetView(tabs_);
    tabs_->addTab(datasetView_, tr("Dataset"));

    poolView_ = new PoolView(tabs_);
    tabs_->addTab(poolView_, tr("Pool"));
    setCentralWidget(tabs_);
}

void MainWindow::restoreSettings() {
    QSettings s = settings();
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1100, 680);
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
}

void MainWindow::saveSettings() const {
    QSettings s = settings();
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveSettings();
    cancelLoading();
    QMainWindow::closeEvent(event);
}

void MainWindow::openDataset(const QStringList& paths, const QString& poolPath) {
    if (paths.isEmpty()) {
        reportFailure(tr("Nothing to open"), tr("no dataset files or folders were given"));
        return;
    }
    startLoad({paths, poolPath});
}

void MainWindow::openPool(const QString& poolPath) {
    if (currentDataset_ >= 0)
        startLoad({datasets_[currentDataset_].request.paths, poolPath});
    else
        startLoad({{}, poolPath});
}

void MainWindow::reload() {
    if (currentDataset_ >= 0)
        startLoad(datasets_[currentDataset_].request);
    else if (currentPool_ >= 0 && !pools_[currentPool_].path.isEmpty())
        startLoad({{}, pools_[currentPool_].path});
}

void MainWindow::cancelLoading() {
    loader_->cancel();
}

bool MainWindow::isLoading() const {
    return loader_->isRunning();
}

void MainWindow::startLoad(const LoadRequest& request) {
    loader_->start(request);
}

void MainWindow::onLoadFinished(const LoadOutcome& outcome) {
    if (outcome.cancelled) {
        const QString message = tr("Loading cancelled");
        statusBar()->showMessage(message, kStatusTimeoutMs);
        emit loadFailed(message);
    } else if (!outcome.error.isEmpty()) {
        reportFailure(tr("Could not open %1").arg(RecentFilesMenu::describe(outcome.request)),
                      outcome.error);
    } else if (outcome.request.poolOnly()) {
        applyPool(outcome);
    } else {
        applyDataset(outcome);
    }
}

void MainWindow::applyPool(const LoadOutcome& outcome) {
    const int id = registerPool(outcome.request.poolPath, {}, outcome.pool);
    activePoolPath_ = outcome.request.poolPath;
    recentMenu_->add(outcome.request);
    showPool(id);
    tabs_->setCurrentIndex(1);
    statusBar()->showMessage(tr("Opened pool %1 (%n model(s))", nullptr, outcome.pool->size())
                                 .arg(RecentFilesMenu::describe(outcome.request)),
                             kStatusTimeoutMs);
    emit poolLoaded();
}

void MainWindow::applyDataset(const LoadOutcome& outcome) {
    const LoadRequest request = outcome.request;
    auto same = std::find_if(datasets_.begin(), datasets_.end(),
                             [&](const DatasetEntry& e) { return e.request == request; });
    if (same == datasets_.end()) {
        datasets_.push_back({});
        same = std::prev(datasets_.end());
    }
    const int id = static_cast<int>(same - datasets_.begin());
    DatasetEntry& entry = *same;
    entry.request = request;
    entry.data = outcome.data;
    entry.summary = outcome.summary;
    entry.poolId = entry.data->poolDerived ? registerPool({}, request.paths, outcome.pool)
                                           : registerPool(request.poolPath, {}, outcome.pool);
    if (!request.poolPath.isEmpty())
        activePoolPath_ = request.poolPath;

    const DatasetSummary& s = entry.summary;
    QString toolTip = request.paths.join(QLatin1Char('\n'));
    if (!request.poolPath.isEmpty())
        toolTip += tr("\npool: %1").arg(request.poolPath);
    navigator_->setEntry(WorkspaceNavigator::Kind::Dataset, id,
                         tr("%1 (%2 × %3)").arg(s.name).arg(s.prompts).arg(s.models.size()),
                         toolTip);
    recentMenu_->add(request);
    showDataset(id);
    tabs_->setCurrentIndex(0);
    const double seconds = double(loader_->elapsedMs()) / 1000.0;
    statusBar()->showMessage(tr("Opened %1: %2 prompts × %3 models in %4 s")
                                 .arg(s.name)
                                 .arg(s.prompts)
                                 .arg(s.models.size())
                                 .arg(seconds, 0, 'f', 2),
                             kStatusTimeoutMs);
    emit datasetLoaded();
}

int MainWindow::registerPool(const QString& path, const QStringList& derivedFrom,
                             std::shared_ptr<const ModelPool> pool) {
    auto same = std::find_if(pools_.begin(), pools_.end(), [&](const PoolEntry& e) {
        return e.path == path && e.derivedFrom == derivedFrom;
    });
    if (same == pools_.end()) {
        pools_.push_back({path, derivedFrom, nullptr});
        same = std::prev(pools_.end());
    }
    same->pool = std::move(pool);
    const int id = static_cast<int>(same - pools_.begin());
    const QString name = same->pool->name.isEmpty() ? QFileInfo(path).fileName() : same->pool->name;
    navigator_->setEntry(
        WorkspaceNavigator::Kind::Pool, id, name,
        path.isEmpty()
            ? tr("Priced from the costs recorded in\n%1").arg(derivedFrom.join(QLatin1Char('\n')))
            : path);
    return id;
}

void MainWindow::showDataset(int id) {
    const DatasetEntry& entry = datasets_[id];
    currentDataset_ = id;
    const QString poolName = pools_[entry.poolId].pool->name;
    datasetView_->setSummary(entry.summary, poolName);
    showPool(entry.poolId);
    navigator_->selectEntry(WorkspaceNavigator::Kind::Dataset, id);
    updateActions();
}

void MainWindow::showPool(int id) {
    const PoolEntry& entry = pools_[id];
    currentPool_ = id;
    poolView_->setPool(entry.pool,
                       entry.path.isEmpty()
                           ? tr("derived from the costs recorded in %1")
                                 .arg(RecentFilesMenu::describe({entry.derivedFrom, {}}))
                           : entry.path);
    updateActions();
}

void MainWindow::onNavigatorSelection(WorkspaceNavigator::Kind kind, int id) {
    if (kind == WorkspaceNavigator::Kind::Dataset) {
        showDataset(id);
        tabs_->setCurrentIndex(0);
    } else {
        showPool(id);
        tabs_->setCurrentIndex(1);
    }
}

void MainWindow::reportFailure(const QString& what, const QString& message) {
    statusBar()->showMessage(tr("%1: %2").arg(what, message), kStatusTimeoutMs);
    // Not exec(): a nested event loop would stall the window and any caller waiting on us.
    if (errorBox_)
        errorBox_->close();
    errorBox_ = new QMessageBox(QMessageBox::Warning, tr("RouterLab"), what, QMessageBox::Ok, this);
    errorBox_->setObjectName(QStringLiteral("loadErrorBox"));
    errorBox_->setAttribute(Qt::WA_DeleteOnClose);
    errorBox_->setInformativeText(message);
    errorBox_->open();
    emit loadFailed(message);
}

void MainWindow::updateActions() {
    const bool idle = !isLoading();
    reloadAction_->setEnabled(idle && (currentDataset_ >= 0 || currentPool_ >= 0));
}

const DatasetSummary* MainWindow::currentSummary() const {
    return currentDataset_ >= 0 ? &datasets_[currentDataset_].summary : nullptr;
}

QAbstractItemModel* MainWindow::summaryModel() const {
    return datasetView_->model();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    const QList<QUrl> urls = event->mimeData()->urls();
    const bool allLocal =
        !urls.isEmpty() &&
        std::all_of(urls.begin(), urls.end(), [](const QUrl& u) { return u.isLocalFile(); });
    if (allLocal)
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    QStringList datasets;
    QString pool;
    for (const QUrl& url : event->mimeData()->urls()) {
        const QString path = url.toLocalFile();
        if (isPoolFile(path))
            pool = path;
        else
            datasets << path;
    }
    event->acceptProposedAction();
    if (!datasets.isEmpty())
        openDataset(datasets, pool.isEmpty() ? activePoolPath_ : pool);
    else if (!pool.isEmpty())
        openPool(pool);
}

void MainWindow::chooseDatasetFiles() {
    const QStringList files =
        QFileDialog::getOpenFileNames(this, tr("Open Dataset File"), dialogDir(),
                                      tr("Datasets (*.csv *.jsonl *.ndjson);;All files (*)"));
    if (files.isEmpty())
        return;
    rememberDialogDir(files.first());
    openDataset(files, activePoolPath_);
}

void MainWindow::chooseDatasetFolder() {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Open Dataset Folder"), dialogDir());
    if (dir.isEmpty())
        return;
    rememberDialogDir(dir);
    openDataset({dir}, activePoolPath_);
}

void MainWindow::choosePool() {
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open Pool"), dialogDir(), tr("Model pools (*.pool.json *.json);;All files (*)"));
    if (file.isEmpty())
        return;
    rememberDialogDir(file);
    openPool(file);
}

void MainWindow::showAbout() {
    QMessageBox::about(this, tr("About RouterLab"),
                       tr("<h3>RouterLab %1</h3><p>A workbench for routing queries between large "
                          "language models: load a model pool and a benchmark dataset, replay "
                          "routers over them and compare cost, quality and latency.</p>"
                          "<p>Built with Qt %2.</p>")
                           .arg(versionString().toHtmlEscaped(), QString::fromLatin1(qVersion())));
}

QString MainWindow::dialogDir() const {
    return settings().value(QStringLiteral("dialogDir")).toString();
}

void MainWindow::rememberDialogDir(const QString& path) {
    const QFileInfo info(path);
    settings().setValue(QStringLiteral("dialogDir"),
                        info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

} // namespace routerlab
