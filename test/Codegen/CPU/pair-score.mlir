// RUN: inhibitor-opt %s --inhibitor-tile-and-vectorize="vector-bits=512" -split-input-file -verify-each | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-tile-and-vectorize="vector-bits=256" -split-input-file | FileCheck %s --check-prefix=AVX2
// RUN: inhibitor-opt %s --inhibitor-tile-and-vectorize="vector-bits=512" --inhibitor-x86-pmaddwd -split-input-file | FileCheck %s --check-prefix=X86
// RUN: inhibitor-opt %s --inhibitor-tile-and-vectorize="vector-bits=256" --inhibitor-x86-pmaddwd -split-input-file | FileCheck %s --check-prefix=X86-AVX2
// RUN: inhibitor-opt %s --inhibitor-tile-and-vectorize="vector-bits=128" --inhibitor-x86-pmaddwd -split-input-file | FileCheck %s --check-prefix=X86-SSE2

// The Manhattan score of i16 data into i32 sums with K transposed (keys in
// lanes), as the fused kernel's plain tiles make it (docs/Codegen.md),
// gets its own loop nest: |q - k| = max(q, k) - min(q, k), D taken two at
// a time. Two rows of K^T interleave into (k[j, d], k[j, d + 1]) pairs,
// each query's pair is one broadcast 32-bit word, max and min run in
// 16-bit lanes and each is summed pairwise into the i32 lanes (the even
// plus the odd lanes sign-extended); register blocks of 8 rows by 2 key
// vectors at 512 bits (16 accumulators), 4 by 2 at 256.
// --inhibitor-x86-pmaddwd makes each pairwise sum one pmaddwd, with 1 for
// max and -1 for min, both added (no subtraction left for LLVM to keep out
// of vpdpwssd).

// CHECK-LABEL: func @pair_score
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<1x8x64xi16>, %[[KT:[a-zA-Z0-9_]+]]: tensor<1x64x128xi16>, %[[S:[a-zA-Z0-9_]+]]: tensor<1x8x128xi32>
// CHECK-NOT: linalg.generic
// CHECK-DAG: %[[Q2:.*]] = tensor.collapse_shape %[[Q]] {{\[\[}}0, 1], [2]] : tensor<1x8x64xi16> into tensor<8x64xi16>
// CHECK-DAG: %[[KT2:.*]] = tensor.collapse_shape %[[KT]] {{\[\[}}0, 1], [2]] : tensor<1x64x128xi16> into tensor<64x128xi16>
// CHECK-DAG: %[[S2:.*]] = tensor.collapse_shape %[[S]]
// CHECK: %[[ROWS:.*]] = scf.for %[[I0:[a-zA-Z0-9_]+]] = %{{.*}} to %{{.*}} step %[[C8:[a-zA-Z0-9_]+]] iter_args(%{{.*}} = %[[S2]]) -> (tensor<8x128xi32>) {
// CHECK: scf.for %[[J0:[a-zA-Z0-9_]+]] = %{{.*}} to %{{.*}} step %[[C32:[a-zA-Z0-9_]+]] iter_args(%{{.*}}) -> (tensor<8x128xi32>) {
// CHECK: %[[SUMS:.*]]:16 = scf.for %[[D:[a-zA-Z0-9_]+]] = %{{.*}} to %{{.*}} step %[[C2:[a-zA-Z0-9_]+]] iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>) {
// CHECK: %[[D1:.*]] = arith.addi %[[D]], %{{.*}} : index
// CHECK: %[[K0:.*]] = vector.transfer_read %[[KT2]][%[[D]], %[[J0]]], %{{.*}} {in_bounds = [true]} : tensor<64x128xi16>, vector<16xi16>
// CHECK: %[[K1:.*]] = vector.transfer_read %[[KT2]][%[[D1]], %[[J0]]], %{{.*}} {in_bounds = [true]} : tensor<64x128xi16>, vector<16xi16>
// CHECK: %[[KP:.*]] = vector.shuffle %[[K0]], %[[K1]] [0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31] : vector<16xi16>, vector<16xi16>
// CHECK: %[[QP:.*]] = vector.transfer_read %[[Q2]][%[[I0]], %[[D]]], %{{.*}} {in_bounds = [true]} : tensor<8x64xi16>, vector<2xi16>
// CHECK: %[[QW:.*]] = vector.bitcast %[[QP]] : vector<2xi16> to vector<1xi32>
// CHECK: %[[QB:.*]] = vector.broadcast %[[QW]] : vector<1xi32> to vector<16xi32>
// CHECK: %[[QS:.*]] = vector.bitcast %[[QB]] : vector<16xi32> to vector<32xi16>
// CHECK: %[[MX:.*]] = arith.maxsi %[[QS]], %[[KP]] : vector<32xi16>
// CHECK: %[[MN:.*]] = arith.minsi %[[QS]], %[[KP]] : vector<32xi16>
// CHECK: %[[MXE:.*]] = vector.shuffle %[[MX]], %[[MX]] [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
// CHECK: %[[MXEW:.*]] = arith.extsi %[[MXE]] : vector<16xi16> to vector<16xi32>
// CHECK: %[[MXO:.*]] = vector.shuffle %[[MX]], %[[MX]] [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31]
// CHECK: %[[MXOW:.*]] = arith.extsi %[[MXO]] : vector<16xi16> to vector<16xi32>
// CHECK: %[[MXS:.*]] = arith.addi %[[MXEW]], %[[MXOW]] : vector<16xi32>
// CHECK: %[[ACC:.*]] = arith.addi %{{.*}}, %[[MXS]] : vector<16xi32>
// CHECK: %[[MNE:.*]] = vector.shuffle %[[MN]], %[[MN]] [0, 2,
// CHECK: %[[MNO:.*]] = vector.shuffle %[[MN]], %[[MN]] [1, 3,
// CHECK: %[[MNS:.*]] = arith.addi
// CHECK: arith.subi %[[ACC]], %[[MNS]] : vector<16xi32>
// CHECK: scf.yield
// CHECK: %[[OLD:.*]] = vector.transfer_read %{{.*}}[%[[I0]], %[[J0]]], %{{.*}} {in_bounds = [true]} : tensor<8x128xi32>, vector<16xi32>
// CHECK: %[[NEW:.*]] = arith.addi %[[OLD]], %[[SUMS]]#0 : vector<16xi32>
// CHECK: vector.transfer_write %[[NEW]], %{{.*}}[%[[I0]], %[[J0]]] {in_bounds = [true]} : vector<16xi32>, tensor<8x128xi32>
// CHECK: %[[OUT:.*]] = tensor.expand_shape %[[ROWS]] {{\[\[}}0, 1], [2]] output_shape [1, 8, 128] : tensor<8x128xi32> into tensor<1x8x128xi32>
// CHECK: return %[[OUT]]

// AVX2-LABEL: func @pair_score
// AVX2: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}}) -> (tensor<8x128xi32>) {
// AVX2: scf.for {{.*}} -> (vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>) {
// AVX2-COUNT-4: vector.transfer_read {{.*}} : tensor<64x128xi16>, vector<8xi16>
// AVX2: arith.maxsi {{.*}} : vector<16xi16>

// X86-LABEL: func @pair_score
// X86-DAG: %[[ONES:.*]] = arith.constant dense<1> : vector<32xi16>
// X86-DAG: %[[MINUS:.*]] = arith.constant dense<-1> : vector<32xi16>
// X86-NOT: arith.extsi
// X86: %[[MX:.*]] = arith.maxsi %{{.*}}, %{{.*}} : vector<32xi16>
// X86: %[[MN:.*]] = arith.minsi %{{.*}}, %{{.*}} : vector<32xi16>
// X86: %[[P:.*]] = llvm.call_intrinsic "llvm.x86.avx512.pmaddw.d.512"(%[[MX]], %[[ONES]]) : (vector<32xi16>, vector<32xi16>) -> vector<16xi32>
// X86: %[[ACC:.*]] = arith.addi %{{.*}}, %[[P]] : vector<16xi32>
// X86: %[[N:.*]] = llvm.call_intrinsic "llvm.x86.avx512.pmaddw.d.512"(%[[MN]], %[[MINUS]]) : (vector<32xi16>, vector<32xi16>) -> vector<16xi32>
// X86: arith.addi %[[ACC]], %[[N]] : vector<16xi32>
// X86-NOT: arith.subi {{.*}} : vector<16xi32>
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
// widening stays its own (a 0/1 multiplier).
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
