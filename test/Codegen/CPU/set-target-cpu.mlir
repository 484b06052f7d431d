// RUN: inhibitor-opt %s --inhibitor-set-target-cpu="cpu=znver4" | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-set-target-cpu="cpu=znver3" | FileCheck %s --check-prefix=ZEN3
// RUN: inhibitor-opt %s --inhibitor-set-target-cpu | FileCheck %s --check-prefix=HOST
// RUN: inhibitor-opt %s --inhibitor-set-target-cpu="cpu=cortex-a72" | FileCheck %s --check-prefix=OTHER

// Every llvm.func gets the target CPU ('host' = the machine running the
// pass, never left empty). A named x86 CPU also gets its own features
// (LLVM's list for that CPU), so that a compile on a newer host (clang
// -march=native, a JIT) adds none of the host's: Zen 3 code has AVX2 and
// no AVX-512. The host, and CPUs LLVM's x86 list does not know, keep the
// target machine's features.

// CHECK-LABEL: llvm.func @f
// CHECK-SAME:    target_cpu = "znver4"
// CHECK-SAME:    target_features = #llvm.target_features<[{{.*}}"+avx512f"{{.*}}]>
// CHECK-LABEL: llvm.func @g
// CHECK-SAME:    target_cpu = "znver4"
// ZEN3-LABEL: llvm.func @f
// ZEN3-SAME:    target_cpu = "znver3"
// ZEN3-SAME:    target_features = #llvm.target_features<[{{.*}}"+avx2"{{.*}}]>
// ZEN3-NOT: avx512
// ZEN3-LABEL: llvm.func @g
// HOST-LABEL: llvm.func @f
// HOST-SAME:    target_cpu = "{{[a-z0-9-]+}}"
// HOST-NOT: target_features
// OTHER-LABEL: llvm.func @f
// OTHER-SAME:    target_cpu = "cortex-a72"
// OTHER-NOT: target_features
llvm.func @f() {
  llvm.return
}
llvm.func @g(%x: i32) -> i32 {
  llvm.return %x : i32
}
