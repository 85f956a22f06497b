#pragma once

#if defined(__SSE__) || defined(_M_X64)
#include <xmmintrin.h>
#define ROUTERLAB_HAS_MXCSR 1
#endif

namespace routerlab {

// Within its scope, on this thread, subnormal floats (below about 1e-38) read and result as
// zero. Trained attention maps keep weights that have decayed to around 1e-20; products of
// two of them are subnormal, and each such operation takes a slow microcode path on x86: the
// set policy spent three fifths of a routing decision on them. What they add is far below
// float precision of the sums they join, so routing is unchanged. Elsewhere a no-op.
class SubnormalFlush {
public:
    SubnormalFlush() {
#ifdef ROUTERLAB_HAS_MXCSR
        saved_ = _mm_getcsr();
        _mm_setcsr(saved_ | kFlushToZero | kSubnormalsAreZero);
#endif
    }
    ~SubnormalFlush() {
#ifdef ROUTERLAB_HAS_MXCSR
        _mm_setcsr(saved_);
#endif
    }
    SubnormalFlush(const SubnormalFlush&) = delete;
    SubnormalFlush& operator=(const SubnormalFlush&) = delete;

private:
#ifdef ROUTERLAB_HAS_MXCSR
    static constexpr unsigned kFlushToZero = 0x8000;
    static constexpr unsigned kSubnormalsAreZero = 0x0040;
    unsigned saved_ = 0;
#endif
};

} // namespace routerlab
