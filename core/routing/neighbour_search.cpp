#include "routing/neighbour_search.h"

#include "common/vector_state.h"

#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <numeric>

namespace routerlab {

namespace {

constexpr int kClusteringRounds = 3;
constexpr Eigen::Index kClusteringSample = 20000; // prompts the centroids are fitted on
constexpr Eigen::Index kColumnBlock = 2048;
constexpr Eigen::Index kSimilarityFloats = Eigen::Index{1} << 22;

// Calls work(start, end) for consecutive chunks of [0, size) over the idle cores, at the
// calling thread's priority (common/side_task.h says why).
void forEachChunk(std::size_t size, std::size_t chunk,
                  const std::function<void(std::size_t, std::size_t)>& work) {
    std::vector<std::size_t> starts;
    for (std::size_t start = 0; start < size; start += chunk)
        starts.push_back(start);
    QThreadPool pool;
    pool.setThreadPriority(QThread::currentThread()->priority());
    QtConcurrent::blockingMap(&pool, starts, [&](std::size_t start) {
        clearUpperVectorState();
        work(start, std::min(size, start + chunk));
    });
}

// For each column of `points`, the nearest centroid (largest dot product).
std::vector<int> nearestCentroids(const Eigen::MatrixXf& centroids, const Eigen::MatrixXf& points,
                                  const std::vector<Eigen::Index>& columns) {
    std::vector<int> nearest(columns.size());
    // Columns per chunk such that a chunk's similarities stay near 16 MiB: the centroids grow in
    // number with the data.
    const auto chunk = static_cast<std::size_t>(std::clamp<Eigen::Index>(
        kSimilarityFloats / std::max<Eigen::Index>(1, centroids.cols()), 64, kColumnBlock));
    forEachChunk(columns.size(), chunk, [&](std::size_t start, std::size_t end) {
        const auto n = static_cast<Eigen::Index>(end - start);
        Eigen::MatrixXf block(points.rows(), n);
        for (Eigen::Index j = 0; j < n; ++j)
            block.col(j) = points.col(columns[start + static_cast<std::size_t>(j)]);
        const Eigen::MatrixXf similarity = centroids.transpose() * block;
        for (Eigen::Index j = 0; j < n; ++j)
            similarity.col(j).maxCoeff(&nearest[start + static_cast<std::size_t>(j)]);
    });
    return nearest;
}

// Spherical k-means: each centre moves to the direction of the columns nearest it, a few times.
void refineCentres(Eigen::MatrixXf& centres, const Eigen::MatrixXf& points,
                   const std::vector<Eigen::Index>& columns) {
    for (int round = 0; round < kClusteringRounds; ++round) {
        const std::vector<int> nearest = nearestCentroids(centres, points, columns);
        Eigen::MatrixXf sums = Eigen::MatrixXf::Zero(centres.rows(), centres.cols());
        for (std::size_t i = 0; i < columns.size(); ++i)
            sums.col(nearest[i]) += points.col(columns[i]);
        for (Eigen::Index c = 0; c < centres.cols(); ++c)
            if (const float norm = sums.col(c).norm(); norm > 0)
                centres.col(c) = sums.col(c) / norm;
    }
}

// Where each bucket's items start when they are laid out bucket by bucket (buckets + 1
// entries, the last the item count).
std::vector<int> bucketStarts(const std::vector<int>& bucketOf, int buckets) {
    std::vector<int> starts(static_cast<std::size_t>(buckets) + 1, 0);
    for (const int b : bucketOf)
        ++starts[static_cast<std::size_t>(b) + 1];
    std::partial_sum(starts.begin(), starts.end(), starts.begin());
    return starts;
}

// A key that orders (value, index) pairs from the largest value down, ties to the lower index,
// as unsigned integers do.
std::uint64_t orderKey(float value, Eigen::Index index) {
    std::uint32_t bits = 0;
    value += 0.0f; // -0 as +0, as the comparison of floats has it
    std::memcpy(&bits, &value, sizeof bits);
    const std::uint32_t ascending = (bits & 0x80000000u) ? ~bits : bits | 0x80000000u;
    return (std::uint64_t{~ascending} << 32) | static_cast<std::uint32_t>(index);
}

// The index an orderKey() holds.
int indexOf(std::uint64_t key) {
    return static_cast<int>(key & 0xffffffffu);
}

// The blocks of the groups nearest a unit vector, as orderKey()s of their centroids'
// closeness, taken group by group from the nearest.
class BlockCandidates {
public:
    BlockCandidates(const Eigen::MatrixXf& centroids, const Eigen::MatrixXf& groupCentres,
                    const std::vector<int>& groupStart,
                    const Eigen::Ref<const Eigen::VectorXf>& unit)
        : centroids_(centroids), groupStart_(groupStart), unit_(unit) {
        const Eigen::VectorXf closeness = groupCentres.transpose() * unit;
        groupKeys_.resize(static_cast<std::size_t>(closeness.size()));
        for (Eigen::Index g = 0; g < closeness.size(); ++g)
            groupKeys_[static_cast<std::size_t>(g)] = orderKey(closeness[g], g);
    }
    // Adds the next nearest groups' blocks until at least `blocks` are held or none is left.
    // A search takes two or three groups as a rule, so each is found by a scan of the rest: a
    // sort of every group's key cost more as the groups grew in number with the data.
    void take(std::size_t blocks) {
        while (taken_ < groupKeys_.size() && keys.size() < blocks) {
            const auto nearest = std::min_element(
                groupKeys_.begin() + static_cast<std::ptrdiff_t>(taken_), groupKeys_.end());
            std::iter_swap(groupKeys_.begin() + static_cast<std::ptrdiff_t>(taken_++), nearest);
            const auto g = static_cast<std::size_t>(indexOf(groupKeys_[taken_ - 1]));
            const Eigen::Index first = groupStart_[g], size = groupStart_[g + 1] - first;
            const Eigen::VectorXf closeness =
                centroids_.middleCols(first, size).transpose() * unit_;
            for (Eigen::Index b = 0; b < size; ++b)
                keys.push_back(orderKey(closeness[b], first + b));
        }
    }
    std::vector<std::uint64_t> keys;

private:
    const Eigen::MatrixXf& centroids_;
    const std::vector<int>& groupStart_;
    const Eigen::Ref<const Eigen::VectorXf> unit_;
    std::vector<std::uint64_t> groupKeys_; // the first taken_ in order, the rest in any
    std::size_t taken_ = 0;
};

} // namespace

NeighbourSearch::NeighbourSearch(const RoutingProblem& problem, bool useTerms,
                                 std::size_t exactLimit, std::size_t minCandidates,
                                 std::size_t blocksCompared, std::size_t promptsPerBlock)
    : rows_(problem.trainingRows), minCandidates_(minCandidates), blocksCompared_(blocksCompared),
      promptsPerBlock_(std::max<std::size_t>(1, promptsPerBlock)) {
    const bool blocked = rows_.size() > exactLimit;
    if (useTerms && problem.features->termSlots() > 0)
        terms_ = &problem.features->sparseTerms();
    // Blocked, the terms are compared pair by pair within the blocks: no index is needed.
    if (terms_ && !blocked) {
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
    if (blocked)
        buildBlocks();
}

void NeighbourSearch::buildBlocks() {
    const auto n = static_cast<Eigen::Index>(rows_.size());
    blockCount_ = static_cast<int>(
        std::clamp<Eigen::Index>(n / static_cast<Eigen::Index>(promptsPerBlock_), 1, n));
    // Spherical k-means from evenly spaced prompts, fitted on an evenly spaced sample.
    centroids_.resize(normalised_.rows(), blockCount_);
    for (int b = 0; b < blockCount_; ++b)
        centroids_.col(b) = normalised_.col(static_cast<Eigen::Index>(b) * n / blockCount_);
    std::vector<Eigen::Index> sample;
    const Eigen::Index sampleSize = std::min(n, kClusteringSample);
    for (Eigen::Index i = 0; i < sampleSize; ++i)
        sample.push_back(i * n / sampleSize);
    refineCentres(centroids_, normalised_, sample);
    groupBlocks();
    // Each prompt goes to the nearest block among those a search from it compares first.
    std::vector<int> nearest(static_cast<std::size_t>(n));
    forEachChunk(nearest.size(), kColumnBlock, [&](std::size_t start, std::size_t end) {
        for (std::size_t j = start; j < end; ++j)
            nearest[j] = nearestBlock(normalised_.col(static_cast<Eigen::Index>(j)));
    });
    blockStart_ = bucketStarts(nearest, blockCount_);
    blockMembers_.resize(nearest.size());
    std::vector<int> next(blockStart_.begin(), blockStart_.end() - 1);
    for (std::size_t j = 0; j < nearest.size(); ++j)
        blockMembers_[static_cast<std::size_t>(next[static_cast<std::size_t>(nearest[j])]++)] =
            static_cast<int>(j);
    // A block's vectors side by side: a search reads a few blocks whole.
    Eigen::MatrixXf ordered(normalised_.rows(), n);
    blockRows_.resize(blockMembers_.size());
    for (Eigen::Index p = 0; p < n; ++p) {
        const auto j = static_cast<std::size_t>(blockMembers_[static_cast<std::size_t>(p)]);
        ordered.col(p) = normalised_.col(static_cast<Eigen::Index>(j));
        blockRows_[static_cast<std::size_t>(p)] = rows_[j];
    }
    normalised_ = std::move(ordered);
}

int NeighbourSearch::nearestBlock(const Eigen::Ref<const Eigen::VectorXf>& unit) const {
    BlockCandidates candidates(centroids_, groupCentres_, groupStart_, unit);
    candidates.take(blocksCompared_);
    return indexOf(*std::min_element(candidates.keys.begin(), candidates.keys.end()));
}

// The blocks' centroids clustered in turn, about sqrt(blocks) groups of them, and the blocks
// renumbered group by group: a search then compares the prompt with the groups' centres and the
// centroids of the nearest groups only, not with every centroid (a cost that grew as sqrt(N)
// per search).
void NeighbourSearch::groupBlocks() {
    const int groups =
        std::clamp(static_cast<int>(std::lround(std::sqrt(double(blockCount_)))), 1, blockCount_);
    std::vector<Eigen::Index> blocks(static_cast<std::size_t>(blockCount_));
    std::iota(blocks.begin(), blocks.end(), Eigen::Index{0});
    groupCentres_.resize(centroids_.rows(), groups);
    for (int g = 0; g < groups; ++g)
        groupCentres_.col(g) = centroids_.col(static_cast<Eigen::Index>(g) * blockCount_ / groups);
    refineCentres(groupCentres_, centroids_, blocks);
    const std::vector<int> nearest = nearestCentroids(groupCentres_, centroids_, blocks);
    groupStart_ = bucketStarts(nearest, groups);
    std::vector<int> next(groupStart_.begin(), groupStart_.end() - 1);
    Eigen::MatrixXf ordered(centroids_.rows(), blockCount_);
    for (std::size_t b = 0; b < blocks.size(); ++b)
        ordered.col(next[static_cast<std::size_t>(nearest[b])]++) = centroids_.col(blocks[b]);
    centroids_ = std::move(ordered);
}

std::vector<Neighbour>
NeighbourSearch::blockedSearch(const Eigen::Ref<const Eigen::VectorXf>& vector,
                               const SparseTerms* terms, int excludedRow, int count) const {
    const Eigen::VectorXf unit = vector.normalized();
    // The nearest groups of blocks, enough of them to hold blocksCompared_ blocks; then the
    // nearest blocks of those. Orders are kept as integers, closer first and ties to the lower
    // number: selecting over plain keys took a tenth of the search's time through an indirect
    // comparison.
    BlockCandidates candidates(centroids_, groupCentres_, groupStart_, unit);
    candidates.take(blocksCompared_);
    std::vector<std::uint64_t>& order = candidates.keys;
    // A few blocks are enough as a rule: order those first, the rest only when needed.
    const auto head = std::min<std::ptrdiff_t>(32, static_cast<std::ptrdiff_t>(order.size()));
    std::nth_element(order.begin(), order.begin() + head, order.end());
    std::sort(order.begin(), order.begin() + head);
    const std::size_t wanted =
        std::max<std::size_t>(8 * static_cast<std::size_t>(count), minCandidates_);
    std::vector<Neighbour> scored;
    scored.reserve(wanted);
    std::size_t visited = 0;
    for (std::size_t i = 0; visited < wanted; ++i) {
        if (i == order.size()) {
            // Rare: the groups taken hold too few prompts.
            const std::size_t had = order.size();
            candidates.take(had + 1);
            if (order.size() == had)
                break;
            std::sort(order.begin() + static_cast<std::ptrdiff_t>(had), order.end());
        } else if (i == static_cast<std::size_t>(head)) {
            std::sort(order.begin() + head, order.end());
        }
        const auto b = static_cast<std::size_t>(indexOf(order[i]));
        for (int p = blockStart_[b]; p < blockStart_[b + 1]; ++p) {
            ++visited;
            const int row = blockRows_[static_cast<std::size_t>(p)];
            if (row == excludedRow)
                continue;
            const int j = blockMembers_[static_cast<std::size_t>(p)];
            const float similarity = terms ? (*terms_)[static_cast<std::size_t>(row)].dot(*terms)
                                           : normalised_.col(p).dot(unit);
            scored.push_back({j, similarity});
        }
    }
    // Ties go to the earlier training prompt, as in the exact search.
    const auto take = std::min<std::size_t>(static_cast<std::size_t>(count), scored.size());
    const auto before = [](const Neighbour& a, const Neighbour& b) {
        return a.similarity > b.similarity || (a.similarity == b.similarity && a.row < b.row);
    };
    const auto end = scored.begin() + static_cast<std::ptrdiff_t>(take);
    std::nth_element(scored.begin(), end, scored.end(), before);
    std::sort(scored.begin(), end, before);
    // A copy of the first `take`: the candidates' capacity would stay with every result kept.
    std::vector<Neighbour> nearest(scored.begin(),
                                   scored.begin() + static_cast<std::ptrdiff_t>(take));
    for (Neighbour& n : nearest)
        n.row = rows_[static_cast<std::size_t>(n.row)];
    return nearest;
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
    if (blocked())
        return blockedSearch(features_->col(row),
                             terms_ ? &(*terms_)[static_cast<std::size_t>(row)] : nullptr, row,
                             count);
    if (terms_)
        return best(termSimilarity((*terms_)[static_cast<std::size_t>(row)]).data(), row, count);
    const Eigen::VectorXf similarity = normalised_.transpose() * features_->col(row).normalized();
    return best(similarity.data(), row, count);
}

std::vector<Neighbour> NeighbourSearch::nearestTo(const Query& query, int count) const {
    if (blocked() && query.features && (!terms_ || query.terms))
        return blockedSearch(*query.features, terms_ ? query.terms : nullptr, -1, count);
    if (terms_ && query.terms)
        return best(termSimilarity(*query.terms).data(), -1, count);
    if (!terms_ && query.features) {
        const Eigen::VectorXf similarity = normalised_.transpose() * query.features->normalized();
        return best(similarity.data(), -1, count);
    }
    return nearestToRow(query.row, count);
}

std::vector<std::size_t> NeighbourSearch::searchOrder(const std::vector<int>& rows) const {
    if (!blocked()) {
        std::vector<std::size_t> order(rows.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        return order;
    }
    // A training prompt's place in block order is known; another row's is its nearest block's.
    int largestRow = 0;
    for (const int row : rows)
        largestRow = std::max(largestRow, row);
    std::vector<int> placeOfRow(static_cast<std::size_t>(largestRow) + 1, -1);
    for (std::size_t p = 0; p < blockRows_.size(); ++p)
        if (const int row = blockRows_[p]; row <= largestRow)
            placeOfRow[static_cast<std::size_t>(row)] = static_cast<int>(p);
    std::vector<std::uint64_t> keys(rows.size());
    forEachChunk(rows.size(), kColumnBlock, [&](std::size_t start, std::size_t end) {
        for (std::size_t i = start; i < end; ++i) {
            int place = placeOfRow[static_cast<std::size_t>(rows[i])];
            if (place < 0)
                place = blockStart_[static_cast<std::size_t>(
                    nearestBlock(features_->col(rows[i]).normalized()))];
            keys[i] = (std::uint64_t{static_cast<std::uint32_t>(place)} << 32) | i;
        }
    });
    std::sort(keys.begin(), keys.end());
    std::vector<std::size_t> order(rows.size());
    for (std::size_t i = 0; i < keys.size(); ++i)
        order[i] = static_cast<std::size_t>(keys[i] & 0xffffffffu);
    return order;
}

std::vector<std::vector<Neighbour>>
NeighbourSearch::nearestToRows(const std::vector<int>& rows, int count,
                               std::vector<std::size_t>* searchedOrder) const {
    std::vector<std::vector<Neighbour>> out(rows.size());
    if (searchedOrder)
        *searchedOrder = searchOrder(rows);
    if (blocked()) {
        // Rows searched in the order of their nearest block: neighbouring searches then read the
        // same few blocks while they are still in the cache, where rows in any order read the
        // whole matrix over and over (a cost that grew faster than the data).
        const std::vector<std::size_t> order = searchedOrder ? *searchedOrder : searchOrder(rows);
        forEachChunk(order.size(), 512, [&](std::size_t start, std::size_t end) {
            for (std::size_t i = start; i < end; ++i)
                out[order[i]] = nearestToRow(rows[order[i]], count);
        });
        return out;
    }
    if (terms_) {
        // Rows are searched independently, in chunks over the idle cores: the experiment's
        // other cells wait on this training.
        forEachChunk(rows.size(), 512, [&](std::size_t start, std::size_t end) {
            for (std::size_t i = start; i < end; ++i)
                out[i] = nearestToRow(rows[i], count);
        });
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
