// --inhibitor-affine-vectorize offers a loop to the super-vectorizer only if
// its vectors write nothing the scalar loop does not: the vectorizer's
// transfer_write masks lanes past the memref's end, not past the loop's
// upper bound. Regression test of issue 17: after affine-loop-tile, an
// intra-tile loop (bound min(j0 + T, N)) was vectorized, the last vector of
// each tile wrote into the next tile's elements, and read-modify-write sums
// counted them twice. 8 lanes of i32 at 256 bits.
// RUN: inhibitor-opt %s -split-input-file \
// RUN:   --inhibitor-affine-vectorize="vector-bits=256" 2>/dev/null | FileCheck %s
// RUN: inhibitor-opt %s -split-input-file \
// RUN:   --inhibitor-affine-vectorize="vector-bits=256" 2>&1 >/dev/null | FileCheck %s --check-prefix=WARN

// The loop ends where the memref's dim does: the partial last vector is
// masked by the transfer's out-of-bounds semantics.
// CHECK-LABEL: func @ends_with_memref
// CHECK: affine.for %{{.*}} = 0 to 45 step 8
// CHECK:   vector.transfer_write {{.*}} : vector<8xi32>, memref<4x45xi32>
func.func @ends_with_memref(%m: memref<4x45xi32>, %x: i32) {
  affine.for %i = 0 to 4 {
    affine.for %j = 0 to 45 {
      affine.store %x, %m[%i, %j] : memref<4x45xi32>
    }
  }
  return
}

// -----

// A trip count that is a multiple of the lanes: whole vectors only.
// CHECK-LABEL: func @multiple_of_lanes
// CHECK: affine.for %{{.*}} = 0 to 40 step 8
// CHECK:   vector.transfer_write
func.func @multiple_of_lanes(%m: memref<4x45xi32>, %x: i32) {
  affine.for %i = 0 to 4 {
    affine.for %j = 0 to 40 {
      affine.store %x, %m[%i, %j] : memref<4x45xi32>
    }
  }
  return
}

// -----

// A dynamic bound that is the stored memref's own dim.
// CHECK-LABEL: func @dynamic_own_dim
// CHECK: affine.for %{{.*}} = 0 to %{{.*}} step 8
// CHECK:   vector.transfer_write
func.func @dynamic_own_dim(%m: memref<?x?xi32>, %x: i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %m, %c0 : memref<?x?xi32>
  %e = memref.dim %m, %c1 : memref<?x?xi32>
  affine.for %i = 0 to %n {
    affine.for %j = 0 to %e {
      affine.store %x, %m[%i, %j] : memref<?x?xi32>
    }
  }
  return
}

// -----

// Stops short of the memref's end (37 of 45, not a multiple of 8): a vector
// at 32 would write elements 37..39 too. Left scalar, with the warning.
// CHECK-LABEL: func @ends_early
// CHECK-NOT: vector
// WARN: warning: affine strategy: this loop nest was not vectorized
func.func @ends_early(%m: memref<4x45xi32>, %x: i32) {
  affine.for %i = 0 to 4 {
    affine.for %j = 0 to 37 {
      affine.store %x, %m[%i, %j] : memref<4x45xi32>
    }
  }
  return
}

// -----

// The nest affine-loop-tile makes of a reduction H[i, j] += V[k, j]: the
// intra-tile loop over j ends at min(j0 + 3, 45). Vectorized, the vector
// at j0 would add V into H[i, j0 .. j0 + 7], and the next tiles again.
// CHECK-LABEL: func @tiled_reduction
// CHECK-NOT: vector
// WARN: warning: affine strategy: this loop nest was not vectorized
func.func @tiled_reduction(%v: memref<5x45xi32>, %h: memref<4x45xi32>) {
  affine.for %i = 0 to 4 {
    affine.for %j0 = 0 to 45 step 3 {
      affine.for %k = 0 to 5 {
        affine.for %j = affine_map<(d0) -> (d0)>(%j0) to min affine_map<(d0) -> (d0 + 3, 45)>(%j0) {
          %a = affine.load %v[%k, %j] : memref<5x45xi32>
          %b = affine.load %h[%i, %j] : memref<4x45xi32>
          %s = arith.addi %a, %b : i32
          affine.store %s, %h[%i, %j] : memref<4x45xi32>
        }
      }
    }
  }
  return
}

// -----

// A store at an offset from the IV (j + 1 up to 44 into 45 columns) ends
// at the memref's end but is not the IV itself: left scalar (only exact
// IV stores are proved safe).
// CHECK-LABEL: func @offset_store
// CHECK-NOT: vector
func.func @offset_store(%m: memref<4x45xi32>, %x: i32) {
  affine.for %i = 0 to 4 {
    affine.for %j = 0 to 44 {
      affine.store %x, %m[%i, %j + 1] : memref<4x45xi32>
    }
  }
  return
}
