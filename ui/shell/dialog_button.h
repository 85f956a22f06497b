#pragma once

#include <QPushButton>

namespace routerlab {

// A dialog's push button that Return in one of its text fields does not press: there Return
// must not start a paid run, a live quiz or a training.
inline QPushButton* dialogButton(const QString& text, QWidget* parent) {
    auto* button = new QPushButton(text, parent);
    button->setAutoDefault(false);
    return button;
}

} // namespace routerlab
