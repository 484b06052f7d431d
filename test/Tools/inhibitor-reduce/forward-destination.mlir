// The inhibitor dialect's reduction pattern: when the failure does not need
// an inhibitor op's result, the op is replaced by its destination operand.
// Interesting here: the three functions still exist.
// RUN: inhibitor-reduce %s -reduction-tree='traversal-mode=0 test=/bin/sh test-arg=%S/Inputs/contains.sh,@score,@inhibit,@attention' | FileCheck %s
// An op the failure needs is kept: interesting only with inhibitor.inhibit.
// RUN: inhibitor-reduce %s -reduction-tree='traversal-mode=0 test=/bin/sh test-arg=%S/Inputs/contains.sh,inhibitor.inhibit' | FileCheck %s --check-prefix=KEEP

// CHECK-LABEL: func.func @score
// CHECK-NEXT: %[[E:.*]] = tensor.empty() : tensor<4x6xi32>
// CHECK-NEXT: return %[[E]] : tensor<4x6xi32>
// CHECK-LABEL: func.func @inhibit
// CHECK-NEXT: %[[E:.*]] = tensor.empty() : tensor<4x8xi32>
// CHECK-NEXT: return %[[E]] : tensor<4x8xi32>
// CHECK-LABEL: func.func @attention
// CHECK-NEXT: %[[E:.*]] = tensor.empty() : tensor<2x4x8xf32>
// CHECK-NEXT: return %[[E]] : tensor<2x4x8xf32>
// CHECK-NOT: inhibitor.

// KEEP-NOT: func.func @score
// KEEP: func.func @inhibit
// KEEP: %[[H:.*]] = inhibitor.inhibit
// KEEP: return %[[H]]
// KEEP-NOT: func.func

func.func @score(%q: tensor<4x16xi8>, %k: tensor<6x16xi8>) -> tensor<4x6xi32> {
  %init = tensor.empty() : tensor<4x6xi32>
  %z = inhibitor.manhattan_score {gamma = 2 : i32}
         ins(%q, %k : tensor<4x16xi8>, tensor<6x16xi8>)
         outs(%init : tensor<4x6xi32>) -> tensor<4x6xi32>
  return %z : tensor<4x6xi32>
}

func.func @inhibit(%v: tensor<6x8xi16>, %z: tensor<4x6xi32>) -> tensor<4x8xi32> {
  %init = tensor.empty() : tensor<4x8xi32>
  %h = inhibitor.inhibit signed ins(%v, %z : tensor<6x8xi16>, tensor<4x6xi32>)
         outs(%init : tensor<4x8xi32>) -> tensor<4x8xi32>
  return %h : tensor<4x8xi32>
}

func.func @attention(%q: tensor<2x4x16xf32>, %k: tensor<2x6x16xf32>, %v: tensor<2x6x8xf32>,
                     %m: tensor<4x6xi1>) -> tensor<2x4x8xf32> {
  %init = tensor.empty() : tensor<2x4x8xf32>
  %h = inhibitor.attention causal {gamma = 4.0 : f32}
         ins(%q, %k, %v : tensor<2x4x16xf32>, tensor<2x6x16xf32>, tensor<2x6x8xf32>)
         mask(%m : tensor<4x6xi1>)
         outs(%init : tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return %h : tensor<2x4x8xf32>
}
