#include "generator/prompt_parts.h"

#include <utility>

// Chat prompts: open requests about everyday life, with no single right answer. Each random
// draw is its own statement, since the order in which + evaluates its operands differs by
// compiler.

namespace routerlab::prompt_parts {

namespace {

using std::to_string;

const std::array<const char*, 5> kTones = {"a friendly", "a polite", "a formal", "a warm",
                                           "an apologetic"};
const std::array<const char*, 10> kPlaces = {"Lisbon",    "Montreal", "Hanoi",  "Edinburgh",
                                             "Cape Town", "Oaxaca",   "Krakow", "Melbourne",
                                             "Istanbul",  "Vancouver"};

std::string easy(Random& rng) {
    static const std::array<const char*, 8> recipients = {
        "my landlord",   "a coworker",  "my neighbour", "my old teacher",
        "the book club", "my flatmate", "a new client", "my cousin"};
    static const std::array<const char*, 8> topics = {"a late rent payment",
                                                      "moving our meeting",
                                                      "the noisy party last weekend",
                                                      "thanking them for their help",
                                                      "a birthday dinner next Friday",
                                                      "borrowing their ladder",
                                                      "a delayed delivery",
                                                      "sharing the cleaning rota"};
    static const std::array<const char*, 5> company = {
        "two kids", "my parents", "a group of friends", "my dog", "my partner"};
    static const std::array<const char*, 4> media = {"novels", "films", "podcasts", "board games"};
    static const std::array<const char*, 4> occasions = {"a long flight", "a quiet weekend",
                                                         "a family evening", "a rainy holiday"};
    static const std::array<const char*, 5> tastes = {"mysteries", "light comedy", "history",
                                                      "science fiction", "stories about food"};
    switch (rng.uniformInt(3)) {
    case 0: {
        const std::string tone = pick(kTones, rng);
        const std::string recipient = pick(recipients, rng);
        const std::string topic = pick(topics, rng);
        return "Can you help me write " + tone + " message to " + recipient + " about " + topic +
               "? Keep it short and natural.";
    }
    case 1: {
        const std::string place = pick(kPlaces, rng);
        const std::string who = pick(company, rng);
        return "What are some fun things to do in " + place + " on a rainy weekend with " + who +
               "? Just a few ideas, please.";
    }
    default: {
        const std::string what = pick(media, rng);
        const std::string occasion = pick(occasions, rng);
        const std::string taste = pick(tastes, rng);
        return "Can you recommend three " + what + " for " + occasion + "? I usually enjoy " +
               taste + ", and a sentence on each would be great.";
    }
    }
}

std::string medium(Random& rng) {
    static const std::array<const char*, 4> seasons = {"spring", "summer", "autumn", "winter"};
    static const std::array<const char*, 5> feelings = {"stuck", "anxious", "unmotivated",
                                                        "overwhelmed", "lonely"};
    static const std::array<const char*, 6> life = {
        "my job search",        "keeping in touch with old friends",
        "learning the piano",   "balancing work and family",
        "moving to a new city", "sticking to a fitness routine"};
    static const std::array<const char*, 5> guests = {"vegetarian", "gluten-free", "hungry",
                                                      "picky", "dairy-free"};
    switch (rng.uniformInt(3)) {
    case 0: {
        const int days = between(rng, 3, 10);
        const std::string place = pick(kPlaces, rng);
        const std::string season = pick(seasons, rng);
        const int budget = 100 * between(rng, 8, 40);
        return "I'm planning " + to_string(days) + " days in " + place + " in " + season +
               " on a budget of about " + to_string(budget) +
               " dollars. Could you suggest a day-by-day plan with food tips and one thing to "
               "avoid?";
    }
    case 1: {
        const std::string feeling = pick(feelings, rng);
        const std::string topic = pick(life, rng);
        return "I've been feeling " + feeling + " about " + topic +
               " lately. How could I approach it over the next few weeks? I'd like practical, "
               "kind advice rather than a lecture.";
    }
    default: {
        const int people = between(rng, 4, 12);
        const std::string diet = pick(guests, rng);
        const std::string season = pick(seasons, rng);
        return "I'm hosting dinner for " + to_string(people) + " people, some of them " + diet +
               ", in " + season +
               ". Suggest a relaxed three-course menu and a shopping list I can do in one trip.";
    }
    }
}

std::string hard(Random& rng) {
    static const std::array<const char*, 5> events = {
        "my sister's wedding", "a colleague's retirement party", "my grandfather's 80th birthday",
        "our team's end-of-year dinner", "my best friend's graduation"};
    static const std::array<std::pair<const char*, const char*>, 5> choices = {{
        {"renting a flat in the city", "buying a house in the suburbs"},
        {"a stable corporate job", "joining a small startup"},
        {"adopting a puppy", "adopting an older dog"},
        {"a master's degree now", "working for a few years first"},
        {"a used electric car", "a new hybrid"},
    }};
    static const std::array<const char*, 4> conflicts = {
        "keeps taking credit for my work", "never answers messages in the group chat",
        "always arrives late to our shared shifts", "borrowed money and has not paid it back"};
    switch (rng.uniformInt(3)) {
    case 0: {
        const std::string tone = pick(kTones, rng);
        const std::string event = pick(events, rng);
        const int minutes = between(rng, 2, 6);
        return "Write " + tone + " speech for " + event + " that lasts about " +
               to_string(minutes) +
               " minutes when read aloud, opens with a light joke and ends with a toast. Avoid "
               "cliches and keep the language simple.";
    }
    case 1: {
        const auto& choice = choices[static_cast<std::size_t>(rng.uniformInt(5))];
        return "Help me decide between " + std::string(choice.first) + " and " + choice.second +
               ". Lay out the trade-offs in a short table, ask me two clarifying questions, then "
               "give a recommendation with your reasoning.";
    }
    default: {
        const int years = between(rng, 3, 20);
        const std::string conflict = pick(conflicts, rng);
        return "A friend of " + to_string(years) + " years " + conflict +
               ". Help me plan what to say so it stays honest but kind, role-play their likely "
               "reactions, and suggest how to end the talk on good terms.";
    }
    }
}

} // namespace

std::string chatPrompt(PromptTier tier, Random& rng) {
    return tier == PromptTier::Easy     ? easy(rng)
           : tier == PromptTier::Medium ? medium(rng)
                                        : hard(rng);
}

} // namespace routerlab::prompt_parts
