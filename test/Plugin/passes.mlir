// Our passes through the stock mlir-opt. Pass plugins register after the
// command line is parsed, so they are named in --pass-pipeline.
// RUN: mlir-opt %s --load-dialect-plugin=%inhibitor_plugin --load-pass-plugin=%inhibitor_plugin \
// RUN:   --pass-pipeline='builtin.module(func.func(convert-inhibitor-to-linalg))' | FileCheck %s
// RUN: mlir-opt %s --load-dialect-plugin=%inhibitor_plugin --load-pass-plugin=%inhibitor_plugin \
// RUN:   --pass-pipeline='builtin.module(inhibitor-to-llvm{target-cpu=x86-64-v3})' \
// RUN:   | FileCheck %s --check-prefix=LLVM

// CHECK-LABEL: func @score
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<4x8xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<6x8xi8>
// CHECK-NOT: inhibitor.
// CHECK: %[[KT:.*]] = linalg.transpose ins(%[[K]] : tensor<6x8xi8>)
// CHECK: %[[FILL:.*]] = linalg.fill
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[Q]], %[[KT]] : tensor<4x8xi8>, tensor<8x6xi8>)
// CHECK-SAME: outs(%[[FILL]] : tensor<4x6xi32>)

// LLVM-LABEL: llvm.func @score
// LLVM-SAME: target_cpu = "x86-64-v3"
// LLVM-NOT: inhibitor.
// LLVM-NOT: linalg.
func.func @score(%q: tensor<4x8xi8>, %k: tensor<6x8xi8>,
                 %init: tensor<4x6xi32>) -> tensor<4x6xi32> {
  %z = inhibitor.manhattan_score {gamma = 2 : i32}
         ins(%q, %k : tensor<4x8xi8>, tensor<6x8xi8>)
         outs(%init : tensor<4x6xi32>) -> tensor<4x6xi32>
  return %z : tensor<4x6xi32>
}
