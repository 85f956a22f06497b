#pragma once

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QtGlobal>
#include <memory>

namespace routerlab::testing {

// A serving command of routerlab-cli (`serve`, `proxy`) in its own process
// (ROUTERLAB_CLI_PATH), as a provider would be; the port comes from its first line. Killed
// when it goes out of scope.
class ServerProcess {
public:
    ServerProcess(const QString& command, const QStringList& args,
                  const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
        process_.setProcessEnvironment(env);
        process_.start(QStringLiteral(ROUTERLAB_CLI_PATH),
                       QStringList{command} + args +
                           QStringList{QStringLiteral("--port"), QStringLiteral("0")});
        QElapsedTimer timer;
        timer.start();
        static const QRegularExpression listening(QStringLiteral("127\\.0\\.0\\.1:(\\d+)/v1"));
        while (timer.elapsed() < 30000 && port_ == 0) {
            process_.waitForReadyRead(200);
            output_ += process_.readAllStandardOutput();
            const QRegularExpressionMatch m = listening.match(QString::fromUtf8(output_));
            if (m.hasMatch())
                port_ = m.captured(1).toInt();
            if (process_.state() == QProcess::NotRunning)
                break;
        }
        if (port_ == 0)
            qWarning("%s did not start: %s", qPrintable(command),
                     process_.readAllStandardError().constData());
    }
    ~ServerProcess() {
        process_.kill();
        process_.waitForFinished(5000);
    }
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    // Asks the server to stop (SIGTERM) and waits; its exit code, -1 when it did not stop.
    int stop() {
        process_.terminate();
        if (!process_.waitForFinished(15000))
            return -1;
        return process_.exitStatus() == QProcess::NormalExit ? process_.exitCode() : -1;
    }

    int port() const { return port_; }
    qint64 pid() const { return process_.processId(); }
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1/v1").arg(port_); }
    QByteArray allOutput() {
        return output_ + process_.readAllStandardOutput() + process_.readAllStandardError();
    }

private:
    QProcess process_;
    QByteArray output_;
    int port_ = 0;
};

// `routerlab-cli serve`: the replay server.
class ReplayProcess : public ServerProcess {
public:
    explicit ReplayProcess(const QStringList& args, const QProcessEnvironment& env =
                                                        QProcessEnvironment::systemEnvironment())
        : ServerProcess(QStringLiteral("serve"), args, env) {}
};

#ifdef ROUTERLAB_SOURCE_SAMPLE_DIR
// `routerlab-cli serve` over the sample data, answering at once (no replayed latency).
inline std::unique_ptr<ReplayProcess> startSampleReplay() {
    const QDir sample(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
    return std::make_unique<ReplayProcess>(
        QStringList{QStringLiteral("--dataset"), sample.filePath(QStringLiteral("sample.csv")),
                    QStringLiteral("--pool"), sample.filePath(QStringLiteral("sample.pool.json")),
                    QStringLiteral("--latency-scale"), QStringLiteral("0")});
}
#endif

} // namespace routerlab::testing
