#include "ui/shell/recent_files_menu.h"

#include "ui/shell/app_settings.h"

#include <QFileInfo>

namespace routerlab {

namespace {

const QString kKey = QStringLiteral("recent");

QVariantMap toVariant(const LoadRequest& r) {
    return {{QStringLiteral("paths"), r.paths}, {QStringLiteral("pool"), r.poolPath}};
}

} // namespace

RecentFilesMenu::RecentFilesMenu(QWidget* parent) : QMenu(tr("Open &Recent"), parent) {
    rebuild();
}

QString RecentFilesMenu::describe(const LoadRequest& r) {
    if (r.poolOnly())
        return QFileInfo(r.poolPath).fileName();
    QString text = QFileInfo(r.paths.first()).fileName();
    if (r.paths.size() > 1)
        text += tr(" and %1 more").arg(r.paths.size() - 1);
    return text;
}

QList<LoadRequest> RecentFilesMenu::entries() const {
    QList<LoadRequest> out;
    for (const QVariant& v : appSettings().value(kKey).toList()) {
        const QVariantMap item = v.toMap();
        LoadRequest r{item.value(QStringLiteral("paths")).toStringList(),
                      item.value(QStringLiteral("pool")).toString()};
        if (!r.paths.isEmpty() || !r.poolPath.isEmpty())
            out << r;
    }
    return out;
}

void RecentFilesMenu::add(const LoadRequest& request) {
    QSettings s = appSettings();
    QVariantList recent = s.value(kKey).toList();
    const QVariantMap item = toVariant(request);
    recent.removeAll(item);
    recent.prepend(item);
    while (recent.size() > kMaxEntries)
        recent.removeLast();
    s.setValue(kKey, recent);
    rebuild();
}

void RecentFilesMenu::rebuild() {
    clear();
    for (const LoadRequest& request : entries()) {
        QString label = describe(request);
        if (!request.poolOnly() && !request.poolPath.isEmpty())
            label += tr(" with %1").arg(QFileInfo(request.poolPath).fileName());
        QAction* action = addAction(label);
        action->setToolTip((request.paths + QStringList{request.poolPath}).join(QLatin1Char('\n')));
        connect(action, &QAction::triggered, this,
                [this, request] { emit openRequested(request); });
    }
    setEnabled(!isEmpty());
}

} // namespace routerlab
