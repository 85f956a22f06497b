#pragma once

#include "ui/dataset/dataset_load_job.h"

#include <QMenu>

namespace routerlab {

// File ▸ Open Recent: the last few datasets (with their pools) and pools opened, kept in
// QSettings so they survive a restart.
class RecentFilesMenu : public QMenu {
    Q_OBJECT

public:
    static constexpr int kMaxEntries = 8;

    explicit RecentFilesMenu(QWidget* parent = nullptr);

    // Moves the request to the top, adding it when new.
    void add(const LoadRequest& request);
    QList<LoadRequest> entries() const;

    // "sample.csv", "a.csv and 2 more", or the pool file's name for a pool alone.
    static QString describe(const LoadRequest& request);

signals:
    void openRequested(const routerlab::LoadRequest& request);

private:
    void rebuild();
};

} // namespace routerlab
