#pragma once

#include <QDialog>
#include <vector>

class QListWidget;
class QPushButton;

namespace routerlab {

// A stored result the Compare Runs dialog offers.
struct RunChoice {
    enum class Source { Session, Stored, File };
    Source source = Source::File;
    qint64 id = -1; // Session: the result's index in the window; Stored: the experiment's id
    QString path;   // File: the result file
    QString title;
    QString detail; // tooltip: where it is, how many cells
};

// Experiment ▸ Compare Runs…: tick two or more results (this window's runs and opened files,
// the open workspace's stored experiments, result files added with Browse) and drag them into
// order; the first ticked is run A, the one the others are compared with.
class CompareRunsDialog : public QDialog {
    Q_OBJECT

public:
    CompareRunsDialog(const std::vector<RunChoice>& offered, QWidget* parent = nullptr);

    // Ticks the offered result of this source and id (a workspace tree's entry), if listed.
    void check(RunChoice::Source source, qint64 id);
    // Lists result files (Browse does this after its file dialog), ticked.
    void addFiles(const QStringList& paths);
    // The ticked results, in list order.
    std::vector<RunChoice> chosen() const;

    QListWidget* list() const { return list_; }
    QPushButton* compareButton() const { return compare_; }

private:
    void addChoice(const RunChoice& choice, bool checked);
    void browse();
    void updateButton();

    std::vector<RunChoice> choices_; // item data indexes this
    QListWidget* list_;
    QPushButton* compare_;
};

} // namespace routerlab
