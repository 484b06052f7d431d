// RUN: inhibitor-opt %s -split-input-file -verify-diagnostics

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

// -----

func.func @score_f8_key(%q: tensor<16x64xf32>, %k: tensor<32x64xf8E4M3FN>,
                        %init: tensor<16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op operand #1 must be ranked tensor of i8, i16, i32, i64, f16, bf16, f32 or f64 values, but got 'tensor<32x64xf8E4M3FN>'}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xf32>, tensor<32x64xf8E4M3FN>)
         outs(%init : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %z : tensor<16x32xf32>
}

// -----

// Only signless integers: `si8` is not `i8`.
func.func @score_signed_integer_type(%q: tensor<16x64xsi8>, %k: tensor<32x64xsi8>,
                                     %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op operand #0 must be ranked tensor of i8, i16, i32, i64, f16, bf16, f32 or f64 values, but got 'tensor<16x64xsi8>'}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xsi8>, tensor<32x64xsi8>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}

// -----

func.func @score_i1_result(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                           %init: tensor<16x32xi8>) -> tensor<16x32xi1> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op result #0 must be ranked tensor of i8, i16, i32, i64, f16, bf16, f32 or f64 values, but got 'tensor<16x32xi1>'}}
  %z = "inhibitor.manhattan_score"(%q, %k, %init)
         : (tensor<16x64xi8>, tensor<32x64xi8>, tensor<16x32xi8>) -> tensor<16x32xi1>
  return %z : tensor<16x32xi1>
}

// -----

// The generic form reaches the ODS constraint on an unranked operand.
func.func @score_unranked_query(%q: tensor<*xf32>, %k: tensor<32x64xf32>,
                                %init: tensor<16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op operand #0 must be ranked tensor of i8, i16, i32, i64, f16, bf16, f32 or f64 values, but got 'tensor<*xf32>'}}
  %z = "inhibitor.manhattan_score"(%q, %k, %init)
         : (tensor<*xf32>, tensor<32x64xf32>, tensor<16x32xf32>) -> tensor<16x32xf32>
  return %z : tensor<16x32xf32>
}

// -----

// The custom form only parses ranked tensors.
func.func @score_unranked_query_custom(%q: tensor<*xf32>, %k: tensor<32x64xf32>,
                                       %init: tensor<16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{custom op 'inhibitor.manhattan_score' invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<*xf32>, tensor<32x64xf32>)
         outs(%init : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %z : tensor<16x32xf32>
}

// -----

func.func @inhibit_i4_value(%v: tensor<32x8xi4>, %z: tensor<16x32xi32>,
                            %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op operand #0 must be ranked tensor of i8, i16, i32, i64, f16, bf16, f32 or f64 values, but got 'tensor<32x8xi4>'}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xi4>, tensor<16x32xi32>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}

// -----

func.func @inhibit_unranked_score(%v: tensor<32x8xi32>, %z: tensor<*xi32>,
                                  %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op operand #1 must be ranked tensor of i8, i16, i32, i64, f16, bf16, f32 or f64 values, but got 'tensor<*xi32>'}}
  %h = "inhibitor.inhibit"(%v, %z, %init)
         : (tensor<32x8xi32>, tensor<*xi32>, tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}

// -----

func.func @attention_f8_value(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                              %v: tensor<32x8xf8E5M2>,
                              %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op operand #2 must be ranked tensor of i8, i16, i32, i64, f16, bf16, f32 or f64 values, but got 'tensor<32x8xf8E5M2>'}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf8E5M2>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

func.func @attention_non_i1_mask(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                 %v: tensor<32x8xf32>, %m: tensor<16x32xi8>,
                                 %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op operand #3 must be ranked tensor of 1-bit signless integer values, but got 'tensor<16x32xi8>'}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
         mask(%m : tensor<16x32xi8>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

func.func @attention_unranked_mask(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                   %v: tensor<32x8xf32>, %m: tensor<*xi1>,
                                   %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op operand #3 must be ranked tensor of 1-bit signless integer values, but got 'tensor<*xi1>'}}
  %h = "inhibitor.attention"(%q, %k, %v, %m, %init)
         <{operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0, 0, 0, 1>}>
         : (tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>, tensor<*xi1>,
            tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

// At most one mask.
func.func @attention_two_masks(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                               %v: tensor<32x8xf32>, %m: tensor<16x32xi1>,
                               %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op operand group starting at #3 requires 0 or 1 element, but found 2}}
  %h = "inhibitor.attention"(%q, %k, %v, %m, %m, %init)
         <{operandSegmentSizes = array<i32: 1, 1, 1, 2, 0, 0, 0, 0, 1>}>
         : (tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>, tensor<16x32xi1>,
            tensor<16x32xi1>, tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

func.func @attention_missing_init(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                  %v: tensor<32x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op expected 4 or more operands, but found 3}}
  %h = "inhibitor.attention"(%q, %k, %v)
         : (tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

// gamma and alpha must be typed attributes.
func.func @score_untyped_gamma(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                               %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op attribute 'gamma' failed to satisfy constraint: TypedAttr instance}}
  %z = "inhibitor.manhattan_score"(%q, %k, %init) {gamma = [1 : i32]}
         : (tensor<16x64xi8>, tensor<32x64xi8>, tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}

// -----

func.func @attention_untyped_alpha(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                   %v: tensor<32x8xf32>,
                                   %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op attribute 'alpha' failed to satisfy constraint: TypedAttr instance}}
  %h = "inhibitor.attention"(%q, %k, %v, %init) {alpha = unit}
         : (tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>, tensor<16x8xf32>)
         -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

func.func @attention_non_unit_causal(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                     %v: tensor<32x8xf32>,
                                     %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op attribute 'causal' failed to satisfy constraint: unit attribute}}
  %h = "inhibitor.attention"(%q, %k, %v, %init) {causal = true}
         : (tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>, tensor<16x8xf32>)
         -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

//===----------------------------------------------------------------------===//
// DestinationStyleOpInterface: the init has the result type
//===----------------------------------------------------------------------===//

func.func @score_init_result_mismatch(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                      %init: tensor<16x32xi32>) -> tensor<16x32xi64> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op expected type of operand #2 ('tensor<16x32xi32>') to match type of corresponding result ('tensor<16x32xi64>')}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi64>
  return %z : tensor<16x32xi64>
}

// -----

func.func @inhibit_init_result_mismatch(%v: tensor<32x8xi16>, %z: tensor<16x32xi32>,
                                        %init: tensor<16x?xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op expected type of operand #2 ('tensor<16x?xi32>') to match type of corresponding result ('tensor<16x8xi32>')}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xi16>, tensor<16x32xi32>)
         outs(%init : tensor<16x?xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}

// -----

func.func @attention_init_result_mismatch(%q: tensor<16x64xf16>, %k: tensor<32x64xf16>,
                                          %v: tensor<32x8xf16>,
                                          %init: tensor<16x8xf16>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op expected type of operand #3 ('tensor<16x8xf16>') to match type of corresponding result ('tensor<16x8xf32>')}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf16>, tensor<32x64xf16>, tensor<32x8xf16>)
         outs(%init : tensor<16x8xf16>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

// With a mask, the init is operand #4.
func.func @attention_masked_init_result_mismatch(
    %q: tensor<16x64xf16>, %k: tensor<32x64xf16>, %v: tensor<32x8xf16>,
    %m: tensor<16x32xi1>, %init: tensor<16x4xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op expected type of operand #4 ('tensor<16x4xf32>') to match type of corresponding result ('tensor<16x8xf32>')}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf16>, tensor<32x64xf16>, tensor<32x8xf16>)
         mask(%m : tensor<16x32xi1>)
         outs(%init : tensor<16x4xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

//===----------------------------------------------------------------------===//
// inhibitor.manhattan_score
//===----------------------------------------------------------------------===//

func.func @score_result_rank_one(%q: tensor<64xi8>, %k: tensor<64xi8>,
                                 %init: tensor<16xi32>) -> tensor<16xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op expected the result to have rank >= 2 ([batch..., rows, cols]), got 1}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<64xi8>, tensor<64xi8>)
         outs(%init : tensor<16xi32>) -> tensor<16xi32>
  return %z : tensor<16xi32>
}

// -----

func.func @score_query_rank(%q: tensor<16x64xi8>, %k: tensor<2x32x64xi8>,
                            %init: tensor<2x16x32xi32>) -> tensor<2x16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op expected query to have rank 3 like the result, got 2}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xi8>, tensor<2x32x64xi8>)
         outs(%init : tensor<2x16x32xi32>) -> tensor<2x16x32xi32>
  return %z : tensor<2x16x32xi32>
}

// -----

func.func @score_key_rank(%q: tensor<2x16x64xi8>, %k: tensor<1x2x32x64xi8>,
                          %init: tensor<2x16x32xi32>) -> tensor<2x16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op expected key to have rank 3 like the result, got 4}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<2x16x64xi8>, tensor<1x2x32x64xi8>)
         outs(%init : tensor<2x16x32xi32>) -> tensor<2x16x32xi32>
  return %z : tensor<2x16x32xi32>
}

// -----

func.func @score_batch_dim(%q: tensor<2x16x64xi8>, %k: tensor<3x32x64xi8>,
                           %init: tensor<2x16x32xi32>) -> tensor<2x16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op batch dim #0 mismatch: query has 2 but key has 3 (grouped heads need a key size that divides the query size)}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<2x16x64xi8>, tensor<3x32x64xi8>)
         outs(%init : tensor<2x16x32xi32>) -> tensor<2x16x32xi32>
  return %z : tensor<2x16x32xi32>
}

// -----

// A dynamic size is compatible with anything but does not hide a mismatch
// between the static ones.
func.func @score_batch_dim_dynamic(%q: tensor<2x?x16x64xi8>, %k: tensor<2x4x32x64xi8>,
                                   %init: tensor<2x5x16x32xi32>) -> tensor<2x5x16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op batch dim #1 mismatch: result has 5 but key has 4 (grouped heads need a key size that divides the result size)}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<2x?x16x64xi8>, tensor<2x4x32x64xi8>)
         outs(%init : tensor<2x5x16x32xi32>) -> tensor<2x5x16x32xi32>
  return %z : tensor<2x5x16x32xi32>
}

// -----

func.func @score_element_types_differ(%q: tensor<16x64xi8>, %k: tensor<32x64xi16>,
                                      %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op query and key must have the same element type, got 'i8' and 'i16'}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi16>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}

// -----

func.func @score_feature_dim(%q: tensor<16x64xi8>, %k: tensor<32x32xi8>,
                             %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op feature dim (D) mismatch: query has 64 but key has 32}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xi8>, tensor<32x32xi8>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}

// -----

func.func @score_query_rows(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                            %init: tensor<8x32xi32>) -> tensor<8x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op query rows (N) mismatch: query has 16 but result has 8}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%init : tensor<8x32xi32>) -> tensor<8x32xi32>
  return %z : tensor<8x32xi32>
}

// -----

func.func @score_key_rows(%q: tensor<?x?xi8>, %k: tensor<32x?xi8>,
                          %init: tensor<?x16xi32>) -> tensor<?x16xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op key rows (M) mismatch: key has 32 but result has 16}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<?x?xi8>, tensor<32x?xi8>)
         outs(%init : tensor<?x16xi32>) -> tensor<?x16xi32>
  return %z : tensor<?x16xi32>
}

// -----

func.func @score_int_float_kinds(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                 %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op accumulator type 'i32' and query element type 'f32' must both be integers or both be floats}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xf32>, tensor<32x64xf32>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}

// -----

func.func @score_narrow_int_accumulator(%q: tensor<16x64xi16>, %k: tensor<32x64xi16>,
                                        %init: tensor<16x32xi8>) -> tensor<16x32xi8> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op accumulator type 'i8' is not at least as wide as query element type 'i16'}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xi16>, tensor<32x64xi16>)
         outs(%init : tensor<16x32xi8>) -> tensor<16x32xi8>
  return %z : tensor<16x32xi8>
}

// -----

func.func @score_narrow_float_accumulator(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                          %init: tensor<16x32xf16>) -> tensor<16x32xf16> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op accumulator type 'f16' is not at least as wide as query element type 'f32'}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xf32>, tensor<32x64xf32>)
         outs(%init : tensor<16x32xf16>) -> tensor<16x32xf16>
  return %z : tensor<16x32xf16>
}

// -----

// f16 and bf16 have the same width but neither holds the other.
func.func @score_f16_into_bf16(%q: tensor<16x64xf16>, %k: tensor<32x64xf16>,
                               %init: tensor<16x32xbf16>) -> tensor<16x32xbf16> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op accumulator type 'bf16' is not at least as wide as query element type 'f16'}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xf16>, tensor<32x64xf16>)
         outs(%init : tensor<16x32xbf16>) -> tensor<16x32xbf16>
  return %z : tensor<16x32xbf16>
}

// -----

func.func @score_gamma_type(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                            %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op 'gamma' must be a constant of the accumulator type 'i32', got 1 : i16}}
  %z = inhibitor.manhattan_score {gamma = 1 : i16}
         ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}

// -----

func.func @score_alpha_float_for_int(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                     %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op 'alpha' must be a constant of the accumulator type 'i32', got 5.000000e-01 : f32}}
  %z = inhibitor.manhattan_score {alpha = 0.5 : f32}
         ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}

// -----

// A typed attribute that is not a scalar constant.
func.func @score_gamma_dense(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                             %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op 'gamma' must be a constant of the accumulator type 'i32', got dense<2> : tensor<i32>}}
  %z = inhibitor.manhattan_score {gamma = dense<2> : tensor<i32>}
         ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}

// -----

// A typed attribute of the accumulator type that is not a number.
func.func @score_gamma_string(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                              %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op 'gamma' must be a constant of the accumulator type 'i32', got "eight" : i32}}
  %z = inhibitor.manhattan_score {gamma = "eight" : i32}
         ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}

// -----

func.func @score_gamma_zero(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                            %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op integer 'gamma' must be a positive integer, got 0}}
  %z = inhibitor.manhattan_score {gamma = 0 : i32}
         ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}

// -----

func.func @score_gamma_negative(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                %init: tensor<16x32xi64>) -> tensor<16x32xi64> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op integer 'gamma' must be a positive integer, got -4}}
  %z = inhibitor.manhattan_score {gamma = -4 : i64}
         ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%init : tensor<16x32xi64>) -> tensor<16x32xi64>
  return %z : tensor<16x32xi64>
}

// -----

func.func @score_alpha_negative(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                %init: tensor<16x32xi16>) -> tensor<16x32xi16> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op 'alpha' must be non-negative, got -1}}
  %z = inhibitor.manhattan_score {gamma = 8 : i16, alpha = -1 : i16}
         ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%init : tensor<16x32xi16>) -> tensor<16x32xi16>
  return %z : tensor<16x32xi16>
}

// -----

func.func @score_float_gamma_zero(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                  %init: tensor<16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op 'gamma' must be positive and finite, got 0.000000e+00}}
  %z = inhibitor.manhattan_score {gamma = 0.0 : f32}
         ins(%q, %k : tensor<16x64xf32>, tensor<32x64xf32>)
         outs(%init : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %z : tensor<16x32xf32>
}

// -----

func.func @score_float_gamma_negative(%q: tensor<16x64xf16>, %k: tensor<32x64xf16>,
                                      %init: tensor<16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op 'gamma' must be positive and finite, got -2.500000e+00}}
  %z = inhibitor.manhattan_score {gamma = -2.5 : f32}
         ins(%q, %k : tensor<16x64xf16>, tensor<32x64xf16>)
         outs(%init : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %z : tensor<16x32xf32>
}

// -----

func.func @score_float_gamma_inf(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                 %init: tensor<16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op 'gamma' must be positive and finite, got INF}}
  %z = inhibitor.manhattan_score {gamma = 0x7F800000 : f32}
         ins(%q, %k : tensor<16x64xf32>, tensor<32x64xf32>)
         outs(%init : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %z : tensor<16x32xf32>
}

// -----

func.func @score_float_alpha_negative(%q: tensor<16x64xf64>, %k: tensor<32x64xf64>,
                                      %init: tensor<16x32xf64>) -> tensor<16x32xf64> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op 'alpha' must be non-negative and finite, got -5.000000e-01}}
  %z = inhibitor.manhattan_score {alpha = -0.5 : f64}
         ins(%q, %k : tensor<16x64xf64>, tensor<32x64xf64>)
         outs(%init : tensor<16x32xf64>) -> tensor<16x32xf64>
  return %z : tensor<16x32xf64>
}

// -----

func.func @score_float_alpha_nan(%q: tensor<16x64xbf16>, %k: tensor<32x64xbf16>,
                                 %init: tensor<16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op 'alpha' must be non-negative and finite, got nan}}
  %z = inhibitor.manhattan_score {alpha = 0x7FC00000 : f32}
         ins(%q, %k : tensor<16x64xbf16>, tensor<32x64xbf16>)
         outs(%init : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %z : tensor<16x32xf32>
}

// -----

//===----------------------------------------------------------------------===//
// inhibitor.inhibit
//===----------------------------------------------------------------------===//

func.func @inhibit_result_rank_one(%v: tensor<8xi32>, %z: tensor<32xi32>,
                                   %init: tensor<8xi32>) -> tensor<8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op expected the result to have rank >= 2 ([batch..., rows, cols]), got 1}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<8xi32>, tensor<32xi32>)
         outs(%init : tensor<8xi32>) -> tensor<8xi32>
  return %h : tensor<8xi32>
}

// -----

func.func @inhibit_value_rank(%v: tensor<32x8xi32>, %z: tensor<2x16x32xi32>,
                              %init: tensor<2x16x8xi32>) -> tensor<2x16x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op expected value to have rank 3 like the result, got 2}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xi32>, tensor<2x16x32xi32>)
         outs(%init : tensor<2x16x8xi32>) -> tensor<2x16x8xi32>
  return %h : tensor<2x16x8xi32>
}

// -----

func.func @inhibit_score_rank(%v: tensor<32x8xi32>, %z: tensor<1x16x32xi32>,
                              %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op expected score to have rank 2 like the result, got 3}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xi32>, tensor<1x16x32xi32>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}

// -----

func.func @inhibit_batch_dim(%v: tensor<2x32x8xi32>, %z: tensor<3x16x32xi32>,
                             %init: tensor<3x16x8xi32>) -> tensor<3x16x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op batch dim #0 mismatch: score has 3 but value has 2 (grouped heads need a value size that divides the score size)}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<2x32x8xi32>, tensor<3x16x32xi32>)
         outs(%init : tensor<3x16x8xi32>) -> tensor<3x16x8xi32>
  return %h : tensor<3x16x8xi32>
}

// -----

func.func @inhibit_query_rows(%v: tensor<32x8xi32>, %z: tensor<16x32xi32>,
                              %init: tensor<4x8xi32>) -> tensor<4x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op query rows (N) mismatch: score has 16 but result has 4}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xi32>, tensor<16x32xi32>)
         outs(%init : tensor<4x8xi32>) -> tensor<4x8xi32>
  return %h : tensor<4x8xi32>
}

// -----

func.func @inhibit_key_rows(%v: tensor<16x8xi32>, %z: tensor<16x32xi32>,
                            %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op key rows (M) mismatch: score has 32 but value has 16}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<16x8xi32>, tensor<16x32xi32>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}

// -----

func.func @inhibit_value_cols(%v: tensor<32x8xi32>, %z: tensor<16x32xi32>,
                              %init: tensor<16x4xi32>) -> tensor<16x4xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op value cols (E) mismatch: value has 8 but result has 4}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xi32>, tensor<16x32xi32>)
         outs(%init : tensor<16x4xi32>) -> tensor<16x4xi32>
  return %h : tensor<16x4xi32>
}

// -----

func.func @inhibit_value_kind(%v: tensor<32x8xi8>, %z: tensor<16x32xf32>,
                              %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.inhibit' op accumulator type 'f32' and value element type 'i8' must both be integers or both be floats}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xi8>, tensor<16x32xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

func.func @inhibit_value_narrow(%v: tensor<32x8xi64>, %z: tensor<16x32xi32>,
                                %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op accumulator type 'i32' is not at least as wide as value element type 'i64'}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xi64>, tensor<16x32xi32>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}

// -----

func.func @inhibit_score_kind(%v: tensor<32x8xi8>, %z: tensor<16x32xf32>,
                              %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op accumulator type 'i32' and score element type 'f32' must both be integers or both be floats}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xi8>, tensor<16x32xf32>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}

// -----

func.func @inhibit_score_narrow(%v: tensor<32x8xbf16>, %z: tensor<16x32xf64>,
                                %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.inhibit' op accumulator type 'f32' is not at least as wide as score element type 'f64'}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xbf16>, tensor<16x32xf64>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

//===----------------------------------------------------------------------===//
// inhibitor.attention
//===----------------------------------------------------------------------===//

func.func @attention_result_rank_zero(%q: tensor<f32>, %k: tensor<f32>, %v: tensor<f32>,
                                      %init: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'inhibitor.attention' op expected the result to have rank >= 2 ([batch..., rows, cols]), got 0}}
  %h = inhibitor.attention ins(%q, %k, %v : tensor<f32>, tensor<f32>, tensor<f32>)
         outs(%init : tensor<f32>) -> tensor<f32>
  return %h : tensor<f32>
}

// -----

func.func @attention_query_rank(%q: tensor<1x16x64xf32>, %k: tensor<32x64xf32>,
                                %v: tensor<32x8xf32>,
                                %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op expected query to have rank 2 like the result, got 3}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<1x16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

func.func @attention_key_rank(%q: tensor<16x64xf32>, %k: tensor<1x32x64xf32>,
                              %v: tensor<32x8xf32>,
                              %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op expected key to have rank 2 like the result, got 3}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<1x32x64xf32>, tensor<32x8xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

func.func @attention_value_rank(%q: tensor<2x16x64xf32>, %k: tensor<2x32x64xf32>,
                                %v: tensor<32x8xf32>,
                                %init: tensor<2x16x8xf32>) -> tensor<2x16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op expected value to have rank 3 like the result, got 2}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<2x16x64xf32>, tensor<2x32x64xf32>, tensor<32x8xf32>)
         outs(%init : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  return %h : tensor<2x16x8xf32>
}

// -----

func.func @attention_batch_dim(%q: tensor<2x4x16x64xf32>, %k: tensor<2x4x32x64xf32>,
                               %v: tensor<2x3x32x8xf32>,
                               %init: tensor<2x4x16x8xf32>) -> tensor<2x4x16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op batch dim #1 mismatch: key has 4 but value has 3}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<2x4x16x64xf32>, tensor<2x4x32x64xf32>, tensor<2x3x32x8xf32>)
         outs(%init : tensor<2x4x16x8xf32>) -> tensor<2x4x16x8xf32>
  return %h : tensor<2x4x16x8xf32>
}

// -----

func.func @attention_element_types_differ(%q: tensor<16x64xf16>, %k: tensor<32x64xbf16>,
                                          %v: tensor<32x8xf16>,
                                          %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op query and key must have the same element type, got 'f16' and 'bf16'}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf16>, tensor<32x64xbf16>, tensor<32x8xf16>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

func.func @attention_feature_dim(%q: tensor<16x64xf32>, %k: tensor<32x48xf32>,
                                 %v: tensor<32x8xf32>,
                                 %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op feature dim (D) mismatch: query has 64 but key has 48}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x48xf32>, tensor<32x8xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

func.func @attention_query_rows(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                %v: tensor<32x8xf32>,
                                %init: tensor<17x8xf32>) -> tensor<17x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op query rows (N) mismatch: query has 16 but result has 17}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
         outs(%init : tensor<17x8xf32>) -> tensor<17x8xf32>
  return %h : tensor<17x8xf32>
}

// -----

func.func @attention_query_kind(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                %v: tensor<32x8xi8>,
                                %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op accumulator type 'f32' and query element type 'i8' must both be integers or both be floats}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xi8>, tensor<32x64xi8>, tensor<32x8xi8>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

func.func @attention_query_narrow(%q: tensor<16x64xi32>, %k: tensor<32x64xi32>,
                                  %v: tensor<32x8xi8>,
                                  %init: tensor<16x8xi16>) -> tensor<16x8xi16> {
  // expected-error @+1 {{'inhibitor.attention' op accumulator type 'i16' is not at least as wide as query element type 'i32'}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xi32>, tensor<32x64xi32>, tensor<32x8xi8>)
         outs(%init : tensor<16x8xi16>) -> tensor<16x8xi16>
  return %h : tensor<16x8xi16>
}

// -----

func.func @attention_key_rows(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                              %v: tensor<31x8xf32>,
                              %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op key rows (M) mismatch: key has 32 but value has 31}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<31x8xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

func.func @attention_value_cols(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                %v: tensor<32x8xf32>,
                                %init: tensor<16x64xf32>) -> tensor<16x64xf32> {
  // expected-error @+1 {{'inhibitor.attention' op value cols (E) mismatch: value has 8 but result has 64}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
         outs(%init : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %h : tensor<16x64xf32>
}

// -----

func.func @attention_value_kind(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                %v: tensor<32x8xf16>,
                                %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.attention' op accumulator type 'i32' and value element type 'f16' must both be integers or both be floats}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xi8>, tensor<32x64xi8>, tensor<32x8xf16>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}

// -----

func.func @attention_value_narrow(%q: tensor<16x64xbf16>, %k: tensor<32x64xbf16>,
                                  %v: tensor<32x8xf16>,
                                  %init: tensor<16x8xbf16>) -> tensor<16x8xbf16> {
  // expected-error @+1 {{'inhibitor.attention' op accumulator type 'bf16' is not at least as wide as value element type 'f16'}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xbf16>, tensor<32x64xbf16>, tensor<32x8xf16>)
         outs(%init : tensor<16x8xbf16>) -> tensor<16x8xbf16>
  return %h : tensor<16x8xbf16>
}

// -----

func.func @attention_gamma_type(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                %v: tensor<32x8xi8>,
                                %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.attention' op 'gamma' must be a constant of the accumulator type 'i32', got 8 : i8}}
  %h = inhibitor.attention {gamma = 8 : i8}
         ins(%q, %k, %v : tensor<16x64xi8>, tensor<32x64xi8>, tensor<32x8xi8>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}

// -----

func.func @attention_alpha_type(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                %v: tensor<32x8xf32>,
                                %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op 'alpha' must be a constant of the accumulator type 'f32', got 5.000000e-01 : f64}}
  %h = inhibitor.attention {alpha = 0.5 : f64}
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

func.func @attention_gamma_zero(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                %v: tensor<32x8xi8>,
                                %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.attention' op integer 'gamma' must be a positive integer, got 0}}
  %h = inhibitor.attention signed {gamma = 0 : i32}
         ins(%q, %k, %v : tensor<16x64xi8>, tensor<32x64xi8>, tensor<32x8xi8>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}

// -----

func.func @attention_alpha_negative(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                                    %v: tensor<32x8xi8>,
                                    %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.attention' op 'alpha' must be non-negative, got -3}}
  %h = inhibitor.attention causal {alpha = -3 : i32}
         ins(%q, %k, %v : tensor<16x64xi8>, tensor<32x64xi8>, tensor<32x8xi8>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}

// -----

func.func @attention_float_gamma_negative(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                          %v: tensor<32x8xf32>,
                                          %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op 'gamma' must be positive and finite, got -8.000000e+00}}
  %h = inhibitor.attention {gamma = -8.0 : f32}
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

func.func @attention_float_alpha_inf(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                     %v: tensor<32x8xf32>,
                                     %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op 'alpha' must be non-negative and finite, got INF}}
  %h = inhibitor.attention {alpha = 0x7F800000 : f32}
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

func.func @attention_mask_rank(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                               %v: tensor<32x8xf32>, %m: tensor<1x16x32xi1>,
                               %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op mask of rank 3 cannot broadcast to the scores of rank 2}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
         mask(%m : tensor<1x16x32xi1>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

// The mask's last dim is M (the keys), not E.
func.func @attention_mask_key_dim(%q: tensor<2x16x64xf32>, %k: tensor<2x32x64xf32>,
                                  %v: tensor<2x32x8xf32>, %m: tensor<2x16x8xi1>,
                                  %init: tensor<2x16x8xf32>) -> tensor<2x16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op mask dim #2 (8) is not broadcastable to score dim #2 (32)}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<2x16x64xf32>, tensor<2x32x64xf32>, tensor<2x32x8xf32>)
         mask(%m : tensor<2x16x8xi1>)
         outs(%init : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  return %h : tensor<2x16x8xf32>
}

// -----

// A lower-rank mask is aligned to the right.
func.func @attention_mask_lower_rank(%q: tensor<2x16x64xf32>, %k: tensor<2x32x64xf32>,
                                     %v: tensor<2x32x8xf32>, %m: tensor<8x32xi1>,
                                     %init: tensor<2x16x8xf32>) -> tensor<2x16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op mask dim #0 (8) is not broadcastable to score dim #1 (16)}}
  %h = inhibitor.attention causal
         ins(%q, %k, %v : tensor<2x16x64xf32>, tensor<2x32x64xf32>, tensor<2x32x8xf32>)
         mask(%m : tensor<8x32xi1>)
         outs(%init : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  return %h : tensor<2x16x8xf32>
}

// -----

// A batch size the result leaves dynamic is taken from the query.
func.func @attention_mask_batch_dim(%q: tensor<2x16x64xf32>, %k: tensor<?x32x64xf32>,
                                    %v: tensor<?x32x8xf32>, %m: tensor<3x1x1xi1>,
                                    %init: tensor<?x16x8xf32>) -> tensor<?x16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op mask dim #0 (3) is not broadcastable to score dim #0 (2)}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<2x16x64xf32>, tensor<?x32x64xf32>, tensor<?x32x8xf32>)
         mask(%m : tensor<3x1x1xi1>)
         outs(%init : tensor<?x16x8xf32>) -> tensor<?x16x8xf32>
  return %h : tensor<?x16x8xf32>
}

//===----------------------------------------------------------------------===//
// Grouped heads
//===----------------------------------------------------------------------===//

// -----

// 4 key heads cannot serve 6 query heads.
func.func @attention_groups_do_not_divide(%q: tensor<6x16x8xf32>, %k: tensor<4x32x8xf32>,
                                          %v: tensor<4x32x8xf32>,
                                          %init: tensor<6x16x8xf32>) -> tensor<6x16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op batch dim #0 mismatch: query has 6 but key has 4 (grouped heads need a key size that divides the query size)}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<6x16x8xf32>, tensor<4x32x8xf32>, tensor<4x32x8xf32>)
         outs(%init : tensor<6x16x8xf32>) -> tensor<6x16x8xf32>
  return %h : tensor<6x16x8xf32>
}

// -----

// More key/value heads than query heads.
func.func @attention_more_kv_heads(%q: tensor<2x2x16x8xi8>, %k: tensor<2x4x32x8xi8>,
                                   %v: tensor<2x4x32x8xi8>,
                                   %init: tensor<2x2x16x8xi32>) -> tensor<2x2x16x8xi32> {
  // expected-error @+1 {{'inhibitor.attention' op batch dim #1 mismatch: query has 2 but key has 4 (grouped heads need a key size that divides the query size)}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<2x2x16x8xi8>, tensor<2x4x32x8xi8>, tensor<2x4x32x8xi8>)
         outs(%init : tensor<2x2x16x8xi32>) -> tensor<2x2x16x8xi32>
  return %h : tensor<2x2x16x8xi32>
}

// -----

// K and V group the same way: equal head counts.
func.func @attention_key_value_heads_differ(%q: tensor<8x16x8xf32>, %k: tensor<2x32x8xf32>,
                                            %v: tensor<4x32x8xf32>,
                                            %init: tensor<8x16x8xf32>) -> tensor<8x16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op batch dim #0 mismatch: key has 2 but value has 4}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<8x16x8xf32>, tensor<2x32x8xf32>, tensor<4x32x8xf32>)
         outs(%init : tensor<8x16x8xf32>) -> tensor<8x16x8xf32>
  return %h : tensor<8x16x8xf32>
}

// -----

// A key of size 1 broadcasts (multi-query) but the value must agree with it.
func.func @attention_mqa_value_differs(%q: tensor<8x16x8xf32>, %k: tensor<1x32x8xf32>,
                                       %v: tensor<8x32x8xf32>,
                                       %init: tensor<8x16x8xf32>) -> tensor<8x16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op batch dim #0 mismatch: key has 1 but value has 8}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<8x16x8xf32>, tensor<1x32x8xf32>, tensor<8x32x8xf32>)
         outs(%init : tensor<8x16x8xf32>) -> tensor<8x16x8xf32>
  return %h : tensor<8x16x8xf32>
}

// -----

// The query side (query and result) never groups.
func.func @attention_result_heads(%q: tensor<8x16x8xf32>, %k: tensor<2x32x8xf32>,
                                  %v: tensor<2x32x8xf32>,
                                  %init: tensor<2x16x8xf32>) -> tensor<2x16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op batch dim #0 mismatch: query has 8 but result has 2}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<8x16x8xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>)
         outs(%init : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  return %h : tensor<2x16x8xf32>
}

// -----

func.func @score_groups_do_not_divide(%q: tensor<3x5x16x8xi16>, %k: tensor<3x2x32x8xi16>,
                                      %init: tensor<3x5x16x32xi32>) -> tensor<3x5x16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op batch dim #1 mismatch: query has 5 but key has 2 (grouped heads need a key size that divides the query size)}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<3x5x16x8xi16>, tensor<3x2x32x8xi16>)
         outs(%init : tensor<3x5x16x32xi32>) -> tensor<3x5x16x32xi32>
  return %z : tensor<3x5x16x32xi32>
}

// -----

func.func @inhibit_groups_do_not_divide(%v: tensor<3x32x8xi32>, %z: tensor<4x16x32xi32>,
                                        %init: tensor<4x16x8xi32>) -> tensor<4x16x8xi32> {
  // expected-error @+1 {{'inhibitor.inhibit' op batch dim #0 mismatch: score has 4 but value has 3 (grouped heads need a value size that divides the score size)}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<3x32x8xi32>, tensor<4x16x32xi32>)
         outs(%init : tensor<4x16x8xi32>) -> tensor<4x16x8xi32>
  return %h : tensor<4x16x8xi32>
}

//===----------------------------------------------------------------------===//
// Bias
//===----------------------------------------------------------------------===//

// -----

func.func @attention_bias_type(%q: tensor<16x8xf16>, %k: tensor<32x8xf16>,
                               %v: tensor<32x8xf16>, %b: tensor<16x32xf16>,
                               %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op bias element type 'f16' must be the accumulator type 'f32'}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x8xf16>, tensor<32x8xf16>, tensor<32x8xf16>)
         bias(%b : tensor<16x32xf16>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

func.func @attention_bias_i1(%q: tensor<16x8xi8>, %k: tensor<32x8xi8>,
                             %v: tensor<32x8xi8>, %b: tensor<16x32xi1>,
                             %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{'inhibitor.attention' op operand #3 must be ranked tensor of i8, i16, i32, i64, f16, bf16, f32 or f64 values, but got 'tensor<16x32xi1>'}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x8xi8>, tensor<32x8xi8>, tensor<32x8xi8>)
         bias(%b : tensor<16x32xi1>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}

// -----

func.func @attention_bias_rank(%q: tensor<16x8xf32>, %k: tensor<32x8xf32>,
                               %v: tensor<32x8xf32>, %b: tensor<2x16x32xf32>,
                               %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op bias of rank 3 cannot broadcast to the scores of rank 2}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>)
         bias(%b : tensor<2x16x32xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

func.func @attention_bias_dim(%q: tensor<2x16x8xi16>, %k: tensor<2x32x8xi16>,
                              %v: tensor<2x32x8xi16>, %b: tensor<16x16xi32>,
                              %init: tensor<2x16x8xi32>) -> tensor<2x16x8xi32> {
  // expected-error @+1 {{'inhibitor.attention' op bias dim #1 (16) is not broadcastable to score dim #2 (32)}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<2x16x8xi16>, tensor<2x32x8xi16>, tensor<2x32x8xi16>)
         bias(%b : tensor<16x16xi32>)
         outs(%init : tensor<2x16x8xi32>) -> tensor<2x16x8xi32>
  return %h : tensor<2x16x8xi32>
}

// -----

// The bias broadcasts against the query's heads, not the key/value heads.
func.func @attention_bias_kv_heads(%q: tensor<8x16x8xf32>, %k: tensor<2x32x8xf32>,
                                   %v: tensor<2x32x8xf32>, %b: tensor<2x16x32xf32>,
                                   %init: tensor<8x16x8xf32>) -> tensor<8x16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op bias dim #0 (2) is not broadcastable to score dim #0 (8)}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<8x16x8xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>)
         bias(%b : tensor<2x16x32xf32>)
         outs(%init : tensor<8x16x8xf32>) -> tensor<8x16x8xf32>
  return %h : tensor<8x16x8xf32>
}

// -----

// So does the mask.
func.func @attention_mask_kv_heads(%q: tensor<8x16x8xf32>, %k: tensor<2x32x8xf32>,
                                   %v: tensor<2x32x8xf32>, %m: tensor<2x16x32xi1>,
                                   %init: tensor<8x16x8xf32>) -> tensor<8x16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op mask dim #0 (2) is not broadcastable to score dim #0 (8)}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<8x16x8xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>)
         mask(%m : tensor<2x16x32xi1>)
         outs(%init : tensor<8x16x8xf32>) -> tensor<8x16x8xf32>
  return %h : tensor<8x16x8xf32>
}

// -----

// At most one bias.
func.func @attention_two_biases(%q: tensor<16x8xf32>, %k: tensor<32x8xf32>,
                                %v: tensor<32x8xf32>, %b: tensor<16x32xf32>,
                                %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{'inhibitor.attention' op operand group starting at #3 requires 0 or 1 element, but found 2}}
  %h = "inhibitor.attention"(%q, %k, %v, %b, %b, %init)
         <{operandSegmentSizes = array<i32: 1, 1, 1, 0, 2, 0, 0, 0, 1>}>
         : (tensor<16x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<16x32xf32>,
            tensor<16x32xf32>, tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

func.func @score_bias_type(%q: tensor<16x8xi8>, %k: tensor<32x8xi8>, %b: tensor<16x32xi16>,
                           %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op bias element type 'i16' must be the accumulator type 'i32'}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x8xi8>, tensor<32x8xi8>)
         bias(%b : tensor<16x32xi16>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}

// -----

func.func @score_bias_dim(%q: tensor<4x16x8xf32>, %k: tensor<4x32x8xf32>, %b: tensor<3x1x32xf32>,
                          %init: tensor<4x16x32xf32>) -> tensor<4x16x32xf32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op bias dim #0 (3) is not broadcastable to score dim #0 (4)}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<4x16x8xf32>, tensor<4x32x8xf32>)
         bias(%b : tensor<3x1x32xf32>)
         outs(%init : tensor<4x16x32xf32>) -> tensor<4x16x32xf32>
  return %z : tensor<4x16x32xf32>
}

// -----

func.func @score_bias_rank(%q: tensor<16x8xf32>, %k: tensor<32x8xf32>, %b: tensor<1x16x32xf32>,
                           %init: tensor<16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{'inhibitor.manhattan_score' op bias of rank 3 cannot broadcast to the scores of rank 2}}
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x8xf32>, tensor<32x8xf32>)
         bias(%b : tensor<1x16x32xf32>)
         outs(%init : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %z : tensor<16x32xf32>
}

// -----

func.func @biased_keys_key_type(%q: tensor<8x32x64xi16>, %k: tensor<8x300x64xi16>,
                  %v: tensor<8x300x64xi16>, %kb: tensor<8x300x64xi16>,
                  %init: tensor<8x32x64xi32>) -> tensor<8x32x64xi32> {
  // expected-error @+1 {{'inhibitor.attention' op biased_keys needs i8 keys, the key has 'i16'}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<8x32x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi16>)
         biased_keys(%kb : tensor<8x300x64xi16>)
         outs(%init : tensor<8x32x64xi32>) -> tensor<8x32x64xi32>
  return %h : tensor<8x32x64xi32>
}

// -----

func.func @biased_keys_type(%q: tensor<8x32x64xi8>, %k: tensor<8x300x64xi8>,
                  %v: tensor<8x300x64xi8>, %kb: tensor<8x300x64xi16>,
                  %init: tensor<8x32x64xi32>) -> tensor<8x32x64xi32> {
  // expected-error @+1 {{'inhibitor.attention' op biased_keys must have element type i8, got 'i16'}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<8x32x64xi8>, tensor<8x300x64xi8>, tensor<8x300x64xi8>)
         biased_keys(%kb : tensor<8x300x64xi16>)
         outs(%init : tensor<8x32x64xi32>) -> tensor<8x32x64xi32>
  return %h : tensor<8x32x64xi32>
}

// -----

func.func @biased_keys_shape(%q: tensor<8x32x64xi8>, %k: tensor<8x300x64xi8>,
                  %v: tensor<8x300x64xi8>, %kb: tensor<8x64x300xi8>,
                  %init: tensor<8x32x64xi32>) -> tensor<8x32x64xi32> {
  // expected-error @+1 {{'inhibitor.attention' op biased_keys must have the key's shape 'tensor<8x300x64xi8>', got 'tensor<8x64x300xi8>'}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<8x32x64xi8>, tensor<8x300x64xi8>, tensor<8x300x64xi8>)
         biased_keys(%kb : tensor<8x64x300xi8>)
         outs(%init : tensor<8x32x64xi32>) -> tensor<8x32x64xi32>
  return %h : tensor<8x32x64xi32>
}

// -----

func.func @biased_keys_rank(%q: tensor<8x32x64xi8>, %k: tensor<8x300x64xi8>,
                  %v: tensor<8x300x64xi8>, %kb: tensor<2400x64xi8>,
                  %init: tensor<8x32x64xi32>) -> tensor<8x32x64xi32> {
  // expected-error @+1 {{'inhibitor.attention' op biased_keys must have the key's shape 'tensor<8x300x64xi8>', got 'tensor<2400x64xi8>'}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<8x32x64xi8>, tensor<8x300x64xi8>, tensor<8x300x64xi8>)
         biased_keys(%kb : tensor<2400x64xi8>)
         outs(%init : tensor<8x32x64xi32>) -> tensor<8x32x64xi32>
  return %h : tensor<8x32x64xi32>
}

// -----

func.func @key_tiles_rank(%q: tensor<8x32x64xi16>, %k: tensor<8x300x64xi16>,
                  %v: tensor<8x300x64xi16>, %kt: tensor<8x64x300xi16>,
                  %init: tensor<8x32x64xi32>) -> tensor<8x32x64xi32> {
  // expected-error @+1 {{'inhibitor.attention' op key_tiles must have rank 4 ([b..., ceil(M / T), D, T]), got 3}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<8x32x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi16>)
         key_tiles(%kt : tensor<8x64x300xi16>)
         outs(%init : tensor<8x32x64xi32>) -> tensor<8x32x64xi32>
  return %h : tensor<8x32x64xi32>
}

// -----

func.func @key_tiles_type(%q: tensor<8x32x64xi16>, %k: tensor<8x300x64xi16>,
                  %v: tensor<8x300x64xi16>, %kt: tensor<8x3x64x128xi8>,
                  %init: tensor<8x32x64xi32>) -> tensor<8x32x64xi32> {
  // expected-error @+1 {{'inhibitor.attention' op key_tiles must have the key's element type 'i16', got 'i8'}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<8x32x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi16>)
         key_tiles(%kt : tensor<8x3x64x128xi8>)
         outs(%init : tensor<8x32x64xi32>) -> tensor<8x32x64xi32>
  return %h : tensor<8x32x64xi32>
}

// -----

func.func @key_tiles_dynamic_tile(%q: tensor<8x32x64xi16>, %k: tensor<8x300x64xi16>,
                  %v: tensor<8x300x64xi16>, %kt: tensor<8x3x64x?xi16>,
                  %init: tensor<8x32x64xi32>) -> tensor<8x32x64xi32> {
  // expected-error @+1 {{'inhibitor.attention' op key_tiles must have a static, positive tile size (its last dim)}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<8x32x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi16>)
         key_tiles(%kt : tensor<8x3x64x?xi16>)
         outs(%init : tensor<8x32x64xi32>) -> tensor<8x32x64xi32>
  return %h : tensor<8x32x64xi32>
}

// -----

func.func @key_tiles_batch(%q: tensor<8x32x64xi16>, %k: tensor<8x300x64xi16>,
                  %v: tensor<8x300x64xi16>, %kt: tensor<4x3x64x128xi16>,
                  %init: tensor<8x32x64xi32>) -> tensor<8x32x64xi32> {
  // expected-error @+1 {{'inhibitor.attention' op key_tiles batch dim 0 (4) differs from the key's (8)}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<8x32x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi16>)
         key_tiles(%kt : tensor<4x3x64x128xi16>)
         outs(%init : tensor<8x32x64xi32>) -> tensor<8x32x64xi32>
  return %h : tensor<8x32x64xi32>
}

// -----

func.func @key_tiles_dim(%q: tensor<8x32x64xi16>, %k: tensor<8x300x64xi16>,
                  %v: tensor<8x300x64xi16>, %kt: tensor<8x3x32x128xi16>,
                  %init: tensor<8x32x64xi32>) -> tensor<8x32x64xi32> {
  // expected-error @+1 {{'inhibitor.attention' op key_tiles must hold the key's D = 64 in dim 2, got 32}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<8x32x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi16>)
         key_tiles(%kt : tensor<8x3x32x128xi16>)
         outs(%init : tensor<8x32x64xi32>) -> tensor<8x32x64xi32>
  return %h : tensor<8x32x64xi32>
}

// -----

func.func @key_tiles_count(%q: tensor<8x32x64xi16>, %k: tensor<8x300x64xi16>,
                  %v: tensor<8x300x64xi16>, %kt: tensor<8x2x64x128xi16>,
                  %init: tensor<8x32x64xi32>) -> tensor<8x32x64xi32> {
  // expected-error @+1 {{'inhibitor.attention' op key_tiles must hold ceil(M / T) = 3 tiles of 128 keys (M = 300), got 2}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<8x32x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi16>)
         key_tiles(%kt : tensor<8x2x64x128xi16>)
         outs(%init : tensor<8x32x64xi32>) -> tensor<8x32x64xi32>
  return %h : tensor<8x32x64xi32>
}

// -----

func.func @key_tiles_zero_tile(%q: tensor<8x32x64xi16>, %k: tensor<8x300x64xi16>,
                  %v: tensor<8x300x64xi16>, %kt: tensor<8x3x64x0xi16>,
                  %init: tensor<8x32x64xi32>) -> tensor<8x32x64xi32> {
  // expected-error @+1 {{'inhibitor.attention' op key_tiles must have a static, positive tile size (its last dim)}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<8x32x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi16>)
         key_tiles(%kt : tensor<8x3x64x0xi16>)
         outs(%init : tensor<8x32x64xi32>) -> tensor<8x32x64xi32>
  return %h : tensor<8x32x64xi32>
}

// -----

func.func @exact_differences_float(%q: tensor<8x32x64xf32>, %k: tensor<8x300x64xf32>, %v: tensor<8x300x64xf32>,
    %init: tensor<8x32x64xf32>) -> tensor<8x32x64xf32> {
  // expected-error @+1 {{'inhibitor.attention' op exact_differences needs integer data, the query has 'f32'}}
  %h = inhibitor.attention {exact_differences}
         ins(%q, %k, %v : tensor<8x32x64xf32>, tensor<8x300x64xf32>, tensor<8x300x64xf32>)
         outs(%init : tensor<8x32x64xf32>) -> tensor<8x32x64xf32>
  return %h : tensor<8x32x64xf32>
}

// -----

func.func @narrow_sums_zero(%q: tensor<8x32x64xi16>, %k: tensor<8x300x64xi16>, %v: tensor<8x300x64xi16>,
    %init: tensor<8x32x64xi32>) -> tensor<8x32x64xi32> {
  // expected-error @+1 {{'inhibitor.attention' op narrow_sums must be a positive number of keys, got 0}}
  %h = inhibitor.attention {narrow_sums = 0 : i64}
         ins(%q, %k, %v : tensor<8x32x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi16>)
         outs(%init : tensor<8x32x64xi32>) -> tensor<8x32x64xi32>
  return %h : tensor<8x32x64xi32>
}

// -----

func.func @narrow_sums_float(%q: tensor<8x32x64xf32>, %k: tensor<8x300x64xf32>, %v: tensor<8x300x64xf32>,
    %init: tensor<8x32x64xf32>) -> tensor<8x32x64xf32> {
  // expected-error @+1 {{'inhibitor.attention' op narrow_sums needs an integer accumulator wider than 16 bits, got 'f32'}}
  %h = inhibitor.attention {narrow_sums = 128 : i64}
         ins(%q, %k, %v : tensor<8x32x64xf32>, tensor<8x300x64xf32>, tensor<8x300x64xf32>)
         outs(%init : tensor<8x32x64xf32>) -> tensor<8x32x64xf32>
  return %h : tensor<8x32x64xf32>
}

// -----

func.func @narrow_sums_i16_acc(%q: tensor<8x32x64xi8>, %k: tensor<8x300x64xi8>, %v: tensor<8x300x64xi8>,
    %init: tensor<8x32x64xi16>) -> tensor<8x32x64xi16> {
  // expected-error @+1 {{'inhibitor.attention' op narrow_sums needs an integer accumulator wider than 16 bits, got 'i16'}}
  %h = inhibitor.attention {narrow_sums = 128 : i64}
         ins(%q, %k, %v : tensor<8x32x64xi8>, tensor<8x300x64xi8>, tensor<8x300x64xi8>)
         outs(%init : tensor<8x32x64xi16>) -> tensor<8x32x64xi16>
  return %h : tensor<8x32x64xi16>
}

// -----

func.func @narrow_sums_wide_data(%q: tensor<8x32x64xi16>, %k: tensor<8x300x64xi16>, %v: tensor<8x300x64xi32>,
    %init: tensor<8x32x64xi32>) -> tensor<8x32x64xi32> {
  // expected-error @+1 {{'inhibitor.attention' op narrow_sums needs integer data of at most 16 bits, the value has 'i32'}}
  %h = inhibitor.attention {narrow_sums = 128 : i64}
         ins(%q, %k, %v : tensor<8x32x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi32>)
         outs(%init : tensor<8x32x64xi32>) -> tensor<8x32x64xi32>
  return %h : tensor<8x32x64xi32>
}

// -----

func.func @narrow_sums_bias(%q: tensor<8x32x64xi16>, %k: tensor<8x300x64xi16>, %v: tensor<8x300x64xi16>, %b: tensor<8x32x300xi32>,
    %init: tensor<8x32x64xi32>) -> tensor<8x32x64xi32> {
  // expected-error @+1 {{'inhibitor.attention' op narrow_sums excludes a bias}}
  %h = inhibitor.attention {narrow_sums = 128 : i64}
         ins(%q, %k, %v : tensor<8x32x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi16>)
         bias(%b : tensor<8x32x300xi32>)
         outs(%init : tensor<8x32x64xi32>) -> tensor<8x32x64xi32>
  return %h : tensor<8x32x64xi32>
}

// -----

func.func @causal_offset_not_causal(%q: tensor<4x64xi16>, %k: tensor<300x64xi16>, %v: tensor<300x64xi16>,
    %d: index, %init: tensor<4x64xi32>) -> tensor<4x64xi32> {
  // expected-error @+1 {{'inhibitor.attention' op causal_offset needs causal}}
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<4x64xi16>, tensor<300x64xi16>, tensor<300x64xi16>)
         causal_offset(%d)
         outs(%init : tensor<4x64xi32>) -> tensor<4x64xi32>
  return %h : tensor<4x64xi32>
}

// -----

func.func @causal_offset_type(%q: tensor<4x64xi16>, %k: tensor<300x64xi16>, %v: tensor<300x64xi16>,
    %d: i64, %init: tensor<4x64xi32>) -> tensor<4x64xi32> {
  // expected-error @+1 {{'inhibitor.attention' op operand #3 must be index, but got 'i64'}}
  %h = "inhibitor.attention"(%q, %k, %v, %d, %init) <{causal, gamma = 1 : i32, alpha = 0 : i32,
         operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 1, 1>}>
         : (tensor<4x64xi16>, tensor<300x64xi16>, tensor<300x64xi16>, i64, tensor<4x64xi32>) -> tensor<4x64xi32>
  return %h : tensor<4x64xi32>
}
