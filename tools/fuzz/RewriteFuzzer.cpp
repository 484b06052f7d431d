//===- RewriteFuzzer.cpp - The attention rewrite on mutated graphs --------===//
//
// Inputs are MLIR text, seeded with dot-product attention graphs (linalg
// named form, torch-mlir's decomposed form, TOSA, masked and causal
// variants; tools/fuzz/corpus/rewrite). Besides libFuzzer's byte
// mutations, a custom mutator edits the graph as MLIR: it changes integer
// literals (dims, constants, attribute values), swaps an op for a sibling
// (addf/subf/mulf/maximumf, exp/log, reduce kinds), changes element types,
// or swaps two operands' names, so most mutants still parse and verify
// and reach the pattern matchers with almost-attention graphs.
//
// Each input that parses and verifies runs through
// --convert-attention-to-inhibitor (with random alpha/gamma/signed), the
// verifier after it, and --canonicalize. A finding: a crash, or the pass
// failing or producing invalid IR on valid input.
//
//===----------------------------------------------------------------------===//

#include "FuzzCommon.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include "llvm/ADT/StringExtras.h"

#include <climits>
#include <cstring>
#include <random>
#include <regex>

using namespace mlir;

extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize);

static const std::vector<std::vector<std::string>> &siblings() {
  static const std::vector<std::vector<std::string>> groups = {
      {"arith.addf", "arith.subf", "arith.mulf", "arith.maximumf",
       "arith.minimumf", "arith.divf"},
      {"arith.addi", "arith.subi", "arith.muli", "arith.maxsi", "arith.minsi"},
      {"math.exp", "math.log", "math.sqrt", "math.absf"},
      {"linalg.matmul", "linalg.batch_matmul", "linalg.matmul_transpose_b",
       "linalg.batch_matmul_transpose_b"},
      {"linalg.softmax", "linalg.map", "linalg.reduce"},
      {"tosa.matmul", "tosa.add", "tosa.sub", "tosa.mul"},
      {"tosa.exp", "tosa.reciprocal", "tosa.negate"},
      {"tosa.reduce_max", "tosa.reduce_sum", "tosa.reduce_min"},
      {"\"parallel\"", "\"reduction\""},
      {"f32", "f16", "bf16", "f64", "i8", "i32"},
      {"0xFF800000", "0x7F800000", "0.000000e+00", "-1.000000e+09"},
  };
  return groups;
}

/// One structural mutation of MLIR text; empty when none applied.
static std::string mutateText(const std::string &text, std::mt19937 &rng) {
  auto pickIndex = [&](size_t n) {
    return std::uniform_int_distribution<size_t>(0, n - 1)(rng);
  };
  switch (pickIndex(3)) {
  case 0: { // an integer literal
    static const std::regex number("\\b[0-9]+\\b");
    std::vector<std::pair<size_t, size_t>> spans;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), number);
         it != std::sregex_iterator(); ++it)
      spans.push_back({size_t(it->position()), size_t(it->length())});
    if (spans.empty())
      return "";
    auto [pos, len] = spans[pickIndex(spans.size())];
    static const char *const values[] = {"0", "1",  "2",  "3",   "7",
                                         "8", "16", "64", "128", "4294967296"};
    // strtoll saturates at LLONG_MAX; one more than that is spelled, not
    // computed (signed overflow, which UBSan reported here).
    std::string digits = text.substr(pos, len);
    long long old = std::strtoll(digits.c_str(), nullptr, 10);
    long long delta = pickIndex(2) ? 1 : -1;
    std::string repl = pickIndex(2) ? values[pickIndex(std::size(values))]
                       : (old == LLONG_MAX && delta > 0)
                           ? digits + "0"
                           : std::to_string(old + delta);
    return text.substr(0, pos) + repl + text.substr(pos + len);
  }
  case 1: { // an op or type for a sibling
    const auto &groups = siblings();
    for (int tries = 0; tries < 8; ++tries) {
      const auto &group = groups[pickIndex(groups.size())];
      std::vector<size_t> hits;
      for (const std::string &name : group)
        for (size_t p = text.find(name); p != std::string::npos;
             p = text.find(name, p + 1))
          hits.push_back(p);
      if (hits.empty())
        continue;
      size_t pos = hits[pickIndex(hits.size())];
      for (const std::string &name : group) {
        if (text.compare(pos, name.size(), name) != 0)
          continue;
        const std::string &repl = group[pickIndex(group.size())];
        return text.substr(0, pos) + repl + text.substr(pos + name.size());
      }
    }
    return "";
  }
  default: { // two SSA uses swapped
    static const std::regex ssa("%[A-Za-z0-9_]+");
    std::vector<std::pair<size_t, size_t>> spans;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), ssa);
         it != std::sregex_iterator(); ++it)
      spans.push_back({size_t(it->position()), size_t(it->length())});
    if (spans.size() < 2)
      return "";
    auto a = spans[pickIndex(spans.size())];
    auto b = spans[pickIndex(spans.size())];
    if (a.first == b.first)
      return "";
    if (a.first > b.first)
      std::swap(a, b);
    return text.substr(0, a.first) + text.substr(b.first, b.second) +
           text.substr(a.first + a.second, b.first - a.first - a.second) +
           text.substr(a.first, a.second) + text.substr(b.first + b.second);
  }
  }
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,
                                          size_t maxSize, unsigned seed) {
  std::mt19937 rng(seed);
  if (rng() % 4 == 0)
    return LLVMFuzzerMutate(data, size, maxSize);
  std::string text(reinterpret_cast<char *>(data), size);
  std::string mutated = mutateText(text, rng);
  if (mutated.empty() || mutated.size() > maxSize)
    return LLVMFuzzerMutate(data, size, maxSize);
  std::memcpy(data, mutated.data(), mutated.size());
  return mutated.size();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext &ctx = inhibitor_fuzz::context();
  // A NUL-terminated copy: MLIR's lexer reads up to a terminating NUL
  // (libFuzzer's buffer has none; reading it was a heap overflow ASan
  // reported in memchr below parseSourceString).
  std::string text(reinterpret_cast<const char *>(data), size);
  llvm::StringRef input(text);
  if (inhibitor_fuzz::skipsKnownUpstreamCrash(input))
    return 0;
  inhibitor_fuzz::Diagnostics diags(ctx);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(input, &ctx);
  if (!module)
    return 0;
  // Options from the input's hash, so that a saved crash reproduces.
  size_t h = llvm::hash_value(input);
  std::string pipeline =
      std::string("builtin.module(convert-attention-to-inhibitor{alpha=") +
      std::to_string(h % 3) + " gamma=" + std::to_string(1 + (h >> 2) % 8) +
      " signed=" + ((h >> 5) & 1 ? "true" : "false") + "},canonicalize)";
  PassManager pm(&ctx);
  pm.enableVerifier(true);
  if (failed(parsePassPipeline(pipeline, pm)))
    inhibitor_fuzz::finding("bad pipeline: " + pipeline, input, diags.str());
  if (failed(pm.run(*module)))
    inhibitor_fuzz::finding("the rewrite failed on valid input: " + pipeline,
                            input, diags.str());
  return 0;
}
