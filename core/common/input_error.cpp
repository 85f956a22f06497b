#include "common/input_error.h"

namespace routerlab {

namespace {
QString compose(const QString& file, qint64 line, const QString& field, const QString& message) {
    QString text = file;
    if (line > 0)
        text += QStringLiteral(":%1").arg(line);
    text += QStringLiteral(": ");
    if (!field.isEmpty())
        text += QStringLiteral("field '%1': ").arg(field);
    return text + message;
}
} // namespace

InputError::InputError(QString file, qint64 line, QString field, QString message)
    : std::runtime_error(compose(file, line, field, message).toStdString()), file_(std::move(file)),
      line_(line), field_(std::move(field)), message_(std::move(message)) {}

QString InputError::text() const {
    return QString::fromStdString(what());
}

} // namespace routerlab
