// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3" -split-input-file | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3" -split-input-file | mlir-translate --mlir-to-llvmir -split-input-file | FileCheck %s --check-prefix=LLVMIR

// A result that bufferizes in place into a function argument (a DPS init
// passed in, or an elementwise op on an argument) is returned through a
// `bufferization.clone`; the pipeline lowers it (convert-bufferization-to-memref)
// so that nothing but the LLVM dialect is left and mlir-translate accepts it.

// CHECK-NOT: {{^ *(%[^ ]+ = )?"?(bufferization|memref|builtin)\.}}

// CHECK-LABEL: llvm.func @score_into_init
// LLVMIR-LABEL: define {{.*}} @score_into_init
func.func @score_into_init(%q: tensor<4x8xf32>, %k: tensor<4x8xf32>,
                           %init: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<4x8xf32>, tensor<4x8xf32>)
         outs(%init : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %z : tensor<4x4xf32>
}

// -----

// The same without any inhibitor op.
// CHECK-LABEL: llvm.func @add_one
// LLVMIR-LABEL: define {{.*}} @add_one
func.func @add_one(%a: tensor<4xf32>) -> tensor<4xf32> {
  %c = arith.constant dense<1.0> : tensor<4xf32>
  %r = arith.addf %a, %c : tensor<4xf32>
  return %r : tensor<4xf32>
}
