//===- SetTargetCPU.cpp - The target CPU of every llvm.func -------------===//

#include "inhibitor/Codegen/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/X86TargetParser.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORSETTARGETCPU
#include "inhibitor/Codegen/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;

namespace {
struct SetTargetCPUPass
    : inhibitor::impl::InhibitorSetTargetCPUBase<SetTargetCPUPass> {
  using Base::Base;
  void runOnOperation() override {
    std::string name =
        cpu == "host" ? llvm::sys::getHostCPUName().str() : std::string(cpu);
    StringAttr attr = StringAttr::get(&getContext(), name);
    // A named x86 CPU also fixes the functions' features to its own: LLVM
    // takes a function's features from its "target-features" where there
    // is one and otherwise from the target machine, so without them a
    // compile with -march=native (or a JIT) on a newer host added the
    // host's features to the named CPU's (znver3 code with AVX-512VL and
    // VNNI on a Zen 5 host, which a Zen 3 cannot run). The host keeps the
    // target machine's.
    LLVM::TargetFeaturesAttr features;
    if (cpu != "host" && llvm::X86::parseArchX86(name) != llvm::X86::CK_None) {
      SmallVector<StringRef> list;
      llvm::X86::getFeaturesForCPU(name, list, /*NeedPlus=*/true);
      features = LLVM::TargetFeaturesAttr::get(&getContext(), list);
    }
    getOperation()->walk([&](LLVM::LLVMFuncOp func) {
      func.setTargetCpuAttr(attr);
      if (features)
        func.setTargetFeaturesAttr(features);
    });
  }
};

} // namespace
