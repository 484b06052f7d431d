// One case per verifier error of the inhibitor ops, ODS-generated type
// constraints first, then the DestinationStyleOpInterface check, then the
// op verifiers (ranks, batch dims, sizes, element types, constants, mask).

//===----------------------------------------------------------------------===//
// Type constraints (ODS)
//===----------------------------------------------------------------------===//

func.func @score_i4_query(%q: tensor<16x64xi4>, %k: tensor<32x64xi4>,
                          %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op operand #0 must be ranked tensor of i8, i16, i32, i64, f16, bf16, f32 or f64 values, but got 'tensor<16x64xi4>'}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xi4>, tensor<32x64xi4>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}
