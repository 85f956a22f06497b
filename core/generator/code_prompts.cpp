#include "generator/prompt_parts.h"

// Code prompts: languages, identifiers and programming vocabulary. Each random draw is its
// own statement, since the order in which + evaluates its operands differs by compiler.

namespace routerlab::prompt_parts {

namespace {

using std::to_string;

const std::array<const char*, 8> kLanguages = {"Python",     "C++", "Rust", "JavaScript",
                                               "TypeScript", "Go",  "Java", "Kotlin"};
const std::array<const char*, 10> kFunctionNames = {
    "parse_records", "merge_intervals", "top_k",   "normalize_path", "count_tokens",
    "dedupe",        "load_config",     "flatten", "group_by_key",   "validate_input"};

} // namespace

std::string codePrompt(PromptTier tier, Random& rng) {
    const std::string lang = pick(kLanguages, rng);
    const std::string fn = pick(kFunctionNames, rng);
    if (tier == PromptTier::Easy) {
        static const std::array<const char*, 5> goals = {
            "the largest value", "the sum of the even numbers", "a new list without duplicates",
            "the number of negative entries", "the values sorted in descending order"};
        static const std::array<const char*, 5> tasks = {
            "read a text file line by line", "parse a JSON string into a map",
            "format a date as YYYY-MM-DD", "split a string on commas and trim whitespace",
            "check whether a key exists in a hash map"};
        if (rng.uniformInt(2) == 0) {
            const std::string goal = pick(goals, rng);
            return "Write a " + lang + " function named " + fn +
                   " that takes a list of integers and returns " + goal +
                   ". Include a short comment and one example call.";
        }
        const std::string task = pick(tasks, rng);
        return "In " + lang + ", how do I " + task +
               "? A short code snippet with the needed imports is enough.";
    }
    if (tier == PromptTier::Medium) {
        static const std::array<const char*, 4> errors = {
            "an index out of range error", "an unhandled null reference exception",
            "a stack overflow", "a type error about an undefined variable"};
        static const std::array<const char*, 5> containers = {"list", "array", "vector", "string",
                                                              "map"};
        static const std::array<const char*, 5> patterns = {
            "ISO 8601 dates", "IPv4 addresses", "hex color codes like #1a2b3c",
            "email addresses with a single @", "semantic version strings such as 1.4.2"};
        switch (rng.uniformInt(3)) {
        case 0: {
            const std::string error = pick(errors, rng);
            const std::string container = pick(containers, rng);
            return "My " + lang + " function " + fn + " fails with " + error + " when the input " +
                   container +
                   " is empty. Show the fixed code and add a unit test for the empty case.";
        }
        case 1: {
            static const std::array<const char*, 4> goals = {
                "find duplicates", "find pairs that sum to a target",
                "count items shared by two lists", "find the closest pair of values"};
            const std::string goal = pick(goals, rng);
            return "Refactor this " + lang +
                   " code so it runs in O(n log n) instead of O(n^2): a nested for loop in " + fn +
                   " compares every pair of elements to " + goal +
                   ". Keep the public interface and explain the new complexity.";
        }
        default: {
            const std::string pattern = pick(patterns, rng);
            return "Write a regular expression in " + lang + " that matches " + pattern +
                   ", and a small test that prints which of five example strings match.";
        }
        }
    }
    switch (rng.uniformInt(3)) {
    case 0: {
        const int capacity = 16 * between(rng, 1, 64);
        return "Implement a thread-safe LRU cache class in " + lang +
               " with get and put in O(1) average time and a capacity of " + to_string(capacity) +
               " entries. Use a hash map plus a doubly linked list, document the locking "
               "strategy, and write tests for eviction order and concurrent access.";
    }
    case 1:
        return "Write a recursive descent parser in " + lang +
               " for arithmetic expressions with +, -, *, /, unary minus and parentheses. Return "
               "an abstract syntax tree, report syntax errors with the column number, and "
               "include an evaluate() method with tests.";
    default: {
        const int workers = between(rng, 2, 16);
        const int retries = between(rng, 2, 5);
        return "Design an async worker pool in " + lang + " that runs at most " +
               to_string(workers) + " jobs concurrently from a queue, retries a failed job " +
               to_string(retries) +
               " times with exponential backoff, and supports graceful shutdown. Give the "
               "interface, the implementation and tests.";
    }
    }
}

} // namespace routerlab::prompt_parts
