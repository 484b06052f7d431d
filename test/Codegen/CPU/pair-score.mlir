// RUN: inhibitor-opt %s --inhibitor-tile-and-vectorize="vector-bits=512" -split-input-file -verify-each | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-tile-and-vectorize="vector-bits=256" -split-input-file | FileCheck %s --check-prefix=AVX2
// RUN: inhibitor-opt %s --inhibitor-tile-and-vectorize="vector-bits=512" --inhibitor-x86-pmaddwd -split-input-file | FileCheck %s --check-prefix=X86
// RUN: inhibitor-opt %s --inhibitor-tile-and-vectorize="vector-bits=256" --inhibitor-x86-pmaddwd -split-input-file | FileCheck %s --check-prefix=X86-AVX2
// RUN: inhibitor-opt %s --inhibitor-tile-and-vectorize="vector-bits=128" --inhibitor-x86-pmaddwd -split-input-file | FileCheck %s --check-prefix=X86-SSE2

// The Manhattan score of i16 data into i32 sums with K transposed (keys in
// lanes), as the fused kernel's plain tiles make it (docs/Codegen.md),
// gets its own loop nest: sum |q - k| = sum q + sum k - 2 sum min(q, k),
// D taken two at a time. Two rows of K^T interleave into (k[j, d],
// k[j, d + 1]) pairs, each query's pair is one broadcast 32-bit word, the
// min runs in 16-bit lanes and is summed pairwise into the i32 lanes (the
// even plus the odd lanes sign-extended) times -2; the pairs of K are
// summed the same way for sum k, each query row once per row block for
// sum q (reduced, broadcast), and the three added into S after the pairs.
// Register blocks of 8 rows by 2 key vectors at 512 bits (16
// accumulators, and 2 for the key sums), 4 by 2 at 256.
// --inhibitor-x86-pmaddwd makes each pairwise sum one pmaddwd, with -2 for
// the min and 1 for K and Q, which LLVM fuses with the accumulating add
// into vpdpwssd on VNNI.

// CHECK-LABEL: func @pair_score
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<1x8x64xi16>, %[[KT:[a-zA-Z0-9_]+]]: tensor<1x64x128xi16>, %[[S:[a-zA-Z0-9_]+]]: tensor<1x8x128xi32>
// CHECK-NOT: linalg.generic
// CHECK-DAG: %[[Q2:.*]] = tensor.collapse_shape %[[Q]] {{\[\[}}0, 1], [2]] : tensor<1x8x64xi16> into tensor<8x64xi16>
// CHECK-DAG: %[[KT2:.*]] = tensor.collapse_shape %[[KT]] {{\[\[}}0, 1], [2]] : tensor<1x64x128xi16> into tensor<64x128xi16>
// CHECK-DAG: %[[S2:.*]] = tensor.collapse_shape %[[S]]
// CHECK-DAG: %[[M2:.*]] = arith.constant dense<-2> : vector<16xi32>
// CHECK: %[[ROWS:.*]] = scf.for %[[I0:[a-zA-Z0-9_]+]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %[[S2]]) -> (tensor<8x128xi32>) {
// CHECK: %[[RS:.*]]:8 = scf.for %[[C:[a-zA-Z0-9_]+]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>) {
// CHECK: %[[ROW:.*]] = vector.transfer_read %[[Q2]][%[[I0]], %[[C]]], %{{.*}} {in_bounds = [true]} : tensor<8x64xi16>, vector<32xi16>
// CHECK: vector.shuffle %[[ROW]], %[[ROW]] [0, 2,
// CHECK: %[[RS0:.*]] = vector.reduction <add>, %[[RS]]#0 : vector<16xi32> into i32
// CHECK: %[[QSUM:.*]] = vector.broadcast %[[RS0]] : i32 to vector<16xi32>
// CHECK: scf.for %[[J0:[a-zA-Z0-9_]+]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}}) -> (tensor<8x128xi32>) {
// CHECK: %[[SUMS:.*]]:18 = scf.for %[[D:[a-zA-Z0-9_]+]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>) {
// CHECK: %[[D1:.*]] = arith.addi %[[D]], %{{.*}} : index
// CHECK: %[[K0:.*]] = vector.transfer_read %[[KT2]][%[[D]], %[[J0]]], %{{.*}} {in_bounds = [true]} : tensor<64x128xi16>, vector<16xi16>
// CHECK: %[[K1:.*]] = vector.transfer_read %[[KT2]][%[[D1]], %[[J0]]], %{{.*}} {in_bounds = [true]} : tensor<64x128xi16>, vector<16xi16>
// CHECK: %[[KP:.*]] = vector.shuffle %[[K0]], %[[K1]] [0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31] : vector<16xi16>, vector<16xi16>
// CHECK: %[[QP:.*]] = vector.transfer_read %[[Q2]][%[[I0]], %[[D]]], %{{.*}} {in_bounds = [true]} : tensor<8x64xi16>, vector<2xi16>
// CHECK: %[[QW:.*]] = vector.bitcast %[[QP]] : vector<2xi16> to vector<1xi32>
// CHECK: %[[QB:.*]] = vector.broadcast %[[QW]] : vector<1xi32> to vector<16xi32>
// CHECK: %[[QS:.*]] = vector.bitcast %[[QB]] : vector<16xi32> to vector<32xi16>
// CHECK: %[[MN:.*]] = arith.minsi %[[QS]], %[[KP]] : vector<32xi16>
// CHECK-NOT: arith.maxsi
// CHECK: %[[MNE:.*]] = vector.shuffle %[[MN]], %[[MN]] [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
// CHECK: %[[MNEW:.*]] = arith.extsi %[[MNE]] : vector<16xi16> to vector<16xi32>
// CHECK: %[[MNO:.*]] = vector.shuffle %[[MN]], %[[MN]] [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31]
// CHECK: %[[MNOW:.*]] = arith.extsi %[[MNO]] : vector<16xi16> to vector<16xi32>
// CHECK: %[[MNS:.*]] = arith.addi %[[MNEW]], %[[MNOW]] : vector<16xi32>
// CHECK: %[[TWICE:.*]] = arith.muli %[[MNS]], %[[M2]] : vector<16xi32>
// CHECK: arith.addi %{{.*}}, %[[TWICE]] : vector<16xi32>
// CHECK: vector.shuffle %[[KP]], %[[KP]] [0, 2,
// CHECK: scf.yield
// CHECK: %[[OLD:.*]] = vector.transfer_read %{{.*}}[%[[I0]], %[[J0]]], %{{.*}} {in_bounds = [true]} : tensor<8x128xi32>, vector<16xi32>
// CHECK: %[[QK:.*]] = arith.addi %[[QSUM]], %[[SUMS]]#16 : vector<16xi32>
// CHECK: %[[ALL:.*]] = arith.addi %[[SUMS]]#0, %[[QK]] : vector<16xi32>
// CHECK: %[[NEW:.*]] = arith.addi %[[OLD]], %[[ALL]] : vector<16xi32>
// CHECK: vector.transfer_write %[[NEW]], %{{.*}}[%[[I0]], %[[J0]]] {in_bounds = [true]} : vector<16xi32>, tensor<8x128xi32>
// CHECK: %[[OUT:.*]] = tensor.expand_shape %[[ROWS]] {{\[\[}}0, 1], [2]] output_shape [1, 8, 128] : tensor<8x128xi32> into tensor<1x8x128xi32>
// CHECK: return %[[OUT]]

// AVX2-LABEL: func @pair_score
// AVX2: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}}) -> (tensor<8x128xi32>) {
// AVX2: scf.for {{.*}} -> (vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>) {
// AVX2: scf.for {{.*}} -> (vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>) {
// AVX2-COUNT-4: vector.transfer_read {{.*}} : tensor<64x128xi16>, vector<8xi16>
// AVX2: arith.minsi {{.*}} : vector<16xi16>

// X86-LABEL: func @pair_score
// X86-DAG: %[[ONES:.*]] = arith.constant dense<1> : vector<32xi16>
// X86-DAG: %[[MINUS2:.*]] = arith.constant dense<-2> : vector<32xi16>
// X86: %[[ROW:.*]] = vector.transfer_read {{.*}} : tensor<8x64xi16>, vector<32xi16>
// X86: llvm.call_intrinsic "llvm.x86.avx512.pmaddw.d.512"(%[[ROW]], %[[ONES]]) : (vector<32xi16>, vector<32xi16>) -> vector<16xi32>
// X86: %[[KP:.*]] = vector.shuffle {{.*}} : vector<16xi16>, vector<16xi16>
// X86: %[[MN:.*]] = arith.minsi %{{.*}}, %[[KP]] : vector<32xi16>
// X86: %[[P:.*]] = llvm.call_intrinsic "llvm.x86.avx512.pmaddw.d.512"(%[[MN]], %[[MINUS2]]) : (vector<32xi16>, vector<32xi16>) -> vector<16xi32>
// X86: arith.addi %{{.*}}, %[[P]] : vector<16xi32>
// X86: %[[KS:.*]] = llvm.call_intrinsic "llvm.x86.avx512.pmaddw.d.512"(%[[KP]], %[[ONES]]) : (vector<32xi16>, vector<32xi16>) -> vector<16xi32>
// X86: arith.addi %{{.*}}, %[[KS]] : vector<16xi32>
// X86-NOT: arith.extsi
// X86-NOT: arith.muli
// X86: return

// X86-AVX2-LABEL: func @pair_score
// X86-AVX2-COUNT-2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%{{.*}}, %{{.*}}) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// X86-SSE2-LABEL: func @pair_score
// X86-SSE2-COUNT-2: llvm.call_intrinsic "llvm.x86.sse2.pmadd.wd"(%{{.*}}, %{{.*}}) : (vector<8xi16>, vector<8xi16>) -> vector<4xi32>
func.func @pair_score(%q: tensor<1x8x64xi16>, %kt: tensor<1x64x128xi16>, %s: tensor<1x8x128xi32>) -> tensor<1x8x128xi32> {
  %r = linalg.generic {
      indexing_maps = [affine_map<(b, i, d, j) -> (b, i, d)>, affine_map<(b, i, d, j) -> (b, d, j)>,
                       affine_map<(b, i, d, j) -> (b, i, j)>],
      iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
      ins(%q, %kt : tensor<1x8x64xi16>, tensor<1x64x128xi16>) outs(%s : tensor<1x8x128xi32>) {
  ^bb0(%x: i16, %y: i16, %acc: i32):
    %0 = arith.extsi %x : i16 to i32
    %1 = arith.extsi %y : i16 to i32
    %2 = arith.subi %0, %1 : i32
    %3 = math.absi %2 : i32
    %4 = arith.addi %acc, %3 : i32
    linalg.yield %4 : i32
  } -> tensor<1x8x128xi32>
  return %r : tensor<1x8x128xi32>
}

// -----

// The plain tiles' form: the query widened once to i32 for the whole call
// and sliced per tile (the difference either way round). The score reads
// the same slice of the i16 query; the widening, then unused, is gone.
// CHECK-LABEL: func @widened_query
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<32x64xi16>
// CHECK-NOT: linalg.generic
// CHECK-NOT: arith.extsi {{.*}} : i16 to i32
// CHECK: %[[SLICE:.*]] = tensor.extract_slice %[[Q]][%{{.*}}, 0] [8, 64] [1, 1] : tensor<32x64xi16> to tensor<8x64xi16>
// CHECK: scf.for
// CHECK: vector.transfer_read %[[SLICE]]{{.*}} : tensor<8x64xi16>, vector<2xi16>
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @widened_query(%q: tensor<32x64xi16>, %kt: tensor<64x128xi16>, %s: tensor<8x128xi32>,
                         %i: index) -> tensor<8x128xi32> {
  %e = tensor.empty() : tensor<32x64xi32>
  %wide = linalg.generic {
      indexing_maps = [affine_map<(i, d) -> (i, d)>, affine_map<(i, d) -> (i, d)>],
      iterator_types = ["parallel", "parallel"]}
      ins(%q : tensor<32x64xi16>) outs(%e : tensor<32x64xi32>) {
  ^bb0(%x: i16, %o: i32):
    %0 = arith.extsi %x : i16 to i32
    linalg.yield %0 : i32
  } -> tensor<32x64xi32>
  %qt = tensor.extract_slice %wide[%i, 0] [8, 64] [1, 1] : tensor<32x64xi32> to tensor<8x64xi32>
  %r = linalg.generic {
      indexing_maps = [affine_map<(i, d, j) -> (i, d)>, affine_map<(i, d, j) -> (d, j)>,
                       affine_map<(i, d, j) -> (i, j)>],
      iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%qt, %kt : tensor<8x64xi32>, tensor<64x128xi16>) outs(%s : tensor<8x128xi32>) {
  ^bb0(%x: i32, %y: i16, %acc: i32):
    %1 = arith.extsi %y : i16 to i32
    %2 = arith.subi %1, %x : i32
    %3 = math.absi %2 : i32
    %4 = arith.addi %3, %acc : i32
    linalg.yield %4 : i32
  } -> tensor<8x128xi32>
  return %r : tensor<8x128xi32>
}

// -----

// Not of that form, left to the register tiles of the other ops: an odd
// D, keys that no 4 or more lanes divide (M = 6), an i32 query that is not
// a widened i16 one, a 16-bit sum, and a difference without |.|.
// CHECK-LABEL: func @not_pair_score
// CHECK-NOT: vector.bitcast
// CHECK: return
func.func @not_pair_score(%q: tensor<8x63xi16>, %kt: tensor<63x128xi16>, %s: tensor<8x128xi32>,
                          %q64: tensor<8x64xi16>, %kt6: tensor<64x6xi16>, %s6: tensor<8x6xi32>,
                          %q32: tensor<8x64xi32>, %kt64: tensor<64x128xi16>, %s16: tensor<8x128xi16>)
    -> (tensor<8x128xi32>, tensor<8x6xi32>, tensor<8x128xi32>, tensor<8x128xi16>, tensor<8x128xi32>) {
  %odd = linalg.generic {
      indexing_maps = [affine_map<(i, d, j) -> (i, d)>, affine_map<(i, d, j) -> (d, j)>,
                       affine_map<(i, d, j) -> (i, j)>],
      iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%q, %kt : tensor<8x63xi16>, tensor<63x128xi16>) outs(%s : tensor<8x128xi32>) {
  ^bb0(%x: i16, %y: i16, %acc: i32):
    %0 = arith.extsi %x : i16 to i32
    %1 = arith.extsi %y : i16 to i32
    %2 = arith.subi %0, %1 : i32
    %3 = math.absi %2 : i32
    %4 = arith.addi %acc, %3 : i32
    linalg.yield %4 : i32
  } -> tensor<8x128xi32>
  %six = linalg.generic {
      indexing_maps = [affine_map<(i, d, j) -> (i, d)>, affine_map<(i, d, j) -> (d, j)>,
                       affine_map<(i, d, j) -> (i, j)>],
      iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%q64, %kt6 : tensor<8x64xi16>, tensor<64x6xi16>) outs(%s6 : tensor<8x6xi32>) {
  ^bb0(%x: i16, %y: i16, %acc: i32):
    %0 = arith.extsi %x : i16 to i32
    %1 = arith.extsi %y : i16 to i32
    %2 = arith.subi %0, %1 : i32
    %3 = math.absi %2 : i32
    %4 = arith.addi %acc, %3 : i32
    linalg.yield %4 : i32
  } -> tensor<8x6xi32>
  %wide = linalg.generic {
      indexing_maps = [affine_map<(i, d, j) -> (i, d)>, affine_map<(i, d, j) -> (d, j)>,
                       affine_map<(i, d, j) -> (i, j)>],
      iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%q32, %kt64 : tensor<8x64xi32>, tensor<64x128xi16>) outs(%s : tensor<8x128xi32>) {
  ^bb0(%x: i32, %y: i16, %acc: i32):
    %1 = arith.extsi %y : i16 to i32
    %2 = arith.subi %x, %1 : i32
    %3 = math.absi %2 : i32
    %4 = arith.addi %acc, %3 : i32
    linalg.yield %4 : i32
  } -> tensor<8x128xi32>
  %narrow = linalg.generic {
      indexing_maps = [affine_map<(i, d, j) -> (i, d)>, affine_map<(i, d, j) -> (d, j)>,
                       affine_map<(i, d, j) -> (i, j)>],
      iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%q64, %kt64 : tensor<8x64xi16>, tensor<64x128xi16>) outs(%s16 : tensor<8x128xi16>) {
  ^bb0(%x: i16, %y: i16, %acc: i16):
    %2 = arith.subi %x, %y : i16
    %3 = math.absi %2 : i16
    %4 = arith.addi %acc, %3 : i16
    linalg.yield %4 : i16
  } -> tensor<8x128xi16>
  %noabs = linalg.generic {
      indexing_maps = [affine_map<(i, d, j) -> (i, d)>, affine_map<(i, d, j) -> (d, j)>,
                       affine_map<(i, d, j) -> (i, j)>],
      iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%q64, %kt64 : tensor<8x64xi16>, tensor<64x128xi16>) outs(%s : tensor<8x128xi32>) {
  ^bb0(%x: i16, %y: i16, %acc: i32):
    %0 = arith.extsi %x : i16 to i32
    %1 = arith.extsi %y : i16 to i32
    %2 = arith.subi %0, %1 : i32
    %4 = arith.addi %acc, %2 : i32
    linalg.yield %4 : i32
  } -> tensor<8x128xi32>
  return %odd, %six, %wide, %narrow, %noabs : tensor<8x128xi32>, tensor<8x6xi32>, tensor<8x128xi32>, tensor<8x128xi16>, tensor<8x128xi32>
}

// -----

// Pairwise sums of two different vectors' lanes are not one pmaddwd: each
// widening stays its own (a 0/1 multiplier). A pairwise sum scaled by a
// constant that does not fit 16 bits, or that is not one splat, is one
// pmaddwd with 1 and the multiplication; by 3, one pmaddwd with 3.
// X86-LABEL: func @other_pairs
// X86-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.pmaddw.d.512"
// X86-NOT: dense<1> : vector<32xi16>
// X86: return
func.func @other_pairs(%c: vector<32xi16>, %d: vector<32xi16>) -> vector<16xi32> {
  %a = vector.shuffle %c, %c [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30] : vector<32xi16>, vector<32xi16>
  %b = vector.shuffle %d, %d [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31] : vector<32xi16>, vector<32xi16>
  %wa = arith.extsi %a : vector<16xi16> to vector<16xi32>
  %wb = arith.extsi %b : vector<16xi16> to vector<16xi32>
  %s = arith.addi %wa, %wb : vector<16xi32>
  return %s : vector<16xi32>
}

// X86-LABEL: func @scaled_pairs
// X86-DAG: %[[THREE:.*]] = arith.constant dense<3> : vector<32xi16>
// X86-DAG: %[[ONE:.*]] = arith.constant dense<1> : vector<32xi16>
// X86: %[[P:.*]] = llvm.call_intrinsic "llvm.x86.avx512.pmaddw.d.512"(%{{.*}}, %[[ONE]])
// X86: %[[X:.*]] = arith.muli %[[P]], %{{.*}} : vector<16xi32>
// X86: %[[Y:.*]] = arith.muli %[[P]], %{{.*}} : vector<16xi32>
// X86: %[[Z:.*]] = llvm.call_intrinsic "llvm.x86.avx512.pmaddw.d.512"(%{{.*}}, %[[THREE]])
// X86-NOT: arith.muli
// X86: return %[[X]], %[[Y]], %[[Z]]
func.func @scaled_pairs(%c: vector<32xi16>) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>) {
  %a = vector.shuffle %c, %c [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30] : vector<32xi16>, vector<32xi16>
  %b = vector.shuffle %c, %c [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31] : vector<32xi16>, vector<32xi16>
  %wa = arith.extsi %a : vector<16xi16> to vector<16xi32>
  %wb = arith.extsi %b : vector<16xi16> to vector<16xi32>
  %s = arith.addi %wa, %wb : vector<16xi32>
  %big = arith.constant dense<40000> : vector<16xi32>
  %steps = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : vector<16xi32>
  %three = arith.constant dense<3> : vector<16xi32>
  %x = arith.muli %s, %big : vector<16xi32>
  %y = arith.muli %steps, %s : vector<16xi32>
  %z = arith.muli %three, %s : vector<16xi32>
  return %x, %y, %z : vector<16xi32>, vector<16xi32>, vector<16xi32>
}

// -----

// A subtracted pairwise sum is added as pmaddwd with -1 (LLVM fuses an add
// into vpdpwssd, not a subtraction).
// X86-LABEL: func @negated_pairs
// X86-DAG: %[[MINUS:.*]] = arith.constant dense<-1> : vector<32xi16>
// X86: %[[P:.*]] = llvm.call_intrinsic "llvm.x86.avx512.pmaddw.d.512"(%{{.*}}, %[[MINUS]])
// X86: %[[R:.*]] = arith.addi %{{.*}}, %[[P]] : vector<16xi32>
// X86-NOT: arith.subi
// X86: return %[[R]]
func.func @negated_pairs(%c: vector<32xi16>, %acc: vector<16xi32>) -> vector<16xi32> {
  %a = vector.shuffle %c, %c [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30] : vector<32xi16>, vector<32xi16>
  %b = vector.shuffle %c, %c [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31] : vector<32xi16>, vector<32xi16>
  %wa = arith.extsi %a : vector<16xi16> to vector<16xi32>
  %wb = arith.extsi %b : vector<16xi16> to vector<16xi32>
  %s = arith.addi %wb, %wa : vector<16xi32>
  %r = arith.subi %acc, %s : vector<16xi32>
  return %r : vector<16xi32>
}

// -----

// 16-bit sums where the lowering says no q - k wraps (the narrow tiles
// behind their magnitude check, inhibitor.exact_differences): sum |q - k|
// = sum q + sum k - 2 sum min(q, k) modulo 2^16, D one at a time, keys in
// 16-bit lanes (32 at 512 bits), 8 rows by 2 key vectors; each query
// element broadcast, min and add per pair, the keys summed beside.
// CHECK-LABEL: func @narrow_score
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<1x8x64xi16>, %[[KT:[a-zA-Z0-9_]+]]: tensor<1x64x128xi16>
// CHECK-NOT: linalg.generic
// CHECK-DAG: %[[Q2:.*]] = tensor.collapse_shape %[[Q]]
// CHECK-DAG: %[[KT2:.*]] = tensor.collapse_shape %[[KT]]
// CHECK: scf.for %[[I0:[a-zA-Z0-9_]+]] = {{.*}} -> (tensor<8x128xi16>) {
// CHECK: %[[RS:.*]]:8 = scf.for {{.*}} -> (vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>) {
// CHECK: vector.transfer_read %[[Q2]][%[[I0]], %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<8x64xi16>, vector<32xi16>
// CHECK: %[[RS0:.*]] = vector.reduction <add>, %[[RS]]#0 : vector<32xi16> into i16
// CHECK: %[[QSUM:.*]] = vector.broadcast %[[RS0]] : i16 to vector<32xi16>
// CHECK: scf.for %[[J0:[a-zA-Z0-9_]+]] = {{.*}} -> (tensor<8x128xi16>) {
// CHECK: %[[SUMS:.*]]:18 = scf.for %[[D:[a-zA-Z0-9_]+]] = {{.*}} -> (vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>) {
// CHECK: %[[K:.*]] = vector.transfer_read %[[KT2]][%[[D]], %[[J0]]], %{{.*}} {in_bounds = [true]} : tensor<64x128xi16>, vector<32xi16>
// CHECK: %[[QE:.*]] = tensor.extract %[[Q2]][%[[I0]], %[[D]]] : tensor<8x64xi16>
// CHECK: %[[QB:.*]] = vector.broadcast %[[QE]] : i16 to vector<32xi16>
// CHECK: %[[MN:.*]] = arith.minsi %[[QB]], %[[K]] : vector<32xi16>
// CHECK: arith.addi %{{.*}}, %[[MN]] : vector<32xi16>
// CHECK-NOT: math.absi
// CHECK: arith.addi %{{.*}}, %[[K]] : vector<32xi16>
// CHECK: scf.yield
// CHECK: %[[OLD:.*]] = vector.transfer_read %{{.*}}[%[[I0]], %[[J0]]], %{{.*}} {in_bounds = [true]} : tensor<8x128xi16>, vector<32xi16>
// CHECK: %[[QK:.*]] = arith.addi %[[QSUM]], %[[SUMS]]#16 : vector<32xi16>
// CHECK: %[[ONCE:.*]] = arith.subi %[[QK]], %[[SUMS]]#0 : vector<32xi16>
// CHECK: %[[TWICE:.*]] = arith.subi %[[ONCE]], %[[SUMS]]#0 : vector<32xi16>
// CHECK: %[[NEW:.*]] = arith.addi %[[OLD]], %[[TWICE]] : vector<32xi16>
// CHECK: vector.transfer_write %[[NEW]], %{{.*}}[%[[I0]], %[[J0]]] {in_bounds = [true]} : vector<32xi16>, tensor<8x128xi16>
// CHECK: return

// AVX2-LABEL: func @narrow_score
// AVX2: scf.for {{.*}} -> (vector<16xi16>, vector<16xi16>, vector<16xi16>, vector<16xi16>, vector<16xi16>, vector<16xi16>, vector<16xi16>, vector<16xi16>, vector<16xi16>, vector<16xi16>) {
// AVX2: arith.minsi {{.*}} : vector<16xi16>
func.func @narrow_score(%q: tensor<1x8x64xi16>, %kt: tensor<1x64x128xi16>, %s: tensor<1x8x128xi16>) -> tensor<1x8x128xi16> {
  %r = linalg.generic {
      indexing_maps = [affine_map<(b, i, d, j) -> (b, i, d)>, affine_map<(b, i, d, j) -> (b, d, j)>,
                       affine_map<(b, i, d, j) -> (b, i, j)>],
      iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
      ins(%q, %kt : tensor<1x8x64xi16>, tensor<1x64x128xi16>) outs(%s : tensor<1x8x128xi16>)
      attrs = {inhibitor.exact_differences} {
  ^bb0(%x: i16, %y: i16, %acc: i16):
    %2 = arith.subi %x, %y : i16
    %3 = math.absi %2 : i16
    %4 = arith.addi %acc, %3 : i16
    linalg.yield %4 : i16
  } -> tensor<1x8x128xi16>
  return %r : tensor<1x8x128xi16>
}

// -----

// Without the attribute (a user's i16 accumulator: q - k may wrap, and
// |wrapped q - k| differs from |q - k| modulo 2^16), the 16-bit score
// stays with the register tiles of the other ops: sub, abs, add.
// CHECK-LABEL: func @narrow_score_may_wrap
// CHECK-NOT: vector.reduction
// CHECK: math.absi {{.*}} : vector<
// CHECK: return
func.func @narrow_score_may_wrap(%q: tensor<1x8x64xi16>, %kt: tensor<1x64x128xi16>, %s: tensor<1x8x128xi16>) -> tensor<1x8x128xi16> {
  %r = linalg.generic {
      indexing_maps = [affine_map<(b, i, d, j) -> (b, i, d)>, affine_map<(b, i, d, j) -> (b, d, j)>,
                       affine_map<(b, i, d, j) -> (b, i, j)>],
      iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
      ins(%q, %kt : tensor<1x8x64xi16>, tensor<1x64x128xi16>) outs(%s : tensor<1x8x128xi16>) {
  ^bb0(%x: i16, %y: i16, %acc: i16):
    %2 = arith.subi %x, %y : i16
    %3 = math.absi %2 : i16
    %4 = arith.addi %acc, %3 : i16
    linalg.yield %4 : i16
  } -> tensor<1x8x128xi16>
  return %r : tensor<1x8x128xi16>
}
