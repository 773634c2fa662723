// libfmt's compiled part, built into topoc instead of linking libfmt.so.
//
// Everything fmt does not define in its headers lives in <fmt/format-inl.h>:
// the FMT_FUNC functions (vformat, vprint, format_error, the system-error
// helpers, ...), which this one translation unit defines by including it,
// and a few templates that the headers only declare, which it instantiates
// below for the character types topoc formats. Linking it statically saves
// every topoc process the load and symbol binding of libfmt.so
// (docs/benchmarks.md, "process start"), and keeps the headers' fast
// compile (FMT_HEADER_ONLY would compile format-inl.h in every file).
//
// fmt/os.h (fmt's os.cc: fmt::file, fmt::output_file) is left out: topoc does
// not use it.
//
// Written for the fmt 9 API (Debian 12's libfmt-dev); a link error naming
// fmt::detail means a newer fmt declares another template to instantiate.
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {

// Shortest round-trip floating-point formatting.
template auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;

// The locale handle that {:L} formats with.
template locale_ref::locale_ref(const std::locale& loc);
template auto locale_ref::get<std::locale>() const -> std::locale;

// char: fmt::format and friends.
template auto thousands_sep_impl(locale_ref) -> thousands_sep_result<char>;
template auto decimal_point_impl(locale_ref) -> char;
template void buffer<char>::append(const char*, const char*);
template void vformat_to(buffer<char>&, string_view, basic_format_args<FMT_BUFFER_CONTEXT(char)>, locale_ref);

// wchar_t: referenced from the headers' inline code for wide strings.
template auto thousands_sep_impl(locale_ref) -> thousands_sep_result<wchar_t>;
template auto decimal_point_impl(locale_ref) -> wchar_t;
template void buffer<wchar_t>::append(const wchar_t*, const wchar_t*);

}  // namespace detail
FMT_END_NAMESPACE
