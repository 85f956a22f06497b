#include "common/error_message.h"

#include <exception>
#include <new>

namespace routerlab {

QString currentErrorMessage() {
    try {
        throw;
    } catch (const std::bad_alloc&) {
        return QStringLiteral("not enough memory for this input");
    } catch (const std::exception& e) {
        // An InputError's what() is its full text: file, line, field and message.
        return QString::fromUtf8(e.what());
    } catch (...) {
        return QStringLiteral("unexpected error");
    }
}

} // namespace routerlab
