#include "routing/neighbour_search.h"

#include <algorithm>
#include <numeric>

namespace routerlab {

NeighbourSearch::NeighbourSearch(const RoutingProblem& problem, bool useTerms)
    : rows_(problem.trainingRows) {
    if (useTerms && problem.features->termSlots() > 0) {
        terms_ = &problem.features->sparseTerms();
        const int slotCount = problem.features->termSlots();
        postingStart_.assign(static_cast<std::size_t>(slotCount) + 1, 0);
        for (const int row : rows_)
            for (const int slot : (*terms_)[static_cast<std::size_t>(row)].indices)
                ++postingStart_[static_cast<std::size_t>(slot) + 1];
        std::partial_sum(postingStart_.begin(), postingStart_.end(), postingStart_.begin());
        postingPrompt_.resize(static_cast<std::size_t>(postingStart_.back()));
        postingWeight_.resize(postingPrompt_.size());
        std::vector<int> next(postingStart_.begin(), postingStart_.end() - 1);
        for (std::size_t j = 0; j < rows_.size(); ++j) {
            const SparseTerms& t = (*terms_)[static_cast<std::size_t>(rows_[j])];
            for (std::size_t n = 0; n < t.indices.size(); ++n) {
                const int at = next[static_cast<std::size_t>(t.indices[n])]++;
                postingPrompt_[static_cast<std::size_t>(at)] = static_cast<int>(j);
                postingWeight_[static_cast<std::size_t>(at)] = t.weights[n];
            }
        }
        return;
    }
    features_ = &problem.features->matrix();
    normalised_.resize(features_->rows(), static_cast<Eigen::Index>(rows_.size()));
    for (std::size_t j = 0; j < rows_.size(); ++j)
        normalised_.col(static_cast<Eigen::Index>(j)) = features_->col(rows_[j]).normalized();
}

std::vector<float> NeighbourSearch::termSimilarity(const SparseTerms& terms) const {
    std::vector<float> similarity(rows_.size(), 0.0f);
    for (std::size_t n = 0; n < terms.indices.size(); ++n) {
        const auto slot = static_cast<std::size_t>(terms.indices[n]);
        const float weight = terms.weights[n];
        for (int p = postingStart_[slot]; p < postingStart_[slot + 1]; ++p)
            similarity[static_cast<std::size_t>(postingPrompt_[static_cast<std::size_t>(p)])] +=
                weight * postingWeight_[static_cast<std::size_t>(p)];
    }
    return similarity;
}

std::vector<Neighbour> NeighbourSearch::best(const float* similarity, int excludedRow,
                                             int count) const {
    std::vector<int> order(rows_.size());
    std::iota(order.begin(), order.end(), 0);
    std::erase_if(order, [&](int j) { return rows_[static_cast<std::size_t>(j)] == excludedRow; });
    const int take = std::min<int>(count, static_cast<int>(order.size()));
    std::partial_sort(order.begin(), order.begin() + take, order.end(), [&](int a, int b) {
        return similarity[a] > similarity[b] || (similarity[a] == similarity[b] && a < b);
    });
    std::vector<Neighbour> out(static_cast<std::size_t>(take));
    for (int n = 0; n < take; ++n)
        out[static_cast<std::size_t>(n)] = {rows_[static_cast<std::size_t>(order[n])],
                                            similarity[order[n]]};
    return out;
}

std::vector<Neighbour> NeighbourSearch::nearestToRow(int row, int count) const {
    if (terms_)
        return best(termSimilarity((*terms_)[static_cast<std::size_t>(row)]).data(), row, count);
    const Eigen::VectorXf similarity = normalised_.transpose() * features_->col(row).normalized();
    return best(similarity.data(), row, count);
}

std::vector<Neighbour> NeighbourSearch::nearestTo(const Query& query, int count) const {
    if (terms_ && query.terms)
        return best(termSimilarity(*query.terms).data(), -1, count);
    if (!terms_ && query.features) {
        const Eigen::VectorXf similarity = normalised_.transpose() * query.features->normalized();
        return best(similarity.data(), -1, count);
    }
    return nearestToRow(query.row, count);
}

std::vector<std::vector<Neighbour>> NeighbourSearch::nearestToRows(const std::vector<int>& rows,
                                                                   int count) const {
    std::vector<std::vector<Neighbour>> out(rows.size());
    if (terms_) {
        for (std::size_t i = 0; i < rows.size(); ++i)
            out[i] = nearestToRow(rows[i], count);
        return out;
    }
    // One matrix product per block of rows instead of one per row.
    const Eigen::Index block = 256;
    for (std::size_t start = 0; start < rows.size(); start += block) {
        const Eigen::Index n =
            std::min<Eigen::Index>(block, static_cast<Eigen::Index>(rows.size() - start));
        Eigen::MatrixXf queries(features_->rows(), n);
        for (Eigen::Index j = 0; j < n; ++j)
            queries.col(j) = features_->col(rows[start + static_cast<std::size_t>(j)]).normalized();
        const Eigen::MatrixXf similarity = normalised_.transpose() * queries;
        for (Eigen::Index j = 0; j < n; ++j)
            out[start + static_cast<std::size_t>(j)] =
                best(similarity.col(j).data(), rows[start + static_cast<std::size_t>(j)], count);
    }
    return out;
}

} // namespace routerlab
