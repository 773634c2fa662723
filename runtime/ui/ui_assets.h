// The live view's page: runtime/ui/page/*, embedded at build time by
// cmake/embed_files.cmake into ui_assets.cc (generated, never edited).
#pragma once

#include <cstddef>
#include <string_view>

namespace topoc::runtime::ui {

struct UiAsset {
  const char* path;  // "/index.html", "/ui.js", ...
  std::string_view body;
};

extern const UiAsset kUiAssets[];
extern const size_t kUiAssetsCount;

// The Content-Type of a page file, by its extension.
inline const char* UiAssetType(std::string_view path) {
  auto ends = [&](std::string_view ext) {
    return path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "application/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace topoc::runtime::ui
