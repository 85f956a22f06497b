#pragma once

#include <QCommandLineOption>
#include <QString>
#include <QStringList>
#include <limits>
#include <utility>
#include <vector>

namespace routerlab {

// A command-line option that takes a number, with the range it accepts. Every numeric option
// of every command is one of these, so one check decides what a number is: finite, within
// the range, and whole where the option counts something.
class NumberOption {
public:
    static constexpr quint64 kLargestWhole = std::numeric_limits<quint64>::max();

    // A whole number within minimum..maximum (no sign, no fraction, no exponent).
    static NumberOption whole(QString name, QString description, QString valueName,
                              QString defaultValue, quint64 minimum, quint64 maximum);
    // A finite real number within minimum..maximum.
    static NumberOption real(QString name, QString description, QString valueName,
                             QString defaultValue, double minimum, double maximum);

    const QString& name() const { return name_; }
    bool isWhole() const { return whole_; }
    const QString& defaultValue() const { return defaultValue_; }
    // The option takes a comma list of such numbers (e.g. --budget 5,10,20).
    NumberOption& acceptingList() {
        list_ = true;
        return *this;
    }
    bool isList() const { return list_; }
    QCommandLineOption commandLineOption() const;
    // "a whole number within 1..100000", "a number within 0..1"
    QString rangeText() const;

    // What is wrong with `text` as this option's value (each item, for a list), naming the
    // option, the value and the range; empty when it is fine.
    QString problem(const QString& text) const;
    // One value; std::invalid_argument with the problem when it is not fine.
    quint64 toWhole(const QString& text) const;
    double toReal(const QString& text) const;

private:
    NumberOption(QString name, QString description, QString valueName, QString defaultValue,
                 bool whole)
        : name_(std::move(name)), valueName_(std::move(valueName)),
          description_(std::move(description)), defaultValue_(std::move(defaultValue)),
          whole_(whole) {}
    QString valueProblem(const QString& text) const;
    QString bounds() const; // "1..100000"

    QString name_;
    QString valueName_;
    QString description_;
    QString defaultValue_;
    bool whole_ = true;
    bool list_ = false;
    quint64 wholeMinimum_ = 0;
    quint64 wholeMaximum_ = 0;
    double realMinimum_ = 0;
    double realMaximum_ = 0;
};

// The option of this name in `options`; nullptr when there is none.
const NumberOption* findNumberOption(const std::vector<NumberOption>& options, const QString& name);

} // namespace routerlab
