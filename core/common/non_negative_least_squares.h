#pragma once

#include <Eigen/Core>

namespace routerlab {

// The weights w >= 0 that minimise |A w - b|^2, given A'A (`gram`) and A'b (`target`): the best
// unconstrained fit over every subset of the columns whose weights all come out non-negative.
// Exact, and cheap for a handful of columns (2^n subsets); columns beyond 16 are refused.
Eigen::VectorXd nonNegativeLeastSquares(const Eigen::MatrixXd& gram, const Eigen::VectorXd& target);

} // namespace routerlab
