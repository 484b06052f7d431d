// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver4" -split-input-file | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-to-llvm="key-splits=4 threads=2 target-cpu=znver4" -split-input-file | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-to-llvm="prefetch=false target-cpu=znver4" -split-input-file | FileCheck %s --check-prefix=OFF

// Decode: each K and V tile is read once (one query tile per head), so the
// fused kernel's loop over key tiles prefetches the next K and V tiles,
// alone or split over keys on threads (docs/Codegen.md,
// --inhibitor-prefetch-tiles). prefetch=false: none.
// CHECK-LABEL: llvm.func @decode
// CHECK: llvm.intr.prefetch
// CHECK: llvm.intr.prefetch
// OFF-LABEL: llvm.func @decode
// OFF-NOT: llvm.intr.prefetch
// OFF: llvm.return
func.func @decode(%q: tensor<8x16x64xi16>, %k: tensor<8x4096x64xi16>,
                  %v: tensor<8x4096x64xi16>) -> tensor<8x16x64xi32> {
  %init = tensor.empty() : tensor<8x16x64xi32>
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x16x64xi16>, tensor<8x4096x64xi16>, tensor<8x4096x64xi16>)
         outs(%init : tensor<8x16x64xi32>) -> tensor<8x16x64xi32>
  return %h : tensor<8x16x64xi32>
}

// -----

// Prefill with 1024 keys: every query tile reads the same 256 KiB of K and
// V tiles, which stay in cache after the first: no prefetch.
// CHECK-LABEL: llvm.func @prefill
// CHECK-NOT: llvm.intr.prefetch
// CHECK: llvm.return
func.func @prefill(%q: tensor<1024x64xi16>, %k: tensor<1024x64xi16>,
                   %v: tensor<1024x64xi16>) -> tensor<1024x64xi16> {
  %init = tensor.empty() : tensor<1024x64xi16>
  %h = inhibitor.attention signed {gamma = 8 : i16}
         ins(%q, %k, %v : tensor<1024x64xi16>, tensor<1024x64xi16>, tensor<1024x64xi16>)
         outs(%init : tensor<1024x64xi16>) -> tensor<1024x64xi16>
  return %h : tensor<1024x64xi16>
}

// -----

// A KV cache of dynamic length (static heads, queries and D): the loop over
// the whole key tiles has an unknown trip count and static 128-key tiles,
// prefetched; the partial last tile is peeled after the loop (no loop,
// nothing to prefetch ahead of).
// CHECK-LABEL: llvm.func @decode_dynamic
// CHECK: llvm.intr.prefetch
func.func @decode_dynamic(%q: tensor<8x4x64xi16>, %k: tensor<8x?x64xi16>,
                          %v: tensor<8x?x64xi16>) -> tensor<8x4x64xi32> {
  %init = tensor.empty() : tensor<8x4x64xi32>
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x4x64xi16>, tensor<8x?x64xi16>, tensor<8x?x64xi16>)
         outs(%init : tensor<8x4x64xi32>) -> tensor<8x4x64xi32>
  return %h : tensor<8x4x64xi32>
}
