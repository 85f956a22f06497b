add_executable(test_metrics test_metrics.cpp)
target_link_libraries(test_metrics PRIVATE routerlab_core Qt6::Test)
add_test(NAME metrics COMMAND test_metrics)
set_tests_properties(metrics PROPERTIES LABELS unit)
