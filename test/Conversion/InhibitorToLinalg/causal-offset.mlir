// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention query-tile=32 key-tile=128 narrow-tiles=false" -split-input-file -verify-each | FileCheck %s
// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention=false" -split-input-file -verify-each | FileCheck %s --check-prefix=UNFUSED

// `causal_offset` d moves the causal diagonal: pairs j <= i + d. The fused
// kernel's query tile from i0 attends keys below i0 + 32 + d (none where
// that is <= 0: the tile of an op above its diagonal), clamped to M; the
// whole key tiles run in the loop, the partial last one under the scf.if;
// each inhibition keeps pairs j0 + j <= (i0 + d) + i, compared signed (i0 + d
// may be negative).
// CHECK-LABEL: func @fused
// CHECK-SAME: %[[D:[a-zA-Z0-9_]+]]: index
// CHECK: scf.forall (%[[I0:.*]]) = (0) to (64) step
// CHECK: %[[M:.*]] = arith.constant 256 : index
// CHECK: %[[ROW:.*]] = arith.addi %[[I0]], %[[D]] : index
// CHECK: %[[C32:.*]] = arith.constant 32 : index
// CHECK: %[[END:.*]] = arith.addi %[[ROW]], %[[C32]] : index
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[POS:.*]] = arith.maxsi %[[END]], %[[C0]] : index
// CHECK: %[[KEYS:.*]] = arith.minsi %[[M]], %[[POS]] : index
// CHECK: %[[REST:.*]] = arith.remui %[[KEYS]], %{{.*}} : index
// CHECK: %[[WHOLE:.*]] = arith.subi %[[KEYS]], %[[REST]] : index
// CHECK: scf.for %[[J0:.*]] = %{{.*}} to %[[WHOLE]] step
// CHECK: linalg.generic
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[II:.*]] = arith.addi %[[I]], %[[ROW]] : index
// CHECK: %[[JJ:.*]] = arith.addi %[[J]], %[[J0]] : index
// CHECK: arith.cmpi sle, %[[JJ]], %[[II]] : index
// CHECK: %[[PARTIAL:.*]] = arith.cmpi ult, %[[WHOLE]], %[[KEYS]] : index
// CHECK: scf.if %[[PARTIAL]]
// CHECK: arith.cmpi sle
// UNFUSED-LABEL: func @fused
// UNFUSED-SAME: %[[D:[a-zA-Z0-9_]+]]: index
// UNFUSED: linalg.generic
// UNFUSED: %[[I:.*]] = linalg.index 0 : index
// UNFUSED: %[[J:.*]] = linalg.index 1 : index
// UNFUSED: %[[II:.*]] = arith.addi %[[I]], %[[D]] : index
// UNFUSED: arith.cmpi sle, %[[J]], %[[II]] : index
func.func @fused(%q: tensor<64x16xi16>, %k: tensor<256x16xi16>, %v: tensor<256x8xi16>,
                 %d: index, %init: tensor<64x8xi16>) -> tensor<64x8xi16> {
  %h = inhibitor.attention causal signed
         ins(%q, %k, %v : tensor<64x16xi16>, tensor<256x16xi16>, tensor<256x8xi16>)
         causal_offset(%d)
         outs(%init : tensor<64x8xi16>) -> tensor<64x8xi16>
  return %h : tensor<64x8xi16>
}

// -----

// Decode against a KV cache, aligned bottom-right (d = M - N): K read as
// stored, the same key bound and compare.
// CHECK-LABEL: func @decode
// CHECK: %[[D:.*]] = arith.constant 296 : index
// CHECK: scf.forall (%[[I0:.*]]) = (0) to (4) step
// CHECK: %[[ROW:.*]] = arith.addi %[[I0]], %[[D]] : index
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: arith.addi %{{.*}}, %[[ROW]] : index
// CHECK: arith.cmpi sle
// UNFUSED-LABEL: func @decode
// UNFUSED: %[[D:.*]] = arith.constant 296 : index
// UNFUSED: arith.addi %{{.*}}, %[[D]] : index
// UNFUSED: arith.cmpi sle
func.func @decode(%q: tensor<4x16xi16>, %k: tensor<300x16xi16>, %v: tensor<300x8xi16>,
                  %init: tensor<4x8xi16>) -> tensor<4x8xi16> {
  %d = arith.constant 296 : index
  %h = inhibitor.attention causal signed
         ins(%q, %k, %v : tensor<4x16xi16>, tensor<300x16xi16>, tensor<300x8xi16>)
         causal_offset(%d)
         outs(%init : tensor<4x8xi16>) -> tensor<4x8xi16>
  return %h : tensor<4x8xi16>
}
