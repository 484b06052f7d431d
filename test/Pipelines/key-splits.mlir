// RUN: inhibitor-opt %s --inhibitor-to-llvm="key-splits=4 threads=4 target-cpu=znver3" -verify-each | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-to-llvm="key-splits=4 target-cpu=znver3" -verify-each | FileCheck %s --check-prefix=SERIAL
// RUN: inhibitor-opt %s --inhibitor-to-llvm="key-splits=4 threads=2 target-cpu=znver3" -mlir-print-ir-after=scf-forall-to-parallel -o /dev/null 2>&1 | FileCheck %s --check-prefix=HOIST

// key-splits=S (decode): the keys in S parallel parts, each the whole
// fused kernel on 1024 keys, added afterwards; with threads the parts run
// on OpenMP threads (the outer parallel loop holds the fused kernels).
// CHECK-LABEL: llvm.func @decode
// CHECK: omp.parallel num_threads(%{{.*}} : i32)
// CHECK: omp.wsloop
// CHECK: llvm.add {{.*}} : vector<
// SERIAL-LABEL: llvm.func @decode
// SERIAL-NOT: omp.
// With threads, the score tile's buffer is allocated once per part and
// head (inside both parallel loops: one per thread), not once per key
// tile (buffer-loop-hoisting runs before the scf.forall becomes an
// scf.parallel).
// HOIST: scf.parallel
// HOIST: scf.parallel
// HOIST: memref.alloc() {{.*}} : memref<1x4x128xi32>
// HOIST-NEXT: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c128
// HOIST-NOT: memref.alloc
// HOIST: scf.reduce
func.func @decode(%q: tensor<8x4x64xi16>, %k: tensor<8x4096x64xi16>,
                  %v: tensor<8x4096x64xi16>) -> tensor<8x4x64xi32> {
  %init = tensor.empty() : tensor<8x4x64xi32>
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x4x64xi16>, tensor<8x4096x64xi16>, tensor<8x4096x64xi16>)
         outs(%init : tensor<8x4x64xi32>) -> tensor<8x4x64xi32>
  return %h : tensor<8x4x64xi32>
}
