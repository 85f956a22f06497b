# GUI tests: run on the offscreen platform so they need no display.

# A GUI test on the sample data: test_NAME.cpp as ctest entry NAME, label gui; arguments after
# the name are routerlab_add_qt_tests's (TIMEOUT, REAL_DATA).
function(routerlab_gui_test name)
  add_executable(test_${name} test_${name}.cpp)
  target_link_libraries(test_${name} PRIVATE routerlab_ui Qt6::Test)
  target_compile_definitions(test_${name} PRIVATE
    ROUTERLAB_SOURCE_SAMPLE_DIR="${PROJECT_SOURCE_DIR}/sample_data")
  routerlab_add_qt_tests(${name} test_${name} LABEL gui ${ARGN}
                         ENVIRONMENT QT_QPA_PLATFORM=offscreen)
endfunction()

routerlab_gui_test(gui_shell)

# The workbench: designer, run, charts, slider, browser, pool editor, results from elsewhere.
add_executable(test_gui_workbench test_gui_workbench.cpp)
target_link_libraries(test_gui_workbench PRIVATE routerlab_ui Qt6::Test)
add_dependencies(test_gui_workbench routerlab-cli)
target_compile_definitions(test_gui_workbench PRIVATE
  ROUTERLAB_CLI_PATH="$<TARGET_FILE:routerlab-cli>"
  ROUTERLAB_SOURCE_SAMPLE_DIR="${PROJECT_SOURCE_DIR}/sample_data"
  ROUTERLAB_SHARED_DATA_DIR="${ROUTERLAB_SHARED_DATA_DIR}")
routerlab_add_qt_tests(gui_workbench test_gui_workbench LABEL gui TIMEOUT 300
                       ENVIRONMENT QT_QPA_PLATFORM=offscreen REAL_DATA sliderIsFastOnRouterBench)

# The Live Console against the replay server, started as a separate routerlab-cli process.
add_executable(test_gui_live test_gui_live.cpp)
target_link_libraries(test_gui_live PRIVATE routerlab_ui Qt6::Test)
add_dependencies(test_gui_live routerlab-cli)
target_compile_definitions(test_gui_live PRIVATE
  ROUTERLAB_CLI_PATH="$<TARGET_FILE:routerlab-cli>"
  ROUTERLAB_SOURCE_SAMPLE_DIR="${PROJECT_SOURCE_DIR}/sample_data")
routerlab_add_qt_tests(gui_live test_gui_live LABEL gui TIMEOUT 300
                       ENVIRONMENT QT_QPA_PLATFORM=offscreen)

# The Cold-start Quiz wizard: a held-out model simulated, an endpoint model quizzed live against
# the replay server (a separate routerlab-cli process) and added to the pool.
add_executable(test_gui_quiz test_gui_quiz.cpp)
target_link_libraries(test_gui_quiz PRIVATE routerlab_ui Qt6::Test)
add_dependencies(test_gui_quiz routerlab-cli)
target_compile_definitions(test_gui_quiz PRIVATE
  ROUTERLAB_CLI_PATH="$<TARGET_FILE:routerlab-cli>"
  ROUTERLAB_SOURCE_SAMPLE_DIR="${PROJECT_SOURCE_DIR}/sample_data")
routerlab_add_qt_tests(gui_quiz test_gui_quiz LABEL gui TIMEOUT 300
                       ENVIRONMENT QT_QPA_PLATFORM=offscreen)

# Intervals on the charts: bands over seeds, error bars, box plots, significance marks.
routerlab_gui_test(gui_intervals)

# Runs side by side: runs of routerlab-cli (a workspace, result files) and of the window
# overlaid on every page, with the Runs page's configuration and metric differences.
add_executable(test_gui_overlay test_gui_overlay.cpp)
target_link_libraries(test_gui_overlay PRIVATE routerlab_ui Qt6::Test)
add_dependencies(test_gui_overlay routerlab-cli)
target_compile_definitions(test_gui_overlay PRIVATE
  ROUTERLAB_CLI_PATH="$<TARGET_FILE:routerlab-cli>"
  ROUTERLAB_SOURCE_SAMPLE_DIR="${PROJECT_SOURCE_DIR}/sample_data")
routerlab_add_qt_tests(gui_overlay test_gui_overlay LABEL gui TIMEOUT 300
                       ENVIRONMENT QT_QPA_PLATFORM=offscreen)

# Experiment ▸ Deploy… on a run of the sample: the trained router file and the proxy command.
routerlab_gui_test(gui_deploy)

# Experiment ▸ Evaluate on Unseen Tasks… on the sample: the table, cancel, an unknown family.
routerlab_gui_test(gui_evaluation)

# The frame on a 1280x800 screen: first start and restored geometry fit, the Run dock folds,
# Edit ▸ Undo (seconds).
routerlab_gui_test(gui_frame)

# Every chart's axes and legends after a run of the sample: round ticks, axes that cover their
# data and stay at or above zero, complete legends, the Pareto page's names clear of markers.
routerlab_gui_test(gui_ticks TIMEOUT 300)

# The Trade-off page's goals after a run of the sample: best qualifying answers, the slider and
# table that follow them, limits nothing meets (seconds).
routerlab_gui_test(gui_tradeoff)

# Every page on a 1280x800 screen after a run of the sample: one-line labels, column headers
# and legends whole, the page tabs without scrolling (seconds).
routerlab_gui_test(gui_elision)

# Accessible names on every control of the window and its tool windows; the designer's Browse
# buttons and features picker.
routerlab_gui_test(gui_access)

# The charts explored: hover tooltips, zoom and reset, legend clicks that hide or highlight a
# router, a dark palette and the captions' contrast (seconds).
routerlab_gui_test(gui_charts_interaction)
