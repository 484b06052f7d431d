// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver4" | mlir-translate --mlir-to-llvmir | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=znver4 > %t.avx512.s
// RUN: FileCheck %s --check-prefix=AVX512 < %t.avx512.s
// RUN: FileCheck %s --check-prefix=NOABS < %t.avx512.s
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3" | mlir-translate --mlir-to-llvmir | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=znver3 > %t.avx2.s
// RUN: FileCheck %s --check-prefix=AVX2 < %t.avx2.s
// RUN: FileCheck %s --check-prefix=AVX2-NOABS < %t.avx2.s
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=x86-64" | FileCheck %s --check-prefix=SSE2

// The plain (wide) tiles of i16 data under an i32 accumulator on x86
// (full-range data, whose narrow check fails; docs/Lowering.md), down to
// the instructions (llc). The score takes D in pairs (docs/Codegen.md):
// two rows of K^T interleaved (vpermt2w with AVX-512), each query's pair
// broadcast as one 32-bit word (vpbroadcastd), sum |q - k| = sum q + sum
// k - 2 sum min(q, k) with the min in 16-bit lanes summed pairwise by
// pmaddwd with -2, so no 32-bit abs is left (vpabsd, the score before). The signed inhibition clamps V
// in 16-bit lanes against the saturated bounds (vpminsw, vpmaxsw) and
// widens the even and odd lanes with pmaddwd. LLVM fuses each pmaddwd with
// its accumulating add into vpdpwssd where the CPU has AVX-512 VNNI (Zen
// 4); Zen 3 (AVX2, no VNNI) keeps vpmaddwd and vpaddd, plain x86-64 (SSE2)
// pmaddwd on 128-bit vectors.

// AVX512-LABEL: attention_i16_i32:
// AVX512-DAG: vpermt2w %zmm
// AVX512-DAG: vpbroadcastd
// AVX512-DAG: vpminsw %zmm
// AVX512-DAG: vpmaxsw %zmm
// AVX512-DAG: vpdpwssd {{.*}}%zmm
// AVX512: # -- End function

// NOABS-LABEL: attention_i16_i32:
// NOABS-NOT: vpabsd
// NOABS: # -- End function

// AVX2-LABEL: attention_i16_i32:
// AVX2-DAG: vpminsw %ymm
// AVX2-DAG: vpmaxsw %ymm
// AVX2-DAG: vpmaddwd {{.*}}%ymm
// AVX2-NOT: vpdpwssd
// AVX2: # -- End function

// AVX2-NOABS-LABEL: attention_i16_i32:
// AVX2-NOABS-NOT: vpabsd
// AVX2-NOABS: # -- End function

// SSE2-LABEL: llvm.func @attention_i16_i32
// SSE2-NOT: llvm.x86.avx
// SSE2: llvm.call_intrinsic "llvm.x86.sse2.pmadd.wd"
// SSE2-NOT: llvm.x86.avx
// SSE2: llvm.return
func.func @attention_i16_i32(%q: tensor<2x64x64xi16>, %k: tensor<2x256x64xi16>, %v: tensor<2x256x64xi16>)
    -> tensor<2x64x64xi32> {
  %init = tensor.empty() : tensor<2x64x64xi32>
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<2x64x64xi16>, tensor<2x256x64xi16>, tensor<2x256x64xi16>)
         outs(%init : tensor<2x64x64xi32>) -> tensor<2x64x64xi32>
  return %h : tensor<2x64x64xi32>
}
