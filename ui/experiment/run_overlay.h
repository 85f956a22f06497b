#pragma once

#include "stats/bootstrap.h"
#include "ui/experiment/experiment_results.h"

#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

namespace routerlab {

// Several stored results side by side: one ExperimentResults that every chart page draws as it
// draws one run (each run's routers renamed "A · barp", "B · barp"), and what tells the runs
// apart (their configurations) and how far their figures are apart (metric differences).

// One run chosen for an overlay.
struct OverlayRun {
    QString label; // "A", "B", ... (runLabel)
    QString title; // where it came from: an experiment's name, a file's name
    std::shared_ptr<const ExperimentResults> results;
};

// "A".."Z", then "A2".."Z2", ...
QString runLabel(int index);

// One configuration field across the runs.
struct ConfigurationRow {
    QString field;      // "Seeds", "Split", "barp parameters", ...
    QStringList values; // one per run; notRecordedText() when a run does not say
    bool differs = false;
};

// What a run that does not record a field shows for it. A field one run does not record
// counts as differing: nothing says it was the same.
QString notRecordedText();

// A figure of one router (or reference) in a run against the same router in the first run.
struct MetricDifference {
    QString router;      // as the first run names it
    QString otherRouter; // as the other run names it (another spec of the same router type)
    QString metric;      // the result JSON's key: "mean_quality", "aiq", ...
    int run = 1;         // index of the other run (the first run is the baseline)
    double baseline = 0;
    double other = 0;
    double difference = 0; // other - baseline
    Interval interval;     // invalid when either figure comes without its _ci95
};

// The figures compared, in the Runs page's column order.
struct ComparedMetric {
    QString key;     // result JSON key
    QString label;   // column heading
    bool sweep;      // a sweep curve's figure (else a simulate row's)
    double scale;    // shown multiplied by this (cost per 1,000 queries)
    int significant; // digits shown
};
const std::vector<ComparedMetric>& comparedMetrics();

struct RunComparison {
    QStringList labels;
    QStringList titles;
    std::vector<ConfigurationRow> configuration;
    std::vector<MetricDifference> differences;
};

// The configuration of one result: (field, value) pairs from its result JSONs ("setup",
// seeds, preference, routers, bootstrap) and its recorded `config` (datasets, pool, data
// fingerprint, version).
std::vector<std::pair<QString, QString>> configurationOf(const ExperimentResults& results);

// Every run's configuration side by side, and each later run's figures against the first's
// for the routers both ran: matched by name, else by router type when each run has exactly
// one router of that type.
RunComparison compareRuns(const std::vector<OverlayRun>& runs);

// The 95% interval of (other - baseline) from two independent runs' 95% intervals: each side's
// distance from its estimate, combined in quadrature (the normal approximation, keeping each
// interval's asymmetry). Invalid when either interval is.
Interval differenceInterval(double baseline, const Interval& baselineInterval, double other,
                            const Interval& otherInterval);

// One result holding every run: simulate rows, sweep curves and series of each run renamed
// with its label (references too, kept per run), the single models of the first run that has
// them, and `comparison` set. Needs two or more runs.
ExperimentResults overlayRuns(const std::vector<OverlayRun>& runs);

} // namespace routerlab
