// RUN: inhibitor-opt %s --inhibitor-gpu-host-memory -split-input-file -verify-diagnostics -allow-unregistered-dialect | FileCheck %s

// Host allocations become managed memory (gpu.alloc host_shared), freed
// through gpu.dealloc on a stream waited for at once; constants read from a
// global are copied into managed memory and freed before the return.

memref.global "private" constant @table : memref<4xi32> = dense<[1, 2, 3, 4]>

// CHECK-LABEL: func @host
// CHECK:         %[[BUF:.*]] = gpu.alloc  host_shared () : memref<16xi32>
// CHECK:         %[[G:.*]] = memref.get_global @table : memref<4xi32>
// CHECK:         %[[COPY:.*]] = gpu.alloc  host_shared () : memref<4xi32>
// CHECK:         memref.copy %[[G]], %[[COPY]]
// CHECK:         "test.use"(%[[BUF]], %[[COPY]])
// CHECK:         %[[S1:.*]] = gpu.wait async
// CHECK:         %[[D1:.*]] = gpu.dealloc async [%[[S1]]] %[[BUF]]
// CHECK:         gpu.wait [%[[D1]]]
// CHECK:         %[[S2:.*]] = gpu.wait async
// CHECK:         %[[D2:.*]] = gpu.dealloc async [%[[S2]]] %[[COPY]]
// CHECK:         gpu.wait [%[[D2]]]
// CHECK-NEXT:    return
func.func @host() {
  %buf = memref.alloc() : memref<16xi32>
  %g = memref.get_global @table : memref<4xi32>
  "test.use"(%buf, %g) : (memref<16xi32>, memref<4xi32>) -> ()
  memref.dealloc %buf : memref<16xi32>
  return
}

// -----

// Dynamic sizes are kept.

// CHECK-LABEL: func @dynamic
// CHECK-SAME:    (%[[N:.*]]: index)
// CHECK:         gpu.alloc  host_shared (%[[N]]) : memref<?xf32>
func.func @dynamic(%n: index) -> memref<?xf32> {
  %buf = memref.alloc(%n) : memref<?xf32>
  return %buf : memref<?xf32>
}

// -----

// Code inside gpu.module is left alone.

// CHECK-LABEL: gpu.module @kernels
// CHECK:         memref.alloca
gpu.module @kernels {
  gpu.func @k() kernel {
    %a = memref.alloca() : memref<4xf32>
    gpu.return
  }
}

// -----

// Loops that convert-parallel-loops-to-gpu left on the host would run over
// device memory: an error.

func.func @unmapped(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{inhibitor-gpu-host-memory: scf.parallel loop was not mapped to a GPU kernel}}
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    scf.reduce
  }
  return
}

// -----

func.func @thread_loop() {
  // expected-error @+1 {{inhibitor-gpu-host-memory: thread-level scf.forall loop was not mapped to a GPU kernel}}
  scf.forall (%i) in (4) {
  } {mapping = [#gpu.thread<x>]}
  return
}

// -----

func.func @workgroup_alloca() {
  // expected-error @+1 {{inhibitor-gpu-host-memory: GPU memory-space allocation in host code}}
  %a = memref.alloca() : memref<4xf32, #gpu.address_space<workgroup>>
  return
}
