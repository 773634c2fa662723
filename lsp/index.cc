#include "lsp/index.h"

#include <filesystem>

#include "compiler/driver/project.h"

namespace topoc::lsp {

namespace fs = std::filesystem;

namespace {

// Keys join ids with the ASCII unit separator: ids may hold any printable
// character (quoted names), but not this one.
constexpr char kSep = '\x1f';

// A topology is keyed by where it is declared, not its name: two
// topologies of one name (an error) still keep their components apart.
std::string TopologyKey(const ast::Topology* t) {
  return std::to_string(t->span.file) + ":" + std::to_string(t->span.begin);
}
std::string TemplateKey(const ast::Template* t) {
  return "t" + std::string(1, kSep) + std::to_string(t->span.file) + ":" + std::to_string(t->span.begin);
}

class Builder {
 public:
  explicit Builder(const driver::Compilation& comp) : comp_(comp) {}

  Index Build() {
    for (const ast::File* f : comp_.ast_files) File(*f);
    return std::move(index_);
  }

 private:
  void Add(Occurrence::Kind kind, const ast::Name& name, std::string key, bool def, std::string topology = "",
           std::string component = "") {
    if (name.empty() || name.text.empty()) return;
    Occurrence o;
    o.kind = kind;
    o.span = name.span;
    o.key = std::move(key);
    o.definition = def;
    o.name = name.text;
    o.topology = std::move(topology);
    o.component = std::move(component);
    index_.occurrences.push_back(std::move(o));
  }

  void Config(const std::vector<ir::ConfigEntry>& config) {
    for (const ir::ConfigEntry& e : config) {
      if (e.key_span.valid()) index_.config_keys.push_back(ConfigKeyRef{e.key_span, e.key});
    }
  }

  void File(const ast::File& f) {
    for (const ast::Import& imp : f.imports) {
      Occurrence o;
      o.kind = Occurrence::Kind::kImport;
      o.span = imp.span;
      // `import "x"`: the string is at the end of the statement.
      std::string_view text = comp_.sources.Text(imp.span);
      size_t q = text.find('"');
      if (q != std::string_view::npos) o.span.begin += static_cast<uint32_t>(q);
      while (o.span.end > o.span.begin && text.size() > 0 && text.back() != '"') {
        text.remove_suffix(1);
        --o.span.end;
      }
      o.name = imp.path;
      o.target = Resolve(f.file, imp.path);
      o.key = "i" + std::string(1, kSep) + o.target;
      index_.occurrences.push_back(std::move(o));
    }
    for (const ast::Template* t : f.templates) {
      Add(Occurrence::Kind::kTemplate, t->name, TemplateKey(t), true);
      Kind(f.file, t->kind);
      for (const ast::Output& out : t->body.outputs) {
        if (out.name) {
          Add(Occurrence::Kind::kStream, *out.name, TemplateKey(t) + kSep + out.name->text, true, "", t->name.text);
        }
      }
      Config(t->body.config);
    }
    for (const ast::Topology* topo : f.topologies) {
      Config(topo->config);
      std::string tk = TopologyKey(topo);
      std::unordered_map<std::string, const ast::Component*> by_id;
      for (const ast::Component* c : topo->components) by_id.emplace(c->id.text, c);
      for (const ast::Component* c : topo->components) {
        std::string ck = "c" + std::string(1, kSep) + tk + kSep + c->id.text;
        Add(Occurrence::Kind::kComponent, c->id, ck, true, topo->name.text);
        Kind(f.file, c->kind);
        for (const ast::Output& out : c->body.outputs) {
          if (out.name) {
            Add(Occurrence::Kind::kStream, *out.name, ck + kSep + out.name->text, true, topo->name.text,
                c->id.text);
          }
        }
        for (const ast::Input& in : c->body.inputs) {
          // An input names a component of its own topology: the same key as that
          // component's declaration, found or not (rename then fixes every use).
          std::string sk = "c" + std::string(1, kSep) + tk + kSep + in.source.text;
          Add(Occurrence::Kind::kComponent, in.source, sk, false, topo->name.text);
          if (in.stream) {
            auto it = by_id.find(in.source.text);
            std::string key = sk + kSep + in.stream->text;
            if (it != by_id.end()) key = StreamKey(*it->second, sk, in.stream->text);
            Add(Occurrence::Kind::kStream, *in.stream, key, false, topo->name.text, in.source.text);
          }
        }
        Config(c->body.config);
      }
    }
  }

  void Kind(FileId file, const ast::ComponentKind& kind) {
    if (kind.tag != ast::ComponentKind::Tag::kTemplate) return;
    const ast::Template* t = FindTemplate(comp_, file, kind.template_name.text);
    std::string key = t ? TemplateKey(t) : "t" + std::string(1, kSep) + "?" + kind.template_name.text;
    Add(Occurrence::Kind::kTemplate, kind.template_name, key, false);
  }

  // The key of stream `stream` of component `c`: declared in its body, or
  // in its template chain.
  std::string StreamKey(const ast::Component& c, const std::string& component_key, const std::string& stream) {
    for (const ast::Output& out : c.body.outputs) {
      if (out.name && out.name->text == stream) return component_key + kSep + stream;
    }
    const ast::ComponentKind* kind = &c.kind;
    FileId file = c.span.file;
    // Bounded: a template cycle (reported by sema) must not loop here.
    for (int depth = 0; depth < 32 && kind->tag == ast::ComponentKind::Tag::kTemplate; ++depth) {
      const ast::Template* t = FindTemplate(comp_, file, kind->template_name.text);
      if (!t) break;
      for (const ast::Output& out : t->body.outputs) {
        if (out.name && out.name->text == stream) return TemplateKey(t) + kSep + stream;
      }
      kind = &t->kind;
      file = t->file;
    }
    return component_key + kSep + stream;
  }

  // The file `import` names, resolved as the loader does, by the loaded
  // files' paths.
  std::string Resolve(FileId from, const std::string& import) {
    std::error_code ec;
    fs::path dir = fs::path(comp_.sources.Path(from)).parent_path();
    std::vector<fs::path> candidates = {fs::path(import).is_absolute() ? fs::path(import) : dir / import};
    // Resolved beside the importing file or in the built-in stdlib only:
    // --stdlib and TOPOC_PATH folders are not searched (no target then).
    fs::path builtin = driver::BuiltinStdlibDir();
    if (!builtin.empty()) candidates.push_back(builtin / import);
    for (const fs::path& c : candidates) {
      if (fs::is_regular_file(c, ec)) return fs::weakly_canonical(fs::absolute(c, ec), ec).string();
    }
    return "";
  }

  const driver::Compilation& comp_;
  Index index_;
};

bool Covers(Span s, FileId file, uint32_t offset) {
  // The end is included: a cursor just after a name (where editors put it
  // after typing) still names it.
  return s.file == file && s.begin <= offset && offset <= s.end;
}

}  // namespace

const ast::Template* FindTemplate(const driver::Compilation& comp, FileId from, const std::string& name) {
  const ast::Template* found = nullptr;
  for (const ast::File* f : comp.ast_files) {
    for (const ast::Template* t : f->templates) {
      if (t->name.text != name) continue;
      if (f->file == from) return t;
      if (!found) found = t;
    }
  }
  return found;
}

const Occurrence* Index::At(FileId file, uint32_t offset) const {
  for (const Occurrence& o : occurrences) {
    if (Covers(o.span, file, offset)) return &o;
  }
  return nullptr;
}

const ConfigKeyRef* Index::ConfigKeyAt(FileId file, uint32_t offset) const {
  for (const ConfigKeyRef& c : config_keys) {
    if (Covers(c.span, file, offset)) return &c;
  }
  return nullptr;
}

std::vector<const Occurrence*> Index::WithKey(const std::string& key) const {
  std::vector<const Occurrence*> out;
  for (const Occurrence& o : occurrences) {
    if (o.key == key && o.definition) out.push_back(&o);
  }
  for (const Occurrence& o : occurrences) {
    if (o.key == key && !o.definition) out.push_back(&o);
  }
  return out;
}

const Occurrence* Index::DefinitionOf(const std::string& key) const {
  for (const Occurrence& o : occurrences) {
    if (o.key == key && o.definition) return &o;
  }
  return nullptr;
}

Index BuildIndex(const driver::Compilation& comp) { return Builder(comp).Build(); }

}  // namespace topoc::lsp
