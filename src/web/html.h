// html.h
//
// HTML that escapes by default. Page code builds markup with Html::Format,
// whose arguments are escaped unless they are already Html; raw markup is made
// only by Html::Trusted, which takes a string literal (the page's own
// markup), and by the few helpers below. `grep Trusted src/web` finds every
// place that writes unescaped text.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <utility>

namespace rollcall::web {

// Escapes & < > " ' for text and attribute values.
std::string EscapeHtml(std::string_view text);

class Html {
 public:
  Html() = default;
  // Markup written in the program itself: only string literals.
  template <size_t N>
  static Html Trusted(const char (&literal)[N]) {
    return Html(std::string(literal, N - 1));
  }
  // `format` is a literal template; each argument is escaped unless it is Html.
  template <size_t N, typename... Args>
  static Html Format(const char (&format)[N], const Args&... args) {
    return Html(fmt::format(fmt::runtime(std::string_view(format, N - 1)), Escaped(args)...));
  }
  static Html Text(std::string_view text) { return Html(EscapeHtml(text)); }

  Html& operator+=(const Html& other) {
    text_ += other.text_;
    return *this;
  }
  friend Html operator+(Html a, const Html& b) {
    a += b;
    return a;
  }
  const std::string& str() const { return text_; }

 private:
  explicit Html(std::string text) : text_(std::move(text)) {}
  static const std::string& Escaped(const Html& h) { return h.text_; }
  static std::string Escaped(std::string_view s) { return EscapeHtml(s); }
  static std::string Escaped(const std::string& s) { return EscapeHtml(s); }
  static std::string Escaped(const char* s) { return EscapeHtml(s); }
  template <typename T>
  static std::string Escaped(const T& value) {
    return EscapeHtml(fmt::format("{}", value));
  }

  std::string text_;
};

}  // namespace rollcall::web
