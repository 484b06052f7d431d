//===- PipelineFuzzer.cpp - Valid modules of our ops through every pipeline
//===//
//
// Structure-aware: the input bytes drive a generator (FuzzedDataProvider) of
// a *valid* module of inhibitor ops -- manhattan_score, inhibit, attention
// or a score feeding an inhibit; 0-2 batch dims; every dim independently
// static or dynamic; every element type and accumulator the verifier
// accepts; gamma/alpha over their whole range; signed, causal, broadcast
// masks of any rank -- and the pipeline and options it goes through:
// --inhibitor-to-llvm (strategy, affine-tile, fusion, tiles, threads,
// vector bits, sad, run-time checks), --inhibitor-to-gpu (emulated, or
// real PTX), inhibitor-decompose + canonicalize, convert-inhibitor-to-
// linalg. The pass manager verifies after every pass (verify-each).
//
// A finding: a crash (libFuzzer), or a pipeline that fails on a module
// that verified (a valid module must compile); the module and the
// pipeline are printed. INHIBITOR_FUZZ_PRINT=1 prints every generated case.
//
//===----------------------------------------------------------------------===//

#include "FuzzCommon.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include "llvm/ADT/StringExtras.h"

#include <fuzzer/FuzzedDataProvider.h>

using namespace mlir;

namespace {
struct ElementTypes {
  const char *in, *acc, *value;
  bool isInt;
};

/// A generated case: module text and pass pipeline.
struct Generated {
  std::string module;
  std::string pipeline;
};

class Generator {
public:
  explicit Generator(FuzzedDataProvider &fdp) : fdp(fdp) {}

  Generated generate() {
    Generated g;
    g.module = module();
    g.pipeline = pipeline();
    return g;
  }

private:
  FuzzedDataProvider &fdp;

  template <size_t N> const char *pick(const char *const (&names)[N]) {
    return names[fdp.ConsumeIntegralInRange<size_t>(0, N - 1)];
  }

  static int bits(llvm::StringRef t) {
    unsigned w = 0;
    t.drop_front(t.starts_with("bf") ? 2 : 1).getAsInteger(10, w);
    return w;
  }

  ElementTypes types() {
    static const char *const ints[] = {"i8", "i16", "i32", "i64"};
    static const char *const floats[] = {"f16", "bf16", "f32", "f64"};
    bool isInt = fdp.ConsumeBool();
    if (isInt) {
      unsigned in = fdp.ConsumeIntegralInRange<unsigned>(0, 3);
      unsigned acc = fdp.ConsumeIntegralInRange<unsigned>(in, 3);
      unsigned value = fdp.ConsumeIntegralInRange<unsigned>(0, acc);
      return {ints[in], ints[acc], ints[value], true};
    }
    // f16 and bf16 do not cover each other; f32 and f64 cover both.
    unsigned in = fdp.ConsumeIntegralInRange<unsigned>(0, 3);
    static const unsigned accFrom[] = {0, 1, 2, 3};
    unsigned acc = fdp.ConsumeIntegralInRange<unsigned>(accFrom[in], 3);
    if (in == 0 && acc == 1)
      acc = 2;
    unsigned value = fdp.ConsumeIntegralInRange<unsigned>(0, acc);
    if (acc == 0 && value != 0)
      value = 0;
    if (acc == 1)
      value = 1;
    return {floats[in], floats[acc], floats[value], false};
  }

  /// A dim: its size and whether each use of it is dynamic.
  int64_t size() {
    static const int64_t sizes[] = {1,  2,  3,  5,  7,  8,   16, 17,
                                    31, 32, 33, 64, 65, 100, 129};
    return sizes[fdp.ConsumeIntegralInRange<size_t>(0, std::size(sizes) - 1)];
  }

  std::string tensor(llvm::ArrayRef<int64_t> shape, llvm::StringRef elt,
                     bool allowDynamic = true) {
    std::string s = "tensor<";
    for (int64_t d : shape)
      s += (allowDynamic && fdp.ConsumeIntegralInRange<int>(0, 3) == 0
                ? std::string("?")
                : std::to_string(d)) +
           "x";
    return s + elt.str() + ">";
  }

  std::string constant(const ElementTypes &t, bool gamma) {
    if (t.isInt) {
      int64_t max =
          bits(t.acc) >= 64 ? INT64_MAX : (int64_t(1) << (bits(t.acc) - 1)) - 1;
      int64_t v;
      switch (fdp.ConsumeIntegralInRange<int>(0, 3)) {
      case 0:
        v = gamma ? 1 : 0;
        break;
      case 1:
        v = max;
        break;
      case 2:
        v = fdp.ConsumeIntegralInRange<int64_t>(gamma ? 1 : 0, 9);
        break;
      default:
        v = fdp.ConsumeIntegralInRange<int64_t>(gamma ? 1 : 0, max);
      }
      return std::to_string(v) + " : " + t.acc;
    }
    static const char *const gammas[] = {"1.0", "0.5",     "3.0",
                                         "8.0", "1.0e-03", "6.0e+04"};
    static const char *const alphas[] = {"0.0", "0.5", "2.0", "1.0e+03"};
    return std::string(gamma ? pick(gammas) : pick(alphas)) + " : " + t.acc;
  }

  std::string attrs(const ElementTypes &t) {
    std::string s;
    if (fdp.ConsumeBool())
      s += "gamma = " + constant(t, true);
    if (fdp.ConsumeBool())
      s += std::string(s.empty() ? "" : ", ") + "alpha = " + constant(t, false);
    return s.empty() ? "" : "{" + s + "} ";
  }

  /// `%init = tensor.empty(...)` of `type` whose dynamic dims are read from
  /// `sources[i]` (an SSA name and its dim index).
  static std::string
  empty(llvm::StringRef name, llvm::StringRef type,
        llvm::ArrayRef<std::pair<std::string, int64_t>> sources,
        llvm::ArrayRef<std::string> sourceTypes, std::string &body,
        int &counter) {
    std::string operands;
    llvm::StringRef dims = llvm::StringRef(type).drop_front(7);
    llvm::SmallVector<llvm::StringRef> parts;
    dims.split(parts, 'x');
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
      if (parts[i] != "?")
        continue;
      std::string c = "%c" + std::to_string(counter++);
      std::string d = "%d" + std::to_string(counter++);
      body += "  " + c + " = arith.constant " +
              std::to_string(sources[i].second) + " : index\n";
      body += "  " + d + " = tensor.dim " + sources[i].first + ", " + c +
              " : " + sourceTypes[i] + "\n";
      operands += (operands.empty() ? "" : ", ") + d;
    }
    body += "  " + name.str() + " = tensor.empty(" + operands +
            ") : " + type.str() + "\n";
    return name.str();
  }

  std::string module() {
    ElementTypes t = types();
    int batchRank = fdp.ConsumeIntegralInRange<int>(0, 2);
    llvm::SmallVector<int64_t> batch;
    for (int i = 0; i < batchRank; ++i)
      batch.push_back(fdp.ConsumeIntegralInRange<int64_t>(1, 3));
    int64_t n = size(), m = size(), d = size(), e = size();
    auto shape = [&](int64_t rows, int64_t cols) {
      llvm::SmallVector<int64_t> s(batch);
      s.push_back(rows);
      s.push_back(cols);
      return s;
    };
    int kind = fdp.ConsumeIntegralInRange<int>(0, 3);
    std::string args, body;
    int counter = 0;
    std::string result;
    std::string resultType;
    auto srcs = [&](llvm::StringRef rowsSrc, int64_t rowsDim,
                    llvm::StringRef colsSrc, int64_t colsDim) {
      llvm::SmallVector<std::pair<std::string, int64_t>> s;
      for (int i = 0; i < batchRank; ++i)
        s.push_back({rowsSrc.str(), i});
      s.push_back({rowsSrc.str(), rowsDim});
      s.push_back({colsSrc.str(), colsDim});
      return s;
    };
    int r = batchRank + 2;
    if (kind == 0 || kind == 3) { // score (then inhibit)
      std::string qt = tensor(shape(n, d), t.in),
                  kt = tensor(shape(m, d), t.in);
      std::string zt = tensor(shape(n, m), t.acc);
      args = "%q: " + qt + ", %k: " + kt;
      llvm::SmallVector<std::string> types(batchRank + 1, qt);
      types.push_back(kt);
      empty("%zinit", zt, srcs("%q", r - 2, "%k", r - 2), types, body, counter);
      body += "  %z = inhibitor.manhattan_score " + attrs(t) +
              "ins(%q, %k : " + qt + ", " + kt + ") outs(%zinit : " + zt +
              ") -> " + zt + "\n";
      result = "%z";
      resultType = zt;
      if (kind == 3) {
        std::string vt = tensor(shape(m, e), t.value),
                    ht = tensor(shape(n, e), t.acc);
        args += ", %v: " + vt;
        llvm::SmallVector<std::string> htypes(batchRank + 1, zt);
        htypes.push_back(vt);
        empty("%hinit", ht, srcs("%z", r - 2, "%v", r - 1), htypes, body,
              counter);
        body += std::string("  %h = inhibitor.inhibit ") +
                (fdp.ConsumeBool() ? "signed " : "") + "ins(%v, %z : " + vt +
                ", " + zt + ") outs(%hinit : " + ht + ") -> " + ht + "\n";
        result = "%h";
        resultType = ht;
      }
    } else if (kind == 1) { // inhibit
      std::string vt = tensor(shape(m, e), t.value);
      // Z of any type of the accumulator's kind, at most as wide.
      std::string zt = tensor(shape(n, m), fdp.ConsumeBool() ? t.acc : t.value);
      std::string ht = tensor(shape(n, e), t.acc);
      args = "%v: " + vt + ", %z: " + zt;
      llvm::SmallVector<std::string> types(batchRank + 1, zt);
      types.push_back(vt);
      empty("%hinit", ht, srcs("%z", r - 2, "%v", r - 1), types, body, counter);
      body += std::string("  %h = inhibitor.inhibit ") +
              (fdp.ConsumeBool() ? "signed " : "") + "ins(%v, %z : " + vt +
              ", " + zt + ") outs(%hinit : " + ht + ") -> " + ht + "\n";
      result = "%h";
      resultType = ht;
    } else { // attention
      std::string qt = tensor(shape(n, d), t.in),
                  kt = tensor(shape(m, d), t.in);
      std::string vt = tensor(shape(m, e), t.value),
                  ht = tensor(shape(n, e), t.acc);
      args = "%q: " + qt + ", %k: " + kt + ", %v: " + vt;
      std::string mask;
      if (fdp.ConsumeBool()) {
        llvm::SmallVector<int64_t> full = shape(n, m);
        int rank = fdp.ConsumeIntegralInRange<int>(1, full.size());
        llvm::SmallVector<int64_t> ms;
        for (int i = full.size() - rank; i < int(full.size()); ++i)
          ms.push_back(fdp.ConsumeIntegralInRange<int>(0, 3) == 0 ? 1
                                                                  : full[i]);
        // A dynamic mask dim is read at the score's index (no broadcast).
        std::string mt = "tensor<";
        for (int64_t s : ms)
          mt += (s != 1 && fdp.ConsumeIntegralInRange<int>(0, 3) == 0
                     ? std::string("?")
                     : std::to_string(s)) +
                "x";
        mt += "i1>";
        args += ", %mask: " + mt;
        mask = " mask(%mask : " + mt + ")";
      }
      llvm::SmallVector<std::string> types(batchRank + 1, qt);
      types.push_back(vt);
      empty("%hinit", ht, srcs("%q", r - 2, "%v", r - 1), types, body, counter);
      std::string kw = std::string(fdp.ConsumeBool() ? "causal " : "") +
                       (fdp.ConsumeBool() ? "signed " : "");
      body += "  %h = inhibitor.attention " + kw + attrs(t) +
              "ins(%q, %k, %v : " + qt + ", " + kt + ", " + vt + ")" + mask +
              " outs(%hinit : " + ht + ") -> " + ht + "\n";
      result = "%h";
      resultType = ht;
    }
    std::string cIface =
        fdp.ConsumeBool() ? " attributes {llvm.emit_c_interface}" : "";
    return "func.func @kernel(" + args + ") -> " + resultType + cIface +
           " {\n" + body + "  return " + result + " : " + resultType + "\n}\n";
  }

  std::string pipeline() {
    switch (fdp.ConsumeIntegralInRange<int>(0, 5)) {
    case 0:
    case 1: {
      static const char *const strategies[] = {"linalg", "affine"};
      static const char *const sads[] = {"auto", "on", "off"};
      static const char *const widths[] = {"128", "256", "512"};
      std::string opts = std::string("strategy=") + pick(strategies);
      opts +=
          std::string(" affine-tile=") + (fdp.ConsumeBool() ? "true" : "false");
      opts += std::string(" fuse-attention=") +
              (fdp.ConsumeBool() ? "true" : "false");
      opts += " query-tile=" +
              std::to_string(fdp.ConsumeIntegralInRange<int>(1, 64));
      opts += " key-tile=" +
              std::to_string(fdp.ConsumeIntegralInRange<int>(1, 160));
      opts +=
          " threads=" + std::to_string(fdp.ConsumeIntegralInRange<int>(1, 4));
      opts += std::string(" vector-bits=") + pick(widths);
      opts += std::string(" sad=") + pick(sads);
      if (fdp.ConsumeBool())
        opts += " tile-sizes=" +
                std::to_string(fdp.ConsumeIntegralInRange<int>(1, 9)) + "," +
                std::to_string(fdp.ConsumeIntegralInRange<int>(1, 9)) + "," +
                std::to_string(fdp.ConsumeIntegralInRange<int>(0, 9));
      opts += " target-cpu=x86-64-v3";
      return "builtin.module(inhibitor-to-llvm{" + opts + "})";
    }
    case 2:
      return "builtin.module(inhibitor-to-gpu{emulate-on-cpu=true tile-sizes=" +
             std::to_string(fdp.ConsumeIntegralInRange<int>(1, 9)) + "," +
             std::to_string(fdp.ConsumeIntegralInRange<int>(1, 33)) +
             " reduction-tile=" +
             std::to_string(fdp.ConsumeIntegralInRange<int>(1, 40)) +
             " shared-memory=" + (fdp.ConsumeBool() ? "true" : "false") + "})";
    case 3:
      return std::string("builtin.module(inhibitor-to-gpu{shared-memory=") +
             (fdp.ConsumeBool() ? "true" : "false") + "})";
    case 4:
      return "builtin.module(inhibitor-decompose,canonicalize,inhibitor-to-"
             "llvm)";
    default:
      return std::string("builtin.module(func.func(convert-inhibitor-to-linalg{"
                         "fuse-attention=") +
             (fdp.ConsumeBool() ? "true" : "false") + " query-tile=" +
             std::to_string(fdp.ConsumeIntegralInRange<int>(1, 40)) +
             " key-tile=" +
             std::to_string(fdp.ConsumeIntegralInRange<int>(1, 40)) +
             "}),canonicalize)";
    }
  }
};
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext &ctx = inhibitor_fuzz::context();
  FuzzedDataProvider fdp(data, size);
  Generated g = Generator(fdp).generate();
  static bool printCases = std::getenv("INHIBITOR_FUZZ_PRINT") != nullptr;
  if (printCases)
    llvm::errs() << "// pipeline: " << g.pipeline << "\n" << g.module << "\n";
  inhibitor_fuzz::Diagnostics diags(ctx);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(g.module, &ctx);
  if (!module) // the generator's own mistake: not a finding about us
    inhibitor_fuzz::finding(
        "generator produced an invalid module (fix the generator)", g.module,
        diags.str());
  PassManager pm(&ctx);
  pm.enableVerifier(true);
  if (failed(parsePassPipeline(g.pipeline, pm)))
    inhibitor_fuzz::finding("bad pipeline (fix the generator): " + g.pipeline,
                            g.module, diags.str());
  if (failed(pm.run(*module)))
    inhibitor_fuzz::finding("pipeline failed on a valid module: " + g.pipeline,
                            g.module, diags.str());
  return 0;
}
