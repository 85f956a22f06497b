#include "ui/experiment/features_picker.h"

#include "features/prompt_features.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>

namespace routerlab {

namespace {

struct Choice {
    const char* spec;
    const char* description;
};

// What makeFeaturizer() accepts, with the dimensions worth offering; the user may type others.
constexpr Choice kChoices[] = {
    {"hashed-words:64", "Hashed word counts, 64 dimensions (the default)"},
    {"hashed-words:256", "Hashed word counts, 256 dimensions"},
    {"tfidf:512", "TF-IDF over the training prompts' vocabulary, 512 dimensions"},
    {"tfidf:2048", "TF-IDF over the training prompts' vocabulary, 2048 dimensions"},
    {"embeddings:", "Precomputed embeddings from a .csv or .jsonl file: Browse… for it"},
    {"embeddings-api:MODEL@BASE_URL",
     "Embeddings fetched from an endpoint: replace MODEL and BASE_URL "
     "(options ;key-env=VAR ;cache=WORKSPACE)"},
};

} // namespace

FeaturesPicker::FeaturesPicker(QWidget* parent)
    : QWidget(parent), combo_(new QComboBox(this)), browse_(new QPushButton(tr("Browse…"), this)) {
    combo_->setObjectName(QStringLiteral("featuresCombo"));
    combo_->setEditable(true);
    combo_->setInsertPolicy(QComboBox::NoInsert);
    for (const Choice& c : kChoices) {
        combo_->addItem(QString::fromLatin1(c.spec));
        combo_->setItemData(combo_->count() - 1, tr(c.description), Qt::ToolTipRole);
    }
    hint_ = tr("Prompt features for contextual routers: %1. Type a dimension after the colon "
               "(2..65536).")
                .arg(featurizerForms().join(QStringLiteral(", ")));
    combo_->setAccessibleName(tr("Prompt features"));
    combo_->setAccessibleDescription(hint_);
    browse_->setObjectName(QStringLiteral("featuresBrowse"));
    browse_->setAccessibleName(tr("Browse for an embeddings file"));
    browse_->setToolTip(tr("Choose a file of precomputed embeddings (embeddings:FILE)"));
    connect(browse_, &QPushButton::clicked, this, &FeaturesPicker::chooseEmbeddingsFile);
    connect(combo_, &QComboBox::editTextChanged, this, &FeaturesPicker::validate);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(combo_, 1);
    layout->addWidget(browse_);
    validate();
}

QString FeaturesPicker::spec() const {
    return combo_->currentText().trimmed();
}

void FeaturesPicker::setSpec(const QString& spec) {
    combo_->setEditText(spec);
    validate();
}

void FeaturesPicker::validate() {
    const QString text = spec();
    problem_ = text.isEmpty() ? tr("choose the prompt features (hashed-words:64 is the default)")
                              : featurizerSpecProblem(text);
    QLineEdit* edit = combo_->lineEdit();
    QPalette palette = combo_->palette();
    if (!problem_.isEmpty()) {
        // A tint of the palette's own base, so a dark palette stays dark.
        const QColor base = palette.color(QPalette::Base);
        const QColor red(220, 40, 40);
        palette.setColor(QPalette::Base,
                         QColor((base.red() + red.red()) / 2, (base.green() + red.green()) / 2,
                                (base.blue() + red.blue()) / 2));
    }
    edit->setPalette(palette);
    combo_->setToolTip(problem_.isEmpty() ? hint_ : problem_);
}

void FeaturesPicker::chooseEmbeddingsFile() {
    const QString current = spec().startsWith(QLatin1String("embeddings:"))
                                ? spec().mid(QStringLiteral("embeddings:").size())
                                : QString();
    const QString start = current.isEmpty() ? QDir::homePath() : QFileInfo(current).absolutePath();
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Embeddings File"), start, tr("Embeddings (*.csv *.jsonl);;All files (*)"));
    if (!file.isEmpty())
        setSpec(QStringLiteral("embeddings:") + file);
}

} // namespace routerlab
