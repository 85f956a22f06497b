#pragma once

#include "data/model_pool.h"

#include <QAbstractTableModel>
#include <memory>

namespace routerlab {

// The models of a ModelPool, one per row. Every column but the id (which matches the
// dataset's model names) is editable: an edit is validated, then handed to the owner as
// editRequested so it can go through the undo stack, which calls applyEdit. Shows the name of
// the environment variable holding an API key, never a key: pools do not contain keys.
class PoolTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        IdColumn,
        NameColumn,
        InputPriceColumn,
        OutputPriceColumn,
        FeeColumn,
        BaseUrlColumn,
        KeyVariableColumn,
        ContextColumn,
        TagsColumn,
        ColumnCount
    };

    explicit PoolTableModel(QObject* parent = nullptr);

    void setPool(std::shared_ptr<const ModelPool> pool);
    const ModelPool* pool() const { return pool_.get(); }
    std::shared_ptr<const ModelPool> sharedPool() const { return pool_; }

    // The text an editor starts from, and what applyEdit takes back.
    QString editText(int row, int column) const;
    // Empty when `text` is acceptable for `column`, else why not.
    static QString validate(int column, const QString& text);
    // Sets a validated value (undo/redo call this); emits poolEdited.
    void applyEdit(int row, int column, const QString& text);
    // Appends a model (undo/redo call these); emits poolEdited with kWholeRow.
    void appendModel(const PoolModel& model);
    bool removeModel(const QString& id);
    // poolEdited's column when a whole model came or went.
    static constexpr int kWholeRow = -1;
    static bool affectsCost(int column) {
        // A model that comes or goes may be one the dataset names: re-price to be safe.
        return column == InputPriceColumn || column == OutputPriceColumn || column == FeeColumn ||
               column == kWholeRow;
    }

    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

signals:
    void editRequested(int row, int column, const QString& before, const QString& after);
    void editRefused(const QString& message);
    void poolEdited(int column);

private:
    std::shared_ptr<const ModelPool> pool_;
};

} // namespace routerlab
