// RUN: inhibitor-opt %s --inhibitor-prefetch-tiles --canonicalize -split-input-file | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-prefetch-tiles="distance=2 locality=2 min-tile-bytes=256 reuse-bytes=0" --canonicalize -split-input-file | FileCheck %s --check-prefix=OPTS
// RUN: inhibitor-opt %s --inhibitor-prefetch-tiles="line-bytes=128" --canonicalize -split-input-file | FileCheck %s --check-prefix=LINES
// RUN: not inhibitor-opt %s --inhibitor-prefetch-tiles="locality=4" -split-input-file 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: error: inhibitor-prefetch-tiles: distance must be at least 1, locality 0 to 3

// A loop over key tiles of K and V (the fused kernel's, on buffers): each
// [1, 128, 64] i16 tile is 256 cache lines, the inner nest (4 x 64) has 256
// iterations, so each iteration prefetches one line of the next K tile and
// one of the next V tile: line t = 64 q + d, row t / 2, column 32 (t % 2),
// at key iv + 128, clamped to the last tile (3968).

// CHECK-LABEL: func @stream
// CHECK-DAG: %[[C3968:.*]] = arith.constant 3968 : index
// CHECK-DAG: %[[C128:.*]] = arith.constant 128 : index
// CHECK: scf.for %[[H:.*]] = %{{.*}} to %{{.*}} step
// CHECK: scf.for %[[IV:.*]] = %{{.*}} to %{{.*}} step %[[C128]]
// CHECK: %[[NEXT:.*]] = arith.addi %[[IV]], %[[C128]]
// CHECK: %[[AHEAD:.*]] = arith.minsi %[[NEXT]], %[[C3968]]
// CHECK: memref.subview %arg1[%[[H]], %[[IV]], 0] [1, 128, 64]
// CHECK: scf.for %[[Q:.*]] = %{{.*}} to %{{.*}} step
// CHECK: scf.for %[[D:.*]] = %{{.*}} to %{{.*}} step
// CHECK: %[[T0:.*]] = arith.muli %[[Q]], %c64
// CHECK: %[[T:.*]] = arith.addi %[[T0]], %[[D]]
// CHECK: %[[ROW:.*]] = arith.divui %{{.*}}, %c2
// CHECK: %[[R:.*]] = arith.remui %{{.*}}, %c2
// CHECK: %[[COL:.*]] = arith.muli %[[R]], %c32
// CHECK: %[[KEY:.*]] = arith.addi %[[AHEAD]], %{{.*}}
// CHECK: memref.prefetch %arg1[%[[H]], %[[KEY]], %[[COL]]], read, locality<3>, data : memref<8x4096x64xi16>
// CHECK: memref.prefetch %arg2[%[[H]], %{{.*}}, %{{.*}}], read, locality<3>, data : memref<8x4096x64xi16>
// CHECK-NOT: memref.prefetch
// CHECK: memref.load
// CHECK-NOT: memref.prefetch
// CHECK: return
// OPTS-LABEL: func @stream
// OPTS-DAG: %[[C256:.*]] = arith.constant 256 : index
// OPTS-DAG: %[[C3968:.*]] = arith.constant 3968 : index
// OPTS: scf.for %[[IV:.*]] = %{{.*}} to %c4096 step %c128
// OPTS: %[[NEXT:.*]] = arith.addi %[[IV]], %[[C256]]
// OPTS: arith.minsi %[[NEXT]], %[[C3968]]
// OPTS: memref.prefetch %arg1{{.*}} read, locality<2>, data
// OPTS: memref.prefetch %arg2{{.*}} read, locality<2>, data
// line-bytes=128: a row of 64 i16 is one line, a tile 128 lines over 256
// iterations, so every other iteration prefetches (where (t * 128) mod 256 < 128)
// row t / 2, always at column 0.
// LINES-LABEL: func @stream
// LINES: %[[P:.*]] = arith.muli %{{.*}}, %c128
// LINES: %[[R:.*]] = arith.remui %[[P]], %c256
// LINES: %[[NEW:.*]] = arith.cmpi ult, %[[R]], %c128
// LINES: scf.if %[[NEW]] {
// LINES: memref.prefetch %arg1[%{{.*}}, %{{.*}}, %c0]
// LINES: scf.if
// LINES: memref.prefetch %arg2[%{{.*}}, %{{.*}}, %c0]
func.func @stream(%q: memref<8x4x64xi16>, %k: memref<8x4096x64xi16>,
                  %v: memref<8x4096x64xi16>, %out: memref<8x4xi16>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %c4096 = arith.constant 4096 : index
  scf.for %h = %c0 to %c8 step %c1 {
    scf.for %j = %c0 to %c4096 step %c128 {
      %kt = memref.subview %k[%h, %j, 0] [1, 128, 64] [1, 1, 1] : memref<8x4096x64xi16> to memref<1x128x64xi16, strided<[262144, 64, 1], offset: ?>>
      %vt = memref.subview %v[%h, %j, 0] [1, 128, 64] [1, 1, 1] : memref<8x4096x64xi16> to memref<1x128x64xi16, strided<[262144, 64, 1], offset: ?>>
      scf.for %i = %c0 to %c4 step %c1 {
        scf.for %d = %c0 to %c64 step %c1 {
          %a = memref.load %kt[%c0, %i, %d] : memref<1x128x64xi16, strided<[262144, 64, 1], offset: ?>>
          %b = memref.load %vt[%c0, %i, %d] : memref<1x128x64xi16, strided<[262144, 64, 1], offset: ?>>
          %s = arith.addi %a, %b : i16
          memref.store %s, %out[%h, %i] : memref<8x4xi16>
        }
      }
    }
  }
  return
}

// -----

// Two branches (the fused kernel's narrow and wide key tiles), each with a
// nest of more iterations than any outside them: both prefetch. The nest
// with the most iterations is chosen in each (the 8 x 64 one in the `then`
// branch, not the 4 x 64 one). A tile of 2 KiB of i32 is 32 lines: over
// 512 iterations, a line where t * 32 / 512 changes ((t * 32) mod 512 <
// 32); over the `else` branch's 16 iterations, two lines each.

// CHECK-LABEL: func @branches
// CHECK: scf.if %arg1 {
// CHECK-NEXT: scf.for %{{.*}} = %c0 to %c4
// CHECK-NEXT: scf.for
// CHECK-NEXT: memref.load
// CHECK: scf.for %{{.*}} = %c0 to %c8
// CHECK-NEXT: scf.for
// CHECK: %[[P:.*]] = arith.muli %{{.*}}, %c32
// CHECK: %[[R:.*]] = arith.remui %[[P]], %c512
// CHECK: %[[NEW:.*]] = arith.cmpi ult, %[[R]], %c32
// CHECK: scf.if %[[NEW]] {
// CHECK: memref.prefetch %arg0
// CHECK: } else {
// CHECK: scf.for %{{.*}} = %c0 to %c16
// CHECK-COUNT-2: memref.prefetch %arg0
// CHECK-NOT: memref.prefetch
// CHECK: return
func.func @branches(%x: memref<4096x16xi32>, %cond: i1, %out: memref<16xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %c4096 = arith.constant 4096 : index
  scf.for %j = %c0 to %c4096 step %c32 {
    %t = memref.subview %x[%j, 0] [32, 16] [1, 1] : memref<4096x16xi32> to memref<32x16xi32, strided<[16, 1], offset: ?>>
    scf.if %cond {
      scf.for %i = %c0 to %c4 step %c1 {
        scf.for %d = %c0 to %c64 step %c1 {
          %a = memref.load %t[%i, %c0] : memref<32x16xi32, strided<[16, 1], offset: ?>>
          memref.store %a, %out[%i] : memref<16xi32>
        }
      }
      scf.for %i = %c0 to %c8 step %c1 {
        scf.for %d = %c0 to %c64 step %c1 {
          %a = memref.load %t[%i, %c1] : memref<32x16xi32, strided<[16, 1], offset: ?>>
          memref.store %a, %out[%i] : memref<16xi32>
        }
      }
    } else {
      scf.for %d = %c0 to %c16 step %c1 {
        %a = memref.load %t[%d, %c0] : memref<32x16xi32, strided<[16, 1], offset: ?>>
        memref.store %a, %out[%d] : memref<16xi32>
      }
    }
  }
  return
}

// -----

// Left alone: a tile below min-tile-bytes (1 KiB; OPTS lowers the limit to
// 256 bytes), a tile of dynamic size, a tile with a non-unit stride, and a
// tile that does not move with the loop.

// CHECK-LABEL: func @not_streams
// CHECK-NOT: memref.prefetch
// CHECK: return
// OPTS-LABEL: func @not_streams
// OPTS: memref.prefetch %arg0
// OPTS-NOT: memref.prefetch
// OPTS: return
func.func @not_streams(%x: memref<4096x16xi32>, %n: index, %out: memref<16xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %c4096 = arith.constant 4096 : index
  scf.for %j = %c0 to %c4096 step %c16 {
    %small = memref.subview %x[%j, 0] [16, 16] [1, 1] : memref<4096x16xi32> to memref<16x16xi32, strided<[16, 1], offset: ?>>
    %dyn = memref.subview %x[%j, 0] [%n, 16] [1, 1] : memref<4096x16xi32> to memref<?x16xi32, strided<[16, 1], offset: ?>>
    %strided = memref.subview %x[%j, 0] [64, 8] [2, 2] : memref<4096x16xi32> to memref<64x8xi32, strided<[32, 2], offset: ?>>
    %fixed = memref.subview %x[0, 0] [64, 16] [1, 1] : memref<4096x16xi32> to memref<64x16xi32, strided<[16, 1]>>
    scf.for %d = %c0 to %c64 step %c1 {
      %a = memref.load %small[%c0, %c0] : memref<16x16xi32, strided<[16, 1], offset: ?>>
      %b = memref.load %dyn[%c0, %c0] : memref<?x16xi32, strided<[16, 1], offset: ?>>
      %c = memref.load %strided[%c0, %c0] : memref<64x8xi32, strided<[32, 2], offset: ?>>
      %e = memref.load %fixed[%d, %c0] : memref<64x16xi32, strided<[16, 1]>>
      %s0 = arith.addi %a, %b : i32
      %s1 = arith.addi %c, %e : i32
      %s = arith.addi %s0, %s1 : i32
      memref.store %s, %out[%c0] : memref<16xi32>
    }
  }
  return
}

// -----

// Tiles that an enclosing loop reads again (the K/V tiles of one head, once
// per query tile: %x's address does not depend on %r) within reuse-bytes
// (64 KiB in all here) are in cache from the second time on: not
// prefetched (OPTS sets reuse-bytes=0). %y depends on %r: prefetched.
// Only the innermost streaming loop prefetches (%r's own stream of %y
// rows would repeat in every iteration of the inner loop).

// CHECK-LABEL: func @reread
// CHECK: scf.for %[[R:.*]] =
// CHECK: scf.for
// CHECK: scf.for
// CHECK-NOT: memref.prefetch %arg0
// CHECK: memref.prefetch %subview[
// CHECK-NOT: memref.prefetch
// CHECK: return
// OPTS-LABEL: func @reread
// OPTS: memref.prefetch %arg0
// OPTS: memref.prefetch %subview[
// OPTS-NOT: memref.prefetch
// OPTS: return
func.func @reread(%x: memref<1024x16xi32>, %y: memref<8x1024x16xi32>, %out: memref<16xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %c1024 = arith.constant 1024 : index
  scf.for %r = %c0 to %c8 step %c1 {
    %rows = memref.subview %y[%r, 0, 0] [1, 1024, 16] [1, 1, 1] : memref<8x1024x16xi32> to memref<1024x16xi32, strided<[16, 1], offset: ?>>
    scf.for %j = %c0 to %c1024 step %c64 {
      %t = memref.subview %x[%j, 0] [64, 16] [1, 1] : memref<1024x16xi32> to memref<64x16xi32, strided<[16, 1], offset: ?>>
      %u = memref.subview %rows[%j, 0] [64, 16] [1, 1] : memref<1024x16xi32, strided<[16, 1], offset: ?>> to memref<64x16xi32, strided<[16, 1], offset: ?>>
      scf.for %d = %c0 to %c64 step %c1 {
        %a = memref.load %t[%d, %c0] : memref<64x16xi32, strided<[16, 1], offset: ?>>
        %b = memref.load %u[%d, %c0] : memref<64x16xi32, strided<[16, 1], offset: ?>>
        %s = arith.addi %a, %b : i32
        memref.store %s, %out[%c0] : memref<16xi32>
      }
    }
  }
  return
}

// -----

// An offset computed from the induction variable (the fused kernel's K^T
// tiles: tile j / 128 of a [32, 64, 128] buffer): the tile ahead is the
// one that computation gives for the induction variable ahead.

// CHECK-LABEL: func @computed_offset
// CHECK: scf.for %[[IV:.*]] = %{{.*}} to %{{.*}} step %[[C128:.*]] {
// CHECK: %[[NEXT:.*]] = arith.addi %[[IV]], %[[C128]]
// CHECK: %[[AHEAD:.*]] = arith.minsi %[[NEXT]], %c3968
// CHECK: %[[TILE:.*]] = arith.divui %[[AHEAD]], %[[C128]]
// CHECK: scf.for
// CHECK: memref.prefetch %arg0[%[[TILE]], %{{.*}}, %{{.*}}]
func.func @computed_offset(%kt: memref<32x64x128xi16>, %out: memref<64xi16>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %c4096 = arith.constant 4096 : index
  scf.for %j = %c0 to %c4096 step %c128 {
    %i = arith.divui %j, %c128 : index
    %t = memref.subview %kt[%i, 0, 0] [1, 64, 128] [1, 1, 1] : memref<32x64x128xi16> to memref<64x128xi16, strided<[128, 1], offset: ?>>
    scf.for %d = %c0 to %c64 step %c1 {
      %a = memref.load %t[%d, %c0] : memref<64x128xi16, strided<[128, 1], offset: ?>>
      memref.store %a, %out[%d] : memref<64xi16>
    }
  }
  return
}

// -----

// A ragged extent (1000 rows in tiles of 128): the last tile is partial,
// min(1000 - j, 128) rows. The tile prefetched is sized by that bound (128
// rows, a line each), the inner loop's iterations by theirs (128), and
// the indices are clamped to the buffer's last row and column (999; the
// column, always 0 here, folds).

// CHECK-LABEL: func @partial
// CHECK: scf.for %[[IV:.*]] = %{{.*}} to %c1000 step %c128
// CHECK: %[[AHEAD:.*]] = arith.minsi %{{.*}}, %c896
// CHECK: scf.for
// CHECK: %[[ROW:.*]] = arith.addi %[[AHEAD]], %{{.*}}
// CHECK: %[[CLAMPED:.*]] = arith.minsi %[[ROW]], %c999
// CHECK: memref.prefetch %arg0[%[[CLAMPED]], %c0]
func.func @partial(%x: memref<1000x32xi16>, %out: memref<128xi16>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c128 = arith.constant 128 : index
  %c1000 = arith.constant 1000 : index
  scf.for %j = %c0 to %c1000 step %c128 {
    %rest = arith.subi %c1000, %j : index
    %size = arith.minsi %rest, %c128 : index
    %t = memref.subview %x[%j, 0] [%size, 32] [1, 1] : memref<1000x32xi16> to memref<?x32xi16, strided<[32, 1], offset: ?>>
    scf.for %i = %c0 to %size step %c1 {
      %a = memref.load %t[%i, %c0] : memref<?x32xi16, strided<[32, 1], offset: ?>>
      memref.store %a, %out[%i] : memref<128xi16>
    }
  }
  return
}
