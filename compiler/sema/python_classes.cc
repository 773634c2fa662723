// Python classes: the form of a class path, and, when the project's
// modules are known (SemaOptions::python), whether the module exists and
// has a `class` line for the class.
#include <algorithm>
#include <cctype>
#include <sstream>

#include <fmt/format.h>

#include "compiler/diag/diagnostic_kinds.h"
#include "compiler/sema/checker.h"

namespace topoc::sema {

using diag::DiagKind;

bool IsPythonClassPath(std::string_view cls) {
  size_t parts = 0;
  size_t i = 0;
  while (true) {
    size_t dot = cls.find('.', i);
    std::string_view part = cls.substr(i, dot == std::string_view::npos ? std::string_view::npos : dot - i);
    if (part.empty()) return false;
    auto c0 = static_cast<unsigned char>(part[0]);
    if (!(std::isalpha(c0) || c0 == '_')) return false;
    for (unsigned char c : part) {
      if (!(std::isalnum(c) || c == '_')) return false;
    }
    ++parts;
    if (dot == std::string_view::npos) break;
    i = dot + 1;
  }
  return parts >= 2;
}

void Checker::CheckPythonClass(const std::string& cls, Span span) {
  size_t dot = cls.rfind('.');
  std::string module = cls.substr(0, dot);
  std::string klass = cls.substr(dot + 1);
  // Each module is read once per compilation, however many components use it.
  auto it = modules_.find(module);
  if (it == modules_.end()) it = modules_.emplace(module, options_.python->Read(module)).first;
  if (!it->second) {
    Diagnostic d = diag::Make(DiagKind::kPythonModuleMissing, span, module, options_.python->Where());
    std::string rel = module;
    std::replace(rel.begin(), rel.end(), '.', '/');
    d.notes.push_back(diag::Help(fmt::format("expected {}.py or {}/__init__.py under {}", rel, rel,
                                             options_.python->Where())));
    Report(std::move(d));
    return;
  }
  // A line `class Name` followed by '(' or ':' (any indentation).
  // A text search, not a Python parse: topoc does not run Python to check.
  // A class defined some other way (assigned, generated) gets a warning
  // only, never an error.
  const std::string& text = *it->second;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    size_t i = line.find_first_not_of(" \t");
    if (i == std::string::npos || line.compare(i, 6, "class ") != 0) continue;
    i = line.find_first_not_of(" \t", i + 6);
    if (i == std::string::npos || line.compare(i, klass.size(), klass) != 0) continue;
    size_t after = i + klass.size();
    if (after == line.size() || line[after] == '(' || line[after] == ':' || line[after] == ' ') return;
  }
  Report(diag::Make(DiagKind::kPythonClassMissing, span, module, klass));
}

}  // namespace topoc::sema
