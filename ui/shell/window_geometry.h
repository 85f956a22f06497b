#pragma once

#include <QByteArray>
#include <QRect>

class QDockWidget;
class QMainWindow;
class QTabWidget;
class QWidget;

namespace routerlab {

// `frame` no larger than `available` and moved inside it.
QRect fitWithin(const QRect& frame, const QRect& available);

// The window's frame (its title bar and borders included, once the platform knows them)
// within the available area of its screen; a maximised or full-screen window is left alone.
void fitToScreen(QWidget* window);

// Restores a geometry QWidget::saveGeometry made (another screen's, perhaps larger than this
// one) or, when there is none, gives the first-start size; then fits it to the screen.
void restoreFittedGeometry(QWidget* window, const QByteArray& saved);

// Hides `dock` while `tabs` shows `page` (which holds what the dock shows) and shows it again
// on leaving, unless it was closed already.
void letDockStepAside(QTabWidget* tabs, QWidget* page, QDockWidget* dock);

// Closes `dock` (docked, not floating) when `window` is narrower than `minimumWidth`: the pages
// need its width. `neighbour`, docked on the other side, gets back `neighbourWidth` if the dock
// was open, since the dock had taken room from it.
void closeDockWhenNarrow(QMainWindow* window, QDockWidget* dock, int minimumWidth,
                         QDockWidget* neighbour, int neighbourWidth);

} // namespace routerlab
