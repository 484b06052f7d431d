func.func @score_narrow_int_accumulator(%q: tensor<16x64xi16>, %k: tensor<32x64xi16>,
                                        %init: tensor<16x32xi8>) -> tensor<16x32xi8> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op accumulator type 'i8' is not at least as wide as query element type 'i16'}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xi16>, tensor<32x64xi16>)
         outs(%init : tensor<16x32xi8>) -> tensor<16x32xi8>
  return %z : tensor<16x32xi8>
}
