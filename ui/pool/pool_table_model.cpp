#include "ui/pool/pool_table_model.h"

#include "ui/dataset/dataset_summary_model.h"

#include <QRegularExpression>
#include <QUrl>
#include <cmath>

namespace routerlab {

namespace {

// "15.00", "2.50", "0.075": cents always, further digits only when the price has them.
QString formatPrice(double usd) {
    QString text = QString::number(usd, 'f', 4);
    while (text.endsWith(QLatin1Char('0')) && text.indexOf(QLatin1Char('.')) < text.size() - 3)
        text.chop(1);
    return text;
}

// "0", "0.0005", "0.000012": a fee is often a round fraction of a cent.
QString formatFee(double usd) {
    QString text = DatasetSummaryModel::formatUsd(usd);
    if (text.contains(QLatin1Char('.'))) {
        while (text.endsWith(QLatin1Char('0')))
            text.chop(1);
        if (text.endsWith(QLatin1Char('.')))
            text.chop(1);
    }
    return text;
}

} // namespace

PoolTableModel::PoolTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void PoolTableModel::setPool(std::shared_ptr<const ModelPool> pool) {
    beginResetModel();
    pool_ = std::move(pool);
    endResetModel();
}

int PoolTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !pool_ ? 0 : pool_->size();
}

int PoolTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PoolTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const PoolModel& m = pool_->models[static_cast<std::size_t>(index.row())];
    const bool numeric = index.column() >= InputPriceColumn && index.column() <= FeeColumn;
    if (role == Qt::TextAlignmentRole)
        return numeric || index.column() == ContextColumn
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == BaseUrlColumn && !m.endpoint.isEmpty())
        return tr("%1, remote model %2").arg(m.endpoint.baseUrl, m.endpoint.remoteModel);
    if (role == Qt::EditRole)
        return editText(index.row(), index.column());
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case IdColumn:
        return m.id;
    case NameColumn:
        return m.displayName;
    case InputPriceColumn:
        return formatPrice(m.inputPricePerMTok);
    case OutputPriceColumn:
        return formatPrice(m.outputPricePerMTok);
    case FeeColumn:
        return formatFee(m.feePerCall);
    case BaseUrlColumn:
        return m.endpoint.baseUrl;
    case KeyVariableColumn:
        return m.endpoint.apiKeyEnv;
    case ContextColumn:
        return m.contextWindow > 0 ? QString::number(m.contextWindow) : QString();
    case TagsColumn:
        return m.tags.join(QStringLiteral(", "));
    }
    return {};
}

QString PoolTableModel::editText(int row, int column) const {
    const PoolModel& m = pool_->models[static_cast<std::size_t>(row)];
    switch (column) {
    case IdColumn:
        return m.id;
    case NameColumn:
        return m.displayName;
    case InputPriceColumn:
        return QString::number(m.inputPricePerMTok, 'g', 17);
    case OutputPriceColumn:
        return QString::number(m.outputPricePerMTok, 'g', 17);
    case FeeColumn:
        return QString::number(m.feePerCall, 'g', 17);
    case BaseUrlColumn:
        return m.endpoint.baseUrl;
    case KeyVariableColumn:
        return m.endpoint.apiKeyEnv;
    case ContextColumn:
        return QString::number(m.contextWindow);
    case TagsColumn:
        return m.tags.join(QStringLiteral(", "));
    }
    return {};
}

QString PoolTableModel::validate(int column, const QString& text) {
    const QString t = text.trimmed();
    switch (column) {
    case IdColumn:
        return tr("the id names the model in the dataset and cannot be edited here");
    case InputPriceColumn:
    case OutputPriceColumn:
    case FeeColumn: {
        bool ok = false;
        const double v = t.toDouble(&ok);
        if (!ok || !std::isfinite(v) || v < 0)
            return tr("a price must be a number >= 0 (USD), got '%1'").arg(t);
        return {};
    }
    case BaseUrlColumn: {
        if (t.isEmpty())
            return {};
        // The URL is never echoed: it may hold the very key the check refuses.
        const QUrl url(t, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty())
            return tr("the base URL must be an http or https URL");
        if (const QString problem = baseUrlProblem(t); !problem.isEmpty())
            return tr("the base URL %1").arg(problem);
        return {};
    }
    case KeyVariableColumn: {
        if (t.isEmpty())
            return {};
        // A pool names the variable that holds a key, never the key itself.
        static const QRegularExpression name(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
        if (t.startsWith(QLatin1String("sk-")) || t.size() > 64)
            return tr("this looks like an API key: give the name of the environment variable "
                      "that holds it instead");
        if (!name.match(t).hasMatch())
            return tr("'%1' is not an environment variable name (letters, digits, '_')").arg(t);
        return {};
    }
    case ContextColumn: {
        bool ok = false;
        const int v = t.isEmpty() ? 0 : t.toInt(&ok);
        if (!t.isEmpty() && (!ok || v < 0))
            return tr("the context window must be a whole number of tokens >= 0, got '%1'").arg(t);
        return {};
    }
    }
    return {};
}

void PoolTableModel::applyEdit(int row, int column, const QString& text) {
    if (!pool_ || row < 0 || row >= pool_->size())
        return;
    // Copy on write: views and runs holding the old pool keep it unchanged.
    auto edited = std::make_shared<ModelPool>(*pool_);
    PoolModel& m = edited->models[static_cast<std::size_t>(row)];
    const QString t = text.trimmed();
    switch (column) {
    case NameColumn:
        m.displayName = t;
        break;
    case InputPriceColumn:
        m.inputPricePerMTok = t.toDouble();
        break;
    case OutputPriceColumn:
        m.outputPricePerMTok = t.toDouble();
        break;
    case FeeColumn:
        m.feePerCall = t.toDouble();
        break;
    case BaseUrlColumn:
        m.endpoint.baseUrl = t;
        break;
    case KeyVariableColumn:
        m.endpoint.apiKeyEnv = t;
        break;
    case ContextColumn:
        m.contextWindow = t.toInt();
        break;
    case TagsColumn: {
        QStringList tags;
        for (const QString& tag : t.split(QLatin1Char(','), Qt::SkipEmptyParts))
            tags << tag.trimmed();
        m.tags = tags;
        break;
    }
    default:
        return;
    }
    pool_ = std::move(edited);
    emit dataChanged(index(row, column), index(row, column));
    emit poolEdited(column);
}

void PoolTableModel::appendModel(const PoolModel& model) {
    auto edited = pool_ ? std::make_shared<ModelPool>(*pool_) : std::make_shared<ModelPool>();
    const int row = edited->size();
    beginInsertRows({}, row, row);
    edited->models.push_back(model);
    pool_ = std::move(edited);
    endInsertRows();
    emit poolEdited(kWholeRow);
}

bool PoolTableModel::removeModel(const QString& id) {
    const int row = pool_ ? pool_->indexOf(id) : -1;
    if (row < 0)
        return false;
    auto edited = std::make_shared<ModelPool>(*pool_);
    beginRemoveRows({}, row, row);
    edited->models.erase(edited->models.begin() + row);
    pool_ = std::move(edited);
    endRemoveRows();
    emit poolEdited(kWholeRow);
    return true;
}

Qt::ItemFlags PoolTableModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() != IdColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

bool PoolTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || role != Qt::EditRole || !pool_)
        return false;
    const QString text = value.toString();
    const QString before = editText(index.row(), index.column());
    if (text.trimmed() == before)
        return false;
    const QString problem = validate(index.column(), text);
    if (!problem.isEmpty()) {
        emit editRefused(
            tr("%1: %2").arg(pool_->models[static_cast<std::size_t>(index.row())].id, problem));
        return false;
    }
    emit editRequested(index.row(), index.column(), before, text.trimmed());
    return true;
}

QVariant PoolTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return {};
    // Short titles keep nine columns on screen; the tooltips say the rest.
    if (role == Qt::DisplayRole) {
        switch (section) {
        case IdColumn:
            return tr("Id");
        case NameColumn:
            return tr("Name");
        case InputPriceColumn:
            return tr("In $/1M");
        case OutputPriceColumn:
            return tr("Out $/1M");
        case FeeColumn:
            return tr("Fee $/call");
        case BaseUrlColumn:
            return tr("Base URL");
        case KeyVariableColumn:
            return tr("Key variable");
        case ContextColumn:
            return tr("Context");
        case TagsColumn:
            return tr("Tags");
        }
    }
    if (role == Qt::TextAlignmentRole) {
        const bool numeric =
            (section >= InputPriceColumn && section <= FeeColumn) || section == ContextColumn;
        return numeric ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                       : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case InputPriceColumn:
            return tr("USD per 1,000,000 input tokens");
        case OutputPriceColumn:
            return tr("USD per 1,000,000 output tokens");
        case FeeColumn:
            return tr("USD added to every call");
        case BaseUrlColumn:
            return tr("Base URL of the model's endpoint");
        case KeyVariableColumn:
            return tr("Name of the environment variable that holds the API key");
        case ContextColumn:
            return tr("Context window in tokens");
        }
    }
    return {};
}

} // namespace routerlab
