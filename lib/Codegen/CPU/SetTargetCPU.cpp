//===- SetTargetCPU.cpp - The target CPU of every llvm.func -------------===//

#include "inhibitor/Codegen/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/TargetParser/Host.h"

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
    getOperation()->walk(
        [&](LLVM::LLVMFuncOp func) { func.setTargetCpuAttr(attr); });
  }
};

} // namespace
