//===- FHECost.cpp - What a TFHE compiler would execute -------------------===//
//
// --inhibitor-fhe-cost: counts, per function and op, the programmable
// bootstraps (by input bit width), ciphertext products and additions that a
// TFHE compiler such as Concrete would execute, with the PBS and
// multiplicative depth and a time estimate from published bootstrap timings.
// The model and its sources are in docs/FHE.md.
//
//===----------------------------------------------------------------------===//

#include "FHECostModel.h"
#include "inhibitor/Analysis/Passes.h"
#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/ToolOutputFile.h"

#include <map>

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORFHECOST
#include "inhibitor/Analysis/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;
using namespace mlir::inhibitor;
using namespace mlir::inhibitor::fhe;

static bool hasStaticShapes(Operation *op) {
  auto isStatic = [](Type t) {
    auto s = dyn_cast<ShapedType>(t);
    return !s || s.hasStaticShape();
  };
  return llvm::all_of(op->getOperandTypes(), isStatic) &&
         llvm::all_of(op->getResultTypes(), isStatic);
}

static std::string locationString(Location loc) {
  if (auto fl = dyn_cast<FileLineColLoc>(loc))
    return llvm::formatv("{0}:{1}:{2}", fl.getFilename().getValue(),
                         fl.getLine(), fl.getColumn())
        .str();
  if (auto nl = dyn_cast<NameLoc>(loc))
    return nl.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    if (!fused.getLocations().empty())
      return locationString(fused.getLocations().front());
  if (auto cs = dyn_cast<CallSiteLoc>(loc))
    return locationString(cs.getCallee());
  return "unknown";
}

LogicalResult FunctionCoster::run(func::FuncOp func, FunctionReport &report) {
  report.name = func.getSymName().str();
  if (func.isExternal())
    return success();
  if (!func.getBody().hasOneBlock())
    return func.emitError("inhibitor-fhe-cost: control flow is not costed; "
                          "a TFHE circuit is straight-line code");
  for (BlockArgument arg : func.getArguments())
    infos[arg] = inferRangeFromTypesAndShapes(arg.getType(), opts);

  for (Operation &op : func.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (Value v : ret.getOperands()) {
        ValueInfo i = getInfo(v);
        report.total.pbsDepth = std::max(report.total.pbsDepth, i.pbsDepth);
        report.total.pathSeconds =
            std::max(report.total.pathSeconds, i.pathSeconds);
        report.total.mulDepth = std::max(report.total.mulDepth, i.mulDepth);
      }
      continue;
    }
    Attribute attr;
    if (op.getNumResults() == 1 &&
        matchPattern(op.getResult(0), m_Constant(&attr))) {
      infos[op.getResult(0)] = getInfo(op.getResult(0));
      continue;
    }
    bool anyEncrypted = llvm::any_of(
        op.getOperands(), [&](Value v) { return getInfo(v).encrypted; });
    if (!anyEncrypted && op.getNumRegions() == 0 &&
        !isa<linalg::LinalgOp>(op)) {
      // Cleartext work (sizes, masks): free, known-or-public values.
      ValueInfo clear;
      clear.isStatic = llvm::all_of(
          op.getOperands(), [&](Value v) { return getInfo(v).isStatic; });
      setResults(&op, clear);
      continue;
    }
    if (!hasStaticShapes(&op))
      return op.emitError("inhibitor-fhe-cost: dynamic shape; a TFHE circuit "
                          "has static shapes");
    OpReport line;
    line.name = op.getName().getStringRef().str();
    line.loc = locationString(op.getLoc());
    if (failed(costOp(&op, line.cost)))
      return failure();
    if (op.getNumResults()) {
      ValueInfo r = getInfo(op.getResult(0));
      line.cost.pbsDepth = r.pbsDepth;
      line.cost.pathSeconds = r.pathSeconds;
      line.cost.mulDepth = r.mulDepth;
    }
    if (line.cost.empty())
      continue;
    for (const PBSEntry &e : line.cost.pbs)
      line.seconds += static_cast<double>(e.count) * pbsSeconds(e.bits);
    report.total.add(line.cost);
    report.seconds += line.seconds;
    report.ops.push_back(std::move(line));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// The report
//===----------------------------------------------------------------------===//

static std::string bitsSummary(const Cost &c) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "[";
  bool first = true;
  for (auto [bits, n] : c.byBits()) {
    os << (first ? "" : " ") << bits << "b:" << n;
    first = false;
  }
  os << "]";
  return s;
}

static void printCostLine(llvm::raw_ostream &os, const Cost &c,
                          double seconds) {
  os << "pbs " << c.pbsTotal() << " " << bitsSummary(c) << " ct-ct "
     << c.ctctMul << " ct-clear " << c.ctClearMul << " add " << c.additions
     << " depth " << c.pbsDepth << "/" << c.mulDepth << " max-bits "
     << c.maxBits() << " time " << llvm::formatv("{0:e3}", seconds)
     << " s path " << llvm::formatv("{0:e3}", c.pathSeconds) << " s\n";
  for (auto &[kind, bits] : c.byKind()) {
    os << "      " << kind << ":";
    for (auto [b, n] : bits)
      os << " " << n << "x" << b << "b";
    os << "\n";
  }
}

/// Concrete's programmable bootstrap takes inputs of at most 16 bits.
static constexpr unsigned kConcreteMaxLookupBits = 16;

static uint64_t lookupsOverConcreteLimit(const Cost &c) {
  uint64_t n = 0;
  for (auto [bits, count] : c.byBits())
    if (bits > kConcreteMaxLookupBits)
      n += count;
  return n;
}

static void printText(llvm::raw_ostream &os, ArrayRef<FunctionReport> funcs,
                      StringRef model) {
  for (const FunctionReport &f : funcs) {
    os << "fhe-cost @" << f.name << " (model " << model << ")\n";
    for (const OpReport &op : f.ops) {
      os << "  " << op.name << " at " << op.loc << ": ";
      printCostLine(os, op.cost, op.seconds);
    }
    os << "  total: ";
    printCostLine(os, f.total, f.seconds);
    if (uint64_t over = lookupsOverConcreteLimit(f.total))
      os << "  note: " << over << " lookups wider than "
         << kConcreteMaxLookupBits
         << " bits, beyond Concrete's bootstrap (their time is extrapolated; "
            "round-to-bits prices rounding them first)\n";
  }
}

static llvm::json::Object costToJSON(const Cost &c, double seconds) {
  llvm::json::Object bits, kinds;
  for (auto [b, n] : c.byBits())
    bits[std::to_string(b)] = static_cast<int64_t>(n);
  for (auto &[kind, m] : c.byKind()) {
    llvm::json::Object k;
    for (auto [b, n] : m)
      k[std::to_string(b)] = static_cast<int64_t>(n);
    kinds[kind] = std::move(k);
  }
  return llvm::json::Object{
      {"pbs", static_cast<int64_t>(c.pbsTotal())},
      {"pbs_by_bits", std::move(bits)},
      {"pbs_by_kind", std::move(kinds)},
      {"ct_ct_mul", static_cast<int64_t>(c.ctctMul)},
      {"ct_clear_mul", static_cast<int64_t>(c.ctClearMul)},
      {"additions", static_cast<int64_t>(c.additions)},
      {"pbs_depth", c.pbsDepth},
      {"mul_depth", c.mulDepth},
      {"max_bits", static_cast<int64_t>(c.maxBits())},
      {"seconds", seconds},
      {"path_seconds", c.pathSeconds}};
}

static void printJSON(llvm::raw_ostream &os, ArrayRef<FunctionReport> funcs,
                      const CostOptions &opts, StringRef model) {
  llvm::json::Array fs;
  for (const FunctionReport &f : funcs) {
    llvm::json::Array ops;
    for (const OpReport &op : f.ops) {
      llvm::json::Object o = costToJSON(op.cost, op.seconds);
      o["op"] = op.name;
      o["loc"] = op.loc;
      ops.push_back(std::move(o));
    }
    llvm::json::Object total = costToJSON(f.total, f.seconds);
    total["lookups_over_16_bits"] =
        static_cast<int64_t>(lookupsOverConcreteLimit(f.total));
    fs.push_back(llvm::json::Object{{"name", f.name},
                                    {"ops", std::move(ops)},
                                    {"total", std::move(total)}});
  }
  llvm::json::Object root{
      {"model", model},
      {"input_bits", static_cast<int64_t>(opts.inputBits)},
      {"unsigned_inputs", opts.unsignedInputs},
      {"activation_bits", static_cast<int64_t>(opts.activationBits)},
      {"round_to_bits", static_cast<int64_t>(opts.roundToBits)},
      {"functions", std::move(fs)}};
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace {
struct InhibitorFHECostPass
    : public inhibitor::impl::InhibitorFHECostBase<InhibitorFHECostPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    double (*pbsSeconds)(unsigned) = nullptr;
    if (model == "concrete")
      pbsSeconds = concretePBSSeconds;
    else if (model == "tfhe-rs")
      pbsSeconds = tfhersPBSSeconds;
    else {
      module.emitError("inhibitor-fhe-cost: unknown model '")
          << std::string(model) << "' (expected 'concrete' or 'tfhe-rs')";
      return signalPassFailure();
    }
    if (activationBits < 1 || activationBits > 32 || inputBits > 32) {
      module.emitError("inhibitor-fhe-cost: input-bits and activation-bits "
                       "must be in [1, 32] (input-bits 0: from the type)");
      return signalPassFailure();
    }
    if (roundToBits == 1) {
      module.emitError("inhibitor-fhe-cost: round-to-bits must be 0 (off) "
                       "or at least 2");
      return signalPassFailure();
    }
    CostOptions opts{inputBits, activationBits, roundToBits, unsignedInputs,
                     pbsSeconds};

    std::vector<FunctionReport> reports;
    for (auto func : module.getOps<func::FuncOp>()) {
      FunctionCoster coster(opts, pbsSeconds);
      FunctionReport report;
      if (failed(coster.run(func, report)))
        return signalPassFailure();
      if (!func.isExternal())
        reports.push_back(std::move(report));
    }

    std::string error;
    std::unique_ptr<llvm::ToolOutputFile> out =
        openOutputFile(outputFile, &error);
    if (!out) {
      module.emitError("inhibitor-fhe-cost: ") << error;
      return signalPassFailure();
    }
    if (json)
      printJSON(out->os(), reports, opts, model);
    else
      printText(out->os(), reports, model);
    out->keep();
    markAllAnalysesPreserved();
  }
};
} // namespace
