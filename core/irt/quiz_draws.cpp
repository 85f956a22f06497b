#include "irt/quiz_draws.h"

#include "common/random.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <thread>

namespace routerlab {

std::uint64_t quizDrawSeed(std::uint64_t seed, int draw) {
    return draw == 0 ? seed : Random::mix(seed, std::uint64_t(draw));
}

Interval drawInterval(const std::vector<double>& values, const BootstrapOptions& options) {
    if (values.size() < 2 || options.resamples <= 0 ||
        std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); }))
        return {};
    return meanInterval(values, options);
}

namespace {

// "x [low, high]" in one format, "x" without an interval, "n/a" for NaN.
QString withInterval(double value, const Interval& interval,
                     const std::function<QString(double)>& format) {
    if (std::isnan(value))
        return QStringLiteral("n/a");
    if (!interval.valid())
        return format(value);
    return QStringLiteral("%1 [%2, %3]")
        .arg(format(value), format(interval.low), format(interval.high));
}

} // namespace

QString percentWithInterval(double fraction, const Interval& interval) {
    // "0%", not "-0%", for a fraction just below zero.
    return withInterval(fraction, interval, [](double f) {
        return QStringLiteral("%1%").arg(std::round(100 * f) + 0.0, 0, 'f', 0);
    });
}

QString numberWithInterval(double value, const Interval& interval) {
    return withInterval(value, interval, [](double v) { return QString::number(v, 'f', 2); });
}

void runQuizTasks(int count, int threads, const std::function<void(int)>& task) {
    std::atomic<int> next{0};
    std::atomic_bool failed{false};
    std::exception_ptr failure;
    std::mutex failureMutex;
    auto worker = [&] {
        for (int i = next.fetch_add(1); i < count && !failed; i = next.fetch_add(1)) {
            try {
                task(i);
            } catch (...) {
                const std::lock_guard lock(failureMutex);
                if (!failure)
                    failure = std::current_exception();
                failed = true;
            }
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < std::min(threads, count); ++t)
        pool.emplace_back(worker);
    worker();
    for (std::thread& t : pool)
        t.join();
    if (failure)
        std::rethrow_exception(failure);
}

} // namespace routerlab
