// Errors as values: a small Status and Result<T> with stable codes.
//
// Three outcomes are kept apart across pingcha: an *error* (a Status that is
// not ok: the case or run could not be done), a *warning* (a string on the
// Case: a page was read badly, the case goes on) and a *finding* (a rubric
// result: data, not failure). No exception crosses a stage boundary.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace pingcha {

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(std::string code, std::string message)
      : code_(std::move(code)), message_(std::move(message)) {}
  static Status Ok() { return Status(); }

  bool ok() const { return code_.empty(); }
  // Stable machine code: not_a_pdf, encrypted, damaged, no_pages, too_large,
  // timeout, io_error, invalid_rubric, dependency_missing, bad_argument, ...
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const { return ok() ? "ok" : code_ + ": " + message_; }

 private:
  std::string code_;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

#define PINGCHA_RETURN_IF_ERROR(expr)          \
  do {                                         \
    ::pingcha::Status _st = (expr);            \
    if (!_st.ok()) return _st;                 \
  } while (0)

}  // namespace pingcha
