// status.h
//
// Expected failures as values: a small [[nodiscard]] Status and StatusOr<T>,
// shaped like std::expected (C++23, not in g++ 12). An error carries a kind
// (mapped to exit codes and HTTP statuses at the boundaries), a stable machine
// code from error_codes.h, and a human message. Nothing here throws.
#pragma once

#include <cassert>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace rollcall::core {

enum class ErrorKind : uint8_t {
  kInvalidArgument = 1,
  kUnauthenticated = 2,
  kPermissionDenied = 3,
  kNotFound = 4,
  kConflict = 5,
  kUnavailable = 6,
  kInternal = 7,
};

// Aborts: marks code that a complete switch over an enum can never reach.
[[noreturn]] inline void Unreachable() { std::abort(); }

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(ErrorKind kind, std::string code, std::string message)
      : error_(Error{kind, std::move(code), std::move(message)}) {}

  bool ok() const { return !error_.has_value(); }
  // Only meaningful when !ok().
  ErrorKind kind() const { return error_->kind; }
  const std::string& code() const { return error_->code; }
  const std::string& message() const { return error_->message; }

 private:
  struct Error {
    ErrorKind kind;
    std::string code;
    std::string message;
  };
  std::optional<Error> error_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgument(std::string code, std::string message) {
  return Status(ErrorKind::kInvalidArgument, std::move(code), std::move(message));
}
inline Status NotFound(std::string code, std::string message) {
  return Status(ErrorKind::kNotFound, std::move(code), std::move(message));
}
inline Status Conflict(std::string code, std::string message) {
  return Status(ErrorKind::kConflict, std::move(code), std::move(message));
}
inline Status Unavailable(std::string code, std::string message) {
  return Status(ErrorKind::kUnavailable, std::move(code), std::move(message));
}
inline Status PermissionDenied(std::string code, std::string message) {
  return Status(ErrorKind::kPermissionDenied, std::move(code), std::move(message));
}
inline Status Unauthenticated(std::string code, std::string message) {
  return Status(ErrorKind::kUnauthenticated, std::move(code), std::move(message));
}
inline Status Internal(std::string code, std::string message) {
  return Status(ErrorKind::kInternal, std::move(code), std::move(message));
}

template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}        // NOLINT: implicit like std::expected
  StatusOr(Status status) : value_(std::move(status)) {  // NOLINT
    // An ok Status carries no value: that is a bug in the caller.
    assert(!std::get<Status>(value_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(value_); }
  Status status() const { return ok() ? Status() : std::get<Status>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T& value() & { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  // From a temporary, the value itself: `for (x : *Read())` then iterates a
  // value that lives as long as the loop, not a reference into a temporary.
  T operator*() && { return std::move(value()); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace rollcall::core

#define ROLLCALL_CONCAT_INNER(a, b) a##b
#define ROLLCALL_CONCAT(a, b) ROLLCALL_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when `expr` is not ok.
#define RETURN_IF_ERROR(expr)                            \
  do {                                                   \
    ::rollcall::core::Status rollcall_status_ = (expr);  \
    if (!rollcall_status_.ok()) return rollcall_status_; \
  } while (false)

// `ASSIGN_OR_RETURN(T x, F())`: declares x from a StatusOr, or returns its error.
#define ASSIGN_OR_RETURN(decl, expr) \
  ASSIGN_OR_RETURN_IMPL(ROLLCALL_CONCAT(rollcall_statusor_, __LINE__), decl, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.status();          \
  decl = std::move(tmp).value()
