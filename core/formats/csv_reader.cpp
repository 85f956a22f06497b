#include "formats/csv_reader.h"

#include "common/input_error.h"
#include "formats/text_checks.h"

#include <algorithm>
#include <cstring>

namespace routerlab {

namespace {
constexpr std::size_t kChunkBytes = std::size_t(1) << 20;
}

QString describeRecordLimit(qint64 bytes) {
    if (bytes >= (1 << 20) && bytes % (1 << 20) == 0)
        return QStringLiteral("%1 MiB").arg(bytes >> 20);
    return QStringLiteral("%1 bytes").arg(bytes);
}

CsvReader::CsvReader(const QString& path, qint64 maxRecordBytes)
    : path_(path), file_(path), maxRecordBytes_(maxRecordBytes) {
    if (!file_.open(QIODevice::ReadOnly))
        throw InputError(path, 0, {}, QStringLiteral("cannot open: %1").arg(file_.errorString()));
    fileSize_ = file_.size();
    if (fileSize_ == 0)
        throw InputError(path, 0, {}, QStringLiteral("file is empty"));
    // Small files get a small buffer: many are read (fuzzing, folders of small files).
    buffer_.resize(static_cast<std::size_t>(std::min<qint64>(fileSize_ + 64, kChunkBytes)));
}

void CsvReader::setHeader(const std::vector<std::string>& names) {
    header_ = names;
}

const std::vector<std::string>& CsvReader::readHeader() {
    if (!next())
        throw InputError(path_, 0, {}, QStringLiteral("file is empty"));
    setHeader(std::vector<std::string>(fields_.begin(), fields_.end()));
    return header_;
}

QString CsvReader::fieldName(int index) const {
    if (index >= 0 && index < static_cast<int>(header_.size()) && !header_[index].empty())
        return QString::fromStdString(header_[index]);
    return QStringLiteral("column %1").arg(index + 1);
}

void CsvReader::fail(int field, const QString& message) const {
    throw InputError(path_, recordLine_, field >= 0 ? fieldName(field) : QString(), message);
}

void CsvReader::readMore() {
    // Keep the unread tail, drop what was consumed, grow only for a record longer than a chunk.
    if (pos_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + pos_, filled_ - pos_);
        consumedBefore_ += static_cast<qint64>(pos_);
        filled_ -= pos_;
        scanPos_ -= pos_;
        pos_ = 0;
    }
    if (buffer_.size() - filled_ < std::min(buffer_.size(), kChunkBytes) / 2) {
        // A record never needs more than the limit plus one chunk; do not double past that.
        const std::size_t cap = static_cast<std::size_t>(maxRecordBytes_) + kChunkBytes;
        buffer_.resize(std::max(std::min(buffer_.size() * 2, cap), buffer_.size() + kChunkBytes));
    }
    const qint64 got =
        file_.read(buffer_.data() + filled_, static_cast<qint64>(buffer_.size() - filled_));
    if (got < 0)
        throw InputError(path_, nextLine_, {},
                         QStringLiteral("read error: %1").arg(file_.errorString()));
    if (got == 0)
        eof_ = true;
    filled_ += static_cast<std::size_t>(got);
    if (atStart_ && filled_ >= 3 && std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0)
        pos_ = scanPos_ = 3; // a UTF-8 byte-order mark is not part of the first field
    if (atStart_ && (filled_ >= 3 || eof_))
        atStart_ = false;
}

// Finds the newline that ends the record starting at pos_, reading more as needed.
// Quotes toggle the state: an escaped quote ("") toggles twice, so it needs no special case.
// The scan stops one byte past the limit, so a long record is refused whether or not its
// line end is already in the buffer.
bool CsvReader::findRecordEnd(std::size_t& end) {
    for (;;) {
        const char* data = buffer_.data();
        std::size_t i = scanPos_;
        const std::size_t stop =
            std::min(filled_, pos_ + static_cast<std::size_t>(maxRecordBytes_) + 1);
        while (i < stop) {
            const char c = data[i];
            if (c == '"') {
                inQuotes_ = !inQuotes_;
            } else if (c == '\n') {
                if (!inQuotes_) {
                    end = i;
                    scanPos_ = i;
                    return true;
                }
                ++newlinesInRecord_;
            } else if (c == ',' && !inQuotes_) {
                ++separatorsInRecord_;
            }
            ++i;
        }
        scanPos_ = i;
        if (static_cast<qint64>(scanPos_ - pos_) > maxRecordBytes_)
            fail(separatorsInRecord_,
                 QStringLiteral("record is longer than %1, the limit for one record; is this "
                                "a CSV file?")
                     .arg(describeRecordLimit(maxRecordBytes_)));
        if (eof_) {
            end = filled_;
            return filled_ > pos_;
        }
        readMore();
    }
}

bool CsvReader::next() {
    for (;;) {
        if (pos_ == 0 && filled_ == 0 && !eof_)
            readMore();
        scanPos_ = pos_;
        inQuotes_ = false;
        newlinesInRecord_ = 0;
        separatorsInRecord_ = 0;
        recordLine_ = nextLine_;
        std::size_t end = 0;
        if (!findRecordEnd(end))
            return false;
        const std::size_t begin = pos_;
        const bool endsWithNewline = end < filled_;
        nextLine_ += newlinesInRecord_ + (endsWithNewline ? 1 : 0);
        pos_ = endsWithNewline ? end + 1 : end;
        std::size_t stop = end;
        if (stop > begin && buffer_[stop - 1] == '\r')
            --stop;
        if (stop == begin)
            continue; // blank line
        splitRecord(begin, stop);
        return true;
    }
}

void CsvReader::splitRecord(std::size_t begin, std::size_t end) {
    fields_.clear();
    char* data = buffer_.data();
    std::size_t p = begin;
    for (;;) {
        const int field = static_cast<int>(fields_.size());
        std::size_t start, stop;
        if (p < end && data[p] == '"') {
            ++p;
            start = p;
            std::size_t out = p; // unescape in place: the text only shrinks
            for (;;) {
                if (p >= end)
                    fail(field, QStringLiteral("quoted field is never closed"));
                const char c = data[p];
                if (c == '"') {
                    if (p + 1 < end && data[p + 1] == '"') {
                        data[out++] = '"';
                        p += 2;
                        continue;
                    }
                    ++p;
                    break;
                }
                data[out++] = c;
                ++p;
            }
            stop = out;
            if (p < end && data[p] != ',')
                fail(field, QStringLiteral("unexpected text after a closing quote"));
        } else {
            start = p;
            while (p < end && data[p] != ',') {
                if (data[p] == '"')
                    fail(field, QStringLiteral("a quote inside an unquoted field (quote the whole "
                                               "field and double inner quotes)"));
                ++p;
            }
            stop = p;
        }
        const std::string_view value(data + start, stop - start);
        const std::size_t bad = firstInvalidUtf8(value);
        if (bad != std::string_view::npos)
            fail(field,
                 QStringLiteral("text is not valid UTF-8 (byte %1 of the field)").arg(bad + 1));
        fields_.push_back(value);
        if (p >= end)
            break;
        ++p; // the comma
    }
    if (!header_.empty() && fields_.size() != header_.size()) {
        const int n = static_cast<int>(fields_.size());
        const int want = static_cast<int>(header_.size());
        // Name the first missing column, or the first extra one.
        fail(std::min(n, want),
             QStringLiteral("expected %1 fields as in the header, found %2").arg(want).arg(n));
    }
}

} // namespace routerlab
