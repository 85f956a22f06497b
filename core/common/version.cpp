#include "common/version.h"

#include "build_info.h"

namespace routerlab {

QString versionString() {
    const QString commit = QStringLiteral(ROUTERLAB_GIT_COMMIT);
    if (commit.isEmpty())
        return QStringLiteral(ROUTERLAB_VERSION);
    return QStringLiteral("%1 (commit %2)").arg(QStringLiteral(ROUTERLAB_VERSION), commit);
}

} // namespace routerlab
