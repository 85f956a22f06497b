// Replays files through a fuzz target's entry point without libFuzzer, so that the committed
// corpus and the regression inputs run in every build that runs ctest. Each argument is a
// folder (every file in it is one input) or a file. Fails when a folder is missing or holds no file
// (a replay of nothing proves nothing); a finding aborts, as under the fuzzer.
#include <QByteArray>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QStringList>
#include <cstdint>
#include <cstdio>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FOLDER...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; ++i) {
        const QString folder = QString::fromLocal8Bit(argv[i]);
        QStringList files;
        if (QFileInfo(folder).isFile())
            files << folder;
        QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext())
            files << it.next();
        files.sort();
        if (files.isEmpty()) {
            std::fprintf(stderr, "%s: no inputs to replay\n", argv[i]);
            return 1;
        }
        for (const QString& path : files) {
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly)) {
                std::fprintf(stderr, "%s: cannot read\n", qPrintable(path));
                return 1;
            }
            const QByteArray bytes = f.readAll();
            // A heap copy of exactly the input's size, as libFuzzer passes it: reads past the
            // end are caught by AddressSanitizer in the sanitizer build.
            std::vector<uint8_t> copy(bytes.begin(), bytes.end());
            LLVMFuzzerTestOneInput(copy.data(), copy.size());
        }
        std::printf("%s: %lld inputs replayed\n", argv[i], static_cast<long long>(files.size()));
    }
    return 0;
}
