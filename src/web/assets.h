// assets.h: static files (htmx, the stylesheet, the register script and their
// licences), compiled into the binary from src/web/assets/.
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
