#include "ui/quiz/quiz_widgets.h"

#include <QColor>
#include <QCoreApplication>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <algorithm>
#include <cmath>

namespace routerlab::quiz_widgets {

QLabel* note(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QTableWidget* table(const QString& objectName, QWidget* parent) {
    auto* t = new QTableWidget(parent);
    t->setObjectName(objectName);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setAlternatingRowColors(true);
    t->setWordWrap(false);
    t->verticalHeader()->hide();
    return t;
}

QTableWidgetItem* item(const QString& text, Qt::Alignment alignment) {
    auto* cell = new QTableWidgetItem(text);
    cell->setTextAlignment(alignment | Qt::AlignVCenter);
    cell->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    return cell;
}

QTableWidgetItem* number(double value, int decimals) {
    return item(std::isnan(value) ? QStringLiteral("—") : QString::number(value, 'f', decimals),
                Qt::AlignRight);
}

// Green for likely, red for unlikely: a column of probabilities reads at a glance.
QTableWidgetItem* probability(double value) {
    QTableWidgetItem* cell = number(value, 2);
    if (!std::isnan(value))
        cell->setBackground(QColor::fromHsvF(0.33 * std::clamp(value, 0.0, 1.0), 0.28, 1.0));
    return cell;
}

QString prompts(int n) {
    return n == 1 ? QCoreApplication::translate("QuizWizard", "1 prompt")
                  : QCoreApplication::translate("QuizWizard", "%1 prompts").arg(n);
}

} // namespace routerlab::quiz_widgets
