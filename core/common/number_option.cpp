#include "common/number_option.h"

#include <cmath>
#include <stdexcept>

namespace routerlab {

NumberOption NumberOption::whole(QString name, QString description, QString valueName,
                                 QString defaultValue, quint64 minimum, quint64 maximum) {
    NumberOption o(std::move(name), std::move(description), std::move(valueName),
                   std::move(defaultValue), true);
    o.wholeMinimum_ = minimum;
    o.wholeMaximum_ = maximum;
    return o;
}

NumberOption NumberOption::real(QString name, QString description, QString valueName,
                                QString defaultValue, double minimum, double maximum) {
    NumberOption o(std::move(name), std::move(description), std::move(valueName),
                   std::move(defaultValue), false);
    o.realMinimum_ = minimum;
    o.realMaximum_ = maximum;
    return o;
}

QCommandLineOption NumberOption::commandLineOption() const {
    return QCommandLineOption(name_, description_, valueName_, defaultValue_);
}

QString NumberOption::bounds() const {
    if (whole_)
        return QStringLiteral("%1..%2").arg(wholeMinimum_).arg(wholeMaximum_);
    return QStringLiteral("%1..%2").arg(realMinimum_, 0, 'g', 12).arg(realMaximum_, 0, 'g', 12);
}

QString NumberOption::rangeText() const {
    return QStringLiteral("%1 within %2")
        .arg(whole_ ? QStringLiteral("a whole number") : QStringLiteral("a number"), bounds());
}

QString NumberOption::problem(const QString& text) const {
    if (!list_)
        return valueProblem(text);
    for (const QString& item : text.split(QLatin1Char(',')))
        if (!valueProblem(item.trimmed()).isEmpty())
            return QStringLiteral("--%1: '%2' is not a comma list of %3 within %4 ('%5' is not)")
                .arg(name_, text,
                     whole_ ? QStringLiteral("whole numbers") : QStringLiteral("numbers"), bounds(),
                     item.trimmed());
    return {};
}

QString NumberOption::valueProblem(const QString& text) const {
    bool ok = false;
    bool inRange = false;
    if (whole_) {
        // A fraction, an exponent, NaN or infinity does not parse; a minus sign is refused
        // outright so "-1" can never wrap round to a huge count.
        const quint64 v = text.trimmed().toULongLong(&ok, 10);
        ok = ok && !text.trimmed().startsWith(QLatin1Char('-'));
        inRange = ok && v >= wholeMinimum_ && v <= wholeMaximum_;
    } else {
        // toDouble reads "nan" and "inf" as numbers: those are refused here, as is overflow.
        const double v = text.toDouble(&ok);
        inRange = ok && std::isfinite(v) && v >= realMinimum_ && v <= realMaximum_;
    }
    if (inRange)
        return {};
    return QStringLiteral("--%1: '%2' is not %3").arg(name_, text, rangeText());
}

quint64 NumberOption::toWhole(const QString& text) const {
    if (!whole_)
        throw std::logic_error("toWhole() of a real-valued option");
    if (const QString p = valueProblem(text); !p.isEmpty())
        throw std::invalid_argument(p.toStdString());
    return text.trimmed().toULongLong(nullptr, 10);
}

double NumberOption::toReal(const QString& text) const {
    if (const QString p = valueProblem(text); !p.isEmpty())
        throw std::invalid_argument(p.toStdString());
    return whole_ ? static_cast<double>(text.trimmed().toULongLong(nullptr, 10)) : text.toDouble();
}

const NumberOption* findNumberOption(const std::vector<NumberOption>& options,
                                     const QString& name) {
    for (const NumberOption& o : options)
        if (o.name() == name)
            return &o;
    return nullptr;
}

} // namespace routerlab
