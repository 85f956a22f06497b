#pragma once

// Plain loopback sockets for tests that must misbehave as a client: send without reading,
// stall half-way, hold connections open. Qt's sockets would buffer in the test instead.
#include <QByteArray>
#include <QElapsedTimer>
#include <QFile>
#include <QString>
#include <arpa/inet.h>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace routerlab::testing {

// A non-blocking TCP connection to 127.0.0.1:port (-1 when the connect fails). A small
// receive buffer makes a client that does not read stop the server's writes sooner.
inline int connectLoopback(int port, int receiveBuffer = 0, bool wait = true) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (receiveBuffer > 0)
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0)
        return fd;
    if (errno == EINPROGRESS) {
        if (!wait)
            return fd;
        pollfd p{fd, POLLOUT, 0};
        int error = 0;
        socklen_t size = sizeof error;
        if (::poll(&p, 1, 10000) == 1 &&
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) == 0 && error == 0)
            return fd;
    }
    ::close(fd);
    return -1;
}

// Sends all of `bytes` (waiting for room), false when the peer goes away or time runs out.
inline bool sendAll(int fd, const QByteArray& bytes, int timeoutMs = 10000) {
    QElapsedTimer clock;
    clock.start();
    qsizetype sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.constData() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += n;
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            return false;
        pollfd p{fd, POLLOUT, 0};
        if (clock.elapsed() > timeoutMs || ::poll(&p, 1, 50) < 0)
            return false;
    }
    return true;
}

// Everything the peer sends until it closes the connection (or time runs out).
inline QByteArray readUntilClosed(int fd, int timeoutMs = 10000) {
    QByteArray received;
    QElapsedTimer clock;
    clock.start();
    char buffer[65536];
    while (clock.elapsed() < timeoutMs) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n > 0) {
            received.append(buffer, n);
            continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
            break;
        pollfd p{fd, POLLIN, 0};
        ::poll(&p, 1, 50);
    }
    return received;
}

// One request on its own connection, "Connection: close" added; the whole answer.
inline QByteArray exchange(int port, const QByteArray& method, const QByteArray& target,
                           const QByteArray& body = {}, int timeoutMs = 10000) {
    const int fd = connectLoopback(port);
    if (fd < 0)
        return {};
    const QByteArray request = method + ' ' + target +
                               " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                               "Content-Type: application/json\r\nContent-Length: " +
                               QByteArray::number(body.size()) + "\r\n\r\n" + body;
    const QByteArray answer =
        sendAll(fd, request, timeoutMs) ? readUntilClosed(fd, timeoutMs) : QByteArray();
    ::close(fd);
    return answer;
}

// A line of /proc/PID/status in kB ("VmRSS", "VmHWM"); -1 when unreadable.
inline qint64 procStatusKb(qint64 pid, const char* field) {
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith(QByteArray(field) + ':'))
            return line.mid(qstrlen(field) + 1).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// Open sockets of process `pid` (the listening one included).
inline int socketCount(qint64 pid) {
    int count = 0;
    const QByteArray dir = QStringLiteral("/proc/%1/fd").arg(pid).toLatin1();
    DIR* fds = ::opendir(dir.constData());
    if (!fds)
        return -1;
    while (const dirent* entry = ::readdir(fds)) {
        char target[64] = {};
        const QByteArray link = dir + '/' + entry->d_name;
        if (::readlink(link.constData(), target, sizeof target - 1) > 0 &&
            qstrncmp(target, "socket:", 7) == 0)
            ++count;
    }
    ::closedir(fds);
    return count;
}

// Raises the open-file limit to its hard limit; the new soft limit.
inline rlim_t raiseFileLimit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 0;
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
    return limit.rlim_cur;
}

} // namespace routerlab::testing
