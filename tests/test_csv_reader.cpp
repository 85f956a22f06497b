#include "common/input_error.h"
#include "formats/csv_reader.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace routerlab;
using routerlab::testing::writeFile;

class TestCsvReader : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

    QList<QStringList> readAll(const QByteArray& bytes, qint64 limit = 1 << 20) {
        CsvReader csv(writeFile(QDir(dir_.path()), QStringLiteral("t.csv"), bytes), limit);
        QList<QStringList> rows;
        while (csv.next()) {
            QStringList row;
            for (std::string_view f : csv.fields())
                row << QString::fromUtf8(f.data(), static_cast<qsizetype>(f.size()));
            rows << row;
        }
        return rows;
    }

private slots:
    void parsesRecords_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QList<QStringList>>("expected");
        using Rows = QList<QStringList>;
        QTest::newRow("plain") << QByteArray("a,b\n1,2\n") << Rows{{"a", "b"}, {"1", "2"}};
        QTest::newRow("no final newline") << QByteArray("a,b\n1,2") << Rows{{"a", "b"}, {"1", "2"}};
        QTest::newRow("crlf") << QByteArray("a,b\r\n1,2\r\n") << Rows{{"a", "b"}, {"1", "2"}};
        QTest::newRow("quoted comma") << QByteArray("a\n\"x,y\"\n") << Rows{{"a"}, {"x,y"}};
        QTest::newRow("escaped quote")
            << QByteArray("a\n\"say \"\"hi\"\"\"\n") << Rows{{"a"}, {"say \"hi\""}};
        QTest::newRow("newline in quotes")
            << QByteArray("a,b\n\"l1\nl2\",z\n") << Rows{{"a", "b"}, {"l1\nl2", "z"}};
        QTest::newRow("empty fields")
            << QByteArray("a,b,c\n,,\n") << Rows{{"a", "b", "c"}, {"", "", ""}};
        QTest::newRow("blank lines skipped") << QByteArray("a\n\n1\n\n") << Rows{{"a"}, {"1"}};
        QTest::newRow("byte order mark") << QByteArray("\xEF\xBB\xBF"
                                                       "a,b\n1,2\n")
                                         << Rows{{"a", "b"}, {"1", "2"}};
        QTest::newRow("utf-8") << QByteArray("a\n\xC3\xA9t\xC3\xA9\n")
                               << Rows{{"a"}, {QString::fromUtf8("\xC3\xA9t\xC3\xA9")}};
    }
    void parsesRecords() {
        QFETCH(QByteArray, input);
        QFETCH(QList<QStringList>, expected);
        QCOMPARE(readAll(input), expected);
    }

    void countsLinesAcrossQuotedNewlines() {
        CsvReader csv(
            writeFile(QDir(dir_.path()), QStringLiteral("l.csv"), "a,b\n\"x\ny\nz\",1\nq,2\n"),
            1 << 20);
        QVERIFY(csv.next());
        QCOMPARE(csv.line(), 1);
        QVERIFY(csv.next());
        QCOMPARE(csv.line(), 2);
        QVERIFY(csv.next());
        QCOMPARE(csv.line(), 5);
        QVERIFY(!csv.next());
    }

    void recordsLongerThanAChunk() {
        // 3 MiB field: forces the buffer to grow and the record to span refills.
        const QByteArray big(3 << 20, 'x');
        const auto rows = readAll("a,b\n\"" + big + "\",1\n2,3\n", 8 << 20);
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows[1][0].size(), big.size());
        QCOMPARE(rows[2], (QStringList{"2", "3"}));
    }

    void manyRecordsAcrossChunks() {
        QByteArray text = "id,value\n";
        for (int i = 0; i < 200000; ++i)
            text += QByteArray::number(i) + ",\"v," + QByteArray::number(i) + "\"\n";
        const auto rows = readAll(text);
        QCOMPARE(rows.size(), 200001);
        QCOMPARE(rows.last(), (QStringList{"199999", "v,199999"}));
    }

    void rejects_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        QTest::newRow("quote in unquoted") << QByteArray("a,b\n1,x\"y\n") << 2 << "b"
                                           << "quote inside";
        QTest::newRow("text after quote") << QByteArray("a,b\n\"x\"y,2\n") << 2 << "a"
                                          << "after a closing quote";
        QTest::newRow("unterminated") << QByteArray("a,b\n1,2\n3,\"open\n4,5\n") << 3 << "b"
                                      << "never closed";
        QTest::newRow("too few fields") << QByteArray("a,b,c\n1,2,3\n1,2\n") << 3 << "c"
                                        << "expected 3 fields";
        QTest::newRow("too many fields") << QByteArray("a,b\n1,2,3\n") << 2 << "column 3"
                                         << "found 3";
        QTest::newRow("bad utf-8") << QByteArray("a,b\n1,ok\n2,\xff\xfe\n") << 3 << "b"
                                   << "UTF-8";
        QTest::newRow("overlong encoding") << QByteArray("a\n\xC0\xAF\n") << 2 << "a"
                                           << "UTF-8";
        QTest::newRow("surrogate") << QByteArray("a\n\xED\xA0\x80\n") << 2 << "a"
                                   << "UTF-8";
        QTest::newRow("truncated sequence") << QByteArray("a\nx\xE2\x82") << 2 << "a"
                                            << "UTF-8";
    }
    void rejects() {
        QFETCH(QByteArray, input);
        QFETCH(int, line);
        QFETCH(QString, field);
        QFETCH(QString, message);
        CsvReader csv(writeFile(QDir(dir_.path()), QStringLiteral("bad.csv"), input), 1 << 20);
        QVERIFY(csv.next());
        csv.setHeader(std::vector<std::string>(csv.fields().begin(), csv.fields().end()));
        try {
            while (csv.next()) {
            }
            QFAIL("no error raised");
        } catch (const InputError& e) {
            QCOMPARE(e.line(), line);
            QCOMPARE(e.field(), field);
            QVERIFY2(e.message().contains(message), qPrintable(e.text()));
            QVERIFY(e.text().startsWith(csv.path() + QStringLiteral(":%1:").arg(line)));
        }
    }

    void refusesRecordBeyondLimit() {
        QByteArray text = "a,b\n1,";
        text += QByteArray(3 << 20, 'z');
        CsvReader csv(writeFile(QDir(dir_.path()), QStringLiteral("long.csv"), text), 1 << 20);
        QVERIFY(csv.next());
        csv.setHeader({"a", "b"});
        try {
            csv.next();
            QFAIL("no error raised");
        } catch (const InputError& e) {
            QCOMPARE(e.line(), 2);
            QCOMPARE(e.field(), QStringLiteral("b"));
            QVERIFY(e.message().contains(QStringLiteral("longer than 1 MiB")));
        }
    }

    void emptyFileIsAnError() {
        QVERIFY_THROWS_EXCEPTION(InputError,
                                 CsvReader(writeFile(QDir(dir_.path()), "empty.csv", {}), 1024));
    }
};

QTEST_GUILESS_MAIN(TestCsvReader)
#include "test_csv_reader.moc"
