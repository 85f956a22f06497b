#include "data/model_pool.h"

#include "common/input_error.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSet>
#include <QUrl>
#include <cmath>

namespace routerlab {

QString baseUrlProblem(const QString& url) {
    if (!url.startsWith(QLatin1String("http://")) && !url.startsWith(QLatin1String("https://")))
        return QStringLiteral("must start with http:// or https://");
    const QUrl parsed(url);
    if (!parsed.isValid())
        return QStringLiteral("is not a valid URL");
    if (!parsed.userInfo().isEmpty())
        return QStringLiteral("must not hold a user name or password (user:key@): keys go in "
                              "an environment variable named by api_key_env");
    if (parsed.hasQuery() || parsed.hasFragment() || url.contains(QLatin1Char('?')) ||
        url.contains(QLatin1Char('#')))
        return QStringLiteral("must not have a query or fragment (?api-key=...): keys go in an "
                              "environment variable named by api_key_env, and the client adds "
                              "the path /chat/completions to the URL");
    return {};
}

namespace {

constexpr int kPoolFormatVersion = 1;

qint64 lineOfOffset(const QByteArray& text, qint64 offset) {
    return text.left(offset).count('\n') + 1;
}

// QJsonDocument keeps no positions, so find a model's key in the raw text: models[i] starts
// near the (i+1)-th "id" key. Good enough to point a user at the right line.
qint64 lineOfModelField(const QByteArray& text, int modelIndex, const QString& key) {
    qint64 from = 0;
    qint64 previous = 0;
    for (int i = 0; modelIndex >= 0 && i <= modelIndex; ++i) {
        const qint64 at = text.indexOf("\"id\"", i == 0 ? 0 : from + 1);
        if (at < 0)
            break;
        previous = from;
        from = at;
    }
    const QByteArray quoted = "\"" + key.toUtf8() + "\"";
    qint64 keyAt = text.indexOf(quoted, from);
    if (keyAt < 0 || (modelIndex >= 0 && keyAt > text.indexOf("\"id\"", from + 1) &&
                      text.indexOf("\"id\"", from + 1) >= 0))
        keyAt = text.indexOf(quoted, previous);
    if (keyAt >= 0)
        return lineOfOffset(text, keyAt);
    return from > 0 ? lineOfOffset(text, from) : 0;
}

class PoolParser {
public:
    PoolParser(const QByteArray& text, const QString& file) : text_(text), file_(file) {}

    [[noreturn]] void fail(int modelIndex, const QString& field, const QString& message) const {
        const QString key = field.section('.', -1);
        throw InputError(file_, lineOfModelField(text_, modelIndex, key), field, message);
    }

    double price(const QJsonObject& o, int id, const QString& path, const char* key,
                 bool required) const {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull()) {
            if (required)
                fail(id, path + key, QStringLiteral("missing (USD, may be 0)"));
            return 0.0;
        }
        if (!v.isDouble())
            fail(id, path + key, QStringLiteral("must be a number"));
        const double x = v.toDouble();
        if (!std::isfinite(x) || x < 0)
            fail(id, path + key, QStringLiteral("must be a finite number >= 0, got %1").arg(x));
        return x;
    }

    QString string(const QJsonObject& o, int id, const QString& path, const char* key,
                   bool required) const {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull()) {
            if (required)
                fail(id, path + key, QStringLiteral("missing"));
            return {};
        }
        if (!v.isString())
            fail(id, path + key, QStringLiteral("must be a string"));
        return v.toString();
    }

    PoolModel model(const QJsonValue& value, int index) const {
        const QString path = QStringLiteral("models[%1].").arg(index);
        if (!value.isObject())
            throw InputError(file_, 0, path.chopped(1), QStringLiteral("must be an object"));
        const QJsonObject o = value.toObject();
        PoolModel m;
        m.id = string(o, index, path, "id", true).trimmed();
        if (m.id.isEmpty())
            fail(index, path + "id", QStringLiteral("must not be empty"));
        if (o.contains(QLatin1String("api_key")))
            fail(index, path + "api_key",
                 QStringLiteral("API keys never go in a pool file: put the key in an environment "
                                "variable and name it in endpoint.api_key_env"));
        m.displayName = string(o, index, path, "name", false);
        if (m.displayName.isEmpty())
            m.displayName = m.id;
        m.inputPricePerMTok = price(o, index, path, "input_price_per_mtok", true);
        m.outputPricePerMTok = price(o, index, path, "output_price_per_mtok", true);
        m.feePerCall = price(o, index, path, "fee_per_call", false);
        if (o.contains(QLatin1String("context_window"))) {
            const QJsonValue cw = o.value(QLatin1String("context_window"));
            // The upper bound keeps the conversion to int defined (a fuzzer found 8e93 here).
            constexpr double kLargest = 1e9;
            if (!cw.isDouble() || cw.toDouble() < 0 || cw.toDouble() > kLargest ||
                cw.toDouble() != std::floor(cw.toDouble()))
                fail(index, path + "context_window",
                     QStringLiteral("must be a whole number of tokens within 0..1000000000"));
            m.contextWindow = static_cast<int>(cw.toDouble());
        }
        if (o.contains(QLatin1String("tags"))) {
            const QJsonValue tags = o.value(QLatin1String("tags"));
            if (!tags.isArray())
                fail(index, path + "tags", QStringLiteral("must be a list of strings"));
            for (const QJsonValue& t : tags.toArray()) {
                if (!t.isString())
                    fail(index, path + "tags", QStringLiteral("must be a list of strings"));
                m.tags << t.toString();
            }
        }
        if (o.contains(QLatin1String("endpoint"))) {
            const QJsonValue ev = o.value(QLatin1String("endpoint"));
            if (!ev.isObject())
                fail(index, path + "endpoint", QStringLiteral("must be an object"));
            const QJsonObject e = ev.toObject();
            const QString ep = path + "endpoint.";
            if (e.contains(QLatin1String("api_key")))
                fail(index, ep + "api_key",
                     QStringLiteral("API keys never go in a pool file: name the environment "
                                    "variable that holds it in api_key_env"));
            m.endpoint.baseUrl = string(e, index, ep, "base_url", true);
            if (const QString problem = baseUrlProblem(m.endpoint.baseUrl); !problem.isEmpty())
                fail(index, ep + "base_url", problem);
            m.endpoint.remoteModel = string(e, index, ep, "model", false);
            if (m.endpoint.remoteModel.isEmpty())
                m.endpoint.remoteModel = m.id;
            m.endpoint.apiKeyEnv = string(e, index, ep, "api_key_env", false);
        }
        if (o.contains(QLatin1String("latency"))) {
            const QJsonValue lv = o.value(QLatin1String("latency"));
            if (!lv.isObject())
                fail(index, path + "latency", QStringLiteral("must be an object"));
            const QJsonObject l = lv.toObject();
            const QString lp = path + "latency.";
            if (l.contains(QLatin1String("first_token_s")))
                m.firstTokenS = price(l, index, lp, "first_token_s", true);
            if (l.contains(QLatin1String("output_tokens_per_s"))) {
                m.outputTokensPerS = price(l, index, lp, "output_tokens_per_s", true);
                if (m.outputTokensPerS <= 0)
                    fail(index, lp + "output_tokens_per_s", QStringLiteral("must be > 0"));
            }
        }
        return m;
    }

    ModelPool parse() const {
        if (text_.trimmed().isEmpty())
            throw InputError(file_, 0, {}, QStringLiteral("file is empty"));
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(text_, &error);
        if (error.error != QJsonParseError::NoError)
            throw InputError(file_, lineOfOffset(text_, error.offset), {},
                             QStringLiteral("invalid JSON: %1").arg(error.errorString()));
        if (!doc.isObject())
            throw InputError(file_, 1, {},
                             QStringLiteral("a pool is a JSON object with \"models\""));
        const QJsonObject root = doc.object();
        const QJsonValue version = root.value(QLatin1String("version"));
        if (!version.isUndefined() && version.toInt(-1) > kPoolFormatVersion)
            throw InputError(file_, lineOfModelField(text_, -1, "version"),
                             QStringLiteral("version"),
                             QStringLiteral("pool format version %1 is newer than this RouterLab "
                                            "understands (%2)")
                                 .arg(version.toInt())
                                 .arg(kPoolFormatVersion));
        const QJsonValue models = root.value(QLatin1String("models"));
        if (!models.isArray() || models.toArray().isEmpty())
            throw InputError(file_, lineOfModelField(text_, -1, "models"), QStringLiteral("models"),
                             QStringLiteral("must be a non-empty list of models"));
        ModelPool pool;
        pool.name = root.value(QLatin1String("name")).toString();
        QSet<QString> seen;
        const QJsonArray list = models.toArray();
        for (int i = 0; i < list.size(); ++i) {
            PoolModel m = model(list.at(i), i);
            if (seen.contains(m.id))
                fail(i, QStringLiteral("models[%1].id").arg(i),
                     QStringLiteral("duplicate model id '%1'").arg(m.id));
            seen.insert(m.id);
            pool.models.push_back(std::move(m));
        }
        return pool;
    }

private:
    const QByteArray& text_;
    const QString& file_;
};

} // namespace

double PoolModel::estimatedLatency(double outputTokens) const {
    const double first = firstTokenS >= 0 ? firstTokenS : 0.5;
    const double rate = outputTokensPerS > 0 ? outputTokensPerS : 50.0;
    return first + outputTokens / rate;
}

int ModelPool::indexOf(const QString& id) const {
    for (int i = 0; i < size(); ++i)
        if (models[i].id == id)
            return i;
    return -1;
}

const PoolModel* ModelPool::find(const QString& id) const {
    const int i = indexOf(id);
    return i < 0 ? nullptr : &models[i];
}

QStringList ModelPool::ids() const {
    QStringList out;
    for (const PoolModel& m : models)
        out << m.id;
    return out;
}

ModelPool ModelPool::fromJson(const QByteArray& json, const QString& file) {
    return PoolParser(json, file).parse();
}

ModelPool ModelPool::load(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw InputError(path, 0, {}, QStringLiteral("cannot open: %1").arg(f.errorString()));
    return fromJson(f.readAll(), path);
}

QByteArray ModelPool::toJson() const {
    QJsonArray list;
    for (const PoolModel& m : models) {
        QJsonObject o;
        o.insert(QLatin1String("id"), m.id);
        o.insert(QLatin1String("name"), m.displayName);
        o.insert(QLatin1String("input_price_per_mtok"), m.inputPricePerMTok);
        o.insert(QLatin1String("output_price_per_mtok"), m.outputPricePerMTok);
        if (m.feePerCall != 0)
            o.insert(QLatin1String("fee_per_call"), m.feePerCall);
        if (m.contextWindow > 0)
            o.insert(QLatin1String("context_window"), m.contextWindow);
        if (!m.tags.isEmpty())
            o.insert(QLatin1String("tags"), QJsonArray::fromStringList(m.tags));
        if (!m.endpoint.isEmpty()) {
            QJsonObject e;
            e.insert(QLatin1String("base_url"), m.endpoint.baseUrl);
            e.insert(QLatin1String("model"), m.endpoint.remoteModel);
            if (!m.endpoint.apiKeyEnv.isEmpty())
                e.insert(QLatin1String("api_key_env"), m.endpoint.apiKeyEnv);
            o.insert(QLatin1String("endpoint"), e);
        }
        if (m.firstTokenS >= 0 || m.outputTokensPerS > 0) {
            QJsonObject l;
            if (m.firstTokenS >= 0)
                l.insert(QLatin1String("first_token_s"), m.firstTokenS);
            if (m.outputTokensPerS > 0)
                l.insert(QLatin1String("output_tokens_per_s"), m.outputTokensPerS);
            o.insert(QLatin1String("latency"), l);
        }
        list.append(o);
    }
    QJsonObject root;
    root.insert(QLatin1String("format"), QStringLiteral("routerlab.pool"));
    root.insert(QLatin1String("version"), kPoolFormatVersion);
    root.insert(QLatin1String("name"), name);
    root.insert(QLatin1String("models"), list);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

void ModelPool::save(const QString& path) const {
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(toJson()) < 0 || !f.commit())
        throw InputError(path, 0, {}, QStringLiteral("cannot write: %1").arg(f.errorString()));
}

} // namespace routerlab
