// Run-time checks with OpenMP threads: an allocation inside the parallel
// loop (here the bf16 kernel's per-tile buffer of a full 4-query tile; of
// 65 queries the last tile, of one, is a static body of its own) gets the
// check without the dprintf call, whose unknown effects kept the canonicalizer from inlining
// the iteration's memref.alloca_scope (the pipeline then failed: "expects
// region #0 to have 0 or 1 blocks"; found by the differential run,
// linalg-threads variant). The cf.assert's message names the type and
// location instead.
// RUN: inhibitor-opt %s --inhibitor-to-llvm="threads=3 query-tile=4 key-tile=8" | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-to-llvm="threads=3 query-tile=4 key-tile=8" \
// RUN:   --mlir-print-ir-after=inhibitor-check-allocations -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CHECKS

// CHECK-LABEL: llvm.func @bf16_threads
// CHECK: omp.parallel

// CHECKS-LABEL: func.func @bf16_threads
// CHECKS: llvm.call @dprintf
// CHECKS: scf.parallel
// CHECKS-NOT: llvm.call
// CHECKS: cf.assert %{{.*}}, "inhibitor run-time check failed: out of memory (memref<1x4x7xbf16> at {{.*}}runtime-checks-threads.mlir:{{[0-9]+}}:{{[0-9]+}})"
func.func @bf16_threads(%q: tensor<2x65x15xbf16>, %k: tensor<2x7x15xbf16>,
                        %v: tensor<2x7x1xbf16>) -> tensor<2x65x1xbf16> {
  %e = tensor.empty() : tensor<2x65x1xbf16>
  %h = inhibitor.attention {gamma = 2.0 : bf16}
         ins(%q, %k, %v : tensor<2x65x15xbf16>, tensor<2x7x15xbf16>, tensor<2x7x1xbf16>)
         outs(%e : tensor<2x65x1xbf16>) -> tensor<2x65x1xbf16>
  return %h : tensor<2x65x1xbf16>
}
