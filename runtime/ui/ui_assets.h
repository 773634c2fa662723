// The live view's page: runtime/ui/page/*, embedded at build time by
// embed_page.cmake into ui_assets.cc (generated, never edited).
#pragma once

#include <cstddef>
#include <string_view>

namespace topoc::runtime::ui {

struct UiAsset {
  const char* path;  // "/index.html", "/ui.js", ...
  const char* type;  // its Content-Type
  std::string_view body;
};

extern const UiAsset kUiAssets[];
extern const size_t kUiAssetCount;

}  // namespace topoc::runtime::ui
