// RUN: inhibitor-opt %s --inhibitor-legalize-for-llvm -split-input-file | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-legalize-for-llvm="approximate-math" -split-input-file | FileCheck %s --check-prefix=APPROX

// math.absi on an n-D vector is unrolled into 1-D math.absi (which lower to
// llvm.intr.abs); 1-D ones are left alone.

// CHECK-LABEL: func @absi_2d
// CHECK-SAME:    (%[[X:.*]]: vector<2x8xi16>)
// CHECK:         %[[R0:.*]] = vector.extract %[[X]][0] : vector<8xi16> from vector<2x8xi16>
// CHECK:         %[[A0:.*]] = math.absi %[[R0]] : vector<8xi16>
// CHECK:         %[[I0:.*]] = vector.insert %[[A0]], %{{.*}} [0] : vector<8xi16> into vector<2x8xi16>
// CHECK:         %[[R1:.*]] = vector.extract %[[X]][1] : vector<8xi16> from vector<2x8xi16>
// CHECK:         %[[A1:.*]] = math.absi %[[R1]] : vector<8xi16>
// CHECK:         %[[I1:.*]] = vector.insert %[[A1]], %[[I0]] [1] : vector<8xi16> into vector<2x8xi16>
// CHECK:         return %[[I1]]
func.func @absi_2d(%x: vector<2x8xi16>) -> vector<2x8xi16> {
  %a = math.absi %x : vector<2x8xi16>
  return %a : vector<2x8xi16>
}

// -----

// CHECK-LABEL: func @absi_1d
// CHECK:         math.absi %{{.*}} : vector<8xi16>
// CHECK-NOT:     vector.extract
func.func @absi_1d(%x: vector<8xi16>) -> vector<8xi16> {
  %a = math.absi %x : vector<8xi16>
  return %a : vector<8xi16>
}

// -----

// floordivsi is expanded into arith ops; maxsi/minsi stay whole (so that
// they become llvm.intr.smax/smin), unlike with arith-expand.

// CHECK-LABEL: func @floordiv_and_max
// CHECK-NOT:     arith.floordivsi
// CHECK:         arith.divsi
// CHECK:         arith.maxsi
// CHECK:         arith.minsi
func.func @floordiv_and_max(%x: vector<8xi32>, %g: vector<8xi32>) -> vector<8xi32> {
  %d = arith.floordivsi %x, %g : vector<8xi32>
  %m = arith.maxsi %d, %x : vector<8xi32>
  %n = arith.minsi %m, %g : vector<8xi32>
  return %n : vector<8xi32>
}

// -----

// approximate-math: f32 math.exp becomes upstream's polynomial
// approximation; without it, it stays math.exp.

// CHECK-LABEL: func @exp
// CHECK:         math.exp
// APPROX-LABEL: func @exp
// APPROX-NOT:    math.exp
// APPROX:        math.fma
func.func @exp(%x: vector<8xf32>) -> vector<8xf32> {
  %e = math.exp %x : vector<8xf32>
  return %e : vector<8xf32>
}

// -----

// A memref.copy that finalize-memref-to-llvm would lower to a call of
// memrefCopy (a layout neither the identity nor static and contiguous)
// becomes loads and stores in a loop nest over the source's dims.

// CHECK-LABEL: func @strided_copy
// CHECK-SAME:    (%[[S:.*]]: memref<2x?x64xi16, strided<[?, ?, 1]>>, %[[D:.*]]: memref<2x?x64xi16>)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C64:.*]] = arith.constant 64 : index
// CHECK:         %[[N:.*]] = memref.dim %[[S]], %[[C1]]
// CHECK:         scf.for %[[I:.*]] = %[[C0]] to %[[C2]] step %[[C1]]
// CHECK:           scf.for %[[J:.*]] = %[[C0]] to %[[N]] step %[[C1]]
// CHECK:             scf.for %[[L:.*]] = %[[C0]] to %[[C64]] step %[[C1]]
// CHECK:               %[[X:.*]] = memref.load %[[S]][%[[I]], %[[J]], %[[L]]]
// CHECK:               memref.store %[[X]], %[[D]][%[[I]], %[[J]], %[[L]]]
// CHECK-NOT:     memref.copy
func.func @strided_copy(%s: memref<2x?x64xi16, strided<[?, ?, 1]>>, %d: memref<2x?x64xi16>) {
  memref.copy %s, %d : memref<2x?x64xi16, strided<[?, ?, 1]>> to memref<2x?x64xi16>
  return
}

// -----

// The target's layout alone decides as well: a dynamic size with a
// non-identity layout (a 1-D subview) is not known contiguous.

// CHECK-LABEL: func @strided_target
// CHECK:         scf.for
// CHECK:           memref.load
// CHECK:           memref.store
// CHECK-NOT:     memref.copy
func.func @strided_target(%s: memref<?xf32>, %d: memref<?xf32, strided<[1], offset: ?>>) {
  memref.copy %s, %d : memref<?xf32> to memref<?xf32, strided<[1], offset: ?>>
  return
}

// -----

// Copies that lower to a memcpy stay: identity layouts, and static
// contiguous strided ones (a dynamic offset included; rank 0 as well).

// CHECK-LABEL: func @memcpy_copies
// CHECK:         memref.copy %{{.*}}, %{{.*}} : memref<?x64xi8> to memref<?x64xi8>
// CHECK:         memref.copy %{{.*}}, %{{.*}} : memref<4x64xi8, strided<[64, 1], offset: 128>> to memref<4x64xi8>
// CHECK:         memref.copy %{{.*}}, %{{.*}} : memref<4x64xi8> to memref<4x64xi8, strided<[64, 1], offset: ?>>
// CHECK:         memref.copy %{{.*}}, %{{.*}} : memref<f32, strided<[], offset: ?>> to memref<f32>
// CHECK-NOT:     scf.for
func.func @memcpy_copies(%a: memref<?x64xi8>, %b: memref<?x64xi8>,
                         %c: memref<4x64xi8, strided<[64, 1], offset: 128>>, %d: memref<4x64xi8>,
                         %e: memref<4x64xi8, strided<[64, 1], offset: ?>>,
                         %f: memref<f32, strided<[], offset: ?>>, %g: memref<f32>) {
  memref.copy %a, %b : memref<?x64xi8> to memref<?x64xi8>
  memref.copy %c, %d : memref<4x64xi8, strided<[64, 1], offset: 128>> to memref<4x64xi8>
  memref.copy %d, %e : memref<4x64xi8> to memref<4x64xi8, strided<[64, 1], offset: ?>>
  memref.copy %f, %g : memref<f32, strided<[], offset: ?>> to memref<f32>
  return
}
