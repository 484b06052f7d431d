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
// of the reduction where they divide it (128), else 2, else 1.
#row = affine_map<(i, k) -> (i, k)>
#out = affine_map<(i, k) -> (i)>
// CHECK-LABEL: func @row_sum
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x32xi32> to vector<4xi32>
// AVX512-LABEL: func @row_sum
// AVX512: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x64xi32> to vector<4xi32>
func.func @row_sum(%x: tensor<8x128xi32>, %init: tensor<8xi32>) -> tensor<8xi32> {
  %r = linalg.generic {indexing_maps = [#row, #out], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<8x128xi32>) outs(%init : tensor<8xi32>) {
  ^bb0(%a: i32, %acc: i32):
    %s = arith.addi %acc, %a : i32
    linalg.yield %s : i32
  } -> tensor<8xi32>
  return %r : tensor<8xi32>
}
