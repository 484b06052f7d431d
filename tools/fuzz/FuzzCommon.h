//===- FuzzCommon.h - Shared setup of the inhibitor fuzzers -----*- C++ -*-===//
//
// One MLIR context per fuzzer process (single-threaded, every upstream
// dialect and extension plus ours, every pass and pipeline registered),
// diagnostics swallowed unless INHIBITOR_FUZZ_VERBOSE is set, and the one
// way a fuzzer reports a finding: print what it was doing and abort, so
// libFuzzer saves the input as a crash.
//
//===----------------------------------------------------------------------===//

#ifndef INHIBITOR_TOOLS_FUZZ_FUZZCOMMON_H
#define INHIBITOR_TOOLS_FUZZ_FUZZCOMMON_H

#include "../InitInhibitorTool.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <string>

namespace inhibitor_fuzz {

/// The process-wide context of a fuzzer.
inline mlir::MLIRContext &context() {
  static mlir::MLIRContext *ctx = [] {
    mlir::inhibitor::registerToolPasses();
    mlir::DialectRegistry registry;
    mlir::inhibitor::registerToolDialectsForPasses(registry);
    auto *c =
        new mlir::MLIRContext(registry, mlir::MLIRContext::Threading::DISABLED);
    c->loadAllAvailableDialects();
    return c;
  }();
  return *ctx;
}

inline bool verbose() {
  static bool v = std::getenv("INHIBITOR_FUZZ_VERBOSE") != nullptr;
  return v;
}

/// Collects the diagnostics of one input (printed when verbose or when the
/// input turns out to be a finding).
class Diagnostics {
public:
  explicit Diagnostics(mlir::MLIRContext &ctx)
      : handler(&ctx, [this](mlir::Diagnostic &d) {
          llvm::raw_string_ostream os(text);
          os << d.getLocation() << ": " << d << "\n";
          if (verbose())
            llvm::errs() << d.getLocation() << ": " << d << "\n";
          return mlir::success();
        }) {}
  const std::string &str() const { return text; }

private:
  std::string text;
  mlir::ScopedDiagnosticHandler handler;
};

/// Inputs that reach a crash known to be upstream's, not ours, which the
/// fuzzers skip so that a bounded run looks for ours: libMLIR 22's
/// `linalg.transpose` parser dereferences a null attribute when its
/// `permutation = [...]` list does not parse
/// (test/Fuzz/upstream-linalg-transpose-parse.mlir pins the crash). Every
/// `permutation =` must be followed by a well-formed `[i, j, ...]`, with
/// only what MLIR's lexer skips as whitespace (space, tab, newline,
/// carriage return) between the tokens: a form feed or vertical tab there
/// (which `StringRef::ltrim` would skip) is a lexer error and the crash. And
/// MLIR's recursive-descent parser has no depth limit: thousands of nested
/// brackets (`((((...` in a type) overflow the stack, sooner under ASan; more
/// than 256 open brackets at once are skipped.
inline bool hitsKnownUpstreamCrash(llvm::StringRef input) {
  int depth = 0;
  for (char c : input) {
    if (c == '(' || c == '[' || c == '{' || c == '<')
      ++depth;
    else if (c == ')' || c == ']' || c == '}' || c == '>')
      depth = depth > 0 ? depth - 1 : 0;
    if (depth > 256)
      return true;
  }
  // What MLIR's lexer skips (mlir/lib/AsmParser/Lexer.cpp), nothing more.
  constexpr llvm::StringLiteral kLexerSpace(" \t\n\r");
  for (size_t at = input.find("permutation"); at != llvm::StringRef::npos;
       at = input.find("permutation", at + 1)) {
    llvm::StringRef rest =
        input.drop_front(at + sizeof("permutation") - 1).ltrim(kLexerSpace);
    if (!rest.consume_front("="))
      continue; // not the attribute (a name, a comment)
    // `[` then integers separated by commas, then `]` (or `[]`).
    rest = rest.ltrim(kLexerSpace);
    if (!rest.consume_front("["))
      return true;
    rest = rest.ltrim(kLexerSpace);
    if (rest.consume_front("]"))
      continue;
    while (true) {
      rest.consume_front("-");
      size_t digits = rest.find_first_not_of("0123456789");
      if (digits == 0 || digits > 18 || digits == llvm::StringRef::npos)
        return true; // not an integer, or not an i64
      rest = rest.drop_front(digits).ltrim(kLexerSpace);
      if (rest.consume_front("]"))
        break;
      if (!rest.consume_front(","))
        return true;
      rest = rest.ltrim(kLexerSpace);
    }
  }
  return false;
}

/// hitsKnownUpstreamCrash for the fuzzers' entry points; with
/// INHIBITOR_FUZZ_PRINT set, says on stderr whether the input was skipped
/// (test/Fuzz/fuzzer-known-crashes.test reads it).
inline bool skipsKnownUpstreamCrash(llvm::StringRef input) {
  bool skip = hitsKnownUpstreamCrash(input);
  static const bool print = std::getenv("INHIBITOR_FUZZ_PRINT") != nullptr;
  if (print)
    llvm::errs() << "inhibitor fuzz: "
                 << (skip ? "skipped (a known upstream crash)" : "input runs")
                 << "\n";
  return skip;
}

/// A finding: says what went wrong on which input, then aborts.
[[noreturn]] inline void finding(llvm::StringRef what, llvm::StringRef input,
                                 llvm::StringRef diagnostics) {
  llvm::errs() << "inhibitor fuzz finding: " << what << "\n--- input ---\n"
               << input << "\n--- diagnostics ---\n"
               << diagnostics << "\n";
  std::abort();
}

} // namespace inhibitor_fuzz

#endif // INHIBITOR_TOOLS_FUZZ_FUZZCOMMON_H
