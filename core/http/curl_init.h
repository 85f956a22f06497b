#pragma once

// Internal to core/http: the one place libcurl's global state is set up.

#include <curl/curl.h>
#include <mutex>

namespace routerlab {

// curl_global_init is not thread-safe; every client calls this before its first transfer.
inline void initialiseCurlOnce() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

} // namespace routerlab
