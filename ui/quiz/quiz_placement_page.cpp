#include "ui/quiz/quiz_placement_page.h"

#include "http/chat_protocol.h"
#include "irt/quiz_draws.h"
#include "sim/simulation.h"
#include "ui/charts/chart_legend.h"
#include "ui/charts/chart_view.h"
#include "ui/quiz/quiz_curve_chart.h"
#include "ui/quiz/quiz_widgets.h"
#include "ui/shell/dialog_button.h"

#include <QChart>
#include <QChartView>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

namespace routerlab {

using quiz_widgets::item;
using quiz_widgets::note;
using quiz_widgets::probability;

namespace {

QString meanAndSd(float mean, float variance) {
    return QStringLiteral("%1 ± %2").arg(mean, 0, 'f', 2).arg(std::sqrt(variance), 0, 'f', 2);
}

QString percent(double fraction) {
    return std::isnan(fraction) ? QStringLiteral("n/a")
                                : QStringLiteral("%1%").arg(100 * fraction, 0, 'f', 0);
}

} // namespace

QuizPlacementPage::QuizPlacementPage(QWidget* parent) : QWidget(parent) {
    figures_ = note({}, this);
    figures_->setObjectName(QStringLiteral("quizFigures"));
    figures_->setTextFormat(Qt::RichText);

    identity_ = quiz_widgets::table(QStringLiteral("quizIdentity"), this);
    identity_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    identity_->setAccessibleName(tr("Identity of the new model"));
    categories_ = quiz_widgets::table(QStringLiteral("quizCategories"), this);
    categories_->setAccessibleName(tr("Placement per category"));
    // Each column as wide as its model's name: shared equally, eleven columns cut
    // "llama-3.1-8b-instant" at both ends in a 1280-pixel window. A pool too wide for the
    // window scrolls instead.
    categories_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    categories_->horizontalHeader()->setMinimumSectionSize(70);
    auto* identityBox = new QGroupBox(tr("Identity (mean ± sd per dimension)"), this);
    auto* identityLayout = new QVBoxLayout(identityBox);
    identityLayout->addWidget(identity_);
    categoryBox_ = new QGroupBox(tr("Predicted quality per category"), this);
    auto* categoryLayout = new QVBoxLayout(categoryBox_);
    categoryLayout->addWidget(categories_);

    // The category table is wide (a column per model) and short; the identity table is narrow.
    auto* bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(identityBox);
    bottom->addWidget(createCurveView());
    bottom->setStretchFactor(0, 2);
    bottom->setStretchFactor(1, 3);
    bottom->setSizes({460, 690});
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(categoryBox_);
    split->addWidget(bottom);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    split->setSizes({190, 470});

    addToPool_ = dialogButton(tr("Add to Pool"), this);
    addToPool_->setObjectName(QStringLiteral("quizAddToPool"));
    connect(addToPool_, &QPushButton::clicked, this, &QuizPlacementPage::addModelToPool);
    addNote_ = note({}, this);
    save_ = dialogButton(tr("Save Result…"), this);
    connect(save_, &QPushButton::clicked, this, &QuizPlacementPage::saveRequested);
    auto* actions = new QHBoxLayout;
    actions->addWidget(addToPool_);
    actions->addWidget(addNote_, 1);
    actions->addWidget(save_);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(figures_);
    layout->addWidget(split, 1);
    layout->addLayout(actions);
}

QWidget* QuizPlacementPage::createCurveView() {
    curve_ = new QChart;
    curve_->setMargins(QMargins(4, 4, 4, 4));
    auto* box = new QWidget(this);
    auto* view = new ChartView(curve_, box);
    view->setObjectName(QStringLiteral("quizCurve"));
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(240);
    curveLegend_ = new ChartLegend(curve_, box);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view, 1);
    layout->addWidget(curveLegend_);
    return box;
}

void QuizPlacementPage::setAddToPool(std::function<bool(const PoolModel&, QString&)> addToPool) {
    addToPoolFn_ = std::move(addToPool);
}

void QuizPlacementPage::showPlacement(const QuizReport& report, const QuizRequest& request,
                                      const QuizPreparation& preparation) {
    placed_ = true;
    heldOutName_ = request.heldOut >= 0 ? request.dataset->modelNames[request.heldOut] : QString();
    endpointModel_ = request.endpointModel;
    addedToPool_ = false;
    showIdentity(report, *preparation.study);
    showCategories(report, request, preparation);
    drawBudgetCurve(curve_, report, *preparation.study);
    curveLegend_->refresh();
    showFigures(report, request, preparation);
    updateAddToPool();
}

void QuizPlacementPage::showNote(const QString& text, bool error) {
    addNote_->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
    addNote_->setText(text);
}

void QuizPlacementPage::showIdentity(const QuizReport& report, const QuizStudy& study) {
    const Identity& quizzed = report.outcome.identity;
    const bool records = study.hasRecords();
    QStringList headers{tr("Dimension"), tr("Quizzed")};
    if (records)
        headers << tr("Full data");
    headers << tr("Quiz prior");
    identity_->clear();
    identity_->setColumnCount(int(headers.size()));
    identity_->setHorizontalHeaderLabels(headers);
    if (QTableWidgetItem* header = identity_->horizontalHeaderItem(int(headers.size()) - 1))
        header->setToolTip(tr("Where the quiz starts: the known models' population, its spread "
                              "widened, as a new model may lie beyond all of them"));
    identity_->setRowCount(int(quizzed.mean.size()));
    const IdentityPrior& prior = study.prior();
    for (int d = 0; d < int(quizzed.mean.size()); ++d) {
        int column = 0;
        identity_->setItem(d, column++, item(QString::number(d + 1), Qt::AlignRight));
        identity_->setItem(d, column++,
                           item(meanAndSd(quizzed.mean(d), quizzed.variance(d)), Qt::AlignRight));
        if (records)
            identity_->setItem(
                d, column++,
                item(meanAndSd(study.fullIdentity().mean(d), study.fullIdentity().variance(d)),
                     Qt::AlignRight));
        identity_->setItem(d, column,
                           item(meanAndSd(prior.mean(d), prior.covariance(d, d)), Qt::AlignRight));
    }
    identity_->resizeRowsToContents();
}

void QuizPlacementPage::showCategories(const QuizReport& report, const QuizRequest& request,
                                       const QuizPreparation& preparation) {
    const QuizStudy& study = *preparation.study;
    const Dataset& dataset = *request.dataset;
    const bool records = study.hasRecords();
    const QString name = records ? dataset.modelNames[request.heldOut] : request.endpointModel->id;
    categoryBox_->setTitle(
        tr("P(good answer) per category: %1 as quizzed%2, beside the pool's models")
            .arg(name, records ? tr(" and as recorded") : QString()));
    QStringList headers{tr("Category"), tr("Quizzed")};
    if (records)
        headers << tr("Recorded");
    for (const int column : study.knownColumns())
        headers << dataset.modelNames[column];
    categories_->clear();
    categories_->setColumnCount(int(headers.size()));
    categories_->setHorizontalHeaderLabels(headers);
    categories_->horizontalHeaderItem(1)->setToolTip(
        tr("%1: mean predicted P(answers well) over the category's prompts, from the quizzed "
           "identity")
            .arg(name));
    if (records)
        categories_->horizontalHeaderItem(2)->setToolTip(
            tr("%1: its recorded mean quality, what the quiz should predict").arg(name));
    const int categoryCount = int(report.categoryQuality.size());
    categories_->setRowCount(categoryCount);
    for (int c = 0; c < categoryCount; ++c) {
        int column = 0;
        categories_->setItem(c, column++, item(dataset.categoryNames.value(c)));
        auto* quizzed = probability(report.categoryQuality[std::size_t(c)]);
        QFont bold = quizzed->font();
        bold.setBold(true);
        quizzed->setFont(bold);
        categories_->setItem(c, column++, quizzed);
        if (records)
            categories_->setItem(c, column++,
                                 probability(report.recordedCategoryQuality[std::size_t(c)]));
        for (int j = 0; j < int(study.knownColumns().size()); ++j)
            categories_->setItem(c, column++, probability(preparation.knownCategoryQuality(c, j)));
    }
    categories_->resizeRowsToContents();
}

namespace {

// The quiz's online continuation, as one more sentence of the figures.
QString continuationText(const BudgetPoint& point) {
    if (std::isnan(point.continuationRegret))
        return {};
    return QuizPlacementPage::tr(
               " Routing on and learning from its answers over the next %1 scored prompts "
               "recovers <b>%2</b> of the routing gain there (regret %3 against the full-data "
               "identity, %4 with the quizzed identity kept fixed).")
        .arg(point.continuationPrompts)
        .arg(percentWithInterval(point.continuationRecovery, point.continuationRecoveryCi95),
             numberWithInterval(point.continuationRegret, point.continuationRegretCi95),
             numberWithInterval(point.fixedRegret, point.fixedRegretCi95));
}

// Where the full-data identity predicts the held-out answers barely better than the population
// prior, the share of that gain a quiz recovers is a ratio of small numbers: on the sample a
// quiz of gpt-4o-mini read -112% [-175%, -61%] over a gain of 0.007 nats per answer.
QString smallPredictionGainText(const QuizStudy& study) {
    const double gain = study.fullLogLikelihood() - study.priorLogLikelihood();
    if (!(gain < QuizPlacementPage::kSmallPredictionGain))
        return {};
    return QuizPlacementPage::tr(
               " The full-data identity predicts these answers barely better than the prior "
               "(%1 nats per answer), so that share swings widely from quiz to quiz.")
        .arg(gain, 0, 'f', 3);
}

} // namespace

void QuizPlacementPage::showFigures(const QuizReport& report, const QuizRequest& request,
                                    const QuizPreparation& preparation) {
    const QuizStudy& study = *preparation.study;
    const QuizOutcome& o = report.outcome;
    const int k = int(o.steps.size());
    int well = 0;
    for (const QuizStep& s : o.steps)
        well += s.answer >= 0.5f;
    if (study.hasRecords()) {
        const QString name = request.dataset->modelNames[request.heldOut];
        const BudgetPoint& point = report.curve.back(); // the chosen budget, over its draws
        figures_->setText(
            tr("<b>%1</b>, held out and quizzed on %2 prompts (answered %3 well). Routing "
               "reward on %4 scored prompts: <b>%5</b> without it, <b>%6</b> with the identity of "
               "the quiz shown, <b>%7</b> with its full-data identity; the router sends it %8 of "
               "the prompts. %9 the quiz recovers <b>%10</b> of the routing gain%11 and <b>%12</b> "
               "of the prediction gain (held-out log-likelihood %13; prior %14, full data %15).")
                .arg(name.toHtmlEscaped())
                .arg(k)
                .arg(well)
                .arg(preparation.setup->problem().scoredRows.size())
                .arg(study.withoutNewModel().reward, 0, 'f', 4)
                .arg(o.routing.reward, 0, 'f', 4)
                .arg(study.withFullIdentity().reward, 0, 'f', 4)
                .arg(percent(o.routing.newModelShare),
                     point.draws > 1
                         ? tr("Over %1 draws of its prompts (mean, 95% interval)").arg(point.draws)
                         : tr("Drawn once,"),
                     percentWithInterval(point.recovery, point.recoveryCi95),
                     std::isnan(point.recovery)
                         ? tr(" (undefined here: its full-data identity does not improve "
                              "routing either)")
                         : QString(),
                     percentWithInterval(point.predictionRecovery, point.predictionRecoveryCi95))
                .arg(o.logLikelihood, 0, 'f', 3)
                .arg(study.priorLogLikelihood(), 0, 'f', 3)
                .arg(study.fullLogLikelihood(), 0, 'f', 3) +
            smallPredictionGainText(study) + continuationText(point) +
            QStringLiteral("<p><b>%1</b> %2</p>")
                .arg(tr("Recommendation, from this quiz:"),
                     adoptionSentence(name, report.adoption).toHtmlEscaped()));
        return;
    }
    const PoolModel& m = *request.endpointModel;
    figures_->setText(tr("<b>%1</b> at %2 answered %3 of %4 quiz prompts well (scored %5). With "
                         "no recorded answers, routing with it cannot be scored here: the table "
                         "predicts its quality per category from the quizzed identity, beside "
                         "the pool's models, and the chart shows the identity's uncertainty "
                         "shrinking with each answer.")
                          .arg(m.id.toHtmlEscaped(), displayUrl(m.endpoint.baseUrl).toHtmlEscaped())
                          .arg(well)
                          .arg(k)
                          .arg(request.scorer.toHtmlEscaped()));
}

void QuizPlacementPage::updateAddToPool() {
    if (!placed_) {
        addToPool_->setEnabled(false);
        addNote_->clear();
        return;
    }
    if (!heldOutName_.isEmpty()) {
        addToPool_->setEnabled(false);
        addNote_->setText(tr("%1 is already in the pool: it was only held out of the fit to "
                             "see how well a quiz places it.")
                              .arg(heldOutName_));
        return;
    }
    const PoolModel& m = *endpointModel_;
    if (addedToPool_) {
        addToPool_->setEnabled(false);
        addNote_->setText(tr("Added %1 to the pool; Undo on the Pool page removes it.").arg(m.id));
        return;
    }
    addToPool_->setEnabled(bool(addToPoolFn_));
    addNote_->setText(tr("Adds %1 to the window's pool with its prices, base URL and key "
                         "variable (never a key); Undo on the Pool page removes it.")
                          .arg(m.id));
}

void QuizPlacementPage::addModelToPool() {
    if (!placed_ || !endpointModel_ || !addToPoolFn_)
        return;
    QString error;
    if (!addToPoolFn_(*endpointModel_, error)) {
        showNote(tr("Could not add %1 to the pool: %2").arg(endpointModel_->id, error), true);
        return;
    }
    addNote_->setStyleSheet({});
    addedToPool_ = true;
    updateAddToPool();
}

} // namespace routerlab
