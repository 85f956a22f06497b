#pragma once

#include "ui/dataset/dataset_load_job.h"
#include "ui/experiment/prepared_experiment.h"
#include "ui/shell/last_session.h"
#include "ui/shell/window_actions.h"
#include "ui/shell/workspace_navigator.h"

#include <QMainWindow>
#include <QPointer>
#include <deque>
#include <memory>

class QAbstractItemModel;
class QMessageBox;
class QTabWidget;

namespace routerlab {

class DatasetBrowser;
class DatasetView;
class ExperimentWorkbench;
class LiveConsole;
class LoadController;
class PoolView;
class QuizWizard;
class RecentFilesMenu;

// The workbench window: a Workspace dock (datasets, pools, results, a workspace file's stored
// experiments), pages in tabs (dataset summary, prompts, pool editor, experiment designer and
// the result pages), a Run dock and a Trade-off dock, and a status bar that shows and cancels
// loading. Loading and runs work on workers; a failure leaves whatever was shown before.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads on a worker and returns at once; ends with datasetLoaded or loadFailed. An empty
    // `poolPath` means the pool the data records, which fails for data without costs. A call
    // while loading cancels that load without a signal for it.
    void openDataset(const QStringList& paths, const QString& poolPath);
    // Opens a pool. With a dataset shown, re-opens that dataset priced by the new pool.
    void openPool(const QString& poolPath);
    void reload();
    void cancelLoading();
    bool isLoading() const;

    // The dataset shown, or null. Valid until the next load finishes.
    const DatasetSummary* currentSummary() const;
    // The per-model table in model order (the view sorts through a proxy on top of it).
    QAbstractItemModel* summaryModel() const;

    ExperimentWorkbench* workbench() const { return workbench_; }
    DatasetBrowser* datasetBrowser() const { return browser_; }
    PoolView* poolView() const { return poolView_; }
    QTabWidget* pages() const { return tabs_; }
    // Shows a page (a tab) by its widget.
    void showPage(QWidget* page);
    // Default dock sizes (first start, screenshots).
    void arrangeDocks();
    // On by default: once shown, the window's frame is kept within the screen's available
    // area. Screenshots turn it off to render at a size of their own choosing.
    void setKeptOnScreen(bool kept) { keptOnScreen_ = kept; }
    // On by default: the last dataset and workspace opened are recorded in the settings for
    // the next start. Screenshots turn it off, so that they leave the user's session alone.
    void setSessionRemembered(bool remembered) { sessionRemembered_ = remembered; }
    // The sample data that Help ▸ Open the Demo opens.
    void setDemo(const DemoFiles& demo) { demo_ = demo; }
    void openWorkspace(const QString& path);
    void openResultFile(const QString& path);
    // Tools ▸ Live Console: shows the console (made on first use) with the window's dataset,
    // pool and workspace.
    LiveConsole* openLiveConsole();
    LiveConsole* liveConsole() const { return liveConsole_; }
    // Tools ▸ Cold-start Quiz: shows the wizard (made on first use) with the window's dataset
    // and pool; its new model joins the Pool page's pool through the undo stack.
    QuizWizard* openQuizWizard();
    QuizWizard* quizWizard() const { return quizWizard_; }

signals:
    void datasetLoaded();
    void poolLoaded();
    void loadFailed(const QString& message);

protected:
    void showEvent(QShowEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    struct PoolEntry {
        QString path;            // empty for a pool derived from a dataset's recorded costs
        QStringList derivedFrom; // the files of that dataset
        std::shared_ptr<const ModelPool> pool;
    };
    struct DatasetEntry {
        LoadRequest request;
        std::shared_ptr<const PricedDataset> data;
        DatasetSummary summary;
        int poolId = -1;
    };

    LoadedData windowData(QString* datasetName, QString* poolPath) const;
    void connectActions();
    void createMenus();
    void createDock();
    void createCentral();
    void restoreSettings();
    void closeTradeOffDockWhenNarrow();
    void saveSettings() const;

    void startLoad(const LoadRequest& request);
    void onLoadFinished(const LoadOutcome& outcome);
    void applyPool(const LoadOutcome& outcome);
    void applyDataset(const LoadOutcome& outcome);
    int registerPool(const QString& path, const QStringList& derivedFrom,
                     std::shared_ptr<const ModelPool> pool);
    void showDataset(int id);
    void showPool(int id);
    void onNavigatorSelection(WorkspaceNavigator::Kind kind, int id);
    void reportFailure(const QString& what, const QString& message);
    void updateActions();

    void onPoolEdited(std::shared_ptr<const ModelPool> pool, bool costChanged);
    void showMessage(const QString& text, bool error);
    void chooseWorkspace();
    void chooseResultFile();
    void chooseDatasetFiles();
    void chooseDatasetFolder();
    void choosePool();
    void showAbout();
    QString dialogDir() const;
    void rememberDialogDir(const QString& path);

    WorkspaceNavigator* navigator_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    DatasetView* datasetView_ = nullptr;
    DatasetBrowser* browser_ = nullptr;
    PoolView* poolView_ = nullptr;
    ExperimentWorkbench* workbench_ = nullptr;
    LoadController* loader_ = nullptr;
    QPointer<QMessageBox> errorBox_;

    WindowActions actions_{this};
    LiveConsole* liveConsole_ = nullptr;
    QuizWizard* quizWizard_ = nullptr;
    RecentFilesMenu* recentMenu_ = nullptr;

    // Deques: entries never move, so currentSummary() stays valid while others are added.
    std::deque<DatasetEntry> datasets_;
    std::deque<PoolEntry> pools_;
    int currentDataset_ = -1;
    int currentPool_ = -1;
    QString activePoolPath_; // priced the last dataset; used when a new one names no pool
    bool keptOnScreen_ = true;
    bool sessionRemembered_ = true;
    DemoFiles demo_;
};

} // namespace routerlab
