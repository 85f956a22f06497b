#include "metrics/apgr.h"
#include "metrics/pareto.h"
#include "metrics/series_stats.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

using namespace routerlab;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using Points = std::vector<CostQualityPoint>;
using Series = std::vector<double>;
using Choices = std::vector<int>;

QByteArray describe(const Series& s) {
    QByteArray out = "[";
    for (size_t i = 0; i < s.size(); ++i)
        out += (i ? ", " : "") + QByteArray::number(s[i], 'g', 17);
    return out + "]";
}

// Fuzzy like QCOMPARE on doubles, with NaN equal to NaN.
bool near(double a, double b) {
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    return std::abs(a - b) <= 1e-12 * std::max({1.0, std::abs(a), std::abs(b)});
}

bool near(const Series& a, const Series& b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](double x, double y) { return near(x, y); });
}

#define COMPARE_SERIES(actual, expected)                                                           \
    do {                                                                                           \
        const Series a_ = (actual);                                                                \
        const Series e_ = (expected);                                                              \
        QVERIFY2(near(a_, e_), describe(a_) + " != " + describe(e_));                              \
    } while (false)

// The three-point case used by the hull and AIQ tests: A(1, .5), B(2, .8), C(3, .9) with
// slopes .3 then .1 (concave, so all on the hull), plus D(2, .6) dominated by B.
Points threePoints() {
    return {{1, 0.5}, {2, 0.8}, {3, 0.9}, {2, 0.6}};
}

Series curvePgr(const ApgrResult& r) {
    Series out;
    for (const ApgrCurvePoint& p : r.curve)
        out.push_back(p.pgr);
    return out;
}

} // namespace

class TestMetrics : public QObject {
    Q_OBJECT

private slots:
    // --- Pareto front ---------------------------------------------------------------------

    void paretoFront_data() {
        QTest::addColumn<Points>("points");
        QTest::addColumn<Choices>("expected");
        QTest::newRow("empty") << Points{} << Choices{};
        QTest::newRow("single") << Points{{1, 0.5}} << Choices{0};
        // All equal: exact duplicates keep the first index only.
        QTest::newRow("all equal") << Points{{1, 0.5}, {1, 0.5}, {1, 0.5}} << Choices{0};
        // D (index 3) has B's cost and lower quality: dominated.
        QTest::newRow("dominated excluded") << threePoints() << Choices{0, 1, 2};
        // 5 (0.5, .2) is cheapest; 4 duplicates 0; 2 loses to 1 at equal cost; 6 costs more
        // than 3 for the same quality. Sorted by cost: 5, 0, 1, 3.
        QTest::newRow("mixed") << Points{{1, 0.5}, {2, 0.8},   {2, 0.6}, {3, 0.9},
                                         {1, 0.5}, {0.5, 0.2}, {4, 0.9}}
                               << Choices{5, 0, 1, 3};
        // Cheaper and better dominates everything else.
        QTest::newRow("one dominates") << Points{{2, 0.5}, {1, 0.9}, {3, 0.7}} << Choices{1};
        QTest::newRow("NaN skipped") << Points{{kNaN, 1.0}, {1, kNaN}, {2, 0.3}} << Choices{2};
    }

    void paretoFront() {
        QFETCH(Points, points);
        QFETCH(Choices, expected);
        QCOMPARE(routerlab::paretoFront(points), expected);
    }

    // --- Upper hull -----------------------------------------------------------------------

    void upperConvexHull_data() {
        QTest::addColumn<Points>("points");
        QTest::addColumn<Series>("costs");
        QTest::addColumn<Series>("qualities");
        QTest::newRow("empty") << Points{} << Series{} << Series{};
        QTest::newRow("single") << Points{{1, 0.5}} << Series{1} << Series{0.5};
        QTest::newRow("all equal") << Points{{1, 0.5}, {1, 0.5}} << Series{1} << Series{0.5};
        QTest::newRow("concave kept") << threePoints() << Series{1, 2, 3} << Series{0.5, 0.8, 0.9};
        // (1, .2) is on the Pareto front but under the chord (0,0)-(2,1), which is .5 at 1.
        QTest::newRow("convex dent dropped")
            << Points{{0, 0}, {1, 0.2}, {2, 1}} << Series{0, 2} << Series{0, 1};
        QTest::newRow("collinear dropped")
            << Points{{0, 0}, {1, 0.5}, {2, 1}} << Series{0, 2} << Series{0, 1};
        // Ends at the best point; (3, 1) costs more for no gain; start takes the best of cost 0.
        QTest::newRow("ends at best") << Points{{0, 0.1}, {0, 0.2}, {2, 1}, {3, 1}, {4, 0.5}}
                                      << Series{0, 2} << Series{0.2, 1};
    }

    void upperConvexHull() {
        QFETCH(Points, points);
        QFETCH(Series, costs);
        QFETCH(Series, qualities);
        const Points hull = routerlab::upperConvexHull(points);
        Series c, q;
        for (const CostQualityPoint& p : hull) {
            c.push_back(p.cost);
            q.push_back(p.quality);
        }
        COMPARE_SERIES(c, costs);
        COMPARE_SERIES(q, qualities);
    }

    // --- AIQ ------------------------------------------------------------------------------

    void aiq_data() {
        QTest::addColumn<Points>("points");
        QTest::addColumn<double>("costMin");
        QTest::addColumn<double>("costMax");
        QTest::addColumn<double>("expected");
        // Trapezoids over [1,3]: (.5+.8)/2 + (.8+.9)/2 = .65 + .85 = 1.5; / 2 = .75.
        QTest::newRow("hull range") << threePoints() << 1.0 << 3.0 << 0.75;
        // [0,1] unreachable (0), [1,3] = 1.5, [3,4] flat at .9 = .9; total 2.4 / 4 = .6.
        QTest::newRow("left zero, right flat") << threePoints() << 0.0 << 4.0 << 0.6;
        // f(1.5) = .65, f(2) = .8, f(2.5) = .85: (.65+.8)/2*.5 + (.8+.85)/2*.5 = .775; / 1.
        QTest::newRow("inside") << threePoints() << 1.5 << 2.5 << 0.775;
        // Entirely right of the hull: flat at the best quality.
        QTest::newRow("right only") << threePoints() << 5.0 << 6.0 << 0.9;
        // Entirely left of the hull: nothing affordable.
        QTest::newRow("left only") << threePoints() << 0.0 << 0.5 << 0.0;
        // The dent (1, .2) is not on the hull: triangle area 2 * 1 / 2 = 1; / 2 = .5.
        QTest::newRow("dent ignored") << Points{{0, 0}, {1, 0.2}, {2, 1}} << 0.0 << 2.0 << 0.5;
        // Single point (1, .5) over [0,2]: 0 on [0,1], .5 on [1,2]; .5 / 2 = .25.
        QTest::newRow("single point") << Points{{1, 0.5}} << 0.0 << 2.0 << 0.25;
        QTest::newRow("all equal") << Points{{1, 0.5}, {1, 0.5}} << 1.0 << 3.0 << 0.5;
        // Degenerate ranges return the best quality on the hull.
        QTest::newRow("costMax == costMin") << threePoints() << 2.0 << 2.0 << 0.9;
        QTest::newRow("costMax < costMin") << threePoints() << 3.0 << 1.0 << 0.9;
        QTest::newRow("empty") << Points{} << 0.0 << 1.0 << kNaN;
        QTest::newRow("NaN bound") << threePoints() << kNaN << 1.0 << kNaN;
        QTest::newRow("NaN point skipped") << Points{{1, 0.5}, {kNaN, 1}} << 1.0 << 2.0 << 0.5;
    }

    void aiq() {
        QFETCH(Points, points);
        QFETCH(double, costMin);
        QFETCH(double, costMax);
        QFETCH(double, expected);
        const double actual = routerlab::aiq(points, costMin, costMax);
        QVERIFY2(near(actual, expected), QByteArray::number(actual, 'g', 17));
    }

    // --- Series statistics ----------------------------------------------------------------

    void mean() {
        QCOMPARE(routerlab::mean({1, 2, 3, 4}), 2.5);
        QCOMPARE(routerlab::mean({7}), 7.0);
        QCOMPARE(routerlab::mean({kNaN, 1, 3}), 2.0); // NaNs are skipped, not zeros
        QVERIFY(std::isnan(routerlab::mean({})));
        QVERIFY(std::isnan(routerlab::mean({kNaN, kNaN})));
    }

    void percentile_data() {
        QTest::addColumn<Series>("values");
        QTest::addColumn<double>("p");
        QTest::addColumn<double>("expected");
        Series oneToTwenty(20);
        std::iota(oneToTwenty.begin(), oneToTwenty.end(), 1.0);
        // Rank 19 * .95 = 18.05: 19 + .05 * (20 - 19) = 19.05.
        QTest::newRow("p95 of 1..20") << oneToTwenty << 95.0 << 19.05;
        // Rank 3 * .5 = 1.5: between 2 and 3.
        QTest::newRow("median even") << Series{1, 2, 3, 4} << 50.0 << 2.5;
        // Rank 3 * .25 = .75: 1 + .75 * 1; input order does not matter.
        QTest::newRow("p25 unsorted") << Series{4, 1, 3, 2} << 25.0 << 1.75;
        QTest::newRow("p0 is min") << Series{5, -2, 9} << 0.0 << -2.0;
        QTest::newRow("p100 is max") << Series{5, -2, 9} << 100.0 << 9.0;
        QTest::newRow("single") << Series{3} << 37.0 << 3.0;
        QTest::newRow("all equal") << Series{2, 2, 2} << 90.0 << 2.0;
        QTest::newRow("NaN skipped") << Series{kNaN, 1, 3} << 50.0 << 2.0;
        QTest::newRow("empty") << Series{} << 50.0 << kNaN;
        QTest::newRow("all NaN") << Series{kNaN} << 50.0 << kNaN;
        QTest::newRow("p > 100") << Series{1, 2} << 101.0 << kNaN;
        QTest::newRow("p < 0") << Series{1, 2} << -1.0 << kNaN;
    }

    void percentile() {
        QFETCH(Series, values);
        QFETCH(double, p);
        QFETCH(double, expected);
        const double actual = routerlab::percentile(values, p);
        QVERIFY2(near(actual, expected), QByteArray::number(actual, 'g', 17));
    }

    void cumulativeSum() {
        COMPARE_SERIES(routerlab::cumulativeSum({1, 2, 3}), (Series{1, 3, 6}));
        COMPARE_SERIES(routerlab::cumulativeSum({}), Series{});
        // A hole makes the running total unknown from there on.
        COMPARE_SERIES(routerlab::cumulativeSum({1, kNaN, 1}), (Series{1, kNaN, kNaN}));
    }

    void cumulativeRegret() {
        // Per-step regret 0, 1, .5, 0 -> running 0, 1, 1.5, 1.5.
        COMPARE_SERIES(routerlab::cumulativeRegret({1, 1, 1, 1}, {1, 0, 0.5, 1}),
                       (Series{0, 1, 1.5, 1.5}));
        // A router may beat the oracle of a different reward on a step: regret goes down.
        COMPARE_SERIES(routerlab::cumulativeRegret({0.5, 0.5}, {0, 1}), (Series{0.5, 0}));
        COMPARE_SERIES(routerlab::cumulativeRegret({}, {}), Series{});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, routerlab::cumulativeRegret({1}, {}));
    }

    void convergenceStep_data() {
        QTest::addColumn<Choices>("choices");
        QTest::addColumn<int>("expected");
        QTest::newRow("empty") << Choices{} << -1;
        QTest::newRow("single") << Choices{2} << 0;
        QTest::newRow("constant") << Choices{1, 1, 1} << 0;
        QTest::newRow("settles at 3") << Choices{0, 1, 0, 2, 2, 2} << 3;
        QTest::newRow("changes at the end") << Choices{0, 0, 1} << 2;
        // Revisiting the final model earlier does not count: the run of 1s starts at 2.
        QTest::newRow("returns") << Choices{1, 2, 1, 1} << 2;
    }

    void convergenceStep() {
        QFETCH(Choices, choices);
        QFETCH(int, expected);
        QCOMPARE(routerlab::convergenceStep(choices), expected);
    }

    void convergenceStepByProbability_data() {
        QTest::addColumn<Series>("probabilities");
        QTest::addColumn<int>("expected");
        // All with threshold .9.
        QTest::newRow("empty") << Series{} << -1;
        QTest::newRow("dips then stays") << Series{0.5, 0.95, 0.8, 0.91, 0.99} << 3;
        QTest::newRow("above throughout") << Series{0.95, 0.96} << 0;
        QTest::newRow("ends below") << Series{0.95, 0.5} << -1;
        QTest::newRow("equal counts") << Series{0.9} << 0;
        QTest::newRow("NaN counts as below") << Series{0.95, kNaN, 0.95} << 2;
        QTest::newRow("ends NaN") << Series{0.95, kNaN} << -1;
    }

    void convergenceStepByProbability() {
        QFETCH(Series, probabilities);
        QFETCH(int, expected);
        QCOMPARE(routerlab::convergenceStepByProbability(probabilities, 0.9), expected);
    }

    void selectionShareOverTime() {
        using Rows = std::vector<Series>;
        const auto check = [](const Rows& actual, const Rows& expected) {
            if (actual.size() != expected.size())
                return false;
            for (size_t i = 0; i < actual.size(); ++i) {
                if (!near(actual[i], expected[i]))
                    return false;
            }
            return true;
        };
        // 7 steps in 3 windows of ceil(7/3) = 3: [0,0,1], [1,1,2], [0].
        QVERIFY(check(routerlab::selectionShareOverTime({0, 0, 1, 1, 1, 2, 0}, 3, 3),
                      {{2.0 / 3, 1.0 / 3, 0}, {0, 2.0 / 3, 1.0 / 3}, {1, 0, 0}}));
        // One window is the overall share: 3/7, 3/7, 1/7.
        QVERIFY(check(routerlab::selectionShareOverTime({0, 0, 1, 1, 1, 2, 0}, 3, 1),
                      {{3.0 / 7, 3.0 / 7, 1.0 / 7}}));
        // More windows than steps: one step per window.
        QVERIFY(check(routerlab::selectionShareOverTime({0, 1}, 3, 5), {{1, 0, 0}, {0, 1, 0}}));
        // 9 steps in 4 windows: chunks of 3, so only 3 rows.
        QCOMPARE(routerlab::selectionShareOverTime(Choices(9, 0), 1, 4).size(), size_t(3));
        // -1 (no decision) takes a slot but no model.
        QVERIFY(check(routerlab::selectionShareOverTime({0, -1}, 2, 1), {{0.5, 0}}));
        QVERIFY(routerlab::selectionShareOverTime({}, 2, 3).empty());
        QVERIFY(routerlab::selectionShareOverTime({0}, 0, 3).empty());
        QVERIFY(routerlab::selectionShareOverTime({0}, 1, 0).empty());
    }

    void downsampleMinMax() {
        using Pairs = std::vector<std::pair<int, double>>;
        // Fits: unchanged, with indices.
        QCOMPARE(routerlab::downsampleMinMax({3, 1, 2}, 5), (Pairs{{0, 3}, {1, 1}, {2, 2}}));
        // 10 points into 6: interior 1..8 in (6-2)/2 = 2 buckets, [1..4] and [5..8].
        // Bucket 1 {0, 9, 1, 2}: max 9 at 2, min 0 at 1 -> (1,0), (2,9) in original order.
        // Bucket 2 {3, 4, -5, 6}: min -5 at 7, max 6 at 8.
        const Series spiky{5, 0, 9, 1, 2, 3, 4, -5, 6, 7};
        QCOMPARE(routerlab::downsampleMinMax(spiky, 6),
                 (Pairs{{0, 5}, {1, 0}, {2, 9}, {7, -5}, {8, 6}, {9, 7}}));
        // Odd budget 7 still uses 2 buckets; the output stays within budget.
        QCOMPARE(routerlab::downsampleMinMax(spiky, 7).size(), size_t(6));
        // A flat bucket gives one point, not two.
        QCOMPARE(routerlab::downsampleMinMax({1, 2, 2, 2, 3}, 4), (Pairs{{0, 1}, {1, 2}, {4, 3}}));
        // NaNs inside a bucket are skipped; first and last are kept as they are.
        QCOMPARE(routerlab::downsampleMinMax({1, kNaN, 4, kNaN, 2}, 4).size(), size_t(3));
        // An all-NaN bucket contributes nothing.
        QCOMPARE(routerlab::downsampleMinMax({1, kNaN, kNaN, kNaN, 2}, 4), (Pairs{{0, 1}, {4, 2}}));
        QCOMPARE(routerlab::downsampleMinMax(spiky, 2), (Pairs{{0, 5}, {9, 7}}));
        QCOMPARE(routerlab::downsampleMinMax(spiky, 1), (Pairs{{0, 5}}));
        QVERIFY(routerlab::downsampleMinMax(spiky, 0).empty());
        QVERIFY(routerlab::downsampleMinMax({}, 10).empty());
        // A long series: the budget holds and the one spike survives.
        Series longSeries(10000, 1.0);
        longSeries[4321] = 100;
        const Pairs thinned = routerlab::downsampleMinMax(longSeries, 200);
        QVERIFY(thinned.size() <= 200);
        QVERIFY(std::any_of(thinned.begin(), thinned.end(),
                            [](const auto& p) { return p.first == 4321 && p.second == 100; }));
        QVERIFY(std::is_sorted(thinned.begin(), thinned.end()));
    }

    // --- PGR / APGR / CPT -----------------------------------------------------------------

    void performanceGapRecovered() {
        QCOMPARE(routerlab::performanceGapRecovered(0.7, 0.6, 0.8), 0.5);
        QCOMPARE(routerlab::performanceGapRecovered(0.6, 0.6, 0.8), 0.0);
        QCOMPARE(routerlab::performanceGapRecovered(0.9, 0.5, 0.7), 2.0); // beats the strong
        QVERIFY(std::isnan(routerlab::performanceGapRecovered(0.7, 0.6, 0.6)));
    }

    // Four prompts with weak quality [1,0,0,0] and strong [1,1,1,0]: only prompts 1 and 2
    // gain from the strong model (+1 each), so quality sums go from 1 (all weak) to 3 (all
    // strong) and each useful prompt recovers half the gap.
    void averagePerformanceGapRecovered_data() {
        QTest::addColumn<Series>("scores");
        QTest::addColumn<Series>("pgr");
        QTest::addColumn<double>("apgr");
        QTest::addColumn<double>("cpt50");
        QTest::addColumn<double>("cpt80");
        // Perfect: order 1, 2, 0, 3 -> PGR 0, .5, 1, 1, 1.
        // Trapezoids of width .25: .25*(.25 + .75 + 1 + 1) = .75.
        QTest::newRow("perfect") << Series{0, 1, 1, 0} << Series{0, 0.5, 1, 1, 1} << 0.75 << 0.25
                                 << 0.5;
        // Worst: order 0, 3, 1, 2 -> PGR 0, 0, 0, .5, 1; .25*(0 + 0 + .25 + .75) = .25.
        QTest::newRow("worst") << Series{4, 3, 2, 3.5} << Series{0, 0, 0, 0.5, 1} << 0.25 << 0.75
                               << 1.0;
        // A shuffled order 2, 0, 1, 3 -> PGR 0, .5, .5, 1, 1; .25*(.25+.5+.75+1) = .625.
        QTest::newRow("shuffled") << Series{3, 2, 4, 1} << Series{0, 0.5, 0.5, 1, 1} << 0.625
                                  << 0.25 << 0.75;
        // All tied: index order 0, 1, 2, 3 -> PGR 0, 0, .5, 1, 1; .25*(0+.25+.75+1) = .5.
        QTest::newRow("ties by index")
            << Series{1, 1, 1, 1} << Series{0, 0, 0.5, 1, 1} << 0.5 << 0.5 << 0.75;
        // NaN scores rank last: order 1, 2, then 0 and 3 -> same as perfect.
        QTest::newRow("NaN score last")
            << Series{kNaN, 1, 1, kNaN} << Series{0, 0.5, 1, 1, 1} << 0.75 << 0.25 << 0.5;
    }

    void averagePerformanceGapRecovered() {
        QFETCH(Series, scores);
        QFETCH(Series, pgr);
        QFETCH(double, apgr);
        QFETCH(double, cpt50);
        QFETCH(double, cpt80);
        const ApgrResult r =
            routerlab::averagePerformanceGapRecovered(scores, {1, 0, 0, 0}, {1, 1, 1, 0});
        QCOMPARE(r.curve.size(), size_t(5));
        for (size_t k = 0; k < r.curve.size(); ++k)
            QCOMPARE(r.curve[k].strongShare, k / 4.0);
        COMPARE_SERIES(curvePgr(r), pgr);
        QCOMPARE(r.apgr, apgr);
        QCOMPARE(r.cpt50, cpt50);
        QCOMPARE(r.cpt80, cpt80);
    }

    // Over every order of distinct scores each prompt is equally likely at each rank, so the
    // expected PGR(k) is k/N and the mean APGR is the area under the diagonal: exactly .5.
    void randomRouterAveragesOneHalf() {
        Series scores{0, 1, 2, 3};
        double total = 0;
        int count = 0;
        do {
            total +=
                routerlab::averagePerformanceGapRecovered(scores, {1, 0, 0.25, 0}, {1, 1, 1, 0.5})
                    .apgr;
            ++count;
        } while (std::next_permutation(scores.begin(), scores.end()));
        QCOMPARE(count, 24);
        QCOMPARE(total / count, 0.5);
    }

    void apgrEdgeCases() {
        // Single prompt: PGR 0 then 1; area .5; CPT50 needs the one call.
        const ApgrResult one = routerlab::averagePerformanceGapRecovered({0.3}, {0.2}, {0.9});
        COMPARE_SERIES(curvePgr(one), (Series{0, 1}));
        QCOMPARE(one.apgr, 0.5);
        QCOMPARE(one.cpt50, 1.0);

        // No gap to recover: every PGR, APGR and CPT is NaN.
        const ApgrResult flat =
            routerlab::averagePerformanceGapRecovered({1, 2}, {0.5, 0.5}, {0.5, 0.5});
        QCOMPARE(flat.curve.size(), size_t(3));
        QVERIFY(std::isnan(flat.apgr));
        QVERIFY(std::isnan(flat.cpt50));
        QVERIFY(std::isnan(flat.cpt80));

        const ApgrResult empty = routerlab::averagePerformanceGapRecovered({}, {}, {});
        QVERIFY(empty.curve.empty());
        QVERIFY(std::isnan(empty.apgr));
        QVERIFY(std::isnan(empty.cpt50));

        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 routerlab::averagePerformanceGapRecovered({1, 2}, {0}, {1, 1}));
    }

    void callPerformanceThreshold() {
        // Perfect router of the 4-prompt case: PGR 0, .5, 1, 1, 1.
        const ApgrResult r =
            routerlab::averagePerformanceGapRecovered({0, 1, 1, 0}, {1, 0, 0, 0}, {1, 1, 1, 0});
        QCOMPARE(routerlab::callPerformanceThreshold(r, 0.0), 0.0);
        QCOMPARE(routerlab::callPerformanceThreshold(r, 0.3), 0.25);
        QCOMPARE(routerlab::callPerformanceThreshold(r, 1.0), 0.5);
        QVERIFY(std::isnan(routerlab::callPerformanceThreshold(r, 1.01)));
        // A curve that dips: the first crossing counts, not a later one.
        ApgrResult dipping;
        dipping.curve = {{0, 0}, {0.5, 0.9}, {0.75, 0.4}, {1, 1}};
        QCOMPARE(routerlab::callPerformanceThreshold(dipping, 0.8), 0.5);
        // 0.7 - 0.4 is 0.29999999999999993: the tolerance lets a PGR that reaches the target
        // on paper count even when rounding lands it just short.
        ApgrResult rounding;
        rounding.curve = {{0, 0}, {1, 0.7 - 0.4}};
        QCOMPARE(routerlab::callPerformanceThreshold(rounding, 0.3), 1.0);
        QVERIFY(std::isnan(routerlab::callPerformanceThreshold(ApgrResult{}, 0.5)));
    }

    void apgrFromOperatingPoints_data() {
        QTest::addColumn<QList<double>>("shares");
        QTest::addColumn<QList<double>>("pgrs");
        QTest::addColumn<double>("apgr");
        QTest::addColumn<double>("cpt50");
        QTest::addColumn<double>("cpt80");
        // Sorted and anchored: (0,0) (.5,.6) (.75,.9) (1,1); trapezoids .15 + .1875 + .2375.
        QTest::newRow("anchored") << QList<double>{0.75, 0.5} << QList<double>{0.9, 0.6} << 0.575
                                  << 0.5 << 0.75;
        // The diagonal (random routing between weak and strong) averages one half.
        QTest::newRow("diagonal") << QList<double>{0.0, 0.5, 1.0} << QList<double>{0.0, 0.5, 1.0}
                                  << 0.5 << 0.5 << 1.0;
        // A router that recovers all of the gap at 20% strong calls: .1 + .8 = .9.
        QTest::newRow("ideal") << QList<double>{0.2} << QList<double>{1.0} << 0.9 << 0.2 << 0.2;
        // NaN points are dropped; nothing left is NaN.
        QTest::newRow("nan") << QList<double>{0.4} << QList<double>{qQNaN()} << qQNaN() << qQNaN()
                             << qQNaN();
    }
    void apgrFromOperatingPoints() {
        QFETCH(QList<double>, shares);
        QFETCH(QList<double>, pgrs);
        QFETCH(double, apgr);
        QFETCH(double, cpt50);
        QFETCH(double, cpt80);
        std::vector<routerlab::ApgrCurvePoint> points;
        for (qsizetype i = 0; i < shares.size(); ++i)
            points.push_back({shares[i], pgrs[i]});
        const ApgrResult r = routerlab::apgrFromOperatingPoints(points);
        auto same = [](double a, double b) {
            return (std::isnan(a) && std::isnan(b)) || std::abs(a - b) < 1e-12;
        };
        QVERIFY2(same(r.apgr, apgr), qPrintable(QString::number(r.apgr)));
        QVERIFY2(same(r.cpt50, cpt50), qPrintable(QString::number(r.cpt50)));
        QVERIFY2(same(r.cpt80, cpt80), qPrintable(QString::number(r.cpt80)));
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "test_metrics.moc"
