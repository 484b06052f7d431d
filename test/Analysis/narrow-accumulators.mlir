// RUN: inhibitor-opt %s -inhibitor-narrow-accumulators -split-input-file | FileCheck %s
// RUN: inhibitor-opt %s -inhibitor-narrow-accumulators="max-dim=64" -canonicalize -split-input-file | FileCheck %s --check-prefix=MAXDIM

// --inhibitor-narrow-accumulators: the narrowest accumulator that holds every
// intermediate (test/Analysis/integer-bounds.mlir shows the bounds), the
// result widened once after the op.

// i8 data, D = 64, M = 32, signed: every intermediate fits i16 (partial
// sums in [-4096, 4064], the score in [0, 2040]).
// CHECK-LABEL: func @attention_i8
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<8x64xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<32x64xi8>, %[[V:[a-zA-Z0-9_]+]]: tensor<32x16xi8>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<8x16xi16>
// CHECK: %[[H:.*]] = inhibitor.attention signed {alpha = 1 : i16, exact_differences, gamma = 8 : i16}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<8x64xi8>, tensor<32x64xi8>, tensor<32x16xi8>)
// CHECK-SAME: outs(%[[E]] : tensor<8x16xi16>) -> tensor<8x16xi16>
// CHECK: %[[W:.*]] = arith.extsi %[[H]] : tensor<8x16xi16> to tensor<8x16xi32>
// CHECK: return %[[W]]
func.func @attention_i8(%q: tensor<8x64xi8>, %k: tensor<32x64xi8>,
                        %v: tensor<32x16xi8>) -> tensor<8x16xi32> {
  %init = tensor.empty() : tensor<8x16xi32>
  %h = inhibitor.attention signed {gamma = 8 : i32, alpha = 1 : i32}
         ins(%q, %k, %v : tensor<8x64xi8>, tensor<32x64xi8>, tensor<32x16xi8>)
         outs(%init : tensor<8x16xi32>) -> tensor<8x16xi32>
  return %h : tensor<8x16xi32>
}

// -----

// narrow_sums (16-bit key tiles under a wider accumulator) is dropped with
// an accumulator of 16 bits.
// CHECK-LABEL: func @attention_narrow_sums
// CHECK: inhibitor.attention signed {exact_differences, gamma = 8 : i16} ins
// CHECK-SAME: -> tensor<8x16xi16>
// CHECK-NOT: narrow_sums
// CHECK: return
func.func @attention_narrow_sums(%q: tensor<8x64xi8>, %k: tensor<32x64xi8>,
                                 %v: tensor<32x16xi8>) -> tensor<8x16xi32> {
  %init = tensor.empty() : tensor<8x16xi32>
  %h = inhibitor.attention signed {gamma = 8 : i32, narrow_sums = 128 : i64}
         ins(%q, %k, %v : tensor<8x64xi8>, tensor<32x64xi8>, tensor<32x16xi8>)
         outs(%init : tensor<8x16xi32>) -> tensor<8x16xi32>
  return %h : tensor<8x16xi32>
}

// -----

// A bias of i8 data: read before its extension and extended to the new
// accumulator type (a bias has the accumulator type exactly).
// CHECK-LABEL: func @attention_bias
// CHECK-SAME: %[[B8:[a-zA-Z0-9_]+]]: tensor<8x32xi8>
// CHECK: %[[BW:.*]] = arith.extsi %[[B8]] : tensor<8x32xi8> to tensor<8x32xi16>
// CHECK: %[[H:.*]] = inhibitor.attention signed
// CHECK-SAME: bias(%[[BW]] : tensor<8x32xi16>)
// CHECK-SAME: -> tensor<8x16xi16>
// CHECK: arith.extsi %[[H]] : tensor<8x16xi16> to tensor<8x16xi32>
func.func @attention_bias(%q: tensor<8x64xi8>, %k: tensor<32x64xi8>,
                          %v: tensor<32x16xi8>, %b8: tensor<8x32xi8>) -> tensor<8x16xi32> {
  %b = arith.extsi %b8 : tensor<8x32xi8> to tensor<8x32xi32>
  %init = tensor.empty() : tensor<8x16xi32>
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x64xi8>, tensor<32x64xi8>, tensor<32x16xi8>)
         bias(%b : tensor<8x32xi32>)
         outs(%init : tensor<8x16xi32>) -> tensor<8x16xi32>
  return %h : tensor<8x16xi32>
}

// -----

// Wide inputs of narrow values: an arith.extsi is read before the
// extension, another input is truncated (its range, [0, 127], fits), and Q
// and K get one element type again (the i8 one is extended to i16).
// CHECK-LABEL: func @wide_inputs
// CHECK-SAME: %[[Q8:[a-zA-Z0-9_]+]]: tensor<4x8xi8>, %[[K32:[a-zA-Z0-9_]+]]: tensor<6x8xi32>
// CHECK: %[[KM:.*]] = arith.andi %[[K32]]
// CHECK: %[[KT:.*]] = arith.trunci %[[KM]] : tensor<6x8xi32> to tensor<6x8xi16>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x6xi16>
// CHECK: %[[QW:.*]] = arith.extsi %[[Q8]] : tensor<4x8xi8> to tensor<4x8xi16>
// CHECK: %[[Z:.*]] = inhibitor.manhattan_score
// CHECK-SAME: ins(%[[QW]], %[[KT]] : tensor<4x8xi16>, tensor<6x8xi16>)
// CHECK-SAME: outs(%[[E]] : tensor<4x6xi16>) -> tensor<4x6xi16>
// CHECK: %[[W:.*]] = arith.extsi %[[Z]] : tensor<4x6xi16> to tensor<4x6xi64>
// CHECK: return %[[W]]
func.func @wide_inputs(%q8: tensor<4x8xi8>, %k32: tensor<6x8xi32>) -> tensor<4x6xi64> {
  %q = arith.extsi %q8 : tensor<4x8xi8> to tensor<4x8xi64>
  %c127 = arith.constant dense<127> : tensor<6x8xi32>
  %km = arith.andi %k32, %c127 : tensor<6x8xi32>
  %k = arith.extsi %km : tensor<6x8xi32> to tensor<6x8xi64>
  %init = tensor.empty() : tensor<4x6xi64>
  %z = inhibitor.manhattan_score
         ins(%q, %k : tensor<4x8xi64>, tensor<6x8xi64>)
         outs(%init : tensor<4x6xi64>) -> tensor<4x6xi64>
  return %z : tensor<4x6xi64>
}

// -----

// The narrowed attention promises that no q - k wraps (exact_differences:
// the bounds hold every q - k in the new accumulator's width): here i16
// data (K's values [0, 127] truncated, Q's i8 extended) under an i16
// accumulator, which the fused lowering then scores through min(q, k)
// without a run-time check.
// CHECK-LABEL: func @attention_wide_inputs
// CHECK: %[[KT:.*]] = arith.trunci %{{.*}} : tensor<6x8xi32> to tensor<6x8xi16>
// CHECK: %[[QW:.*]] = arith.extsi %{{.*}} : tensor<4x8xi8> to tensor<4x8xi16>
// CHECK: inhibitor.attention signed {exact_differences, gamma = 2 : i16}
// CHECK-SAME: ins(%[[QW]], %[[KT]], %{{.*}} : tensor<4x8xi16>, tensor<6x8xi16>, tensor<6x3xi8>)
// CHECK-SAME: -> tensor<4x3xi16>
func.func @attention_wide_inputs(%q8: tensor<4x8xi8>, %k32: tensor<6x8xi32>,
                                 %v: tensor<6x3xi8>) -> tensor<4x3xi32> {
  %q = arith.extsi %q8 : tensor<4x8xi8> to tensor<4x8xi32>
  %c127 = arith.constant dense<127> : tensor<6x8xi32>
  %k = arith.andi %k32, %c127 : tensor<6x8xi32>
  %v32 = arith.extsi %v : tensor<6x3xi8> to tensor<6x3xi32>
  %init = tensor.empty() : tensor<4x3xi32>
  %h = inhibitor.attention signed {gamma = 2 : i32}
         ins(%q, %k, %v32 : tensor<4x8xi32>, tensor<6x8xi32>, tensor<6x3xi32>)
         outs(%init : tensor<4x3xi32>) -> tensor<4x3xi32>
  return %h : tensor<4x3xi32>
}

// -----

// The decomposed form: the score is narrowed to i16, and the inhibition
// reads it before the widening (only the last result is widened).
// CHECK-LABEL: func @score_then_inhibit
// CHECK: %[[Z:.*]] = inhibitor.manhattan_score
// CHECK-SAME: -> tensor<4x5xi16>
// CHECK: %[[H:.*]] = inhibitor.inhibit ins(%{{.*}}, %[[Z]] : tensor<5x3xi8>, tensor<4x5xi16>)
// CHECK-SAME: -> tensor<4x3xi16>
// CHECK: %[[W:.*]] = arith.extsi %[[H]] : tensor<4x3xi16> to tensor<4x3xi32>
// CHECK: return %[[W]]
func.func @score_then_inhibit(%q: tensor<4x16xi8>, %k: tensor<5x16xi8>,
                              %v: tensor<5x3xi8>) -> tensor<4x3xi32> {
  %zi = tensor.empty() : tensor<4x5xi32>
  %z = inhibitor.manhattan_score
         ins(%q, %k : tensor<4x16xi8>, tensor<5x16xi8>)
         outs(%zi : tensor<4x5xi32>) -> tensor<4x5xi32>
  %hi = tensor.empty() : tensor<4x3xi32>
  %h = inhibitor.inhibit ins(%v, %z : tensor<5x3xi8>, tensor<4x5xi32>)
         outs(%hi : tensor<4x3xi32>) -> tensor<4x3xi32>
  return %h : tensor<4x3xi32>
}

// -----

// Left alone: partial sums over M = 1024 keys of i8 values need 18 bits.
// CHECK-LABEL: func @needs_i32
// CHECK: inhibitor.attention signed
// CHECK-SAME: -> tensor<8x16xi32>
// CHECK-NOT: arith.extsi
func.func @needs_i32(%q: tensor<8x64xi8>, %k: tensor<1024x64xi8>,
                     %v: tensor<1024x16xi8>) -> tensor<8x16xi32> {
  %init = tensor.empty() : tensor<8x16xi32>
  %h = inhibitor.attention signed
         ins(%q, %k, %v : tensor<8x64xi8>, tensor<1024x64xi8>, tensor<1024x16xi8>)
         outs(%init : tensor<8x16xi32>) -> tensor<8x16xi32>
  return %h : tensor<8x16xi32>
}

// -----

// Left alone: gamma = 100000 is no i16 value.
// CHECK-LABEL: func @large_gamma
// CHECK: inhibitor.manhattan_score {gamma = 100000 : i32}
// CHECK-SAME: -> tensor<4x6xi32>
func.func @large_gamma(%q: tensor<4x8xi8>, %k: tensor<6x8xi8>) -> tensor<4x6xi32> {
  %init = tensor.empty() : tensor<4x6xi32>
  %z = inhibitor.manhattan_score {gamma = 100000 : i32}
         ins(%q, %k : tensor<4x8xi8>, tensor<6x8xi8>)
         outs(%init : tensor<4x6xi32>) -> tensor<4x6xi32>
  return %z : tensor<4x6xi32>
}

// -----

// A dynamic D: no bound, left alone; with max-dim=64 the caller bounds it
// (64 * 255 = 16320: i16), and dynamic sizes carry over to the new
// destination.
// CHECK-LABEL: func @dynamic
// CHECK: inhibitor.manhattan_score
// CHECK-SAME: -> tensor<?x6xi32>
// MAXDIM-LABEL: func @dynamic
// MAXDIM-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<?x?xi8>
// MAXDIM: %[[N:.*]] = tensor.dim %[[Q]], %{{.*}} : tensor<?x?xi8>
// MAXDIM: %[[E:.*]] = tensor.empty(%[[N]]) : tensor<?x6xi16>
// MAXDIM: %[[Z:.*]] = inhibitor.manhattan_score
// MAXDIM-SAME: outs(%[[E]] : tensor<?x6xi16>) -> tensor<?x6xi16>
// MAXDIM: arith.extsi %[[Z]] : tensor<?x6xi16> to tensor<?x6xi32>
func.func @dynamic(%q: tensor<?x?xi8>, %k: tensor<6x?xi8>) -> tensor<?x6xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %q, %c0 : tensor<?x?xi8>
  %init = tensor.empty(%n) : tensor<?x6xi32>
  %z = inhibitor.manhattan_score
         ins(%q, %k : tensor<?x?xi8>, tensor<6x?xi8>)
         outs(%init : tensor<?x6xi32>) -> tensor<?x6xi32>
  return %z : tensor<?x6xi32>
}

// -----

// Floats are never touched.
// CHECK-LABEL: func @float
// CHECK: inhibitor.attention
// CHECK-SAME: -> tensor<2x3xf32>
// CHECK-NOT: arith.
func.func @float(%q: tensor<2x8xf32>, %k: tensor<3x8xf32>,
                 %v: tensor<3x3xf32>) -> tensor<2x3xf32> {
  %init = tensor.empty() : tensor<2x3xf32>
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<2x8xf32>, tensor<3x8xf32>, tensor<3x3xf32>)
         outs(%init : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %h : tensor<2x3xf32>
}
