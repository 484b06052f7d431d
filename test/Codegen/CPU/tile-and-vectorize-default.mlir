// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg --inhibitor-tile-and-vectorize="vector-bits=256" -split-input-file | FileCheck %s
// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg --inhibitor-tile-and-vectorize="vector-bits=512" -split-input-file | FileCheck %s --check-prefix=AVX512

// Without tile-sizes (docs/Codegen.md): the register tile is 4 rows x one
// step of the middle (reduction) loop x two native vectors, [4, 1, 32] of
// i16 at 256 bits; one vector ([4, 1, 16]) where two do not divide the
// static inner extent (E = 48), so that no tile is partial and masked.
// At 512 bits, E = 64 is two vectors of 32; E = 48 gets one vector of 32
// (and a partial, masked tile, as with tile-sizes=4,1,0).

// CHECK-LABEL: func @inhibit
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C4:.*]] iter_args
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C32:.*]] iter_args
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C1:.*]] iter_args
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x1x32xi16> to vector<4x32xi16>
// AVX512-LABEL: func @inhibit
// AVX512: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x1x64xi16> to vector<4x64xi16>
func.func @inhibit(%v: tensor<64x64xi16>, %z: tensor<32x64xi16>) -> tensor<32x64xi16> {
  %init = tensor.empty() : tensor<32x64xi16>
  %h = inhibitor.inhibit signed ins(%v, %z : tensor<64x64xi16>, tensor<32x64xi16>)
         outs(%init : tensor<32x64xi16>) -> tensor<32x64xi16>
  return %h : tensor<32x64xi16>
}

// -----

// CHECK-LABEL: func @inhibit_odd
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x1x16xi16> to vector<4x16xi16>
// AVX512-LABEL: func @inhibit_odd
// AVX512: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x1x32xi16> to vector<4x32xi16>
func.func @inhibit_odd(%v: tensor<64x48xi16>, %z: tensor<32x64xi16>) -> tensor<32x48xi16> {
  %init = tensor.empty() : tensor<32x48xi16>
  %h = inhibitor.inhibit signed ins(%v, %z : tensor<64x48xi16>, tensor<32x64xi16>)
         outs(%init : tensor<32x48xi16>) -> tensor<32x48xi16>
  return %h : tensor<32x48xi16>
}

// -----

// A reduction innermost (a row sum, like the decode score over D): 4 rows
// of the parallel loop, each 4 native vectors (32 i32 lanes at 256 bits)
// of the reduction where they divide it (128), else 2, else 1. The 4 rows'
// sums are one tree (TreeReduction.cpp): each row added down to one native
// vector (three adds of its quarters), rows 0 and 2, 1 and 3 merged by
// halves (the rows enter bit-reversed, so they come out in order), the two
// merged by halves of each lane group, then one in-vector halving; no
// vector.multi_reduction is left.
#row = affine_map<(i, k) -> (i, k)>
#out = affine_map<(i, k) -> (i)>
// CHECK-LABEL: func @row_sum
// CHECK-NOT: vector.multi_reduction
// CHECK: %[[X:.*]] = vector.transfer_read {{.*}} : tensor<4x32xi32>, vector<4x32xi32>
// CHECK: %[[ACC:.*]] = vector.transfer_read {{.*}} : tensor<4xi32>, vector<4xi32>
// CHECK: %[[X0:.*]] = vector.extract %[[X]][0] : vector<32xi32> from vector<4x32xi32>
// CHECK: %[[A0:.*]] = vector.extract_strided_slice %[[X0]] {offsets = [0], sizes = [8], strides = [1]}
// CHECK: %[[B0:.*]] = vector.extract_strided_slice %[[X0]] {offsets = [8], sizes = [8], strides = [1]}
// CHECK: %[[S01:.*]] = arith.addi %[[A0]], %[[B0]] : vector<8xi32>
// CHECK: %[[C0:.*]] = vector.extract_strided_slice %[[X0]] {offsets = [16], sizes = [8], strides = [1]}
// CHECK: %[[S012:.*]] = arith.addi %[[S01]], %[[C0]] : vector<8xi32>
// CHECK: %[[D0:.*]] = vector.extract_strided_slice %[[X0]] {offsets = [24], sizes = [8], strides = [1]}
// CHECK: %[[R0:.*]] = arith.addi %[[S012]], %[[D0]] : vector<8xi32>
// CHECK: vector.extract %[[X]][1]
// CHECK-COUNT-2: arith.addi
// CHECK: %[[R1:.*]] = arith.addi %{{.*}}, %{{.*}} : vector<8xi32>
// CHECK: vector.extract %[[X]][2]
// CHECK-COUNT-2: arith.addi
// CHECK: %[[R2:.*]] = arith.addi %{{.*}}, %{{.*}} : vector<8xi32>
// CHECK: vector.extract %[[X]][3]
// CHECK-COUNT-2: arith.addi
// CHECK: %[[R3:.*]] = arith.addi %{{.*}}, %{{.*}} : vector<8xi32>
// CHECK: %[[L02:.*]] = vector.shuffle %[[R0]], %[[R2]] [0, 1, 2, 3, 8, 9, 10, 11]
// CHECK: %[[H02:.*]] = vector.shuffle %[[R0]], %[[R2]] [4, 5, 6, 7, 12, 13, 14, 15]
// CHECK: %[[M02:.*]] = arith.addi %[[L02]], %[[H02]] : vector<8xi32>
// CHECK: %[[L13:.*]] = vector.shuffle %[[R1]], %[[R3]] [0, 1, 2, 3, 8, 9, 10, 11]
// CHECK: %[[H13:.*]] = vector.shuffle %[[R1]], %[[R3]] [4, 5, 6, 7, 12, 13, 14, 15]
// CHECK: %[[M13:.*]] = arith.addi %[[L13]], %[[H13]] : vector<8xi32>
// CHECK: %[[L:.*]] = vector.shuffle %[[M02]], %[[M13]] [0, 1, 8, 9, 4, 5, 12, 13]
// CHECK: %[[H:.*]] = vector.shuffle %[[M02]], %[[M13]] [2, 3, 10, 11, 6, 7, 14, 15]
// CHECK: %[[M:.*]] = arith.addi %[[L]], %[[H]] : vector<8xi32>
// CHECK-DAG: %[[ODD:.*]] = vector.shuffle %[[M]], %[[M]] [1, 3, 5, 7] : vector<8xi32>, vector<8xi32>
// CHECK-DAG: %[[EVEN:.*]] = vector.shuffle %[[M]], %[[M]] [0, 2, 4, 6] : vector<8xi32>, vector<8xi32>
// CHECK: %[[S:.*]] = arith.addi %[[EVEN]], %[[ODD]] : vector<4xi32>
// CHECK: %[[T:.*]] = arith.addi %[[S]], %[[ACC]] : vector<4xi32>
// CHECK: vector.transfer_write %[[T]]
// AVX512-LABEL: func @row_sum
// AVX512-NOT: vector.multi_reduction
// AVX512: vector.transfer_read {{.*}} : tensor<4x64xi32>, vector<4x64xi32>
// AVX512: vector.shuffle %{{.*}}, %{{.*}} [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23] : vector<16xi32>, vector<16xi32>
// AVX512: vector.shuffle %{{.*}}, %{{.*}} [0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27] : vector<16xi32>, vector<16xi32>
// AVX512: vector.shuffle %{{.*}}, %{{.*}} [0, 1, 4, 5, 8, 9, 12, 13] : vector<16xi32>, vector<16xi32>
// AVX512: vector.shuffle %{{.*}}, %{{.*}} [0, 2, 4, 6] : vector<8xi32>, vector<8xi32>
// AVX512: arith.addi %{{.*}}, %{{.*}} : vector<4xi32>
// AVX512-NOT: vector.multi_reduction
// AVX512: return
func.func @row_sum(%x: tensor<8x128xi32>, %init: tensor<8xi32>) -> tensor<8xi32> {
  %r = linalg.generic {indexing_maps = [#row, #out], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<8x128xi32>) outs(%init : tensor<8xi32>) {
  ^bb0(%a: i32, %acc: i32):
    %s = arith.addi %acc, %a : i32
    linalg.yield %s : i32
  } -> tensor<8xi32>
  return %r : tensor<8xi32>
}

// -----

// Any integer combining kind takes the tree (a row maximum here, with
// maxsi); float sums keep upstream's multi_reduction (a tree would change
// their rounding); rows shorter than one native vector are left to
// upstream's lowering (the x86 byte passes match some of those).
#row = affine_map<(i, k) -> (i, k)>
#out = affine_map<(i, k) -> (i)>
// CHECK-LABEL: func @row_max
// CHECK-NOT: vector.multi_reduction
// CHECK: vector.shuffle
// CHECK: arith.maxsi %{{.*}}, %{{.*}} : vector<8xi32>
// CHECK: arith.maxsi %{{.*}}, %{{.*}} : vector<4xi32>
// CHECK-NOT: vector.multi_reduction
// CHECK: return
func.func @row_max(%x: tensor<8x64xi32>, %init: tensor<8xi32>) -> tensor<8xi32> {
  %r = linalg.generic {indexing_maps = [#row, #out], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<8x64xi32>) outs(%init : tensor<8xi32>) {
  ^bb0(%a: i32, %acc: i32):
    %s = arith.maxsi %acc, %a : i32
    linalg.yield %s : i32
  } -> tensor<8xi32>
  return %r : tensor<8xi32>
}

// CHECK-LABEL: func @row_sum_f32
// CHECK-NOT: vector.shuffle
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x32xf32> to vector<4xf32>
// CHECK-NOT: vector.shuffle
// CHECK: return
func.func @row_sum_f32(%x: tensor<8x128xf32>, %init: tensor<8xf32>) -> tensor<8xf32> {
  %r = linalg.generic {indexing_maps = [#row, #out], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<8x128xf32>) outs(%init : tensor<8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %acc, %a : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  return %r : tensor<8xf32>
}

// CHECK-LABEL: func @row_sum_short
// CHECK-NOT: vector.shuffle
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x4xi32> to vector<4xi32>
// CHECK-NOT: vector.shuffle
// CHECK: return
func.func @row_sum_short(%x: tensor<8x4xi32>, %init: tensor<8xi32>) -> tensor<8xi32> {
  %r = linalg.generic {indexing_maps = [#row, #out], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<8x4xi32>) outs(%init : tensor<8xi32>) {
  ^bb0(%a: i32, %acc: i32):
    %s = arith.addi %acc, %a : i32
    linalg.yield %s : i32
  } -> tensor<8xi32>
  return %r : tensor<8xi32>
}
