#pragma once

#include <QFile>
#include <QString>
#include <string>
#include <string_view>
#include <vector>

namespace routerlab {

// "64 MiB", or "1000 bytes" for a limit that is not a whole number of MiB.
QString describeRecordLimit(qint64 bytes);

// A streaming RFC 4180 reader: comma-separated, fields optionally quoted with "" as the
// escaped quote, newlines allowed inside quotes, CRLF or LF. It reads the file in chunks, so
// memory stays bounded by the longest record, and a record longer than the limit (a file
// with no line ends, say) is refused instead of swallowed. Every problem is an InputError
// that names the file, the line where the record starts and the field.
class CsvReader {
public:
    CsvReader(const QString& path, qint64 maxRecordBytes);

    // Advances to the next non-blank record; false at end of file.
    bool next();
    // The current record's fields; valid until the next call to next().
    const std::vector<std::string_view>& fields() const { return fields_; }
    qint64 line() const { return recordLine_; }
    const QString& path() const { return path_; }
    qint64 bytesConsumed() const { return consumedBefore_ + static_cast<qint64>(pos_); }
    qint64 fileSize() const { return fileSize_; }

    // Names used in messages; once set, every later record must have this many fields.
    void setHeader(const std::vector<std::string>& names);
    // Reads the first record as the header and sets it; InputError when the file has none.
    const std::vector<std::string>& readHeader();
    const std::vector<std::string>& header() const { return header_; }
    QString fieldName(int index) const;

private:
    bool findRecordEnd(std::size_t& end);
    void readMore();
    void splitRecord(std::size_t begin, std::size_t end);
    [[noreturn]] void fail(int field, const QString& message) const;

    QString path_;
    QFile file_;
    qint64 maxRecordBytes_;
    qint64 fileSize_ = 0;
    std::string buffer_;
    std::size_t pos_ = 0;    // start of the unread data
    std::size_t filled_ = 0; // end of valid data in buffer_
    qint64 consumedBefore_ = 0;
    bool eof_ = false;
    bool atStart_ = true;
    // Scan state of the record being looked for, kept across refills.
    std::size_t scanPos_ = 0;
    bool inQuotes_ = false;
    qint64 newlinesInRecord_ = 0;
    int separatorsInRecord_ = 0;

    qint64 nextLine_ = 1;
    qint64 recordLine_ = 0;
    std::vector<std::string_view> fields_;
    std::vector<std::string> header_;
};

} // namespace routerlab
