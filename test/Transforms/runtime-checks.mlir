// RUN: inhibitor-opt %s --inhibitor-insert-runtime-checks --split-input-file | FileCheck %s

// A dynamic D on either side: compared at run time; the report names the
// op, its location and both sizes; cf.assert stops the program.
// CHECK-DAG: llvm.func @dprintf(i32, !llvm.ptr, ...) -> i32
// CHECK-DAG: llvm.mlir.global internal constant @[[MSG:__inhibitor_check_msg[_0-9]*]]("inhibitor run-time check failed: inhibitor.manhattan_score at {{.*}}runtime-checks.mlir:{{[0-9]+}}:{{[0-9]+}}: D of query (%ld) != D of key (%ld)\0A\00")
// CHECK-LABEL: func.func @score_dynamic_d
// CHECK-SAME: (%[[Q:.*]]: tensor<4x?xi16>, %[[K:.*]]: tensor<5x8xi16>
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[DQ:.*]] = tensor.dim %[[Q]], %[[C1]]
// CHECK: %[[DK:.*]] = tensor.dim %[[K]], %[[C1]]
// CHECK: %[[OK:.*]] = arith.cmpi eq, %[[DQ]], %[[DK]]
// CHECK: %[[BAD:.*]] = arith.cmpi ne, %[[DQ]], %[[DK]]
// CHECK: scf.if %[[BAD]] {
// CHECK:   %[[FMT:.*]] = llvm.mlir.addressof @[[MSG]]
// CHECK:   llvm.call @dprintf(%{{.*}}, %[[FMT]], %{{.*}}, %{{.*}}) vararg
// CHECK: cf.assert %[[OK]], "inhibitor run-time check failed: inhibitor.manhattan_score at {{.*}}runtime-checks.mlir:{{[0-9]+}}:{{[0-9]+}}: operand sizes disagree"
// CHECK: inhibitor.manhattan_score
func.func @score_dynamic_d(%q: tensor<4x?xi16>, %k: tensor<5x8xi16>,
                           %z: tensor<4x5xi32>) -> tensor<4x5xi32> {
  %r = inhibitor.manhattan_score ins(%q, %k : tensor<4x?xi16>, tensor<5x8xi16>)
         outs(%z : tensor<4x5xi32>) -> tensor<4x5xi32>
  return %r : tensor<4x5xi32>
}

// -----

// Static shapes: the verifier has proved everything, no check.
// CHECK-LABEL: func.func @attention_static
// CHECK-NOT: cf.assert
// CHECK: inhibitor.attention
func.func @attention_static(%q: tensor<2x4x8xi8>, %k: tensor<2x5x8xi8>,
                            %v: tensor<2x5x3xi8>, %h: tensor<2x4x3xi32>)
    -> tensor<2x4x3xi32> {
  %r = inhibitor.attention ins(%q, %k, %v : tensor<2x4x8xi8>, tensor<2x5x8xi8>,
         tensor<2x5x3xi8>) outs(%h : tensor<2x4x3xi32>) -> tensor<2x4x3xi32>
  return %r : tensor<2x4x3xi32>
}

// -----

// Fully dynamic attention with a mask: batch dims against the query's, D,
// M, N, E, and each mask dim that is not a static 1 (here the key dim);
// the broadcast dim (static 1) is not checked.
// CHECK-LABEL: func.func @attention_dynamic
// CHECK-COUNT-8: cf.assert
// CHECK-NOT: cf.assert
// CHECK: inhibitor.attention
func.func @attention_dynamic(%q: tensor<?x?x?xi8>, %k: tensor<?x?x?xi8>,
                             %v: tensor<?x?x?xi8>, %m: tensor<1x?xi1>,
                             %h: tensor<?x?x?xi32>) -> tensor<?x?x?xi32> {
  %r = inhibitor.attention ins(%q, %k, %v : tensor<?x?x?xi8>, tensor<?x?x?xi8>,
         tensor<?x?x?xi8>) mask(%m : tensor<1x?xi1>)
         outs(%h : tensor<?x?x?xi32>) -> tensor<?x?x?xi32>
  return %r : tensor<?x?x?xi32>
}

// -----

// inhibit: M of Z against M of V, N and E of the destination.
// CHECK-DAG: "{{.*}}inhibitor.inhibit at {{.*}}: M of score (%ld) != M of value (%ld)
// CHECK-DAG: "{{.*}}inhibitor.inhibit at {{.*}}: N of score (%ld) != N of destination (%ld)
// CHECK-DAG: "{{.*}}inhibitor.inhibit at {{.*}}: E of value (%ld) != E of destination (%ld)
// CHECK-LABEL: func.func @inhibit_dynamic
// CHECK-COUNT-3: cf.assert
// CHECK-NOT: cf.assert
func.func @inhibit_dynamic(%v: tensor<?x?xi16>, %z: tensor<?x?xi32>,
                           %h: tensor<?x?xi32>) -> tensor<?x?xi32> {
  %r = inhibitor.inhibit signed ins(%v, %z : tensor<?x?xi16>, tensor<?x?xi32>)
         outs(%h : tensor<?x?xi32>) -> tensor<?x?xi32>
  return %r : tensor<?x?xi32>
}

// -----

// A `dprintf` of the module's own (not libc's): no message, the check
// still stops the program; the module's symbol is left alone.
// CHECK-LABEL: func.func private @dprintf(i32)
// CHECK-LABEL: func.func @own_dprintf
// CHECK-NOT: llvm.call
// CHECK: cf.assert
func.func private @dprintf(i32)
func.func @own_dprintf(%q: tensor<4x?xi16>, %k: tensor<5x8xi16>,
                       %z: tensor<4x5xi32>) -> tensor<4x5xi32> {
  %r = inhibitor.manhattan_score ins(%q, %k : tensor<4x?xi16>, tensor<5x8xi16>)
         outs(%z : tensor<4x5xi32>) -> tensor<4x5xi32>
  return %r : tensor<4x5xi32>
}

// -----

// key_tiles against a dynamic K: its batch dim and D equal the key's, its
// tile count is ceil(M / T).
// CHECK-DAG: llvm.mlir.global internal constant @{{.*}}("inhibitor run-time check failed: inhibitor.attention at {{.*}}: batch dim #0 of key_tiles (%ld) != batch dim #0 of key (%ld)\0A\00")
// CHECK-DAG: llvm.mlir.global internal constant @{{.*}}("inhibitor run-time check failed: inhibitor.attention at {{.*}}: tiles of key_tiles (%ld) != ceil(M / 16) of key (%ld)\0A\00")
// CHECK-LABEL: func.func @attention_key_tiles
// CHECK-SAME: %[[K:[a-zA-Z0-9_]+]]: tensor<?x?x8xi8>, %{{.*}}: tensor<?x?x8xi8>, %[[KT:[a-zA-Z0-9_]+]]: tensor<2x3x8x16xi8>
// CHECK: %[[TILES:.*]] = tensor.dim %[[KT]], %c1
// CHECK: %[[M:.*]] = tensor.dim %[[K]], %c1
// CHECK: %[[CEIL:.*]] = arith.ceildivui %[[M]], %c16
// CHECK: arith.cmpi eq, %[[TILES]], %[[CEIL]]
// CHECK: inhibitor.attention
func.func @attention_key_tiles(%q: tensor<2x4x8xi8>, %k: tensor<?x?x8xi8>,
                               %v: tensor<?x?x8xi8>, %kt: tensor<2x3x8x16xi8>,
                               %h: tensor<2x4x8xi32>) -> tensor<2x4x8xi32> {
  %r = inhibitor.attention ins(%q, %k, %v : tensor<2x4x8xi8>, tensor<?x?x8xi8>, tensor<?x?x8xi8>)
         key_tiles(%kt : tensor<2x3x8x16xi8>)
         outs(%h : tensor<2x4x8xi32>) -> tensor<2x4x8xi32>
  return %r : tensor<2x4x8xi32>
}

// -----

// biased_keys against K: every size the types leave open (here M) equal.
// CHECK-DAG: llvm.mlir.global internal constant @{{.*}}("inhibitor run-time check failed: inhibitor.attention at {{.*}}: M of biased_keys (%ld) != M of key (%ld)\0A\00")
// CHECK-LABEL: func.func @attention_biased_keys
// CHECK-SAME: %[[K:[a-zA-Z0-9_]+]]: tensor<2x?x8xi8>, %{{.*}}: tensor<2x?x8xi8>, %[[KB:[a-zA-Z0-9_]+]]: tensor<2x?x8xi8>
// CHECK: %[[MB:.*]] = tensor.dim %[[KB]], %c1
// CHECK: %[[M:.*]] = tensor.dim %[[K]], %c1
// CHECK: arith.cmpi eq, %[[MB]], %[[M]]
// CHECK: inhibitor.attention
func.func @attention_biased_keys(%q: tensor<2x4x8xi8>, %k: tensor<2x?x8xi8>,
                                 %v: tensor<2x?x8xi8>, %kb: tensor<2x?x8xi8>,
                                 %h: tensor<2x4x8xi16>) -> tensor<2x4x8xi16> {
  %r = inhibitor.attention ins(%q, %k, %v : tensor<2x4x8xi8>, tensor<2x?x8xi8>, tensor<2x?x8xi8>)
         biased_keys(%kb : tensor<2x?x8xi8>)
         outs(%h : tensor<2x4x8xi16>) -> tensor<2x4x8xi16>
  return %r : tensor<2x4x8xi16>
}
