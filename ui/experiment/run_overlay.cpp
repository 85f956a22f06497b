#include "ui/experiment/run_overlay.h"

#include "routers/router_registry.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <cmath>
#include <map>

namespace routerlab {

namespace {

using Fields = std::vector<std::pair<QString, QString>>;

QString textOf(const QJsonValue& v) {
    switch (v.type()) {
    case QJsonValue::String:
        return v.toString().isEmpty() ? QStringLiteral("none") : v.toString();
    case QJsonValue::Double:
        return QString::number(v.toDouble(), 'g', 12);
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("yes") : QStringLiteral("no");
    case QJsonValue::Array: {
        QStringList parts;
        for (const QJsonValue& e : v.toArray())
            parts << textOf(e);
        return parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral("; "));
    }
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    default:
        return notRecordedText();
    }
}

// The first of the objects that holds `key`.
QJsonValue firstOf(std::initializer_list<const QJsonObject*> objects, const QString& key) {
    for (const QJsonObject* o : objects)
        if (o->contains(key))
            return o->value(key);
    return QJsonValue(QJsonValue::Undefined);
}

void addIfPresent(Fields& out, const QString& field, const QJsonValue& value) {
    if (!value.isUndefined() && !value.isNull())
        out.emplace_back(field, textOf(value));
}

struct NamedSpec {
    QString type;
    QString parameters;
};

NamedSpec specOf(const QString& name) {
    try {
        const RouterSpec spec = RouterSpec::parse(name);
        QStringList parameters;
        for (const auto& [key, value] : spec.parameters)
            parameters << key + QLatin1Char('=') + value;
        return {spec.name, parameters.isEmpty() ? QStringLiteral("defaults")
                                                : parameters.join(QLatin1Char(','))};
    } catch (const std::invalid_argument&) {
        return {name, QStringLiteral("defaults")}; // a name this version does not parse
    }
}

// The routers asked for (references left out): simulate rows, then sweep curves not listed.
QStringList askedRouters(const ExperimentResults& r) {
    QStringList names;
    for (const QJsonObject* part : {&r.simulate, &r.sweep})
        for (const QJsonValue& v : part->value(QStringLiteral("routers")).toArray()) {
            const QString name = v.toObject().value(QStringLiteral("name")).toString();
            if (!names.contains(name))
                names << name;
        }
    return names;
}

void addRouters(Fields& out, const ExperimentResults& r) {
    QStringList types;
    std::map<QString, QStringList> parametersOf;
    for (const QString& name : askedRouters(r)) {
        const NamedSpec spec = specOf(name);
        if (!types.contains(spec.type))
            types << spec.type;
        parametersOf[spec.type] << spec.parameters;
    }
    if (types.isEmpty())
        return;
    out.emplace_back(QStringLiteral("Routers"), types.join(QStringLiteral(", ")));
    for (const QString& type : types)
        out.emplace_back(QStringLiteral("%1 parameters").arg(type),
                         parametersOf[type].join(QStringLiteral("; ")));
}

void addSetup(Fields& out, const QJsonObject& setup) {
    static const std::map<QString, QString> labels{
        {QStringLiteral("split"), QStringLiteral("Split")},
        {QStringLiteral("split_seed"), QStringLiteral("Split seed")},
        {QStringLiteral("sessions"), QStringLiteral("Sessions")},
        {QStringLiteral("session_count"), QStringLiteral("Session count")},
        {QStringLiteral("features"), QStringLiteral("Features")},
        {QStringLiteral("reward"), QStringLiteral("Reward")},
        {QStringLiteral("reward_scales"), QStringLiteral("Reward scale")},
        {QStringLiteral("missing"), QStringLiteral("Missing outcomes")},
        {QStringLiteral("scored_prompts"), QStringLiteral("Scored prompts")},
        {QStringLiteral("training_prompts"), QStringLiteral("Training prompts")},
        {QStringLiteral("skipped_prompts"), QStringLiteral("Skipped prompts")}};
    // Known fields first, in a reading order; fields of a newer version after them.
    QStringList keys{QStringLiteral("split"),
                     QStringLiteral("split_seed"),
                     QStringLiteral("sessions"),
                     QStringLiteral("session_count"),
                     QStringLiteral("features"),
                     QStringLiteral("reward"),
                     QStringLiteral("missing"),
                     QStringLiteral("scored_prompts"),
                     QStringLiteral("training_prompts"),
                     QStringLiteral("skipped_prompts"),
                     QStringLiteral("reward_scales")};
    for (const QString& key : setup.keys())
        if (!keys.contains(key))
            keys << key;
    for (const QString& key : keys) {
        if (!setup.contains(key))
            continue;
        const auto label = labels.find(key);
        const QString field = label == labels.end() ? key : label->second;
        const QJsonValue v = setup.value(key);
        if (!v.isObject()) {
            out.emplace_back(field, textOf(v));
            continue;
        }
        const QJsonObject inner = v.toObject();
        for (const QString& innerKey : inner.keys())
            out.emplace_back(QStringLiteral("%1: %2").arg(field, innerKey),
                             textOf(inner.value(innerKey)));
    }
}

void addBootstrapAndMissing(Fields& out, const ExperimentResults& r) {
    const QJsonValue bootstrap = firstOf({&r.simulate, &r.sweep}, QStringLiteral("bootstrap"));
    if (bootstrap.isObject()) {
        const QJsonObject b = bootstrap.toObject();
        out.emplace_back(QStringLiteral("Bootstrap"),
                         QStringLiteral("%1 resamples, seed %2")
                             .arg(textOf(b.value(QStringLiteral("resamples"))),
                                  textOf(b.value(QStringLiteral("seed")))));
    }
    int missing = 0;
    for (const QJsonObject* part : {&r.simulate, &r.sweep})
        missing += static_cast<int>(part->value(QStringLiteral("missing_cells")).toArray().size());
    if (missing > 0)
        out.emplace_back(QStringLiteral("Cells that did not run"), QString::number(missing));
}

// Fields merged in order: a field new to the list goes after the last field before it that
// the list already has, so each run's order survives.
void mergeFields(QStringList& order, const Fields& fields) {
    qsizetype insertAt = 0;
    for (const auto& [field, value] : fields) {
        const qsizetype at = order.indexOf(field);
        if (at >= 0) {
            insertAt = at + 1;
            continue;
        }
        order.insert(insertAt++, field);
    }
}

Interval intervalOf(const QJsonObject& o, const QString& key) {
    QJsonArray ci = o.value(key + QStringLiteral("_ci95")).toArray();
    if (ci.isEmpty() && key == QLatin1String("convergence_step"))
        ci = o.value(QStringLiteral("mean_convergence_step_ci95")).toArray();
    if (ci.size() != 2 || !ci[0].isDouble() || !ci[1].isDouble())
        return {};
    return {ci[0].toDouble(), ci[1].toDouble()};
}

// Pairs of (baseline index, other index) of the same router in two lists of names: equal
// names, else the one router of a type on each side.
std::vector<std::pair<int, int>> matchRouters(const QStringList& baseline,
                                              const QStringList& other) {
    std::vector<std::pair<int, int>> pairs;
    std::map<QString, int> baselineTypes, otherTypes;
    for (const QString& n : baseline)
        ++baselineTypes[specOf(n).type];
    for (const QString& n : other)
        ++otherTypes[specOf(n).type];
    for (int i = 0; i < baseline.size(); ++i) {
        int j = static_cast<int>(other.indexOf(baseline[i]));
        const QString type = specOf(baseline[i]).type;
        if (j < 0 && baselineTypes[type] == 1 && otherTypes[type] == 1)
            for (int k = 0; k < other.size(); ++k)
                if (specOf(other[k]).type == type && !baseline.contains(other[k]))
                    j = k;
        if (j >= 0)
            pairs.emplace_back(i, j);
    }
    return pairs;
}

std::vector<QJsonObject> rowsOf(const ExperimentResults& r, bool sweep) {
    return sweep ? r.sweepCurves() : r.simulateRows();
}

QStringList namesOf(const std::vector<QJsonObject>& rows) {
    QStringList names;
    for (const QJsonObject& o : rows)
        names << o.value(QStringLiteral("name")).toString();
    return names;
}

void addDifferences(RunComparison& out, const ExperimentResults& baseline,
                    const ExperimentResults& other, int run) {
    for (const bool sweep : {false, true}) {
        const std::vector<QJsonObject> a = rowsOf(baseline, sweep);
        const std::vector<QJsonObject> b = rowsOf(other, sweep);
        const QStringList aNames = namesOf(a), bNames = namesOf(b);
        for (const auto& [i, j] : matchRouters(aNames, bNames))
            for (const ComparedMetric& m : comparedMetrics()) {
                if (m.sweep != sweep)
                    continue;
                const QJsonObject& x = a[static_cast<std::size_t>(i)];
                const QJsonObject& y = b[static_cast<std::size_t>(j)];
                if (!x.value(m.key).isDouble() || !y.value(m.key).isDouble())
                    continue;
                MetricDifference d;
                d.router = aNames[i];
                d.otherRouter = bNames[j];
                d.metric = m.key;
                d.run = run;
                d.baseline = x.value(m.key).toDouble();
                d.other = y.value(m.key).toDouble();
                d.difference = d.other - d.baseline;
                d.interval = differenceInterval(d.baseline, intervalOf(x, m.key), d.other,
                                                intervalOf(y, m.key));
                out.differences.push_back(d);
            }
    }
}

// Items of every run, renamed "label · name", those of the same router type next to each
// other (in tables, legends and colours), in the order the runs list them.
template <typename T, typename NameOf, typename Rename>
std::vector<T> interleave(const std::vector<std::vector<T>>& perRun, const QStringList& labels,
                          NameOf nameOf, Rename rename) {
    QStringList types;
    for (const std::vector<T>& items : perRun)
        for (const T& item : items)
            if (!types.contains(specOf(nameOf(item)).type))
                types << specOf(nameOf(item)).type;
    std::vector<T> out;
    for (const QString& type : types)
        for (std::size_t run = 0; run < perRun.size(); ++run)
            for (const T& item : perRun[run])
                if (specOf(nameOf(item)).type == type) {
                    const QString name = nameOf(item);
                    out.push_back(item);
                    rename(out.back(), overlayName(labels[static_cast<qsizetype>(run)], name));
                }
    return out;
}

QJsonArray overlayRows(const std::vector<OverlayRun>& runs, const QStringList& labels, bool sweep) {
    std::vector<std::vector<QJsonObject>> perRun;
    for (const OverlayRun& run : runs) {
        std::vector<QJsonObject> rows = rowsOf(*run.results, sweep);
        const QJsonValue seeds =
            (sweep ? run.results->sweep : run.results->simulate).value(QStringLiteral("seeds"));
        for (QJsonObject& row : rows)
            if (!row.contains(QStringLiteral("seeds_run")) && !sweep)
                row.insert(QStringLiteral("seeds_run"), seeds);
        perRun.push_back(std::move(rows));
    }
    QJsonArray out;
    const auto nameOf = [](const QJsonObject& o) {
        return o.value(QStringLiteral("name")).toString();
    };
    const auto rename = [](QJsonObject& o, const QString& name) {
        o.insert(QStringLiteral("name"), name);
    };
    for (const QJsonObject& row : interleave(perRun, labels, nameOf, rename))
        out.append(row);
    return out;
}

} // namespace

QString runLabel(int index) {
    const QString letter(QChar(u'A' + index % 26));
    return index < 26 ? letter : letter + QString::number(index / 26 + 1);
}

QString notRecordedText() {
    return QStringLiteral("not recorded");
}

const std::vector<ComparedMetric>& comparedMetrics() {
    static const std::vector<ComparedMetric> metrics{
        {QStringLiteral("mean_quality"), QStringLiteral("Quality"), false, 1, 3},
        {QStringLiteral("mean_cost_usd"), QStringLiteral("USD / 1k queries"), false, 1000, 3},
        {QStringLiteral("mean_latency_s"), QStringLiteral("Latency s"), false, 1, 3},
        {QStringLiteral("mean_reward"), QStringLiteral("Reward"), false, 1, 3},
        {QStringLiteral("regret"), QStringLiteral("Regret"), false, 1, 3},
        {QStringLiteral("convergence_step"), QStringLiteral("Convergence step"), false, 1, 3},
        {QStringLiteral("aiq"), QStringLiteral("AIQ"), true, 1, 3},
        {QStringLiteral("apgr"), QStringLiteral("APGR"), true, 1, 3}};
    return metrics;
}

std::vector<std::pair<QString, QString>> configurationOf(const ExperimentResults& r) {
    Fields out;
    const QJsonObject& config = r.config;
    QStringList parts;
    if (!r.simulate.isEmpty())
        parts << QStringLiteral("simulate");
    if (!r.sweep.isEmpty())
        parts << QStringLiteral("sweep");
    if (!parts.isEmpty())
        out.emplace_back(QStringLiteral("Parts"), parts.join(QStringLiteral(" + ")));
    addRouters(out, r);
    addIfPresent(out, QStringLiteral("Seeds"),
                 firstOf({&r.simulate, &r.sweep, &config}, QStringLiteral("seeds")));
    addIfPresent(out, QStringLiteral("Preference"),
                 firstOf({&r.simulate, &config}, QStringLiteral("preference")));
    addIfPresent(out, QStringLiteral("Sweep points"),
                 firstOf({&r.sweep, &config}, QStringLiteral("points")));
    addIfPresent(out, QStringLiteral("Sweep latency weight"),
                 config.value(QStringLiteral("latency_weight")));
    addSetup(out, firstOf({&r.simulate, &r.sweep, &config}, QStringLiteral("setup")).toObject());
    addIfPresent(out, QStringLiteral("Datasets"), config.value(QStringLiteral("datasets")));
    addIfPresent(out, QStringLiteral("Test datasets"),
                 config.value(QStringLiteral("test_datasets")));
    addIfPresent(out, QStringLiteral("Pool"), config.value(QStringLiteral("pool")));
    addIfPresent(out, QStringLiteral("Data fingerprint (sha256)"),
                 config.value(QStringLiteral("data_sha256")));
    addIfPresent(out, QStringLiteral("Version"), config.value(QStringLiteral("version")));
    addBootstrapAndMissing(out, r);
    return out;
}

Interval differenceInterval(double baseline, const Interval& baselineInterval, double other,
                            const Interval& otherInterval) {
    if (!baselineInterval.valid() || !otherInterval.valid())
        return {};
    // The difference is low when `other` is low and `baseline` high, and the other way round.
    const double down = std::hypot(other - otherInterval.low, baselineInterval.high - baseline);
    const double up = std::hypot(otherInterval.high - other, baseline - baselineInterval.low);
    const double difference = other - baseline;
    return {difference - down, difference + up};
}

RunComparison compareRuns(const std::vector<OverlayRun>& runs) {
    RunComparison out;
    std::vector<std::map<QString, QString>> values;
    QStringList order;
    for (const OverlayRun& run : runs) {
        out.labels << run.label;
        out.titles << run.title;
        const Fields fields = configurationOf(*run.results);
        mergeFields(order, fields);
        values.emplace_back(fields.begin(), fields.end());
    }
    for (const QString& field : order) {
        ConfigurationRow row{field, {}, false};
        for (const std::map<QString, QString>& v : values) {
            const auto it = v.find(field);
            row.values << (it == v.end() ? notRecordedText() : it->second);
        }
        row.differs = QSet<QString>(row.values.begin(), row.values.end()).size() > 1;
        out.configuration.push_back(row);
    }
    for (int run = 1; run < static_cast<int>(runs.size()); ++run)
        addDifferences(out, *runs.front().results, *runs[static_cast<std::size_t>(run)].results,
                       run);
    return out;
}

ExperimentResults overlayRuns(const std::vector<OverlayRun>& runs) {
    ExperimentResults out;
    QStringList labels, described;
    std::vector<std::vector<RouterSeries>> series;
    for (const OverlayRun& run : runs) {
        labels << run.label;
        described << QStringLiteral("%1 = %2").arg(run.label, run.title);
        series.push_back(run.results->series);
        for (const QString& model : run.results->models)
            if (!out.models.contains(model))
                out.models << model;
        out.cellsDone += run.results->cellsDone;
        out.cellCount += run.results->cellCount;
        if (out.sweep.isEmpty() && !run.results->sweep.isEmpty())
            for (const char* key : {"models", "cost_range_usd", "points", "seeds"})
                out.sweep.insert(QLatin1String(key), run.results->sweep.value(QLatin1String(key)));
    }
    out.title = QStringLiteral("Side by side: %1").arg(described.join(QStringLiteral(", ")));
    const QJsonArray simulateRows = overlayRows(runs, labels, false);
    if (!simulateRows.isEmpty())
        out.simulate.insert(QStringLiteral("routers"), simulateRows);
    if (!out.sweep.isEmpty())
        out.sweep.insert(QStringLiteral("routers"), overlayRows(runs, labels, true));
    out.series = interleave(
        series, labels, [](const RouterSeries& s) { return s.name; },
        [](RouterSeries& s, const QString& name) { s.name = name; });
    out.comparison = std::make_shared<const RunComparison>(compareRuns(runs));
    return out;
}

} // namespace routerlab
