// RUN: inhibitor-opt %s --inhibitor-to-gpu="chip=sm_90 features=+ptx80 tile-sizes=4,64" \
// RUN:   | FileCheck %s
// RUN: not inhibitor-opt %s --inhibitor-to-gpu="tile-sizes=64,64" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TOO-MANY
// RUN: not inhibitor-opt %s --inhibitor-to-gpu="tile-sizes=8" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TOO-MANY

// chip and features go to the NVVM target; tile-sizes = (rows, cols) is the
// thread block: 64 threads along the contiguous dim (E = 64), 4 rows; the
// score kernel's block is clamped to M = 17 columns.
// CHECK-LABEL: llvm.func @attention_i16(
// CHECK-DAG: %[[C4:.*]] = llvm.mlir.constant(4 : index) : i64
// CHECK-DAG: %[[C17:.*]] = llvm.mlir.constant(17 : index) : i64
// CHECK-DAG: %[[C64:.*]] = llvm.mlir.constant(64 : index) : i64
// CHECK: gpu.launch_func {{.*}} threads in (%[[C17]], %[[C4]], %{{.*}})
// CHECK: gpu.launch_func {{.*}} threads in (%[[C64]], %[[C4]], %{{.*}})
// CHECK: gpu.binary @attention_i16_kernel [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">{{.*}}.target sm_90

// TOO-MANY: error: inhibitor-gpu-tile-and-distribute: expected 2 positive tile sizes (rows, cols) with rows * cols <= 1024 threads

func.func @attention_i16(%q: tensor<33x64xi16>, %k: tensor<17x64xi16>,
                         %v: tensor<17x64xi16>) -> tensor<33x64xi32> {
  %init = tensor.empty() : tensor<33x64xi32>
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<33x64xi16>, tensor<17x64xi16>, tensor<17x64xi16>)
         outs(%init : tensor<33x64xi32>) -> tensor<33x64xi32>
  return %h : tensor<33x64xi32>
}
