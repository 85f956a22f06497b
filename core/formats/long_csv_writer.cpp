#include "formats/long_csv_writer.h"

#include "common/input_error.h"

#include <QSaveFile>
#include <charconv>
#include <cmath>

namespace routerlab {

namespace {

void appendField(QByteArray& out, const QString& text) {
    const QByteArray utf8 = text.toUtf8();
    const bool quote =
        utf8.contains(',') || utf8.contains('"') || utf8.contains('\n') || utf8.contains('\r');
    if (!quote) {
        out += utf8;
        return;
    }
    out += '"';
    for (const char c : utf8) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

void appendNumber(QByteArray& out, double v) {
    if (std::isnan(v))
        return;
    char buffer[32];
    const auto result =
        std::to_chars(buffer, buffer + sizeof buffer, v); // shortest round-trip form
    out.append(buffer, result.ptr - buffer);
}

} // namespace

void writeLongCsv(const Dataset& d, const QString& path) {
    const bool withCost = d.hasRecordedCost();
    const bool withResponse = !d.responses.empty();
    bool withReference = false;
    for (const QString& r : d.references)
        withReference = withReference || !r.isEmpty();
    const bool withSession = !d.promptSession.empty();

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw InputError(path, 0, {}, QStringLiteral("cannot write: %1").arg(file.errorString()));
    QByteArray out = "prompt_id,prompt,category,model,quality,input_tokens,output_tokens,latency_s";
    if (withCost)
        out += ",cost_usd";
    if (withResponse)
        out += ",response";
    if (withReference)
        out += ",reference";
    if (withSession)
        out += ",session";
    out += '\n';
    for (int i = 0; i < d.promptCount(); ++i) {
        for (int k = 0; k < d.modelCount(); ++k) {
            if (d.isMissing(i, k))
                continue;
            appendField(out, d.promptIds[i]);
            out += ',';
            appendField(out, d.promptTexts[i]);
            out += ',';
            appendField(out, d.categoryNames[d.promptCategory[i]]);
            out += ',';
            appendField(out, d.modelNames[k]);
            out += ',';
            appendNumber(out, d.quality(i, k));
            out += ',';
            appendNumber(out, d.inputTokens(i, k));
            out += ',';
            appendNumber(out, d.outputTokens(i, k));
            out += ',';
            appendNumber(out, d.recordedLatency(i, k));
            if (withCost) {
                out += ',';
                appendNumber(out, d.recordedCost(i, k));
            }
            if (withResponse) {
                out += ',';
                appendField(out, d.response(i, k));
            }
            if (withReference) {
                out += ',';
                appendField(out, d.references[i]);
            }
            if (withSession) {
                out += ',';
                appendField(out, d.sessionNames[d.promptSession[i]]);
            }
            out += '\n';
        }
        if (out.size() > (1 << 20)) {
            file.write(out);
            out.clear();
        }
    }
    file.write(out);
    if (!file.commit())
        throw InputError(path, 0, {}, QStringLiteral("cannot write: %1").arg(file.errorString()));
}

} // namespace routerlab
