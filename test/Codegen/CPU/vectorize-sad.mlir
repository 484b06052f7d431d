// RUN: inhibitor-opt %s --inhibitor-vectorize-sad -split-input-file -verify-each | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-vectorize-sad --inhibitor-x86-psadbw -split-input-file | FileCheck %s --check-prefix=AVX2
// RUN: inhibitor-opt %s --inhibitor-vectorize-sad="vector-bits=512" --inhibitor-x86-psadbw -split-input-file | FileCheck %s --check-prefix=AVX512
// RUN: inhibitor-opt %s --inhibitor-vectorize-sad="vector-bits=128" --inhibitor-x86-psadbw -split-input-file | FileCheck %s --check-prefix=SSE2
// RUN: not inhibitor-opt %s --inhibitor-vectorize-sad="vector-bits=64" -split-input-file 2>&1 | FileCheck %s --check-prefix=BAD

// --inhibitor-vectorize-sad rewrites the byte SAD reduction
// z + |extui(q) - extui(k)| over (i, j, k), k innermost, into loops over
// groups of keys (4 with vector-bits=256) and queries. Its inner step sums
// |q - k| over each 8 bytes of two 32-byte vectors into vector<4xi64>
// (psadbw's semantics in portable ops); --inhibitor-x86-psadbw turns each
// into one psadbw call (AVX2 / AVX512 / SSE2). Two forms:
// - keys in lanes (@sad_keys_in_lanes): a static D of whole vectors with at
//   most 8 chunks of 8 bytes (16 at 512 bits). Per group of keys, the
//   group's rows are transposed once (shuffles of i64 lanes) into D / 8
//   vectors, vector c holding bytes [8c, 8c + 8) of every key of the group;
//   then per query, chunk c of the query broadcast to every lane against
//   vector c adds the sum for key j + g into lane g: no horizontal step.
// - otherwise (@sad_static, @sad_dynamic): per query and group, each key's
//   row against the query's, and the group's partial sums combined by
//   shuffles and adds into one vector<4xi64> (lane g = key j + g).
// Either is truncated to the accumulator and added into Z with one
// (masked where the group is partial) write.

// BAD: inhibitor-vectorize-sad: vector-bits must be 128, 256 or 512

#q = affine_map<(i, j, k) -> (i, k)>
#k = affine_map<(i, j, k) -> (j, k)>
#z = affine_map<(i, j, k) -> (i, j)>
// D = 96 (three chunks of 32 bytes, unrolled; the query's chunks are read
// once per query, before the key loop; 12 chunks of 8 bytes are more than
// the keys-in-lanes form keeps in registers), M = 7 (a partial group of
// keys: rows clamped to the last key, the write masked).
// CHECK-LABEL: func @sad_static
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<5x96xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<7x96xi8>, %[[Z:[a-zA-Z0-9_]+]]: tensor<5x7xi16>
// CHECK-NOT: linalg.generic
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ZI:.*]] = %[[Z]]) -> (tensor<5x7xi16>)
// CHECK: %[[Q0:.*]] = vector.transfer_read %[[Q]][%[[I]], %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<5x96xi8>, vector<32xi8>
// CHECK: %[[Q1:.*]] = vector.transfer_read %[[Q]][%[[I]], %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<5x96xi8>, vector<32xi8>
// CHECK: %[[Q2:.*]] = vector.transfer_read %[[Q]][%[[I]], %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<5x96xi8>, vector<32xi8>
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ZJ:.*]] = %[[ZI]]) -> (tensor<5x7xi16>)
// CHECK: arith.minsi
// CHECK: %[[K0:.*]] = vector.transfer_read %[[K]]{{.*}} : tensor<7x96xi8>, vector<32xi8>
// CHECK: %[[EQ:.*]] = arith.extui %[[Q0]] : vector<32xi8> to vector<32xi16>
// CHECK: %[[EK:.*]] = arith.extui %[[K0]] : vector<32xi8> to vector<32xi16>
// CHECK: %[[D:.*]] = arith.subi %[[EQ]], %[[EK]] : vector<32xi16>
// CHECK: %[[A:.*]] = math.absi %[[D]] : vector<32xi16>
// CHECK: %[[G:.*]] = vector.shape_cast %[[A]] : vector<32xi16> to vector<4x8xi16>
// CHECK: %[[S:.*]] = vector.multi_reduction <add>, %[[G]], %{{.*}} [1] : vector<4x8xi16> to vector<4xi16>
// CHECK: arith.extui %[[S]] : vector<4xi16> to vector<4xi64>
// CHECK-COUNT-11: vector.multi_reduction
// CHECK-NOT: vector.multi_reduction
// CHECK: vector.shuffle {{.*}} [0, 4, 2, 6] : vector<4xi64>, vector<4xi64>
// CHECK: vector.shuffle {{.*}} [1, 5, 3, 7] : vector<4xi64>, vector<4xi64>
// CHECK: vector.shuffle {{.*}} [0, 1, 4, 5] : vector<4xi64>, vector<4xi64>
// CHECK: vector.shuffle {{.*}} [2, 3, 6, 7] : vector<4xi64>, vector<4xi64>
// CHECK: %[[T:.*]] = arith.trunci %{{.*}} : vector<4xi64> to vector<4xi16>
// CHECK: %[[OLD:.*]] = vector.transfer_read %[[ZJ]][%[[I]], %[[J]]], %{{.*}} : tensor<5x7xi16>, vector<4xi16>
// CHECK: %[[NEW:.*]] = arith.addi %[[OLD]], %[[T]] : vector<4xi16>
// CHECK: vector.transfer_write %[[NEW]], %[[ZJ]][%[[I]], %[[J]]] : vector<4xi16>, tensor<5x7xi16>

// AVX2-LABEL: func @sad_static
// AVX2: %[[Q0:.*]] = vector.transfer_read {{.*}} : tensor<5x96xi8>, vector<32xi8>
// AVX2: %[[K0:.*]] = vector.transfer_read {{.*}} : tensor<7x96xi8>, vector<32xi8>
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.psad.bw"(%[[Q0]], %[[K0]]) : (vector<32xi8>, vector<32xi8>) -> vector<4xi64>
// AVX2-COUNT-11: llvm.call_intrinsic "llvm.x86.avx2.psad.bw"
// AVX2-NOT: vector.multi_reduction
// AVX2: vector.shuffle

// AVX512-LABEL: func @sad_static
// AVX512: llvm.call_intrinsic "llvm.x86.avx512.psad.bw.512"({{.*}}) : (vector<64xi8>, vector<64xi8>) -> vector<8xi64>
// AVX512: arith.trunci %{{.*}} : vector<8xi64> to vector<8xi16>

// SSE2-LABEL: func @sad_static
// SSE2: llvm.call_intrinsic "llvm.x86.sse2.psad.bw"({{.*}}) : (vector<16xi8>, vector<16xi8>) -> vector<2xi64>
// SSE2: vector.shuffle {{.*}} [0, 2] : vector<2xi64>, vector<2xi64>
// SSE2: vector.shuffle {{.*}} [1, 3] : vector<2xi64>, vector<2xi64>
// SSE2: arith.trunci %{{.*}} : vector<2xi64> to vector<2xi16>
func.func @sad_static(%q: tensor<5x96xi8>, %k: tensor<7x96xi8>, %z: tensor<5x7xi16>) -> tensor<5x7xi16> {
  %r = linalg.generic {indexing_maps = [#q, #k, #z], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<5x96xi8>, tensor<7x96xi8>) outs(%z : tensor<5x7xi16>) {
  ^bb0(%a: i8, %b: i8, %acc: i16):
    %ea = arith.extui %a : i8 to i16
    %eb = arith.extui %b : i8 to i16
    %d = arith.subi %ea, %eb : i16
    %abs = math.absi %d : i16
    %s = arith.addi %acc, %abs : i16
    linalg.yield %s : i16
  } -> tensor<5x7xi16>
  return %r : tensor<5x7xi16>
}

// -----

#q = affine_map<(i, j, k) -> (i, k)>
#k = affine_map<(i, j, k) -> (j, k)>
#z = affine_map<(i, j, k) -> (i, j)>
// Keys in lanes: D = 64 (8 chunks of 8 bytes), M = 7. Per group of 4 keys
// (rows clamped to the last key), 2 x 4 rows of 32 bytes as vector<4xi64>,
// two transposes of 4 x 4 (stages of half-width 2, then 1), then per query 8
// broadcast chunks against the 8 transposed vectors, summed, truncated and
// written (masked: the last group is partial).
// CHECK-LABEL: func @sad_keys_in_lanes
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<5x64xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<7x64xi8>, %[[Z:[a-zA-Z0-9_]+]]: tensor<5x7xi16>
// CHECK-NOT: linalg.generic
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ZJ:.*]] = %[[Z]]) -> (tensor<5x7xi16>)
// CHECK-COUNT-4: arith.minsi
// CHECK: %[[R0:.*]] = vector.transfer_read %[[K]]{{.*}} : tensor<7x64xi8>, vector<32xi8>
// CHECK: vector.bitcast %[[R0]] : vector<32xi8> to vector<4xi64>
// CHECK: vector.shuffle {{.*}} [0, 1, 4, 5] : vector<4xi64>, vector<4xi64>
// CHECK: vector.shuffle {{.*}} [2, 3, 6, 7] : vector<4xi64>, vector<4xi64>
// CHECK: vector.shuffle {{.*}} [0, 4, 2, 6] : vector<4xi64>, vector<4xi64>
// CHECK: vector.shuffle {{.*}} [1, 5, 3, 7] : vector<4xi64>, vector<4xi64>
// CHECK-COUNT-10: vector.shuffle
// CHECK-NOT: vector.shuffle
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ZI:.*]] = %[[ZJ]]) -> (tensor<5x7xi16>)
// CHECK: %[[Q8:.*]] = vector.transfer_read %[[Q]][%[[I]], %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<5x64xi8>, vector<8xi8>
// CHECK: %[[Q64:.*]] = vector.bitcast %[[Q8]] : vector<8xi8> to vector<1xi64>
// CHECK: %[[QB:.*]] = vector.broadcast %[[Q64]] : vector<1xi64> to vector<4xi64>
// CHECK: vector.bitcast %[[QB]] : vector<4xi64> to vector<32xi8>
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x8xi16> to vector<4xi16>
// CHECK-COUNT-7: vector.multi_reduction
// CHECK-NOT: vector.shuffle
// CHECK: %[[T:.*]] = arith.trunci %{{.*}} : vector<4xi64> to vector<4xi16>
// CHECK: %[[OLD:.*]] = vector.transfer_read %[[ZI]][%[[I]], %[[J]]], %{{.*}} : tensor<5x7xi16>, vector<4xi16>
// CHECK: %[[NEW:.*]] = arith.addi %[[OLD]], %[[T]] : vector<4xi16>
// CHECK: vector.transfer_write %[[NEW]], %[[ZI]][%[[I]], %[[J]]] : vector<4xi16>, tensor<5x7xi16>

// AVX2-LABEL: func @sad_keys_in_lanes
// AVX2-COUNT-8: llvm.call_intrinsic "llvm.x86.avx2.psad.bw"({{.*}}) : (vector<32xi8>, vector<32xi8>) -> vector<4xi64>
// AVX2-NEXT: arith.addi
// AVX2-NEXT: arith.trunci %{{.*}} : vector<4xi64> to vector<4xi16>

// At 512 bits: one vector per key row, a transpose of 8 x 8.
// AVX512-LABEL: func @sad_keys_in_lanes
// AVX512-COUNT-24: vector.shuffle {{.*}} : vector<8xi64>, vector<8xi64>
// AVX512-COUNT-8: llvm.call_intrinsic "llvm.x86.avx512.psad.bw.512"({{.*}}) : (vector<64xi8>, vector<64xi8>) -> vector<8xi64>
// AVX512: arith.trunci %{{.*}} : vector<8xi64> to vector<8xi16>

// SSE2-LABEL: func @sad_keys_in_lanes
// SSE2-COUNT-8: llvm.call_intrinsic "llvm.x86.sse2.psad.bw"({{.*}}) : (vector<16xi8>, vector<16xi8>) -> vector<2xi64>
// SSE2: arith.trunci %{{.*}} : vector<2xi64> to vector<2xi16>
func.func @sad_keys_in_lanes(%q: tensor<5x64xi8>, %k: tensor<7x64xi8>, %z: tensor<5x7xi16>) -> tensor<5x7xi16> {
  %r = linalg.generic {indexing_maps = [#q, #k, #z], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<5x64xi8>, tensor<7x64xi8>) outs(%z : tensor<5x7xi16>) {
  ^bb0(%a: i8, %b: i8, %acc: i16):
    %ea = arith.extui %a : i8 to i16
    %eb = arith.extui %b : i8 to i16
    %d = arith.subi %ea, %eb : i16
    %abs = math.absi %d : i16
    %s = arith.addi %acc, %abs : i16
    linalg.yield %s : i16
  } -> tensor<5x7xi16>
  return %r : tensor<5x7xi16>
}

// -----

#q = affine_map<(b, i, j, k) -> (b, i, k)>
#k = affine_map<(b, i, j, k) -> (b, j, k)>
#z = affine_map<(b, i, j, k) -> (b, i, j)>
// Batched and dynamic: loops over the batch dim and the queries, then the
// key groups, then a loop over chunks of 32 bytes of D carrying the group's
// four partial sums; the reads pad past D (in_bounds = [false]), and an i64
// accumulator needs no truncation.
// CHECK-LABEL: func @sad_dynamic
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (vector<4xi64>, vector<4xi64>, vector<4xi64>, vector<4xi64>)
// CHECK: vector.transfer_read {{.*}} : tensor<3x?x?xi8>, vector<32xi8>
// CHECK-COUNT-4: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x8xi16> to vector<4xi16>
// CHECK: scf.yield
// CHECK-NOT: arith.trunci
// CHECK: vector.transfer_write {{.*}} : vector<4xi64>, tensor<3x?x?xi64>
func.func @sad_dynamic(%q: tensor<3x?x?xi8>, %k: tensor<3x?x?xi8>, %z: tensor<3x?x?xi64>) -> tensor<3x?x?xi64> {
  %r = linalg.generic {indexing_maps = [#q, #k, #z], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<3x?x?xi8>, tensor<3x?x?xi8>) outs(%z : tensor<3x?x?xi64>) {
  ^bb0(%a: i8, %b: i8, %acc: i64):
    %ea = arith.extui %a : i8 to i64
    %eb = arith.extui %b : i8 to i64
    %d = arith.subi %ea, %eb : i64
    %abs = math.absi %d : i64
    %s = arith.addi %abs, %acc : i64
    linalg.yield %s : i64
  } -> tensor<3x?x?xi64>
  return %r : tensor<3x?x?xi64>
}

// -----

#q = affine_map<(i, j, k) -> (i, k)>
#k = affine_map<(i, j, k) -> (j, k)>
#z = affine_map<(i, j, k) -> (i, j)>
// Not a byte SAD: sign-extended bytes (|q - k| of signed bytes is not
// psadbw's), an i8 accumulator, the reduction not innermost. Left as is.
// CHECK-LABEL: func @not_sad
// CHECK-NOT: scf.for
// CHECK: linalg.generic
// CHECK: arith.extsi
// CHECK: linalg.generic
// CHECK: arith.subi %{{.*}}, %{{.*}} : i8
// CHECK-NOT: scf.for
// CHECK: return
func.func @not_sad(%q: tensor<5x64xi8>, %k: tensor<7x64xi8>, %z: tensor<5x7xi16>, %z8: tensor<5x7xi8>) -> (tensor<5x7xi16>, tensor<5x7xi8>) {
  %r = linalg.generic {indexing_maps = [#q, #k, #z], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<5x64xi8>, tensor<7x64xi8>) outs(%z : tensor<5x7xi16>) {
  ^bb0(%a: i8, %b: i8, %acc: i16):
    %ea = arith.extsi %a : i8 to i16
    %eb = arith.extsi %b : i8 to i16
    %d = arith.subi %ea, %eb : i16
    %abs = math.absi %d : i16
    %s = arith.addi %acc, %abs : i16
    linalg.yield %s : i16
  } -> tensor<5x7xi16>
  %r8 = linalg.generic {indexing_maps = [#q, #k, #z], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<5x64xi8>, tensor<7x64xi8>) outs(%z8 : tensor<5x7xi8>) {
  ^bb0(%a: i8, %b: i8, %acc: i8):
    %d = arith.subi %a, %b : i8
    %abs = math.absi %d : i8
    %s = arith.addi %acc, %abs : i8
    linalg.yield %s : i8
  } -> tensor<5x7xi8>
  return %r, %r8 : tensor<5x7xi16>, tensor<5x7xi8>
}
