/*===- inhibitor-capi-test.c - The inhibitor C API, end to end ------------===*\
 *
 * Registers the dialect and pipelines, parses a module, lowers it with
 * --inhibitor-to-llvm, JIT-compiles it with MLIR's C API execution engine,
 * calls it on memref descriptors and checks the result against the NumPy
 * reference's values; then checks that bad IR and bad options fail with a
 * diagnostic (docs/C.md).
 *
\*===----------------------------------------------------------------------===*/

// RUN: inhibitor-capi-test | FileCheck %s

#include "inhibitor-c/Analysis.h"
#include "inhibitor-c/Dialects.h"
#include "inhibitor-c/Pipelines.h"

#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/Diagnostics.h"
#include "mlir-c/ExecutionEngine.h"
#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The kernel of examples/c: i16 inputs, i32 accumulator, signed, gamma 8. */
static const char *const kernel =
    "func.func @attention(%q: tensor<4x8xi16>, %k: tensor<6x8xi16>,\n"
    "                     %v: tensor<6x4xi16>) -> tensor<4x4xi32>\n"
    "    attributes {llvm.emit_c_interface} {\n"
    "  %init = tensor.empty() : tensor<4x4xi32>\n"
    "  %h = inhibitor.attention signed {gamma = 8 : i32}\n"
    "         ins(%q, %k, %v : tensor<4x8xi16>, tensor<6x8xi16>,\n"
    "                          tensor<6x4xi16>)\n"
    "         outs(%init : tensor<4x4xi32>) -> tensor<4x4xi32>\n"
    "  return %h : tensor<4x4xi32>\n"
    "}\n";

/* reference.attention(q, k, v, gamma=8, signed=True, acc_dtype=np.int32) on
 * the inputs below (test/Integration/c-link.test computes the same). */
static const int32_t expected[4][4] = {
    {-3, -1, 0, 0}, {-4, -2, 0, 0}, {-4, -2, 0, 0}, {-4, -2, 0, 0}};

#define MEMREF2D(T)                                                            \
  struct {                                                                     \
    T *allocated;                                                              \
    T *aligned;                                                                \
    int64_t offset;                                                            \
    int64_t sizes[2];                                                          \
    int64_t strides[2];                                                        \
  }
typedef MEMREF2D(int16_t) MemRefI16;
typedef MEMREF2D(int32_t) MemRefI32;

static MemRefI16 wrap(int16_t *data, int64_t rows, int64_t cols) {
  MemRefI16 m = {data, data, 0, {rows, cols}, {cols, 1}};
  return m;
}

static void printString(MlirStringRef str, void *userData) {
  fwrite(str.data, 1, str.length, (FILE *)userData);
}

/* Prints every diagnostic as "diagnostic: <message>" (to stdout, in order
 * with the rest). */
static MlirLogicalResult printDiagnostic(MlirDiagnostic diagnostic,
                                         void *userData) {
  (void)userData;
  printf("diagnostic: ");
  mlirDiagnosticPrint(diagnostic, printString, stdout);
  printf("\n");
  return mlirLogicalResultSuccess();
}

static MlirStringRef str(const char *s) {
  return mlirStringRefCreateFromCString(s);
}

static int runKernel(MlirContext ctx) {
  MlirModule module = mlirModuleCreateParse(ctx, str(kernel));
  if (mlirModuleIsNull(module))
    return 1;
  if (mlirLogicalResultIsFailure(
          inhibitorRunToLLVMPipeline(module, str("target-cpu=host"))))
    return 2;
  // CHECK: lowered: llvm.func @attention
  MlirSymbolTable symbols =
      mlirSymbolTableCreate(mlirModuleGetOperation(module));
  MlirOperation func = mlirSymbolTableLookup(symbols, str("attention"));
  mlirSymbolTableDestroy(symbols);
  MlirStringRef name = mlirIdentifierStr(mlirOperationGetName(func));
  MlirStringRef symbol = mlirStringAttrGetValue(
      mlirOperationGetAttributeByName(func, str("sym_name")));
  printf("lowered: %.*s @%.*s\n", (int)name.length, name.data,
         (int)symbol.length, symbol.data);

  MlirExecutionEngine jit = mlirExecutionEngineCreate(
      module, /*optLevel=*/2, /*numPaths=*/0, /*sharedLibPaths=*/NULL,
      /*enableObjectDump=*/false, /*enablePIC=*/false);
  mlirModuleDestroy(module);
  if (mlirExecutionEngineIsNull(jit))
    return 3;
  mlirExecutionEngineInitialize(jit);

  int16_t q[4 * 8], k[6 * 8], v[6 * 4];
  for (int i = 0; i < 4 * 8; ++i)
    q[i] = (int16_t)((i * 7) % 11 - 5);
  for (int i = 0; i < 6 * 8; ++i)
    k[i] = (int16_t)((i * 5) % 13 - 6);
  for (int i = 0; i < 6 * 4; ++i)
    v[i] = (int16_t)((i * 3) % 17 - 8);
  MemRefI16 mq = wrap(q, 4, 8), mk = wrap(k, 6, 8), mv = wrap(v, 6, 4);
  MemRefI32 h;
  /* _mlir_ciface_attention(&h, &mq, &mk, &mv): one pointer per argument. */
  MemRefI32 *hp = &h;
  MemRefI16 *qp = &mq, *kp = &mk, *vp = &mv;
  void *args[] = {&hp, &qp, &kp, &vp};
  if (mlirLogicalResultIsFailure(
          mlirExecutionEngineInvokePacked(jit, str("attention"), args)))
    return 4;

  int mismatches = 0;
  for (int i = 0; i < 4; ++i) {
    for (int e = 0; e < 4; ++e) {
      int32_t got = h.aligned[h.offset + i * h.strides[0] + e * h.strides[1]];
      printf("%d%s", got, e == 3 ? "\n" : " ");
      mismatches += got != expected[i][e];
    }
  }
  free(h.allocated);
  mlirExecutionEngineDestroy(jit);
  // CHECK-NEXT: -3 -1 0 0
  // CHECK-NEXT: -4 -2 0 0
  // CHECK-NEXT: -4 -2 0 0
  // CHECK-NEXT: -4 -2 0 0
  // CHECK-NEXT: H matches the reference
  if (mismatches)
    return 5;
  printf("H matches the reference\n");
  return 0;
}

/* The pipeline by name, through MLIR's own pass-pipeline parser. */
static int runByName(MlirContext ctx) {
  MlirModule module = mlirModuleCreateParse(ctx, str(kernel));
  MlirPassManager pm = mlirPassManagerCreate(ctx);
  MlirOpPassManager opm = mlirPassManagerGetAsOpPassManager(pm);
  MlirLogicalResult parsed = mlirParsePassPipeline(
      opm, str("builtin.module(inhibitor-to-llvm{vector-bits=128})"),
      printString, stderr);
  MlirLogicalResult ran =
      mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(module));
  // CHECK: by name: parsed 1 ran 1
  printf("by name: parsed %d ran %d\n", mlirLogicalResultIsSuccess(parsed),
         mlirLogicalResultIsSuccess(ran));
  mlirPassManagerDestroy(pm);
  mlirModuleDestroy(module);
  return 0;
}

/* Wrong input: a clear diagnostic and a failure, never a crash. */
static void badInputs(MlirContext ctx) {
  // CHECK: diagnostic: custom op 'inhibitor.attentio' is unknown
  MlirModule bad = mlirModuleCreateParse(
      ctx, str("func.func @f(%q: tensor<4x8xi16>) {\n"
               "  %h = inhibitor.attentio %q : tensor<4x8xi16>\n"
               "  return\n}\n"));
  // CHECK-NEXT: bad IR: null module 1
  printf("bad IR: null module %d\n", mlirModuleIsNull(bad));

  // CHECK: diagnostic: 'inhibitor.manhattan_score' op feature dim (D) mismatch
  // CHECK-NEXT: bad op: null module 1
  bad = mlirModuleCreateParse(
      ctx, str("func.func @f(%q: tensor<4x8xi16>, %k: tensor<6x7xi16>,\n"
               "              %z: tensor<4x6xi32>) -> tensor<4x6xi32> {\n"
               "  %r = inhibitor.manhattan_score ins(%q, %k : "
               "tensor<4x8xi16>, tensor<6x7xi16>) outs(%z : "
               "tensor<4x6xi32>) -> tensor<4x6xi32>\n"
               "  return %r : tensor<4x6xi32>\n}\n"));
  printf("bad op: null module %d\n", mlirModuleIsNull(bad));

  // CHECK: diagnostic: invalid --inhibitor-to-llvm options 'vector-bits=wide'
  // CHECK-NEXT: bad options: failed 1
  MlirModule module = mlirModuleCreateParse(ctx, str(kernel));
  MlirLogicalResult result =
      inhibitorRunToLLVMPipeline(module, str("vector-bits=wide"));
  printf("bad options: failed %d\n", mlirLogicalResultIsFailure(result));

  // Null handles and a null option string: failures, not crashes.
  // CHECK-NEXT: null module: failed 1
  MlirModule nullModule = {NULL};
  printf("null module: failed %d\n",
         mlirLogicalResultIsFailure(
             inhibitorRunToLLVMPipeline(nullModule, str(""))));
  // CHECK-NEXT: null pass manager: failed 1
  MlirPassManager nullPm = {NULL};
  printf(
      "null pass manager: failed %d\n",
      mlirLogicalResultIsFailure(inhibitorAddToLLVMPipeline(nullPm, str(""))));
  // CHECK-NEXT: null options: failed 1
  MlirStringRef nullOptions = {NULL, 5};
  printf("null options: failed %d\n",
         mlirLogicalResultIsFailure(
             inhibitorRunToLLVMPipeline(module, nullOptions)));
  mlirModuleDestroy(module);
}

/* The default accumulator (inhibitor-c/Analysis.h, docs/IntegerWidths.md). */
static void accumulatorBits(void) {
  InhibitorAttentionShape s = {.queryKeyBits = 8,
                               .valueBits = 8,
                               .biasBits = 0,
                               .queries = 32,
                               .keys = 256,
                               .headDim = 64,
                               .gamma = 1,
                               .alpha = 0,
                               .isSigned = true,
                               .causal = false,
                               .masked = false};
  // CHECK: accumulator bits: i8 d64 m256 16
  printf("accumulator bits: i8 d64 m256 %u\n",
         inhibitorAttentionAccumulatorBits(&s));
  s.keys = 257;
  // CHECK-NEXT: accumulator bits: i8 d64 m257 32
  printf("accumulator bits: i8 d64 m257 %u\n",
         inhibitorAttentionAccumulatorBits(&s));
  s.causal = true;
  // CHECK-NEXT: accumulator bits: causal 16
  printf("accumulator bits: causal %u\n",
         inhibitorAttentionAccumulatorBits(&s));
  s.queryKeyBits = s.valueBits = 64;
  // CHECK-NEXT: accumulator bits: i64 0
  printf("accumulator bits: i64 %u\n", inhibitorAttentionAccumulatorBits(&s));
  s.gamma = 0;
  // CHECK-NEXT: accumulator bits: invalid 0
  printf("accumulator bits: invalid %u\n",
         inhibitorAttentionAccumulatorBits(&s));
}

int main(void) {
  MlirContext ctx = mlirContextCreate();
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  inhibitorRegisterDialectAndDependencies(registry);
  mlirContextAppendDialectRegistry(ctx, registry);
  mlirDialectRegistryDestroy(registry);
  inhibitorRegisterPassesAndPipelines();
  mlirContextAttachDiagnosticHandler(ctx, printDiagnostic, NULL, NULL);

  int rc = runKernel(ctx);
  if (rc) {
    printf("FAILED: %d\n", rc);
    return rc;
  }
  runByName(ctx);
  badInputs(ctx);
  accumulatorBits();
  mlirContextDestroy(ctx);
  return 0;
}
