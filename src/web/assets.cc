// assets.cc: the static files embedded at build time (assets/ via CMake).
#include "web/assets.h"

namespace rollcall::web {
namespace {

struct EmbeddedAsset {
  const char* path;
  const char* content_type;
  const char* body;
};

constexpr EmbeddedAsset kAssets[] = {
#include "web_assets.inc"
};

}  // namespace

std::optional<Asset> FindAsset(std::string_view path) {
  for (const EmbeddedAsset& a : kAssets) {
    if (path == a.path) return Asset{a.content_type, a.body};
  }
  return std::nullopt;
}

}  // namespace rollcall::web
