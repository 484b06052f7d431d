// RUN: inhibitor-opt %s --inhibitor-to-llvm="approximate-filter=true target-cpu=znver4" | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-to-llvm="approximate-filter=true skip-keys=true query-tile=8 key-tile=8 target-cpu=znver4" | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver4" | FileCheck %s --check-prefix=OFF
// RUN: inhibitor-opt %s --inhibitor-to-gpu="approximate-filter=true" | FileCheck %s --check-prefix=GPU
// RUN: inhibitor-opt %s --inhibitor-to-gpu | FileCheck %s --check-prefix=GPU-OFF

// --inhibitor-to-llvm="approximate-filter=true" runs
// --inhibitor-approximate-filter first: the low-precision score (a
// manhattan_score of 4-bit operands, summed in i16) and the per-head compare
// become a mask of the fused kernel, all of it lowered to LLVM (alone and
// with skip-keys, which skips tiles whose pairs are all masked out). Without
// the option the attributes are ignored: the exact kernel, no score of
// shifted operands.
// approximate-filter-error.mlir: a bad attribute is an error of the pipeline.

// CHECK-LABEL: llvm.func @filtered
// CHECK: llvm.ashr
// CHECK: llvm.icmp "sle"
// CHECK-NOT: inhibitor.
// OFF-LABEL: llvm.func @filtered
// OFF-NOT: llvm.ashr
// OFF-NOT: llvm.icmp "sle"
// OFF: llvm.return
// --inhibitor-to-gpu has the option too: the threshold compare of the i16
// score in the PTX.
// GPU: gpu.binary @{{.*}}setp.le.s16
// GPU-OFF-NOT: setp.le.s16
func.func @filtered(%q: tensor<2x8x16xi8>, %k: tensor<2x8x16xi8>, %v: tensor<2x8x16xi8>) -> tensor<2x8x16xi16> {
  %init = tensor.empty() : tensor<2x8x16xi16>
  %h = inhibitor.attention signed {
         inhibitor.approx_thresholds = array<i64: 900, 1200>, inhibitor.approx_shift = 4 : i64}
         ins(%q, %k, %v : tensor<2x8x16xi8>, tensor<2x8x16xi8>, tensor<2x8x16xi8>)
         outs(%init : tensor<2x8x16xi16>) -> tensor<2x8x16xi16>
  return %h : tensor<2x8x16xi16>
}
