#include "ui/experiment/experiment_run_job.h"

#include "common/error_message.h"
#include "common/input_error.h"

#include <QThread>
#include <functional>
#include <map>

#if defined(Q_OS_LINUX)
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace routerlab {

namespace {

constexpr int kSelectionSamples = 200;

// Runs `work` on `count` threads of lower priority and waits for them. The window's thread
// must win a core the moment it has something to draw: with a worker per core at equal
// priority it waits for one on every redraw, and the window stalls however little it draws.
void runInBackground(int count, const std::function<void()>& work) {
    std::vector<std::unique_ptr<QThread>> threads;
    for (int i = 0; i < count; ++i) {
        threads.emplace_back(QThread::create([&work] {
#if defined(Q_OS_LINUX)
            // Linux gives ordinary threads no priorities, only a nice value, and that one is
            // per thread. Raised, it cannot be lowered again: these threads end with the job.
            constexpr int kNiceIncrement = 10;
            const auto self = static_cast<id_t>(gettid());
            setpriority(PRIO_PROCESS, self,
                        std::min(19, getpriority(PRIO_PROCESS, self) + kNiceIncrement));
#endif
            work();
        }));
        threads.back()->start(QThread::LowPriority);
    }
    for (const auto& thread : threads)
        thread->wait();
}

CellDigest digest(const PreparedExperiment& prepared, int index, const CellResult& result,
                  const RewardTable& table) {
    CellDigest d;
    d.index = index;
    d.summary = result.summary;
    if (index >= prepared.simulateCellCount())
        return d;
    const StepLog& log = result.log;
    const std::size_t n = log.model.size();
    d.cumulativeReward.resize(n);
    d.cumulativeRegret.resize(n);
    d.cumulativeCost.resize(n);
    double reward = 0, regret = 0, cost = 0;
    for (std::size_t t = 0; t < n; ++t) {
        reward += log.reward[t];
        regret += log.oracleReward[t] - log.reward[t];
        cost += log.cost[t];
        d.cumulativeReward[t] = reward;
        d.cumulativeRegret[t] = regret;
        d.cumulativeCost[t] = cost;
    }
    d.latency = log.latency;
    if (result.cell.seed == 1 && result.summary.complete)
        d.selection = traceSelection(*prepared.setup, result.cell, table, log, kSelectionSamples);
    return d;
}

// Reward tables are built on first use, once per preference, and shared by all workers.
class RewardTables {
public:
    explicit RewardTables(const SimulationSetup& setup) : setup_(setup) {}
    std::shared_ptr<const RewardTable> get(const Preference& preference) {
        const std::lock_guard lock(mutex_);
        for (const auto& t : tables_)
            if (t->preference == preference)
                return t;
        tables_.push_back(
            std::make_shared<const RewardTable>(buildRewardTable(setup_, preference)));
        return tables_.back();
    }

private:
    const SimulationSetup& setup_;
    std::mutex mutex_;
    std::vector<std::shared_ptr<const RewardTable>> tables_;
};

} // namespace

std::shared_ptr<const PreparedExperiment> RunProgress::prepared() const {
    return preparedSet_.load(std::memory_order_acquire) ? prepared_ : nullptr;
}

void RunProgress::setPrepared(std::shared_ptr<const PreparedExperiment> prepared) {
    const int cells = prepared->cellCount();
    auto states = std::make_unique<std::atomic<int>[]>(static_cast<std::size_t>(cells));
    for (int i = 0; i < cells; ++i)
        states[i].store(static_cast<int>(CellState::Queued));
    states_ = std::move(states);
    prepared_ = std::move(prepared);
    preparedSet_.store(true, std::memory_order_release);
}

CellState RunProgress::state(int cell) const {
    return static_cast<CellState>(states_[cell].load(std::memory_order_relaxed));
}

void RunProgress::setState(int cell, CellState state) {
    states_[cell].store(static_cast<int>(state), std::memory_order_relaxed);
    if (state == CellState::Done || state == CellState::Cancelled)
        done_.fetch_add(1, std::memory_order_relaxed);
}

void RunProgress::post(CellDigest digest) {
    std::vector<std::vector<CellDigest>> spent; // freed here, after the lock is released
    const std::lock_guard lock(mutex_);
    outbox_.push_back(std::move(digest));
    spent.swap(spent_);
}

std::vector<CellDigest> RunProgress::takeFinished(Wait wait) {
    std::unique_lock lock(mutex_, std::defer_lock);
    if (wait == Wait::Yes)
        lock.lock();
    else if (!lock.try_lock())
        return {};
    return std::exchange(outbox_, {});
}

void RunProgress::recycle(std::vector<std::vector<CellDigest>>& batches) {
    const std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock())
        return;
    for (std::vector<CellDigest>& batch : batches)
        spent_.push_back(std::move(batch));
    batches.clear();
}

namespace {

RunOutcome runJob(const GuiExperiment& experiment, const LoadedData& loaded,
                  const std::shared_ptr<RunProgress>& progress, int threads) {
    RunOutcome outcome;
    try {
        outcome.prepared = prepareExperiment(experiment, loaded, &progress->cancel);
    } catch (const ImportCancelled&) {
        outcome.cancelled = true;
        return outcome;
    } catch (...) {
        outcome.error = currentErrorMessage();
        return outcome;
    }
    const PreparedExperiment& prepared = *outcome.prepared;
    progress->setPrepared(outcome.prepared);

    RewardTables tables(*prepared.setup);
    std::atomic<int> next{0};
    std::mutex errorMutex;
    auto worker = [&] {
        for (;;) {
            const int i = next.fetch_add(1);
            if (i >= prepared.cellCount())
                return;
            if (progress->cancel.load()) {
                progress->setState(i, CellState::Cancelled);
                continue;
            }
            progress->setState(i, CellState::Running);
            try {
                const Cell& cell = prepared.cell(i);
                const auto table = tables.get(cell.preference);
                const CellResult result =
                    runCell(*prepared.setup, cell, &progress->cancel, table.get());
                if (!result.summary.complete) {
                    progress->setState(i, CellState::Cancelled);
                    continue;
                }
                progress->post(digest(prepared, i, result, *table));
                progress->setState(i, CellState::Done);
            } catch (const std::exception& e) {
                {
                    const std::lock_guard lock(errorMutex);
                    if (outcome.error.isEmpty())
                        outcome.error = QString::fromUtf8(e.what());
                }
                progress->cancel.store(true);
                progress->setState(i, CellState::Cancelled);
            }
        }
    };
    runInBackground(std::max(1, std::min(threads, prepared.cellCount())), worker);
    outcome.cancelled = outcome.error.isEmpty() && progress->cancel.load();
    return outcome;
}

} // namespace

RunOutcome runExperimentJob(const GuiExperiment& experiment, const LoadedData& loaded,
                            const std::shared_ptr<RunProgress>& progress, int threads) {
    // Preparing (features, pre-training) runs at the workers' priority too.
    RunOutcome outcome;
    runInBackground(1, [&] { outcome = runJob(experiment, loaded, progress, threads); });
    return outcome;
}

} // namespace routerlab
