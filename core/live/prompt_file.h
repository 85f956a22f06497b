#pragma once

#include "data/dataset.h"
#include "data/model_pool.h"

#include <QString>

namespace routerlab {

// A dataset for live runs from prompts alone: JSON Lines with "prompt" (and optional "id",
// "reference", "category"), or plain text with one prompt per line. Every pool model is a
// column; nothing is recorded, so costs and latencies are the pool's estimates (input tokens
// from the text, 128 output tokens) and quality is missing: run it with the "failure"
// missing-cell policy. Throws InputError naming the file and line.
Dataset loadPromptFile(const QString& path, const ModelPool& pool);

} // namespace routerlab
