#pragma once

namespace routerlab {

// Some library code leaves the upper halves of the AVX registers in use: Qt's string hash,
// when it takes its AES path, returns without clearing them. Until something does, each of
// our SSE instructions that writes a register waits on that register's upper half, and on
// AVX-512 server CPUs the IRT fit ran six times slower inside the CLI (after one QHash
// insert) than alone. Arithmetic loops call this once per batch or step: it clears the state
// where the CPU has AVX, changes no value, and does nothing elsewhere.
void clearUpperVectorState();

} // namespace routerlab
