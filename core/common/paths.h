#pragma once

#include <QString>

namespace routerlab {

// The folder with the sample dataset and pool. Looked up in order: $ROUTERLAB_SAMPLE_DIR,
// <prefix>/share/routerlab/sample_data beside an installed executable, then the source tree
// folder compiled into the build (passed as `buildTreeFallback`). Empty when none exists.
QString sampleDataDir(const QString& buildTreeFallback = {});

inline constexpr const char* kSampleDatasetFile = "sample.csv";
inline constexpr const char* kSamplePoolFile = "sample.pool.json";

} // namespace routerlab
