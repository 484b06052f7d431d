// RUN: inhibitor-opt %s --inhibitor-to-llvm="skip-keys=true query-tile=8 key-tile=32 target-cpu=znver4" 2>&1 | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-to-llvm="skip-keys=true target-cpu=x86-64-v3 sad=off" 2>&1 | FileCheck %s --check-prefix=AVX2
// RUN: not inhibitor-opt %s --inhibitor-to-llvm="skip-keys=true strategy=affine" 2>&1 | FileCheck %s --check-prefix=AFFINE
// RUN: not inhibitor-opt %s --inhibitor-to-llvm="skip-keys=true skip-chunk=-4" 2>&1 | FileCheck %s --check-prefix=AFFINE
// RUN: not inhibitor-opt %s --inhibitor-to-llvm="skip-keys=true fuse-attention=false" 2>&1 | FileCheck %s --check-prefix=AFFINE

// --inhibitor-to-llvm="skip-keys=true" (docs/KeySkipping.md): the skipping
// kernel is tiled and vectorized like the plain one (no op left scalar):
// the i8 score as psadbw (one chunk: all of D = 64 bytes), the per-key
// least sums (smin) and the inhibition on 512-bit vectors of i16, the skips
// as branches. With the affine strategy (no fused kernel) or fuse-attention
// off, skip-keys is an error; so is a negative skip-chunk. Where skipping
// cannot be proved exact the remark reaches the user and the plain kernel
// is compiled.

// CHECK: remark: skip-keys: not provably exact ('score: q - k' can overflow the i16 accumulator
// CHECK-NOT: left scalar
// CHECK-LABEL: llvm.func @skipped
// CHECK-DAG: psad.bw.512
// CHECK-DAG: llvm.cond_br
// CHECK-DAG: llvm.intr.smin({{.*}}) : (vector<32xi16>, vector<32xi16>) -> vector<32xi16>
// CHECK-DAG: llvm.icmp "slt" {{.*}} : vector<32xi16>
// CHECK-LABEL: llvm.func @not_exact

// With AVX2, rows of two 16-lane vectors in the register tiles:
// AVX2: llvm.func @skipped
// AVX2: llvm.intr.smin({{.*}}) : (vector<32xi16>, vector<32xi16>) -> vector<32xi16>

// AFFINE: error: convert-inhibitor-to-linalg: skip-keys needs fuse-attention, and skip-chunk must be >= 0

func.func @skipped(%q: tensor<2x64x64xi8>, %k: tensor<2x64x64xi8>, %v: tensor<2x64x64xi8>)
    -> tensor<2x64x64xi16> {
  %init = tensor.empty() : tensor<2x64x64xi16>
  %h = inhibitor.attention signed {gamma = 8 : i16}
         ins(%q, %k, %v : tensor<2x64x64xi8>, tensor<2x64x64xi8>, tensor<2x64x64xi8>)
         outs(%init : tensor<2x64x64xi16>) -> tensor<2x64x64xi16>
  return %h : tensor<2x64x64xi16>
}

func.func @not_exact(%q: tensor<8x16xi16>, %k: tensor<8x16xi16>, %v: tensor<8x4xi16>)
    -> tensor<8x4xi16> {
  %init = tensor.empty() : tensor<8x4xi16>
  %h = inhibitor.attention ins(%q, %k, %v : tensor<8x16xi16>, tensor<8x16xi16>, tensor<8x4xi16>)
         outs(%init : tensor<8x4xi16>) -> tensor<8x4xi16>
  return %h : tensor<8x4xi16>
}
