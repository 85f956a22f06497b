#include "common/input_error.h"
#include "data/model_pool.h"

#include <QByteArray>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray json(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    try {
        const routerlab::ModelPool pool =
            routerlab::ModelPool::fromJson(json, QStringLiteral("fuzz"));
        // A pool that loads must survive its own round trip.
        if (routerlab::ModelPool::fromJson(pool.toJson(), QStringLiteral("fuzz")) != pool)
            __builtin_trap();
    } catch (const routerlab::InputError&) {
    }
    return 0;
}
