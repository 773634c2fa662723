#include "deploy/libzip_loader.h"

#include <dlfcn.h>

#include <cstdlib>

#include <fmt/format.h>

namespace topoc::deploy {

bool LoadLibZipFrom(const char* library, LibZip* table, std::string* error) {
  // RTLD_LOCAL: libzip's symbols (and its libcrypto's) stay out of the
  // global namespace, so they cannot interpose on anything topoc links.
  void* handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    *error = fmt::format("cannot load libzip ({}): {}; install it with apt-get install libzip4", library,
                         why ? why : "unknown error");
    return false;
  }
  LibZip loaded;
#define TOPOC_LIBZIP_RESOLVE(name)                                                              \
  loaded.name = reinterpret_cast<decltype(&::name)>(dlsym(handle, #name));                      \
  if (!loaded.name) {                                                                           \
    *error = fmt::format("cannot load libzip ({}): it has no function {}", library, #name); \
    dlclose(handle);                                                                            \
    return false;                                                                               \
  }
  TOPOC_LIBZIP_FUNCTIONS(TOPOC_LIBZIP_RESOLVE)
#undef TOPOC_LIBZIP_RESOLVE
  *table = loaded;
  return true;
}

namespace {

struct Loaded {
  LibZip table;
  bool ok = false;
  std::string error;
};

const Loaded& TheLibZip() {
  static const Loaded loaded = [] {
    Loaded l;
    const char* env = std::getenv("TOPOC_LIBZIP");
    l.ok = LoadLibZipFrom(env && *env ? env : kLibZipSoname, &l.table, &l.error);
    return l;
  }();
  return loaded;
}

}  // namespace

const LibZip* LoadLibZip(std::string* error) {
  const Loaded& l = TheLibZip();
  if (!l.ok) {
    *error = l.error;
    return nullptr;
  }
  return &l.table;
}

}  // namespace topoc::deploy
