// RUN: inhibitor-opt %s --inhibitor-tile-and-vectorize="vector-bits=512" -split-input-file -verify-each | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-tile-and-vectorize="vector-bits=256" -split-input-file | FileCheck %s --check-prefix=AVX2
// RUN: inhibitor-opt %s --inhibitor-tile-and-vectorize="vector-bits=512" --inhibitor-x86-pmaddwd -split-input-file | FileCheck %s --check-prefix=X86
// RUN: inhibitor-opt %s --inhibitor-tile-and-vectorize="vector-bits=512" --inhibitor-x86-pmaddwd="max-bits=256" -split-input-file | FileCheck %s --check-prefix=NARROWER
// RUN: inhibitor-opt %s --inhibitor-tile-and-vectorize="vector-bits=256" --inhibitor-x86-pmaddwd -split-input-file | FileCheck %s --check-prefix=X86-AVX2
// RUN: inhibitor-opt %s --inhibitor-tile-and-vectorize="vector-bits=128" --inhibitor-x86-pmaddwd -split-input-file | FileCheck %s --check-prefix=X86-SSE2
// RUN: not inhibitor-opt %s --inhibitor-x86-pmaddwd="max-bits=100" -split-input-file 2>&1 | FileCheck %s --check-prefix=BAD

// The clamp sum of the fused kernel's plain tiles for i16 V under an i32
// accumulator (lowerClampSum16; docs/Codegen.md), H += sext(clamp(V, lo,
// hi)) summed over the keys, gets its own loop nest: rows in register
// blocks (4 rows of two 32-lane vectors of V at 512 bits, 16
// accumulators; 1 row of four 16-lane vectors at 256, 8 of them), the keys
// innermost, V read once per key for the block, each row's bounds
// broadcast, the clamps in 16 bits, and each
// clamp's even and odd lanes sign-extended into two i32 accumulators,
// interleaved back into H's order after the keys. --inhibitor-x86-pmaddwd
// makes each widening a pmaddwd with a 0/1 multiplier (X86), up to its
// max-bits (with max-bits=256, 512-bit vectors stay portable).

// CHECK-LABEL: func @clamp_sum
// CHECK-SAME: %[[V:[a-zA-Z0-9_]+]]: tensor<1x128x64xi16>, %[[HI:[a-zA-Z0-9_]+]]: tensor<1x8x128xi16>, %[[LO:[a-zA-Z0-9_]+]]: tensor<1x8x128xi16>, %[[H:[a-zA-Z0-9_]+]]: tensor<1x8x64xi32>
// CHECK-NOT: linalg.generic
// CHECK-DAG: %[[V2:.*]] = tensor.collapse_shape %[[V]] {{\[\[}}0, 1], [2]] : tensor<1x128x64xi16> into tensor<128x64xi16>
// CHECK-DAG: %[[HI2:.*]] = tensor.collapse_shape %[[HI]]
// CHECK-DAG: %[[LO2:.*]] = tensor.collapse_shape %[[LO]]
// CHECK-DAG: %[[H2:.*]] = tensor.collapse_shape %[[H]]
// CHECK: %[[ROWS:.*]] = scf.for %[[I0:[a-zA-Z0-9_]+]] = %{{.*}} to %{{.*}} step %[[C4:[a-zA-Z0-9_]+]] iter_args(%{{.*}} = %[[H2]]) -> (tensor<8x64xi32>) {
// CHECK: %[[SUMS:.*]]:16 = scf.for %[[J:[a-zA-Z0-9_]+]] = {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>) {
// CHECK: %[[VV:.*]] = vector.transfer_read %[[V2]][%[[J]], %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<128x64xi16>, vector<32xi16>
// CHECK: %[[HS:.*]] = tensor.extract %[[HI2]][%[[I0]], %[[J]]] : tensor<8x128xi16>
// CHECK: %[[HB:.*]] = vector.broadcast %[[HS]] : i16 to vector<32xi16>
// CHECK: %[[LS:.*]] = tensor.extract %[[LO2]][%[[I0]], %[[J]]] : tensor<8x128xi16>
// CHECK: %[[LB:.*]] = vector.broadcast %[[LS]] : i16 to vector<32xi16>
// CHECK: %[[MIN:.*]] = arith.minsi %[[VV]], %[[HB]] : vector<32xi16>
// CHECK: %[[C:.*]] = arith.maxsi %[[MIN]], %[[LB]] : vector<32xi16>
// CHECK: %[[EVEN:.*]] = vector.shuffle %[[C]], %[[C]] [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30] : vector<32xi16>, vector<32xi16>
// CHECK: %[[EW:.*]] = arith.extsi %[[EVEN]] : vector<16xi16> to vector<16xi32>
// CHECK: arith.addi %{{.*}}, %[[EW]] : vector<16xi32>
// CHECK: %[[ODD:.*]] = vector.shuffle %[[C]], %[[C]] [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31] : vector<32xi16>, vector<32xi16>
// CHECK: arith.extsi %[[ODD]] : vector<16xi16> to vector<16xi32>
// CHECK: scf.yield
// CHECK: %[[ROW:.*]] = vector.shuffle %[[SUMS]]#0, %[[SUMS]]#1 [0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31] : vector<16xi32>, vector<16xi32>
// CHECK: %[[OLD:.*]] = vector.transfer_read %{{.*}}[%[[I0]], %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<8x64xi32>, vector<32xi32>
// CHECK: %[[NEW:.*]] = arith.addi %[[OLD]], %[[ROW]] : vector<32xi32>
// CHECK: vector.transfer_write %[[NEW]], %{{.*}}[%[[I0]], %{{.*}}] {in_bounds = [true]} : vector<32xi32>, tensor<8x64xi32>
// CHECK: %[[OUT:.*]] = tensor.expand_shape %[[ROWS]] {{\[\[}}0, 1], [2]] output_shape [1, 8, 64] : tensor<8x64xi32> into tensor<1x8x64xi32>
// CHECK: return %[[OUT]]

// AVX2-LABEL: func @clamp_sum
// AVX2: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}}) -> (tensor<8x64xi32>) {
// AVX2: scf.for {{.*}} -> (vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>) {
// AVX2-COUNT-4: vector.transfer_read {{.*}} : tensor<128x64xi16>, vector<16xi16>
// AVX2: vector.shuffle %{{.*}}, %{{.*}} [0, 2, 4, 6, 8, 10, 12, 14] : vector<16xi16>, vector<16xi16>

// X86-LABEL: func @clamp_sum
// X86-DAG: %[[EVENM:.*]] = arith.constant dense<[1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0]> : vector<32xi16>
// X86-DAG: %[[ODDM:.*]] = arith.constant dense<[0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]> : vector<32xi16>
// X86-NOT: arith.extsi
// X86: %[[C:.*]] = arith.maxsi %{{.*}}, %{{.*}} : vector<32xi16>
// X86: llvm.call_intrinsic "llvm.x86.avx512.pmaddw.d.512"(%[[C]], %[[EVENM]]) : (vector<32xi16>, vector<32xi16>) -> vector<16xi32>
// X86: llvm.call_intrinsic "llvm.x86.avx512.pmaddw.d.512"(%[[C]], %[[ODDM]]) : (vector<32xi16>, vector<32xi16>) -> vector<16xi32>
// X86-NOT: vector.shuffle %[[C]]
// X86: return

// X86-AVX2-LABEL: func @clamp_sum
// X86-AVX2-COUNT-2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%{{.*}}, %{{.*}}) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// X86-SSE2-LABEL: func @clamp_sum
// X86-SSE2-COUNT-2: llvm.call_intrinsic "llvm.x86.sse2.pmadd.wd"(%{{.*}}, %{{.*}}) : (vector<8xi16>, vector<8xi16>) -> vector<4xi32>

// NARROWER-LABEL: func @clamp_sum
// NARROWER-NOT: llvm.call_intrinsic
// NARROWER: return

// BAD: inhibitor-x86-pmaddwd: max-bits must be 128, 256 or 512
func.func @clamp_sum(%v: tensor<1x128x64xi16>, %hi: tensor<1x8x128xi16>, %lo: tensor<1x8x128xi16>,
                     %h: tensor<1x8x64xi32>) -> tensor<1x8x64xi32> {
  %r = linalg.generic {
      indexing_maps = [affine_map<(b, i, j, e) -> (b, j, e)>, affine_map<(b, i, j, e) -> (b, i, j)>,
                       affine_map<(b, i, j, e) -> (b, i, j)>, affine_map<(b, i, j, e) -> (b, i, e)>],
      iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
      ins(%v, %hi, %lo : tensor<1x128x64xi16>, tensor<1x8x128xi16>, tensor<1x8x128xi16>)
      outs(%h : tensor<1x8x64xi32>) {
  ^bb0(%x: i16, %a: i16, %b: i16, %acc: i32):
    %0 = arith.minsi %x, %a : i16
    %1 = arith.maxsi %0, %b : i16
    %2 = arith.extsi %1 : i16 to i32
    %3 = arith.addi %acc, %2 : i32
    linalg.yield %3 : i32
  } -> tensor<1x8x64xi32>
  return %r : tensor<1x8x64xi32>
}

// -----

// Not of that form, left to the register tiles of the other ops: a row of
// V that no lane count of 8 or more divides (E = 20), clamps in the wrong
// order (max then min), an i64 sum.
// CHECK-LABEL: func @not_clamp_sum
// CHECK-NOT: vector.shuffle
// CHECK: return
func.func @not_clamp_sum(%v: tensor<128x20xi16>, %hi: tensor<8x128xi16>, %lo: tensor<8x128xi16>,
                         %h: tensor<8x20xi32>, %v64: tensor<128x64xi16>, %h64: tensor<8x64xi32>,
                         %hw: tensor<8x64xi64>) -> (tensor<8x20xi32>, tensor<8x64xi32>, tensor<8x64xi64>) {
  %r = linalg.generic {
      indexing_maps = [affine_map<(i, j, e) -> (j, e)>, affine_map<(i, j, e) -> (i, j)>,
                       affine_map<(i, j, e) -> (i, j)>, affine_map<(i, j, e) -> (i, e)>],
      iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%v, %hi, %lo : tensor<128x20xi16>, tensor<8x128xi16>, tensor<8x128xi16>)
      outs(%h : tensor<8x20xi32>) {
  ^bb0(%x: i16, %a: i16, %b: i16, %acc: i32):
    %0 = arith.minsi %x, %a : i16
    %1 = arith.maxsi %0, %b : i16
    %2 = arith.extsi %1 : i16 to i32
    %3 = arith.addi %acc, %2 : i32
    linalg.yield %3 : i32
  } -> tensor<8x20xi32>
  %s = linalg.generic {
      indexing_maps = [affine_map<(i, j, e) -> (j, e)>, affine_map<(i, j, e) -> (i, j)>,
                       affine_map<(i, j, e) -> (i, j)>, affine_map<(i, j, e) -> (i, e)>],
      iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%v64, %hi, %lo : tensor<128x64xi16>, tensor<8x128xi16>, tensor<8x128xi16>)
      outs(%h64 : tensor<8x64xi32>) {
  ^bb0(%x: i16, %a: i16, %b: i16, %acc: i32):
    %0 = arith.maxsi %x, %b : i16
    %1 = arith.minsi %0, %a : i16
    %2 = arith.extsi %1 : i16 to i32
    %3 = arith.addi %acc, %2 : i32
    linalg.yield %3 : i32
  } -> tensor<8x64xi32>
  %w = linalg.generic {
      indexing_maps = [affine_map<(i, j, e) -> (j, e)>, affine_map<(i, j, e) -> (i, j)>,
                       affine_map<(i, j, e) -> (i, j)>, affine_map<(i, j, e) -> (i, e)>],
      iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%v64, %hi, %lo : tensor<128x64xi16>, tensor<8x128xi16>, tensor<8x128xi16>)
      outs(%hw : tensor<8x64xi64>) {
  ^bb0(%x: i16, %a: i16, %b: i16, %acc: i64):
    %0 = arith.minsi %x, %a : i16
    %1 = arith.maxsi %0, %b : i16
    %2 = arith.extsi %1 : i16 to i64
    %3 = arith.addi %acc, %2 : i64
    linalg.yield %3 : i64
  } -> tensor<8x64xi64>
  return %r, %s, %w : tensor<8x20xi32>, tensor<8x64xi32>, tensor<8x64xi64>
}

// -----

// Only the even or the odd lanes, in order, of one 16-bit vector widen as
// pmaddwd: other shuffles stay.
// X86-LABEL: func @other_lanes
// X86-NOT: llvm.call_intrinsic
// X86: return
func.func @other_lanes(%c: vector<32xi16>, %d: vector<32xi16>) -> (vector<16xi32>, vector<16xi32>) {
  %a = vector.shuffle %c, %c [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 31] : vector<32xi16>, vector<32xi16>
  %b = vector.shuffle %c, %d [32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62] : vector<32xi16>, vector<32xi16>
  %wa = arith.extsi %a : vector<16xi16> to vector<16xi32>
  %wb = arith.extsi %b : vector<16xi16> to vector<16xi32>
  return %wa, %wb : vector<16xi32>, vector<16xi32>
}

// -----

// A row of 48 values at 512 bits: vectors of 16 lanes, the widest that
// divides it (3 per row, 6 accumulators per row: 2 rows per block).
// CHECK-LABEL: func @clamp_sum_48
// CHECK: scf.for {{.*}} -> (vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>) {
// CHECK-COUNT-3: vector.transfer_read {{.*}} : tensor<64x48xi16>, vector<16xi16>
// CHECK: return
func.func @clamp_sum_48(%v: tensor<64x48xi16>, %hi: tensor<4x64xi16>, %lo: tensor<4x64xi16>,
                        %h: tensor<4x48xi32>) -> tensor<4x48xi32> {
  %r = linalg.generic {
      indexing_maps = [affine_map<(i, j, e) -> (j, e)>, affine_map<(i, j, e) -> (i, j)>,
                       affine_map<(i, j, e) -> (i, j)>, affine_map<(i, j, e) -> (i, e)>],
      iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%v, %hi, %lo : tensor<64x48xi16>, tensor<4x64xi16>, tensor<4x64xi16>)
      outs(%h : tensor<4x48xi32>) {
  ^bb0(%x: i16, %a: i16, %b: i16, %acc: i32):
    %0 = arith.minsi %x, %a : i16
    %1 = arith.maxsi %0, %b : i16
    %2 = arith.extsi %1 : i16 to i32
    %3 = arith.addi %acc, %2 : i32
    linalg.yield %3 : i32
  } -> tensor<4x48xi32>
  return %r : tensor<4x48xi32>
}
