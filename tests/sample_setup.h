#pragma once

// The repository's sample data with its pool, set up as the quiz tests judge quizzes: a linear
// reward and a 70/30 random split (the quiz asks training prompts and is judged on the rest).
#include "formats/dataset_loader.h"
#include "sim/simulation.h"

#include <QDir>
#include <memory>

namespace routerlab::testing {

inline PricedDataset loadSampleWithPool() {
    const QDir dir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
    return loadPricedDataset({dir.filePath(QStringLiteral("sample.csv"))},
                             dir.filePath(QStringLiteral("sample.pool.json")));
}

inline std::unique_ptr<SimulationSetup> quizSetup(const PricedDataset& data) {
    SimulationOptions options;
    options.reward = RewardKind::Linear;
    options.split = SplitRule::parse(QStringLiteral("random:0.7"));
    return std::make_unique<SimulationSetup>(data.dataset, data.pool, options);
}

} // namespace routerlab::testing
