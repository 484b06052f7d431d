//===- Target.cpp - Target annotations -----------------------------------===//

#include "inhibitor/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/TargetParser/Host.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORSETTARGETCPU
#include "inhibitor/Transforms/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;

namespace {
struct SetTargetCpuPass
    : inhibitor::impl::InhibitorSetTargetCpuBase<SetTargetCpuPass> {
  using Base::Base;
  void runOnOperation() override {
    std::string name =
        cpu == "host" ? llvm::sys::getHostCPUName().str() : std::string(cpu);
    StringAttr attr = StringAttr::get(&getContext(), name);
    getOperation()->walk(
        [&](LLVM::LLVMFuncOp func) { func.setTargetCpuAttr(attr); });
  }
};

} // namespace
