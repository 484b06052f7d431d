// RUN: inhibitor-opt %s --inhibitor-legalize-for-nvvm -split-input-file | FileCheck %s

// math.absi and math.absf, which convert-gpu-to-nvvm lowers to libdevice
// calls, become arith with the same results.

// CHECK-LABEL: func @absi
// CHECK-SAME:    (%[[X:.*]]: i32)
// CHECK:         %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK:         %[[NEG:.*]] = arith.subi %[[ZERO]], %[[X]] : i32
// CHECK:         %[[ABS:.*]] = arith.maxsi %[[X]], %[[NEG]] : i32
// CHECK:         return %[[ABS]]
// CHECK-NOT:     math.absi
func.func @absi(%x: i32) -> i32 {
  %a = math.absi %x : i32
  return %a : i32
}

// -----

// CHECK-LABEL: func @absf
// CHECK-SAME:    (%[[X:.*]]: f32)
// CHECK-DAG:     %[[MASK:.*]] = arith.constant 2147483647 : i32
// CHECK-DAG:     %[[BITS:.*]] = arith.bitcast %[[X]] : f32 to i32
// CHECK:         %[[CLEARED:.*]] = arith.andi %[[BITS]], %[[MASK]] : i32
// CHECK:         %[[ABS:.*]] = arith.bitcast %[[CLEARED]] : i32 to f32
// CHECK:         return %[[ABS]]
func.func @absf(%x: f32) -> f32 {
  %a = math.absf %x : f32
  return %a : f32
}

// -----

// CHECK-LABEL: func @absf_f16_vector
// CHECK-DAG:     arith.constant dense<32767> : vector<4xi16>
// CHECK-DAG:     arith.bitcast %{{.*}} : vector<4xf16> to vector<4xi16>
// CHECK:         arith.andi
// CHECK-NOT:     math.absf
func.func @absf_f16_vector(%x: vector<4xf16>) -> vector<4xf16> {
  %a = math.absf %x : vector<4xf16>
  return %a : vector<4xf16>
}
