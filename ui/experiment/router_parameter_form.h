#pragma once

#include "routers/router_registry.h"

#include <QWidget>
#include <vector>

class QFormLayout;

namespace routerlab {

// The hyper-parameters of one router type as a form generated from the registry: a spin box
// per number (with the parameter's range and default), a line edit per text, help as tool
// tips. Nothing here names a router: a new router gets its form for free.
class RouterParameterForm : public QWidget {
    Q_OBJECT

public:
    explicit RouterParameterForm(QWidget* parent = nullptr);

    // Shows the form of `spec.name` filled with its values (defaults where it sets none).
    void setSpec(const RouterSpec& spec);
    // The router with the values that differ from the defaults.
    RouterSpec spec() const;
    QString routerName() const { return name_; }
    // The editor of a parameter, for tests; null when the router has no such parameter.
    QWidget* editor(const QString& parameter) const;

signals:
    void specEdited();

private:
    QString name_;
    QFormLayout* form_;
    std::vector<std::pair<RouterParameter, QWidget*>> editors_;
};

} // namespace routerlab
