// RUN: not inhibitor-opt %s --convert-attention-to-inhibitor 2>&1 | FileCheck %s --check-prefix=ATTENTION
// RUN: not inhibitor-opt %s --inhibitor-to-llvm="strategy=affine" 2>&1 | FileCheck %s --check-prefix=AFFINE

// Passes and strategies that are registered but not built yet fail with an
// error instead of silently doing nothing.

// ATTENTION: error: convert-attention-to-inhibitor is not implemented yet
// AFFINE: error: --inhibitor-to-llvm strategy 'affine' is not implemented yet

func.func @attention(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                     %v: tensor<32x8xf32>, %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
