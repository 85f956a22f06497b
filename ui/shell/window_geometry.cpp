#include "ui/shell/window_geometry.h"

#include <QDockWidget>
#include <QGuiApplication>
#include <QMainWindow>
#include <QScreen>
#include <QTabWidget>
#include <QWidget>
#include <algorithm>
#include <memory>
#include <utility>

namespace routerlab {

namespace {

// The size a first start asks for, when the screen has room for it.
constexpr int kDefaultWidth = 1400;
constexpr int kDefaultHeight = 860;
// Left around a first-start window for the title bar and borders the platform adds later.
constexpr int kFrameAllowance = 48;

QRect availableArea(const QWidget* window) {
    QScreen* screen = QGuiApplication::screenAt(window->frameGeometry().center());
    if (!screen)
        screen = window->screen() ? window->screen() : QGuiApplication::primaryScreen();
    return screen ? screen->availableGeometry() : QRect();
}

} // namespace

QRect fitWithin(const QRect& frame, const QRect& available) {
    if (!available.isValid())
        return frame;
    QRect fitted(frame.topLeft(), frame.size().boundedTo(available.size()));
    fitted.moveLeft(
        std::clamp(fitted.left(), available.left(), available.right() - fitted.width() + 1));
    fitted.moveTop(
        std::clamp(fitted.top(), available.top(), available.bottom() - fitted.height() + 1));
    return fitted;
}

void fitToScreen(QWidget* window) {
    if (window->isMaximized() || window->isFullScreen())
        return;
    const QRect available = availableArea(window);
    const QRect frame = window->frameGeometry();
    const QRect client = window->geometry();
    const QRect fitted = fitWithin(frame, available);
    if (fitted == frame)
        return;
    // Back from the frame to the client area, keeping the borders the platform reported.
    window->setGeometry(fitted.adjusted(client.left() - frame.left(), client.top() - frame.top(),
                                        client.right() - frame.right(),
                                        client.bottom() - frame.bottom()));
}

void restoreFittedGeometry(QWidget* window, const QByteArray& saved) {
    if (saved.isEmpty() || !window->restoreGeometry(saved)) {
        const QRect available = availableArea(window);
        const QSize room = available.size() - QSize(kFrameAllowance, kFrameAllowance);
        window->resize(QSize(kDefaultWidth, kDefaultHeight).boundedTo(room));
        window->move(available.topLeft() + QPoint(kFrameAllowance / 2, kFrameAllowance / 2));
    }
    fitToScreen(window);
}

void letDockStepAside(QTabWidget* tabs, QWidget* page, QDockWidget* dock) {
    auto hiddenForPage = std::make_shared<bool>(false);
    QObject::connect(tabs, &QTabWidget::currentChanged, dock, [tabs, page, dock, hiddenForPage] {
        const bool onPage = tabs->currentWidget() == page;
        if (onPage && dock->isVisible()) {
            dock->hide();
            *hiddenForPage = true;
        } else if (!onPage && std::exchange(*hiddenForPage, false)) {
            dock->show();
        }
    });
}

void closeDockWhenNarrow(QMainWindow* window, QDockWidget* dock, int minimumWidth,
                         QDockWidget* neighbour, int neighbourWidth) {
    if (window->width() >= minimumWidth || dock->isFloating())
        return;
    const bool wasOpen = !dock->isHidden();
    dock->hide();
    if (wasOpen)
        window->resizeDocks({neighbour}, {neighbourWidth}, Qt::Horizontal);
}

} // namespace routerlab
