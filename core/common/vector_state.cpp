#include "common/vector_state.h"

namespace routerlab {

void clearUpperVectorState() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    // Out of line, so no caller keeps a vector value live across it; every XMM register is
    // caller-saved in the x86-64 ABI.
    static const bool hasAvx = __builtin_cpu_supports("avx");
    if (hasAvx)
        __asm__ volatile("vzeroupper" ::: "memory");
#endif
}

} // namespace routerlab
