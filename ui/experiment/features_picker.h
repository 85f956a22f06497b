#pragma once

#include <QWidget>

class QComboBox;
class QPushButton;

namespace routerlab {

// The prompt features of an experiment: an editable list of the forms the core accepts
// (hashed-words:D, tfidf:D, embeddings:FILE, embeddings-api:…) with a Browse button for an
// embeddings file. A form the core would refuse turns the field red with the reason as its
// tooltip; the text stays as typed.
class FeaturesPicker : public QWidget {
    Q_OBJECT

public:
    explicit FeaturesPicker(QWidget* parent = nullptr);

    QString spec() const;
    void setSpec(const QString& spec);
    // Empty when the spec is valid, else what is wrong with it.
    QString problem() const { return problem_; }
    QComboBox* comboBox() const { return combo_; }
    QPushButton* browseButton() const { return browse_; }

private:
    void validate();
    void chooseEmbeddingsFile();

    QComboBox* combo_;
    QPushButton* browse_;
    QString problem_;
    QString hint_;
};

} // namespace routerlab
