// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg -split-input-file -verify-diagnostics | FileCheck %s

// Besides refusing non-positive fused-attention tile sizes (tested in
// fused-attention.mlir), the conversion has no failure path of its own:
// every verified op lowers.
// What it cannot lower (unranked tensors, written in the generic form that
// the custom syntax refuses) the verifier rejects first, with the op's
// location and no crash; the other chunks are still processed.

// expected-error @+4 {{'inhibitor.manhattan_score' op operand #0 must be ranked tensor of i8, i16, i32, i64, f16, bf16, f32 or f64 values, but got 'tensor<*xf32>'}}
// CHECK-NOT: linalg.generic
func.func @unranked_query(%q: tensor<*xf32>, %k: tensor<32x64xf32>,
                          %init: tensor<16x32xf32>) -> tensor<16x32xf32> {
  %z = "inhibitor.manhattan_score"(%q, %k, %init)
         : (tensor<*xf32>, tensor<32x64xf32>, tensor<16x32xf32>) -> tensor<16x32xf32>
  return %z : tensor<16x32xf32>
}

// -----

// expected-error @+4 {{'inhibitor.inhibit' op operand #2 must be ranked tensor of i8, i16, i32, i64, f16, bf16, f32 or f64 values, but got 'tensor<*xi32>'}}
// CHECK-NOT: linalg.generic
func.func @unranked_init(%v: tensor<32x8xi32>, %z: tensor<16x32xi32>,
                         %init: tensor<*xi32>) -> tensor<*xi32> {
  %h = "inhibitor.inhibit"(%v, %z, %init)
         : (tensor<32x8xi32>, tensor<16x32xi32>, tensor<*xi32>) -> tensor<*xi32>
  return %h : tensor<*xi32>
}

// -----

// expected-error @+5 {{'inhibitor.attention' op operand #3 must be ranked tensor of 1-bit signless integer values, but got 'tensor<*xi1>'}}
// CHECK-NOT: linalg.generic
func.func @unranked_mask(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                         %v: tensor<32x8xi8>, %m: tensor<*xi1>,
                         %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  %h = "inhibitor.attention"(%q, %k, %v, %m, %init)
         <{operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0, 0, 0, 1>}>
         : (tensor<16x64xi8>, tensor<32x64xi8>, tensor<32x8xi8>, tensor<*xi1>,
            tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}

// -----

// A valid chunk after the invalid ones still converts.
// CHECK-LABEL: func @valid_after_invalid
// CHECK: linalg.generic
// CHECK-NOT: inhibitor.
func.func @valid_after_invalid(%q: tensor<4x8xi8>, %k: tensor<4x8xi8>,
                               %init: tensor<4x4xi16>) -> tensor<4x4xi16> {
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<4x8xi8>, tensor<4x8xi8>)
         outs(%init : tensor<4x4xi16>) -> tensor<4x4xi16>
  return %z : tensor<4x4xi16>
}
