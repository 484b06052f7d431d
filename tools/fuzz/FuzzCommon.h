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
    mlir::inhibitor::registerToolDialects(registry);
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
