#include "generator/prompt_parts.h"

#include <utility>

// Knowledge prompts: four-option questions built from real term/definition pairs.

namespace routerlab::prompt_parts {

namespace {

struct Term {
    const char* term;
    const char* definition;
};
struct Field {
    const char* name;
    std::array<Term, 6> terms;
};

const std::array<Field, 6> kFields = {{
    {"biology",
     {{{"mitochondrion", "the organelle that produces most of a cell's ATP"},
       {"ribosome", "the structure that assembles proteins from amino acids"},
       {"osmosis", "the movement of water across a semi-permeable membrane"},
       {"enzyme", "a protein that speeds up a chemical reaction"},
       {"allele", "one of several variant forms of a gene"},
       {"chlorophyll", "the pigment that absorbs light for photosynthesis"}}}},
    {"chemistry",
     {{{"isotope", "atoms of one element with different numbers of neutrons"},
       {"catalyst", "a substance that speeds up a reaction without being consumed"},
       {"oxidation", "the loss of electrons by an atom or ion"},
       {"covalent bond", "a bond formed by sharing pairs of electrons"},
       {"pH", "a logarithmic measure of hydrogen ion concentration"},
       {"molarity", "the moles of solute per litre of solution"}}}},
    {"physics",
     {{{"inertia", "the tendency of a body to resist changes in its motion"},
       {"refraction", "the bending of light as it passes between media"},
       {"half-life", "the time for half of a radioactive sample to decay"},
       {"entropy", "a measure of how spread out the energy of a system is"},
       {"momentum", "the product of a body's mass and velocity"},
       {"frequency", "the number of wave cycles per second"}}}},
    {"economics",
     {{{"inflation", "a general rise in the price level over time"},
       {"opportunity cost", "the value of the next best alternative given up"},
       {"price elasticity", "how strongly demand responds to a change in price"},
       {"GDP", "the market value of all final goods and services produced in a country"},
       {"monopoly", "a market served by a single seller"},
       {"tariff", "a tax charged on imported goods"}}}},
    {"geography",
     {{{"delta", "a landform at a river mouth built from deposited sediment"},
       {"archipelago", "a group or chain of islands"},
       {"tundra", "a treeless biome with permanently frozen subsoil"},
       {"monsoon", "a seasonal reversal of winds that brings heavy rain"},
       {"isthmus", "a narrow strip of land joining two larger land areas"},
       {"estuary", "a coastal inlet where fresh river water meets the sea"}}}},
    {"history",
     {{{"the Renaissance", "the European revival of art and learning from the 14th century"},
       {"feudalism", "a system of holding land in return for military service"},
       {"the Magna Carta", "the 1215 English charter that limited the power of the king"},
       {"the Industrial Revolution", "the shift to mechanised factory production in Britain"},
       {"the Cold War", "the rivalry between the US and the Soviet Union after 1945"},
       {"the Reformation", "the 16th-century movement that split Western Christianity"}}}},
}};

} // namespace

PromptText knowledgePrompt(PromptTier tier, Random& rng) {
    const Field& field = kFields[static_cast<std::size_t>(rng.uniformInt(6))];
    // Partial Fisher-Yates: the first four of a shuffled copy are the options.
    std::array<int, 6> order = {0, 1, 2, 3, 4, 5};
    for (int i = 0; i < 4; ++i)
        std::swap(order[i], order[i + rng.uniformInt(6 - i)]);
    const int answer = rng.uniformInt(4);
    const Term& asked = field.terms[order[answer]];
    // Hard questions show definitions as options (longer, closer reading); others show terms.
    const bool byTerm = tier == PromptTier::Hard;
    std::string options = "Options:";
    for (int i = 0; i < 4; ++i) {
        const Term& t = field.terms[order[i]];
        options += std::string(i == 0 ? " " : "; ") + static_cast<char>('A' + i) + ") " +
                   (byTerm ? t.definition : t.term);
    }
    std::string stem;
    if (byTerm)
        stem = "University " + std::string(field.name) + " exam: what does '" + asked.term +
               "' refer to? ";
    else if (tier == PromptTier::Medium)
        stem = "Choose the correct option. In " + std::string(field.name) + ", " +
               asked.definition + " is called what? ";
    else
        stem = std::string(field.name) + " question: which term means " + asked.definition + "? ";
    stem[0] = static_cast<char>(stem[0] >= 'a' && stem[0] <= 'z' ? stem[0] - 32 : stem[0]);
    return {stem + options + ". Answer with the letter only.",
            std::string(1, static_cast<char>('A' + answer))};
}

} // namespace routerlab::prompt_parts
