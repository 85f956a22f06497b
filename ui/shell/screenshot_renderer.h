#pragma once

#include <QSize>
#include <QString>
#include <QStringList>

namespace routerlab {

class MainWindow;

// Renders every page of the window to DIR/NN-page.png (the README's screenshots), after
// loading the sample data, running the ready-made experiment and setting the slider, so
// each chart is populated, with the window at `size`. Returns the files written; sets `error`
// and stops on a failure.
QStringList renderScreenshots(MainWindow& window, const QString& dir, const QString& datasetPath,
                              const QString& poolPath, const QSize& size, QString& error);

} // namespace routerlab
