#pragma once

#include <QString>
#include <QStringList>
#include <utility>
#include <vector>

namespace routerlab {

// What the cluster scripts write for user-given text. Every value either passes the grammar
// its scheduler documents or is refused; every path is quoted for the place it lands in.

// One value that the scheduler would not accept (or that could not be written safely).
// `field` is the option's name as the command line spells it (partition, time, image...).
struct ClusterValueProblem {
    QString field;
    QString message;
};

// Slurm: a partition, account or QOS name (Slurm documents no grammar; letters, digits, '_',
// '.' and '-' are what its tools create, and nothing in them is special to a directive).
bool isSlurmName(const QString& text);
// --partition also takes a comma-separated list of names.
bool isSlurmPartitionList(const QString& text);
// --time: minutes, minutes:seconds, hours:minutes:seconds, days-hours, days-hours:minutes,
// days-hours:minutes:seconds, or UNLIMITED / INFINITE.
bool isSlurmTimeLimit(const QString& text);
// --mem: a whole number with an optional K, M, G or T suffix (megabytes without).
bool isSlurmMemory(const QString& text);
// Kubernetes: an RFC 1123 DNS label (namespaces, names that become pod labels): at most 63
// lowercase letters, digits and '-', starting and ending with a letter or digit.
bool isDnsLabel(const QString& text);
// An RFC 1123 DNS subdomain (PersistentVolumeClaim names): dot-separated labels, at most 253.
bool isDnsSubdomain(const QString& text);
// A container image reference: [registry[:port]/]path[:tag][@algorithm:hex], as the
// distribution reference grammar has it.
bool isImageReference(const QString& text);

// Single-quoted for a POSIX shell: nothing inside is expanded, newlines included.
QString shellQuoted(const QString& text);
// A YAML double-quoted scalar: backslash, quote, line breaks and other control or
// non-printable characters escaped, so the value stays one scalar on one line.
QString yamlQuoted(const QString& text);
// A container argument as Kubernetes passes it on: '$' doubled, since Kubernetes expands
// $(VAR) in args and reduces $$ to $.
QString kubernetesLiteral(const QString& text);
// The value of an #SBATCH --output directive for a file in `folder`: the folder's '%' doubled
// (Slurm substitutes %a, %j... in the pattern), our own `fileNamePattern` appended, all
// single-quoted for the directive parser. Empty when the folder cannot be written there: line
// breaks and other control characters, and a backslash (it turns Slurm's substitutions off).
QString slurmOutputPattern(const QString& folder, const QString& fileNamePattern);
// The value quoted for a one-line message: escaped like YAML and shortened.
QString shownValue(const QString& text);

// Replaces each {name} in `pattern` by its value in one pass: a value is never searched for
// placeholders again, whatever it contains. A {name} without a value is a programming error
// (std::logic_error).
QString substituteOnce(const QString& pattern,
                       const std::vector<std::pair<QString, QString>>& values);

} // namespace routerlab
