#include "experiment/recorded_traffic.h"

#include "common/input_error.h"
#include "store/workspace_store.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QHash>
#include <QJsonValue>
#include <cmath>
#include <map>
#include <stdexcept>

namespace routerlab {

namespace {

const QLatin1String kHashedIdPrefix("sha-");

// The id a recording side gives a prompt it does not know: see recorded_traffic.h.
QString hashedPromptId(const QString& text) {
    const QByteArray hash = QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256);
    return kHashedIdPrefix + QString::fromLatin1(hash.toHex().left(16));
}

const LiveSessionRecord& chooseSession(const std::vector<LiveSessionRecord>& sessions,
                                       const TrafficSource& source) {
    if (sessions.empty())
        throw InputError(source.workspace, 0, QStringLiteral("session"),
                         QStringLiteral("the workspace has no live session to replay"));
    if (source.session == 0) {
        for (auto s = sessions.rbegin(); s != sessions.rend(); ++s)
            if (s->scorer == QLatin1String("proxy"))
                return *s;
        return sessions.back();
    }
    QStringList ids;
    for (const LiveSessionRecord& s : sessions) {
        if (s.id == source.session)
            return s;
        ids << QString::number(s.id);
    }
    throw InputError(source.workspace, 0, QStringLiteral("session"),
                     QStringLiteral("there is no live session %1 (sessions: %2)")
                         .arg(source.session)
                         .arg(ids.join(QStringLiteral(", "))));
}

// Shares of the calls per model, by model name.
QJsonObject sharesOf(const std::map<QString, int>& counts, int total) {
    QJsonObject shares;
    for (const auto& [model, n] : counts)
        shares.insert(model, total > 0 ? static_cast<double>(n) / total : 0.0);
    return shares;
}

QJsonValue meanOrNull(double sum, int n) {
    return n > 0 ? QJsonValue(sum / n) : QJsonValue(QJsonValue::Null);
}

} // namespace

TrafficSource TrafficSource::parse(const QString& text) {
    if (text.isEmpty())
        throw std::invalid_argument("--traffic: give a workspace, as WS or WS:SESSION");
    TrafficSource source;
    source.workspace = text;
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    // A whole text that names a file is the workspace, whatever colons its name holds.
    if (colon <= 0 || QFileInfo(text).isFile())
        return source;
    const QString session = text.mid(colon + 1);
    bool ok = false;
    source.session = session.toLongLong(&ok);
    if (!ok || source.session < 1)
        throw std::invalid_argument(
            QStringLiteral("--traffic '%1': session '%2' is not a session id (a whole number "
                           ">= 1)")
                .arg(text, session)
                .toStdString());
    source.workspace = text.left(colon);
    return source;
}

QString TrafficSource::toString() const {
    return session > 0 ? QStringLiteral("%1:%2").arg(workspace).arg(session) : workspace;
}

RecordedTraffic readRecordedTraffic(const TrafficSource& source) {
    // Opening a missing file would create a workspace, and SQLite takes an empty one for a
    // new database.
    const QFileInfo file(source.workspace);
    if (!file.isFile())
        throw InputError(source.workspace, 0, {}, QStringLiteral("no such workspace (not a file)"));
    if (file.size() == 0)
        throw InputError(source.workspace, 0, {},
                         QStringLiteral("is empty: not a RouterLab workspace"));
    WorkspaceStore store(source.workspace);
    RecordedTraffic traffic;
    traffic.workspace = source.workspace;
    traffic.session = chooseSession(store.liveSessions(), source);
    for (LiveCallRecord& call : store.liveCalls(traffic.session.id))
        if (call.role == QLatin1String("answer") && call.status == QLatin1String("ok"))
            traffic.calls.push_back(std::move(call));
    return traffic;
}

std::vector<int> trafficRows(const RecordedTraffic& traffic, const Dataset& dataset) {
    QHash<QString, int> rowOf;
    for (int i = 0; i < dataset.promptCount(); ++i)
        rowOf.insert(dataset.promptIds[static_cast<std::size_t>(i)], i);
    // Hashing every text takes a moment on a large dataset: only when some call needs it.
    QHash<QString, int> rowOfHash;
    for (const LiveCallRecord& call : traffic.calls)
        if (call.promptId.startsWith(kHashedIdPrefix) && !rowOf.contains(call.promptId)) {
            for (int i = dataset.promptCount() - 1; i >= 0; --i)
                rowOfHash.insert(hashedPromptId(dataset.promptTexts[static_cast<std::size_t>(i)]),
                                 i);
            break;
        }
    std::vector<int> rows;
    rows.reserve(traffic.calls.size());
    for (const LiveCallRecord& call : traffic.calls)
        rows.push_back(rowOf.value(call.promptId, rowOfHash.value(call.promptId, -1)));
    return rows;
}

std::vector<int> matchedRows(const std::vector<int>& rows) {
    std::vector<int> matched;
    for (const int row : rows)
        if (row >= 0)
            matched.push_back(row);
    return matched;
}

QJsonObject describeTraffic(const RecordedTraffic& traffic, const std::vector<int>& rows,
                            const SimulationSetup& setup) {
    const RoutingProblem& problem = setup.problem();
    std::vector<char> scored(static_cast<std::size_t>(setup.dataset().promptCount()), 0);
    for (const int i : setup.scoredRows())
        scored[static_cast<std::size_t>(i)] = 1;
    std::map<QString, int> allModels, scoredModels;
    double cost = 0, latency = 0, quality = 0, scoredCost = 0, dataQuality = 0, dataCost = 0;
    int latencies = 0, rated = 0, matched = 0, priced = 0;
    for (std::size_t c = 0; c < traffic.calls.size(); ++c) {
        const LiveCallRecord& call = traffic.calls[c];
        ++allModels[call.model];
        cost += call.costUsd;
        if (!std::isnan(call.latencyS))
            latency += call.latencyS, ++latencies;
        if (!std::isnan(call.quality))
            quality += call.quality, ++rated;
        if (rows[c] < 0 || !scored[static_cast<std::size_t>(rows[c])])
            continue;
        ++matched;
        ++scoredModels[call.model];
        scoredCost += call.costUsd;
        // The recorded choice as the dataset rates and prices it, where the dataset has it.
        const int k = setup.dataset().modelIndex(call.model);
        if (k < 0)
            continue;
        dataQuality += (*problem.quality)(rows[c], k);
        dataCost += (*problem.cost)(rows[c], k);
        ++priced;
    }
    const int calls = static_cast<int>(traffic.calls.size());
    const QJsonObject recorded{{QStringLiteral("cost_usd"), cost},
                               {QStringLiteral("mean_latency_s"), meanOrNull(latency, latencies)},
                               {QStringLiteral("mean_quality"), meanOrNull(quality, rated)},
                               {QStringLiteral("rated_calls"), rated},
                               {QStringLiteral("selection"), sharesOf(allModels, calls)}};
    const QJsonObject onScored{{QStringLiteral("calls"), matched},
                               {QStringLiteral("cost_usd"), scoredCost},
                               {QStringLiteral("selection"), sharesOf(scoredModels, matched)},
                               {QStringLiteral("dataset_calls"), priced},
                               {QStringLiteral("dataset_quality"), meanOrNull(dataQuality, priced)},
                               {QStringLiteral("dataset_cost_usd"), dataCost}};
    return {{QStringLiteral("workspace"), traffic.workspace},
            {QStringLiteral("session"), traffic.session.id},
            {QStringLiteral("router"), traffic.session.router},
            {QStringLiteral("scorer"), traffic.session.scorer},
            {QStringLiteral("preference"), QString::fromUtf8(traffic.session.preferenceJson)},
            {QStringLiteral("calls"), calls},
            {QStringLiteral("matched"), matched},
            {QStringLiteral("skipped"), calls - matched},
            {QStringLiteral("recorded"), recorded},
            {QStringLiteral("recorded_on_scored"), onScored}};
}

} // namespace routerlab
