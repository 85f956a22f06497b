add_executable(test_store test_store.cpp)
target_link_libraries(test_store PRIVATE routerlab_core Qt6::Test SQLite::SQLite3)
routerlab_add_qt_tests(store test_store LABEL unit)
