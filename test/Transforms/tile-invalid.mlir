// RUN: inhibitor-opt %s -split-input-file -verify-diagnostics \
// RUN:   --inhibitor-tile='key-tile=32 loop=forall'
// RUN: not inhibitor-opt %s --inhibitor-tile='loop=while' 2>&1 | FileCheck %s --check-prefix=LOOP
// RUN: not inhibitor-opt %s --inhibitor-tile='query-tile=-4' 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not inhibitor-opt %s --inhibitor-tile='key-splits=4 query-tile=8' 2>&1 | FileCheck %s --check-prefix=SPLITS
// SPLITS: error: inhibitor-tile: key-splits must be >= 0 and excludes the other tile sizes
// LOOP: error: inhibitor-tile: loop must be 'for' or 'forall', not 'while'
// NEGATIVE: error: inhibitor-tile: tile sizes must be >= 0 (0: whole dim)

// The keys are attention's reduction: scf.forall cannot carry partial sums.
func.func @forall_keys(%q: tensor<64x8xi16>, %k: tensor<96x8xi16>,
                       %v: tensor<96x8xi16>, %init: tensor<64x8xi32>) -> tensor<64x8xi32> {
  // expected-error @+1 {{inhibitor-tile: the keys are a reduction here; loop=forall tiles only parallel dims (use loop=for, or key-tile=0)}}
  %h = inhibitor.attention ins(%q, %k, %v : tensor<64x8xi16>, tensor<96x8xi16>, tensor<96x8xi16>)
         outs(%init : tensor<64x8xi32>) -> tensor<64x8xi32>
  return %h : tensor<64x8xi32>
}

// -----

// The same for inhibit; the score's keys are parallel and tile.
func.func @forall_keys_inhibit(%v: tensor<96x8xi16>, %z: tensor<64x96xi32>,
                               %init: tensor<64x8xi32>) -> tensor<64x8xi32> {
  // expected-error @+1 {{inhibitor-tile: the keys are a reduction here}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<96x8xi16>, tensor<64x96xi32>)
         outs(%init : tensor<64x8xi32>) -> tensor<64x8xi32>
  return %h : tensor<64x8xi32>
}
