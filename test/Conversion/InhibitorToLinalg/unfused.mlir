// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg -split-input-file -verify-each | FileCheck %s

// Every inhibitor op becomes linalg on tensors computing in the accumulator
// type. The score transposes K once (linalg.transpose, K [b..., M, D] ->
// K^T [b..., D, M]) and reduces over (b..., i, k, j): the reduction over D
// in the middle and the keys innermost, so K^T and Z are read with unit
// stride along the keys; an elementwise generic then applies gamma, alpha
// and the ReLU. The inhibition is one reduction generic over (b..., i, j, e),
// reading an i8 copy of the mask. Signed inhibition is eq. 5's max/min form
// in inhibitor.inhibit (Z may be negative) and the cheaper clamp form
// V - max(min(V, Z), 0 - Z) in inhibitor.attention (Z >= 0 there).
// The fused, tiled lowering (fuse-attention) is in fused-attention.mlir.

//===----------------------------------------------------------------------===//
// inhibitor.manhattan_score
//===----------------------------------------------------------------------===//

// No batch dims, i8 widened to i32, default gamma (1) and alpha (0): no
// division and no subtraction of alpha, only the ReLU. K [32, 64] is
// transposed to K^T [64, 32]; the reduction runs over (i, k, j) with
// Q (i, k), K^T (k, j) and Z (i, j).
// CHECK-DAG: #[[$Q_MAP:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[$KT_MAP:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$Z_MAP:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func @score_i8_i32
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<16x64xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<32x64xi8>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<16x32xi32>
// CHECK: %[[KTE:.*]] = tensor.empty() : tensor<64x32xi8>
// CHECK: %[[KT:.*]] = linalg.transpose ins(%[[K]] : tensor<32x64xi8>) outs(%[[KTE]] : tensor<64x32xi8>) permutation = [1, 0]
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : i32) outs(%[[INIT]] : tensor<16x32xi32>) -> tensor<16x32xi32>
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[$Q_MAP]], #[[$KT_MAP]], #[[$Z_MAP]]]
// CHECK-SAME: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-SAME: ins(%[[Q]], %[[KT]] : tensor<16x64xi8>, tensor<64x32xi8>) outs(%[[FILL]] : tensor<16x32xi32>)
// CHECK-NEXT: ^bb0(%[[QE:[a-zA-Z0-9_]+]]: i8, %[[KE:[a-zA-Z0-9_]+]]: i8, %[[ACC:[a-zA-Z0-9_]+]]: i32):
// CHECK-DAG: %[[QW:.*]] = arith.extsi %[[QE]] : i8 to i32
// CHECK-DAG: %[[KW:.*]] = arith.extsi %[[KE]] : i8 to i32
// CHECK: %[[DIFF:.*]] = arith.subi %[[QW]], %[[KW]] : i32
// CHECK: %[[ABS:.*]] = math.absi %[[DIFF]] : i32
// CHECK: %[[ADD:.*]] = arith.addi %[[ACC]], %[[ABS]] : i32
// CHECK: linalg.yield %[[ADD]] : i32
// CHECK: %[[RES:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[$ID2]]], iterator_types = ["parallel", "parallel"]
// CHECK-SAME: outs(%[[SUM]] : tensor<16x32xi32>)
// CHECK-NEXT: ^bb0(%[[S:[a-zA-Z0-9_]+]]: i32):
// CHECK-NOT: arith.shrsi
// CHECK-NOT: arith.floordivsi
// CHECK-NOT: arith.subi
// CHECK: %[[C0:.*]] = arith.constant 0 : i32
// CHECK: %[[RELU:.*]] = arith.maxsi %[[S]], %[[C0]] : i32
// CHECK: linalg.yield %[[RELU]] : i32
// CHECK: return %[[RES]]
func.func @score_i8_i32(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                        %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  %z = inhibitor.manhattan_score
         ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}

// -----

// One batch dim (prepended to every map and kept first by the transpose),
// same input and accumulator type (no widening), gamma = 8 is a shift by 3,
// alpha = 1 is subtracted.
// CHECK-DAG: #[[$Q_MAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[$KT_MAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG: #[[$Z_MAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[$ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func @score_gamma_pow2_alpha
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x16x64xi16>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x32x64xi16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<2x16x32xi16>
// CHECK: %[[KTE:.*]] = tensor.empty() : tensor<2x64x32xi16>
// CHECK: %[[KT:.*]] = linalg.transpose ins(%[[K]] : tensor<2x32x64xi16>) outs(%[[KTE]] : tensor<2x64x32xi16>) permutation = [0, 2, 1]
// CHECK: %[[FILL:.*]] = linalg.fill ins(%{{.*}} : i16) outs(%[[INIT]] : tensor<2x16x32xi16>)
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[$Q_MAP]], #[[$KT_MAP]], #[[$Z_MAP]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction", "parallel"]
// CHECK-SAME: ins(%[[Q]], %[[KT]] : tensor<2x16x64xi16>, tensor<2x64x32xi16>) outs(%[[FILL]] : tensor<2x16x32xi16>)
// CHECK-NEXT: ^bb0(%[[QE:[a-zA-Z0-9_]+]]: i16, %[[KE:[a-zA-Z0-9_]+]]: i16, %[[ACC:[a-zA-Z0-9_]+]]: i16):
// CHECK-NOT: arith.extsi
// CHECK: %[[DIFF:.*]] = arith.subi %[[QE]], %[[KE]] : i16
// CHECK: %[[ABS:.*]] = math.absi %[[DIFF]] : i16
// CHECK: %[[ADD:.*]] = arith.addi %[[ACC]], %[[ABS]] : i16
// CHECK: linalg.yield %[[ADD]] : i16
// CHECK: %[[RES:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]
// CHECK-SAME: outs(%[[SUM]] : tensor<2x16x32xi16>)
// CHECK-NEXT: ^bb0(%[[S:[a-zA-Z0-9_]+]]: i16):
// CHECK: %[[C3:.*]] = arith.constant 3 : i16
// CHECK: %[[SHR:.*]] = arith.shrsi %[[S]], %[[C3]] : i16
// CHECK: %[[C1:.*]] = arith.constant 1 : i16
// CHECK: %[[SHIFTED:.*]] = arith.subi %[[SHR]], %[[C1]] : i16
// CHECK: %[[C0:.*]] = arith.constant 0 : i16
// CHECK: %[[RELU:.*]] = arith.maxsi %[[SHIFTED]], %[[C0]] : i16
// CHECK: linalg.yield %[[RELU]] : i16
// CHECK: return %[[RES]]
func.func @score_gamma_pow2_alpha(%q: tensor<2x16x64xi16>, %k: tensor<2x32x64xi16>,
                                  %init: tensor<2x16x32xi16>) -> tensor<2x16x32xi16> {
  %z = inhibitor.manhattan_score {gamma = 8 : i16, alpha = 1 : i16}
         ins(%q, %k : tensor<2x16x64xi16>, tensor<2x32x64xi16>)
         outs(%init : tensor<2x16x32xi16>) -> tensor<2x16x32xi16>
  return %z : tensor<2x16x32xi16>
}

// -----

// gamma = 3 is not a power of two: floor division; no alpha.
// CHECK-LABEL: func @score_gamma3
// CHECK: linalg.transpose ins(%{{.*}} : tensor<9x7xi32>) outs(%{{.*}} : tensor<7x9xi32>) permutation = [1, 0]
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK: %[[RES:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-SAME: outs(%[[SUM]] : tensor<5x9xi32>)
// CHECK-NEXT: ^bb0(%[[S:[a-zA-Z0-9_]+]]: i32):
// CHECK-NOT: arith.shrsi
// CHECK: %[[C3:.*]] = arith.constant 3 : i32
// CHECK: %[[DIV:.*]] = arith.floordivsi %[[S]], %[[C3]] : i32
// CHECK-NOT: arith.subi
// CHECK: %[[C0:.*]] = arith.constant 0 : i32
// CHECK: %[[RELU:.*]] = arith.maxsi %[[DIV]], %[[C0]] : i32
// CHECK: linalg.yield %[[RELU]] : i32
// CHECK: return %[[RES]]
func.func @score_gamma3(%q: tensor<5x7xi32>, %k: tensor<9x7xi32>,
                        %init: tensor<5x9xi32>) -> tensor<5x9xi32> {
  %z = inhibitor.manhattan_score {gamma = 3 : i32}
         ins(%q, %k : tensor<5x7xi32>, tensor<9x7xi32>)
         outs(%init : tensor<5x9xi32>) -> tensor<5x9xi32>
  return %z : tensor<5x9xi32>
}

// -----

// Floats: f16 widened to f32 with extf; divf by gamma, subf alpha, maximumf.
// CHECK-LABEL: func @score_f16_f32
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<16x64xf16>, %[[K:[a-zA-Z0-9_]+]]: tensor<32x64xf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<16x32xf32>
// K^T keeps the input type: the widening happens in the reduction body.
// CHECK: %[[KT:.*]] = linalg.transpose ins(%[[K]] : tensor<32x64xf16>) outs(%{{.*}} : tensor<64x32xf16>) permutation = [1, 0]
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[INIT]] : tensor<16x32xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-SAME: ins(%[[Q]], %[[KT]] : tensor<16x64xf16>, tensor<64x32xf16>) outs(%[[FILL]] : tensor<16x32xf32>)
// CHECK-NEXT: ^bb0(%[[QE:[a-zA-Z0-9_]+]]: f16, %[[KE:[a-zA-Z0-9_]+]]: f16, %[[ACC:[a-zA-Z0-9_]+]]: f32):
// CHECK-DAG: %[[QW:.*]] = arith.extf %[[QE]] : f16 to f32
// CHECK-DAG: %[[KW:.*]] = arith.extf %[[KE]] : f16 to f32
// CHECK: %[[DIFF:.*]] = arith.subf %[[QW]], %[[KW]] : f32
// CHECK: %[[ABS:.*]] = math.absf %[[DIFF]] : f32
// CHECK: %[[ADD:.*]] = arith.addf %[[ACC]], %[[ABS]] : f32
// CHECK: linalg.yield %[[ADD]] : f32
// CHECK: %[[RES:.*]] = linalg.generic
// CHECK-SAME: outs(%[[SUM]] : tensor<16x32xf32>)
// CHECK-NEXT: ^bb0(%[[S:[a-zA-Z0-9_]+]]: f32):
// CHECK: %[[GAMMA:.*]] = arith.constant 8.000000e+00 : f32
// CHECK: %[[DIV:.*]] = arith.divf %[[S]], %[[GAMMA]] : f32
// CHECK: %[[ALPHA:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: %[[SHIFTED:.*]] = arith.subf %[[DIV]], %[[ALPHA]] : f32
// CHECK: %[[C0:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[RELU:.*]] = arith.maximumf %[[SHIFTED]], %[[C0]] : f32
// CHECK: linalg.yield %[[RELU]] : f32
// CHECK: return %[[RES]]
func.func @score_f16_f32(%q: tensor<16x64xf16>, %k: tensor<32x64xf16>,
                         %init: tensor<16x32xf32>) -> tensor<16x32xf32> {
  %z = inhibitor.manhattan_score {gamma = 8.0 : f32, alpha = 0.5 : f32}
         ins(%q, %k : tensor<16x64xf16>, tensor<32x64xf16>)
         outs(%init : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %z : tensor<16x32xf32>
}

// -----

// Float defaults: no divf, no subf of alpha. Dynamic sizes: the only new
// tensor is K^T, its sizes K's read with tensor.dim and swapped (D, M); the
// score's destination is the init operand.
// CHECK-LABEL: func @score_f32_defaults_dynamic
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<?x?xf32>, %[[K:[a-zA-Z0-9_]+]]: tensor<?x?xf32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x?xf32>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[KM:.*]] = tensor.dim %[[K]], %[[C0]] : tensor<?x?xf32>
// CHECK-DAG: %[[KD:.*]] = tensor.dim %[[K]], %[[C1]] : tensor<?x?xf32>
// CHECK: %[[KTE:.*]] = tensor.empty(%[[KD]], %[[KM]]) : tensor<?x?xf32>
// CHECK: %[[KT:.*]] = linalg.transpose ins(%[[K]] : tensor<?x?xf32>) outs(%[[KTE]] : tensor<?x?xf32>) permutation = [1, 0]
// CHECK-NOT: tensor.empty
// CHECK: %[[FILL:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[INIT]] : tensor<?x?xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK-SAME: ins(%[[Q]], %[[KT]] : tensor<?x?xf32>, tensor<?x?xf32>) outs(%[[FILL]] : tensor<?x?xf32>)
// CHECK-NOT: arith.extf
// CHECK: arith.subf
// CHECK: math.absf
// CHECK: arith.addf
// CHECK: %[[RES:.*]] = linalg.generic
// CHECK-SAME: outs(%[[SUM]] : tensor<?x?xf32>)
// CHECK-NEXT: ^bb0(%[[S:[a-zA-Z0-9_]+]]: f32):
// CHECK-NOT: arith.divf
// CHECK-NOT: arith.subf
// CHECK: %[[C0:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[RELU:.*]] = arith.maximumf %[[S]], %[[C0]] : f32
// CHECK: linalg.yield %[[RELU]] : f32
// CHECK: return %[[RES]]
func.func @score_f32_defaults_dynamic(%q: tensor<?x?xf32>, %k: tensor<?x?xf32>,
                                      %init: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %z = inhibitor.manhattan_score
         ins(%q, %k : tensor<?x?xf32>, tensor<?x?xf32>)
         outs(%init : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %z : tensor<?x?xf32>
}

// -----

//===----------------------------------------------------------------------===//
// inhibitor.inhibit
//===----------------------------------------------------------------------===//

// Unsigned (eq. 4): sum_j max(V[j, e] - Z[i, j], 0) over (i, j, e), the
// reduction (j) next to last. V is widened from i16 to i32.
// CHECK-DAG: #[[$V_MAP:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$Z_MAP:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[$H_MAP:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func @inhibit_unsigned
// CHECK-SAME: %[[V:[a-zA-Z0-9_]+]]: tensor<32x64xi16>, %[[Z:[a-zA-Z0-9_]+]]: tensor<16x32xi32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<16x64xi32>
// CHECK: %[[FILL:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%[[INIT]] : tensor<16x64xi32>)
// CHECK: %[[RES:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[$V_MAP]], #[[$Z_MAP]], #[[$H_MAP]]]
// CHECK-SAME: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-SAME: ins(%[[V]], %[[Z]] : tensor<32x64xi16>, tensor<16x32xi32>) outs(%[[FILL]] : tensor<16x64xi32>)
// CHECK-NEXT: ^bb0(%[[VE:[a-zA-Z0-9_]+]]: i16, %[[ZE:[a-zA-Z0-9_]+]]: i32, %[[ACC:[a-zA-Z0-9_]+]]: i32):
// CHECK-DAG: %[[VW:.*]] = arith.extsi %[[VE]] : i16 to i32
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : i32
// CHECK: %[[DIFF:.*]] = arith.subi %[[VW]], %[[ZE]] : i32
// CHECK: %[[RELU:.*]] = arith.maxsi %[[DIFF]], %[[C0]] : i32
// CHECK: %[[ADD:.*]] = arith.addi %[[ACC]], %[[RELU]] : i32
// CHECK: linalg.yield %[[ADD]] : i32
// CHECK: return %[[RES]]
func.func @inhibit_unsigned(%v: tensor<32x64xi16>, %z: tensor<16x32xi32>,
                            %init: tensor<16x64xi32>) -> tensor<16x64xi32> {
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x64xi16>, tensor<16x32xi32>)
         outs(%init : tensor<16x64xi32>) -> tensor<16x64xi32>
  return %h : tensor<16x64xi32>
}

// -----

// Signed (eq. 5), one batch dim: max(V+ - Z, 0) + min(V- + Z, 0) with
// V+ = max(V, 0) and V- = min(V, 0). The standalone op keeps this form (Z
// is an operand here and may be negative): two maxsi and two minsi, not
// attention's clamp form.
// CHECK-DAG: #[[$V_MAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG: #[[$Z_MAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[$H_MAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-LABEL: func @inhibit_signed
// CHECK: %[[RES:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[$V_MAP]], #[[$Z_MAP]], #[[$H_MAP]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction", "parallel"]
// CHECK-NEXT: ^bb0(%[[VE:[a-zA-Z0-9_]+]]: i8, %[[ZE:[a-zA-Z0-9_]+]]: i8, %[[ACC:[a-zA-Z0-9_]+]]: i8):
// CHECK-NOT: arith.extsi
// CHECK: %[[C0:.*]] = arith.constant 0 : i8
// CHECK-DAG: %[[POS:.*]] = arith.maxsi %[[VE]], %[[C0]] : i8
// CHECK-DAG: %[[NEG:.*]] = arith.minsi %[[VE]], %[[C0]] : i8
// CHECK-DAG: %[[NEGZ:.*]] = arith.addi %[[NEG]], %[[ZE]] : i8
// CHECK-DAG: %[[NEGPART:.*]] = arith.minsi %[[NEGZ]], %[[C0]] : i8
// CHECK-DAG: %[[POSZ:.*]] = arith.subi %[[POS]], %[[ZE]] : i8
// CHECK-DAG: %[[POSPART:.*]] = arith.maxsi %[[POSZ]], %[[C0]] : i8
// CHECK: %[[BOTH:.*]] = arith.addi %[[POSPART]], %[[NEGPART]] : i8
// CHECK-NOT: arith.subi
// CHECK: %[[ADD:.*]] = arith.addi %[[ACC]], %[[BOTH]] : i8
// CHECK: linalg.yield %[[ADD]] : i8
// CHECK: return %[[RES]]
func.func @inhibit_signed(%v: tensor<2x32x8xi8>, %z: tensor<2x16x32xi8>,
                          %init: tensor<2x16x8xi8>) -> tensor<2x16x8xi8> {
  %h = inhibitor.inhibit signed ins(%v, %z : tensor<2x32x8xi8>, tensor<2x16x32xi8>)
         outs(%init : tensor<2x16x8xi8>) -> tensor<2x16x8xi8>
  return %h : tensor<2x16x8xi8>
}

// -----

// Signed float: bf16 values widened with extf, maximumf/minimumf.
// CHECK-LABEL: func @inhibit_signed_float
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-NEXT: ^bb0(%[[VE:[a-zA-Z0-9_]+]]: bf16, %[[ZE:[a-zA-Z0-9_]+]]: f32, %[[ACC:[a-zA-Z0-9_]+]]: f32):
// CHECK: %[[VW:.*]] = arith.extf %[[VE]] : bf16 to f32
// CHECK: %[[C0:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[POS:.*]] = arith.maximumf %[[VW]], %[[C0]] : f32
// CHECK-DAG: %[[NEG:.*]] = arith.minimumf %[[VW]], %[[C0]] : f32
// CHECK-DAG: %[[NEGZ:.*]] = arith.addf %[[NEG]], %[[ZE]] : f32
// CHECK-DAG: %[[NEGPART:.*]] = arith.minimumf %[[NEGZ]], %[[C0]] : f32
// CHECK-DAG: %[[POSZ:.*]] = arith.subf %[[POS]], %[[ZE]] : f32
// CHECK-DAG: %[[POSPART:.*]] = arith.maximumf %[[POSZ]], %[[C0]] : f32
// CHECK: %[[BOTH:.*]] = arith.addf %[[POSPART]], %[[NEGPART]] : f32
// CHECK: %[[ADD:.*]] = arith.addf %[[ACC]], %[[BOTH]] : f32
// CHECK: linalg.yield %[[ADD]] : f32
func.func @inhibit_signed_float(%v: tensor<32x8xbf16>, %z: tensor<16x32xf32>,
                                %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %h = inhibitor.inhibit signed ins(%v, %z : tensor<32x8xbf16>, tensor<16x32xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

//===----------------------------------------------------------------------===//
// inhibitor.attention
//===----------------------------------------------------------------------===//

// Two batch dims, i8 inputs with an i32 accumulator, and a rank-1 mask over
// the keys: right-aligned, it reads only the j loop (d3). The two generics
// share three maps: the score's (b, b, i, k, j) reads Q at (d2, d3), K^T at
// (d3, d4) and writes Z at (d2, d4); the inhibition's (b, b, i, j, e) reads
// V at (d3, d4), Z at (d2, d3) and writes H at (d2, d4).
// CHECK-DAG: #[[$MAP_23:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$MAP_34:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3, d4)>
// CHECK-DAG: #[[$MAP_24:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>
// CHECK-DAG: #[[$ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[$MASK_MAP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d3)>
// CHECK-LABEL: func @attention_mask_lower_rank
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x4x16x64xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x4x32x64xi8>, %[[V:[a-zA-Z0-9_]+]]: tensor<2x4x32x8xi8>, %[[M:[a-zA-Z0-9_]+]]: tensor<32xi1>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<2x4x16x8xi32>
// CHECK: %[[ZE:.*]] = tensor.empty() : tensor<2x4x16x32xi32>
// CHECK: %[[KTE:.*]] = tensor.empty() : tensor<2x4x64x32xi8>
// CHECK: %[[KT:.*]] = linalg.transpose ins(%[[K]] : tensor<2x4x32x64xi8>) outs(%[[KTE]] : tensor<2x4x64x32xi8>) permutation = [0, 1, 3, 2]
// CHECK: %[[ZFILL:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%[[ZE]] : tensor<2x4x16x32xi32>)
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[$MAP_23]], #[[$MAP_34]], #[[$MAP_24]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]
// CHECK-SAME: ins(%[[Q]], %[[KT]] : tensor<2x4x16x64xi8>, tensor<2x4x64x32xi8>) outs(%[[ZFILL]] : tensor<2x4x16x32xi32>)
// CHECK-COUNT-2: arith.extsi %{{.*}} : i8 to i32
// CHECK: math.absi
// CHECK: %[[SCORE:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[$ID4]]]
// CHECK-SAME: outs(%[[SUM]] : tensor<2x4x16x32xi32>)
// CHECK: arith.shrsi
// CHECK: arith.maxsi
// CHECK: %[[ME:.*]] = tensor.empty() : tensor<32xi8>
// CHECK: %[[MASK8:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]
// CHECK-SAME: ins(%[[M]] : tensor<32xi1>) outs(%[[ME]] : tensor<32xi8>)
// CHECK-NEXT: ^bb0(%[[BIT:[a-zA-Z0-9_]+]]: i1, %{{.*}}: i8):
// CHECK-NEXT: %[[BYTE:.*]] = arith.extui %[[BIT]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[BYTE]] : i8
// CHECK: %[[HFILL:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%[[INIT]] : tensor<2x4x16x8xi32>)
// Signed inhibition of a computed score (Z >= 0) in the clamp form
// V - clamp(V, -Z, Z) = V - max(min(V, Z), 0 - Z), equal to eq. 5 bit for bit.
// CHECK: %[[RES:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[$MAP_34]], #[[$MAP_23]], #[[$MASK_MAP]], #[[$MAP_24]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]
// CHECK-SAME: ins(%[[V]], %[[SCORE]], %[[MASK8]] : tensor<2x4x32x8xi8>, tensor<2x4x16x32xi32>, tensor<32xi8>) outs(%[[HFILL]] : tensor<2x4x16x8xi32>)
// CHECK-NEXT: ^bb0(%[[VE:[a-zA-Z0-9_]+]]: i8, %[[ZE:[a-zA-Z0-9_]+]]: i32, %[[ME:[a-zA-Z0-9_]+]]: i8, %[[ACC:[a-zA-Z0-9_]+]]: i32):
// CHECK: %[[VW:.*]] = arith.extsi %[[VE]] : i8 to i32
// CHECK: %[[C0:.*]] = arith.constant 0 : i32
// CHECK-DAG: %[[MINUSZ:.*]] = arith.subi %[[C0]], %[[ZE]] : i32
// CHECK-DAG: %[[UPPER:.*]] = arith.minsi %[[VW]], %[[ZE]] : i32
// CHECK: %[[CLAMP:.*]] = arith.maxsi %[[UPPER]], %[[MINUSZ]] : i32
// CHECK: %[[CONTRIB:.*]] = arith.subi %[[VW]], %[[CLAMP]] : i32
// CHECK-NOT: arith.maxsi
// CHECK-NOT: arith.minsi
// CHECK: %[[C0_I8:.*]] = arith.constant 0 : i8
// CHECK: %[[ATTEND:.*]] = arith.cmpi ne, %[[ME]], %[[C0_I8]] : i8
// CHECK: %[[SEL:.*]] = arith.select %[[ATTEND]], %[[CONTRIB]], %[[C0]] : i32
// CHECK: %[[ADD:.*]] = arith.addi %[[ACC]], %[[SEL]] : i32
// CHECK: linalg.yield %[[ADD]] : i32
// CHECK: return %[[RES]]
func.func @attention_mask_lower_rank(%q: tensor<2x4x16x64xi8>, %k: tensor<2x4x32x64xi8>,
                                     %v: tensor<2x4x32x8xi8>, %m: tensor<32xi1>,
                                     %init: tensor<2x4x16x8xi32>) -> tensor<2x4x16x8xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<2x4x16x64xi8>, tensor<2x4x32x64xi8>, tensor<2x4x32x8xi8>)
         mask(%m : tensor<32xi1>)
         outs(%init : tensor<2x4x16x8xi32>) -> tensor<2x4x16x8xi32>
  return %h : tensor<2x4x16x8xi32>
}

// -----

// Signed float attention, no mask: the clamp form with minimumf, maximumf
// and subf (bf16 values widened to the f32 accumulator first); compare
// inhibit_signed_float above, which keeps eq. 5.
// CHECK-LABEL: func @attention_signed_float
// CHECK-SAME: %[[V:[a-zA-Z0-9_]+]]: tensor<32x8xbf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<16x8xf32>
// CHECK: linalg.transpose ins(%{{.*}} : tensor<32x64xf16>) outs(%{{.*}} : tensor<64x32xf16>) permutation = [1, 0]
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK: %[[SCORE:.*]] = linalg.generic
// CHECK: arith.divf
// CHECK: arith.maximumf
// CHECK: %[[HFILL:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[INIT]] : tensor<16x8xf32>)
// CHECK: %[[RES:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-SAME: ins(%[[V]], %[[SCORE]] : tensor<32x8xbf16>, tensor<16x32xf32>) outs(%[[HFILL]] : tensor<16x8xf32>)
// CHECK-NEXT: ^bb0(%[[VE:[a-zA-Z0-9_]+]]: bf16, %[[ZE:[a-zA-Z0-9_]+]]: f32, %[[ACC:[a-zA-Z0-9_]+]]: f32):
// CHECK: %[[VW:.*]] = arith.extf %[[VE]] : bf16 to f32
// CHECK: %[[C0:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[MINUSZ:.*]] = arith.subf %[[C0]], %[[ZE]] : f32
// CHECK-DAG: %[[UPPER:.*]] = arith.minimumf %[[VW]], %[[ZE]] : f32
// CHECK: %[[CLAMP:.*]] = arith.maximumf %[[UPPER]], %[[MINUSZ]] : f32
// CHECK: %[[CONTRIB:.*]] = arith.subf %[[VW]], %[[CLAMP]] : f32
// CHECK-NOT: arith.maximumf
// CHECK-NOT: arith.minimumf
// CHECK: %[[ADD:.*]] = arith.addf %[[ACC]], %[[CONTRIB]] : f32
// CHECK-NEXT: linalg.yield %[[ADD]] : f32
// CHECK: return %[[RES]]
func.func @attention_signed_float(%q: tensor<16x64xf16>, %k: tensor<32x64xf16>,
                                  %v: tensor<32x8xbf16>,
                                  %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %h = inhibitor.attention signed {gamma = 2.0 : f32}
         ins(%q, %k, %v : tensor<16x64xf16>, tensor<32x64xf16>, tensor<32x8xbf16>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

// A static size-1 mask dim broadcasts over the batch: the map reads index 0.
// With causal too, the mask select is followed by the j <= i select.
// CHECK-DAG: #[[$MASK_MAP:.*]] = affine_map<(d0, d1, d2, d3) -> (0, d1, d2)>
// CHECK-LABEL: func @attention_mask_size1_causal
// CHECK-SAME: %[[M:[a-zA-Z0-9_]+]]: tensor<1x16x32xi1>
// CHECK: tensor.empty() : tensor<2x16x32xf32>
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x32x64xf32>) outs(%{{.*}} : tensor<2x64x32xf32>) permutation = [0, 2, 1]
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction", "parallel"]
// CHECK: %[[SCORE:.*]] = linalg.generic
// CHECK-SAME: outs(%[[SUM]] : tensor<2x16x32xf32>)
// CHECK: arith.maximumf
// CHECK: %[[ME:.*]] = tensor.empty() : tensor<1x16x32xi8>
// CHECK: %[[MASK8:.*]] = linalg.generic
// CHECK-SAME: ins(%[[M]] : tensor<1x16x32xi1>) outs(%[[ME]] : tensor<1x16x32xi8>)
// CHECK: arith.extui %{{.*}} : i1 to i8
// CHECK: %[[RES:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#{{[a-z0-9_]+}}, #{{[a-z0-9_]+}}, #[[$MASK_MAP]], #{{[a-z0-9_]+}}]
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction", "parallel"]
// CHECK-SAME: ins(%{{.*}}, %[[SCORE]], %[[MASK8]] : tensor<2x32x8xf32>, tensor<2x16x32xf32>, tensor<1x16x32xi8>)
// CHECK-NEXT: ^bb0(%[[VE:[a-zA-Z0-9_]+]]: f32, %[[ZE:[a-zA-Z0-9_]+]]: f32, %[[ME:[a-zA-Z0-9_]+]]: i8, %[[ACC:[a-zA-Z0-9_]+]]: f32):
// CHECK: %[[C0:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[DIFF:.*]] = arith.subf %[[VE]], %[[ZE]] : f32
// CHECK: %[[RELU:.*]] = arith.maximumf %[[DIFF]], %[[C0]] : f32
// CHECK: %[[ATTEND:.*]] = arith.cmpi ne, %[[ME]], %{{.*}} : i8
// CHECK: %[[MASKED:.*]] = arith.select %[[ATTEND]], %[[RELU]], %[[C0]] : f32
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: %[[J:.*]] = linalg.index 2 : index
// CHECK: %[[KEEP:.*]] = arith.cmpi sle, %[[J]], %[[I]] : index
// CHECK: %[[CAUSAL:.*]] = arith.select %[[KEEP]], %[[MASKED]], %[[C0]] : f32
// CHECK: %[[ADD:.*]] = arith.addf %[[ACC]], %[[CAUSAL]] : f32
// CHECK: linalg.yield %[[ADD]] : f32
// CHECK: return %[[RES]]
func.func @attention_mask_size1_causal(%q: tensor<2x16x64xf32>, %k: tensor<2x32x64xf32>,
                                       %v: tensor<2x32x8xf32>, %m: tensor<1x16x32xi1>,
                                       %init: tensor<2x16x8xf32>) -> tensor<2x16x8xf32> {
  %h = inhibitor.attention causal
         ins(%q, %k, %v : tensor<2x16x64xf32>, tensor<2x32x64xf32>, tensor<2x32x8xf32>)
         mask(%m : tensor<1x16x32xi1>)
         outs(%init : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  return %h : tensor<2x16x8xf32>
}

// -----

// Causal alone materializes no mask: the new tensors are the score, its
// dynamic sizes read with tensor.dim (batch and N of Q, M of K), and K^T
// [B, D, M] (sizes of K, the last two swapped).
// CHECK-LABEL: func @attention_causal_dynamic
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<?x?x?xf32>, %[[K:[a-zA-Z0-9_]+]]: tensor<?x?x?xf32>, %[[V:[a-zA-Z0-9_]+]]: tensor<?x?x?xf32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x?x?xf32>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[B:.*]] = tensor.dim %[[Q]], %[[C0]] : tensor<?x?x?xf32>
// CHECK-DAG: %[[N:.*]] = tensor.dim %[[Q]], %[[C1]] : tensor<?x?x?xf32>
// CHECK-DAG: %[[M:.*]] = tensor.dim %[[K]], %{{.*}} : tensor<?x?x?xf32>
// CHECK: %[[ZE:.*]] = tensor.empty(%[[B]], %[[N]], %[[M]]) : tensor<?x?x?xf32>
// CHECK: %[[KC0:.*]] = arith.constant 0 : index
// CHECK: %[[KB:.*]] = tensor.dim %[[K]], %[[KC0]] : tensor<?x?x?xf32>
// CHECK: %[[KC1:.*]] = arith.constant 1 : index
// CHECK: %[[KM:.*]] = tensor.dim %[[K]], %[[KC1]] : tensor<?x?x?xf32>
// CHECK: %[[KC2:.*]] = arith.constant 2 : index
// CHECK: %[[KD:.*]] = tensor.dim %[[K]], %[[KC2]] : tensor<?x?x?xf32>
// CHECK: %[[KTE:.*]] = tensor.empty(%[[KB]], %[[KD]], %[[KM]]) : tensor<?x?x?xf32>
// CHECK: %[[KT:.*]] = linalg.transpose ins(%[[K]] : tensor<?x?x?xf32>) outs(%[[KTE]] : tensor<?x?x?xf32>) permutation = [0, 2, 1]
// CHECK: %[[ZFILL:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[ZE]] : tensor<?x?x?xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK-SAME: ins(%[[Q]], %[[KT]] : tensor<?x?x?xf32>, tensor<?x?x?xf32>) outs(%[[ZFILL]] : tensor<?x?x?xf32>)
// CHECK: %[[SCORE:.*]] = linalg.generic
// CHECK-SAME: outs(%[[SUM]] : tensor<?x?x?xf32>)
// CHECK-NOT: tensor.empty
// CHECK-NOT: arith.extui
// CHECK: %[[HFILL:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[INIT]] : tensor<?x?x?xf32>)
// CHECK: %[[RES:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction", "parallel"]
// CHECK-SAME: ins(%[[V]], %[[SCORE]] : tensor<?x?x?xf32>, tensor<?x?x?xf32>) outs(%[[HFILL]] : tensor<?x?x?xf32>)
// CHECK: arith.maximumf
// CHECK-NOT: arith.cmpi ne
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: %[[J:.*]] = linalg.index 2 : index
// CHECK: %[[KEEP:.*]] = arith.cmpi sle, %[[J]], %[[I]] : index
// CHECK: %[[SEL:.*]] = arith.select %[[KEEP]], %{{.*}}, %{{.*}} : f32
// CHECK: arith.addf %{{.*}}, %[[SEL]] : f32
// CHECK: return %[[RES]]
func.func @attention_causal_dynamic(%q: tensor<?x?x?xf32>, %k: tensor<?x?x?xf32>,
                                    %v: tensor<?x?x?xf32>,
                                    %init: tensor<?x?x?xf32>) -> tensor<?x?x?xf32> {
  %h = inhibitor.attention causal
         ins(%q, %k, %v : tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
         outs(%init : tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  return %h : tensor<?x?x?xf32>
}

// -----

// Partly dynamic: the batch (2) is static, N and M come from tensor.dim;
// the dynamic mask is copied to i8 with its own tensor.dim sizes; unsigned
// with alpha = 2 and no gamma.
// CHECK-DAG: #[[$MASK_MAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2)>
// CHECK-LABEL: func @attention_dynamic_mask
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x?x64xi16>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x?x64xi16>, %[[V:[a-zA-Z0-9_]+]]: tensor<2x?x8xi16>, %[[M:[a-zA-Z0-9_]+]]: tensor<?x?xi1>
// CHECK-DAG: %[[N:.*]] = tensor.dim %[[Q]], %{{.*}} : tensor<2x?x64xi16>
// CHECK-DAG: %[[KM:.*]] = tensor.dim %[[K]], %{{.*}} : tensor<2x?x64xi16>
// CHECK: tensor.empty(%[[N]], %[[KM]]) : tensor<2x?x?xi16>
// CHECK: %[[KTE:.*]] = tensor.empty(%{{.*}}) : tensor<2x64x?xi16>
// CHECK: %[[KT:.*]] = linalg.transpose ins(%[[K]] : tensor<2x?x64xi16>) outs(%[[KTE]] : tensor<2x64x?xi16>) permutation = [0, 2, 1]
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK-SAME: ins(%[[Q]], %[[KT]] : tensor<2x?x64xi16>, tensor<2x64x?xi16>)
// CHECK: %[[SCORE:.*]] = linalg.generic
// CHECK-SAME: outs(%[[SUM]] : tensor<2x?x?xi16>)
// CHECK-NOT: arith.shrsi
// CHECK-NOT: arith.floordivsi
// CHECK: %[[C2:.*]] = arith.constant 2 : i16
// CHECK: arith.subi %{{.*}}, %[[C2]] : i16
// CHECK: arith.maxsi
// CHECK-DAG: %[[MD0:.*]] = tensor.dim %[[M]], %{{.*}} : tensor<?x?xi1>
// CHECK-DAG: %[[MD1:.*]] = tensor.dim %[[M]], %{{.*}} : tensor<?x?xi1>
// CHECK: %[[ME:.*]] = tensor.empty(%[[MD0]], %[[MD1]]) : tensor<?x?xi8>
// CHECK: %[[MASK8:.*]] = linalg.generic
// CHECK-SAME: ins(%[[M]] : tensor<?x?xi1>) outs(%[[ME]] : tensor<?x?xi8>)
// CHECK: arith.extui
// CHECK: %[[RES:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#{{[a-z0-9_]+}}, #{{[a-z0-9_]+}}, #[[$MASK_MAP]], #{{[a-z0-9_]+}}]
// CHECK-SAME: ins(%[[V]], %[[SCORE]], %[[MASK8]] : tensor<2x?x8xi16>, tensor<2x?x?xi16>, tensor<?x?xi8>)
// CHECK-NOT: arith.minsi
// CHECK: arith.cmpi ne
// CHECK: arith.select
// CHECK-NOT: linalg.index
// CHECK: return %[[RES]]
func.func @attention_dynamic_mask(%q: tensor<2x?x64xi16>, %k: tensor<2x?x64xi16>,
                                  %v: tensor<2x?x8xi16>, %m: tensor<?x?xi1>,
                                  %init: tensor<2x?x8xi16>) -> tensor<2x?x8xi16> {
  %h = inhibitor.attention {alpha = 2 : i16}
         ins(%q, %k, %v : tensor<2x?x64xi16>, tensor<2x?x64xi16>, tensor<2x?x8xi16>)
         mask(%m : tensor<?x?xi1>)
         outs(%init : tensor<2x?x8xi16>) -> tensor<2x?x8xi16>
  return %h : tensor<2x?x8xi16>
}

// -----

// A bias is read by the score's epilogue through a broadcasting map (a static
// size-1 dim reads index 0) and subtracted after alpha, before the ReLU.
// CHECK-DAG: #[[$BIAS_MAP:.*]] = affine_map<(d0, d1, d2) -> (0, d2)>
// CHECK-DAG: #[[$ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func @score_bias
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x5x4xi16>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x7x4xi16>, %[[B:[a-zA-Z0-9_]+]]: tensor<1x7xi32>
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK: linalg.generic {indexing_maps = [#[[$BIAS_MAP]], #[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[B]] : tensor<1x7xi32>) outs(%[[SUM]] : tensor<2x5x7xi32>)
// CHECK: ^bb0(%[[BV:.*]]: i32, %[[S:.*]]: i32):
// CHECK: %[[T:.*]] = arith.floordivsi %[[S]], %{{.*}} : i32
// CHECK: %[[U:.*]] = arith.subi %[[T]], %{{.*}} : i32
// CHECK: %[[W:.*]] = arith.subi %[[U]], %[[BV]] : i32
// CHECK: arith.maxsi %[[W]], %{{.*}} : i32
func.func @score_bias(%q: tensor<2x5x4xi16>, %k: tensor<2x7x4xi16>, %b: tensor<1x7xi32>,
                      %init: tensor<2x5x7xi32>) -> tensor<2x5x7xi32> {
  %z = inhibitor.manhattan_score {gamma = 3 : i32, alpha = 1 : i32}
         ins(%q, %k : tensor<2x5x4xi16>, tensor<2x7x4xi16>)
         bias(%b : tensor<1x7xi32>)
         outs(%init : tensor<2x5x7xi32>) -> tensor<2x5x7xi32>
  return %z : tensor<2x5x7xi32>
}

// -----

// Grouped heads (8 query heads, 2 key/value heads): the head dim splits into
// (key/value heads, group) = (2, 4) on the query side and (2, 1) on the
// key/value side by expand_shape; K/V read the size-1 dim as index 0 and the
// result collapses back. The bias [8, 1, 7] splits as the query heads.
// CHECK-DAG: #[[$Q_MAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4)>
// CHECK-DAG: #[[$KV_MAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, 0, d4, d5)>
// CHECK-DAG: #[[$BIAS_MAP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d2, 0, d4)>
// CHECK-LABEL: func @attention_grouped_bias
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x8x5x4xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x2x7x4xi8>, %[[V:[a-zA-Z0-9_]+]]: tensor<2x2x7x3xi8>, %[[B:[a-zA-Z0-9_]+]]: tensor<8x1x7xi32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<2x8x5x3xi32>
// CHECK-DAG: %[[BE:.*]] = tensor.expand_shape %[[B]] {{\[\[}}0, 1], [2], [3]] output_shape [2, 4, 1, 7] : tensor<8x1x7xi32> into tensor<2x4x1x7xi32>
// CHECK-DAG: %[[IE:.*]] = tensor.expand_shape %[[INIT]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [2, 2, 4, 5, 3]
// CHECK-DAG: %[[VE:.*]] = tensor.expand_shape %[[V]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [2, 2, 1, 7, 3]
// CHECK-DAG: %[[KE:.*]] = tensor.expand_shape %[[K]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [2, 2, 1, 7, 4]
// CHECK-DAG: %[[QE:.*]] = tensor.expand_shape %[[Q]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [2, 2, 4, 5, 4]
// CHECK: %[[KT:.*]] = linalg.transpose ins(%[[KE]] : tensor<2x2x1x7x4xi8>)
// CHECK: %[[S:.*]] = linalg.generic {indexing_maps = [#[[$Q_MAP]], #[[$KV_MAP]], {{.*}}]{{.*}} ins(%[[QE]], %[[KT]] : tensor<2x2x4x5x4xi8>, tensor<2x2x1x4x7xi8>)
// CHECK: %[[Z:.*]] = linalg.generic {indexing_maps = [#[[$BIAS_MAP]], {{.*}}]{{.*}} ins(%[[BE]] : tensor<2x4x1x7xi32>) outs(%[[S]] : tensor<2x2x4x5x7xi32>)
// CHECK: %[[H:.*]] = linalg.generic {indexing_maps = [#[[$KV_MAP]], #[[$Q_MAP]], {{.*}}]{{.*}} ins(%[[VE]], %[[Z]] : tensor<2x2x1x7x3xi8>, tensor<2x2x4x5x7xi32>)
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[H]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<2x2x4x5x3xi32> into tensor<2x8x5x3xi32>
// CHECK: return %[[R]]
func.func @attention_grouped_bias(%q: tensor<2x8x5x4xi8>, %k: tensor<2x2x7x4xi8>, %v: tensor<2x2x7x3xi8>,
                                  %b: tensor<8x1x7xi32>, %init: tensor<2x8x5x3xi32>) -> tensor<2x8x5x3xi32> {
  %h = inhibitor.attention signed
         ins(%q, %k, %v : tensor<2x8x5x4xi8>, tensor<2x2x7x4xi8>, tensor<2x2x7x3xi8>)
         bias(%b : tensor<8x1x7xi32>)
         outs(%init : tensor<2x8x5x3xi32>) -> tensor<2x8x5x3xi32>
  return %h : tensor<2x8x5x3xi32>
}

// -----

// Multi-query (one key/value head) against a dynamic number of query heads:
// nothing to split, K/V read head 0.
// CHECK-DAG: #[[$KV_MAP:.*]] = affine_map<(d0, d1, d2, d3) -> (0, d2, d3)>
// CHECK-LABEL: func @attention_mqa_dynamic
// CHECK-NOT: tensor.expand_shape
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$KV_MAP]], #{{.*}}]{{.*}} ins(%{{.*}}, %{{.*}} : tensor<?x5x4xf32>, tensor<1x4x?xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[$KV_MAP]], #{{.*}}, #{{.*}}]{{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x?x3xf32>, tensor<?x5x?xf32>)
// CHECK-NOT: tensor.collapse_shape
func.func @attention_mqa_dynamic(%q: tensor<?x5x4xf32>, %k: tensor<1x?x4xf32>, %v: tensor<1x?x3xf32>,
                                 %init: tensor<?x5x3xf32>) -> tensor<?x5x3xf32> {
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<?x5x4xf32>, tensor<1x?x4xf32>, tensor<1x?x3xf32>)
         outs(%init : tensor<?x5x3xf32>) -> tensor<?x5x3xf32>
  return %h : tensor<?x5x3xf32>
}

// -----

// Grouped inhibit with a dynamic result head dim: cast to the static query
// heads (8) before the split, cast back after the collapse.
// CHECK-LABEL: func @inhibit_grouped_dynamic_result
// CHECK-SAME: %[[V:[a-zA-Z0-9_]+]]: tensor<4x7x3xi16>, %[[Z:[a-zA-Z0-9_]+]]: tensor<8x5x7xi32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x5x3xi32>
// CHECK: %[[C:.*]] = tensor.cast %[[INIT]] : tensor<?x5x3xi32> to tensor<8x5x3xi32>
// CHECK: tensor.expand_shape %[[C]] {{\[\[}}0, 1], [2], [3]] output_shape [4, 2, 5, 3]
// CHECK: %[[R:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2], [3]] : tensor<4x2x5x3xi32> into tensor<8x5x3xi32>
// CHECK: %[[RC:.*]] = tensor.cast %[[R]] : tensor<8x5x3xi32> to tensor<?x5x3xi32>
// CHECK: return %[[RC]]
func.func @inhibit_grouped_dynamic_result(%v: tensor<4x7x3xi16>, %z: tensor<8x5x7xi32>,
                                          %init: tensor<?x5x3xi32>) -> tensor<?x5x3xi32> {
  %h = inhibitor.inhibit ins(%v, %z : tensor<4x7x3xi16>, tensor<8x5x7xi32>)
         outs(%init : tensor<?x5x3xi32>) -> tensor<?x5x3xi32>
  return %h : tensor<?x5x3xi32>
}
