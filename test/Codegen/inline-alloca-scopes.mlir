// RUN: inhibitor-opt %s --inhibitor-inline-alloca-scopes -split-input-file --allow-unregistered-dialect | FileCheck %s

// A scope whose body calls a function (the deallocation helper that
// bufferization-lower-deallocations emits) and allocates on the heap: the
// callee's stack ends with the call, so the body is inlined and the
// scope's results become the body's.
// CHECK-LABEL: func @call
// CHECK-NOT: memref.alloca_scope
// CHECK: %[[A:.*]] = memref.alloc() : memref<2xindex>
// CHECK: call @helper(%[[A]])
// CHECK: %[[R:.*]] = arith.addi
// CHECK: memref.dealloc %[[A]]
// CHECK: return %[[R]] : index
func.func private @helper(memref<2xindex>)
func.func @call(%x: index) -> index {
  %r = memref.alloca_scope -> (index) {
    %a = memref.alloc() : memref<2xindex>
    func.call @helper(%a) : (memref<2xindex>) -> ()
    %y = arith.addi %x, %x : index
    memref.dealloc %a : memref<2xindex>
    memref.alloca_scope.return %y : index
  }
  return %r : index
}

// -----

// A stack allocation in the scope: kept (its lifetime ends with the scope).
// CHECK-LABEL: func @alloca
// CHECK: memref.alloca_scope
// CHECK: memref.alloca()
func.func @alloca(%x: index) {
  scf.for %i = %x to %x step %x {
    memref.alloca_scope {
      %a = memref.alloca() : memref<4xindex>
      memref.store %i, %a[%x] : memref<4xindex>
    }
  }
  return
}

// -----

// A stack allocation nested in an scf.if inside the scope: kept too.
// CHECK-LABEL: func @nested_alloca
// CHECK: memref.alloca_scope
// CHECK: scf.if
// CHECK: memref.alloca()
func.func @nested_alloca(%x: index, %c: i1) {
  memref.alloca_scope {
    scf.if %c {
      %a = memref.alloca() : memref<4xindex>
      memref.store %x, %a[%x] : memref<4xindex>
    }
  }
  return
}

// -----

// One in an op that is an allocation scope of its own (scf.for, as
// upstream's canonicalization counts it): the scope is inlined.
// CHECK-LABEL: func @loop_scope
// CHECK-NOT: memref.alloca_scope
// CHECK: scf.for
// CHECK: memref.alloca()
func.func @loop_scope(%x: index) {
  memref.alloca_scope {
    scf.for %i = %x to %x step %x {
      %a = memref.alloca() : memref<4xindex>
      memref.store %i, %a[%x] : memref<4xindex>
    }
  }
  return
}

// One inside a nested scope belongs to that scope: the outer one is
// inlined, the inner one kept.
// CHECK-LABEL: func @inner_scope
// CHECK-COUNT-1: memref.alloca_scope
// CHECK-NOT: memref.alloca_scope
func.func @inner_scope(%x: index) {
  memref.alloca_scope {
    func.call @inner_scope_helper() : () -> ()
    memref.alloca_scope {
      %a = memref.alloca() : memref<4xindex>
      memref.store %x, %a[%x] : memref<4xindex>
    }
  }
  return
}
func.func private @inner_scope_helper()

// -----

// An op of unknown memory effects that is not a call: kept.
// CHECK-LABEL: func @unknown
// CHECK: memref.alloca_scope
// CHECK: "test.unknown"
func.func @unknown() {
  memref.alloca_scope {
    "test.unknown"() : () -> ()
  }
  return
}

// -----

// An LLVM intrinsic call (the x86 passes' pmaddwd; it declares no memory
// effects) allocates nothing: inlined. One that moves the stack pointer
// (llvm.stacksave) keeps the scope.
// CHECK-LABEL: func @intrinsic
// CHECK-NOT: memref.alloca_scope
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
// CHECK-LABEL: func @stack_intrinsic
// CHECK: memref.alloca_scope
// CHECK: llvm.call_intrinsic "llvm.stacksave"
func.func @intrinsic(%a: vector<16xi16>, %b: vector<16xi16>) -> vector<8xi32> {
  %r = memref.alloca_scope -> (vector<8xi32>) {
    %p = llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%a, %b) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
    memref.alloca_scope.return %p : vector<8xi32>
  }
  return %r : vector<8xi32>
}
func.func @stack_intrinsic() {
  memref.alloca_scope {
    %p = llvm.call_intrinsic "llvm.stacksave"() : () -> !llvm.ptr
  }
  return
}
