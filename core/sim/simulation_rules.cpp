// The session and split rules of a simulation: their text forms, as options and records use them.
#include "sim/simulation.h"

#include <QFileInfo>
#include <stdexcept>

namespace routerlab {

SessionRule SessionRule::parse(const QString& text) {
    SessionRule r;
    if (text == QLatin1String("category")) {
        r.kind = Kind::Category;
    } else if (text == QLatin1String("column")) {
        r.kind = Kind::Column;
    } else if (text == QLatin1String("single")) {
        r.kind = Kind::Single;
    } else if (text.startsWith(QLatin1String("length:"))) {
        bool ok = false;
        r.kind = Kind::FixedLength;
        r.length = text.mid(7).toInt(&ok);
        if (!ok || r.length < 1)
            throw std::invalid_argument(
                QStringLiteral("session rule '%1': length must be a whole number >= 1")
                    .arg(text)
                    .toStdString());
    } else {
        throw std::invalid_argument(
            QStringLiteral("unknown session rule '%1' (category, length:N, column, single)")
                .arg(text)
                .toStdString());
    }
    return r;
}

QString SessionRule::toString() const {
    switch (kind) {
    case Kind::Category:
        return QStringLiteral("category");
    case Kind::FixedLength:
        return QStringLiteral("length:%1").arg(length);
    case Kind::Column:
        return QStringLiteral("column");
    case Kind::Single:
        break;
    }
    return QStringLiteral("single");
}

SplitRule SplitRule::parse(const QString& text) {
    SplitRule r;
    if (text == QLatin1String("none"))
        return r;
    if (text.startsWith(QLatin1String("random:"))) {
        bool ok = false;
        r.kind = Kind::Random;
        r.trainFraction = text.mid(7).toDouble(&ok);
        // Written so that NaN, which fails every comparison, is refused too.
        if (!ok || !(r.trainFraction > 0 && r.trainFraction < 1))
            throw std::invalid_argument(
                QStringLiteral("split '%1': the training fraction must be within (0, 1)")
                    .arg(text)
                    .toStdString());
        return r;
    }
    if (text.startsWith(QLatin1String("category:"))) {
        r.kind = Kind::Category;
        r.testCategories = text.mid(9).split(QLatin1Char(','), Qt::SkipEmptyParts);
        if (r.testCategories.isEmpty())
            throw std::invalid_argument(
                QStringLiteral("split '%1': name the test categories").arg(text).toStdString());
        return r;
    }
    throw std::invalid_argument(QStringLiteral("unknown split '%1' (none, random:F, category:A,B)")
                                    .arg(text)
                                    .toStdString());
}

QString SplitRule::toString() const {
    switch (kind) {
    case Kind::Random:
        return QStringLiteral("random:%1").arg(trainFraction);
    case Kind::Category:
        return QStringLiteral("category:") + testCategories.join(QLatin1Char(','));
    case Kind::Sources: { // file names only: a run's record must not depend on where data lives
        QStringList names;
        for (const QString& path : testSources)
            names << QFileInfo(path).fileName();
        return QStringLiteral("test-dataset:") + names.join(QLatin1Char(','));
    }
    case Kind::None:
        break;
    }
    return QStringLiteral("none");
}

} // namespace routerlab
