// RUN: inhibitor-opt %s --inhibitor-set-target-cpu="cpu=znver4" | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-set-target-cpu | FileCheck %s --check-prefix=HOST

// Every llvm.func gets the target CPU ('host' = the machine running the
// pass, never left empty).

// CHECK-LABEL: llvm.func @f
// CHECK-SAME:    target_cpu = "znver4"
// CHECK-LABEL: llvm.func @g
// CHECK-SAME:    target_cpu = "znver4"
// HOST-LABEL: llvm.func @f
// HOST-SAME:    target_cpu = "{{[a-z0-9-]+}}"
llvm.func @f() {
  llvm.return
}
llvm.func @g(%x: i32) -> i32 {
  llvm.return %x : i32
}
