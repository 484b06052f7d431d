// RUN: inhibitor-opt %s -verify-diagnostics --transform-interpreter

// Grouped heads (4 query heads, 2 K/V heads) tiled by 2 through the
// interface (the transform dialect): the op says why, then upstream fails.
func.func @grouped_transform(%q: tensor<4x64x8xi16>, %k: tensor<2x96x8xi16>,
                             %v: tensor<2x96x8xi16>, %init: tensor<4x64x8xi32>) -> tensor<4x64x8xi32> {
  // expected-error @+3 {{a grouped head dim tiles only by 1 or not at all}}
  // expected-error @+2 {{to tile operation}}
  // expected-error @+1 {{failed to generate tiling loops}}
  %h = inhibitor.attention ins(%q, %k, %v : tensor<4x64x8xi16>, tensor<2x96x8xi16>, tensor<2x96x8xi16>)
         outs(%init : tensor<4x64x8xi32>) -> tensor<4x64x8xi32>
  return %h : tensor<4x64x8xi32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %att = transform.structured.match ops{["inhibitor.attention"]} in %root
      : (!transform.any_op) -> !transform.any_op
    %tile, %loop = transform.structured.tile_using_for %att tile_sizes [2, 0, 0, 0]
      : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}
