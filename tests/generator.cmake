add_executable(test_generator test_generator.cpp)
target_link_libraries(test_generator PRIVATE routerlab_core Qt6::Test)
routerlab_add_qt_tests(generator test_generator LABEL unit)
