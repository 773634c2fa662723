// libzip, loaded with dlopen at first use instead of linked.
//
// Only the jar (deploy/jar.cc: `topoc submit`) needs libzip, and linking it
// costs every topoc process its start-up: libzip.so drags in libcrypto,
// libbz2, libz, liblzma and libzstd, whose mapping and symbol lookup took
// about a third of `topoc --version` (docs/benchmarks.md, "process start").
// So the topoc binary does not link libzip; jar.cc asks LoadLibZip() for a
// table of the functions it calls.
//
// <zip.h> is still included, for the types, constants and prototypes: each
// table member has exactly the type of the function it points to
// (decltype(&::zip_open)), so calls are checked by the compiler as before.
#pragma once

#include <string>

#include <zip.h>

namespace topoc::deploy {

// Every libzip function the jar code calls. Add a name here to use another.
#define TOPOC_LIBZIP_FUNCTIONS(X)   \
  X(zip_open)                       \
  X(zip_close)                      \
  X(zip_discard)                    \
  X(zip_strerror)                   \
  X(zip_error_init_with_code)       \
  X(zip_error_strerror)             \
  X(zip_error_fini)                 \
  X(zip_source_file)                \
  X(zip_source_buffer)              \
  X(zip_source_free)                \
  X(zip_file_add)                   \
  X(zip_file_set_mtime)             \
  X(zip_file_set_external_attributes) \
  X(zip_get_num_entries)            \
  X(zip_get_name)                   \
  X(zip_stat)                       \
  X(zip_fopen)                      \
  X(zip_fread)                      \
  X(zip_fclose)

// The resolved functions; a member has the name and type of its function.
struct LibZip {
#define TOPOC_LIBZIP_MEMBER(name) decltype(&::name) name = nullptr;
  TOPOC_LIBZIP_FUNCTIONS(TOPOC_LIBZIP_MEMBER)
#undef TOPOC_LIBZIP_MEMBER
};

// The library LoadLibZip() opens: Debian's libzip4 (libzip's ABI has been
// 4 since libzip 1.0). The environment variable TOPOC_LIBZIP, when set and
// not empty, names another (a path or a soname).
inline constexpr const char* kLibZipSoname = "libzip.so.4";

// Opens `library` with dlopen and resolves every TOPOC_LIBZIP_FUNCTIONS name
// into `table`. On failure returns false with `error` naming the library and
// the cause, e.g. "cannot load libzip (libzip.so.4): <dlerror>; install it
// with apt-get install libzip4", and leaves `table` unchanged. The library
// is never closed (the table points into it).
bool LoadLibZipFrom(const char* library, LibZip* table, std::string* error);

// The process's libzip: loaded on the first call (from TOPOC_LIBZIP or
// kLibZipSoname), then the same table every time. nullptr with `error` set
// when loading failed; the failure is remembered too, so every caller gets
// the same message. Thread-safe.
const LibZip* LoadLibZip(std::string* error);

}  // namespace topoc::deploy
