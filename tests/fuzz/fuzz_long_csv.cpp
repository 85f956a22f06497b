#include "formats/long_table_importer.h"
#include "fuzz_importer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return routerlab::fuzzing::runImporter<routerlab::LongCsvImporter>(data, size, ".csv");
}
