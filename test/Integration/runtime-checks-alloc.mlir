// A failed heap allocation in generated code is reported, not a segfault:
// the unfused kernel's [N, M] score buffer of 65536 x 65536 x i32 (16 GiB)
// under a 4 GiB address-space limit (test/Integration/run-limited.py;
// lit's shell has no ulimit). malloc returns null, the check after it
// (--inhibitor-check-allocations, in --inhibitor-to-llvm) prints the size
// and stops. Without the check the kernel wrote through the null pointer.
// UNSUPPORTED: asan
// (ASan reserves terabytes of shadow address space: no address-space limit.)
//
// RUN: inhibitor-opt %s --inhibitor-to-llvm=fuse-attention=false > %t.mlir
// RUN: not --crash %python %S/run-limited.py --address-space-mib 4096 -- \
// RUN:   mlir-runner %t.mlir -e big -entry-point-result=void \
// RUN:   -shared-libs=%runner_utils 2>&1 | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-to-llvm=fuse-attention=false | FileCheck %s --check-prefix=IR
// IR-LABEL: llvm.func @unfused
// IR: llvm.call @malloc
// IR: llvm.call @dprintf

// CHECK: inhibitor run-time check failed: allocation of 17179869184 bytes (memref<?x?xi32>) at {{.*}} failed
// CHECK-NOT: Unranked Memref
func.func @unfused(%q: tensor<?x?xi32>, %k: tensor<?x?xi32>, %v: tensor<?x?xi32>)
    -> tensor<?x?xi32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %q, %c0 : tensor<?x?xi32>
  %e = tensor.dim %v, %c1 : tensor<?x?xi32>
  %init = tensor.empty(%n, %e) : tensor<?x?xi32>
  %h = inhibitor.attention ins(%q, %k, %v : tensor<?x?xi32>, tensor<?x?xi32>,
         tensor<?x?xi32>) outs(%init : tensor<?x?xi32>) -> tensor<?x?xi32>
  return %h : tensor<?x?xi32>
}

func.func private @printMemrefI32(memref<*xi32>) attributes {llvm.emit_c_interface}

func.func @print(%t: tensor<?x?xi32>) {
  %m = bufferization.to_buffer %t : tensor<?x?xi32> to memref<?x?xi32>
  %u = memref.cast %m : memref<?x?xi32> to memref<*xi32>
  call @printMemrefI32(%u) : (memref<*xi32>) -> ()
  return
}

func.func @big() {
  %c1 = arith.constant 1 : index
  %n = arith.constant 65536 : index
  %x = arith.constant 1 : i32
  %e = tensor.empty(%n, %c1) : tensor<?x?xi32>
  %q = linalg.fill ins(%x : i32) outs(%e : tensor<?x?xi32>) -> tensor<?x?xi32>
  %h = call @unfused(%q, %q, %q)
    : (tensor<?x?xi32>, tensor<?x?xi32>, tensor<?x?xi32>) -> tensor<?x?xi32>
  call @print(%h) : (tensor<?x?xi32>) -> ()
  return
}
