#include "compiler/parse/antlr_errors.h"

#include <cctype>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "TopoLexer.h"

namespace topoc::parse {

using gen::TopoLexer;

std::string DescribeToken(const antlr4::Token* t) {
  if (!t || t->getType() == antlr4::Token::EOF) return "end of file";
  std::string text = t->getText();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return "'" + text + "'";
}

// Names of expected tokens, in the words of the language reference.
std::string DescribeExpected(const antlr4::misc::IntervalSet& set, const antlr4::dfa::Vocabulary& vocab) {
  std::vector<std::string> names;
  // Where an id is expected every keyword is one too (they are
  // contextual): "identifier" says it.
  const bool id_expected = set.contains(static_cast<size_t>(TopoLexer::ID));
  for (ssize_t type : set.toList()) {
    std::string name;
    if (id_expected && type != TopoLexer::ID) {
      std::string lit = vocab.getLiteralName(type);
      if (lit.size() > 2 && std::isalpha(static_cast<unsigned char>(lit[1]))) continue;
    }
    if (type == static_cast<ssize_t>(antlr4::Token::EOF)) name = "end of file";
    else if (type == TopoLexer::ID) name = "identifier";
    else if (type == TopoLexer::STRING) name = "string";
    else if (type == TopoLexer::INT) name = "integer";
    else if (type == TopoLexer::LONG) name = "long";
    else if (type == TopoLexer::FLOAT) name = "number";
    else name = vocab.getLiteralName(type);
    if (name.empty()) name = vocab.getDisplayName(type);
    names.push_back(name);
  }
  if (names.empty()) return {};
  std::string out;
  const size_t kMax = 12;
  for (size_t i = 0; i < names.size() && i < kMax; ++i) {
    if (i > 0) out += (i + 1 == names.size()) ? " or " : ", ";
    out += names[i];
  }
  if (names.size() > kMax) out += fmt::format(" (or {} more)", names.size() - kMax);
  return out;
}

namespace {

// A cache key: an ATN state and the invoking states of the rule invocation
// stack from `ctx` down (the start rule's own context included or not, as
// the lookahead that is cached sees it).
const std::vector<uint32_t>& StackKey(size_t state, antlr4::RuleContext* ctx, bool with_start_rule) {
  thread_local std::vector<uint32_t> key;
  key.clear();
  key.push_back(static_cast<uint32_t>(state));
  for (antlr4::RuleContext* c = ctx; c != nullptr && (with_start_rule || c->parent != nullptr);
       c = static_cast<antlr4::RuleContext*>(c->parent)) {
    key.push_back(static_cast<uint32_t>(c->invokingState));
  }
  return key;
}

struct StackKeyHash {
  size_t operator()(const std::vector<uint32_t>& key) const {
    size_t h = 14695981039346656037ull;  // FNV-1a
    for (uint32_t v : key) h = (h ^ v) * 1099511628211ull;
    return h;
  }
};

// Per-thread caches, bounded: stacks vary with nesting.
template <typename V>
using StackCache = std::unordered_map<std::vector<uint32_t>, V, StackKeyHash>;
constexpr size_t kMaxCached = 4096;

// atn.nextTokens(state, ctx), remembered per thread: it depends only on the
// grammar's ATN, the state and the invoking states of the stack.
const antlr4::misc::IntervalSet& FollowOf(const antlr4::atn::ATN& atn, antlr4::atn::ATNState* state,
                                          antlr4::RuleContext* ctx) {
  thread_local StackCache<antlr4::misc::IntervalSet> cache;
  const auto& key = StackKey(state->stateNumber, ctx, false);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  if (cache.size() >= kMaxCached) cache.clear();
  return cache.emplace(key, atn.nextTokens(state, ctx)).first->second;
}

}  // namespace

// Like single-token insertion's set (ErrorStrategy), the tokens expected
// depend only on the ATN state and the invoking states of the rule
// invocation stack; computing and naming them was a good part of the cost
// of an error.
std::string ExpectedText(antlr4::Parser* parser) {
  thread_local StackCache<std::string> cache;
  const auto& key = StackKey(parser->getState(), parser->getContext(), true);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  std::string expected;
  try {
    expected = DescribeExpected(parser->getExpectedTokens(), parser->getVocabulary());
  } catch (...) {
    expected.clear();
  }
  if (cache.size() >= kMaxCached) cache.clear();
  return cache.emplace(key, std::move(expected)).first->second;
}

// ANTLR's default error recovery, two costs lighter, same decisions and
// same reports (the listener below computes its own message; of ANTLR's it
// reads only whether it starts with "missing "):
//  - the report methods hand the listener a fixed message instead of
//    building "mismatched input 'x' expecting {...}" (the expected set
//    printed, the text from the rule's start for "no viable alternative")
//    for each error, only to be thrown away;
//  - single-token insertion's lookahead set, the tokens that may follow the
//    next ATN state in the current rule invocation stack, is computed once
//    per (state, stack) and kept: ANTLR recomputes it, with a few dozen
//    allocations, at every error. It depends only on the grammar's ATN, the
//    state and the invoking states of the stack, which are the key.
// Error recovery was most of the time topoc spent on a file with errors,
// and so most of the fuzzer's (docs/fuzzing.md).
void ErrorStrategy::reportNoViableAlternative(antlr4::Parser* recognizer,
                                              const antlr4::NoViableAltException& e) {
  recognizer->notifyErrorListeners(e.getOffendingToken(), "no viable alternative", nullptr);
}

void ErrorStrategy::reportInputMismatch(antlr4::Parser* recognizer, const antlr4::InputMismatchException& e) {
  recognizer->notifyErrorListeners(e.getOffendingToken(), "mismatched input", nullptr);
}

void ErrorStrategy::reportUnwantedToken(antlr4::Parser* recognizer) {
  if (inErrorRecoveryMode(recognizer)) return;
  beginErrorCondition(recognizer);
  recognizer->notifyErrorListeners(recognizer->getCurrentToken(), "extraneous input", nullptr);
}

void ErrorStrategy::reportMissingToken(antlr4::Parser* recognizer) {
  if (inErrorRecoveryMode(recognizer)) return;
  beginErrorCondition(recognizer);
  recognizer->notifyErrorListeners(recognizer->getCurrentToken(), "missing token", nullptr);
}

bool ErrorStrategy::singleTokenInsertion(antlr4::Parser* recognizer) {
  size_t current = recognizer->getInputStream()->LA(1);
  const antlr4::atn::ATN& atn = recognizer->getATN();
  antlr4::atn::ATNState* next = atn.states[recognizer->getState()]->transitions[0]->target;
  if (!FollowOf(atn, next, recognizer->getContext()).contains(current)) return false;
  reportMissingToken(recognizer);
  return true;
}

}  // namespace topoc::parse
