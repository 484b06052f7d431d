// RUN: not inhibitor-opt %s --inhibitor-to-llvm="approximate-filter=true" 2>&1 | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-to-llvm | FileCheck %s --check-prefix=OFF

// With approximate-filter a bad filter attribute fails the pipeline; without
// it the attributes are ignored (the exact kernel).

// CHECK: error: 'inhibitor.attention' op has 3 thresholds in 'inhibitor.approx_thresholds'
func.func @bad(%q: tensor<2x8x16xi8>, %k: tensor<2x8x16xi8>, %v: tensor<2x8x16xi8>) -> tensor<2x8x16xi16> {
  %init = tensor.empty() : tensor<2x8x16xi16>
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<i64: 1, 2, 3>}
         ins(%q, %k, %v : tensor<2x8x16xi8>, tensor<2x8x16xi8>, tensor<2x8x16xi8>)
         outs(%init : tensor<2x8x16xi16>) -> tensor<2x8x16xi16>
  return %h : tensor<2x8x16xi16>
}
// OFF-LABEL: llvm.func @bad
