// RUN: inhibitor-opt %s --inhibitor-quantize="bits=8 scale=0.125" --inhibitor-approximate-filter | FileCheck %s
// RUN: not inhibitor-opt %s --inhibitor-approximate-filter 2>&1 | FileCheck %s --check-prefix=FLOAT

// A float op whose filter is written in the units of its integer form:
// --inhibitor-quantize keeps the discardable attributes on the integer op
// and the filter then runs there (what inhibitor.nn.calibrate_filter does
// after quantize). Run on the float op itself, integer thresholds are an
// error.
// CHECK-LABEL: func @quantized
// CHECK: arith.shrsi %{{.*}}, %{{.*}} : i8
// CHECK: inhibitor.manhattan_score ins(%{{.*}}, %{{.*}} : tensor<2x8x16xi8>, tensor<2x8x16xi8>) outs(%{{.*}} : tensor<2x8x8xi16>)
// CHECK: %[[KEEP:.*]] = linalg.generic
// CHECK: arith.cmpi sle
// CHECK: inhibitor.attention signed {gamma = 16 : i16, {{.*}}inhibitor.quant_scale{{.*}}} ins({{.*}} : tensor<2x8x16xi8>, tensor<2x8x16xi8>, tensor<2x8x16xi8>) mask(%[[KEEP]] : tensor<2x8x8xi1>)
// CHECK-NOT: approx
// FLOAT: error: 'inhibitor.attention' op 'inhibitor.approx_thresholds' must be array<f64: ...> for the float accumulator f32, got array<i64: 700, 900>
func.func @quantized(%q: tensor<2x8x16xf32>, %k: tensor<2x8x16xf32>, %v: tensor<2x8x16xf32>) -> tensor<2x8x16xf32> {
  %init = tensor.empty() : tensor<2x8x16xf32>
  %h = inhibitor.attention signed {gamma = 16.0 : f32,
         inhibitor.approx_thresholds = array<i64: 700, 900>, inhibitor.approx_shift = 4 : i64}
         ins(%q, %k, %v : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<2x8x16xf32>)
         outs(%init : tensor<2x8x16xf32>) -> tensor<2x8x16xf32>
  return %h : tensor<2x8x16xf32>
}
