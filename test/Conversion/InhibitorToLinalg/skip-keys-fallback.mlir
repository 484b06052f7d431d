// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention skip-keys" -split-input-file -verify-diagnostics | FileCheck %s

// skip-keys lowers the plain fused kernel, with a remark saying why, where
// the integer bounds cannot prove skipping exact: some intermediate of the
// score or of a key's term can wrap for operands spanning their types (or
// the ranges the analysis finds), so partial sums need not grow and an
// extinguished term need not be 0.

// CHECK-LABEL: func @wrapping_score
// CHECK-NOT: scf.if
func.func @wrapping_score(%q: tensor<8x16xi16>, %k: tensor<8x16xi16>, %v: tensor<8x4xi16>,
                          %init: tensor<8x4xi16>) -> tensor<8x4xi16> {
  // expected-remark @+1 {{skip-keys: not provably exact ('score: q - k' can overflow the i16 accumulator (its values lie in [-65535, 65535])); lowered without key skipping}}
  %h = inhibitor.attention ins(%q, %k, %v : tensor<8x16xi16>, tensor<8x16xi16>, tensor<8x4xi16>)
         outs(%init : tensor<8x4xi16>) -> tensor<8x4xi16>
  return %h : tensor<8x4xi16>
}

// -----

// A dynamic D with a score that no D keeps exact.
// CHECK-LABEL: func @dynamic_d_wrapping
// CHECK-NOT: scf.if
func.func @dynamic_d_wrapping(%q: tensor<8x?xi16>, %k: tensor<8x?xi16>, %v: tensor<8x4xi16>,
                              %init: tensor<8x4xi16>) -> tensor<8x4xi16> {
  // expected-remark @+1 {{skip-keys: not provably exact ('score: q - k' can overflow the i16 accumulator}}
  %h = inhibitor.attention ins(%q, %k, %v : tensor<8x?xi16>, tensor<8x?xi16>, tensor<8x4xi16>)
         outs(%init : tensor<8x4xi16>) -> tensor<8x4xi16>
  return %h : tensor<8x4xi16>
}

// -----

// A bias spanning its type can make the score wrap.
// CHECK-LABEL: func @wrapping_bias
// CHECK-NOT: scf.if
func.func @wrapping_bias(%q: tensor<8x16xi8>, %k: tensor<8x16xi8>, %v: tensor<8x4xi8>,
                         %b: tensor<8x8xi32>, %init: tensor<8x4xi32>) -> tensor<8x4xi32> {
  // expected-remark @+1 {{skip-keys: not provably exact ('score: - bias' can overflow the i32 accumulator}}
  %h = inhibitor.attention ins(%q, %k, %v : tensor<8x16xi8>, tensor<8x16xi8>, tensor<8x4xi8>)
         bias(%b : tensor<8x8xi32>) outs(%init : tensor<8x4xi32>) -> tensor<8x4xi32>
  return %h : tensor<8x4xi32>
}

// -----

// An unsigned term V - Z can wrap when V is as wide as the accumulator.
// CHECK-LABEL: func @wrapping_term
// CHECK-NOT: scf.if
func.func @wrapping_term(%q: tensor<8x16xi8>, %k: tensor<8x16xi8>, %v: tensor<8x4xi32>,
                         %init: tensor<8x4xi32>) -> tensor<8x4xi32> {
  // expected-remark @+1 {{skip-keys: not provably exact ('inhibit: v - z' can overflow the i32 accumulator}}
  %h = inhibitor.attention ins(%q, %k, %v : tensor<8x16xi8>, tensor<8x16xi8>, tensor<8x4xi32>)
         outs(%init : tensor<8x4xi32>) -> tensor<8x4xi32>
  return %h : tensor<8x4xi32>
}

// -----

// The same i16 data with ranges the analysis finds (sign-extended i8): skipped.
// CHECK-LABEL: func @ranged_i16
// CHECK: scf.if
func.func @ranged_i16(%q8: tensor<8x16xi8>, %k8: tensor<8x16xi8>, %v8: tensor<8x4xi8>,
                      %init: tensor<8x4xi16>) -> tensor<8x4xi16> {
  %q = arith.extsi %q8 : tensor<8x16xi8> to tensor<8x16xi16>
  %k = arith.extsi %k8 : tensor<8x16xi8> to tensor<8x16xi16>
  %v = arith.extsi %v8 : tensor<8x4xi8> to tensor<8x4xi16>
  %h = inhibitor.attention ins(%q, %k, %v : tensor<8x16xi16>, tensor<8x16xi16>, tensor<8x4xi16>)
         outs(%init : tensor<8x4xi16>) -> tensor<8x4xi16>
  return %h : tensor<8x4xi16>
}

// -----

// A dynamic D and a bias spanning its type: no D keeps the score exact, and
// the remark names the bias, not D.
// CHECK-LABEL: func @dynamic_d_wrapping_bias
// CHECK-NOT: scf.if
func.func @dynamic_d_wrapping_bias(%q: tensor<8x?xi8>, %k: tensor<8x?xi8>, %v: tensor<8x4xi8>,
                                   %b: tensor<8x8xi32>, %init: tensor<8x4xi32>) -> tensor<8x4xi32> {
  // expected-remark @+1 {{skip-keys: not provably exact ('score: - bias' can overflow the i32 accumulator}}
  %h = inhibitor.attention ins(%q, %k, %v : tensor<8x?xi8>, tensor<8x?xi8>, tensor<8x4xi8>)
         bias(%b : tensor<8x8xi32>) outs(%init : tensor<8x4xi32>) -> tensor<8x4xi32>
  return %h : tensor<8x4xi32>
}
