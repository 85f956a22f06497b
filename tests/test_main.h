// The main() of a Qt Test executable whose real-data checks ctest runs as entries of their
// own (tests/CMakeLists.txt): `-exclude f,g` runs every test function but f and g. A Qt Test
// run that skips one function and passes the rest would report as a pass, and a check on
// ../shared/data that skipped for want of it would hide among them.
#pragma once

#include <QByteArray>
#include <QMetaMethod>
#include <QMetaObject>
#include <QObject>
#include <QStringList>
#include <QtTest>

namespace routerlab::testing {

// Qt Test's own rule for what it runs: private, parameterless, void slots other than the
// init/cleanup hooks and the _data tables.
inline QStringList testFunctionNames(const QMetaObject& meta) {
    QStringList names;
    for (int i = 0; i < meta.methodCount(); ++i) {
        const QMetaMethod m = meta.method(i);
        if (m.access() != QMetaMethod::Private || m.methodType() != QMetaMethod::Slot ||
            m.parameterCount() != 0 || m.returnType() != QMetaType::Void)
            continue;
        const QByteArray name = m.name();
        if (name.isEmpty() || name.endsWith("_data") || name == "initTestCase" ||
            name == "cleanupTestCase" || name == "init" || name == "cleanup")
            continue;
        names << QString::fromLatin1(name);
    }
    return names;
}

// Without -exclude, exactly Qt Test's qExec. Every excluded name must be a test function, so
// that a renamed check fails here rather than running in no entry at all.
inline int execExcluding(QObject* test, int argc, char** argv) {
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    const qsizetype at = args.indexOf(QStringLiteral("-exclude"));
    if (at < 0)
        return QTest::qExec(test, args);
    if (at + 1 >= args.size()) {
        qCritical("-exclude needs a comma-separated list of test functions");
        return 1;
    }
    const QStringList excluded = args.at(at + 1).split(QLatin1Char(','), Qt::SkipEmptyParts);
    args.remove(at, 2);
    QStringList functions = testFunctionNames(*test->metaObject());
    for (const QString& name : excluded) {
        if (!functions.contains(name)) {
            qCritical("-exclude: %s is not a test function of %s", qPrintable(name),
                      test->metaObject()->className());
            return 1;
        }
    }
    functions.removeIf([&](const QString& name) { return excluded.contains(name); });
    if (functions.isEmpty()) {
        qCritical("-exclude leaves no test function to run");
        return 1;
    }
    return QTest::qExec(test, args + functions);
}

} // namespace routerlab::testing

#define ROUTERLAB_TEST_MAIN_WRAPPER(TestObject, ...)                                               \
    int main(int argc, char* argv[]) {                                                             \
        __VA_ARGS__                                                                                \
        TestObject tc;                                                                             \
        QTEST_SET_MAIN_SOURCE_PATH                                                                 \
        return routerlab::testing::execExcluding(&tc, argc, argv);                                 \
    }

// QTEST_MAIN and QTEST_GUILESS_MAIN with -exclude.
#define ROUTERLAB_TEST_MAIN(TestObject) ROUTERLAB_TEST_MAIN_WRAPPER(TestObject, QTEST_MAIN_SETUP())
#define ROUTERLAB_TEST_GUILESS_MAIN(TestObject)                                                    \
    ROUTERLAB_TEST_MAIN_WRAPPER(TestObject, QTEST_QAPP_SETUP(QCoreApplication))
