//===- ParseFuzzer.cpp - Fuzz the parser and verifiers with our dialect ---===//
//
// Arbitrary bytes as MLIR text: parse (with every upstream dialect and
// inhibitor registered), verify. Never a crash; an error is fine. What
// parses and verifies must print and parse back to the same text
// (round trip), which checks our custom assembly (the ops' optional
// keywords, mask group and constants).
//
//===----------------------------------------------------------------------===//

#include "FuzzCommon.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

using namespace mlir;

static std::string print(Operation *op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  op->print(os, OpPrintingFlags().printGenericOpForm(false));
  return text;
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
  ParserConfig config(&ctx, /*verifyAfterParse=*/true);
  OwningOpRef<Operation *> op = parseSourceString(input, config);
  if (!op)
    return 0;
  // Round trip only what contains our ops: upstream's printers are not
  // ours to fuzz here.
  bool ours = false;
  op->walk([&](Operation *nested) {
    ours |= nested->getDialect() &&
            nested->getDialect()->getNamespace() == "inhibitor";
  });
  if (!ours)
    return 0;
  std::string printed = print(*op);
  OwningOpRef<Operation *> again = parseSourceString(printed, config);
  if (!again)
    inhibitor_fuzz::finding("printed form does not parse back", printed,
                            diags.str());
  if (print(*again) != printed)
    inhibitor_fuzz::finding("round trip changed the printed form", printed,
                            diags.str());
  return 0;
}
