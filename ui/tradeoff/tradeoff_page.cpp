#include "ui/tradeoff/tradeoff_page.h"

#include "routers/router_registry.h"
#include "ui/charts/chart_legend.h"
#include "ui/charts/chart_view.h"
#include "ui/charts/interval_text.h"
#include "ui/charts/point_labels.h"
#include "ui/tradeoff/tradeoff_chart.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSlider>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent>
#include <cmath>

namespace routerlab {

namespace {

constexpr int kSteps = 100;
constexpr double kPerThousand = 1000.0;

enum Column {
    RouterColumn,
    AtColumn,
    QualityColumn,
    CostColumn,
    P95Column,
    RewardColumn,
    MixColumn,
    ColumnCount
};

QTableWidgetItem* cell(const QString& text, bool number = true) {
    auto* item = new QTableWidgetItem(text);
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

bool isHindsight(const QString& router) {
    try {
        return RouterRegistry::instance().can(RouterSpec::parse(router), Capability::Hindsight);
    } catch (const std::invalid_argument&) {
        return false;
    }
}

OperatingCandidate candidateOf(const RouterOperatingPoint& p) {
    OperatingCandidate c;
    c.kind = p.evaluated ? OperatingCandidate::Kind::Router : OperatingCandidate::Kind::SweepPoint;
    c.name = p.router;
    c.preference = p.at;
    c.quality = p.meanQuality;
    c.costPer1kUsd = p.meanCostUsd * kPerThousand;
    c.p95LatencyS = p.evaluated || p.p95LatencyS > 0 ? p.p95LatencyS : NAN;
    c.share = p.share;
    return c;
}

// Two significant figures: a suggested limit a person would type.
double roundLimit(double value) {
    if (!(value > 0))
        return value;
    const double power = std::pow(10.0, std::floor(std::log10(value)) - 1);
    return std::round(value / power) * power;
}

double median(std::vector<double> values) {
    if (values.empty())
        return NAN;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

TradeoffPage::TradeoffPage(OperatingPointEvaluator* evaluator, QWidget* parent)
    : QWidget(parent), evaluator_(evaluator), goal_(new QComboBox(this)),
      limit_(new QDoubleSpinBox(this)), cost_(new QSlider(Qt::Horizontal, this)),
      latency_(new QSlider(Qt::Horizontal, this)), weights_(new QLabel(this)),
      answer_(new QLabel(this)), tableCaption_(new QLabel(this)),
      table_(new QTableWidget(0, ColumnCount, this)), frontier_(new QChart),
      frontierLegend_(nullptr), frontierLabels_(new PointLabels(frontier_)), mix_(new QChart),
      mixLegend_(nullptr) {
    setObjectName(QStringLiteral("tradeoffPage"));
    auto* title = new QLabel(tr("<b>Trade-off</b>"), this);
    auto* caption = new QLabel(
        tr("Weigh quality against cost, or ask for a goal under a limit: the answer is the "
           "best of every router at every cost weight, the learners' sweep points and each "
           "single model, on the run's scored prompts."),
        this);
    caption->setWordWrap(true);
    QFont big = answer_->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    answer_->setFont(big);
    answer_->setObjectName(QStringLiteral("tradeoffAnswer"));
    answer_->setWordWrap(true);
    answer_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    answer_->setAccessibleName(tr("Answer"));

    table_->setObjectName(QStringLiteral("tradeoffTable"));
    table_->setAccessibleName(tr("Every router at this preference"));
    table_->setHorizontalHeaderLabels({tr("Router"), tr("At"), tr("Quality [95%]"),
                                       tr("$ / 1k queries [95%]"), tr("p95 s"), tr("Reward"),
                                       tr("Model mix")});
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    table_->setWordWrap(false);
    table_->setTextElideMode(Qt::ElideRight);
    table_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    table_->setWordWrap(false);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    tableCaption_->setWordWrap(true);

    frontier_->setMargins(QMargins(4, 4, 4, 4));
    frontier_->legend()->hide();
    auto* frontierView = new ChartView(frontier_, this);
    frontierView->setRenderHint(QPainter::Antialiasing);
    frontierView->setAccessibleName(tr("Every deployable operating point, the answer ringed"));
    frontierLegend_ = new ChartLegend(frontier_, this);
    mix_->setMargins(QMargins(4, 4, 4, 4));
    mix_->legend()->hide();
    auto* mixView = new ChartView(mix_, this);
    mixView->setRenderHint(QPainter::Antialiasing);
    mixView->setFixedHeight(64);
    mixView->setAccessibleName(tr("The answer's model mix"));
    mixLegend_ = new ChartLegend(mix_, this);

    auto* charts = new QWidget(this);
    auto* chartsLayout = new QVBoxLayout(charts);
    chartsLayout->setContentsMargins(0, 0, 0, 0);
    chartsLayout->addWidget(frontierView, 1);
    chartsLayout->addWidget(frontierLegend_);
    auto* tableBox = new QWidget(this);
    auto* tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(tableCaption_);
    tableLayout->addWidget(table_);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(charts);
    split->addWidget(tableBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({600, 400});
    split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(caption);
    layout->addWidget(buildControls());
    layout->addWidget(answer_);
    layout->addWidget(mixView);
    layout->addWidget(mixLegend_);
    layout->addWidget(split, 1);

    connect(evaluator_, &OperatingPointEvaluator::evaluated, this, &TradeoffPage::onPoints);
    connect(evaluator_, &OperatingPointEvaluator::experimentChanged, this,
            &TradeoffPage::onExperimentChanged);
    connect(&candidateWatcher_, &QFutureWatcher<std::vector<OperatingCandidate>>::finished, this,
            [this] {
                if (cancelCandidates_ && cancelCandidates_->load())
                    return; // computed for an experiment or latency weight since replaced
                candidates_ = candidateWatcher_.result();
                candidatesReady_ = true;
                suggestLimit();
                if (mode() == Mode::Weights)
                    answerWeights();
                else
                    answerConstraint();
            });
    setPreference(Preference{0.7, 0.3, 0});
    onExperimentChanged();
}

TradeoffPage::~TradeoffPage() {
    if (cancelCandidates_)
        cancelCandidates_->store(true);
    candidateWatcher_.waitForFinished();
}

QWidget* TradeoffPage::buildControls() {
    auto* box = new QWidget(this);
    goal_->setObjectName(QStringLiteral("tradeoffGoal"));
    goal_->setAccessibleName(tr("Goal"));
    goal_->addItems({tr("Weigh quality against cost"), tr("Best quality under a budget"),
                     tr("Cheapest with quality at least"), tr("Best quality under a p95 latency")});
    limit_->setObjectName(QStringLiteral("tradeoffLimit"));
    limit_->setAccessibleName(tr("Limit"));
    limit_->setMinimumWidth(220);
    cost_->setObjectName(QStringLiteral("tradeoffCostSlider"));
    cost_->setAccessibleName(tr("Quality against cost"));
    cost_->setRange(0, kSteps);
    cost_->setTickPosition(QSlider::TicksBelow);
    cost_->setTickInterval(10);
    cost_->setMinimumHeight(32);
    cost_->setToolTip(tr("Left: only quality counts. Right: only cost counts."));
    latency_->setObjectName(QStringLiteral("tradeoffLatencySlider"));
    latency_->setAccessibleName(tr("Latency weight"));
    latency_->setRange(0, kSteps);
    latency_->setToolTip(tr("Weight of latency next to quality and cost."));
    auto* grid = new QGridLayout(box);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(new QLabel(tr("Goal"), box), 0, 0);
    grid->addWidget(goal_, 0, 1);
    grid->addWidget(limit_, 0, 2);
    grid->addWidget(weights_, 0, 3, 1, 3);
    grid->addWidget(new QLabel(tr("Quality"), box), 1, 0);
    grid->addWidget(cost_, 1, 1, 1, 2);
    grid->addWidget(new QLabel(tr("Cost"), box), 1, 3);
    auto* latencyLabel = new QLabel(tr("Latency weight"), box);
    latencyLabel->setContentsMargins(24, 0, 0, 0); // apart from the quality-cost slider's "Cost"
    grid->addWidget(latencyLabel, 1, 4);
    grid->addWidget(latency_, 1, 5);
    grid->setColumnStretch(1, 2);
    grid->setColumnStretch(2, 1);
    grid->setColumnStretch(5, 1);
    connect(cost_, &QSlider::valueChanged, this, [this] {
        // Dragging the slider is weighing by hand: the goal becomes the weights.
        if (mode() != Mode::Weights)
            setMode(Mode::Weights);
        onSliderMoved();
    });
    connect(latency_, &QSlider::valueChanged, this, &TradeoffPage::onSliderMoved);
    connect(goal_, &QComboBox::currentIndexChanged, this, &TradeoffPage::onModeChanged);
    connect(limit_, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        const int m = static_cast<int>(mode());
        limitTouched_[m] = true;
        limitValue_[m] = value;
        answerConstraint();
    });
    onModeChanged();
    return box;
}

Preference TradeoffPage::preference() const {
    const double cost = static_cast<double>(cost_->value()) / kSteps;
    return Preference{1.0 - cost, cost, static_cast<double>(latency_->value()) / kSteps};
}

void TradeoffPage::setPreference(const Preference& preference) {
    const double qc = preference.quality + preference.cost;
    {
        const QSignalBlocker blockCost(cost_);
        const QSignalBlocker blockLatency(latency_);
        cost_->setValue(qc > 0 ? qRound(preference.cost / qc * kSteps) : 0);
        latency_->setValue(qRound(std::min(1.0, preference.latency) * kSteps));
    }
    weights_->setText(tr("Weights: %1").arg(preferenceText(this->preference())));
}

QString TradeoffPage::answer() const {
    return answer_->text();
}

TradeoffPage::Mode TradeoffPage::mode() const {
    return static_cast<Mode>(std::max(0, goal_->currentIndex()));
}

void TradeoffPage::setMode(Mode mode) {
    goal_->setCurrentIndex(static_cast<int>(mode));
}

void TradeoffPage::setLimit(double limit) {
    limit_->setValue(limit);
}

TradeoffConstraint TradeoffPage::constraint() const {
    switch (mode()) {
    case Mode::UnderBudget:
        return {TradeoffGoal::BestQualityUnderCost, limit_->value()};
    case Mode::AtQuality:
        return {TradeoffGoal::CheapestAtQuality, limit_->value()};
    case Mode::UnderLatency:
    case Mode::Weights:
        break;
    }
    return {TradeoffGoal::BestQualityUnderLatency, limit_->value()};
}

void TradeoffPage::onSliderMoved() {
    setPreference(preference());
    if (std::abs(preference().latency - candidatesLatencyWeight_) > 1e-9 && candidatesReady_)
        computeCandidates(); // router candidates depend on the latency weight
    emit preferenceChanged(preference());
}

void TradeoffPage::onModeChanged() {
    const Mode m = mode();
    const QSignalBlocker block(limit_);
    limit_->setEnabled(m != Mode::Weights);
    switch (m) {
    case Mode::Weights:
        limit_->setPrefix(QString());
        limit_->setSuffix(QString());
        limit_->setSpecialValueText(tr("(set by the slider)"));
        limit_->setRange(0, 0);
        break;
    case Mode::UnderBudget:
        limit_->setSpecialValueText(QString());
        limit_->setRange(0.001, 1e6);
        limit_->setDecimals(3);
        limit_->setSingleStep(0.1);
        limit_->setPrefix(QStringLiteral("$"));
        limit_->setSuffix(tr(" per 1,000 queries"));
        break;
    case Mode::AtQuality:
        limit_->setSpecialValueText(QString());
        limit_->setRange(0, 1);
        limit_->setDecimals(3);
        limit_->setSingleStep(0.01);
        limit_->setPrefix(QString());
        limit_->setSuffix(tr(" mean quality"));
        break;
    case Mode::UnderLatency:
        limit_->setSpecialValueText(QString());
        limit_->setRange(0.01, 3600);
        limit_->setDecimals(2);
        limit_->setSingleStep(0.5);
        limit_->setPrefix(QString());
        limit_->setSuffix(tr(" s at p95"));
        break;
    }
    if (m != Mode::Weights)
        limit_->setValue(limitValue_[static_cast<int>(m)]);
    if (!evaluator_ || !evaluator_->hasExperiment())
        return;
    if (m == Mode::Weights)
        answerWeights();
    else
        answerConstraint();
}

void TradeoffPage::onExperimentChanged() {
    if (cancelCandidates_)
        cancelCandidates_->store(true);
    candidates_.clear();
    candidatesReady_ = false;
    choice_ = {};
    points_ = {};
    fillTable();
    if (!evaluator_->hasExperiment()) {
        shownAnswer_.reset();
        shownConstraint_.reset();
        shownShare_.clear();
        drawCharts();
        answer_->setText(tr("Run an experiment: the answer appears here once it finishes."));
        return;
    }
    answer_->setText(tr("Evaluating every router across the cost weights…"));
    computeCandidates();
}

void TradeoffPage::computeCandidates() {
    const std::shared_ptr<const PreparedExperiment> prepared = evaluator_->prepared();
    if (!prepared)
        return;
    if (cancelCandidates_)
        cancelCandidates_->store(true);
    cancelCandidates_ = std::make_shared<std::atomic_bool>(false);
    candidatesLatencyWeight_ = preference().latency;
    CandidateOptions options;
    options.latencyWeight = candidatesLatencyWeight_;
    candidateWatcher_.setFuture(QtConcurrent::run(
        [prepared, sweep = evaluator_->sweep(), options, cancel = cancelCandidates_] {
            return operatingCandidates(*prepared->setup, prepared->experiment.simulate.routers,
                                       sweep, options, cancel.get());
        }));
}

QStringList TradeoffPage::routerNames() const {
    QStringList names;
    if (evaluator_->prepared())
        for (const RouterSpec& r : evaluator_->prepared()->experiment.simulate.routers)
            names << r.toString();
    return names;
}

void TradeoffPage::onPoints(const OperatingPoints& points) {
    points_ = points;
    fillTable();
    if (mode() == Mode::Weights)
        answerWeights();
}

void TradeoffPage::answerWeights() {
    const RouterOperatingPoint* best = nullptr;
    for (const RouterOperatingPoint& p : points_.routers) {
        if (isHindsight(p.router) || std::isnan(p.meanReward) || std::isnan(p.meanQuality))
            continue;
        if (!best || p.meanReward > best->meanReward)
            best = &p;
    }
    if (!best) {
        if (evaluator_->hasExperiment())
            answer_->setText(tr("Evaluating the routers at %1…").arg(preferenceText(preference())));
        return;
    }
    const QStringList models =
        evaluator_->prepared() ? evaluator_->prepared()->modelNames() : QStringList();
    const OperatingCandidate c = candidateOf(*best);
    showAnswer(tr("Highest reward (%1) at %2 — %3")
                   .arg(best->meanReward, 0, 'f', 3)
                   .arg(preferenceText(points_.preference), describeCandidate(c, models)),
               c.share, c.name);
    std::optional<QPointF> answer;
    if (c.costPer1kUsd > 0)
        answer = QPointF(c.costPer1kUsd, c.quality);
    shownAnswer_ = answer;
    shownConstraint_.reset();
    drawCharts();
}

void TradeoffPage::answerConstraint() {
    if (mode() == Mode::Weights || !evaluator_->hasExperiment())
        return;
    if (!candidatesReady_) {
        answer_->setText(tr("Evaluating every router across the cost weights…"));
        return;
    }
    const TradeoffConstraint asked = constraint();
    choice_ = chooseOperatingPoint(candidates_, asked);
    const QStringList models = evaluator_->prepared()->modelNames();
    std::optional<QPointF> answer;
    if (choice_.chosen) {
        const OperatingCandidate& c = candidates_[*choice_.chosen];
        showAnswer(answerSentence(candidates_, asked, choice_, models), c.share, c.name);
        if (c.costPer1kUsd > 0)
            answer = QPointF(c.costPer1kUsd, c.quality);
        // The table then shows every router where the answer's router is set.
        if (c.kind != OperatingCandidate::Kind::SingleModel) {
            setPreference(c.preference);
            emit preferenceChanged(preference());
        }
    } else {
        showAnswer(answerSentence(candidates_, asked, choice_, models), {}, {});
    }
    shownAnswer_ = answer;
    shownConstraint_ = asked;
    drawCharts();
}

void TradeoffPage::showAnswer(const QString& sentence, const std::vector<double>& share,
                              const QString& mixLabel) {
    answer_->setText(sentence);
    shownShare_ = share;
    shownMixLabel_ = mixLabel;
    emit answered(sentence);
}

void TradeoffPage::drawCharts() {
    // Qt Charts leaves a hidden view's old axes painted under the new ones: draw when shown.
    if (!isVisible()) {
        chartsDirty_ = true;
        return;
    }
    chartsDirty_ = false;
    drawTradeoffChart(
        frontier_, {&candidates_, routerNames(), shownAnswer_, shownConstraint_, frontierLabels_});
    frontierLegend_->refresh();
    drawModelMix(mix_, shownMixLabel_, shownShare_,
                 evaluator_->prepared() ? evaluator_->prepared()->modelNames() : QStringList());
    mixLegend_->refresh();
}

void TradeoffPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (chartsDirty_)
        drawCharts();
}

void TradeoffPage::fillTable() {
    const QString at = preferenceText(points_.preference);
    if (points_.routers.empty()) {
        tableCaption_->setText(QString());
    } else {
        QString text = tr("Every router at %1.").arg(at);
        const Preference run = runPreference_.normalised();
        const Preference shown = points_.preference.normalised();
        if (std::abs(run.cost - shown.cost) > 0.005 ||
            std::abs(run.latency - shown.latency) > 0.005)
            text += QLatin1Char(' ') + tr("The run was made at %1: the other pages show that "
                                          "preference.")
                                           .arg(preferenceText(runPreference_));
        tableCaption_->setText(text);
    }
    const QStringList models =
        evaluator_->prepared() ? evaluator_->prepared()->modelNames() : QStringList();
    table_->setRowCount(static_cast<int>(points_.routers.size()));
    for (int r = 0; r < table_->rowCount(); ++r) {
        const RouterOperatingPoint& p = points_.routers[static_cast<std::size_t>(r)];
        auto* name = cell(p.router, false);
        name->setToolTip(p.evaluated ? tr("Evaluated at this preference on the scored prompts.")
                                     : tr("Learns online from the run: its nearest sweep point."));
        table_->setItem(r, RouterColumn, name);
        table_->setItem(r, AtColumn, cell(preferenceText(p.at), false));
        table_->setItem(r, QualityColumn, cell(withInterval(p.meanQuality, p.qualityCi, 'f', 3)));
        table_->setItem(r, CostColumn,
                        cell(withInterval(p.meanCostUsd, p.costCi, 'g', 3, kPerThousand)));
        table_->setItem(
            r, P95Column,
            cell(p.p95LatencyS > 0 ? QString::number(p.p95LatencyS, 'f', 2) : QStringLiteral("–")));
        table_->setItem(r, RewardColumn,
                        cell(std::isnan(p.meanReward) ? QStringLiteral("–")
                                                      : QString::number(p.meanReward, 'f', 3)));
        OperatingCandidate c = candidateOf(p);
        const QString described = describeCandidate(c, models);
        const int mixStart = static_cast<int>(described.indexOf(QStringLiteral("; ")));
        auto* mix = cell(
            mixStart < 0 ? QStringLiteral("–") : described.mid(mixStart + 2).chopped(1), false);
        mix->setToolTip(mixStart < 0 ? tr("Not recorded for sweep points.") : mix->text());
        table_->setItem(r, MixColumn, mix);
    }
    // The mix column takes what is left and elides, its full text in the tooltip: the table
    // never scrolls sideways.
    for (int c = 0; c < MixColumn; ++c)
        table_->resizeColumnToContents(c);
}

void TradeoffPage::suggestLimit() {
    std::vector<double> costs, qualities, latencies;
    for (const OperatingCandidate& c : candidates_)
        if (c.kind == OperatingCandidate::Kind::SingleModel) {
            costs.push_back(c.costPer1kUsd);
            qualities.push_back(c.quality);
            latencies.push_back(c.p95LatencyS);
        }
    if (costs.empty())
        return;
    const auto [cMin, cMax] = std::minmax_element(costs.begin(), costs.end());
    const auto [qMin, qMax] = std::minmax_element(qualities.begin(), qualities.end());
    const double suggested[4] = {0, roundLimit(std::sqrt(std::max(*cMin, 1e-6) * *cMax)),
                                 std::round((*qMin + *qMax) / 2 * 100) / 100,
                                 roundLimit(median(latencies))};
    for (int m = 1; m < 4; ++m)
        if (!limitTouched_[m] && std::isfinite(suggested[m]))
            limitValue_[m] = suggested[m];
    const int m = static_cast<int>(mode());
    if (m > 0 && !limitTouched_[m]) {
        const QSignalBlocker block(limit_);
        limit_->setValue(limitValue_[m]);
    }
}

} // namespace routerlab
