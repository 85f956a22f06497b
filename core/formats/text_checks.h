#pragma once

#include <QString>
#include <cstddef>
#include <string_view>

namespace routerlab {

// Offset of the first byte that breaks UTF-8, or npos when the text is valid.
std::size_t firstInvalidUtf8(std::string_view text);

// Values that mean "nothing recorded" in the formats we read: empty, NA, NaN, null, None.
bool isMissingValue(std::string_view text);

// Result of reading a number from a text cell.
enum class NumberStatus { Ok, Missing, Invalid };
NumberStatus parseNumber(std::string_view text, double& value);

std::string_view trimmed(std::string_view text);
inline QString toQString(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

} // namespace routerlab
