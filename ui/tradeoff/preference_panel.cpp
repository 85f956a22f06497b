#include "ui/tradeoff/preference_panel.h"

#include "tradeoff/tradeoff_choice.h"
#include "ui/charts/chart_panel.h"
#include "ui/charts/interval_text.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QHeaderView>
#include <QHorizontalPercentBarSeries>
#include <QLabel>
#include <QSlider>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>
#include <cmath>

namespace routerlab {

namespace {

enum Column { RouterColumn, CostColumn, QualityColumn, P95Column, MixColumn, ColumnCount };

QString mixText(const std::vector<double>& share, const QStringList& models) {
    std::vector<int> order(share.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = static_cast<int>(i);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return share[a] > share[b]; });
    QStringList parts;
    for (const int k : order) {
        if (share[static_cast<std::size_t>(k)] < 0.005 || parts.size() == 3)
            break;
        parts << QStringLiteral("%1 %2%")
                     .arg(k < models.size() ? models[k] : QString::number(k))
                     .arg(qRound(share[static_cast<std::size_t>(k)] * 100));
    }
    return parts.join(QStringLiteral(", "));
}

QTableWidgetItem* cell(const QString& text, bool number = true) {
    auto* item = new QTableWidgetItem(text);
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

PreferencePanel::PreferencePanel(QWidget* parent)
    : QWidget(parent), cost_(new QSlider(Qt::Horizontal, this)),
      latency_(new QSlider(Qt::Horizontal, this)), weights_(new QLabel(this)),
      status_(new QLabel(this)), table_(new QTableWidget(0, ColumnCount, this)), mix_(new QChart),
      mixLegend_(new ChartLegend(mix_, this)) {
    cost_->setObjectName(QStringLiteral("costSlider"));
    cost_->setAccessibleName(tr("Quality and cost preference"));
    cost_->setRange(0, kSteps);
    cost_->setValue(30);
    cost_->setToolTip(tr("Left: only quality counts. Right: only cost counts."));
    latency_->setObjectName(QStringLiteral("latencySlider"));
    latency_->setAccessibleName(tr("Latency weight"));
    latency_->setRange(0, kSteps);
    latency_->setToolTip(tr("Weight of latency next to quality and cost."));
    status_->setWordWrap(true);
    table_->setObjectName(QStringLiteral("operatingPointTable"));
    table_->setAccessibleName(tr("Routers at this preference"));
    table_->setHorizontalHeaderLabels(
        {tr("Router"), tr("$ / 1k"), tr("Quality"), tr("p95 s"), tr("Model mix")});
    table_->horizontalHeaderItem(CostColumn)
        ->setToolTip(tr("Expected USD per 1,000 queries [95% interval]"));
    table_->horizontalHeaderItem(QualityColumn)
        ->setToolTip(tr("Mean quality [95% interval of the mean over the test prompts, or of "
                        "the sweep point]"));
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionMode(QAbstractItemView::NoSelection);

    mix_->setMargins(QMargins(2, 2, 2, 2));
    mix_->setTitle(tr("Model mix at this preference"));
    auto* mixView = new ChartView(mix_, this);
    mixView->setRenderHint(QPainter::Antialiasing);
    mixView->setMinimumHeight(200);

    auto* sliders = new QGridLayout;
    sliders->addWidget(new QLabel(tr("Quality"), this), 0, 0);
    sliders->addWidget(cost_, 0, 1);
    sliders->addWidget(new QLabel(tr("Cost"), this), 0, 2);
    sliders->addWidget(new QLabel(tr("Latency weight"), this), 1, 0);
    sliders->addWidget(latency_, 1, 1, 1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(sliders);
    layout->addWidget(weights_);
    layout->addWidget(table_, 2);
    layout->addWidget(mixView, 3);
    layout->addWidget(mixLegend_);
    layout->addWidget(status_);
    connect(cost_, &QSlider::valueChanged, this, &PreferencePanel::onSliderMoved);
    connect(latency_, &QSlider::valueChanged, this, &PreferencePanel::onSliderMoved);
    setPreference(preference());
    setAvailable(false, tr("Run an experiment: the slider then moves each router's operating "
                           "point."));
}

Preference PreferencePanel::preference() const {
    const double cost = static_cast<double>(cost_->value()) / kSteps;
    const double latency = static_cast<double>(latency_->value()) / kSteps;
    const double quality = static_cast<double>(kSteps - cost_->value()) / kSteps;
    return Preference{quality, cost, latency};
}

void PreferencePanel::setPreference(const Preference& preference) {
    const Preference w = preference;
    const double qc = w.quality + w.cost;
    {
        const QSignalBlocker blockCost(cost_);
        const QSignalBlocker blockLatency(latency_);
        cost_->setValue(qc > 0 ? qRound(w.cost / qc * kSteps) : 0);
        latency_->setValue(qRound(std::min(1.0, w.latency) * kSteps));
    }
    QString text = tr("Weights: %1").arg(preferenceText(this->preference()));
    if (runPreference_) {
        const Preference run = runPreference_->normalised();
        const Preference now = this->preference().normalised();
        if (std::abs(run.cost - now.cost) > 0.005 || std::abs(run.latency - now.latency) > 0.005)
            text += QLatin1Char('\n') + tr("The run (other pages): %1").arg(preferenceText(run));
    }
    weights_->setText(text);
}

void PreferencePanel::setRunPreference(const Preference& preference) {
    runPreference_ = preference;
    setPreference(this->preference());
}

void PreferencePanel::onSliderMoved() {
    setPreference(preference());
    emit preferenceChanged(preference());
}

void PreferencePanel::setAvailable(bool available, const QString& why) {
    cost_->setEnabled(available);
    latency_->setEnabled(available);
    status_->setText(why);
}

void PreferencePanel::showPoints(const OperatingPoints& points) {
    points_ = points;
    table_->setRowCount(static_cast<int>(points.routers.size()));
    for (int r = 0; r < static_cast<int>(points.routers.size()); ++r) {
        const RouterOperatingPoint& p = points.routers[static_cast<std::size_t>(r)];
        // "(sweep)" under the name: the dock is narrow.
        auto* name = cell(p.evaluated ? p.router : tr("%1\n(sweep)").arg(p.router), false);
        name->setToolTip(p.evaluated ? tr("Evaluated at this preference on the test prompts, "
                                          "without re-training.")
                                     : tr("Learns online from the run: shown at the nearest "
                                          "point of its sweep."));
        table_->setItem(r, RouterColumn, name);
        // The interval on a line of its own: the dock is narrow.
        const QString newline = QStringLiteral("\n");
        table_->setItem(r, CostColumn,
                        cell(withInterval(p.meanCostUsd, p.costCi, 'g', 3, 1000, newline)));
        table_->setItem(r, QualityColumn,
                        cell(withInterval(p.meanQuality, p.qualityCi, 'f', 3, 1.0, newline)));
        table_->setItem(
            r, P95Column,
            cell(p.evaluated ? QString::number(p.p95LatencyS, 'f', 2) : QStringLiteral("–")));
        table_->setItem(r, MixColumn, cell(mixText(p.share, models_), false));
    }
    for (int c = 0; c < MixColumn; ++c)
        table_->resizeColumnToContents(c);
    drawMix();
}

void PreferencePanel::drawMix() {
    QStringList routers;
    std::vector<const RouterOperatingPoint*> shown;
    for (const RouterOperatingPoint& p : points_.routers)
        if (!p.share.empty()) {
            routers << p.router;
            shown.push_back(&p);
        }
    const int models = shown.empty() ? 0 : static_cast<int>(shown.front()->share.size());
    mixRouters_ = routers;
    clearChart(mix_);
    auto* series = new QHorizontalPercentBarSeries(mix_);
    for (int k = 0; k < models; ++k) {
        auto* set = new QBarSet(k < models_.size() ? models_[k] : QString::number(k), series);
        set->setColor(routerColor(k + 3));
        for (const RouterOperatingPoint* p : shown)
            set->append(p->share[static_cast<std::size_t>(k)]);
        series->append(set);
    }
    mix_->addSeries(series);
    auto* axis = new QBarCategoryAxis(mix_);
    axis->append(routers);
    mix_->addAxis(axis, Qt::AlignLeft);
    series->attachAxis(axis);
    auto* share = new QValueAxis(mix_);
    share->setLabelFormat(QStringLiteral("%d%%"));
    mix_->addAxis(share, Qt::AlignBottom);
    series->attachAxis(share);
    // Three labels: five do not fit the dock's width and Qt would elide them.
    setNiceRange(share, 0, 100, 3);
    mixLegend_->refresh();
}

} // namespace routerlab
