#include "pool_table_model.h"

#include "dataset_summary_model.h"

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
