#pragma once

#include <QThread>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

namespace routerlab {

// Work handed to a thread of its own at the calling thread's priority; get() waits for it and
// rethrows what it threw. The workbench runs experiments on low-priority threads so that the
// window stays responsive, and work they hand off must not outrank the window.
template <typename T> class SideTask {
public:
    explicit SideTask(std::function<T()> work)
        : thread_(QThread::create([this, work = std::move(work)] {
              try {
                  result_.emplace(work());
              } catch (...) {
                  error_ = std::current_exception();
              }
          })) {
        thread_->start(QThread::currentThread()->priority());
    }
    SideTask(const SideTask&) = delete;
    SideTask& operator=(const SideTask&) = delete;
    ~SideTask() { thread_->wait(); }

    T get() {
        thread_->wait();
        if (error_)
            std::rethrow_exception(error_);
        return std::move(*result_);
    }

private:
    std::optional<T> result_;
    std::exception_ptr error_;
    std::unique_ptr<QThread> thread_; // last: destroyed (after wait) before what it writes
};

} // namespace routerlab
