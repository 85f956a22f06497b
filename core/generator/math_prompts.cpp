#include "generator/prompt_parts.h"

#include <cstdio>
#include <utility>

// Math prompts: numbers everywhere, and the reference is the true answer.
// Every draw from the random source is its own statement or declarator (those run in order):
// the operands of + are evaluated in an unspecified order, so two draws in one expression
// would give different prompts with different compilers.

namespace routerlab::prompt_parts {

namespace {

using std::to_string;

// snprintf rather than streams: the same digits on every standard library.
std::string fixed(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

const std::array<const char*, 8> kNames = {"Ana",  "Ben",   "Chloe", "Dev",
                                           "Emma", "Farid", "Grace", "Hiro"};

PromptText mathEasy(Random& rng) {
    const std::string name = pick(kNames, rng);
    switch (rng.uniformInt(3)) {
    case 0: {
        static const std::array<const char*, 6> items = {"notebooks",   "apples",  "pens",
                                                         "coffee mugs", "tickets", "sandwiches"};
        const int price = between(rng, 2, 9), count = between(rng, 2, 6);
        const std::string item = pick(items, rng);
        const int bill = price * count < 20 ? 20 : price * count < 50 ? 50 : 100;
        return {name + " buys " + to_string(count) + " " + item + " at " + to_string(price) +
                    " dollars each and pays with a " + to_string(bill) +
                    "-dollar note. How much change should " + name +
                    " receive? Give the final answer as a number.",
                to_string(bill - price * count)};
    }
    case 1: {
        const int a = between(rng, 10, 99), b = between(rng, 2, 12), c = between(rng, 2, 12),
                  e = between(rng, 1, 9);
        return {"Compute " + to_string(a) + " + " + to_string(b) + " * " + to_string(c) + " - " +
                    to_string(e) +
                    ". Follow the usual order of operations and reply with the final number only.",
                to_string(a + b * c - e)};
    }
    default: {
        const int pages = between(rng, 8, 45), days = between(rng, 3, 30);
        return {name + " reads " + to_string(pages) + " pages of a novel every day. After " +
                    to_string(days) + " days, how many pages has " + name +
                    " read in total? Answer with a single number.",
                to_string(pages * days)};
    }
    }
}

PromptText mathMedium(Random& rng) {
    switch (rng.uniformInt(3)) {
    case 0: {
        static const std::array<const char*, 6> cities = {"Lyon",  "Leeds",  "Porto",
                                                          "Kyoto", "Denver", "Graz"};
        static const std::array<int, 8> speeds = {40, 48, 60, 72, 80, 96, 100, 120};
        const int speed = speeds[static_cast<std::size_t>(rng.uniformInt(8))];
        const int minutes = 15 * between(rng, 2, 16); // speed * minutes / 60 stays whole
        const std::string city = pick(cities, rng);
        const int hour = between(rng, 6, 20);
        return {"A train leaves " + city + " at " + to_string(hour) + ":00 and covers " +
                    to_string(speed * minutes / 60) + " km at an average speed of " +
                    to_string(speed) +
                    " km/h. How many minutes does the journey take? Give a whole number.",
                to_string(minutes)};
    }
    case 1: {
        int x = between(rng, -12, 12);
        if (x == 0)
            x = 7;
        const int a = between(rng, 2, 9), b = between(rng, -30, 30);
        const std::string sign = b < 0 ? " - " : " + ";
        return {"Solve for x: " + to_string(a) + "x" + sign + to_string(b < 0 ? -b : b) + " = " +
                    to_string(a * x + b) +
                    ". Show your working briefly and state the value of x as a number.",
                to_string(x)};
    }
    default: {
        static const std::array<const char*, 6> items = {"bicycle",     "laptop bag", "desk lamp",
                                                         "rain jacket", "kettle",     "backpack"};
        const int price = 20 * between(rng, 2, 20), up = 5 * between(rng, 2, 6),
                  down = 5 * between(rng, 1, 4);
        const std::string item = pick(items, rng);
        const double result = price * (100.0 + up) / 100.0 * (100.0 - down) / 100.0;
        return {"The price of a " + item + " is " + to_string(price) + " dollars. It rises by " +
                    to_string(up) + "% in spring and then falls by " + to_string(down) +
                    "% in a sale. What is the final price in dollars, rounded to two decimals?",
                fixed(result, 2)};
    }
    }
}

PromptText mathHard(Random& rng) {
    switch (rng.uniformInt(4)) {
    case 0: {
        const long a = between(rng, 2, 9), b = between(rng, 2, 15), c = between(rng, -20, 20),
                   u = between(rng, -6, 9), w = between(rng, 2, 11), k = between(rng, 2, 5);
        const auto f = [&](long x) { return a * x * x - b * x + c; };
        return {"Let f(x) = " + to_string(a) + "x^2 - " + to_string(b) + "x + (" + to_string(c) +
                    "). Evaluate f(" + to_string(u) + ") + f(" + to_string(w) +
                    "), then subtract " + to_string(k) +
                    " times f(0). Give the exact integer result.",
                to_string(f(u) + f(w) - k * f(0))};
    }
    case 1: {
        const int lo = between(rng, 1, 50), hi = lo + between(rng, 100, 400);
        const int k = between(rng, 3, 9);
        int m = between(rng, 2, 7);
        if (m == k)
            m = k == 2 ? 3 : 2;
        long sum = 0;
        for (int n = lo; n <= hi; ++n)
            if (n % k == 0 && n % m != 0)
                sum += n;
        return {"Find the sum of all integers from " + to_string(lo) + " to " + to_string(hi) +
                    " inclusive that are divisible by " + to_string(k) + " but not by " +
                    to_string(m) + ". Explain the method, then give the sum as one number.",
                to_string(sum)};
    }
    case 2: {
        const int red = between(rng, 3, 9), green = between(rng, 3, 9), blue = between(rng, 3, 9);
        const int total = red + green + blue;
        static const std::array<std::pair<const char*, int>, 3> colours = {
            {{"red", 0}, {"green", 1}, {"blue", 2}}};
        const auto& colour = colours[static_cast<std::size_t>(rng.uniformInt(3))];
        const int n = colour.second == 0 ? red : colour.second == 1 ? green : blue;
        const double p = static_cast<double>(n * (n - 1)) / (total * (total - 1));
        return {"A bag holds " + to_string(red) + " red, " + to_string(green) + " green and " +
                    to_string(blue) +
                    " blue marbles. Two marbles are drawn at random without replacement. What is "
                    "the probability that both are " +
                    colour.first + "? Express it as a decimal rounded to four places.",
                fixed(p, 4)};
    }
    default: {
        const int rate = between(rng, 2, 6), principal = 500 * between(rng, 2, 40),
                  years = between(rng, 2, 10);
        double balance = principal; // repeated multiplication: no pow(), same bits everywhere
        for (int y = 0; y < years; ++y)
            balance *= 1.0 + rate / 100.0;
        const std::string name = pick(kNames, rng);
        return {"A savings account pays " + to_string(rate) +
                    "% interest per year, compounded annually. If " + name + " deposits " +
                    to_string(principal) +
                    " dollars and makes no withdrawals, what is the balance after " +
                    to_string(years) + " years? Round to the nearest cent.",
                fixed(balance, 2)};
    }
    }
}

} // namespace

PromptText mathPrompt(PromptTier tier, Random& rng) {
    return tier == PromptTier::Easy     ? mathEasy(rng)
           : tier == PromptTier::Medium ? mathMedium(rng)
                                        : mathHard(rng);
}

} // namespace routerlab::prompt_parts
