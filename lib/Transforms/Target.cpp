//===- Target.cpp - Target annotations and placeholders -------------------===//

#include "inhibitor/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/TargetParser/Host.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORSETTARGETCPU
#define GEN_PASS_DEF_INHIBITORNOTIMPLEMENTED
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

struct NotImplementedPass
    : inhibitor::impl::InhibitorNotImplementedBase<NotImplementedPass> {
  using Base::Base;
  void runOnOperation() override {
    getOperation()->emitError() << what << " is not implemented yet";
    signalPassFailure();
  }
};
} // namespace
