#include "ui/live/live_answer_pane.h"

#include "common/error_message.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QToolButton>
#include <QVBoxLayout>

namespace routerlab {

namespace {

QString describeRating(const HumanRating& r) {
    if (r.scale == HumanRating::Scale::Thumbs)
        return r.rating > 0.5 ? LiveAnswerPane::tr("Rated: thumbs up")
                              : LiveAnswerPane::tr("Rated: thumbs down");
    return LiveAnswerPane::tr("Rated: %1 of 5 stars").arg(r.rating);
}

} // namespace

LiveAnswerPane::LiveAnswerPane(QWidget* parent) : QGroupBox(tr("Answer"), parent) {
    promptView_ = new QPlainTextEdit(this);
    promptView_->setReadOnly(true);
    promptView_->setMaximumHeight(90);
    promptView_->setPlaceholderText(tr("The selected call's prompt"));
    // ChatClient reports a call once it has ended (it has no per-chunk callback), so an answer
    // appears whole when its call ends, streamed or not.
    answer_ = new QPlainTextEdit(this);
    answer_->setObjectName(QStringLiteral("liveAnswer"));
    answer_->setAccessibleName(tr("Answer"));
    promptView_->setAccessibleName(tr("Prompt of the selected call"));
    answer_->setReadOnly(true);
    answer_->setPlaceholderText(tr("Select a call to read its answer"));

    QLayout* ratingRow = createRatingRow();
    rating_ = new QLabel(this);
    rating_->setObjectName(QStringLiteral("liveRating"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(promptView_);
    layout->addWidget(answer_, 1);
    layout->addLayout(ratingRow);
    layout->addWidget(rating_);
}

QLayout* LiveAnswerPane::createRatingRow() {
    thumbsUp_ = new QToolButton(this);
    thumbsUp_->setText(tr("Good"));
    thumbsUp_->setToolTip(tr("Thumbs up: quality 1"));
    thumbsDown_ = new QToolButton(this);
    thumbsDown_->setText(tr("Bad"));
    thumbsDown_->setToolTip(tr("Thumbs down: quality 0"));
    thumbsUp_->setArrowType(Qt::UpArrow);
    thumbsDown_->setArrowType(Qt::DownArrow);
    auto* group = new QButtonGroup(this);
    group->setExclusive(false); // a selection without a rating shows none checked
    auto* ratingRow = new QHBoxLayout;
    for (QToolButton* b : {thumbsUp_, thumbsDown_}) {
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        ratingRow->addWidget(b);
    }
    connect(thumbsUp_, &QToolButton::clicked, this, [this] {
        emit rated({HumanRating::Scale::Thumbs, 1, {}, {}});
    });
    connect(thumbsDown_, &QToolButton::clicked, this, [this] {
        emit rated({HumanRating::Scale::Thumbs, 0, {}, {}});
    });
    ratingRow->addSpacing(12);
    for (int n = 1; n <= 5; ++n) {
        auto* star = new QToolButton(this);
        star->setText(QString(n, QChar(0x2605)));
        star->setToolTip(tr("%n star(s): quality %1", nullptr, n).arg((n - 1) / 4.0));
        connect(star, &QToolButton::clicked, this, [this, n] {
            emit rated({HumanRating::Scale::Stars, double(n), {}, {}});
        });
        stars_.push_back(star);
        ratingRow->addWidget(star);
    }
    for (QToolButton* b : stars_)
        group->addButton(b);
    group->addButton(thumbsUp_);
    group->addButton(thumbsDown_);
    for (QAbstractButton* b : group->buttons()) {
        b->setCheckable(true);
        b->setEnabled(false);
    }
    ratingRow->addStretch(1);
    return ratingRow;
}

void LiveAnswerPane::showNoCall() {
    promptView_->clear();
    answer_->clear();
    rating_->clear();
    for (QAbstractButton* b : thumbsUp_->group()->buttons()) {
        b->setChecked(false);
        b->setEnabled(false);
    }
}

void LiveAnswerPane::showCall(const LiveCallRecord& c, const QString& promptText) {
    const QList<QAbstractButton*> buttons = thumbsUp_->group()->buttons();
    for (QAbstractButton* b : buttons)
        b->setChecked(false);
    promptView_->setPlainText(promptText);
    const bool rateable = c.status == QLatin1String("ok");
    if (rateable)
        answer_->setPlainText(c.response);
    else
        answer_->setPlainText(tr("No answer: the call %1.\n\n%2")
                                  .arg(c.status == QLatin1String("cancelled")
                                           ? tr("was cancelled")
                                           : tr("failed after %n attempt(s)", nullptr, c.attempts),
                                       c.error));
    for (QAbstractButton* b : buttons)
        b->setEnabled(rateable);
    if (rateable)
        showRating(c.id);
    else
        rating_->setText(tr("Only answers can be rated."));
}

void LiveAnswerPane::showRating(qint64 callId) {
    QString error;
    WorkspaceStore* workspace = store(error);
    std::optional<HumanRating> stored;
    try {
        if (workspace)
            stored = workspace->liveCallRating(callId);
    } catch (const std::exception& e) {
        error = QString::fromUtf8(e.what());
    }
    if (!error.isEmpty()) {
        rating_->setText(tr("Cannot read the rating: %1").arg(error));
    } else if (!stored) {
        rating_->setText(tr("Not rated yet"));
    } else {
        rating_->setText(describeRating(*stored));
        if (stored->scale == HumanRating::Scale::Thumbs)
            (stored->rating > 0.5 ? thumbsUp_ : thumbsDown_)->setChecked(true);
        else
            stars_.at(static_cast<int>(stored->rating) - 1)->setChecked(true);
    }
}

bool LiveAnswerPane::rate(qint64 callId, const HumanRating& rating, QString& error) {
    WorkspaceStore* workspace = store(error);
    try {
        if (workspace)
            workspace->rateLiveCall(callId, rating);
    } catch (const std::exception& e) {
        error = QString::fromUtf8(e.what());
    }
    return error.isEmpty() && workspace;
}

WorkspaceStore* LiveAnswerPane::store(QString& error) {
    if (workspace_.isEmpty()) {
        error = tr("no workspace");
        return nullptr;
    }
    try {
        if (!store_ || store_->path() != workspace_) {
            store_.reset();
            store_ = std::make_unique<WorkspaceStore>(workspace_);
        }
        return store_.get();
    } catch (...) {
        error = currentErrorMessage();
    }
    store_.reset();
    return nullptr;
}

} // namespace routerlab
