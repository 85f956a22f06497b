// The charts as an analyst uses them, on the real widgets after a run of the sample: a hover
// over a point shows its router and figures, a zoom (wheel, keys, rubber band) followed by a
// reset gives back the round axis ranges, a click on a legend entry hides and shows all of a
// router's series and a Shift-click highlights them, and a dark palette gives dark charts and
// captions whose text keeps WCAG contrast (4.5:1), as does the light one.

#include "chart_checks.h"
#include "experiment/experiment_file.h"
#include "gui_harness.h"
#include "ui/charts/chart_legend.h"
#include "ui/charts/chart_panel.h"
#include "ui/charts/chart_view.h"
#include "ui/charts/pareto_panel.h"
#include "ui/experiment/experiment_designer.h"
#include "ui/experiment/experiment_workbench.h"
#include "ui/shell/main_window.h"

#include <QApplication>
#include <QAreaSeries>
#include <QBoxPlotSeries>
#include <QChart>
#include <QDir>
#include <QGraphicsLayout>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QJsonArray>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QToolTip>
#include <QValueAxis>
#include <QWheelEvent>
#include <cmath>
#include <memory>

using namespace routerlab;

namespace {

constexpr int kTimeoutMs = 240000;

using gui_harness::sampleFile;

// WCAG 2 contrast, written out here rather than taken from the code under test.
double luminance(const QColor& color) {
    const auto linear = [](double c) {
        return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    const QColor c = color.toRgb();
    return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF());
}

double contrast(const QColor& a, const QColor& b) {
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QPalette darkPalette() {
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x33, 0x33, 0x33));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Mid, QColor(0x5a, 0x5a, 0x5a));
    p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    return p;
}

// The range of every value and log axis of a chart, in the chart's axis order.
QList<QPair<double, double>> ranges(QChart* chart) {
    QList<QPair<double, double>> out;
    for (QAbstractAxis* axis : chart->axes()) {
        if (auto* value = qobject_cast<QValueAxis*>(axis))
            out << qMakePair(value->min(), value->max());
        else if (auto* log = qobject_cast<QLogValueAxis*>(axis))
            out << qMakePair(log->min(), log->max());
    }
    return out;
}

// Where a point of a series sits in the view's viewport.
QPoint viewportPoint(ChartView* view, QAbstractSeries* series, const QPointF& value) {
    QChart* chart = view->chart();
    return view->mapFromScene(chart->mapToScene(chart->mapToPosition(value, series)));
}

// The Pareto page's model names: backed text items over the series.
QList<QGraphicsRectItem*> modelLabels(QChart* chart) {
    QList<QGraphicsRectItem*> out;
    for (QGraphicsItem* item : chart->childItems())
        if (auto* backed = qgraphicsitem_cast<QGraphicsRectItem*>(item);
            backed && backed->childItems().size() == 1 &&
            qgraphicsitem_cast<QGraphicsSimpleTextItem*>(backed->childItems().first()))
            out << backed;
    return out;
}

QPoint plotCenter(ChartView* view) {
    QChart* chart = view->chart();
    return view->mapFromScene(chart->mapToScene(chart->plotArea().center()));
}

} // namespace

class TestGuiChartsInteraction : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void hoverShowsThePointsFigures();
    void hoverOverABoxShowsItsFigures();
    void zoomThenResetGivesBackRoundRanges_data();
    void zoomThenResetGivesBackRoundRanges();
    void legendClickHidesAndShowsARouter();
    void shiftClickHighlightsARouter();
    void darkPaletteGivesDarkChartsWithReadableText();
    void captionsKeepContrast();

private:
    ChartPanel* showPage(const QString& title);
    QList<ChartPanel*> resultPanels() const;

    QTemporaryDir dir_;
    std::unique_ptr<MainWindow> window_;
    ExperimentWorkbench* bench_ = nullptr;
};

void TestGuiChartsInteraction::initTestCase() {
    QVERIFY(dir_.isValid());
    gui_harness::isolateSettings(dir_);
    window_ = gui_harness::showSampleWindow(QSize(1280, 800), kTimeoutMs);
    QVERIFY(window_);
    bench_ = window_->workbench();
    GuiExperiment e = gui_harness::sampleExperiment();
    e.simulate.seeds = 2;
    e.points = 5;
    QCOMPARE(gui_harness::runInWindow(bench_, e, kTimeoutMs), QString());
    bench_->showEntry(WorkspaceNavigator::Kind::Result, 0);
}

ChartPanel* TestGuiChartsInteraction::showPage(const QString& title) {
    QTabWidget* pages = window_->pages();
    for (int i = 0; i < pages->count(); ++i)
        if (pages->tabText(i).remove('&') == title)
            pages->setCurrentIndex(i);
    auto* panel = qobject_cast<ChartPanel*>(pages->currentWidget());
    if (!panel || panel->title() != title)
        return nullptr;
    if (!QTest::qWaitFor([&] { return panel->isVisible(); }))
        return nullptr;
    // Laid out, so that positions in the plot are final.
    QApplication::processEvents();
    for (ChartView* view : panel->chartViews())
        view->chart()->layout()->activate();
    return panel;
}

QList<ChartPanel*> TestGuiChartsInteraction::resultPanels() const {
    QList<ChartPanel*> out;
    for (ChartPanel* panel : bench_->panels())
        if (!panel->chartViews().isEmpty())
            out << panel;
    return out;
}

void TestGuiChartsInteraction::hoverShowsThePointsFigures() {
    ChartPanel* panel = showPage("Pareto frontier");
    QVERIFY(panel);
    ChartView* view = panel->chartViews().value(0);
    QVERIFY(view);
    // A point of a router's sweep curve at least 14 pixels from the points of every other
    // router and model (sweeps share their all-cost end), and its figures from the result.
    QChart* chart = view->chart();
    const auto curveOf = [&](const QString& router) -> QLineSeries* {
        for (QAbstractSeries* s : chart->series())
            if (s->property("router").toString() == router && s->objectName().isEmpty())
                return qobject_cast<QLineSeries*>(s);
        return nullptr;
    };
    const auto isolated = [&](QLineSeries* own, const QPointF& value) {
        const QPointF at = chart->mapToPosition(value, own);
        for (QAbstractSeries* s : chart->series()) {
            auto* xy = qobject_cast<QXYSeries*>(s);
            if (!xy || xy == own || s->objectName().endsWith("Bar"))
                continue;
            for (const QPointF& p : xy->points()) {
                const QPointF other = chart->mapToPosition(p, xy);
                if (std::hypot(other.x() - at.x(), other.y() - at.y()) < 14)
                    return false;
            }
        }
        return true;
    };
    QString router;
    QJsonObject point;
    QLineSeries* curve = nullptr;
    QPointF value;
    for (const QJsonObject& c : bench_->shownResults()->sweepCurves()) {
        QLineSeries* line = curveOf(c.value("name").toString());
        QVERIFY(line);
        for (const QJsonValue& v : c.value("points").toArray()) {
            const QJsonObject o = v.toObject();
            const QPointF p(o.value("cost_usd").toDouble(), o.value("quality").toDouble());
            if (router.isEmpty() && p.x() > 0 && isolated(line, p)) {
                router = c.value("name").toString();
                point = o;
                curve = line;
                value = p;
            }
        }
    }
    QVERIFY2(curve, "no sweep point clear of the others");
    QVERIFY(curve->points().contains(value));

    QTest::mouseMove(view->viewport(), viewportPoint(view, curve, value) + QPoint(2, 1));
    QTRY_VERIFY(!view->shownTip().isEmpty());
    const QString tip = view->shownTip();
    QVERIFY2(tip.contains(router.toHtmlEscaped()), qPrintable(tip));
    const QJsonObject preference = point.value("preference").toObject();
    QVERIFY2(tip.contains(QString("quality %1 / cost %2")
                              .arg(preference.value("quality").toDouble(), 0, 'f', 2)
                              .arg(preference.value("cost").toDouble(), 0, 'f', 2)),
             qPrintable(tip));
    QVERIFY2(tip.contains(QString::number(value.y(), 'f', 3)), qPrintable(tip));
    QVERIFY2(tip.contains(QString::number(value.x(), 'g', 3)), qPrintable(tip));
    // Two seeds: the result carries intervals, and the tooltip shows them.
    QVERIFY(point.contains("quality_ci95"));
    QVERIFY2(
        tip.contains(QString::number(point.value("quality_ci95").toArray()[0].toDouble(), 'f', 3)),
        qPrintable(tip));
    QTRY_COMPARE(QToolTip::text(), tip);

    // Away from every point, in a corner of the plot: no tooltip.
    const QRectF plot = view->chart()->plotArea();
    QTest::mouseMove(view->viewport(),
                     view->mapFromScene(view->chart()->mapToScene(plot.topLeft() + QPointF(3, 3))));
    QTRY_VERIFY(view->shownTip().isEmpty());

    // A convergence line: its router and how many seeds its mean stands on.
    panel = showPage("Convergence");
    QVERIFY(panel);
    view = panel->chartViews().value(0);
    QLineSeries* line = nullptr;
    for (QAbstractSeries* s : view->chart()->series())
        if (auto* l = qobject_cast<QLineSeries*>(s); l && l->count() > 4 && !line)
            line = l;
    QVERIFY(line);
    const QPointF mid = line->at(line->count() / 2);
    QTest::mouseMove(view->viewport(), viewportPoint(view, line, mid));
    QTRY_VERIFY(!view->shownTip().isEmpty());
    QVERIFY2(view->shownTip().contains(line->name().toHtmlEscaped()), qPrintable(view->shownTip()));
    QVERIFY2(view->shownTip().contains("mean over 2 seeds"), qPrintable(view->shownTip()));
}

void TestGuiChartsInteraction::hoverOverABoxShowsItsFigures() {
    ChartPanel* panel = showPage("Latency");
    QVERIFY(panel);
    ChartView* view = panel->chartViews().value(0);
    QBoxPlotSeries* boxes = nullptr;
    for (QAbstractSeries* s : view->chart()->series())
        if (auto* b = qobject_cast<QBoxPlotSeries*>(s))
            boxes = b;
    QVERIFY(boxes && boxes->count() > 0);
    const QBoxSet* box = boxes->boxSets().front();
    // On the first box, as far from its mean's square as the box goes.
    double mean = NAN;
    for (QAbstractSeries* s : view->chart()->series())
        if (s->objectName() == "meanLatency")
            mean = static_cast<QScatterSeries*>(s)->at(0).y();
    double y = box->at(QBoxSet::Median);
    for (int k = QBoxSet::LowerExtreme; k < QBoxSet::UpperExtreme; ++k) {
        const double middle = (box->at(k) + box->at(k + 1)) / 2;
        if (!(std::abs(middle - mean) <= std::abs(y - mean)))
            y = middle;
    }
    const QPoint at = viewportPoint(view, boxes, QPointF(0, y));
    QVERIFY(std::isnan(mean) ||
            std::abs(viewportPoint(view, boxes, QPointF(0, mean)).y() - at.y()) > 12);
    QTest::mouseMove(view->viewport(), at + QPoint(0, 1));
    QTest::mouseMove(view->viewport(), at);
    QTRY_VERIFY(view->shownTip().contains("median"));
    QVERIFY2(view->shownTip().contains(box->label().toHtmlEscaped()), qPrintable(view->shownTip()));
    QVERIFY2(view->shownTip().contains(QString::number(box->at(QBoxSet::Median), 'g', 4)),
             qPrintable(view->shownTip()));
}

void TestGuiChartsInteraction::zoomThenResetGivesBackRoundRanges_data() {
    QTest::addColumn<QString>("page");
    for (const char* page : {"Convergence", "Cost", "Latency", "Pareto frontier"})
        QTest::newRow(page) << QString(page);
}

void TestGuiChartsInteraction::zoomThenResetGivesBackRoundRanges() {
    QFETCH(QString, page);
    ChartPanel* panel = showPage(page);
    QVERIFY(panel);
    for (ChartView* view : panel->chartViews()) {
        QChart* chart = view->chart();
        const auto before = ranges(chart);
        QVERIFY(!before.isEmpty());
        auto* reset = view->findChild<QToolButton*>("resetZoom");
        QVERIFY(reset);
        QVERIFY(!reset->isVisible());

        // Two wheel notches in, at the middle of the plot.
        const QPoint center = plotCenter(view);
        QWheelEvent wheel(center, view->viewport()->mapToGlobal(center), QPoint(), QPoint(0, 240),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(view->viewport(), &wheel);
        const auto zoomed = ranges(chart);
        QVERIFY(view->zoomed());
        QVERIFY(reset->isVisible());
        for (int i = 0; i < before.size(); ++i)
            QVERIFY2(zoomed[i].second - zoomed[i].first < before[i].second - before[i].first,
                     qPrintable(page + ": axis " + QString::number(i) + " did not zoom"));
        // A redraw of the same results (as a streaming run makes) keeps the zoom where the
        // page reuses its axes.
        if (page == "Convergence") {
            panel->setResults(bench_->shownResults());
            QCOMPARE(ranges(chart), zoomed);
        }

        // The Pareto page's model names follow: those whose dot left the view hide.
        if (auto* pareto = qobject_cast<ParetoPanel*>(panel)) {
            const QList<QRectF> marks = pareto->modelLabels()->markRects();
            const QList<QGraphicsRectItem*> labels = modelLabels(chart);
            QCOMPARE(labels.size(), pareto->modelLabels()->texts().size());
            int hidden = 0;
            for (int i = 0; i < labels.size(); ++i) {
                QCOMPARE(labels[i]->isVisible(), chart->plotArea().contains(marks[i].center()));
                hidden += !labels[i]->isVisible();
            }
            QVERIFY(hidden > 0);
        }
        // The arrow keys pan: the value axes' ranges move.
        view->setFocus();
        QTest::keyClick(view, Qt::Key_Up);
        const auto panned = ranges(chart);
        QVERIFY(panned != zoomed);
        for (int i = 0; i < panned.size(); ++i)
            QVERIFY(std::abs((panned[i].second - panned[i].first) -
                             (zoomed[i].second - zoomed[i].first)) <
                        1e-9 * (zoomed[i].second - zoomed[i].first) ||
                    qobject_cast<QLogValueAxis*>(chart->axes().value(i)));
        QTest::keyClick(view, Qt::Key_Right);

        // A rubber band over the middle of the plot narrows it further.
        const QRectF plot = chart->plotArea();
        const QPoint from = view->mapFromScene(
            chart->mapToScene(plot.center() - QPointF(plot.width() / 4, plot.height() / 4)));
        const QPoint to = view->mapFromScene(
            chart->mapToScene(plot.center() + QPointF(plot.width() / 4, plot.height() / 4)));
        QTest::mousePress(view->viewport(), Qt::LeftButton, {}, from);
        QMouseEvent drag(QEvent::MouseMove, to, view->viewport()->mapToGlobal(to), Qt::NoButton,
                         Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view->viewport(), &drag);
        QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, to);
        const auto banded = ranges(chart);
        QVERIFY2(banded[0].second - banded[0].first < panned[0].second - panned[0].first,
                 qPrintable(page + ": the rubber band did not zoom"));

        QTest::mouseClick(reset, Qt::LeftButton);
        QCOMPARE(ranges(chart), before);
        for (QGraphicsRectItem* label : modelLabels(chart))
            QVERIFY(label->isVisible());
        QVERIFY(!view->zoomed());
        QVERIFY(!reset->isVisible());
        for (QAbstractAxis* axis : chart->axes())
            chart_checks::checkAxis(chart, axis, page + " after a reset");
        QVERIFY(!QTest::currentTestFailed());

        // A double-click resets too.
        QApplication::sendEvent(view->viewport(), &wheel);
        QVERIFY(ranges(chart) != before);
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, center);
        QCOMPARE(ranges(chart), before);
    }
}

void TestGuiChartsInteraction::legendClickHidesAndShowsARouter() {
    ParetoPanel* pareto = bench_->pareto();
    QVERIFY(showPage(pareto->title()));
    ChartLegend* legend = pareto->findChild<ChartLegend*>();
    QVERIFY(legend);
    QChart* chart = pareto->chart();
    // The first router's entry: its curve, its error bars and, when the slider placed one, its
    // operating point all go and come back together.
    const QString router = bench_->shownResults()->sweepCurves().front().value("name").toString();
    int entry = -1;
    for (int i = 0; i < legend->entries().size(); ++i)
        if (legend->entries()[i].key == router)
            entry = i;
    QVERIFY(entry >= 0);
    const int entries = legend->entries().size();
    QList<QAbstractSeries*> own, others;
    for (QAbstractSeries* s : chart->series())
        (s->property("router").toString() == router ? own : others) << s;
    QVERIFY(own.size() >= 2); // the curve and at least one error bar
    QVERIFY(!others.isEmpty());
    for (QAbstractSeries* s : chart->series())
        QVERIFY(s->isVisible());

    const QPoint at = legend->entryRects()[entry].center();
    QTest::mouseClick(legend, Qt::LeftButton, {}, at);
    QVERIFY(legend->isHidden(router));
    for (QAbstractSeries* s : own)
        QVERIFY2(!s->isVisible(), qPrintable(s->name()));
    for (QAbstractSeries* s : others)
        QVERIFY2(s->isVisible(), qPrintable(s->name()));
    // Still listed, so that it can be clicked back.
    QCOMPARE(legend->entries().size(), entries);

    QTest::mouseClick(legend, Qt::LeftButton, {}, at);
    QVERIFY(!legend->isHidden(router));
    for (QAbstractSeries* s : chart->series())
        QVERIFY(s->isVisible());

    // Hidden stays hidden through a redraw: the Cost page draws every series anew.
    ChartPanel* cost = showPage("Cost");
    QVERIFY(cost);
    ChartLegend* costLegend = cost->findChild<ChartLegend*>();
    QVERIFY(costLegend && !costLegend->entries().isEmpty());
    const QString first = costLegend->entries().front().key;
    QTest::mouseClick(costLegend, Qt::LeftButton, {}, costLegend->entryRects().front().center());
    cost->setResults(bench_->shownResults());
    bool found = false;
    for (QAbstractSeries* s : costLegend->chart()->series()) {
        QCOMPARE(s->isVisible(), s->name() != first);
        found = found || s->name() == first;
    }
    QVERIFY(found);
    QTest::mouseClick(costLegend, Qt::LeftButton, {}, costLegend->entryRects().front().center());
    for (QAbstractSeries* s : costLegend->chart()->series())
        QVERIFY(s->isVisible());
}

void TestGuiChartsInteraction::shiftClickHighlightsARouter() {
    ChartPanel* panel = showPage("Convergence");
    QVERIFY(panel);
    ChartLegend* legend = panel->findChild<ChartLegend*>();
    QVERIFY(legend && legend->entries().size() >= 2);
    const QString router = legend->entries()[1].key;
    QTest::mouseClick(legend, Qt::LeftButton, Qt::ShiftModifier, legend->entryRects()[1].center());
    QCOMPARE(legend->highlighted(), router);
    int own = 0;
    for (QAbstractSeries* s : legend->chart()->series()) {
        const bool mine = s->name() == router || s->property("router").toString() == router;
        own += mine;
        QVERIFY2(s->isVisible(), qPrintable(s->name()));
        if (mine)
            QCOMPARE(s->opacity(), 1.0);
        else
            QVERIFY2(s->opacity() < 0.5, qPrintable(s->name()));
    }
    QVERIFY(own >= 2); // the line and its band
    QTest::mouseClick(legend, Qt::LeftButton, Qt::ShiftModifier, legend->entryRects()[1].center());
    QVERIFY(legend->highlighted().isEmpty());
    for (QAbstractSeries* s : legend->chart()->series())
        QCOMPARE(s->opacity(), 1.0);
}

void TestGuiChartsInteraction::darkPaletteGivesDarkChartsWithReadableText() {
    const QPalette light = QApplication::palette();
    QApplication::setPalette(darkPalette());
    const auto check = [&](bool dark) {
        for (ChartPanel* panel : resultPanels()) {
            for (ChartView* view : panel->chartViews()) {
                QChart* chart = view->chart();
                const QString where = panel->title() + (dark ? " (dark)" : " (light)");
                const QColor background = chart->backgroundBrush().color();
                QVERIFY2(dark ? luminance(background) < 0.05 : luminance(background) > 0.6,
                         qPrintable(where + ": background " + background.name()));
                if (view == panel->chartViews().front() && panel == resultPanels().front())
                    qInfo("%s chart background %s, axis labels %.2f:1", dark ? "dark" : "light",
                          qPrintable(background.name()),
                          contrast(chart->axes().front()->labelsBrush().color(), background));
                for (QAbstractAxis* axis : chart->axes()) {
                    const double labels = contrast(axis->labelsBrush().color(), background);
                    QVERIFY2(labels >= 4.5,
                             qPrintable(where + ": labels " + QString::number(labels)));
                    QVERIFY2(contrast(axis->titleBrush().color(), background) >= 4.5,
                             qPrintable(where));
                }
                for (QGraphicsRectItem* label : modelLabels(chart)) {
                    const QColor text =
                        static_cast<QGraphicsSimpleTextItem*>(label->childItems().first())
                            ->brush()
                            .color();
                    QVERIFY2(contrast(text, background) >= 4.5, qPrintable(where + ": a name"));
                    QCOMPARE(label->brush().color().rgb(), background.rgb());
                }
                // Lines keep the 3:1 WCAG asks of graphics.
                for (QAbstractSeries* s : chart->series())
                    if (auto* line = qobject_cast<QLineSeries*>(s); line && line->isVisible())
                        QVERIFY2(contrast(line->pen().color(), background) >= 3.0,
                                 qPrintable(where + ": " + line->name()));
            }
        }
    };
    // Every page, the ones out of view too, follows the change.
    QTRY_VERIFY(luminance(bench_->pareto()->chart()->backgroundBrush().color()) < 0.05);
    check(true);
    QVERIFY(!QTest::currentTestFailed());
    // A redraw in the dark palette stays dark.
    ChartPanel* cost = showPage("Cost");
    QVERIFY(cost);
    cost->setResults(bench_->shownResults());
    cost->showResults(bench_->shownResults());
    check(true);
    QVERIFY(!QTest::currentTestFailed());
    QApplication::setPalette(light);
    QTRY_VERIFY(luminance(bench_->pareto()->chart()->backgroundBrush().color()) > 0.6);
    check(false);
}

void TestGuiChartsInteraction::captionsKeepContrast() {
    const QPalette light = QApplication::palette();
    for (const QPalette& palette : {light, darkPalette()}) {
        QApplication::setPalette(palette);
        QApplication::processEvents();
        for (ChartPanel* panel : resultPanels()) {
            QLabel* caption = panel->caption();
            QVERIFY(caption);
            const QColor text = caption->palette().color(QPalette::WindowText);
            const QColor behind = panel->palette().color(QPalette::Window);
            QCOMPARE(behind, palette.color(QPalette::Window));
            const double ratio = contrast(text, behind);
            QVERIFY2(ratio >= 4.5, qPrintable(panel->title() + ": " + QString::number(ratio)));
            if (panel == resultPanels().front()) // the README quotes these
                qInfo("caption %s on %s: %.2f:1", qPrintable(text.name()),
                      qPrintable(behind.name()), ratio);
            // Still a caption: quieter than the body text.
            QVERIFY2(contrast(text, behind) < contrast(palette.color(QPalette::WindowText), behind),
                     qPrintable(panel->title()));
        }
    }
    QApplication::setPalette(light);
}

QTEST_MAIN(TestGuiChartsInteraction)
#include "test_gui_charts_interaction.moc"
