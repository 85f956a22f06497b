add_executable(test_store test_store.cpp)
target_link_libraries(test_store PRIVATE routerlab_core Qt6::Test SQLite::SQLite3)
add_test(NAME store COMMAND test_store)
set_tests_properties(store PROPERTIES LABELS unit)
