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
