//===- InlineAllocaScopes.cpp - Inline stack-free alloca scopes ----------===//
//
// --inhibitor-inline-alloca-scopes: a memref.alloca_scope whose body
// allocates nothing on the stack is replaced by its body. Unlike upstream's
// canonicalization, a call is not a possible allocation: the callee's stack
// allocations end when it returns; nor is an `llvm.call_intrinsic` (no
// memory effects declared) other than `llvm.stack*`.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/Codegen/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORINLINEALLOCASCOPES
#include "inhibitor/Codegen/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;
using namespace mlir::inhibitor;

/// True if an op in `scope`'s body (outside nested allocation scopes) may
/// allocate on the stack of the enclosing function: an Allocate effect on
/// the automatic allocation scope, or an op of unknown effects that is not
/// a call.
static bool mayAllocateOnStack(memref::AllocaScopeOp scope) {
  return scope
      ->walk<WalkOrder::PreOrder>([&](Operation *op) {
        if (op == scope.getOperation())
          return WalkResult::advance();
        if (op->hasTrait<OpTrait::AutomaticAllocationScope>())
          return WalkResult::skip();
        if (isa<CallOpInterface>(op))
          return WalkResult::advance();
        // An LLVM intrinsic (the x86 passes' pmaddwd, psadbw, ...) moves
        // no stack pointer, but for the stack-manipulating ones.
        if (auto intrinsic = dyn_cast<LLVM::CallIntrinsicOp>(op))
          return intrinsic.getIntrin().starts_with("llvm.stack")
                     ? WalkResult::interrupt()
                     : WalkResult::advance();
        auto effects = dyn_cast<MemoryEffectOpInterface>(op);
        if (!effects)
          return op->hasTrait<OpTrait::HasRecursiveMemoryEffects>()
                     ? WalkResult::advance() // its ops are walked
                     : WalkResult::interrupt();
        SmallVector<MemoryEffects::EffectInstance> list;
        effects.getEffects(list);
        for (const MemoryEffects::EffectInstance &e : list)
          if (isa<MemoryEffects::Allocate>(e.getEffect()) &&
              e.getResource() ==
                  SideEffects::AutomaticAllocationScopeResource::get())
            return WalkResult::interrupt();
        return WalkResult::advance();
      })
      .wasInterrupted();
}

namespace {
struct InhibitorInlineAllocaScopesPass
    : inhibitor::impl::InhibitorInlineAllocaScopesBase<
          InhibitorInlineAllocaScopesPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<memref::AllocaScopeOp> scopes;
    getOperation()->walk([&](memref::AllocaScopeOp scope) {
      if (scope.getBodyRegion().hasOneBlock() && !mayAllocateOnStack(scope))
        scopes.push_back(scope);
    });
    IRRewriter rewriter(&getContext());
    for (memref::AllocaScopeOp scope : scopes) {
      Block *body = &scope.getBodyRegion().front();
      Operation *ret = body->getTerminator();
      SmallVector<Value> results(ret->getOperands());
      rewriter.eraseOp(ret);
      rewriter.inlineBlockBefore(body, scope);
      rewriter.replaceOp(scope, results);
      ++numInlined;
    }
  }
};
} // namespace
