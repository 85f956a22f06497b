#pragma once

#include <QString>

namespace routerlab {

// "0.1.0" or "0.1.0 (commit 1a2b3c4d5e6f)" when built from a git checkout.
QString versionString();

} // namespace routerlab
