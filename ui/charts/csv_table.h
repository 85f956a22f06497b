#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace routerlab {

// The data behind a chart as RFC 4180 CSV: a header row, then rows of text or numbers.
class CsvTable {
public:
    explicit CsvTable(QStringList header) : header_(std::move(header)) {}

    void addRow(QStringList row) { rows_.push_back(std::move(row)); }
    int rowCount() const { return static_cast<int>(rows_.size()); }
    QString toText() const;

    // Numbers with every significant digit, so a re-plot from the CSV is exact.
    static QString number(double value);

private:
    QStringList header_;
    QList<QStringList> rows_;
};

} // namespace routerlab
