#pragma once

#include "stats/bootstrap.h"

#include <QString>
#include <cstdint>
#include <functional>
#include <vector>

namespace routerlab {

// One quiz's figures owe much to the prompts it happened to draw. With recorded answers a quiz
// costs milliseconds, so each budget is asked again with other draws of its prompts (the same
// study, other seeds) and reported as the mean over the draws with a 95% interval.
struct QuizDrawOptions {
    int draws = 1;   // quizzes per budget; more than one only for a model with records
    int threads = 1; // worker threads for the draws (the study is only read)
    BootstrapOptions bootstrap;
};

// The seed of draw `draw` (0-based): the first draw is the quiz of `seed` itself.
std::uint64_t quizDrawSeed(std::uint64_t seed, int draw);

// The 95% interval of the mean over the draws' values (meanInterval: a percentile bootstrap
// over them); invalid for fewer than two values or when any is NaN (a recovery with no gain to
// recover).
Interval drawInterval(const std::vector<double>& values, const BootstrapOptions& options);

// "53% [41%, 66%]": a fraction as a whole percentage with its interval when it has one; "n/a"
// for NaN. The quiz command and the wizard print recoveries alike.
QString percentWithInterval(double fraction, const Interval& interval);
// "2.41 [1.80, 3.02]": the same for a plain figure, with two decimals.
QString numberWithInterval(double value, const Interval& interval);

// Runs task(i) for every i in [0, count) on up to `threads` threads, this one among them. Once
// a task throws no new one starts; the first exception is rethrown after all have stopped.
void runQuizTasks(int count, int threads, const std::function<void(int task)>& task);

} // namespace routerlab
