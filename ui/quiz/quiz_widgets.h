#pragma once

#include <QString>
#include <Qt>

class QLabel;
class QTableWidget;
class QTableWidgetItem;
class QWidget;

namespace routerlab::quiz_widgets {

// The small widgets and table cells the wizard's pages share, so that they read alike.
QLabel* note(const QString& text, QWidget* parent);
QTableWidget* table(const QString& objectName, QWidget* parent);
QTableWidgetItem* item(const QString& text, Qt::Alignment alignment = Qt::AlignLeft);
QTableWidgetItem* number(double value, int decimals);
QTableWidgetItem* probability(double value);
QString prompts(int n); // "1 prompt", "5 prompts"

} // namespace routerlab::quiz_widgets
