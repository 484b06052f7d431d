// RUN: inhibitor-opt %s -split-input-file -verify-diagnostics

// Malformed custom syntax is reported at its location (file:line:col).

func.func @score_missing_outs(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                              %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
  // expected-error @+1 {{custom op 'inhibitor.manhattan_score' expected 'outs'}}
         -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}

// -----

// The keywords come in a fixed order: `causal` before `signed`.
func.func @attention_keyword_order(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                   %v: tensor<32x8xf32>,
                                   %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{custom op 'inhibitor.attention' expected 'ins'}}
  %h = inhibitor.attention signed causal
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

// The mask comes before `outs`.
func.func @attention_mask_after_outs(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                     %v: tensor<32x8xf32>, %m: tensor<16x32xi1>,
                                     %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
  // expected-error @+1 {{expected '->'}}
         outs(%init : tensor<16x8xf32>)
         mask(%m : tensor<16x32xi1>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

// Every operand in `ins` needs its type.
func.func @inhibit_missing_type(%v: tensor<32x8xi32>, %z: tensor<16x32xi32>,
                                %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  // expected-error @+1 {{expected ','}}
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xi32>) outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}
