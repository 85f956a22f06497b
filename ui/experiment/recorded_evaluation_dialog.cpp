#include "ui/experiment/recorded_evaluation_dialog.h"

#include "ui/experiment/evaluation_table.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QVBoxLayout>
#include <stdexcept>

namespace routerlab {

namespace {

QJsonObject objectOf(const QByteArray& json, const char* what) {
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (!document.isObject())
        throw std::invalid_argument(
            QStringLiteral("the recorded evaluation's %1 is not a JSON object: %2")
                .arg(QLatin1String(what), error.errorString())
                .toStdString());
    return document.object();
}

QString fileNames(const QJsonArray& paths) {
    QStringList names;
    for (const QJsonValue& path : paths)
        names << QFileInfo(path.toString()).fileName();
    return names.join(QStringLiteral(", "));
}

} // namespace

RecordedEvaluationDialog::RecordedEvaluationDialog(const EvaluationRecord& record, QWidget* parent)
    : QDialog(parent), evaluation_(Evaluation::fromJson(objectOf(record.resultJson, "table"))) {
    setWindowTitle(tr("Evaluation %1: %2").arg(record.id).arg(record.name));
    setObjectName(QStringLiteral("recordedEvaluationDialog"));
    const QJsonObject config = objectOf(record.configJson, "configuration");
    auto* form = new QFormLayout;
    // Only what the record holds: a hand-made or older record may lack a field.
    const auto addLine = [&](const QString& label, const QString& text) {
        if (text.isEmpty())
            return;
        auto* value = new QLabel(text, this);
        value->setWordWrap(true);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        form->addRow(label, value);
    };
    const auto text = [&](const char* key) { return config.value(QLatin1String(key)).toString(); };
    addLine(tr("Recorded"),
            record.createdAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    addLine(tr("Trained on"), fileNames(config.value(QLatin1String("datasets")).toArray()));
    const QJsonArray tests = config.value(QLatin1String("test_datasets")).toArray();
    addLine(tr("In distribution"), tests.isEmpty() ? text("in_distribution_split")
                                                   : tr("scored on %1").arg(fileNames(tests)));
    addLine(tr("Features"), text("features"));
    addLine(tr("Reward"), text("reward"));
    addLine(tr("Version"), text("version"));
    preferences_ = new QComboBox(this);
    preferences_->setObjectName(QStringLiteral("evaluationPreference"));
    for (const EvaluationPoint& point : evaluation_.points)
        preferences_->addItem(point.preference.toString());
    form->addRow(tr("&Preference"), preferences_);
    table_ = new EvaluationTable(this);
    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("evaluationStatus"));
    status_->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(preferences_, &QComboBox::currentIndexChanged, this,
            &RecordedEvaluationDialog::showPoint);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(table_, 1);
    layout->addWidget(status_);
    layout->addWidget(buttons);
    resize(1000, 560);
    if (!evaluation_.points.empty())
        showPoint(0);
}

void RecordedEvaluationDialog::showPoint(int point) {
    if (point < 0 || point >= static_cast<int>(evaluation_.points.size()))
        return;
    const int runaway = table_->showPoint(evaluation_, static_cast<std::size_t>(point));
    status_->setText(runaway == 0
                         ? tr("Margins in reward points per prompt over the training-best "
                              "model, with 95% intervals; hover one for the margin over the "
                              "hindsight-best model, quality and cost.")
                         : tr("%n margin(s) in red pay over twice the training-best model's "
                              "cost for lower quality.",
                              nullptr, runaway));
}

} // namespace routerlab
