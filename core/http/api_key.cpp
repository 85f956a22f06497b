#include "http/api_key.h"

#include <QFile>
#include <QFileDevice>
#include <algorithm>

namespace routerlab {

ApiKey readApiKey(const QString& variableName) {
    ApiKey key;
    if (variableName.isEmpty())
        return key;
    const QByteArray name = variableName.toLocal8Bit();
    key.value = qgetenv(name.constData()).trimmed();
    if (!key.value.isEmpty())
        return key;
    const QString file = qEnvironmentVariable((name + "_FILE").constData());
    if (file.isEmpty()) {
        key.error =
            QStringLiteral("the API key variable %1 is not set (nor %1_FILE)").arg(variableName);
        return key;
    }
    QFile f(file);
    const QFileDevice::Permissions open = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                          QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                          QFileDevice::WriteOther | QFileDevice::ExeOther;
    if (!f.exists()) {
        key.error = QStringLiteral("%1_FILE: key file '%2' does not exist").arg(variableName, file);
    } else if (f.permissions() & open) {
        key.error = QStringLiteral("%1_FILE: key file '%2' is readable by others; chmod 600 it")
                        .arg(variableName, file);
    } else if (!f.open(QIODevice::ReadOnly)) {
        key.error = QStringLiteral("%1_FILE: cannot read key file '%2': %3")
                        .arg(variableName, file, f.errorString());
    } else {
        key.value = f.read(64 * 1024).trimmed();
        if (key.value.isEmpty())
            key.error = QStringLiteral("%1_FILE: key file '%2' is empty").arg(variableName, file);
    }
    return key;
}

QString redactKey(const QString& text, const QByteArray& key) {
    if (key.isEmpty())
        return text;
    QString out = text;
    const QString whole = QString::fromUtf8(key);
    // Longest prefixes first, so an echo of 10 characters goes whole, not as 8 plus 2.
    for (qsizetype n = whole.size(); n >= std::min<qsizetype>(8, whole.size()); --n)
        out.replace(whole.left(n), QStringLiteral("[redacted]"));
    return out;
}

} // namespace routerlab
