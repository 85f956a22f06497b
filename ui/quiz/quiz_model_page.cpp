#include "ui/quiz/quiz_model_page.h"

#include "common/error_message.h"
#include "http/chat_protocol.h"
#include "live/scorer.h"
#include "ui/quiz/quiz_widgets.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QUrl>
#include <QVBoxLayout>

namespace routerlab {

using quiz_widgets::note;

QuizModelPage::QuizModelPage(QWidget* parent) : QWidget(parent) {
    auto* intro =
        note(tr("A model new to the pool is placed from a few prompts instead of a full benchmark: "
                "the quiz fits an identity for it beside the pool's models (item response theory) "
                "and the irt-bandit router, trained without it, routes to it from then on."),
             this);
    dataNote_ = note(tr("Open a dataset first: the quiz asks its prompts."), this);

    heldOut_ = new QRadioButton(tr("A model of the dataset, held out — simulated from its "
                                   "recorded answers, so the quiz can be judged"),
                                this);
    endpoint_ = new QRadioButton(tr("A new model at an endpoint — asked live and scored "
                                    "against the prompts' references"),
                                 this);
    modelKind_ = new QButtonGroup(this);
    modelKind_->addButton(heldOut_);
    modelKind_->addButton(endpoint_);
    heldOut_->setChecked(true);
    connect(heldOut_, &QRadioButton::toggled, this, &QuizModelPage::updateModelKind);

    model_ = new QComboBox(this);
    model_->setObjectName(QStringLiteral("quizModel"));
    model_->setMinimumContentsLength(24);
    auto* heldOutForm = new QFormLayout;
    heldOutForm->setContentsMargins(24, 0, 0, 0);
    heldOutForm->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    heldOutForm->addRow(tr("Model to hold out"), model_);

    endpointForm_ = createEndpointForm();

    costWeight_ = new QDoubleSpinBox(this);
    costWeight_->setObjectName(QStringLiteral("quizCostWeight"));
    costWeight_->setRange(0, 1);
    costWeight_->setSingleStep(0.1);
    costWeight_->setDecimals(2);
    costWeight_->setToolTip(tr("The routing trade-off the quiz is judged at: quality weighs "
                               "1 - cost weight"));
    auto* preference = new QFormLayout;
    preference->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    preference->addRow(tr("Cost weight of the routing trade-off"), costWeight_);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(dataNote_);
    layout->addSpacing(8);
    layout->addWidget(heldOut_);
    layout->addLayout(heldOutForm);
    layout->addSpacing(8);
    layout->addWidget(endpoint_);
    layout->addWidget(endpointForm_);
    layout->addSpacing(8);
    layout->addLayout(preference);
    layout->addStretch(1);
    updateModelKind();
}

QWidget* QuizModelPage::createEndpointForm() {
    auto* box = new QWidget(this);
    box->setMaximumWidth(760); // a URL fits; a full-width row reads as a wall
    auto* form = new QFormLayout(box);
    form->setContentsMargins(24, 0, 0, 0);
    id_ = new QLineEdit(QStringLiteral("new-model"), box);
    id_->setObjectName(QStringLiteral("quizModelId"));
    id_->setToolTip(tr("The id the pool will know it by"));
    baseUrl_ = new QLineEdit(box);
    baseUrl_->setObjectName(QStringLiteral("quizBaseUrl"));
    baseUrl_->setPlaceholderText(tr("an OpenAI-compatible base URL ending in /v1"));
    remoteModel_ = new QLineEdit(box);
    remoteModel_->setObjectName(QStringLiteral("quizRemoteModel"));
    remoteModel_->setPlaceholderText(tr("the model name the endpoint expects (default: the id)"));
    keyVariable_ = new QLineEdit(box);
    keyVariable_->setObjectName(QStringLiteral("quizKeyVariable"));
    keyVariable_->setPlaceholderText(tr("name of the environment variable holding the API key"));
    inputPrice_ = new QDoubleSpinBox(box);
    outputPrice_ = new QDoubleSpinBox(box);
    for (QDoubleSpinBox* price : {inputPrice_, outputPrice_}) {
        price->setRange(0, 1000);
        price->setDecimals(3);
        price->setPrefix(QStringLiteral("$"));
        price->setSuffix(tr(" per 1M tokens"));
    }
    scorer_ = new QComboBox(box);
    scorer_->setObjectName(QStringLiteral("quizScorer"));
    // The scorers that need no person and no second model: a quiz asks many prompts quickly.
    scorer_->addItems({QStringLiteral("normalised"), QStringLiteral("exact"),
                       QStringLiteral("numeric"), QStringLiteral("choice"),
                       QStringLiteral("replay")});
    scorer_->setToolTip(tr("How an answer is compared with the prompt's reference; replay reads "
                           "the quality the replay server recorded"));
    form->addRow(tr("Pool id"), id_);
    form->addRow(tr("Base URL"), baseUrl_);
    form->addRow(tr("Remote model"), remoteModel_);
    form->addRow(tr("Key variable"), keyVariable_);
    form->addRow(tr("Input price"), inputPrice_);
    form->addRow(tr("Output price"), outputPrice_);
    form->addRow(tr("Scorer"), scorer_);
    return box;
}

void QuizModelPage::setWindowData(const LoadedData& data, const QString& datasetName) {
    const QString kept = model_->currentText();
    model_->clear();
    if (!data.dataset) {
        dataNote_->setText(tr("Open a dataset first: the quiz asks its prompts."));
        return;
    }
    model_->addItems(data.dataset->modelNames);
    const int index = model_->findText(kept);
    if (index >= 0)
        model_->setCurrentIndex(index);
    else if (model_->count())
        model_->setCurrentIndex(model_->count() - 1); // often the newest, smallest model
    dataNote_->setText(
        tr("Prompts from %1 (%2 prompts in %3 categories), priced by the pool %4.")
            .arg(datasetName.isEmpty() ? data.dataset->name : datasetName)
            .arg(data.dataset->promptCount())
            .arg(data.dataset->categoryNames.size())
            .arg(data.pool && !data.pool->name.isEmpty() ? data.pool->name : tr("of the window")));
}

bool QuizModelPage::isLive() const {
    return endpoint_->isChecked();
}

void QuizModelPage::updateModelKind() {
    const bool live = isLive();
    model_->setEnabled(!live);
    endpointForm_->setEnabled(live);
    emit modelKindChanged(live);
}

bool QuizModelPage::fillRequest(const LoadedData& data, QuizRequest& request,
                                QString& error) const {
    if (!data.dataset || !data.pool) {
        error = tr("open a dataset and its pool first: the quiz asks the dataset's prompts");
        return false;
    }
    request.dataset = data.dataset;
    request.pool = data.pool;
    const double cost = costWeight_->value();
    request.preference = Preference{1 - cost, cost, 0};
    if (isLive())
        return fillEndpointModel(request, error);
    request.heldOut = data.dataset->modelIndex(model_->currentText());
    if (request.heldOut < 0) {
        error = tr("choose one of the dataset's models to hold out");
        return false;
    }
    if (data.dataset->modelCount() < 3) {
        error = tr("the quiz needs at least two other models to place the new one among");
        return false;
    }
    return true;
}

bool QuizModelPage::fillEndpointModel(QuizRequest& request, QString& error) const {
    PoolModel m;
    m.id = id_->text().trimmed();
    m.displayName = m.id;
    m.inputPricePerMTok = inputPrice_->value();
    m.outputPricePerMTok = outputPrice_->value();
    m.endpoint.baseUrl = baseUrl_->text().trimmed();
    m.endpoint.remoteModel = remoteModel_->text().trimmed();
    m.endpoint.apiKeyEnv = keyVariable_->text().trimmed();
    m.tags = QStringList{QStringLiteral("quizzed")};
    if (m.id.isEmpty()) {
        error = tr("give the new model an id");
        return false;
    }
    if (m.endpoint.baseUrl.isEmpty()) {
        error = tr("give the endpoint's base URL (e.g. the replay server's, ending in /v1)");
        return false;
    }
    const QUrl url(m.endpoint.baseUrl, QUrl::StrictMode);
    if (!url.isValid() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
        url.host().isEmpty()) {
        error = tr("the base URL must be an http or https URL, got '%1'")
                    .arg(displayUrl(m.endpoint.baseUrl));
        return false;
    }
    try {
        makeScorer(scorer_->currentText());
    } catch (...) {
        error = currentErrorMessage();
        return false;
    }
    request.scorer = scorer_->currentText();
    request.endpointModel = m;
    return true;
}

} // namespace routerlab
