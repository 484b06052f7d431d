// RUN: inhibitor-opt %s --inhibitor-to-llvm="threads=4 target-cpu=znver3" -verify-each | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3" | FileCheck %s --check-prefix=SERIAL

// threads=N: the fused kernel's loop over (batch, query tiles) becomes an
// OpenMP parallel loop with N threads; by default (threads=1) no OpenMP.

// CHECK-LABEL: llvm.func @attention
// CHECK: omp.parallel num_threads(%{{.*}} : i32)
// CHECK: omp.wsloop
// CHECK: omp.loop_nest
// SERIAL-LABEL: llvm.func @attention
// SERIAL-NOT: omp.
func.func @attention(%q: tensor<8x256x64xi16>, %k: tensor<8x256x64xi16>,
                     %v: tensor<8x256x64xi16>) -> tensor<8x256x64xi16> {
  %init = tensor.empty() : tensor<8x256x64xi16>
  %h = inhibitor.attention signed {gamma = 8 : i16}
         ins(%q, %k, %v : tensor<8x256x64xi16>, tensor<8x256x64xi16>, tensor<8x256x64xi16>)
         outs(%init : tensor<8x256x64xi16>) -> tensor<8x256x64xi16>
  return %h : tensor<8x256x64xi16>
}
