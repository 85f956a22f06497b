#pragma once

#include <QString>
#include <stdexcept>

namespace routerlab {

// A problem in a file the user gave us. It names the file, the 1-based line (0 when the
// problem is not tied to a line) and the field, so the message can point at the fix.
class InputError : public std::runtime_error {
public:
    InputError(QString file, qint64 line, QString field, QString message);

    const QString& file() const { return file_; }
    qint64 line() const { return line_; }
    const QString& field() const { return field_; }
    const QString& message() const { return message_; }
    // "file:line: field 'quality': value 1.5 is outside 0..1"
    QString text() const;

private:
    QString file_;
    qint64 line_;
    QString field_;
    QString message_;
};

} // namespace routerlab
