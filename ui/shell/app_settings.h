#pragma once

#include <QSettings>

namespace routerlab {

// The workbench's own settings file: window geometry, recent files, the last session.
inline QSettings appSettings() {
    return QSettings(QStringLiteral("RouterLab"), QStringLiteral("RouterLab"));
}

} // namespace routerlab
