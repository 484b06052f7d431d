// RUN: inhibitor-opt %s -verify-diagnostics --inhibitor-tile='batch-tile=2'

// Grouped heads (4 query heads, 2 K/V heads: head h reads K/V head h / 2)
// tile by 1 or not at all: a tile of 2 query heads would need a K/V tile
// that is not a slice of whole heads for every offset.
func.func @grouped(%q: tensor<4x64x8xi16>, %k: tensor<2x96x8xi16>,
                   %v: tensor<2x96x8xi16>, %init: tensor<4x64x8xi32>) -> tensor<4x64x8xi32> {
  // expected-error @+1 {{inhibitor-tile: batch dim 0 is grouped (2 query heads per key/value head): batch-tile must be 1 or at least 4}}
  %h = inhibitor.attention ins(%q, %k, %v : tensor<4x64x8xi16>, tensor<2x96x8xi16>, tensor<2x96x8xi16>)
         outs(%init : tensor<4x64x8xi32>) -> tensor<4x64x8xi32>
  return %h : tensor<4x64x8xi32>
}
