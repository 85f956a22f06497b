#pragma once

#include "store/workspace_store.h"

#include <QGroupBox>
#include <memory>
#include <vector>

class QLabel;
class QLayout;
class QPlainTextEdit;
class QToolButton;

namespace routerlab {

// The Live Console's selected call: its prompt, its answer (or why there is none) and the
// person's rating of it, read from and stored in the run's workspace through a connection of
// the GUI thread's own (the session writes through another).
class LiveAnswerPane : public QGroupBox {
    Q_OBJECT

public:
    explicit LiveAnswerPane(QWidget* parent = nullptr);

    // The workspace whose calls are shown and rated.
    void setWorkspace(const QString& path) { workspace_ = path; }
    void showCall(const LiveCallRecord& call, const QString& promptText);
    void showNoCall();
    // Stores the rating of call `callId`; false with the reason in `error` when it cannot.
    bool rate(qint64 callId, const HumanRating& rating, QString& error);

    QPlainTextEdit* promptView() const { return promptView_; }
    QPlainTextEdit* answerView() const { return answer_; }
    QLabel* ratingLabel() const { return rating_; }
    QToolButton* thumbsUpButton() const { return thumbsUp_; }
    QToolButton* thumbsDownButton() const { return thumbsDown_; }
    QToolButton* starButton(int stars) const { return stars_.at(stars - 1); }

signals:
    // The person pressed a thumb or a star.
    void rated(const HumanRating& rating);

private:
    QLayout* createRatingRow();
    void showRating(qint64 callId);
    WorkspaceStore* store(QString& error);

    QPlainTextEdit* promptView_;
    QPlainTextEdit* answer_;
    QLabel* rating_;
    QToolButton* thumbsUp_;
    QToolButton* thumbsDown_;
    std::vector<QToolButton*> stars_;

    QString workspace_;
    std::unique_ptr<WorkspaceStore> store_;
};

} // namespace routerlab
