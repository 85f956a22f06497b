#include "ui/charts/paired_comparison_view.h"

#include "ui/charts/interval_text.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

namespace routerlab {

namespace {

struct Figure {
    const char* field;
    const char* label;
    double scale;
    int digits;
};
constexpr Figure kFigures[] = {{"mean_reward", "Reward", 1.0, 3},
                               {"mean_quality", "Quality", 1.0, 3},
                               {"mean_cost_usd", "USD / 1k queries", 1000.0, 3},
                               {"mean_latency_s", "Latency s", 1.0, 3},
                               {"regret", "Regret", 1.0, 3}};

// The result's test of (a, b), or of (b, a) turned round: A − B either way.
QJsonObject metricsOf(const QJsonObject& simulate, const QString& a, const QString& b) {
    for (const QJsonValue& v : simulate.value(QStringLiteral("pairs")).toArray()) {
        const QJsonObject pair = v.toObject();
        const QString first = pair.value(QStringLiteral("a")).toString();
        const QString second = pair.value(QStringLiteral("b")).toString();
        if (first == a && second == b)
            return pair.value(QStringLiteral("metrics")).toObject();
        if (first != b || second != a)
            continue;
        QJsonObject turned;
        const QJsonObject metrics = pair.value(QStringLiteral("metrics")).toObject();
        for (auto it = metrics.begin(); it != metrics.end(); ++it) {
            QJsonObject m = it.value().toObject();
            const QJsonArray ci = m.value(QStringLiteral("ci95")).toArray();
            m.insert(QStringLiteral("difference"),
                     -m.value(QStringLiteral("difference")).toDouble());
            if (ci.size() == 2)
                m.insert(QStringLiteral("ci95"), QJsonArray{-ci[1].toDouble(), -ci[0].toDouble()});
            turned.insert(it.key(), m);
        }
        return turned;
    }
    return {};
}

} // namespace

PairedComparisonView::PairedComparisonView(QWidget* parent)
    : QWidget(parent), first_(new QComboBox(this)), second_(new QComboBox(this)),
      caption_(new QLabel(this)), table_(new QTableWidget(0, 3, this)) {
    first_->setAccessibleName(tr("First router of the paired test"));
    second_->setAccessibleName(tr("Second router of the paired test"));
    table_->setObjectName(QStringLiteral("pairedTestTable"));
    table_->setHorizontalHeaderLabels({tr("Figure"), tr("A − B [95% interval]"), tr("p-value")});
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    caption_->setWordWrap(true);
    auto* pick = new QHBoxLayout;
    pick->addWidget(new QLabel(tr("Paired test:"), this));
    pick->addWidget(first_, 1);
    pick->addWidget(new QLabel(tr("minus"), this));
    pick->addWidget(second_, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(pick);
    layout->addWidget(table_);
    layout->addWidget(caption_);
    connect(first_, &QComboBox::currentIndexChanged, this, &PairedComparisonView::showPair);
    connect(second_, &QComboBox::currentIndexChanged, this, &PairedComparisonView::showPair);
    setVisible(false);
}

void PairedComparisonView::setResult(const QJsonObject& simulate) {
    simulate_ = simulate;
    QStringList names;
    for (const QJsonValue& v : simulate.value(QStringLiteral("pairs")).toArray())
        for (const char* side : {"a", "b"}) {
            const QString name = v.toObject().value(QLatin1String(side)).toString();
            if (!names.contains(name))
                names << name;
        }
    const QString a = first_->currentText(), b = second_->currentText();
    const QSignalBlocker blockFirst(first_), blockSecond(second_);
    first_->clear();
    second_->clear();
    first_->addItems(names);
    second_->addItems(names);
    setVisible(names.size() >= 2);
    if (names.size() < 2)
        return;
    // Keep the user's pair across updates of a streaming run; else the best reward against
    // its runner-up; else the first two routers.
    const QJsonObject lead = simulate.value(QStringLiteral("leaders"))
                                 .toObject()
                                 .value(QStringLiteral("mean_reward"))
                                 .toObject();
    if (!choose(a, b) && !choose(lead.value(QStringLiteral("router")).toString(),
                                 lead.value(QStringLiteral("runner_up")).toString())) {
        first_->setCurrentIndex(0);
        second_->setCurrentIndex(1);
    }
    showPair();
}

bool PairedComparisonView::choose(const QString& a, const QString& b) {
    const int i = first_->findText(a), j = second_->findText(b);
    if (i < 0 || j < 0)
        return false;
    first_->setCurrentIndex(i);
    second_->setCurrentIndex(j);
    showPair();
    return true;
}

void PairedComparisonView::showPair() {
    const QString a = first_->currentText(), b = second_->currentText();
    const QJsonObject metrics = a == b ? QJsonObject{} : metricsOf(simulate_, a, b);
    table_->setRowCount(0);
    if (metrics.isEmpty()) {
        caption_->setText(a == b ? tr("Pick two different routers.") : QString());
        return;
    }
    for (const Figure& f : kFigures) {
        const QJsonObject m = metrics.value(QLatin1String(f.field)).toObject();
        const double p = m.value(QStringLiteral("p_value")).toDouble(NAN);
        const int row = table_->rowCount();
        table_->insertRow(row);
        table_->setItem(row, 0, new QTableWidgetItem(tr(f.label)));
        auto* difference = new QTableWidgetItem(
            withInterval(m.value(QStringLiteral("difference")).toDouble(NAN),
                         intervalFrom(m.value(QStringLiteral("ci95"))), 'g', f.digits, f.scale));
        difference->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        auto* pValue = new QTableWidgetItem(!std::isfinite(p) ? QStringLiteral("–")
                                            : p < 0.001       ? QStringLiteral("< 0.001")
                                                              : QString::number(p, 'g', 2));
        if (std::isfinite(p) && p < 0.05) {
            QFont bold = difference->font();
            bold.setBold(true);
            difference->setFont(bold);
            pValue->setFont(bold);
        }
        table_->setItem(row, 1, difference);
        table_->setItem(row, 2, pValue);
    }
    caption_->setText(tr("Both routers resampled with the same prompts and seeds (paired "
                         "bootstrap); bold: significant at the 5% level."));
}

} // namespace routerlab
