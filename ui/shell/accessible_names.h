#pragma once

class QWidget;

namespace routerlab {

// Names for assistive technologies, from what a sighted user reads beside each control: the
// label of its form row (or the label whose buddy it is, or the label just left of it), the
// title of a group that holds only it, its placeholder text, the first sentence of its tooltip; a
// table on a page takes the page's title, a chart view its chart's title, else its page's. Controls
// already named keep their names; buttons are read by their text and are left alone. Called once
// the widgets exist (the window, a tool window when first made).
void nameControls(QWidget* root);

} // namespace routerlab
