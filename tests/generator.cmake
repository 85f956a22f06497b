add_executable(test_generator test_generator.cpp)
target_link_libraries(test_generator PRIVATE routerlab_core Qt6::Test)
add_test(NAME generator COMMAND test_generator)
set_tests_properties(generator PROPERTIES LABELS unit)
