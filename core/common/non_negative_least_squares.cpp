#include "common/non_negative_least_squares.h"

#include <Eigen/Cholesky>
#include <stdexcept>
#include <vector>

namespace routerlab {

Eigen::VectorXd nonNegativeLeastSquares(const Eigen::MatrixXd& gram,
                                        const Eigen::VectorXd& target) {
    const int n = static_cast<int>(target.size());
    if (n > 16 || gram.rows() != n || gram.cols() != n)
        throw std::invalid_argument("nonNegativeLeastSquares: at most 16 columns, gram n x n");
    Eigen::VectorXd best = Eigen::VectorXd::Zero(n);
    double bestLoss = 0; // every weight zero; the loss leaves out the constant |b|^2
    for (unsigned subset = 1; subset < (1u << n); ++subset) {
        std::vector<int> in;
        for (int j = 0; j < n; ++j)
            if (subset & (1u << j))
                in.push_back(j);
        const int m = static_cast<int>(in.size());
        Eigen::MatrixXd g(m, m);
        Eigen::VectorXd b(m);
        for (int a = 0; a < m; ++a) {
            b[a] = target[in[a]];
            for (int c = 0; c < m; ++c)
                g(a, c) = gram(in[a], in[c]);
        }
        // A whisker of ridge keeps collinear columns solvable.
        g.diagonal().array() += 1e-12 * (1 + g.diagonal().cwiseAbs().maxCoeff());
        const Eigen::VectorXd w = g.ldlt().solve(b);
        if (!w.allFinite() || (w.array() < 0).any())
            continue;
        Eigen::VectorXd full = Eigen::VectorXd::Zero(n);
        for (int a = 0; a < m; ++a)
            full[in[a]] = w[a];
        const double loss = full.dot(gram * full) - 2 * full.dot(target);
        if (loss < bestLoss) {
            bestLoss = loss;
            best = full;
        }
    }
    return best;
}

} // namespace routerlab
