# GUI tests: run on the offscreen platform so they need no display.
add_executable(test_gui_shell test_gui_shell.cpp)
target_link_libraries(test_gui_shell PRIVATE routerlab_ui Qt6::Test)
target_compile_definitions(test_gui_shell PRIVATE ROUTERLAB_SOURCE_SAMPLE_DIR="${PROJECT_SOURCE_DIR}/sample_data")
routerlab_add_qt_tests(gui_shell test_gui_shell LABEL gui ENVIRONMENT QT_QPA_PLATFORM=offscreen)

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
add_executable(test_gui_intervals test_gui_intervals.cpp)
target_link_libraries(test_gui_intervals PRIVATE routerlab_ui Qt6::Test)
target_compile_definitions(test_gui_intervals PRIVATE
  ROUTERLAB_SOURCE_SAMPLE_DIR="${PROJECT_SOURCE_DIR}/sample_data")
routerlab_add_qt_tests(gui_intervals test_gui_intervals LABEL gui
                       ENVIRONMENT QT_QPA_PLATFORM=offscreen)

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
add_executable(test_gui_deploy test_gui_deploy.cpp)
target_link_libraries(test_gui_deploy PRIVATE routerlab_ui Qt6::Test)
target_compile_definitions(test_gui_deploy PRIVATE
  ROUTERLAB_SOURCE_SAMPLE_DIR="${PROJECT_SOURCE_DIR}/sample_data")
routerlab_add_qt_tests(gui_deploy test_gui_deploy LABEL gui
                       ENVIRONMENT QT_QPA_PLATFORM=offscreen)

# The frame on a 1280x800 screen: first start and restored geometry fit, the Run dock folds,
# Edit ▸ Undo (seconds).
add_executable(test_gui_frame test_gui_frame.cpp)
target_link_libraries(test_gui_frame PRIVATE routerlab_ui Qt6::Test)
target_compile_definitions(test_gui_frame PRIVATE ROUTERLAB_SOURCE_SAMPLE_DIR="${PROJECT_SOURCE_DIR}/sample_data")
routerlab_add_qt_tests(gui_frame test_gui_frame LABEL gui ENVIRONMENT QT_QPA_PLATFORM=offscreen)

# Every chart's axes and legends after a run of the sample: round ticks, axes that cover their
# data and stay at or above zero, complete legends, the Pareto page's names clear of markers.
add_executable(test_gui_ticks test_gui_ticks.cpp)
target_link_libraries(test_gui_ticks PRIVATE routerlab_ui Qt6::Test)
target_compile_definitions(test_gui_ticks PRIVATE
  ROUTERLAB_SOURCE_SAMPLE_DIR="${PROJECT_SOURCE_DIR}/sample_data")
routerlab_add_qt_tests(gui_ticks test_gui_ticks LABEL gui TIMEOUT 300
                       ENVIRONMENT QT_QPA_PLATFORM=offscreen)

# The Trade-off page's goals after a run of the sample: best qualifying answers, the slider and
# table that follow them, limits nothing meets (seconds).
add_executable(test_gui_tradeoff test_gui_tradeoff.cpp)
target_link_libraries(test_gui_tradeoff PRIVATE routerlab_ui Qt6::Test)
target_compile_definitions(test_gui_tradeoff PRIVATE
  ROUTERLAB_SOURCE_SAMPLE_DIR="${PROJECT_SOURCE_DIR}/sample_data")
routerlab_add_qt_tests(gui_tradeoff test_gui_tradeoff LABEL gui
                       ENVIRONMENT QT_QPA_PLATFORM=offscreen)

# Every page on a 1280x800 screen after a run of the sample: one-line labels, column headers
# and legends whole, the page tabs without scrolling (seconds).
add_executable(test_gui_elision test_gui_elision.cpp)
target_link_libraries(test_gui_elision PRIVATE routerlab_ui Qt6::Test)
target_compile_definitions(test_gui_elision PRIVATE
  ROUTERLAB_SOURCE_SAMPLE_DIR="${PROJECT_SOURCE_DIR}/sample_data")
routerlab_add_qt_tests(gui_elision test_gui_elision LABEL gui
                       ENVIRONMENT QT_QPA_PLATFORM=offscreen)

# Accessible names on every control of the window and its tool windows; the designer's Browse
# buttons and features picker.
add_executable(test_gui_access test_gui_access.cpp)
target_link_libraries(test_gui_access PRIVATE routerlab_ui Qt6::Test)
target_compile_definitions(test_gui_access PRIVATE ROUTERLAB_SOURCE_SAMPLE_DIR="${PROJECT_SOURCE_DIR}/sample_data")
routerlab_add_qt_tests(gui_access test_gui_access LABEL gui ENVIRONMENT QT_QPA_PLATFORM=offscreen)

# The charts explored: hover tooltips, zoom and reset, legend clicks that hide or highlight a
# router, a dark palette and the captions' contrast (seconds).
add_executable(test_gui_charts_interaction test_gui_charts_interaction.cpp)
target_link_libraries(test_gui_charts_interaction PRIVATE routerlab_ui Qt6::Test)
target_compile_definitions(test_gui_charts_interaction PRIVATE
  ROUTERLAB_SOURCE_SAMPLE_DIR="${PROJECT_SOURCE_DIR}/sample_data")
routerlab_add_qt_tests(gui_charts_interaction test_gui_charts_interaction LABEL gui
                       ENVIRONMENT QT_QPA_PLATFORM=offscreen)
