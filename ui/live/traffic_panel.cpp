#include "ui/live/traffic_panel.h"

#include "common/error_message.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <cmath>

namespace routerlab {

namespace {

enum Column { ModelColumn, CallsColumn, ShareColumn, FailedColumn, SpendColumn, ColumnCount };

QTableWidgetItem* numberItem(const QString& text) {
    auto* item = new QTableWidgetItem(text);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QString secondsText(double s) {
    return std::isnan(s) ? TrafficPanel::tr("–") : TrafficPanel::tr("%1 s").arg(s, 0, 'f', 2);
}

QString sessionTitle(const LiveSessionRecord& s) {
    return TrafficPanel::tr("#%1 %2 · %3 · %4")
        .arg(s.id)
        .arg(s.router, s.scorer, s.status.isEmpty() ? TrafficPanel::tr("running") : s.status);
}

} // namespace

TrafficPanel::TrafficPanel(QWidget* parent)
    : QWidget(parent), sessions_(new QComboBox(this)), figures_(new QLabel(this)),
      models_(new QTableWidget(0, ColumnCount, this)), timer_(new QTimer(this)) {
    sessions_->setObjectName(QStringLiteral("trafficSession"));
    sessions_->setToolTip(tr("A recorded live session: the proxy's (scorer \"proxy\") or a run of "
                             "this console"));
    auto* reloadButton = new QPushButton(tr("Reload"), this);
    reloadButton->setAutoDefault(false);
    reloadButton->setToolTip(tr("List the workspace's sessions and read the calls again"));
    connect(reloadButton, &QPushButton::clicked, this, [this] {
        if (store_)
            setWorkspace(store_->path());
        reload();
    });
    figures_->setObjectName(QStringLiteral("trafficFigures"));
    figures_->setWordWrap(true);
    figures_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    models_->setObjectName(QStringLiteral("trafficModels"));
    models_->setHorizontalHeaderLabels(
        {tr("Model"), tr("Calls"), tr("Share"), tr("Failed"), tr("Spend $")});
    models_->horizontalHeaderItem(CallsColumn)
        ->setToolTip(tr("Answer calls, fallback attempts included"));
    models_->verticalHeader()->hide();
    models_->horizontalHeader()->setSectionResizeMode(ModelColumn, QHeaderView::Stretch);
    models_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    models_->setSelectionMode(QAbstractItemView::NoSelection);
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Session"), this));
    top->addWidget(sessions_, 1);
    top->addWidget(reloadButton);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(figures_);
    layout->addWidget(models_, 1);
    connect(sessions_, &QComboBox::currentIndexChanged, this, &TrafficPanel::onSessionChosen);
    timer_->setInterval(kRefreshMs);
    connect(timer_, &QTimer::timeout, this, &TrafficPanel::readNewCalls);
    showSummary();
}

void TrafficPanel::setWorkspace(const QString& path) {
    // Looking must not create a workspace where a mistyped path points.
    if (!QFileInfo::exists(path)) {
        figures_->setText(tr("No workspace at %1 yet.").arg(path));
        return;
    }
    std::unique_ptr<WorkspaceStore> opened;
    std::vector<LiveSessionRecord> sessions;
    try {
        if (!store_ || store_->path() != path)
            opened = std::make_unique<WorkspaceStore>(path);
        sessions = (opened ? *opened : *store_).liveSessions();
    } catch (...) {
        figures_->setText(tr("Cannot read the workspace: %1").arg(currentErrorMessage()));
        return;
    }
    if (opened) {
        store_ = std::move(opened);
        shownSession_ = -1; // ids are per workspace: the same number is another session
    }
    const QSignalBlocker block(sessions_);
    sessions_->clear();
    for (auto s = sessions.rbegin(); s != sessions.rend(); ++s) {
        sessions_->addItem(sessionTitle(*s), s->id);
        sessions_->setItemData(sessions_->count() - 1, s->startedAt.toString(Qt::ISODate),
                               Qt::ToolTipRole);
    }
    const int keep = sessions_->findData(shownSession_);
    sessions_->setCurrentIndex(keep >= 0 ? keep : 0);
    onSessionChosen();
}

void TrafficPanel::showSession(const QString& workspace, qint64 sessionId) {
    if (!store_ || store_->path() != workspace || sessions_->findData(sessionId) < 0)
        setWorkspace(workspace);
    const int at = sessions_->findData(sessionId);
    if (at >= 0)
        sessions_->setCurrentIndex(at);
}

qint64 TrafficPanel::sessionId() const {
    return sessions_->currentIndex() >= 0 ? sessions_->currentData().toLongLong() : 0;
}

void TrafficPanel::onSessionChosen() {
    if (sessionId() != shownSession_ || sessionId() == 0) {
        shownSession_ = sessionId();
        reload();
    }
    if (shownSession_ > 0)
        timer_->start();
    else
        timer_->stop();
}

void TrafficPanel::reload() {
    calls_.clear();
    readNewCalls();
    showSummary();
}

void TrafficPanel::readNewCalls() {
    if (!store_ || shownSession_ <= 0)
        return;
    const qint64 after = calls_.empty() ? 0 : calls_.back().id;
    try {
        std::vector<LiveCallRecord> arrived = store_->liveCalls(shownSession_, after);
        if (arrived.empty() && after > 0)
            return;
        calls_.insert(calls_.end(), arrived.begin(), arrived.end());
    } catch (...) {
        figures_->setText(tr("Cannot read the calls: %1").arg(currentErrorMessage()));
        return;
    }
    showSummary();
}

void TrafficPanel::showSummary() {
    summary_ = summarizeTraffic(calls_);
    const TrafficSummary& s = summary_;
    if (shownSession_ <= 0) {
        figures_->setText(tr("No recorded session: run the console, or open a workspace a proxy "
                             "records in."));
    } else {
        QString text =
            tr("%n request(s), %1 call(s): %2 answered, %3 failed · spent $%4", nullptr, s.requests)
                .arg(s.calls)
                .arg(s.answered)
                .arg(s.failed)
                .arg(s.spentUsd, 0, 'f', 6);
        if (s.judgeUsd > 0)
            text += tr(" (judge $%1)").arg(s.judgeUsd, 0, 'f', 6);
        text += tr("\nlatency mean %1, p95 %2 · rated %3 of %4 answers")
                    .arg(secondsText(s.meanLatencyS), secondsText(s.p95LatencyS))
                    .arg(s.rated)
                    .arg(s.answered);
        if (s.rated > 0)
            text += tr(" (%1%), mean rating %2")
                        .arg(s.ratedShare * 100, 0, 'f', 0)
                        .arg(s.meanRating, 0, 'f', 2);
        figures_->setText(text);
    }
    models_->setRowCount(static_cast<int>(s.models.size()));
    for (int r = 0; r < models_->rowCount(); ++r) {
        const ModelTraffic& m = s.models[static_cast<std::size_t>(r)];
        models_->setItem(r, ModelColumn, new QTableWidgetItem(m.model));
        models_->setItem(r, CallsColumn, numberItem(QString::number(m.calls)));
        models_->setItem(r, ShareColumn, numberItem(tr("%1%").arg(m.share * 100, 0, 'f', 1)));
        models_->setItem(r, FailedColumn, numberItem(QString::number(m.failed)));
        models_->setItem(r, SpendColumn, numberItem(QString::number(m.spentUsd, 'f', 6)));
    }
}

} // namespace routerlab
