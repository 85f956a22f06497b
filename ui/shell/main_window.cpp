#include "ui/shell/main_window.h"

#include "common/version.h"
#include "ui/charts/chart_panel.h"
#include "ui/charts/pareto_panel.h"
#include "ui/dataset/dataset_browser.h"
#include "ui/dataset/dataset_summary_model.h"
#include "ui/dataset/dataset_view.h"
#include "ui/dataset/outcome_table_model.h"
#include "ui/experiment/experiment_designer.h"
#include "ui/experiment/experiment_workbench.h"
#include "ui/experiment/run_controller.h"
#include "ui/experiment/run_panel.h"
#include "ui/live/live_console.h"
#include "ui/pool/pool_view.h"
#include "ui/quiz/quiz_wizard.h"
#include "ui/shell/accessible_names.h"
#include "ui/shell/app_settings.h"
#include "ui/shell/load_controller.h"
#include "ui/shell/recent_files_menu.h"
#include "ui/shell/window_geometry.h"
#include "ui/tradeoff/preference_panel.h"
#include "ui/tradeoff/tradeoff_page.h"

#include <QAction>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QUndoGroup>
#include <QUndoStack>
#include <algorithm>

// Resources in a static library are dropped by the linker unless something references them.
static void initRouterLabResources() {
    Q_INIT_RESOURCE(resources);
}

namespace routerlab {
namespace {

constexpr int kStatusTimeoutMs = 10000;

bool isPoolFile(const QString& path) {
    return path.endsWith(QStringLiteral(".pool.json"), Qt::CaseInsensitive);
}

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    initRouterLabResources();
    setWindowTitle(QStringLiteral("RouterLab"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/routerlab.svg")));
    setAcceptDrops(true);
    connectActions();
    createDock();
    createCentral();
    createMenus();
    loader_ = new LoadController(statusBar(), this);
    connect(loader_, &LoadController::finished, this, &MainWindow::onLoadFinished);
    connect(loader_, &LoadController::runningChanged, this, &MainWindow::updateActions);
    restoreSettings();
    updateActions();
    nameControls(this);
}

MainWindow::~MainWindow() {
    // Stop the worker while everything it reports to still exists.
    delete loader_;
}

void MainWindow::connectActions() {
    connect(actions_.openFile, &QAction::triggered, this, &MainWindow::chooseDatasetFiles);
    connect(actions_.openFolder, &QAction::triggered, this, &MainWindow::chooseDatasetFolder);
    connect(actions_.openPool, &QAction::triggered, this, &MainWindow::choosePool);
    connect(actions_.openWorkspace, &QAction::triggered, this, &MainWindow::chooseWorkspace);
    connect(actions_.openResult, &QAction::triggered, this, &MainWindow::chooseResultFile);
    connect(actions_.reload, &QAction::triggered, this, &MainWindow::reload);
    connect(actions_.quit, &QAction::triggered, this, &QWidget::close);
    connect(actions_.liveConsole, &QAction::triggered, this, &MainWindow::openLiveConsole);
    connect(actions_.quiz, &QAction::triggered, this, &MainWindow::openQuizWizard);
    connect(actions_.openDemo, &QAction::triggered, this, [this] { openDemo(*this, demo_); });
    connect(actions_.about, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus() {
    actions_.undoGroup->addStack(poolView_->undoStack());
    actions_.undoGroup->setActiveStack(poolView_->undoStack());
    recentMenu_ = actions_.fillMenuBar(menuBar(), findChildren<QDockWidget*>());
    connect(recentMenu_, &RecentFilesMenu::openRequested, this, &MainWindow::startLoad);
}

void MainWindow::createDock() {
    auto* dock = new QDockWidget(tr("Workspace"), this);
    dock->setObjectName(QStringLiteral("workspaceDock")); // saveState() keys docks by name
    navigator_ = new WorkspaceNavigator(dock);
    dock->setWidget(navigator_);
    dock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    connect(navigator_, &WorkspaceNavigator::entrySelected, this,
            &MainWindow::onNavigatorSelection);
}

void MainWindow::createCentral() {
    tabs_ = new QTabWidget(this);
    tabs_->setObjectName(QStringLiteral("pages"));
    datasetView_ = new DatasetView(tabs_);
    tabs_->addTab(datasetView_, tr("Dataset"));
    browser_ = new DatasetBrowser(tabs_);
    tabs_->addTab(browser_, tr("Prompts"));
    poolView_ = new PoolView(tabs_);
    tabs_->addTab(poolView_, tr("Pool"));
    connect(poolView_, &PoolView::poolEdited, this, &MainWindow::onPoolEdited);
    connect(poolView_, &PoolView::editRefused, this,
            [this](const QString& text) { showMessage(text, true); });
    connect(poolView_, &PoolView::saved, this,
            [this](const QString& path) { showMessage(tr("Saved pool %1").arg(path), false); });

    workbench_ = new ExperimentWorkbench(navigator_, tabs_);
    tabs_->addTab(new DesignerPage(workbench_->designer(), tabs_), tr("Experiment"));
    for (ChartPanel* panel : workbench_->panels()) {
        tabs_->addTab(panel, panel->title());
        if (panel == workbench_->pareto())
            tabs_->addTab(workbench_->tradeoff(), tr("Trade-off"));
    }
    setCentralWidget(tabs_);
    connect(workbench_, &ExperimentWorkbench::message, this, &MainWindow::showMessage);
    connect(workbench_, &ExperimentWorkbench::pageRequested, this, &MainWindow::showPage);
    connect(actions_.run, &QAction::triggered, workbench_, &ExperimentWorkbench::run);
    connect(actions_.cancelRun, &QAction::triggered, workbench_->runs(), &RunController::cancel);
    connect(actions_.runOnCluster, &QAction::triggered, workbench_,
            &ExperimentWorkbench::runOnCluster);
    connect(actions_.deploy, &QAction::triggered, workbench_, &ExperimentWorkbench::deploy);
    connect(actions_.evaluateUnseen, &QAction::triggered, workbench_,
            &ExperimentWorkbench::evaluateUnseen);
    connect(actions_.compareRuns, &QAction::triggered, workbench_,
            [this] { workbench_->chooseRunsToCompare(WorkspaceNavigator::Kind::Result, -1); });
    connect(workbench_->runs(), &RunController::runningChanged, this, [this](bool running) {
        actions_.run->setEnabled(!running);
        actions_.cancelRun->setEnabled(running);
    });

    auto* runDock = new QDockWidget(tr("Run"), this);
    runDock->setObjectName(QStringLiteral("runDock"));
    runDock->setWidget(workbench_->runPanel());
    runDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    addDockWidget(Qt::BottomDockWidgetArea, runDock);
    auto* tradeOffDock = new QDockWidget(tr("Trade-off"), this);
    tradeOffDock->setObjectName(QStringLiteral("tradeOffDock"));
    tradeOffDock->setWidget(workbench_->preferences());
    tradeOffDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_3));
    addDockWidget(Qt::RightDockWidgetArea, tradeOffDock);
    // The Trade-off page holds everything the dock does, larger: the dock steps aside there.
    letDockStepAside(tabs_, workbench_->tradeoff(), tradeOffDock);
}

void MainWindow::closeTradeOffDockWhenNarrow() {
    // Under 1600 px the pages need the dock's width; View ▸ Trade-off (Ctrl+3) reopens it.
    closeDockWhenNarrow(this, findChild<QDockWidget*>(QStringLiteral("tradeOffDock")), 1600,
                        findChild<QDockWidget*>(QStringLiteral("workspaceDock")), 210);
}

void MainWindow::arrangeDocks() {
    auto* workspace = findChild<QDockWidget*>(QStringLiteral("workspaceDock"));
    auto* run = findChild<QDockWidget*>(QStringLiteral("runDock"));
    auto* tradeOff = findChild<QDockWidget*>(QStringLiteral("tradeOffDock"));
    closeTradeOffDockWhenNarrow();
    resizeDocks({workspace, tradeOff}, {210, 430}, Qt::Horizontal);
    resizeDocks({run}, {170}, Qt::Vertical);
}

void MainWindow::showPage(QWidget* page) {
    for (int i = 0; i < tabs_->count(); ++i)
        if (tabs_->widget(i) == page || tabs_->widget(i)->isAncestorOf(page))
            tabs_->setCurrentIndex(i);
}

void MainWindow::showMessage(const QString& text, bool error) {
    if (error)
        reportFailure(tr("RouterLab"), text);
    else
        statusBar()->showMessage(text, kStatusTimeoutMs);
}

void MainWindow::onPoolEdited(std::shared_ptr<const ModelPool> pool, bool costChanged) {
    if (currentPool_ < 0)
        return;
    pools_[currentPool_].pool = pool;
    if (!costChanged) {
        statusBar()->showMessage(tr("Pool edited"), kStatusTimeoutMs);
        return;
    }
    // Re-price without re-importing: every view that shows a cost follows the new prices.
    for (DatasetEntry& entry : datasets_) {
        if (entry.poolId != currentPool_ || !entry.data)
            continue;
        entry.summary = summarize(entry.data->dataset, *pool);
        if (&entry == &datasets_[currentDataset_]) {
            datasetView_->setSummary(entry.summary, pool->name);
            browser_->setPool(*pool);
            workbench_->setEditedPool(pool);
        }
    }
    statusBar()->showMessage(tr("Re-priced with the edited pool"), kStatusTimeoutMs);
}

void MainWindow::restoreSettings() {
    QSettings s = appSettings();
    restoreFittedGeometry(this, s.value(QStringLiteral("window/geometry")).toByteArray());
    if (!restoreState(s.value(QStringLiteral("window/state")).toByteArray()))
        arrangeDocks();
    else // a state saved on a wider screen, or with the dock opened by hand, would squeeze pages
        closeTradeOffDockWhenNarrow();
}

void MainWindow::saveSettings() const {
    QSettings s = appSettings();
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    // Once shown the platform knows the frame: fit again with the title bar and borders.
    QTimer::singleShot(0, this, [this] {
        if (keptOnScreen_)
            fitToScreen(this);
    });
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveSettings();
    cancelLoading();
    workbench_->runs()->cancel();
    if (liveConsole_)
        liveConsole_->cancel();
    if (quizWizard_)
        quizWizard_->cancel();
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
    showPage(poolView_);
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

    workbench_->setWindowData(
        {std::shared_ptr<const Dataset>(entry.data, &entry.data->dataset), outcome.pool},
        request.paths, request.poolPath);

    const DatasetSummary& s = entry.summary;
    QString toolTip = request.paths.join(QLatin1Char('\n'));
    if (!request.poolPath.isEmpty())
        toolTip += tr("\npool: %1").arg(request.poolPath);
    navigator_->setEntry(WorkspaceNavigator::Kind::Dataset, id,
                         tr("%1 (%2 × %3)").arg(s.name).arg(s.prompts).arg(s.models.size()),
                         toolTip);
    recentMenu_->add(request);
    if (sessionRemembered_)
        rememberLastDataset(request.paths, request.poolPath);
    showDataset(id);
    showPage(datasetView_);
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
    if (browser_->model()->dataset() != &entry.data->dataset)
        browser_->setDataset(std::shared_ptr<const Dataset>(entry.data, &entry.data->dataset),
                             *pools_[entry.poolId].pool);
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
    switch (kind) {
    case WorkspaceNavigator::Kind::Dataset:
        showDataset(id);
        showPage(datasetView_);
        break;
    case WorkspaceNavigator::Kind::Pool:
        showPool(id);
        showPage(poolView_);
        break;
    default: // results, stored experiments, runs and evaluations
        workbench_->showEntry(kind, id);
        break;
    }
}

LoadedData MainWindow::windowData(QString* datasetName, QString* poolPath) const {
    LoadedData data;
    if (currentDataset_ >= 0) {
        const DatasetEntry& entry = datasets_[currentDataset_];
        data.dataset = std::shared_ptr<const Dataset>(entry.data, &entry.data->dataset);
        data.pool = pools_[entry.poolId].pool; // as edited
        *datasetName = entry.summary.name;
        *poolPath = pools_[entry.poolId].path;
    } else if (currentPool_ >= 0) {
        data.pool = pools_[currentPool_].pool;
        *poolPath = pools_[currentPool_].path;
    }
    return data;
}

QuizWizard* MainWindow::openQuizWizard() {
    if (!quizWizard_) {
        quizWizard_ = new QuizWizard(this);
        nameControls(quizWizard_);
        quizWizard_->setAddToPool([this](const PoolModel& model, QString& error) {
            if (!poolView_->addModel(model, error))
                return false;
            statusBar()->showMessage(tr("Added %1 to the pool").arg(model.id), kStatusTimeoutMs);
            return true;
        });
    }
    QString datasetName;
    QString poolPath;
    quizWizard_->setWindowData(windowData(&datasetName, &poolPath), datasetName);
    quizWizard_->show();
    quizWizard_->raise();
    quizWizard_->activateWindow();
    return quizWizard_;
}

LiveConsole* MainWindow::openLiveConsole() {
    if (!liveConsole_)
        liveConsole_ = new LiveConsole(this);
    nameControls(liveConsole_);
    QString datasetName;
    QString poolPath;
    const LoadedData data = windowData(&datasetName, &poolPath);
    liveConsole_->setWindowData(data, datasetName, poolPath, workbench_->workspacePath());
    liveConsole_->show();
    liveConsole_->raise();
    liveConsole_->activateWindow();
    return liveConsole_;
}

void MainWindow::openWorkspace(const QString& path) {
    QString error;
    if (!workbench_->openWorkspace(path, error))
        reportFailure(tr("Could not open the workspace %1").arg(path), error);
    else if (sessionRemembered_)
        rememberLastWorkspace(path);
}

void MainWindow::openResultFile(const QString& path) {
    QString error;
    if (!workbench_->openResultFile(path, error))
        reportFailure(tr("Could not open the result %1").arg(path), error);
}

void MainWindow::chooseWorkspace() {
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open Workspace"), dialogDir(), tr("Workspaces (*.routerlab);;All files (*)"));
    if (file.isEmpty())
        return;
    rememberDialogDir(file);
    openWorkspace(file);
}

void MainWindow::chooseResultFile() {
    const QString file = QFileDialog::getOpenFileName(this, tr("Open Result"), dialogDir(),
                                                      tr("Results (*.json);;All files (*)"));
    if (file.isEmpty())
        return;
    rememberDialogDir(file);
    openResultFile(file);
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
    actions_.reload->setEnabled(idle && (currentDataset_ >= 0 || currentPool_ >= 0));
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
    return appSettings().value(QStringLiteral("dialogDir")).toString();
}

void MainWindow::rememberDialogDir(const QString& path) {
    const QFileInfo info(path);
    appSettings().setValue(QStringLiteral("dialogDir"),
                           info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

} // namespace routerlab
