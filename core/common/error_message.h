#pragma once

#include <QString>

namespace routerlab {

// What to tell the user about the exception being handled, for `catch (...)` blocks that turn
// any failure into a message: an InputError's file, line and field, "not enough memory" for a
// failed allocation, what() for any other std::exception.
QString currentErrorMessage();

} // namespace routerlab
