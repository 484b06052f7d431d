// Staging of the score and inhibition reductions through shared-memory
// tiles (issue #7: K/V tiles in workgroup memory), step by step.
//
// [STAGE] inhibitor-gpu-tile-and-distribute turns a contraction-like linalg.generic into
// a grid-level scf.parallel whose body allocates the tiles in workgroup
// memory and runs sibling thread-level scf.forall loops: accumulator init,
// then per reduction chunk a cooperative copy and the accumulation from the
// tiles, then the write-back. Bounds guards (scf.if) are inside the thread
// loops; dynamic sizes and sizes that are not multiples of the tile work.
// RUN: inhibitor-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(inhibitor-gpu-tile-and-distribute{tile-sizes=4,16 reduction-tile=8}),canonicalize,cse)" \
// RUN:   | FileCheck %s --check-prefix=STAGE
//
// [EMU] workgroup-memory=false (what --inhibitor-to-gpu="emulate-on-cpu=true"
// runs on the host): the same loops, tiles in host memory freed per block.
// RUN: inhibitor-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(inhibitor-gpu-tile-and-distribute{tile-sizes=4,16 reduction-tile=8 workgroup-memory=false}),canonicalize,cse)" \
// RUN:   | FileCheck %s --check-prefix=EMU
//
// [PLAIN] shared-memory=false keeps one thread per element on global memory.
// RUN: inhibitor-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(inhibitor-gpu-tile-and-distribute{tile-sizes=4,16 shared-memory=false}),canonicalize,cse)" \
// RUN:   | FileCheck %s --check-prefix=PLAIN
//
// [MAP] upstream gpu-map-parallel-loops + convert-parallel-loops-to-gpu map
// the grid (dynamic sizes), inhibitor-gpu-map-threads the thread loops
// (upstream mapNestedForallToThreadsImpl: thread ids, a gpu.barrier after
// each loop, none inside a guard) and the tiles (workgroup attributions).
// RUN: inhibitor-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(inhibitor-gpu-tile-and-distribute{tile-sizes=4,16 reduction-tile=8}),canonicalize,cse,func.func(gpu-map-parallel-loops{mapping-policy=innermost-first},convert-parallel-loops-to-gpu,inhibitor-gpu-map-threads))" \
// RUN:   | FileCheck %s --check-prefix=MAP
//
// [NVVM] the whole pipeline, just before serialization: tiles are globals in
// address space 3, barriers nvvm.barrier0, the inner loop loads from
// !llvm.ptr<3>; [PTX] .shared arrays, bar.sync, ld.shared.
// RUN: inhibitor-opt %s -split-input-file --inhibitor-to-gpu="tile-sizes=4,16 reduction-tile=8" \
// RUN:   --mlir-print-ir-before=gpu-module-to-binary -o /dev/null 2>&1 | FileCheck %s --check-prefix=NVVM
// RUN: inhibitor-opt %s -split-input-file --inhibitor-to-gpu="tile-sizes=4,16 reduction-tile=8" \
// RUN:   | %python %inhibitor_src/test/Utils/extract_ptx.py - | FileCheck %s --check-prefix=PTX
//
// Tiles that do not fit in the 48 KiB of static shared memory of a block,
// and an empty reduction chunk, are errors (not silently the plain path).
// RUN: not inhibitor-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(inhibitor-gpu-tile-and-distribute{tile-sizes=32,32 reduction-tile=1024}))" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TOOBIG
// RUN: not inhibitor-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(inhibitor-gpu-tile-and-distribute{reduction-tile=0}))" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ZERO
// TOOBIG: error: inhibitor-gpu-tile-and-distribute: staged tiles need 70656 bytes of shared memory per block (at most 49152); lower tile-sizes or reduction-tile
// ZERO: error: inhibitor-gpu-tile-and-distribute: reduction-tile must be positive

#q = affine_map<(b, i, j, d) -> (b, i, d)>
#k = affine_map<(b, i, j, d) -> (b, j, d)>
#z = affine_map<(b, i, j, d) -> (b, i, j)>

// STAGE-LABEL: func.func @score(
// STAGE-SAME: %[[Q:[a-z0-9_]+]]: memref<?x?x?xi8>, %[[K:[a-z0-9_]+]]: memref<?x?x?xi8>, %[[Z:[a-z0-9_]+]]: memref<?x?x?xi32>
// STAGE-DAG: %[[C0:.*]] = arith.constant 0 : index
// STAGE-DAG: %[[C1:.*]] = arith.constant 1 : index
// STAGE-DAG: %[[C2:.*]] = arith.constant 2 : index
// STAGE-DAG: %[[C4:.*]] = arith.constant 4 : index
// STAGE-DAG: %[[C8:.*]] = arith.constant 8 : index
// STAGE-DAG: %[[C16:.*]] = arith.constant 16 : index
// STAGE-DAG: %[[C32:.*]] = arith.constant 32 : index
// STAGE-DAG: %[[C64:.*]] = arith.constant 64 : index
// STAGE-DAG: %[[C128:.*]] = arith.constant 128 : index
// STAGE-DAG: %[[B:.*]] = memref.dim %[[Q]], %[[C0]]
// STAGE-DAG: %[[N:.*]] = memref.dim %[[Q]], %[[C1]]
// STAGE-DAG: %[[D:.*]] = memref.dim %[[Q]], %[[C2]]
// STAGE-DAG: %[[M:.*]] = memref.dim %[[K]], %[[C1]]
// STAGE: scf.parallel (%[[BI:.*]], %[[I0:.*]], %[[J0:.*]]) = (%[[C0]], %[[C0]], %[[C0]]) to (%[[B]], %[[N]], %[[M]]) step (%[[C1]], %[[C4]], %[[C16]]) {
// Q tile [rows, chunk]; K tile transposed to [chunk, cols + 1] so that
// threadIdx.x reads consecutive words; the accumulators [rows, cols].
// STAGE: %[[QT:.*]] = memref.alloca() : memref<4x8xi8, #gpu.address_space<workgroup>>
// STAGE: %[[KT:.*]] = memref.alloca() : memref<8x17xi8, #gpu.address_space<workgroup>>
// STAGE: %[[ACC:.*]] = memref.alloca() : memref<4x16xi32, #gpu.address_space<workgroup>>
// STAGE: scf.forall (%[[TY:.*]], %[[TX:.*]]) in (4, 16) {
// STAGE: scf.if
// STAGE: memref.load %[[Z]]
// STAGE: memref.store {{.*}}, %[[ACC]][%[[TY]], %[[TX]]]
// STAGE: } {mapping = [#gpu.thread<y>, #gpu.thread<x>]}
// STAGE: scf.for %[[R0:.*]] = %[[C0]] to %[[D]] step %[[C8]] {
// STAGE: %[[LEFT:.*]] = arith.subi %[[D]], %[[R0]]
// STAGE: %[[LEN:.*]] = arith.minsi %[[LEFT]], %[[C8]]
// Copy: 32 elements of Q, 128 of K, over 64 threads, guarded.
// STAGE: scf.forall
// STAGE: scf.for %{{.*}} = %{{.*}} to %[[C32]] step %[[C64]] {
// STAGE: scf.if
// STAGE: memref.load %[[Q]]
// STAGE: memref.store {{.*}}, %[[QT]]
// STAGE: scf.for %{{.*}} = %{{.*}} to %[[C128]] step %[[C64]] {
// STAGE: scf.if
// STAGE: memref.load %[[K]]
// STAGE: memref.store {{.*}}, %[[KT]]
// STAGE: } {mapping = [#gpu.thread<y>, #gpu.thread<x>]}
// Accumulate from the tiles only.
// STAGE: scf.forall (%[[TY2:.*]], %[[TX2:.*]]) in (4, 16) {
// STAGE: scf.if
// STAGE: %[[A0:.*]] = memref.load %[[ACC]][%[[TY2]], %[[TX2]]]
// STAGE: scf.for %[[R:.*]] = %[[C0]] to %[[LEN]] step %[[C1]] iter_args(%{{.*}} = %[[A0]]) -> (i32) {
// STAGE-NEXT: memref.load %[[QT]][%[[TY2]], %[[R]]]
// STAGE-NEXT: memref.load %[[KT]][%[[R]], %[[TX2]]]
// STAGE-NOT: memref.load
// STAGE: scf.yield
// STAGE: memref.store {{.*}}, %[[ACC]][%[[TY2]], %[[TX2]]]
// STAGE: } {mapping = [#gpu.thread<y>, #gpu.thread<x>]}
// STAGE: }
// STAGE: scf.forall
// STAGE: memref.load %[[ACC]]
// STAGE: memref.store {{.*}}, %[[Z]][%[[BI]],
// STAGE: } {mapping = [#gpu.thread<y>, #gpu.thread<x>]}

// EMU-LABEL: func.func @score(
// EMU: scf.parallel
// EMU: %[[QT:.*]] = memref.alloc() : memref<4x8xi8>
// EMU: %[[KT:.*]] = memref.alloc() : memref<8x17xi8>
// EMU: %[[ACC:.*]] = memref.alloc() : memref<4x16xi32>
// EMU-COUNT-4: scf.forall
// EMU: memref.dealloc %[[QT]]
// EMU: memref.dealloc %[[KT]]
// EMU: memref.dealloc %[[ACC]]

// PLAIN-LABEL: func.func @score(
// PLAIN-SAME: %[[Q:[a-z0-9_]+]]: memref<?x?x?xi8>, %[[K:[a-z0-9_]+]]: memref<?x?x?xi8>
// PLAIN-NOT: memref.alloca
// PLAIN-NOT: scf.forall
// PLAIN: scf.parallel
// PLAIN: scf.parallel
// PLAIN: scf.for
// PLAIN: memref.load %[[Q]]
// PLAIN: memref.load %[[K]]

// MAP-LABEL: func.func @score(
// (Block sizes: the constants' names are their values.)
// MAP: gpu.launch blocks({{.*}}) threads({{.*}}) in (%{{.*}} = %{{c16(_[0-9]+)?}}, %{{.*}} = %{{c4(_[0-9]+)?}}, %{{.*}} = %{{c1(_[0-9]+)?}}) workgroup(%[[QT:.*]] : memref<4x8xi8, #gpu.address_space<workgroup>>, %[[KT:.*]] : memref<8x17xi8, #gpu.address_space<workgroup>>, %[[ACC:.*]] : memref<4x16xi32, #gpu.address_space<workgroup>>) {
// MAP-NOT: memref.alloca
// MAP-NOT: scf.forall
// MAP: gpu.thread_id  x
// MAP: memref.store {{.*}}, %[[ACC]]
// MAP: {{^      }}gpu.barrier
// MAP: {{^      }}scf.for
// MAP: memref.store {{.*}}, %[[QT]]
// MAP: memref.store {{.*}}, %[[KT]]
// MAP: {{^        }}gpu.barrier
// MAP: memref.load %[[QT]]
// MAP: memref.load %[[KT]]
// MAP: {{^        }}gpu.barrier
// MAP-NEXT: {{^      }}}
// MAP: memref.load %[[ACC]]
// MAP: {{^      }}gpu.barrier
// MAP-NEXT: gpu.terminator

// NVVM-LABEL: gpu.module @score_kernel
// NVVM-DAG: llvm.mlir.global internal @__wg_score_kernel_0() {addr_space = 3 : i32} : !llvm.array<32 x i8>
// NVVM-DAG: llvm.mlir.global internal @__wg_score_kernel_1() {addr_space = 3 : i32} : !llvm.array<136 x i8>
// NVVM-DAG: llvm.mlir.global internal @__wg_score_kernel_2() {addr_space = 3 : i32} : !llvm.array<64 x i32>
// NVVM: nvvm.barrier0
// NVVM: llvm.store {{.*}} : i8, !llvm.ptr<3>
// NVVM: nvvm.barrier0
// NVVM: llvm.load {{.*}} : !llvm.ptr<3> -> i8
// NVVM: llvm.load {{.*}} : !llvm.ptr<3> -> i8
// NVVM: nvvm.barrier0

// PTX-LABEL: // gpu.binary @score_kernel
// PTX-DAG: .shared .align 1 .b8 __wg_score_kernel_0[32];
// PTX-DAG: .shared .align 1 .b8 __wg_score_kernel_1[136];
// PTX-DAG: .shared .align 4 .b8 __wg_score_kernel_2[256];
// PTX: st.shared.b8
// PTX: bar.sync 0
// PTX: ld.shared.s8
// PTX: bar.sync 0
func.func @score(%q: memref<?x?x?xi8>, %k: memref<?x?x?xi8>, %z: memref<?x?x?xi32>) {
  linalg.generic {indexing_maps = [#q, #k, #z],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : memref<?x?x?xi8>, memref<?x?x?xi8>) outs(%z : memref<?x?x?xi32>) {
  ^bb0(%a: i8, %b: i8, %acc: i32):
    %ae = arith.extsi %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %d = arith.subi %ae, %be : i32
    %abs = math.absi %d : i32
    %s = arith.addi %acc, %abs : i32
    linalg.yield %s : i32
  }
  return
}

// -----

// Inhibition with a mask broadcast over rows (a constant index) and a
// causal test on the loop indices: V tile [keys, cols], Z tile [rows,
// keys], mask tile [keys]; linalg.index becomes the global indices (row,
// key) of the thread and the chunk.
#v = affine_map<(i, e, j) -> (j, e)>
#zz = affine_map<(i, e, j) -> (i, j)>
#m = affine_map<(i, e, j) -> (0, j)>
#h = affine_map<(i, e, j) -> (i, e)>
// STAGE-LABEL: func.func @inhibit(
// STAGE-SAME: %[[V:[a-z0-9_]+]]: memref<17x20xf16>, %[[ZZ:[a-z0-9_]+]]: memref<33x17xf16>, %[[MASK:[a-z0-9_]+]]: memref<1x17xi8>
// STAGE-DAG: %[[C0:.*]] = arith.constant 0 : index
// STAGE-DAG: %[[C1:.*]] = arith.constant 1 : index
// STAGE-DAG: %[[C4:.*]] = arith.constant 4 : index
// STAGE-DAG: %[[C8:.*]] = arith.constant 8 : index
// STAGE-DAG: %[[C16:.*]] = arith.constant 16 : index
// STAGE-DAG: %[[C17:.*]] = arith.constant 17 : index
// STAGE-DAG: %[[C20:.*]] = arith.constant 20 : index
// STAGE-DAG: %[[C33:.*]] = arith.constant 33 : index
// STAGE: scf.parallel (%[[I0:.*]], %[[E0:.*]]) = (%[[C0]], %[[C0]]) to (%[[C33]], %[[C20]]) step (%[[C4]], %[[C16]])
// STAGE: %[[VT:.*]] = memref.alloca() : memref<8x16xf16, #gpu.address_space<workgroup>>
// STAGE: %[[ZT:.*]] = memref.alloca() : memref<4x8xf16, #gpu.address_space<workgroup>>
// STAGE: %[[MT:.*]] = memref.alloca() : memref<8xi8, #gpu.address_space<workgroup>>
// STAGE: %[[ACC:.*]] = memref.alloca() : memref<4x16xf16, #gpu.address_space<workgroup>>
// STAGE: scf.for %[[R0:.*]] = %[[C0]] to %[[C17]] step %[[C8]] {
// STAGE: scf.forall
// STAGE: memref.load %[[MASK]][%[[C0]], %{{.*}}] : memref<1x17xi8>
// STAGE: memref.store {{.*}}, %[[MT]]
// STAGE: } {mapping = [#gpu.thread<y>, #gpu.thread<x>]}
// STAGE: scf.forall (%[[TY:.*]], %[[TX:.*]]) in (4, 16) {
// STAGE: %[[I:.*]] = arith.addi %[[I0]], %[[TY]]
// STAGE: scf.for %[[R:.*]] = %[[C0]] to %{{.*}} step %[[C1]] iter_args
// STAGE: %[[J:.*]] = arith.addi %[[R0]], %[[R]]
// STAGE: memref.load %[[VT]][%[[R]], %[[TX]]]
// STAGE: memref.load %[[ZT]][%[[TY]], %[[R]]]
// STAGE: memref.load %[[MT]][%[[R]]]
// STAGE: arith.cmpi ule, %[[J]], %[[I]]

// MAP-LABEL: func.func @inhibit(
// MAP: gpu.launch {{.*}} workgroup({{.*}}memref<8x16xf16, #gpu.address_space<workgroup>>{{.*}}memref<4x8xf16, #gpu.address_space<workgroup>>{{.*}}memref<8xi8, #gpu.address_space<workgroup>>{{.*}}memref<4x16xf16, #gpu.address_space<workgroup>>)

// PTX-LABEL: // gpu.binary @inhibit_kernel
// PTX-DAG: .shared .align 2 .b8 __wg_inhibit_kernel_0[256];
// PTX-DAG: .shared .align 2 .b8 __wg_inhibit_kernel_1[64];
// PTX-DAG: .shared .align 1 .b8 __wg_inhibit_kernel_2[8];
// PTX: bar.sync 0
// PTX: ld.shared.b16
// PTX: bar.sync 0
func.func @inhibit(%v: memref<17x20xf16>, %z: memref<33x17xf16>, %m: memref<1x17xi8>, %out: memref<33x20xf16>) {
  %zero = arith.constant 0.0 : f16
  %c0_i8 = arith.constant 0 : i8
  linalg.generic {indexing_maps = [#v, #zz, #m, #h],
      iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%v, %z, %m : memref<17x20xf16>, memref<33x17xf16>, memref<1x17xi8>) outs(%out : memref<33x20xf16>) {
  ^bb0(%vv: f16, %zv: f16, %mv: i8, %acc: f16):
    %d = arith.subf %vv, %zv : f16
    %p = arith.maximumf %d, %zero : f16
    %on = arith.cmpi ne, %mv, %c0_i8 : i8
    %i = linalg.index 0 : index
    %j = linalg.index 2 : index
    %causal = arith.cmpi ule, %j, %i : index
    %both = arith.andi %on, %causal : i1
    %c = arith.select %both, %p, %zero : f16
    %s = arith.addf %acc, %c : f16
    linalg.yield %s : f16
  }
  return
}

// -----

// A row-wise reduction (softmax max): every input element is read by one
// thread only, nothing to share: not staged.
// STAGE-LABEL: func.func @rowmax(
// STAGE-NOT: memref.alloca
// STAGE-NOT: scf.forall
// STAGE: scf.parallel
// STAGE: scf.parallel
// STAGE: scf.for
func.func @rowmax(%x: memref<8x33x17xf32>, %out: memref<8x33xf32>) {
  linalg.generic {indexing_maps = [affine_map<(h, i, j) -> (h, i, j)>, affine_map<(h, i, j) -> (h, i)>],
      iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x : memref<8x33x17xf32>) outs(%out : memref<8x33xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.maximumf %acc, %a : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// One block covers the whole static problem (3 x 3 outputs): the grid gets
// a second block, idle (its threads are out of range), because the
// canonicalizer would inline a one-iteration scf.parallel and leave the
// thread loops on the host; inhibitor-gpu-host-memory rejects those.
// STAGE-LABEL: func.func @one_block(
// STAGE-DAG: %[[C0:.*]] = arith.constant 0 : index
// STAGE-DAG: %[[C3:.*]] = arith.constant 3 : index
// STAGE-DAG: %[[C6:.*]] = arith.constant 6 : index
// STAGE: scf.parallel (%{{.*}}) = (%[[C0]]) to (%[[C6]]) step (%[[C3]]) {
// STAGE: memref.alloca() : memref<3x5xi8, #gpu.address_space<workgroup>>
// MAP-LABEL: func.func @one_block(
// MAP: gpu.launch blocks({{.*}}) in (%{{.*}} = %{{.*}}, %{{.*}} = %{{c1(_[0-9]+)?}}, %{{.*}} = %{{c1(_[0-9]+)?}}) threads({{.*}}) in (%{{.*}} = %{{c3(_[0-9]+)?}}, %{{.*}} = %{{c3(_[0-9]+)?}}, %{{.*}} = %{{c1(_[0-9]+)?}}) workgroup(
// PTX-LABEL: // gpu.binary @one_block_kernel
// PTX: .shared
// PTX: bar.sync 0
func.func @one_block(%q: memref<3x5xi8>, %k: memref<3x5xi8>, %z: memref<3x3xi32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j, d) -> (i, d)>, affine_map<(i, j, d) -> (j, d)>,
                                   affine_map<(i, j, d) -> (i, j)>],
      iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%q, %k : memref<3x5xi8>, memref<3x5xi8>) outs(%z : memref<3x3xi32>) {
  ^bb0(%a: i8, %b: i8, %acc: i32):
    %ae = arith.extsi %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %d = arith.subi %ae, %be : i32
    %abs = math.absi %d : i32
    %s = arith.addi %acc, %abs : i32
    linalg.yield %s : i32
  }
  return
}
