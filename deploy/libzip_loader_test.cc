#include "deploy/libzip_loader.h"

#include <string>

#include <doctest/doctest.h>

using namespace topoc::deploy;

TEST_CASE("libzip loads and every function it is asked for resolves") {
  LibZip table;
  std::string err;
  REQUIRE_MESSAGE(LoadLibZipFrom(kLibZipSoname, &table, &err), err);
  int resolved = 0, listed = 0;
#define TOPOC_COUNT(name)                 \
  ++listed;                               \
  if (table.name != nullptr) ++resolved;  \
  else FAIL_CHECK(#name " did not resolve");
  TOPOC_LIBZIP_FUNCTIONS(TOPOC_COUNT)
#undef TOPOC_COUNT
  CHECK(listed == 19);
  CHECK(resolved == listed);

  // The pointers are libzip's own: they behave as libzip does.
  zip_error_t ze;
  table.zip_error_init_with_code(&ze, ZIP_ER_NOENT);
  CHECK(std::string(table.zip_error_strerror(&ze)) == "No such file");
  table.zip_error_fini(&ze);
  int zerr = 0;
  CHECK(table.zip_open("/nonexistent-topoc-dir/x.zip", ZIP_RDONLY, &zerr) == nullptr);
  CHECK(zerr == ZIP_ER_NOENT);
}

TEST_CASE("the process-wide table is loaded once") {
  std::string err;
  const LibZip* a = LoadLibZip(&err);
  REQUIRE_MESSAGE(a != nullptr, err);
  CHECK(LoadLibZip(&err) == a);
  CHECK((a->zip_open != nullptr));
}

TEST_CASE("a missing libzip is a clear error, not a crash") {
  LibZip table;
  std::string err;
  CHECK_FALSE(LoadLibZipFrom("libtopoc-no-such-zip.so.4", &table, &err));
  CHECK(err.rfind("cannot load libzip (libtopoc-no-such-zip.so.4): ", 0) == 0);
  CHECK(err.find("libtopoc-no-such-zip.so.4: cannot open shared object file") != std::string::npos);
  CHECK(err.find("install it with apt-get install libzip4") != std::string::npos);
  CHECK((table.zip_open == nullptr));  // untouched
}

TEST_CASE("a library that is not libzip is refused by name of the missing function") {
  LibZip table;
  std::string err;
  CHECK_FALSE(LoadLibZipFrom("libc.so.6", &table, &err));
  CHECK(err == "cannot load libzip (libc.so.6): it has no function zip_open");
  CHECK((table.zip_open == nullptr));
}
