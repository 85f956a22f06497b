#include "ui/experiment/runs_panel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <map>

namespace routerlab {

namespace {

QString signedNumber(double value, int significant) {
    return (value > 0 ? QStringLiteral("+") : QString()) + QString::number(value, 'g', significant);
}

QTableWidget* makeTable(QWidget* parent, const QString& name) {
    auto* table = new QTableWidget(parent);
    table->setObjectName(name);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setTextElideMode(Qt::ElideMiddle);
    table->setWordWrap(false);
    table->verticalHeader()->hide();
    table->setAlternatingRowColors(true);
    return table;
}

QTableWidgetItem* textItem(const QString& text, const QString& toolTip = {}) {
    auto* item = new QTableWidgetItem(text);
    item->setToolTip(toolTip.isEmpty() ? text : toolTip);
    return item;
}

QString intervalNote() {
    return RunsPanel::tr(
        "The interval of a difference combines the two runs' 95% intervals as independent "
        "estimates (each side's distance from its estimate, in quadrature: the normal "
        "approximation). Runs over the same prompts are positively correlated, so the "
        "interval is wider than a paired one would be: a difference it excludes zero from is "
        "not chance. Without intervals in both results the difference shows alone.");
}

const ComparedMetric* metricOf(const QString& key) {
    for (const ComparedMetric& m : comparedMetrics())
        if (m.key == key)
            return &m;
    return nullptr;
}

// A difference's cell: "+0.012 [-0.003, +0.027]", bold when the interval leaves out zero.
QTableWidgetItem* differenceItem(const MetricDifference& d, const RunComparison& c) {
    const ComparedMetric* m = metricOf(d.metric);
    const double scale = m ? m->scale : 1.0;
    const int digits = m ? m->significant : 3;
    // Sums over different seed counts round differently: a difference at the last bits of
    // the figures is no difference.
    const double noise = 1e-9 * std::max(std::abs(d.baseline), std::abs(d.other));
    QString text =
        signedNumber(std::abs(d.difference) <= noise ? 0.0 : d.difference * scale, digits);
    const QString pair = QStringLiteral("%1 − %2").arg(c.labels.value(d.run), c.labels.value(0));
    QString tip = RunsPanel::tr("%1: %2 = %3, %4 = %5, %6 = %7")
                      .arg(m ? m->label : d.metric, c.labels.value(d.run),
                           QString::number(d.other * scale, 'g', 6), c.labels.value(0),
                           QString::number(d.baseline * scale, 'g', 6), pair,
                           QString::number(d.difference * scale, 'g', 6));
    auto* item = new QTableWidgetItem;
    if (d.interval.valid()) {
        text += QStringLiteral(" [%1, %2]")
                    .arg(signedNumber(d.interval.low * scale, digits),
                         signedNumber(d.interval.high * scale, digits));
        tip += QStringLiteral("\n") + intervalNote();
        if (d.interval.low > 0 || d.interval.high < 0) {
            QFont bold = item->font();
            bold.setBold(true);
            item->setFont(bold);
        }
    } else {
        tip += RunsPanel::tr("\nNo interval: a result without %1_ci95 (bootstrap off, or an "
                             "older file).")
                   .arg(d.metric);
    }
    item->setText(text);
    item->setToolTip(tip);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

RunsPanel::RunsPanel(QWidget* parent)
    : ChartPanel(tr("Runs"), QStringLiteral("runs"), parent),
      showAll_(new QCheckBox(tr("Show fields that agree"), this)),
      configuration_(makeTable(canvas(), QStringLiteral("runsConfiguration"))),
      differencesHeading_(new QLabel(canvas())),
      differences_(makeTable(canvas(), QStringLiteral("runsDifferences"))) {
    configuration_->setAccessibleName(tr("Configuration of the runs"));
    differences_->setAccessibleName(tr("Metric differences between the runs"));
    showAll_->setToolTip(tr("Off: only the configuration fields whose values differ between "
                            "the runs"));
    connect(showAll_, &QCheckBox::toggled, this, &RunsPanel::fillConfiguration);
    controls()->insertWidget(1, showAll_);
    auto* configurationHeading = new QLabel(tr("<b>Configuration</b>"), canvas());
    canvasLayout()->addWidget(configurationHeading);
    canvasLayout()->addWidget(configuration_, 2);
    differencesHeading_->setWordWrap(true);
    differencesHeading_->setToolTip(intervalNote());
    canvasLayout()->addWidget(differencesHeading_);
    canvasLayout()->addWidget(differences_, 3);
    setNote(tr("Choose Experiment ▸ Compare Runs… to set stored runs side by side."));
    fillConfiguration();
    fillDifferences();
}

void RunsPanel::setResults(std::shared_ptr<const ExperimentResults> results) {
    if (results->comparison)
        comparison_ = *results->comparison;
    else if (!results->isEmpty())
        comparison_ = compareRuns({{runLabel(0), results->title, results}});
    else
        comparison_ = {};
    QStringList legend;
    for (int i = 0; i < comparison_.labels.size(); ++i)
        legend << QStringLiteral("%1 = %2").arg(comparison_.labels[i], comparison_.titles[i]);
    if (comparison_.labels.size() > 1)
        setNote(tr("%1. Differences are each run's figure minus A's.")
                    .arg(legend.join(QStringLiteral(", "))));
    else if (comparison_.labels.size() == 1)
        setNote(tr("The configuration of %1. Choose Experiment ▸ Compare Runs… to set it "
                   "beside other runs.")
                    .arg(comparison_.titles.first()));
    else
        setNote(tr("Choose Experiment ▸ Compare Runs… to set stored runs side by side."));
    showAll_->setEnabled(comparison_.labels.size() > 1);
    fillConfiguration();
    fillDifferences();
}

void RunsPanel::fillConfiguration() {
    const bool several = comparison_.labels.size() > 1;
    const bool all = !several || showAll_->isChecked();
    configuration_->clear();
    configuration_->setColumnCount(1 + static_cast<int>(comparison_.labels.size()));
    QStringList header{tr("Field")};
    header << comparison_.labels;
    configuration_->setHorizontalHeaderLabels(header);
    for (int i = 0; i < comparison_.titles.size(); ++i)
        configuration_->horizontalHeaderItem(i + 1)->setToolTip(comparison_.titles[i]);
    configuration_->setRowCount(0);
    const QColor differs(255, 236, 179);
    for (const ConfigurationRow& row : comparison_.configuration) {
        if (!all && !row.differs)
            continue;
        const int r = configuration_->rowCount();
        configuration_->insertRow(r);
        configuration_->setItem(r, 0, textItem(row.field));
        for (int i = 0; i < row.values.size(); ++i) {
            QTableWidgetItem* item = textItem(row.values[i]);
            if (row.values[i] == notRecordedText())
                item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
            configuration_->setItem(r, i + 1, item);
        }
        if (several && row.differs && all)
            for (int c = 0; c < configuration_->columnCount(); ++c)
                configuration_->item(r, c)->setBackground(differs);
    }
    configuration_->resizeColumnsToContents();
    QHeaderView* columns = configuration_->horizontalHeader();
    columns->setSectionResizeMode(QHeaderView::Interactive);
    for (int c = 1; c < configuration_->columnCount(); ++c)
        columns->setSectionResizeMode(c, QHeaderView::Stretch);
    if (several && !all && configuration_->rowCount() == 0) {
        configuration_->insertRow(0);
        configuration_->setItem(0, 0, textItem(tr("The runs agree on every recorded field.")));
        configuration_->setSpan(0, 0, 1, configuration_->columnCount());
    }
    // No taller than its rows: the differences below take the rest.
    int height = configuration_->horizontalHeader()->sizeHint().height() +
                 2 * configuration_->frameWidth() + 4;
    for (int r = 0; r < configuration_->rowCount(); ++r)
        height += configuration_->rowHeight(r);
    configuration_->setMaximumHeight(std::max(height, 80));
}

void RunsPanel::fillDifferences() {
    differences_->clear();
    differences_->setRowCount(0);
    const bool several = comparison_.labels.size() > 1;
    differences_->setVisible(several);
    differencesHeading_->setVisible(several);
    if (!several)
        return;
    QStringList metrics; // the columns: the metrics some difference has, in their order
    for (const ComparedMetric& m : comparedMetrics())
        for (const MetricDifference& d : comparison_.differences)
            if (d.metric == m.key && !metrics.contains(m.key))
                metrics << m.key;
    QStringList header{tr("Router"), tr("Runs")};
    for (const QString& key : metrics)
        header << tr("Δ %1").arg(metricOf(key)->label);
    differences_->setColumnCount(static_cast<int>(header.size()));
    differences_->setHorizontalHeaderLabels(header);
    std::map<std::pair<QString, int>, int> rowOf; // (baseline router + other, run) -> row
    for (const MetricDifference& d : comparison_.differences) {
        const auto key = std::make_pair(d.router + QLatin1Char('\n') + d.otherRouter, d.run);
        auto it = rowOf.find(key);
        if (it == rowOf.end()) {
            const int r = differences_->rowCount();
            differences_->insertRow(r);
            const QString router = d.router == d.otherRouter
                                       ? d.router
                                       : QStringLiteral("%1 ↔ %2").arg(d.router, d.otherRouter);
            differences_->setItem(r, 0, textItem(router));
            differences_->setItem(
                r, 1,
                textItem(QStringLiteral("%1 − %2").arg(comparison_.labels.value(d.run),
                                                       comparison_.labels.value(0))));
            it = rowOf.emplace(key, r).first;
        }
        differences_->setItem(it->second, 2 + static_cast<int>(metrics.indexOf(d.metric)),
                              differenceItem(d, comparison_));
    }
    differences_->resizeColumnsToContents();
    differencesHeading_->setText(
        differences_->rowCount() > 0
            ? tr("<b>Metric differences</b> (95% interval in brackets; bold: the interval "
                 "leaves out zero)")
            : tr("<b>Metric differences</b>: the runs have no router in common"));
}

CsvTable RunsPanel::table() const {
    CsvTable csv({QStringLiteral("kind"), QStringLiteral("name"), QStringLiteral("run"),
                  QStringLiteral("value"), QStringLiteral("baseline"), QStringLiteral("difference"),
                  QStringLiteral("ci95_low"), QStringLiteral("ci95_high"),
                  QStringLiteral("differs")});
    for (const ConfigurationRow& row : comparison_.configuration)
        for (int i = 0; i < row.values.size(); ++i)
            csv.addRow({QStringLiteral("configuration"),
                        row.field,
                        comparison_.labels.value(i),
                        row.values[i],
                        {},
                        {},
                        {},
                        {},
                        row.differs ? QStringLiteral("yes") : QStringLiteral("no")});
    for (const MetricDifference& d : comparison_.differences)
        csv.addRow({d.metric,
                    d.otherRouter,
                    comparison_.labels.value(d.run),
                    CsvTable::number(d.other),
                    CsvTable::number(d.baseline),
                    CsvTable::number(d.difference),
                    d.interval.valid() ? CsvTable::number(d.interval.low) : QString(),
                    d.interval.valid() ? CsvTable::number(d.interval.high) : QString(),
                    {}});
    return csv;
}

} // namespace routerlab
