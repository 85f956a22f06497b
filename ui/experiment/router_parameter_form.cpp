#include "ui/experiment/router_parameter_form.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <cmath>
#include <limits>

namespace routerlab {

namespace {

// Enough decimals to show the default and the bounds, without an endless tail.
int decimalsFor(const RouterParameter& p) {
    int decimals = 2;
    for (const double v : {p.defaultValue.toDouble(), p.minimum}) {
        if (v == 0)
            continue;
        decimals = std::max(decimals, 2 - static_cast<int>(std::floor(std::log10(std::abs(v)))));
    }
    return std::min(decimals, 8);
}

int clampToInt(double v) {
    return static_cast<int>(std::clamp(v, double(std::numeric_limits<int>::min()),
                                       double(std::numeric_limits<int>::max())));
}

} // namespace

RouterParameterForm::RouterParameterForm(QWidget* parent)
    : QWidget(parent), form_(new QFormLayout(this)) {
    form_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
}

void RouterParameterForm::setSpec(const RouterSpec& spec) {
    while (form_->rowCount() > 0)
        form_->removeRow(0);
    editors_.clear();
    name_ = spec.name;
    const RouterType* type = RouterRegistry::instance().find(spec.name);
    if (!type)
        return;
    if (type->parameters.empty())
        form_->addRow(new QLabel(tr("<i>%1 has no parameters.</i>").arg(spec.name), this));
    for (const RouterParameter& p : type->parameters) {
        const auto given = spec.parameters.find(p.name);
        const QString text =
            given != spec.parameters.end() ? given->second : p.defaultValue.toString();
        QWidget* editor = nullptr;
        const bool numberOrWord = p.type == RouterParameter::Type::Number && !p.words.isEmpty();
        switch (numberOrWord ? RouterParameter::Type::Text : p.type) {
        case RouterParameter::Type::Number: {
            auto* box = new QDoubleSpinBox(this);
            box->setDecimals(decimalsFor(p));
            box->setRange(p.minimum, p.maximum);
            box->setSingleStep(
                std::max(std::pow(10.0, -box->decimals()), (p.maximum - p.minimum) / 100.0));
            box->setSpecialValueText(p.minimumMeans);
            box->setValue(text.toDouble());
            connect(box, &QDoubleSpinBox::valueChanged, this, &RouterParameterForm::specEdited);
            editor = box;
            break;
        }
        case RouterParameter::Type::Integer: {
            auto* box = new QSpinBox(this);
            box->setRange(clampToInt(p.minimum), clampToInt(p.maximum));
            box->setSpecialValueText(p.minimumMeans);
            box->setValue(text.toInt());
            connect(box, &QSpinBox::valueChanged, this, &RouterParameterForm::specEdited);
            editor = box;
            break;
        }
        case RouterParameter::Type::Text: {
            if (!p.choices.isEmpty()) {
                auto* box = new QComboBox(this);
                box->addItems(p.choices);
                box->setCurrentText(text);
                connect(box, &QComboBox::currentIndexChanged, this,
                        &RouterParameterForm::specEdited);
                editor = box;
                break;
            }
            auto* edit = new QLineEdit(text, this);
            edit->setPlaceholderText(
                p.defaultValue.toString().isEmpty() ? tr("(none)") : p.defaultValue.toString());
            connect(edit, &QLineEdit::editingFinished, this, &RouterParameterForm::specEdited);
            editor = edit;
            break;
        }
        }
        editor->setObjectName(QStringLiteral("parameter_") + p.name);
        editor->setAccessibleName(p.name);
        editor->setAccessibleDescription(p.help);
        const QString words =
            p.words.isEmpty() ? QString() : tr(", or %1").arg(p.words.join(tr(" or ")));
        const QString minimum = p.minimumMeans.isEmpty()
                                    ? QString::number(p.minimum)
                                    : tr("%1 (%2)").arg(p.minimum).arg(p.minimumMeans);
        const bool defaultIsMinimum =
            !p.minimumMeans.isEmpty() && p.defaultValue.toDouble() == p.minimum;
        const QString range =
            p.type == RouterParameter::Type::Text
                ? QString()
                : tr(" (%1 to %2%3, default %4)")
                      .arg(minimum)
                      .arg(p.maximum)
                      .arg(words, defaultIsMinimum ? p.minimumMeans : p.defaultValue.toString());
        editor->setToolTip(p.help + range);
        auto* label = new QLabel(p.name, this);
        label->setToolTip(editor->toolTip());
        form_->addRow(label, editor);
        editors_.emplace_back(p, editor);
    }
}

RouterSpec RouterParameterForm::spec() const {
    RouterSpec spec;
    spec.name = name_;
    for (const auto& [p, editor] : editors_) {
        QString value;
        bool isDefault = false;
        if (const auto* d = qobject_cast<const QDoubleSpinBox*>(editor)) {
            value = QString::number(d->value(), 'g', 10);
            isDefault = std::abs(d->value() - p.defaultValue.toDouble()) <
                        0.5 * std::pow(10.0, -d->decimals());
        } else if (const auto* i = qobject_cast<const QSpinBox*>(editor)) {
            value = QString::number(i->value());
            isDefault = i->value() == p.defaultValue.toInt();
        } else if (const auto* c = qobject_cast<const QComboBox*>(editor)) {
            value = c->currentText();
            isDefault = value == p.defaultValue.toString();
        } else if (const auto* t = qobject_cast<const QLineEdit*>(editor)) {
            value = t->text().trimmed();
            isDefault = value.isEmpty() || value == p.defaultValue.toString();
        }
        if (!isDefault)
            spec.parameters[p.name] = value;
    }
    return spec;
}

QWidget* RouterParameterForm::editor(const QString& parameter) const {
    for (const auto& [p, editor] : editors_)
        if (p.name == parameter)
            return editor;
    return nullptr;
}

} // namespace routerlab
