// Experiment files (the designer's and `simulate|sweep --experiment`): what loads must save
// and load again to the same experiment; what does not load must say why.
#include "experiment/experiment_file.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace routerlab;
    const QString path = fuzzing::scratchFile("-experiment.json");
    if (!fuzzing::writeFile(path, fuzzing::bytesOf(data, size)))
        return 0;
    GuiExperiment experiment;
    QString error;
    if (!loadExperimentFile(path, experiment, error)) {
        if (error.trimmed().isEmpty())
            fuzzing::finding("an experiment refused without a reason");
        return 0;
    }
    const QString folder = QFileInfo(path).absolutePath();
    const QString again = fuzzing::scratchFile("-experiment-saved.json");
    GuiExperiment reloaded;
    if (!saveExperimentFile(again, experiment, error) ||
        !loadExperimentFile(again, reloaded, error))
        fuzzing::finding("a loaded experiment does not survive saving");
    if (experimentJson(reloaded, folder) != experimentJson(experiment, folder))
        fuzzing::finding("a saved experiment loads as a different one");
    return 0;
}
