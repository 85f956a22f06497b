#pragma once

#include <QString>
#include <QStringList>

namespace routerlab {

class MainWindow;

// What the user last had open, kept in the settings so that the next start reopens it.
struct LastSession {
    QString workspace;    // a workspace file, or empty
    QStringList datasets; // the last dataset's files or folders, or empty
    QString pool;         // the pool that priced them; empty for the costs the data records
    bool isEmpty() const { return workspace.isEmpty() && datasets.isEmpty(); }
    // The recorded files and folders that no longer exist.
    QStringList missingFiles() const;
};

LastSession readLastSession();
void rememberLastWorkspace(const QString& path);
void rememberLastDataset(const QStringList& paths, const QString& pool);

// The sample data behind Help ▸ Open the Demo; an empty dataset when none was found.
struct DemoFiles {
    QString dataset;
    QString pool;
};

// Reopens what the settings recorded. When a recorded file is gone, says which in the status
// bar and opens nothing. False when nothing was recorded: the first start.
bool reopenLastSession(MainWindow& window);
// The sample with its ready-made experiment, which runs as soon as the data is in, so every
// page has something to show.
void openDemo(MainWindow& window, const DemoFiles& demo);

} // namespace routerlab
