// textDocument/completion: keywords, names and config keys by what
// encloses the cursor.
#include <filesystem>
#include <fstream>
#include <regex>

#include "lsp/server_internal.h"

namespace topoc::lsp {

namespace fs = std::filesystem;

namespace {

// What encloses the end of `text`: the kinds of the open braces, innermost
// last ('t' topology, 'b' component or template body, 'c' config, 'm' map
// value, '[' and '(' brackets).
std::string Enclosing(std::string_view text) {
  std::string stack;
  std::vector<std::string_view> words;  // the last few tokens
  // A regex tokenizer, not the parser: the text being typed rarely parses,
  // and only the braces (and the words before them) matter here. Strings and
  // comments are matched whole so the braces in them do not count.
  std::regex token(R"re("(\\.|[^"\\\n])*"?|//[^\n]*|/\*[\s\S]*?(\*/|$)|[A-Za-z_][A-Za-z0-9_\-]*|-?[0-9][0-9.eEL+\-]*|\S)re");
  std::string s(text);
  std::string prev, prev2;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), token); it != std::sregex_iterator(); ++it) {
    std::string t = it->str();
    if (t.rfind("//", 0) == 0 || t.rfind("/*", 0) == 0) continue;
    if (t == "{") {
      char top = stack.empty() ? 0 : stack.back();
      if (prev == "config") {
        stack += 'c';
      // A brace inside a config value is a map value, whatever word precedes it.
      } else if (top == 'c' || top == 'm' || top == '[') {
        stack += 'm';
      } else if (prev2 == "topology") {
        stack += 't';
      } else {
        stack += 'b';
      }
    } else if (t == "[" || t == "(") {
      stack += t[0];
    } else if ((t == "}" || t == "]" || t == ")") && !stack.empty()) {
      stack.pop_back();
    }
    prev2 = prev;
    prev = t;
  }
  return stack;
}

Json Item(const std::string& label, int kind, const std::string& detail = "", const std::string& doc = "") {
  Json j = {{"label", label}, {"kind", kind}};
  if (!detail.empty()) j["detail"] = detail;
  if (!doc.empty()) j["documentation"] = doc;
  return j;
}

}  // namespace

Json Server::Completion(const Json& params) {
  const std::string uri = StringField(Field(params, "textDocument"), "uri");
  auto doc_it = docs_.find(uri);
  if (doc_it == docs_.end()) return Json::array();
  const Doc& doc = *doc_it->second;
  LineIndex li(doc.text);
  size_t offset = li.ToOffset(PositionOf(Field(params, "position")));
  std::string before = doc.text.substr(0, offset);
  size_t line_start = before.rfind('\n');
  std::string line = before.substr(line_start == std::string::npos ? 0 : line_start + 1);
  Json items = Json::array();
  // CompletionItemKind: Keyword 14, Class 7, Module 9, Field 5, Property 10, Event 23.
  constexpr int kKeyword = 14, kClass = 7, kField = 5, kProperty = 10, kEvent = 23, kModule = 9;

  Unit* unit = Analysis(uri);
  // Names and streams come from the last analysis that parsed (Unit::good):
  // the line being typed usually does not.
  const ir::Program* program = unit && unit->good ? unit->good->program.get() : nullptr;
  // The topology around the cursor: by name, from the text before it.
  std::string topology;
  {
    std::regex topo_re(R"re(\btopology\s+("[^"\n]*"|[A-Za-z_][A-Za-z0-9_\-]*))re");
    for (auto it = std::sregex_iterator(before.begin(), before.end(), topo_re); it != std::sregex_iterator(); ++it) {
      topology = (*it)[1].str();
    }
    if (topology.size() >= 2 && topology.front() == '"') topology = topology.substr(1, topology.size() - 2);
  }
  const ir::Topology* topo = program ? program->FindTopology(topology) : nullptr;
  auto component = [&](const std::string& id) -> const ir::Component* { return topo ? topo->FindComponent(id) : nullptr; };
  // Component ids of that topology, from the text (so it works mid-edit).
  auto component_ids = [&]() {
    std::vector<std::pair<std::string, std::string>> ids;
    std::regex decl_re(R"re(\b(spout|bolt)\s+([A-Za-z_][A-Za-z0-9_\-]*|"[^"\n]*")\s*=)re");
    size_t from = 0;
    std::regex topo_re(R"re(\btopology\s+)re");
    for (auto it = std::sregex_iterator(before.begin(), before.end(), topo_re); it != std::sregex_iterator(); ++it) {
      from = static_cast<size_t>(it->position());
    }
    std::string scope = doc.text.substr(from);
    size_t next = scope.find("\ntopology", 1);
    if (next != std::string::npos) scope = scope.substr(0, next);
    for (auto it = std::sregex_iterator(scope.begin(), scope.end(), decl_re); it != std::sregex_iterator(); ++it) {
      std::string id = (*it)[2].str();
      if (id.front() == '"') id = id.substr(1, id.size() - 2);
      ids.emplace_back(id, (*it)[1].str());
    }
    return ids;
  };

  std::smatch m;
  static const std::regex kStreamAfterDot(R"re(\binput\s+([A-Za-z_][A-Za-z0-9_\-]*)\.([A-Za-z0-9_\-]*)$)re");
  static const std::regex kInputSource(R"re(\binput\s+([A-Za-z_][A-Za-z0-9_\-]*)?$)re");
  static const std::regex kFieldList(
      R"re(\binput\s+([A-Za-z_][A-Za-z0-9_\-]*)(?:\.([A-Za-z_][A-Za-z0-9_\-]*))?\s+(fields|partial-key)\s*\([^)]*$)re");
  static const std::regex kGrouping(R"re(\binput\s+[A-Za-z_][A-Za-z0-9_\-.]*\s+([a-z\-]*)$)re");
  static const std::regex kPython(R"re(\bpython\s+"([A-Za-z0-9_.]*)$)re");
  static const std::regex kAfterEq(R"re(^\s*(spout|bolt|template)\s+\S+\s*=\s*([A-Za-z_\-]*)$)re");
  static const std::regex kLineStart(R"re(^\s*([A-Za-z_.\-]*)$)re");

  // Most specific context first: `input a.s fields(` is also an input line.
  if (std::regex_search(line, m, kFieldList)) {
    const ir::Component* c = component(m[1].str());
    std::string stream = m[2].matched ? m[2].str() : std::string(ir::kDefaultStream);
    if (const ir::Stream* s = c ? c->FindStream(stream) : nullptr) {
      for (const std::string& f : s->fields) items.push_back(Item(f, kField, "field of " + c->id + "." + stream));
    }
  } else if (std::regex_search(line, m, kStreamAfterDot)) {
    if (const ir::Component* c = component(m[1].str())) {
      for (const auto& s : c->streams) {
        std::string fields;
        for (const std::string& f : s->fields) fields += (fields.empty() ? "" : ", ") + f;
        items.push_back(Item(s->id, kEvent, "(" + fields + ")" + (s->direct ? " direct" : "")));
      }
    }
  } else if (std::regex_search(line, m, kInputSource)) {
    for (const auto& [id, role] : component_ids()) {
      const ir::Component* c = component(id);
      std::string detail = role;
      if (c && c->kind == ir::Kind::kPython) detail += " " + c->python_class;
      items.push_back(Item(id, kClass, detail));
    }
  } else if (std::regex_search(line, m, kGrouping)) {
    for (const char* g : {"shuffle", "fields", "all", "global", "none", "direct", "local-or-shuffle", "partial-key",
                          "custom"}) {
      items.push_back(Item(g, kKeyword, "grouping"));
    }
  } else if (std::regex_search(line, m, kPython)) {
    // Python classes under the project's src/.
    if (unit && unit->project) {
      fs::path src = unit->project->src_dir();
      std::error_code ec;
      static const std::regex class_re(R"re(^class\s+([A-Za-z_][A-Za-z0-9_]*))re");
      for (fs::recursive_directory_iterator it(src, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() != ".py") continue;
        fs::path rel = it->path().lexically_relative(src);
        rel.replace_extension();
        std::string module;
        for (const auto& part : rel) module += (module.empty() ? "" : ".") + part.string();
        if (module.size() > 9 && module.substr(module.size() - 9) == ".__init__") module.resize(module.size() - 9);
        std::ifstream in(it->path());
        std::string l;
        while (std::getline(in, l)) {
          std::smatch cm;
          if (std::regex_search(l, cm, class_re)) items.push_back(Item(module + "." + cm[1].str(), kClass, "python class"));
        }
      }
    }
  } else if (std::regex_search(line, m, kAfterEq)) {
    for (const char* k : {"python", "shell", "java"}) items.push_back(Item(k, kKeyword, "component kind"));
    if (unit) {
      for (const ast::File* f : unit->comp->ast_files) {
        for (const ast::Template* t : f->templates) items.push_back(Item(t->name.text, kModule, "template"));
      }
    }
  } else if (std::regex_search(line, m, kLineStart)) {
    std::string where = Enclosing(before);
    char top = where.empty() ? 0 : where.back();
    if (top == 'c' || top == 'm') {
      for (std::string_view key : sema::KnownConfigKeys()) {
        const sema::ConfigKeyInfo* info = sema::FindConfigKey(key);
        items.push_back(Item(std::string(key), kProperty, info ? std::string(TypeWords(info->type)) : "",
                             ConfigKeyDoc(key)));
      }
    } else if (top == 'b') {
      for (const char* k : {"output", "input", "parallelism", "tasks", "config"}) items.push_back(Item(k, kKeyword));
    } else if (top == 't') {
      for (const char* k : {"spout", "bolt", "config"}) items.push_back(Item(k, kKeyword));
    } else if (top == 0) {
      for (const char* k : {"import", "template", "topology"}) items.push_back(Item(k, kKeyword));
    }
  }
  return items;
}

}  // namespace topoc::lsp
