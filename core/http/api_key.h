#pragma once

#include <QByteArray>
#include <QString>

namespace routerlab {

// An endpoint's API key. The pool names only the environment variable that holds it
// (endpoint.api_key_env = NAME); the key is read from $NAME, else from the file that
// $NAME_FILE names, which must not be readable by group or others (0600 or stricter).
// The key lives in memory only for building the Authorization header; it is never written
// to the workspace, logs or messages, and redact() keeps server echoes of it out of them.
struct ApiKey {
    QByteArray value; // empty: no key (a local server)
    QString error;    // why no key could be read; names the variable or file, never a key

    bool ok() const { return error.isEmpty(); }
};

// An empty variable name means "no key" (ok, empty value).
ApiKey readApiKey(const QString& variableName);

// `text` with every occurrence of the key, and of any prefix of it of 8 characters or more
// (servers echo a key's start: "Incorrect API key provided: sk-abc123**"), as "[redacted]".
QString redactKey(const QString& text, const QByteArray& key);

} // namespace routerlab
