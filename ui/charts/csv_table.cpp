#include "ui/charts/csv_table.h"

#include <cmath>

namespace routerlab {

namespace {

QString quoted(const QString& field) {
    if (!field.contains(QLatin1Char(',')) && !field.contains(QLatin1Char('"')) &&
        !field.contains(QLatin1Char('\n')))
        return field;
    QString out = field;
    out.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + out + QLatin1Char('"');
}

void appendLine(QString& out, const QStringList& fields) {
    for (int i = 0; i < fields.size(); ++i) {
        if (i > 0)
            out += QLatin1Char(',');
        out += quoted(fields[i]);
    }
    out += QLatin1Char('\n');
}

} // namespace

QString CsvTable::toText() const {
    QString out;
    appendLine(out, header_);
    for (const QStringList& row : rows_)
        appendLine(out, row);
    return out;
}

QString CsvTable::number(double value) {
    return std::isfinite(value) ? QString::number(value, 'g', 17) : QString();
}

} // namespace routerlab
