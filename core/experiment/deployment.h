#pragma once

#include "reward/preference.h"
#include "reward/reward_function.h"
#include "routers/barp_model.h"
#include "routers/router_registry.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

namespace routerlab {

// From an experiment to production: the router file `routerlab-cli train` writes and the
// `routerlab-cli proxy` command that serves it (the workbench's Experiment ▸ Deploy… asks for
// both).

// The routers of an experiment worth deploying: every router it ran but the hindsight
// references, in the experiment's order, and the one with the best mean reward in its
// simulate result (-1 without one).
struct DeployableRouters {
    QStringList specs;
    int leader = -1;
};
DeployableRouters deployableRouters(const std::vector<RouterSpec>& ran,
                                    const QJsonObject& simulateResult);

// Whether `router` is deployed as a file that `train` writes: a BaRP router that does not
// already load one. The proxy loads such a file instead of training at start; every other
// router is trained on --dataset when the proxy starts, as simulate trains it.
bool deploysAsTrainedFile(const RouterSpec& router);

struct TrainedRouterFile {
    std::shared_ptr<const BarpModel> model; // null when the training was stopped
    double featureSeconds = 0;
    double trainingSeconds = 0;
};

// Trains the router on the problem's training prompts and saves it to `path` for
// --router barp:model=PATH. Throws std::invalid_argument when `router` is not deployed as a
// trained file and InputError naming `path` when it cannot be written. Writes nothing and
// returns a null model when `afterEpoch` stops the training.
TrainedRouterFile trainRouterFile(const RoutingProblem& problem, const RouterSpec& router,
                                  const QString& path,
                                  const BarpModel::EpochCallback& afterEpoch = {});

// What the proxy is started with. Paths may be relative to `folder` (the current folder when
// empty): the command names them absolutely.
struct ProxyDeployment {
    QString cli = QStringLiteral("routerlab-cli");
    QString pool;
    RouterSpec router;  // as the experiment ran it
    QString routerFile; // the trained file, when the router deploys as one
    QStringList datasets;
    QString features;
    QString split; // SplitRule text: the proxy trains on the experiment's training part
    RewardKind reward = RewardKind::PickLlm;
    Preference preference;
    int port = 8000;
    int fallbacks = 2;
    QString workspace; // empty: the proxy records nothing
    QString folder;

    // `path` as the command names it.
    QString absolute(const QString& path) const;
};

// The router spec the proxy gets: barp:model=FILE (keeping how it decodes) for a trained
// file, else the router as it ran. Throws std::invalid_argument naming the field when a value
// cannot be passed on (no file yet, a file name a router spec cannot carry).
RouterSpec deployedRouter(const ProxyDeployment& deployment);
// The proxy's arguments after the program, one word each, unquoted.
QStringList proxyArguments(const ProxyDeployment& deployment);
// The command to paste into a POSIX shell: one option per line, joined by backslashes.
QString proxyCommand(const ProxyDeployment& deployment);

// `text` as one shell word: as it is when it holds only [A-Za-z0-9_./-] (and the ':', '=' and
// ',' of router specs and preferences, with `specCharacters`), else single-quoted.
QString shellWord(const QString& text, bool specCharacters = false);

} // namespace routerlab
