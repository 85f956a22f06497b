// The layout is the architecture: these checks read the sources and fail on a dependency that
// points the wrong way, a folder cycle in core, a router named in the GUI or a file or function
// grown past what one reading holds.
#include "routers/router_registry.h"

#include <QDirIterator>
#include <QRegularExpression>
#include <QtTest>

#include <functional>
#include <map>
#include <set>

namespace {

struct SourceFile {
    QString path; // relative to the project, e.g. "core/store/workspace_store.cpp"
    QStringList lines;
};

const std::vector<SourceFile>& sources() {
    static const std::vector<SourceFile> files = [] {
        std::vector<SourceFile> out;
        const QDir root(QStringLiteral(ROUTERLAB_SOURCE_DIR));
        for (const char* top : {"core", "ui", "app"}) {
            QDirIterator it(root.filePath(QLatin1String(top)),
                            {QStringLiteral("*.h"), QStringLiteral("*.cpp")}, QDir::Files,
                            QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile f(it.next());
                if (!f.open(QIODevice::ReadOnly))
                    qFatal("cannot read %s", qPrintable(f.fileName()));
                out.push_back({root.relativeFilePath(f.fileName()),
                               QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'))});
            }
        }
        std::sort(out.begin(), out.end(),
                  [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
        return out;
    }();
    return files;
}

// "core/store/x.cpp" -> "store"; "ui/pool/y.h" -> "pool".
QString folderOf(const QString& path) {
    return path.section(QLatin1Char('/'), 1, 1);
}

// Fails with every broken place on its own line (a single message would be cut short).
void report(const QStringList& broken) {
    for (const QString& place : broken)
        qWarning().noquote() << place;
    QVERIFY2(broken.isEmpty(),
             qPrintable(QStringLiteral("%1 places, listed above").arg(broken.size())));
}

QString where(const SourceFile& file, int index) {
    return QStringLiteral("%1:%2: %3")
        .arg(file.path)
        .arg(index + 1)
        .arg(file.lines[index].trimmed());
}

} // namespace

class LayoutTest : public QObject {
    Q_OBJECT

private slots:
    void sourcesAreFound() { QVERIFY2(sources().size() > 100, "the source tree was not found"); }

    void includeRules_data() {
        QTest::addColumn<QString>("scope");     // files whose path starts with this
        QTest::addColumn<QString>("forbidden"); // an #include matching this...
        QTest::addColumn<QString>("allowedIn"); // ...unless the file's path starts with this
        const QString widgets = QStringLiteral("^\\s*#\\s*include\\s*<(Qt(Widgets|Charts|Svg)|"
                                               "QWidget|QMainWindow|QApplication|QChart|QDialog)");
        QTest::newRow("core includes no widgets") << "core/" << widgets << "";
        QTest::newRow("core includes no ui") << "core/"
                                             << "^\\s*#\\s*include\\s*\"ui/"
                                             << "";
        QTest::newRow("core includes no app") << "core/"
                                              << "^\\s*#\\s*include\\s*\"(cli|app)/"
                                              << "";
        QTest::newRow("ui includes no app") << "ui/"
                                            << "^\\s*#\\s*include\\s*\"(cli|app)/"
                                            << "";
        QTest::newRow("only the store speaks SQL") << ""
                                                   << "^\\s*#\\s*include\\s*[<\"]sqlite3\\.h"
                                                   << "core/store/";
        QTest::newRow("only the HTTP folder speaks curl") << ""
                                                          << "^\\s*#\\s*include\\s*[<\"]curl/"
                                                          << "core/http/";
    }

    void includeRules() {
        QFETCH(QString, scope);
        QFETCH(QString, forbidden);
        QFETCH(QString, allowedIn);
        const QRegularExpression pattern(forbidden);
        QVERIFY(pattern.isValid());
        QStringList broken;
        for (const SourceFile& file : sources()) {
            if (!file.path.startsWith(scope) ||
                (!allowedIn.isEmpty() && file.path.startsWith(allowedIn)))
                continue;
            for (int i = 0; i < file.lines.size(); ++i)
                if (pattern.match(file.lines[i]).hasMatch())
                    broken << where(file, i);
        }
        report(broken);
    }

    // Folders of core depend on each other one way only: the include graph between them has no
    // cycle, so each can be read (and tested) after the ones below it.
    void coreFoldersFormNoCycle() {
        const QRegularExpression include(QStringLiteral("^\\s*#\\s*include\\s*\"([a-z_]+)/"));
        std::map<QString, std::set<QString>> uses;
        std::map<std::pair<QString, QString>, QString> example;
        for (const SourceFile& file : sources()) {
            if (!file.path.startsWith(QLatin1String("core/")) || file.path.count('/') < 2)
                continue;
            const QString from = folderOf(file.path);
            uses[from];
            for (int i = 0; i < file.lines.size(); ++i) {
                const QRegularExpressionMatch m = include.match(file.lines[i]);
                if (!m.hasMatch() || m.captured(1) == from)
                    continue;
                uses[from].insert(m.captured(1));
                example.emplace(std::pair{from, m.captured(1)}, where(file, i));
            }
        }
        std::map<QString, int> state; // 0 unseen, 1 on the path, 2 done
        QStringList path;
        QStringList cycle;
        std::function<bool(const QString&)> visit = [&](const QString& folder) {
            state[folder] = 1;
            path << folder;
            for (const QString& next : uses[folder]) {
                if (state[next] == 1) {
                    cycle = path.mid(path.indexOf(next)) << next;
                    return true;
                }
                if (state[next] == 0 && visit(next))
                    return true;
            }
            path.removeLast();
            state[folder] = 2;
            return false;
        };
        for (const auto& [folder, _] : uses)
            if (state[folder] == 0 && visit(folder))
                break;
        QStringList why;
        for (int i = 0; i + 1 < cycle.size(); ++i)
            why << example[{cycle[i], cycle[i + 1]}];
        QVERIFY2(cycle.isEmpty(), qPrintable(QStringLiteral("core folders in a cycle: %1\n%2")
                                                 .arg(cycle.join(QStringLiteral(" -> ")),
                                                      why.join(QLatin1Char('\n')))));
    }

    // The GUI asks the registry what a router can do; it never lists routers by name, so a new
    // router is one file pair and one registration line.
    void uiNamesNoRouter() {
        QStringList broken;
        for (const routerlab::RouterType& type : routerlab::RouterRegistry::instance().types()) {
            const QString literal = QLatin1Char('"') + type.name + QLatin1Char('"');
            for (const SourceFile& file : sources()) {
                if (!file.path.startsWith(QLatin1String("ui/")))
                    continue;
                for (int i = 0; i < file.lines.size(); ++i)
                    if (file.lines[i].contains(literal))
                        broken << where(file, i);
            }
        }
        report(broken);
    }

    void filesStayShort() {
        constexpr int kMaxLines = 600;
        QStringList broken;
        for (const SourceFile& file : sources())
            if (file.lines.size() > kMaxLines)
                broken << QStringLiteral("%1: %2 lines").arg(file.path).arg(file.lines.size());
        report(broken);
    }

    // Top-level definitions (clang-format puts them at column 0, with their closing brace):
    // a function longer than this is two steps that want names of their own.
    void functionsStayShort() {
        constexpr int kMaxLines = 100;
        const QRegularExpression opens(QStringLiteral("^[A-Za-z_~]"));
        const QRegularExpression notFunction(
            QStringLiteral("^(namespace|using|template|class|struct|enum|union|extern|public|"
                           "private|protected)\\b"));
        QStringList broken;
        for (const SourceFile& file : sources()) {
            if (!file.path.endsWith(QLatin1String(".cpp")))
                continue;
            int start = -1;
            for (int i = 0; i < file.lines.size(); ++i) {
                const QString& line = file.lines[i];
                if (opens.match(line).hasMatch()) {
                    const bool declaration = line.trimmed().endsWith(QLatin1Char(';'));
                    if (start < 0 && !declaration && !notFunction.match(line).hasMatch())
                        start = i;
                    else if (declaration && start == i)
                        start = -1;
                } else if (line.startsWith(QLatin1Char('}')) && start >= 0) {
                    const QString head = file.lines.mid(start, 3).join(QLatin1Char(' '));
                    const bool table = !head.contains(QLatin1Char('(')) ||
                                       file.lines[start].contains(QLatin1String("= {"));
                    if (!table && !line.startsWith(QLatin1String("} // namespace")) &&
                        i - start + 1 > kMaxLines)
                        broken << QStringLiteral("%1:%2: %3 lines: %4")
                                      .arg(file.path)
                                      .arg(start + 1)
                                      .arg(i - start + 1)
                                      .arg(file.lines[start].left(60));
                    start = -1;
                }
            }
        }
        report(broken);
    }
};

QTEST_GUILESS_MAIN(LayoutTest)
#include "test_layout.moc"
