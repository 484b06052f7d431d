// RUN: inhibitor-opt %s -test-inhibitor-integer-bounds -mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s
// RUN: inhibitor-opt %s -test-inhibitor-integer-bounds="max-dim=100" -mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s --check-prefix=MAXDIM
// RUN: inhibitor-opt %s -test-inhibitor-integer-bounds="input-bits=4 value-range=0,10" -mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATED

// The bounds of docs/IntegerWidths.md, one remark per op: the result's range
// as upstream's IntegerRangeAnalysis infers it through the ops'
// InferIntRangeInterface (as computed, from the element types), the exact
// result under the stated input ranges, the narrowest exact accumulator,
// then a note per intermediate.

// i8 x D = 64: |q - k| <= 255, the sum <= 64 * 255 = 16320 (15 bits): i16.
// CHECK: remark: result i32 in [0, 16320] (IntegerRangeAnalysis); exact result [0, 16320]; narrowest accumulator i16
// CHECK: note: query: [-128, 127] (8 bits)
// CHECK-NEXT: note: key: [-128, 127] (8 bits)
// CHECK-NEXT: note: q - k: [-255, 255] (9 bits)
// CHECK-NEXT: note: |q - k|: [0, 255] (9 bits)
// CHECK-NEXT: note: sum over D: [0, 16320] (15 bits)
// CHECK-NEXT: note: / gamma: [0, 16320] (15 bits)
// CHECK-NEXT: note: - alpha: [0, 16320] (15 bits)
// STATED: remark: result i32 in [0, 16320] (IntegerRangeAnalysis); exact result [0, 960]; narrowest accumulator i16
// STATED: note: query: [-8, 7] (4 bits)
// STATED-NEXT: note: key: [-8, 7] (4 bits)
// STATED-NEXT: note: q - k: [-15, 15] (5 bits)
// STATED-NEXT: note: |q - k|: [0, 15] (5 bits)
// STATED-NEXT: note: sum over D: [0, 960] (11 bits)
func.func @score_i8(%q: tensor<4x64xi8>, %k: tensor<6x64xi8>) -> tensor<4x6xi32> {
  %init = tensor.empty() : tensor<4x6xi32>
  %z = inhibitor.manhattan_score
         ins(%q, %k : tensor<4x64xi8>, tensor<6x64xi8>)
         outs(%init : tensor<4x6xi32>) -> tensor<4x6xi32>
  return %z : tensor<4x6xi32>
}

// floor(16320 / 8) = 2040, minus alpha 3: [-3, 2037], clamped at 0.
// CHECK: remark: result i32 in [0, 2037] (IntegerRangeAnalysis); exact result [0, 2037]; narrowest accumulator i16
// CHECK: note: sum over D: [0, 16320] (15 bits)
// CHECK-NEXT: note: / gamma: [0, 2040] (12 bits)
// CHECK-NEXT: note: - alpha: [-3, 2037] (12 bits)
func.func @score_gamma_alpha(%q: tensor<4x64xi8>, %k: tensor<6x64xi8>) -> tensor<4x6xi32> {
  %init = tensor.empty() : tensor<4x6xi32>
  %z = inhibitor.manhattan_score {gamma = 8 : i32, alpha = 3 : i32}
         ins(%q, %k : tensor<4x64xi8>, tensor<6x64xi8>)
         outs(%init : tensor<4x6xi32>) -> tensor<4x6xi32>
  return %z : tensor<4x6xi32>
}

// The score feeds the inhibition: Z in [0, 8 * 255 = 2040]; unsigned terms
// max(v - z, 0) in [0, 127], summed over M = 5 keys: [0, 635].
// CHECK: remark: result i32 in [0, 2040] (IntegerRangeAnalysis); exact result [0, 2040]; narrowest accumulator i16
// CHECK: remark: result i32 in [0, 635] (IntegerRangeAnalysis); exact result [0, 635]; narrowest accumulator i16
// CHECK: note: value: [-128, 127] (8 bits)
// CHECK-NEXT: note: score: [0, 2040] (12 bits)
// CHECK-NEXT: note: v - z: [-2168, 127] (13 bits)
// CHECK-NEXT: note: term: [0, 127] (8 bits)
// CHECK-NEXT: note: partial sums over M: [0, 635] (11 bits)
// A stated value range [0, 10]: terms [0, 10], H [0, 50].
// STATED: remark: result i32 in [0, 635] (IntegerRangeAnalysis); exact result [0, 50]
func.func @score_then_inhibit(%q: tensor<4x8xi8>, %k: tensor<5x8xi8>,
                              %v: tensor<5x3xi8>) -> tensor<4x3xi32> {
  %zi = tensor.empty() : tensor<4x5xi32>
  %z = inhibitor.manhattan_score
         ins(%q, %k : tensor<4x8xi8>, tensor<5x8xi8>)
         outs(%zi : tensor<4x5xi32>) -> tensor<4x5xi32>
  %hi = tensor.empty() : tensor<4x3xi32>
  %h = inhibitor.inhibit ins(%v, %z : tensor<5x3xi8>, tensor<4x5xi32>)
         outs(%hi : tensor<4x3xi32>) -> tensor<4x3xi32>
  return %h : tensor<4x3xi32>
}

// Signed inhibition: terms in [-128, 127]; causal row i sums i + 1 <= 4
// keys (N = 4 < M = 16): [-512, 508].
// CHECK: remark: result i32 in [-512, 508] (IntegerRangeAnalysis); exact result [-512, 508]; narrowest accumulator i16
// CHECK: note: score: |q - k|: [0, 255] (9 bits)
// CHECK: note: inhibit: score: [0, 2040] (12 bits)
// CHECK-NEXT: note: inhibit: -z: [-2040, 0] (12 bits)
// CHECK-NEXT: note: inhibit: v+ - z: [-2040, 127] (12 bits)
// CHECK-NEXT: note: inhibit: v- + z: [-128, 2040] (12 bits)
// CHECK-NEXT: note: inhibit: term: [-128, 127] (8 bits)
// CHECK-NEXT: note: inhibit: partial sums over M: [-512, 508] (10 bits)
func.func @attention_causal_signed(%q: tensor<4x8xi8>, %k: tensor<16x8xi8>,
                                   %v: tensor<16x3xi8>) -> tensor<4x3xi32> {
  %init = tensor.empty() : tensor<4x3xi32>
  %h = inhibitor.attention causal signed
         ins(%q, %k, %v : tensor<4x8xi8>, tensor<16x8xi8>, tensor<16x3xi8>)
         outs(%init : tensor<4x3xi32>) -> tensor<4x3xi32>
  return %h : tensor<4x3xi32>
}

// A causal diagonal moved by a run-time causal_offset: rows sum 0 to all
// M = 16 keys, as with a mask of unknown values: [-2048, 2032].
// CHECK: remark: result i32 in [-2048, 2032] (IntegerRangeAnalysis); exact result [-2048, 2032]; narrowest accumulator i16
// CHECK: note: inhibit: partial sums over M: [-2048, 2032] (12 bits)
func.func @attention_causal_offset(%q: tensor<4x8xi8>, %k: tensor<16x8xi8>,
                                   %v: tensor<16x3xi8>, %d: index) -> tensor<4x3xi32> {
  %init = tensor.empty() : tensor<4x3xi32>
  %h = inhibitor.attention causal signed
         ins(%q, %k, %v : tensor<4x8xi8>, tensor<16x8xi8>, tensor<16x3xi8>)
         causal_offset(%d)
         outs(%init : tensor<4x3xi32>) -> tensor<4x3xi32>
  return %h : tensor<4x3xi32>
}

// A constant mask and a constant causal_offset of 1 (pairs j <= i + 1) are
// counted together: rows attend 2 and 2 of 3 keys.
// CHECK: remark: result i32 in [0, 254] (IntegerRangeAnalysis); exact result [0, 254]; narrowest accumulator i16
// CHECK: note: inhibit: partial sums over M: [0, 254] (9 bits)
func.func @attention_offset_mask(%q: tensor<2x8xi8>, %k: tensor<3x8xi8>,
                                 %v: tensor<3x3xi8>) -> tensor<2x3xi32> {
  %m = arith.constant dense<[[true, true, true], [true, true, false]]> : tensor<2x3xi1>
  %d = arith.constant 1 : index
  %init = tensor.empty() : tensor<2x3xi32>
  %h = inhibitor.attention causal
         ins(%q, %k, %v : tensor<2x8xi8>, tensor<3x8xi8>, tensor<3x3xi8>)
         mask(%m : tensor<2x3xi1>) causal_offset(%d)
         outs(%init : tensor<2x3xi32>) -> tensor<2x3xi32>
  return %h : tensor<2x3xi32>
}

// A constant mask is counted: rows attend 2 and 0 of 3 keys.
// CHECK: remark: result i32 in [0, 254] (IntegerRangeAnalysis); exact result [0, 254]; narrowest accumulator i16
// CHECK: note: inhibit: partial sums over M: [0, 254] (9 bits)
func.func @attention_constant_mask(%q: tensor<2x8xi8>, %k: tensor<3x8xi8>,
                                   %v: tensor<3x3xi8>) -> tensor<2x3xi32> {
  %m = arith.constant dense<[[true, false, true], [false, false, false]]> : tensor<2x3xi1>
  %init = tensor.empty() : tensor<2x3xi32>
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<2x8xi8>, tensor<3x8xi8>, tensor<3x3xi8>)
         mask(%m : tensor<2x3xi1>)
         outs(%init : tensor<2x3xi32>) -> tensor<2x3xi32>
  return %h : tensor<2x3xi32>
}

// A mask of unknown values: rows sum 0 to M = 3 keys.
// CHECK: remark: result i32 in [-384, 381] (IntegerRangeAnalysis); exact result [-384, 381]; narrowest accumulator i16
func.func @attention_mask_argument(%q: tensor<2x8xi8>, %k: tensor<3x8xi8>,
                                   %v: tensor<3x3xi8>, %m: tensor<2x3xi1>) -> tensor<2x3xi32> {
  %init = tensor.empty() : tensor<2x3xi32>
  %h = inhibitor.attention signed
         ins(%q, %k, %v : tensor<2x8xi8>, tensor<3x8xi8>, tensor<3x3xi8>)
         mask(%m : tensor<2x3xi1>)
         outs(%init : tensor<2x3xi32>) -> tensor<2x3xi32>
  return %h : tensor<2x3xi32>
}

// A dynamic D: the sum has no bound (the computed score, clamped at 0, is
// any non-negative i32); max-dim bounds it.
// CHECK: remark: result i32 in [0, 2147483647] (IntegerRangeAnalysis); exact result has no bound; narrowest accumulator none
// CHECK: note: sum over D: no bound (D is dynamic)
// MAXDIM: remark: result i32 in [0, 2147483647] (IntegerRangeAnalysis); exact result [0, 25500]; narrowest accumulator i16
// MAXDIM: note: sum over D: [0, 25500] (16 bits)
func.func @score_dynamic_d(%q: tensor<4x?xi8>, %k: tensor<6x?xi8>) -> tensor<4x6xi32> {
  %init = tensor.empty() : tensor<4x6xi32>
  %z = inhibitor.manhattan_score
         ins(%q, %k : tensor<4x?xi8>, tensor<6x?xi8>)
         outs(%init : tensor<4x6xi32>) -> tensor<4x6xi32>
  return %z : tensor<4x6xi32>
}

// i32 inputs: |q - k| needs 33 bits, the sum over 4 of them 35: i64.
// CHECK: remark: result i64 in [0, 17179869180] (IntegerRangeAnalysis); exact result [0, 17179869180]; narrowest accumulator i64
func.func @score_i32(%q: tensor<2x4xi32>, %k: tensor<3x4xi32>) -> tensor<2x3xi64> {
  %init = tensor.empty() : tensor<2x3xi64>
  %z = inhibitor.manhattan_score
         ins(%q, %k : tensor<2x4xi32>, tensor<3x4xi32>)
         outs(%init : tensor<2x3xi64>) -> tensor<2x3xi64>
  return %z : tensor<2x3xi64>
}

// A bias of i8 data (through arith.extsi, which upstream's analysis reads):
// floor(16320 / 8) - B in [0 - 127, 2040 + 128].
// CHECK: remark: result i32 in [0, 2168] (IntegerRangeAnalysis); exact result [0, 2168]; narrowest accumulator i16
// CHECK: note: / gamma: [0, 2040] (12 bits)
// CHECK-NEXT: note: - alpha: [0, 2040] (12 bits)
// CHECK-NEXT: note: bias: [-128, 127] (8 bits)
// CHECK-NEXT: note: - bias: [-127, 2168] (13 bits)
// A stated bias range (input-bits=4: [-8, 7]).
// STATED: remark: result i32 in [0, 2168] (IntegerRangeAnalysis); exact result [0, 128]
func.func @score_bias(%q: tensor<4x64xi8>, %k: tensor<6x64xi8>,
                      %b8: tensor<4x6xi8>) -> tensor<4x6xi32> {
  %b = arith.extsi %b8 : tensor<4x6xi8> to tensor<4x6xi32>
  %init = tensor.empty() : tensor<4x6xi32>
  %z = inhibitor.manhattan_score {gamma = 8 : i32}
         ins(%q, %k : tensor<4x64xi8>, tensor<6x64xi8>)
         bias(%b : tensor<4x6xi32>)
         outs(%init : tensor<4x6xi32>) -> tensor<4x6xi32>
  return %z : tensor<4x6xi32>
}
