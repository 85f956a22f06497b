#pragma once

#include <QString>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace routerlab {

// Trained state that every cell of one experiment can share: a router that pre-trains (BaRP,
// the offline baselines) trains once per key, not once per preference and seed. One cache
// lives with each simulation setup, so nothing leaks between experiments. Thread-safe; a key
// being trained blocks only the cells that ask for the same key.
class TrainingCache {
public:
    template <typename T>
    std::shared_ptr<const T> getOrCreate(const QString& key,
                                         const std::function<std::shared_ptr<const T>()>& train) {
        std::shared_ptr<Slot> slot;
        {
            const std::lock_guard lock(mutex_);
            std::shared_ptr<Slot>& s = slots_[key];
            if (!s)
                s = std::make_shared<Slot>();
            slot = s;
        }
        std::call_once(slot->once, [&] { slot->value = train(); });
        return std::static_pointer_cast<const T>(slot->value);
    }

private:
    struct Slot {
        std::once_flag once;
        std::shared_ptr<const void> value;
    };
    std::mutex mutex_;
    std::map<QString, std::shared_ptr<Slot>> slots_;
};

} // namespace routerlab
