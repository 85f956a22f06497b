#pragma once

#include "ui/experiment/prepared_experiment.h"
#include "ui/quiz/quiz_job.h"

#include <QWidget>

class QButtonGroup;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QRadioButton;

namespace routerlab {

// The quiz wizard's first page: the new model, one of the dataset's held out (answered from its
// records) or one at an endpoint (asked live), and the routing trade-off it is judged at.
class QuizModelPage : public QWidget {
    Q_OBJECT

public:
    explicit QuizModelPage(QWidget* parent = nullptr);

    // The dataset's models to hold out, and the note on where the prompts come from.
    void setWindowData(const LoadedData& data, const QString& datasetName);
    bool isLive() const;
    // Fills the request's model and preference from the page (not the budget); false with the
    // reason when the page does not describe a model to quiz.
    bool fillRequest(const LoadedData& data, QuizRequest& request, QString& error) const;

    QRadioButton* heldOutButton() const { return heldOut_; }
    QRadioButton* endpointButton() const { return endpoint_; }
    QComboBox* modelBox() const { return model_; }
    QLineEdit* idEdit() const { return id_; }
    QLineEdit* baseUrlEdit() const { return baseUrl_; }
    QLineEdit* remoteModelEdit() const { return remoteModel_; }
    QLineEdit* keyVariableEdit() const { return keyVariable_; }
    QDoubleSpinBox* inputPriceBox() const { return inputPrice_; }
    QDoubleSpinBox* outputPriceBox() const { return outputPrice_; }
    QComboBox* scorerBox() const { return scorer_; }
    QDoubleSpinBox* costWeightBox() const { return costWeight_; }

signals:
    void modelKindChanged(bool live);

private:
    QWidget* createEndpointForm();
    bool fillEndpointModel(QuizRequest& request, QString& error) const;
    void updateModelKind();

    QLabel* dataNote_;
    QRadioButton* heldOut_;
    QRadioButton* endpoint_;
    QButtonGroup* modelKind_;
    QComboBox* model_;
    QWidget* endpointForm_;
    QLineEdit* id_;
    QLineEdit* baseUrl_;
    QLineEdit* remoteModel_;
    QLineEdit* keyVariable_;
    QDoubleSpinBox* inputPrice_;
    QDoubleSpinBox* outputPrice_;
    QComboBox* scorer_;
    QDoubleSpinBox* costWeight_;
};

} // namespace routerlab
