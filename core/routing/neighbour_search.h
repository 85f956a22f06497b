#pragma once

#include "routing/router.h"

#include <Eigen/Core>
#include <vector>

namespace routerlab {

struct Neighbour {
    int row = 0; // dataset row of a training prompt
    float similarity = 0;
};

// A problem's training prompts, searched by cosine similarity to a prompt. Over sparse terms
// through an inverted index when the features have terms and `useTerms` is set: the cost of a
// search is the postings of the prompt's terms, and no term is folded into another. Otherwise
// over the dense feature vectors. Above `exactLimit` training prompts the search is blocked:
// the prompts are grouped by spherical k-means over their feature vectors (groups of about
// `promptsPerBlock`, their centres clustered in turn), and a search compares only the prompts
// of the groups nearest the prompt, at least 8 x count and `minCandidates` of them, the groups
// chosen among the `blocksCompared` of the nearest clusters; below it every training prompt is
// compared. Groups of a fixed size keep a search's cost from growing with the data. Read-only after
// construction, so threads may share it.
class NeighbourSearch {
public:
    static constexpr std::size_t kExactLimit = 20000;
    static constexpr std::size_t kMinCandidates = 1024;
    static constexpr std::size_t kBlocksCompared = 128;
    static constexpr std::size_t kPromptsPerBlock = 128;

    NeighbourSearch(const RoutingProblem& problem, bool useTerms,
                    std::size_t exactLimit = kExactLimit,
                    std::size_t minCandidates = kMinCandidates,
                    std::size_t blocksCompared = kBlocksCompared,
                    std::size_t promptsPerBlock = kPromptsPerBlock);

    bool searchesTerms() const { return terms_ != nullptr; }
    bool blocked() const { return blockCount_ > 0; }
    // The `count` training prompts most similar to the dataset row, most similar first (ties:
    // the earlier training prompt), the row itself left out so that a run scored on its
    // training prompts does not read its own answers.
    std::vector<Neighbour> nearestToRow(int row, int count) const;
    // The same for a query, which may be a prompt outside the dataset (its features or terms).
    std::vector<Neighbour> nearestTo(const Query& query, int count) const;
    // nearestToRow() for many rows, batched; `searchedOrder` (optional) receives searchOrder().
    std::vector<std::vector<Neighbour>>
    nearestToRows(const std::vector<int>& rows, int count,
                  std::vector<std::size_t>* searchedOrder = nullptr) const;
    // Indices into `rows` in an order that keeps work over their neighbours in the cache: by
    // each row's nearest block when blocked, as given otherwise.
    std::vector<std::size_t> searchOrder(const std::vector<int>& rows) const;

private:
    void buildBlocks();
    void groupBlocks();
    // The nearest block among those a search from the unit vector compares first.
    int nearestBlock(const Eigen::Ref<const Eigen::VectorXf>& unit) const;
    std::vector<Neighbour> blockedSearch(const Eigen::Ref<const Eigen::VectorXf>& vector,
                                         const SparseTerms* terms, int excludedRow,
                                         int count) const;
    std::vector<float> termSimilarity(const SparseTerms& terms) const;
    std::vector<Neighbour> best(const float* similarity, int excludedRow, int count) const;

    std::vector<int> rows_; // dataset row of each training prompt
    const Eigen::MatrixXf* features_ = nullptr;
    // Dense or blocked search: features x training prompts, unit columns; blocked, in block
    // order (column p is training prompt blockMembers_[p]).
    Eigen::MatrixXf normalised_;
    const std::vector<SparseTerms>* terms_ = nullptr;
    // Term search: the postings of slot s are [postingStart_[s], postingStart_[s + 1]).
    std::vector<int> postingStart_;
    std::vector<int> postingPrompt_; // index into rows_
    std::vector<float> postingWeight_;
    // Blocked search: unit centroids (features x blocks) and the training prompts of block b,
    // [blockStart_[b], blockStart_[b + 1]) of blockMembers_.
    int blockCount_ = 0;
    std::size_t minCandidates_ = kMinCandidates;
    std::size_t blocksCompared_ = kBlocksCompared;
    std::size_t promptsPerBlock_ = kPromptsPerBlock;
    Eigen::MatrixXf centroids_;
    std::vector<int> blockStart_;
    std::vector<int> blockMembers_;
    std::vector<int> blockRows_; // the dataset row of each of blockMembers_
    // The blocks' groups: unit centres (features x groups); group g holds the blocks
    // [groupStart_[g], groupStart_[g + 1]).
    Eigen::MatrixXf groupCentres_;
    std::vector<int> groupStart_;
};

} // namespace routerlab
