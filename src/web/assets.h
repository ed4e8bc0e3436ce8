// assets.h: static files (GOV.UK Frontend's stylesheet and script, htmx,
// uPlot, our own stylesheet and script, and their licences), compiled into the
// binary from src/web/assets/.
#pragma once

#include <optional>
#include <string_view>

namespace rollcall::web {

struct Asset {
  std::string_view content_type;
  std::string_view body;
};

// The asset served at `path` ("/static/htmx.min.js"), if any.
std::optional<Asset> FindAsset(std::string_view path);

}  // namespace rollcall::web
