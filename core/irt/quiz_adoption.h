#pragma once

#include "irt/irt_model.h"
#include "reward/preference.h"

#include <QString>
#include <vector>

namespace routerlab {

class QuizStudy;

// What adding a quizzed model would do to routing at one preference, on the study's scored
// prompts: the share of them the policy sends it and the change of the mean recorded reward,
// quality and cost against routing without it.
struct AdoptionPoint {
    Preference preference;
    double share = 0;
    double rewardChange = 0;
    double qualityChange = 0;
    double costChangeUsd = 0; // per query
};

// The cost sweep the recommendation reads, from quality only to cost only.
std::vector<Preference> adoptionPreferences(int points = 5);

// At each preference; needs the new model's records (the study's hasRecords()).
std::vector<AdoptionPoint> adoptionSweep(const QuizStudy& study, const Identity& identity,
                                         const std::vector<Preference>& preferences);

// The recommendation a team can act on: "At quality 0.75 / cost 0.25 it takes 40% of the
// prompts and raises the reward by 0.030 (quality +0.050, $0.12 more per 1,000 queries); at
// quality 1 it takes none." Points where it takes under half a percent are grouped.
QString adoptionSentence(const QString& model, const std::vector<AdoptionPoint>& points);

} // namespace routerlab
