//===- RuntimeChecks.cpp - Run-time checks in generated code --------------===//
//
// --inhibitor-insert-runtime-checks: before each inhibitor op, the sizes the
// verifier could not prove equal (a dynamic dim on either side) are compared
// at run time; a mismatch prints the op, its location and both sizes on
// stderr and stops the program (cf.assert), instead of reading past the end
// of a buffer.
//
// --inhibitor-check-allocations: after bufferization, every heap allocation
// (memref.alloc) is followed by a null check that reports the failed size in
// bytes and stops, instead of writing through a null pointer.
//
// The report goes through `dprintf(2, ...)` (POSIX, unbuffered, nothing to
// link beyond libc), declared as an LLVM dialect function next to the
// format strings (internal constants); the stop is `cf.assert`, which the
// LLVM lowering turns into a message and `abort()`.
//
//===----------------------------------------------------------------------===//

#include "inhibitor/Codegen/Passes.h"
#include "inhibitor/IR/InhibitorDialect.h"
#include "inhibitor/IR/InhibitorOps.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"

#include "llvm/ADT/StringExtras.h"

namespace mlir::inhibitor {
#define GEN_PASS_DEF_INHIBITORINSERTRUNTIMECHECKS
#define GEN_PASS_DEF_INHIBITORCHECKALLOCATIONS
#include "inhibitor/Codegen/Passes.h.inc"
} // namespace mlir::inhibitor

using namespace mlir;
using namespace mlir::inhibitor;

/// "file:line:col" of `loc` (the innermost file location), or "unknown".
static std::string locationText(Location loc) {
  std::string text = "unknown location";
  loc->walk([&](Location l) {
    if (auto file = dyn_cast<FileLineColLoc>(l)) {
      text = (file.getFilename().str() + ":" + Twine(file.getLine()) + ":" +
              Twine(file.getColumn()))
                 .str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return text;
}

namespace {
/// Emits reports through dprintf: declares it and creates one internal
/// string constant per distinct format in the module.
class Reporter {
public:
  explicit Reporter(ModuleOp module) : module(module), symbols(module) {}

  /// Prints `format` (printf syntax, `%ld` per value) with `values` (index
  /// or integer, converted to i64) on stderr when `fails` is true.
  void reportIf(OpBuilder &b, Location loc, Value fails, StringRef format,
                ValueRange values) {
    // In a parallel loop's body (OpenMP threads later) no call: the
    // canonicalizer inlines the iteration's memref.alloca_scope only if
    // nothing in it may allocate on the stack, which a call might. The
    // cf.assert's message (location included) still says what failed.
    Operation *anchor = b.getInsertionBlock()->getParentOp();
    if (anchor && (isa<scf::ParallelOp, scf::ForallOp>(anchor) ||
                   anchor->getParentOfType<scf::ParallelOp>() ||
                   anchor->getParentOfType<scf::ForallOp>()))
      return;
    SmallVector<Value> args;
    Type i64 = b.getI64Type();
    for (Value v : values) {
      if (v.getType().isIndex())
        v = arith::IndexCastOp::create(b, loc, i64, v);
      else if (v.getType() != i64)
        v = arith::ExtSIOp::create(b, loc, i64, v);
      args.push_back(v);
    }
    auto ifOp = scf::IfOp::create(b, loc, fails, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    LLVM::LLVMFuncOp callee = getDprintf();
    if (!callee)
      return;
    auto ptrTy = LLVM::LLVMPointerType::get(b.getContext());
    Value fmt =
        LLVM::AddressOfOp::create(b, loc, ptrTy, getFormat(format).getName());
    Value fd = LLVM::ConstantOp::create(b, loc, b.getI32Type(),
                                        b.getI32IntegerAttr(2));
    SmallVector<Value> operands = {fd, fmt};
    operands.append(args);
    LLVM::CallOp::create(b, loc, callee, operands);
  }

private:
  LLVM::LLVMFuncOp getDprintf() {
    if (dprintf)
      return dprintf;
    MLIRContext *ctx = module.getContext();
    auto type = LLVM::LLVMFunctionType::get(
        IntegerType::get(ctx, 32),
        {IntegerType::get(ctx, 32), LLVM::LLVMPointerType::get(ctx)},
        /*isVarArg=*/true);
    if (Operation *existing = symbols.lookup("dprintf")) {
      // Someone else's `dprintf` (not libc's signature): no message, the
      // check still stops the program.
      auto func = dyn_cast<LLVM::LLVMFuncOp>(existing);
      if (func && func.getFunctionType() == type)
        dprintf = func;
      return dprintf;
    }
    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    dprintf = LLVM::LLVMFuncOp::create(b, module.getLoc(), "dprintf", type);
    symbols.insert(dprintf);
    return dprintf;
  }

  LLVM::GlobalOp getFormat(StringRef format) {
    auto it = formats.find(format);
    if (it != formats.end())
      return it->second;
    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    std::string text = format.str();
    text.push_back('\0');
    auto type = LLVM::LLVMArrayType::get(b.getI8Type(), text.size());
    auto global = LLVM::GlobalOp::create(
        b, module.getLoc(), type, /*isConstant=*/true, LLVM::Linkage::Internal,
        "__inhibitor_check_msg", b.getStringAttr(text));
    symbols.insert(global); // renames it uniquely
    formats[format] = global;
    return global;
  }

  ModuleOp module;
  SymbolTable symbols;
  LLVM::LLVMFuncOp dprintf;
  llvm::StringMap<LLVM::GlobalOp> formats;
};

/// One pair of dims that must agree at run time.
struct DimPair {
  Value lhs;
  int64_t lhsDim;
  Value rhs;
  int64_t rhsDim;
  std::string what; // "D of query (%ld) != D of key (%ld)"
  /// > 0: compare with ceil(rhs dim / rhsTiles) (the tiles of key_tiles).
  int64_t rhsTiles = 0;
};
} // namespace

static std::string dimName(int64_t i, int64_t rank, StringRef rows,
                           StringRef cols) {
  if (i == rank - 2)
    return rows.str();
  if (i == rank - 1)
    return cols.str();
  return ("batch dim #" + Twine(i)).str();
}

static void addPair(SmallVectorImpl<DimPair> &pairs, Value lhs,
                    StringRef lhsName, int64_t lhsDim, Value rhs,
                    StringRef rhsName, int64_t rhsDim, StringRef dim) {
  int64_t a = cast<RankedTensorType>(lhs.getType()).getDimSize(lhsDim);
  int64_t b = cast<RankedTensorType>(rhs.getType()).getDimSize(rhsDim);
  // Both static: the verifier has proved them equal.
  if (!ShapedType::isDynamic(a) && !ShapedType::isDynamic(b))
    return;
  pairs.push_back({lhs, lhsDim, rhs, rhsDim,
                   (dim + " of " + lhsName + " (%ld) != " + dim + " of " +
                    rhsName + " (%ld)")
                       .str()});
}

/// A batch dim of K or V against Q's (or Z's): grouped heads (SPEC section 1)
/// let a static 1 broadcast and a static divisor group, both proved by the
/// verifier; where either side is dynamic the sizes must be equal.
static void addHeadPair(SmallVectorImpl<DimPair> &pairs, Value q,
                        StringRef qName, Value kv, StringRef kvName, int64_t i,
                        StringRef dim) {
  if (cast<RankedTensorType>(kv.getType()).getDimSize(i) == 1)
    return;
  addPair(pairs, q, qName, i, kv, kvName, i, dim);
}

/// A mask or bias dim against the score dim it is read at: it broadcasts
/// only where it is a static 1.
static void addBroadcastPairs(SmallVectorImpl<DimPair> &pairs, Value operand,
                              StringRef name, Value q, Value k, int64_t r) {
  auto ty = cast<RankedTensorType>(operand.getType());
  int64_t offset = r - ty.getRank();
  for (int64_t i = 0; i < ty.getRank(); ++i) {
    if (ty.getDimSize(i) == 1)
      continue;
    int64_t s = offset + i;
    std::string dim =
        (name + " dim #" + Twine(i) + " (%ld) != score dim #" + Twine(s) +
         " (%ld) (a broadcast " + name + " dim must be a static 1)")
            .str();
    Value src = s == r - 1 ? k : q;
    int64_t srcDim = s == r - 1 ? r - 2 : s;
    int64_t a = ty.getDimSize(i);
    int64_t b = cast<RankedTensorType>(src.getType()).getDimSize(srcDim);
    if (!ShapedType::isDynamic(a) && !ShapedType::isDynamic(b))
      continue;
    pairs.push_back({operand, i, src, srcDim, dim});
  }
}

/// The dims of `op`'s operands that must agree (SPEC: batch dims equal, D of
/// Q and K, M of K and V / Z, N and E of the destination).
static SmallVector<DimPair> collectPairs(Operation *op) {
  SmallVector<DimPair> pairs;
  if (auto score = dyn_cast<ManhattanScoreOp>(op)) {
    Value q = score.getQuery(), k = score.getKey(), z = score.getInit();
    int64_t r = score.getResult().getType().getRank();
    for (int64_t i = 0; i < r - 2; ++i) {
      std::string dim = dimName(i, r, "", "");
      addHeadPair(pairs, q, "query", k, "key", i, dim);
      addPair(pairs, q, "query", i, z, "destination", i, dim);
    }
    if (Value bias = score.getBias())
      addBroadcastPairs(pairs, bias, "bias", q, k, r);
    addPair(pairs, q, "query", r - 1, k, "key", r - 1, "D");
    addPair(pairs, q, "query", r - 2, z, "destination", r - 2, "N");
    addPair(pairs, k, "key", r - 2, z, "destination", r - 1, "M");
  } else if (auto inhibit = dyn_cast<InhibitOp>(op)) {
    Value v = inhibit.getValue(), z = inhibit.getScore(), h = inhibit.getInit();
    int64_t r = inhibit.getResult().getType().getRank();
    for (int64_t i = 0; i < r - 2; ++i) {
      std::string dim = dimName(i, r, "", "");
      addHeadPair(pairs, z, "score", v, "value", i, dim);
      addPair(pairs, z, "score", i, h, "destination", i, dim);
    }
    addPair(pairs, z, "score", r - 1, v, "value", r - 2, "M");
    addPair(pairs, z, "score", r - 2, h, "destination", r - 2, "N");
    addPair(pairs, v, "value", r - 1, h, "destination", r - 1, "E");
  } else if (auto attention = dyn_cast<AttentionOp>(op)) {
    Value q = attention.getQuery(), k = attention.getKey(),
          v = attention.getValue(), h = attention.getInit();
    int64_t r = attention.getResult().getType().getRank();
    for (int64_t i = 0; i < r - 2; ++i) {
      std::string dim = dimName(i, r, "", "");
      addHeadPair(pairs, q, "query", k, "key", i, dim);
      addHeadPair(pairs, q, "query", v, "value", i, dim);
      addPair(pairs, q, "query", i, h, "destination", i, dim);
    }
    addPair(pairs, q, "query", r - 1, k, "key", r - 1, "D");
    addPair(pairs, k, "key", r - 2, v, "value", r - 2, "M");
    addPair(pairs, q, "query", r - 2, h, "destination", r - 2, "N");
    addPair(pairs, v, "value", r - 1, h, "destination", r - 1, "E");
    if (Value mask = attention.getMask())
      addBroadcastPairs(pairs, mask, "mask", q, k, r);
    if (Value bias = attention.getBias())
      addBroadcastPairs(pairs, bias, "bias", q, k, r);
    if (Value kt = attention.getKeyTiles()) {
      // K packed [b..., ceil(M / T), D, T]: the kernel reads its tiles.
      for (int64_t i = 0; i < r - 2; ++i)
        addPair(pairs, kt, "key_tiles", i, k, "key", i, dimName(i, r, "", ""));
      addPair(pairs, kt, "key_tiles", r - 1, k, "key", r - 1, "D");
      int64_t t = attention.getKeyTileSize();
      if (ShapedType::isDynamic(
              cast<RankedTensorType>(kt.getType()).getDimSize(r - 2)) ||
          ShapedType::isDynamic(
              cast<RankedTensorType>(k.getType()).getDimSize(r - 2)))
        pairs.push_back({kt, r - 2, k, r - 2,
                         ("tiles of key_tiles (%ld) != ceil(M / " + Twine(t) +
                          ") of key (%ld)")
                             .str(),
                         t});
    }
    if (Value bk = attention.getBiasedKeys())
      // K biased by 128, in K's shape: the byte score reads it as K.
      for (int64_t i = 0; i < r; ++i)
        addPair(pairs, bk, "biased_keys", i, k, "key", i,
                dimName(i, r, "M", "D"));
  }
  return pairs;
}

namespace {
struct InsertRuntimeChecksPass
    : inhibitor::impl::InhibitorInsertRuntimeChecksBase<
          InsertRuntimeChecksPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (isa<ManhattanScoreOp, InhibitOp, AttentionOp>(op))
        ops.push_back(op);
    });
    Reporter reporter(module);
    for (Operation *op : ops) {
      SmallVector<DimPair> pairs = collectPairs(op);
      if (pairs.empty())
        continue;
      OpBuilder b(op);
      Location loc = op->getLoc();
      std::string where =
          (op->getName().getStringRef() + " at " + locationText(loc)).str();
      for (DimPair &p : pairs) {
        Value lhs = tensor::DimOp::create(b, loc, p.lhs, p.lhsDim);
        Value rhs = tensor::DimOp::create(b, loc, p.rhs, p.rhsDim);
        if (p.rhsTiles)
          rhs = arith::CeilDivUIOp::create(
              b, loc, rhs, arith::ConstantIndexOp::create(b, loc, p.rhsTiles));
        Value ok =
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, lhs, rhs);
        Value bad =
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, lhs, rhs);
        reporter.reportIf(b, loc, bad,
                          "inhibitor run-time check failed: " + where + ": " +
                              p.what + "\n",
                          {lhs, rhs});
        cf::AssertOp::create(b, loc, ok,
                             "inhibitor run-time check failed: " + where +
                                 ": operand sizes disagree");
        ++numChecks;
      }
    }
  }
};

struct CheckAllocationsPass
    : inhibitor::impl::InhibitorCheckAllocationsBase<CheckAllocationsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<memref::AllocOp> allocs;
    module.walk([&](memref::AllocOp alloc) {
      // Host code only: GPU kernels have no malloc.
      if (!alloc->getParentOfType<gpu::GPUModuleOp>())
        allocs.push_back(alloc);
    });
    Reporter reporter(module);
    for (memref::AllocOp alloc : allocs) {
      MemRefType type = alloc.getType();
      OpBuilder b(alloc->getContext());
      b.setInsertionPointAfter(alloc);
      Location loc = alloc.getLoc();
      // Size in bytes: the product of the dims times the element size (the
      // data layout's, so index and vector elements count too).
      int64_t elementBytes =
          std::max<int64_t>(1, int64_t(DataLayout::closest(alloc)
                                           .getTypeSize(type.getElementType())
                                           .getFixedValue()));
      Value bytes = arith::ConstantIndexOp::create(b, loc, elementBytes);
      unsigned dyn = 0;
      for (int64_t i = 0; i < type.getRank(); ++i) {
        Value size =
            type.isDynamicDim(i)
                ? alloc.getDynamicSizes()[dyn++]
                : arith::ConstantIndexOp::create(b, loc, type.getDimSize(i))
                      .getResult();
        bytes = arith::MulIOp::create(b, loc, bytes, size);
      }
      Value ptr = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, alloc);
      Value zero = arith::ConstantIndexOp::create(b, loc, 0);
      Value isNull =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, ptr, zero);
      // malloc(0) may return null.
      Value nonEmpty =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, bytes, zero);
      Value bad = arith::AndIOp::create(b, loc, isNull, nonEmpty);
      Value ok = arith::XOrIOp::create(
          b, loc, bad, arith::ConstantIntOp::create(b, loc, 1, 1));
      std::string typeText;
      llvm::raw_string_ostream os(typeText);
      os << type;
      reporter.reportIf(b, loc, bad,
                        "inhibitor run-time check failed: allocation of %ld "
                        "bytes (" +
                            typeText + ") at " + locationText(loc) +
                            " failed\n",
                        {bytes});
      cf::AssertOp::create(b, loc, ok,
                           "inhibitor run-time check failed: out of memory (" +
                               typeText + " at " + locationText(loc) + ")");
      ++numChecks;
    }
  }
};
} // namespace
