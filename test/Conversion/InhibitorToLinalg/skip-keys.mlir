// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention skip-keys query-tile=8 key-tile=32" -split-input-file -verify-each | FileCheck %s
// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention skip-keys=false query-tile=8 key-tile=32" -split-input-file | FileCheck %s --check-prefix=OFF
// RUN: not inhibitor-opt %s --convert-inhibitor-to-linalg="skip-keys" -split-input-file 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention skip-keys skip-chunk=-1" -split-input-file 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention skip-keys=maybe" 2>&1 | FileCheck %s --check-prefix=PARSE

// skip-keys (docs/KeySkipping.md): per key j, B_j = max_e |V[j,e]| (signed)
// or max_e V[j,e] (unsigned) is computed once; each [query-tile, key-tile]
// tile sums its score a chunk of skip-chunk dims of D at a time (scf.for
// carrying the sums and an "alive" flag; scf.if skips the chunk once no
// pair is alive), and its inhibition runs under scf.if only if some pair is
// still alive after the last chunk. Without skip-keys the fused kernel has
// no scf.if (OFF), except the causal key loop's peeled partial key tile
// (@float_masked_causal: the loop ends at the query tile's last query).

// BAD: error: convert-inhibitor-to-linalg: skip-keys needs fuse-attention, and skip-chunk must be >= 0
// BAD-NOT: linalg.generic
// PARSE: for the --skip-keys option: 'maybe' is invalid value for boolean argument

// OFF-LABEL: func @sum_thresholds
// OFF-NOT: scf.if
// OFF-LABEL: func @score_thresholds_with_bias
// OFF-NOT: scf.if
// OFF-LABEL: func @float_masked_causal
// OFF: scf.for
// OFF-NOT: scf.if
// OFF: scf.yield
// OFF-NEXT: }
// OFF-NEXT: arith.cmpi ult
// OFF-NEXT: scf.if
// OFF-NOT: scf.if
// OFF-LABEL: func @dynamic_d
// OFF-NOT: scf.if
// OFF-LABEL: func @prefilter
// OFF-NOT: scf.if

// Integers without a bias: the thresholds are on the sum itself,
// T_j = 0 where B_j <= 0, gamma (B_j + alpha) where that can be reached, and
// sumMax + 1 (never reached) from B_j >= cap = floor(sumMax / gamma) -
// alpha + 1. i8 data, D = 64: sumMax = 64 * 255 = 16320, cap = 2041.
// CHECK-LABEL: func @sum_thresholds
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<16x64xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<64x64xi8>, %[[V:[a-zA-Z0-9_]+]]: tensor<64x8xi8>
// CHECK: %[[BFILL:.*]] = linalg.fill ins(%{{.*}} : i16) outs(%{{.*}} : tensor<64xi16>)
// CHECK: %[[BOUND:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[V]] : tensor<64x8xi8>) outs(%[[BFILL]] : tensor<64xi16>)
// CHECK: %[[MIN1:.*]] = arith.constant -32767 : i16
// CHECK: arith.maxsi %{{.*}}, %[[MIN1]]
// CHECK: %[[T:.*]] = linalg.generic {{.*}} outs(%[[BOUND]] : tensor<64xi16>)
// CHECK: arith.constant 8 : i16
// CHECK: arith.muli
// CHECK: arith.constant 2041 : i16
// CHECK: arith.constant 16321 : i16
// CHECK: scf.forall
// CHECK: scf.for %[[J0:.*]] = {{.*}} iter_args(%[[H:.*]] = %{{.*}}) -> (tensor<8x8xi16>)
// CHECK: %[[TS:.*]] = tensor.extract_slice %[[T]][%[[J0]]] [32] [1] : tensor<64xi16> to tensor<32xi16>
// CHECK: %[[C16:.*]] = arith.constant 16 : index
// CHECK: %[[TRUE:.*]] = arith.constant true
// CHECK: %[[CHUNKS:.*]]:2 = scf.for %[[C:.*]] = %{{.*}} to %{{.*}} step %[[C16]] iter_args(%[[S:.*]] = %{{.*}}, %[[ALIVE:.*]] = %[[TRUE]]) -> (tensor<8x32xi16>, i1)
// CHECK-NEXT: %[[R:.*]]:2 = scf.if %[[ALIVE]] -> (tensor<8x32xi16>, i1)
// CHECK: tensor.extract_slice %{{.*}}[0, %[[C]]] [8, 16] [1, 1] : tensor<8x64xi8> to tensor<8x16xi8>
// CHECK: tensor.extract_slice %{{.*}}[%[[C]], 0] [16, 32] [1, 1] : tensor<64x32xi8> to tensor<16x32xi8>
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} outs(%[[S]] : tensor<8x32xi16>)
// CHECK: math.absi
// CHECK: %[[LARGEST:.*]] = arith.constant 32767 : i16
// CHECK: %[[MINFILL:.*]] = linalg.fill ins(%[[LARGEST]] : i16) outs(%{{.*}} : tensor<32xi16>)
// CHECK: %[[LEAST:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]} ins(%[[SUM]] : tensor<8x32xi16>) outs(%[[MINFILL]] : tensor<32xi16>)
// CHECK: arith.minsi
// CHECK: %[[ANY:.*]] = linalg.generic {{.*}} iterator_types = ["reduction"]} ins(%[[LEAST]], %[[TS]] : tensor<32xi16>, tensor<32xi16>) outs(%{{.*}} : tensor<i8>)
// CHECK: arith.cmpi slt
// CHECK: arith.ori
// CHECK: %[[BYTE:.*]] = tensor.extract %[[ANY]][] : tensor<i8>
// CHECK: %[[NOW:.*]] = arith.cmpi ne, %[[BYTE]]
// CHECK: scf.yield %[[SUM]], %[[NOW]] : tensor<8x32xi16>, i1
// CHECK: } else {
// CHECK: scf.yield %[[S]], %[[ALIVE]] : tensor<8x32xi16>, i1
// CHECK: %[[HNEW:.*]] = scf.if %[[CHUNKS]]#1 -> (tensor<8x8xi16>) {
// CHECK: %[[Z:.*]] = linalg.generic {{.*}} outs(%[[CHUNKS]]#0 : tensor<8x32xi16>)
// CHECK: arith.shrsi
// Signed integers, every pair attended: the inhibition is split as in the
// plain kernel (the loop carries -H; V's column sums are subtracted, the
// clamps added; a skipped tile adds 0 to -H as to H), negated after the
// key loop.
// CHECK: %[[HMINUS:.*]] = linalg.generic {{.*}} outs(%[[H]] : tensor<8x8xi16>)
// CHECK: %[[HI:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[Z]] : tensor<32x8xi8>, tensor<8x32xi16>) outs(%[[HMINUS]] : tensor<8x8xi16>)
// CHECK: scf.yield %[[HI]]
// CHECK: } else {
// CHECK: scf.yield %[[H]]
// CHECK: scf.yield %[[HNEW]]
// CHECK: %[[NEG:.*]] = linalg.generic
// CHECK: arith.subi
func.func @sum_thresholds(%q: tensor<16x64xi8>, %k: tensor<64x64xi8>, %v: tensor<64x8xi8>,
                          %init: tensor<16x8xi16>) -> tensor<16x8xi16> {
  %h = inhibitor.attention signed {gamma = 8 : i16}
         ins(%q, %k, %v : tensor<16x64xi8>, tensor<64x64xi8>, tensor<64x8xi8>)
         outs(%init : tensor<16x8xi16>) -> tensor<16x8xi16>
  return %h : tensor<16x8xi16>
}

// -----

// Integers with a bias whose range the analysis knows (sign-extended i8):
// each check computes the plain epilogue's floor(S / gamma) - alpha - B
// (before max(., 0)), takes its least value per key and compares that with
// U_j = B_j, or INT_MIN where B_j <= 0 (unsigned: B_j = max_e V).
// CHECK-LABEL: func @score_thresholds_with_bias
// CHECK: arith.constant -32768 : i16
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]}
// CHECK-NOT: arith.subi
// CHECK: arith.maxsi
// CHECK: linalg.generic
// CHECK: arith.cmpi sle
// CHECK-NOT: arith.muli
// CHECK: arith.select
// CHECK: scf.forall
// CHECK: scf.for
// CHECK: scf.if
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]}
// CHECK: arith.floordivsi
// CHECK: arith.subi
// CHECK: arith.subi
// CHECK: arith.minsi
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction"]}
// CHECK: arith.cmpi slt
func.func @score_thresholds_with_bias(%q: tensor<16x64xi8>, %k: tensor<64x64xi8>,
                                      %v: tensor<64x8xi8>, %b8: tensor<16x64xi8>,
                                      %init: tensor<16x8xi16>) -> tensor<16x8xi16> {
  %b = arith.extsi %b8 : tensor<16x64xi8> to tensor<16x64xi16>
  %h = inhibitor.attention {gamma = 6 : i16, alpha = 2 : i16}
         ins(%q, %k, %v : tensor<16x64xi8>, tensor<64x64xi8>, tensor<64x8xi8>)
         bias(%b : tensor<16x64xi16>)
         outs(%init : tensor<16x8xi16>) -> tensor<16x8xi16>
  return %h : tensor<16x8xi16>
}

// -----

// Floats: no early exit over D (a NaN later in D would be hidden); the
// whole score tile is checked against B_j, where a V of +inf makes the
// bound NaN (the key is never skipped: inf - inf is NaN). The mask and the
// causal diagonal count as extinguished (their pairs as +inf); a NaN score
// propagates through minimumf and passes the unordered `ult`: alive.
// CHECK-LABEL: func @float_masked_causal
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]}
// CHECK: arith.cmpf oeq
// CHECK: arith.select
// CHECK: arith.maximumf
// CHECK: scf.forall
// CHECK: scf.for
// CHECK-NOT: scf.for
// CHECK: arith.divf
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]}
// CHECK: arith.cmpi ne
// CHECK: arith.select
// CHECK: linalg.index 0
// CHECK: arith.cmpi sle
// CHECK: arith.select
// CHECK: arith.minimumf
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction"]}
// CHECK: arith.cmpf ult
// CHECK: scf.if
func.func @float_masked_causal(%q: tensor<16x64xf32>, %k: tensor<64x64xf32>,
                               %v: tensor<64x8xf32>, %m: tensor<16x64xi1>,
                               %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %h = inhibitor.attention causal {gamma = 8.0 : f32}
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<64x64xf32>, tensor<64x8xf32>)
         mask(%m : tensor<16x64xi1>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

// A dynamic D: skipping is exact up to the largest D the bounds allow
// (i8 data, i16 accumulator, unsigned: D * 255 + 128 <= 32767, so D <= 128),
// which is checked at run time; larger D run the plain kernel.
// CHECK-LABEL: func @dynamic_d
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<8x?xi8>
// CHECK: %[[D:.*]] = tensor.dim %[[Q]], %{{.*}} : tensor<8x?xi8>
// CHECK: %[[MAXD:.*]] = arith.constant 128 : index
// CHECK: %[[SMALL:.*]] = arith.cmpi ule, %[[D]], %[[MAXD]] : index
// CHECK: %[[H:.*]] = scf.if %[[SMALL]] -> (tensor<8x4xi16>) {
// CHECK: scf.forall
// CHECK: scf.if
// CHECK: } else {
// CHECK: scf.forall
// CHECK-NOT: scf.if
// CHECK: return %[[H]]
func.func @dynamic_d(%q: tensor<8x?xi8>, %k: tensor<8x?xi8>, %v: tensor<8x4xi8>,
                     %init: tensor<8x4xi16>) -> tensor<8x4xi16> {
  %h = inhibitor.attention ins(%q, %k, %v : tensor<8x?xi8>, tensor<8x?xi8>, tensor<8x4xi8>)
         outs(%init : tensor<8x4xi16>) -> tensor<8x4xi16>
  return %h : tensor<8x4xi16>
}

// -----

// The exact pre-filter (integers without a bias, static sizes in whole
// tiles): per query tile and per key tile the per-dimension bounding box
// (min and max of the rows, via tensor.expand_shape into [tiles, tile, D]),
// per key tile the largest threshold; per block the lower bound
// sum_d max(0, klo - qhi, qlo - khi) of every pair's sum, and a block whose
// bound reaches that threshold yields H untouched, before any score.
// CHECK-LABEL: func @prefilter
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<16x64xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<64x64xi8>
// CHECK: %[[QX:.*]] = tensor.expand_shape %[[Q]] {{\[\[}}0, 1], [2]] output_shape [2, 8, 64] : tensor<16x64xi8> into tensor<2x8x64xi8>
// CHECK: %[[QLO:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[QX]] : tensor<2x8x64xi8>) outs(%{{.*}} : tensor<2x64xi16>)
// CHECK: arith.minsi
// CHECK: %[[QHI:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2x64xi16>)
// CHECK: arith.maxsi
// CHECK: tensor.expand_shape %[[K]] {{\[\[}}0, 1], [2]] output_shape [2, 32, 64] : tensor<64x64xi8> into tensor<2x32x64xi8>
// CHECK: %[[KLO:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2x64xi16>)
// CHECK: %[[KHI:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2x64xi16>)
// CHECK: %[[TMAX:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%{{.*}} : tensor<2x32xi16>) outs(%{{.*}} : tensor<2xi16>)
// CHECK: scf.forall (%[[I0:.*]]) =
// CHECK: scf.for %[[J0:.*]] = {{.*}} iter_args(%[[H:.*]] = %{{.*}})
// CHECK: %[[QI:.*]] = arith.divui %[[I0]]
// CHECK: %[[KI:.*]] = arith.divui %[[J0]]
// CHECK: %[[QLOS:.*]] = tensor.extract_slice %[[QLO]][%[[QI]], 0] [1, 64] [1, 1]
// CHECK: %[[QHIS:.*]] = tensor.extract_slice %[[QHI]][%[[QI]], 0] [1, 64] [1, 1]
// CHECK: %[[KLOS:.*]] = tensor.extract_slice %[[KLO]][%[[KI]], 0] [1, 64] [1, 1]
// CHECK: %[[KHIS:.*]] = tensor.extract_slice %[[KHI]][%[[KI]], 0] [1, 64] [1, 1]
// CHECK: %[[TS:.*]] = tensor.extract_slice %[[TMAX]][%[[KI]]] [1] [1]
// CHECK: %[[LB:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]} ins(%[[QLOS]], %[[QHIS]], %[[KLOS]], %[[KHIS]] : {{.*}}) outs(%{{.*}} : tensor<i16>)
// CHECK: %[[LBV:.*]] = tensor.extract %[[LB]][] : tensor<i16>
// CHECK: %[[TV:.*]] = tensor.extract %[[TS]][%{{.*}}] : tensor<1xi16>
// CHECK: %[[DEAD:.*]] = arith.cmpi sge, %[[LBV]], %[[TV]] : i16
// CHECK: scf.if %[[DEAD]] -> (tensor<8x8xi16>) {
// CHECK-NEXT: scf.yield %[[H]]
// CHECK-NEXT: } else {
// CHECK: scf.for
func.func @prefilter(%q: tensor<16x64xi8>, %k: tensor<64x64xi8>, %v: tensor<64x8xi8>,
                     %init: tensor<16x8xi16>) -> tensor<16x8xi16> {
  %h = inhibitor.attention signed {gamma = 8 : i16}
         ins(%q, %k, %v : tensor<16x64xi8>, tensor<64x64xi8>, tensor<64x8xi8>)
         outs(%init : tensor<16x8xi16>) -> tensor<16x8xi16>
  return %h : tensor<16x8xi16>
}
