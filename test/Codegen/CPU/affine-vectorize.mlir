// The affine strategy step by step: linalg -> affine loops on buffers ->
// scalar replacement -> super-vectorization with one native vector per
// accumulator (16 lanes of i16 at 256 bits, 8 of i32), and the warning for a
// loop nest the super-vectorizer leaves scalar.
// RUN: inhibitor-opt %s -split-input-file --convert-inhibitor-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-affine-loops --affine-scalrep --canonicalize \
// RUN:   --inhibitor-affine-vectorize="vector-bits=256" 2>/dev/null | FileCheck %s
// RUN: inhibitor-opt %s -split-input-file --convert-inhibitor-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --convert-linalg-to-affine-loops --affine-scalrep --canonicalize \
// RUN:   --inhibitor-affine-vectorize="vector-bits=256" 2>&1 >/dev/null | FileCheck %s --check-prefix=WARN
// RUN: inhibitor-opt %s -split-input-file --inhibitor-to-llvm="strategy=affine target-cpu=znver3" -verify-each 2>/dev/null \
// RUN:   | FileCheck %s --check-prefix=LLVM

// The inhibition vectorizes along E (contiguous in V and H); Z is broadcast.
// CHECK-LABEL: func @inhibit_i16
// CHECK: affine.for %{{.*}} = 0 to 64 {
// CHECK:   affine.for %{{.*}} = 0 to 48 {
// CHECK:     affine.for %[[E:.*]] = 0 to 64 step 16 {
// CHECK:       vector.transfer_read {{.*}} : memref<48x64xi16>, vector<16xi16>
// CHECK:       arith.maxsi {{.*}} : vector<16xi16>
// CHECK:       arith.minsi {{.*}} : vector<16xi16>
// CHECK:       vector.transfer_write {{.*}} : vector<16xi16>, memref<64x64xi16>
// LLVM-LABEL: llvm.func @inhibit_i16
// LLVM: llvm.intr.smax({{.*}}) : (vector<16xi16>, vector<16xi16>)
func.func @inhibit_i16(%v: tensor<48x64xi16>, %z: tensor<64x48xi16>) -> tensor<64x64xi16> {
  %init = tensor.empty() : tensor<64x64xi16>
  %h = inhibitor.inhibit signed ins(%v, %z : tensor<48x64xi16>, tensor<64x48xi16>)
         outs(%init : tensor<64x64xi16>) -> tensor<64x64xi16>
  return %h : tensor<64x64xi16>
}

// -----

// An odd, dynamic E: still vectors, the partial vector handled by the
// transfers' out-of-bounds semantics (no scalar remainder loop).
// CHECK-LABEL: func @inhibit_dynamic_i32
// CHECK: affine.for %{{.*}} = 0 to %{{.*}} step 8 {
// CHECK:   vector.transfer_read {{.*}} : memref<?x?xi32>, vector<8xi32>
// LLVM-LABEL: llvm.func @inhibit_dynamic_i32
func.func @inhibit_dynamic_i32(%v: tensor<?x?xi32>, %z: tensor<?x?xi32>) -> tensor<?x?xi32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %z, %c0 : tensor<?x?xi32>
  %e = tensor.dim %v, %c1 : tensor<?x?xi32>
  %init = tensor.empty(%n, %e) : tensor<?x?xi32>
  %h = inhibitor.inhibit ins(%v, %z : tensor<?x?xi32>, tensor<?x?xi32>)
         outs(%init : tensor<?x?xi32>) -> tensor<?x?xi32>
  return %h : tensor<?x?xi32>
}

// -----

// The score's reduction over D is carried in memory (Z[i, j] loaded and
// stored in the innermost loop); no loop of the nest has contiguous stores
// and contiguous or invariant loads, so the super-vectorizer leaves it
// scalar, and the pass says so. The elementwise part still vectorizes.
// WARN-COUNT-1: warning: affine strategy: this loop nest was not vectorized by the super-vectorizer
// WARN-NOT: warning
// CHECK-LABEL: func @score_i16
// CHECK: arith.shrsi {{.*}} : vector<16xi16>
// LLVM-LABEL: llvm.func @score_i16
func.func @score_i16(%q: tensor<64x64xi16>, %k: tensor<64x64xi16>) -> tensor<64x64xi16> {
  %init = tensor.empty() : tensor<64x64xi16>
  %z = inhibitor.manhattan_score {gamma = 8 : i16}
         ins(%q, %k : tensor<64x64xi16>, tensor<64x64xi16>)
         outs(%init : tensor<64x64xi16>) -> tensor<64x64xi16>
  return %z : tensor<64x64xi16>
}
