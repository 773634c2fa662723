#include "cli/quickstart_files.h"

#include "import/topo_writer.h"

namespace topoc::cli {
namespace {

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// Replaces every "{{name}}" in `text` with `name`.
std::string Substitute(std::string_view text, std::string_view name) {
  constexpr std::string_view kHole = "{{name}}";
  std::string out;
  out.reserve(text.size() + 64);
  size_t pos = 0;
  while (true) {
    size_t hit = text.find(kHole, pos);
    if (hit == std::string_view::npos) break;
    out.append(text.substr(pos, hit - pos));
    out.append(name);
    pos = hit + kHole.size();
  }
  out.append(text.substr(pos));
  return out;
}

constexpr std::string_view kGitignore = R"(_build/
logs/
*.pyc
__pycache__/
)";

constexpr std::string_view kConfigJson = R"({
    "library": "",
    "topology_specs": "topologies/",
    "virtualenv_specs": "virtualenvs/",
    "envs": {
        "prod": {
            "user": "storm",
            "nimbus": "storm1.my-cluster.com",
            "workers": [
                "storm1.my-cluster.com",
                "storm2.my-cluster.com",
                "storm3.my-cluster.com"
            ],
            "log": {
                "path": "/var/log/storm/streamparse",
                "max_bytes": 1000000,
                "backup_count": 10,
                "level": "info"
            },
            "virtualenv_root": "/data/virtualenvs/"
        }
    }
}
)";

constexpr std::string_view kReadme = R"(# {{name}}

A Storm topology written with topoc: the topology is declared in
`topologies/{{name}}.topo`, its spouts and bolts are Python classes under `src/`
that use streamparse's API (`streamparse.spout.Spout`, `streamparse.bolt.Bolt`).

| file / folder | contents |
| --- | --- |
| `config.json` | settings for all topologies, and the environments (`envs`) to submit to |
| `topologies/` | topology definitions, one or more per `.topo` file |
| `src/` | Python source of the spouts and bolts (and any shell components) |
| `virtualenvs/` | pip requirements per topology, installed on the Storm workers |
| `tests/` | tests of the spouts and bolts, run without Storm by `topoc test` |

## Try it

```sh
topoc check          # check every topology under topologies/
topoc run            # run {{name}} locally, no JVM needed; logs go to logs/
topoc run --debug    # the same, with the components logging at debug level
topoc test           # the tests under tests/ (pytest if installed, else unittest)
```

## Deploy

Fill in the `prod` environment of `config.json` (user, Nimbus host, worker
hosts, log settings, virtualenv root), then:

```sh
topoc submit --environment prod
```

This builds a virtualenv from `virtualenvs/{{name}}.txt` on every worker, packs
`src/` into the topology jar and submits `{{name}}` to Nimbus.
)";

constexpr std::string_view kTopology = R"(// topologies/{{name}}.topo: words from a spout, counted by a bolt.
topology {{topology_id}} {
    config {
        topology.workers: 2
        topology.message.timeout.secs: 30
    }

    spout word-spout = python "spouts.words.WordSpout" {
        output (word)
    }

    bolt count-bolt = python "bolts.wordcount.WordCounter" {
        input word-spout shuffle
        output (word, count)
        parallelism 2
    }
}
)";

constexpr std::string_view kWordsPy = R"(import itertools

from streamparse.spout import Spout


class WordSpout(Spout):
    """Emits the same few words, one per tuple, forever."""

    def initialize(self, stormconf, context):
        self.words = itertools.cycle(["dog", "cat", "zebra", "elephant"])

    def next_tuple(self):
        word = next(self.words)
        self.emit([word])
)";

constexpr std::string_view kWordcountPy = R"(from collections import Counter

from streamparse.bolt import Bolt


class WordCounter(Bolt):
    """Counts the words it receives and emits each word's running count."""

    def initialize(self, conf, ctx):
        self.counts = Counter()

    def process(self, tup):
        word = tup.values[0]
        self.counts[word] += 1
        self.emit([word, self.counts[word]])
        self.log("%s: %d" % (word, self.counts[word]))
)";

constexpr std::string_view kTestPy = R"("""Tests of the spout and bolt, without Storm: `topoc test` runs them.

streamparse.testing runs a component in this process and records what it
sends to Storm (emits, acks, fails, logs); see topoc's docs/testing.md.
"""
import unittest

from streamparse.testing import BoltTester, Emit, SpoutTester

from bolts.wordcount import WordCounter
from spouts.words import WordSpout


class WordCounterTest(unittest.TestCase):
    def test_counts_each_word(self):
        bolt = BoltTester(WordCounter)
        self.assertEqual(bolt.process(["dog"]), [["dog", 1]])
        bolt.process(["cat"])
        # Emits are anchored to the tuple being processed, which is acked.
        self.assertEqual(bolt.process(["dog"], id="t3"),
                         [Emit(["dog", 2], anchors=["t3"])])
        self.assertEqual(bolt.acked, ["t1", "t2", "t3"])
        self.assertEqual(bolt.logs[-1], ("info", "dog: 2"))


class WordSpoutTest(unittest.TestCase):
    def test_cycles_through_its_words(self):
        spout = SpoutTester(WordSpout)
        self.assertEqual(spout.next_tuple(5),
                         [["dog"], ["cat"], ["zebra"], ["elephant"], ["dog"]])


if __name__ == "__main__":
    unittest.main()
)";

constexpr std::string_view kVirtualenv = R"(# pip requirements of the {{name}} topology's spouts and bolts, one per line.
# `topoc submit` installs them into <virtualenv_root>/{{name}} on every worker.
# The streamparse runtime itself ships inside the topology jar.
)";

// `name` as a Python module name: '-' becomes '_'.
std::string PythonIdentifier(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c == '-') c = '_';
  }
  return out;
}

}  // namespace

std::optional<std::string> InvalidProjectNameReason(std::string_view name) {
  if (name.empty()) return "it is empty";
  for (char c : std::string_view("/.:\\")) {
    if (name.find(c) != std::string_view::npos) {
      return std::string("it contains '") + c + "', which Storm refuses in topology names";
    }
  }
  char first = name.front();
  if (!IsAsciiLetter(first) && first != '_') {
    return "it must start with a letter or '_' to be a .topo identifier";
  }
  for (char c : name) {
    if (!IsAsciiLetter(c) && !IsAsciiDigit(c) && c != '_' && c != '-') {
      unsigned char u = static_cast<unsigned char>(c);
      if (u < 0x20 || u >= 0x7f) {
        return "it contains a character that is not a letter, digit, '_' or '-'";
      }
      return std::string("it contains '") + c +
             "'; a .topo identifier has only letters, digits, '_' and '-'";
    }
  }
  return std::nullopt;
}

std::vector<QuickstartFile> RenderQuickstartFiles(std::string_view name) {
  // A project named like a keyword gets its topology id written quoted.
  std::string topology_id = import::TopoName(name);
  std::string topology = Substitute(kTopology, name);
  // {{topology_id}} is not a {{name}} hole: fill it separately.
  constexpr std::string_view kIdHole = "{{topology_id}}";
  topology.replace(topology.find(kIdHole), kIdHole.size(), topology_id);

  std::string n(name);
  return {
      {".gitignore", std::string(kGitignore)},
      {"config.json", std::string(kConfigJson)},
      {"README.md", Substitute(kReadme, name)},
      {"src/bolts/__init__.py", ""},
      {"src/bolts/wordcount.py", std::string(kWordcountPy)},
      {"src/spouts/__init__.py", ""},
      {"src/spouts/words.py", std::string(kWordsPy)},
      {"tests/test_" + PythonIdentifier(name) + ".py", std::string(kTestPy)},
      {"topologies/" + n + ".topo", std::move(topology)},
      {"virtualenvs/" + n + ".txt", Substitute(kVirtualenv, name)},
  };
}

}  // namespace topoc::cli
