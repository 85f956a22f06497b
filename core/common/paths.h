#pragma once

#include <QString>

namespace routerlab {

// The folder with the sample dataset and pool. Looked up in order: $ROUTERLAB_SAMPLE_DIR, the
// installed copy beside the executable (<prefix>/share/routerlab/sample_data for
// <prefix>/bin), then the source tree folder compiled into the build (`buildTreeFallback`).
// The last counts only while the executable runs from `buildBinDir` (when given), so an
// installed copy never reads the source tree it was built from. Empty when none exists.
QString sampleDataDir(const QString& buildTreeFallback = {}, const QString& buildBinDir = {});

inline constexpr const char* kSampleDatasetFile = "sample.csv";
inline constexpr const char* kSamplePoolFile = "sample.pool.json";

} // namespace routerlab
