add_executable(test_metrics test_metrics.cpp)
target_link_libraries(test_metrics PRIVATE routerlab_core Qt6::Test)
routerlab_add_qt_tests(metrics test_metrics LABEL unit)
