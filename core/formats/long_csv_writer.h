#pragma once

#include "data/dataset.h"

#include <QString>

namespace routerlab {

// Writes RouterLab's native long CSV: one row per prompt and model, with the header
// prompt_id,prompt,category,model,quality,input_tokens,output_tokens,latency_s, then cost_usd,
// response and reference when the dataset has any. Missing cells are skipped. Atomic.
void writeLongCsv(const Dataset& dataset, const QString& path);

} // namespace routerlab
