// RUN: inhibitor-opt %s --inhibitor-to-llvm="narrow-accumulators=true" --mlir-print-ir-after=inhibitor-narrow-accumulators -o /dev/null 2>&1 | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-to-llvm --mlir-print-ir-after=inhibitor-narrow-accumulators -o /dev/null 2>&1 | FileCheck %s --check-prefix=OFF --allow-empty

// The narrow-accumulators option of --inhibitor-to-llvm runs
// --inhibitor-narrow-accumulators first (test/Analysis/narrow-accumulators.mlir
// has the rewrite, test/Integration/narrow-accumulators.test the execution);
// without it the pass does not run.

// CHECK: IR Dump After InhibitorNarrowAccumulators
// CHECK: func.func @attention
// CHECK: inhibitor.attention signed
// CHECK-SAME: -> tensor<8x16xi16>
// CHECK: arith.extsi %{{.*}} : tensor<8x16xi16> to tensor<8x16xi32>
// OFF-NOT: IR Dump After InhibitorNarrowAccumulators
func.func @attention(%q: tensor<8x64xi8>, %k: tensor<32x64xi8>,
                     %v: tensor<32x16xi8>) -> tensor<8x16xi32> {
  %init = tensor.empty() : tensor<8x16xi32>
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x64xi8>, tensor<32x64xi8>, tensor<32x16xi8>)
         outs(%init : tensor<8x16xi32>) -> tensor<8x16xi32>
  return %h : tensor<8x16xi32>
}
