// RUN: inhibitor-opt %s | inhibitor-opt | FileCheck %s
// RUN: inhibitor-opt %s --mlir-print-op-generic | inhibitor-opt | FileCheck %s

// Every op in its custom form prints and parses back unchanged, also through
// the generic form.

//===----------------------------------------------------------------------===//
// inhibitor.manhattan_score
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func @score_i8_i32
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<16x64xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<32x64xi8>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<16x32xi32>
// CHECK: %[[Z:.*]] = inhibitor.manhattan_score ins(%[[Q]], %[[K]] : tensor<16x64xi8>, tensor<32x64xi8>) outs(%[[INIT]] : tensor<16x32xi32>) -> tensor<16x32xi32>
// CHECK: return %[[Z]]
func.func @score_i8_i32(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                        %init: tensor<16x32xi32>) -> tensor<16x32xi32> {
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<16x64xi8>, tensor<32x64xi8>)
         outs(%init : tensor<16x32xi32>) -> tensor<16x32xi32>
  return %z : tensor<16x32xi32>
}

// CHECK-LABEL: func @score_i8_i16_gamma_alpha
// CHECK: inhibitor.manhattan_score {alpha = 1 : i16, gamma = 8 : i16} ins(%{{.*}}, %{{.*}} : tensor<2x16x64xi8>, tensor<2x32x64xi8>) outs(%{{.*}} : tensor<2x16x32xi16>) -> tensor<2x16x32xi16>
func.func @score_i8_i16_gamma_alpha(%q: tensor<2x16x64xi8>, %k: tensor<2x32x64xi8>,
                                    %init: tensor<2x16x32xi16>) -> tensor<2x16x32xi16> {
  %z = inhibitor.manhattan_score {gamma = 8 : i16, alpha = 1 : i16}
         ins(%q, %k : tensor<2x16x64xi8>, tensor<2x32x64xi8>)
         outs(%init : tensor<2x16x32xi16>) -> tensor<2x16x32xi16>
  return %z : tensor<2x16x32xi16>
}

// CHECK-LABEL: func @score_i16_i16_gamma_only
// CHECK: inhibitor.manhattan_score {gamma = 3 : i16} ins(%{{.*}}, %{{.*}} : tensor<4x2x5x7xi16>, tensor<4x2x9x7xi16>) outs(%{{.*}} : tensor<4x2x5x9xi16>) -> tensor<4x2x5x9xi16>
func.func @score_i16_i16_gamma_only(%q: tensor<4x2x5x7xi16>, %k: tensor<4x2x9x7xi16>,
                                    %init: tensor<4x2x5x9xi16>) -> tensor<4x2x5x9xi16> {
  %z = inhibitor.manhattan_score {gamma = 3 : i16}
         ins(%q, %k : tensor<4x2x5x7xi16>, tensor<4x2x9x7xi16>)
         outs(%init : tensor<4x2x5x9xi16>) -> tensor<4x2x5x9xi16>
  return %z : tensor<4x2x5x9xi16>
}

// CHECK-LABEL: func @score_i32_i64_alpha_only
// CHECK: inhibitor.manhattan_score {alpha = 0 : i64} ins(%{{.*}}, %{{.*}} : tensor<1x1xi32>, tensor<1x1xi32>) outs(%{{.*}} : tensor<1x1xi64>) -> tensor<1x1xi64>
func.func @score_i32_i64_alpha_only(%q: tensor<1x1xi32>, %k: tensor<1x1xi32>,
                                    %init: tensor<1x1xi64>) -> tensor<1x1xi64> {
  %z = inhibitor.manhattan_score {alpha = 0 : i64}
         ins(%q, %k : tensor<1x1xi32>, tensor<1x1xi32>)
         outs(%init : tensor<1x1xi64>) -> tensor<1x1xi64>
  return %z : tensor<1x1xi64>
}

// CHECK-LABEL: func @score_i64_i64
// CHECK: inhibitor.manhattan_score ins(%{{.*}}, %{{.*}} : tensor<3x4xi64>, tensor<5x4xi64>) outs(%{{.*}} : tensor<3x5xi64>) -> tensor<3x5xi64>
func.func @score_i64_i64(%q: tensor<3x4xi64>, %k: tensor<5x4xi64>,
                         %init: tensor<3x5xi64>) -> tensor<3x5xi64> {
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<3x4xi64>, tensor<5x4xi64>)
         outs(%init : tensor<3x5xi64>) -> tensor<3x5xi64>
  return %z : tensor<3x5xi64>
}

// CHECK-LABEL: func @score_f16_f16
// CHECK: inhibitor.manhattan_score {alpha = 5.000000e-01 : f16, gamma = 8.000000e+00 : f16} ins(%{{.*}}, %{{.*}} : tensor<16x64xf16>, tensor<32x64xf16>) outs(%{{.*}} : tensor<16x32xf16>) -> tensor<16x32xf16>
func.func @score_f16_f16(%q: tensor<16x64xf16>, %k: tensor<32x64xf16>,
                         %init: tensor<16x32xf16>) -> tensor<16x32xf16> {
  %z = inhibitor.manhattan_score {gamma = 8.0 : f16, alpha = 0.5 : f16}
         ins(%q, %k : tensor<16x64xf16>, tensor<32x64xf16>)
         outs(%init : tensor<16x32xf16>) -> tensor<16x32xf16>
  return %z : tensor<16x32xf16>
}

// CHECK-LABEL: func @score_bf16_f32
// CHECK: inhibitor.manhattan_score {gamma = 1.250000e-01 : f32} ins(%{{.*}}, %{{.*}} : tensor<2x16x64xbf16>, tensor<2x32x64xbf16>) outs(%{{.*}} : tensor<2x16x32xf32>) -> tensor<2x16x32xf32>
func.func @score_bf16_f32(%q: tensor<2x16x64xbf16>, %k: tensor<2x32x64xbf16>,
                          %init: tensor<2x16x32xf32>) -> tensor<2x16x32xf32> {
  %z = inhibitor.manhattan_score {gamma = 0.125 : f32}
         ins(%q, %k : tensor<2x16x64xbf16>, tensor<2x32x64xbf16>)
         outs(%init : tensor<2x16x32xf32>) -> tensor<2x16x32xf32>
  return %z : tensor<2x16x32xf32>
}

// CHECK-LABEL: func @score_f32_f64_dynamic
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<?x?x?xf32>, %[[K:[a-zA-Z0-9_]+]]: tensor<?x?x?xf32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x?x?xf64>
// CHECK: inhibitor.manhattan_score {alpha = 0.000000e+00 : f64, gamma = 8.000000e+00 : f64} ins(%[[Q]], %[[K]] : tensor<?x?x?xf32>, tensor<?x?x?xf32>) outs(%[[INIT]] : tensor<?x?x?xf64>) -> tensor<?x?x?xf64>
func.func @score_f32_f64_dynamic(%q: tensor<?x?x?xf32>, %k: tensor<?x?x?xf32>,
                                 %init: tensor<?x?x?xf64>) -> tensor<?x?x?xf64> {
  %z = inhibitor.manhattan_score {gamma = 8.0 : f64, alpha = 0.0 : f64}
         ins(%q, %k : tensor<?x?x?xf32>, tensor<?x?x?xf32>)
         outs(%init : tensor<?x?x?xf64>) -> tensor<?x?x?xf64>
  return %z : tensor<?x?x?xf64>
}

// CHECK-LABEL: func @score_f64_f64_mixed_dynamic
// CHECK: inhibitor.manhattan_score ins(%{{.*}}, %{{.*}} : tensor<2x?x8xf64>, tensor<?x6x?xf64>) outs(%{{.*}} : tensor<?x4x6xf64>) -> tensor<?x4x6xf64>
func.func @score_f64_f64_mixed_dynamic(%q: tensor<2x?x8xf64>, %k: tensor<?x6x?xf64>,
                                       %init: tensor<?x4x6xf64>) -> tensor<?x4x6xf64> {
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<2x?x8xf64>, tensor<?x6x?xf64>)
         outs(%init : tensor<?x4x6xf64>) -> tensor<?x4x6xf64>
  return %z : tensor<?x4x6xf64>
}

//===----------------------------------------------------------------------===//
// inhibitor.inhibit
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func @inhibit_i16_i32
// CHECK-SAME: %[[V:[a-zA-Z0-9_]+]]: tensor<32x64xi16>, %[[Z:[a-zA-Z0-9_]+]]: tensor<16x32xi32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<16x64xi32>
// CHECK: %[[H:.*]] = inhibitor.inhibit ins(%[[V]], %[[Z]] : tensor<32x64xi16>, tensor<16x32xi32>) outs(%[[INIT]] : tensor<16x64xi32>) -> tensor<16x64xi32>
// CHECK: return %[[H]]
func.func @inhibit_i16_i32(%v: tensor<32x64xi16>, %z: tensor<16x32xi32>,
                           %init: tensor<16x64xi32>) -> tensor<16x64xi32> {
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x64xi16>, tensor<16x32xi32>)
         outs(%init : tensor<16x64xi32>) -> tensor<16x64xi32>
  return %h : tensor<16x64xi32>
}

// CHECK-LABEL: func @inhibit_signed_i8_i8
// CHECK: inhibitor.inhibit signed ins(%{{.*}}, %{{.*}} : tensor<2x32x8xi8>, tensor<2x16x32xi8>) outs(%{{.*}} : tensor<2x16x8xi8>) -> tensor<2x16x8xi8>
func.func @inhibit_signed_i8_i8(%v: tensor<2x32x8xi8>, %z: tensor<2x16x32xi8>,
                                %init: tensor<2x16x8xi8>) -> tensor<2x16x8xi8> {
  %h = inhibitor.inhibit signed ins(%v, %z : tensor<2x32x8xi8>, tensor<2x16x32xi8>)
         outs(%init : tensor<2x16x8xi8>) -> tensor<2x16x8xi8>
  return %h : tensor<2x16x8xi8>
}

// CHECK-LABEL: func @inhibit_signed_i32_i64_two_batch_dims
// CHECK: inhibitor.inhibit signed ins(%{{.*}}, %{{.*}} : tensor<2x4x32x8xi32>, tensor<2x4x16x32xi64>) outs(%{{.*}} : tensor<2x4x16x8xi64>) -> tensor<2x4x16x8xi64>
func.func @inhibit_signed_i32_i64_two_batch_dims(
    %v: tensor<2x4x32x8xi32>, %z: tensor<2x4x16x32xi64>,
    %init: tensor<2x4x16x8xi64>) -> tensor<2x4x16x8xi64> {
  %h = inhibitor.inhibit signed
         ins(%v, %z : tensor<2x4x32x8xi32>, tensor<2x4x16x32xi64>)
         outs(%init : tensor<2x4x16x8xi64>) -> tensor<2x4x16x8xi64>
  return %h : tensor<2x4x16x8xi64>
}

// CHECK-LABEL: func @inhibit_f16_bf16_f32
// CHECK: inhibitor.inhibit ins(%{{.*}}, %{{.*}} : tensor<32x8xf16>, tensor<16x32xbf16>) outs(%{{.*}} : tensor<16x8xf32>) -> tensor<16x8xf32>
func.func @inhibit_f16_bf16_f32(%v: tensor<32x8xf16>, %z: tensor<16x32xbf16>,
                                %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %h = inhibitor.inhibit ins(%v, %z : tensor<32x8xf16>, tensor<16x32xbf16>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// CHECK-LABEL: func @inhibit_signed_bf16_bf16
// CHECK: inhibitor.inhibit signed ins(%{{.*}}, %{{.*}} : tensor<32x8xbf16>, tensor<16x32xbf16>) outs(%{{.*}} : tensor<16x8xbf16>) -> tensor<16x8xbf16>
func.func @inhibit_signed_bf16_bf16(%v: tensor<32x8xbf16>, %z: tensor<16x32xbf16>,
                                    %init: tensor<16x8xbf16>) -> tensor<16x8xbf16> {
  %h = inhibitor.inhibit signed ins(%v, %z : tensor<32x8xbf16>, tensor<16x32xbf16>)
         outs(%init : tensor<16x8xbf16>) -> tensor<16x8xbf16>
  return %h : tensor<16x8xbf16>
}

// CHECK-LABEL: func @inhibit_f32_f64_dynamic
// CHECK: inhibitor.inhibit signed ins(%{{.*}}, %{{.*}} : tensor<?x?x?xf32>, tensor<?x?x?xf64>) outs(%{{.*}} : tensor<?x?x?xf64>) -> tensor<?x?x?xf64>
func.func @inhibit_f32_f64_dynamic(%v: tensor<?x?x?xf32>, %z: tensor<?x?x?xf64>,
                                   %init: tensor<?x?x?xf64>) -> tensor<?x?x?xf64> {
  %h = inhibitor.inhibit signed ins(%v, %z : tensor<?x?x?xf32>, tensor<?x?x?xf64>)
         outs(%init : tensor<?x?x?xf64>) -> tensor<?x?x?xf64>
  return %h : tensor<?x?x?xf64>
}

//===----------------------------------------------------------------------===//
// inhibitor.attention
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func @attention_i8_i32
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<16x64xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<32x64xi8>, %[[V:[a-zA-Z0-9_]+]]: tensor<32x8xi8>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<16x8xi32>
// CHECK: %[[H:.*]] = inhibitor.attention ins(%[[Q]], %[[K]], %[[V]] : tensor<16x64xi8>, tensor<32x64xi8>, tensor<32x8xi8>) outs(%[[INIT]] : tensor<16x8xi32>) -> tensor<16x8xi32>
// CHECK: return %[[H]]
func.func @attention_i8_i32(%q: tensor<16x64xi8>, %k: tensor<32x64xi8>,
                            %v: tensor<32x8xi8>, %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xi8>, tensor<32x64xi8>, tensor<32x8xi8>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}

// CHECK-LABEL: func @attention_signed_i16_i32_gamma_alpha
// CHECK: inhibitor.attention signed {alpha = 1 : i32, gamma = 8 : i32} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<2x16x64xi16>, tensor<2x32x64xi16>, tensor<2x32x8xi8>) outs(%{{.*}} : tensor<2x16x8xi32>) -> tensor<2x16x8xi32>
func.func @attention_signed_i16_i32_gamma_alpha(
    %q: tensor<2x16x64xi16>, %k: tensor<2x32x64xi16>, %v: tensor<2x32x8xi8>,
    %init: tensor<2x16x8xi32>) -> tensor<2x16x8xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32, alpha = 1 : i32}
         ins(%q, %k, %v : tensor<2x16x64xi16>, tensor<2x32x64xi16>, tensor<2x32x8xi8>)
         outs(%init : tensor<2x16x8xi32>) -> tensor<2x16x8xi32>
  return %h : tensor<2x16x8xi32>
}

// CHECK-LABEL: func @attention_causal_i64
// CHECK: inhibitor.attention causal {gamma = 2 : i64} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<2x4x16x8xi64>, tensor<2x4x16x8xi64>, tensor<2x4x16x8xi64>) outs(%{{.*}} : tensor<2x4x16x8xi64>) -> tensor<2x4x16x8xi64>
func.func @attention_causal_i64(%q: tensor<2x4x16x8xi64>, %k: tensor<2x4x16x8xi64>,
                                %v: tensor<2x4x16x8xi64>,
                                %init: tensor<2x4x16x8xi64>) -> tensor<2x4x16x8xi64> {
  %h = inhibitor.attention causal {gamma = 2 : i64}
         ins(%q, %k, %v : tensor<2x4x16x8xi64>, tensor<2x4x16x8xi64>, tensor<2x4x16x8xi64>)
         outs(%init : tensor<2x4x16x8xi64>) -> tensor<2x4x16x8xi64>
  return %h : tensor<2x4x16x8xi64>
}

// Prepared keys: K packed tile by tile ([b, ceil(M / T), D, T], 300 keys in
// tiles of 128: the last one padded), with a mask and a bias.
// CHECK-LABEL: func @attention_key_tiles
// CHECK-SAME: %[[KT:[a-zA-Z0-9_]+]]: tensor<8x3x64x128xi16>
// CHECK: inhibitor.attention causal signed {gamma = 8 : i32} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<8x32x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi16>) mask(%{{.*}} : tensor<32x300xi1>) bias(%{{.*}} : tensor<8x32x300xi32>) key_tiles(%[[KT]] : tensor<8x3x64x128xi16>) outs(%{{.*}} : tensor<8x32x64xi32>) -> tensor<8x32x64xi32>
func.func @attention_key_tiles(%q: tensor<8x32x64xi16>, %k: tensor<8x300x64xi16>,
                               %v: tensor<8x300x64xi16>, %m: tensor<32x300xi1>,
                               %b: tensor<8x32x300xi32>, %kt: tensor<8x3x64x128xi16>,
                               %init: tensor<8x32x64xi32>) -> tensor<8x32x64xi32> {
  %h = inhibitor.attention causal signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x32x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi16>)
         mask(%m : tensor<32x300xi1>) bias(%b : tensor<8x32x300xi32>)
         key_tiles(%kt : tensor<8x3x64x128xi16>)
         outs(%init : tensor<8x32x64xi32>) -> tensor<8x32x64xi32>
  return %h : tensor<8x32x64xi32>
}

// Dynamic sizes: the tile count and the batch follow K where known.
// CHECK-LABEL: func @attention_key_tiles_dynamic
// CHECK: key_tiles(%{{.*}} : tensor<?x?x64x16xi8>)
func.func @attention_key_tiles_dynamic(%q: tensor<?x?x64xi8>, %k: tensor<?x?x64xi8>,
                                       %v: tensor<?x?x8xi8>, %kt: tensor<?x?x64x16xi8>,
                                       %init: tensor<?x?x8xi32>) -> tensor<?x?x8xi32> {
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<?x?x64xi8>, tensor<?x?x64xi8>, tensor<?x?x8xi8>)
         key_tiles(%kt : tensor<?x?x64x16xi8>)
         outs(%init : tensor<?x?x8xi32>) -> tensor<?x?x8xi32>
  return %h : tensor<?x?x8xi32>
}

// Biased keys (i8 K xor 0x80, in K's shape), with key_tiles; dynamic
// sizes follow K.
// CHECK-LABEL: func @attention_biased_keys
// CHECK-SAME: %[[KT:[a-zA-Z0-9_]+]]: tensor<8x3x64x128xi8>, %[[KB:[a-zA-Z0-9_]+]]: tensor<8x300x64xi8>
// CHECK: inhibitor.attention signed {gamma = 8 : i32} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<8x32x64xi8>, tensor<8x300x64xi8>, tensor<8x300x64xi8>) key_tiles(%[[KT]] : tensor<8x3x64x128xi8>) biased_keys(%[[KB]] : tensor<8x300x64xi8>) outs(%{{.*}} : tensor<8x32x64xi32>) -> tensor<8x32x64xi32>
func.func @attention_biased_keys(%q: tensor<8x32x64xi8>, %k: tensor<8x300x64xi8>,
                                 %v: tensor<8x300x64xi8>, %kt: tensor<8x3x64x128xi8>,
                                 %kb: tensor<8x300x64xi8>,
                                 %init: tensor<8x32x64xi32>) -> tensor<8x32x64xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x32x64xi8>, tensor<8x300x64xi8>, tensor<8x300x64xi8>)
         key_tiles(%kt : tensor<8x3x64x128xi8>) biased_keys(%kb : tensor<8x300x64xi8>)
         outs(%init : tensor<8x32x64xi32>) -> tensor<8x32x64xi32>
  return %h : tensor<8x32x64xi32>
}

// CHECK-LABEL: func @attention_biased_keys_dynamic
// CHECK: biased_keys(%{{.*}} : tensor<8x?x64xi8>)
func.func @attention_biased_keys_dynamic(%q: tensor<8x?x64xi8>, %k: tensor<?x?x64xi8>,
                                         %v: tensor<?x?x64xi8>, %kb: tensor<8x?x64xi8>,
                                         %init: tensor<8x?x64xi16>) -> tensor<8x?x64xi16> {
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<8x?x64xi8>, tensor<?x?x64xi8>, tensor<?x?x64xi8>)
         biased_keys(%kb : tensor<8x?x64xi8>)
         outs(%init : tensor<8x?x64xi16>) -> tensor<8x?x64xi16>
  return %h : tensor<8x?x64xi16>
}

// The causal diagonal moved: pairs j <= i + d, with a mask and the prepared
// keys next to it (d = M - N aligns it bottom-right, a KV cache).
// CHECK-LABEL: func @attention_causal_offset
// CHECK-SAME: %[[D:[a-zA-Z0-9_]+]]: index
// CHECK: inhibitor.attention causal signed {gamma = 8 : i32} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<8x4x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi16>) mask(%{{.*}} : tensor<4x300xi1>) key_tiles(%{{.*}} : tensor<8x3x64x128xi16>) causal_offset(%[[D]]) outs(%{{.*}} : tensor<8x4x64xi32>) -> tensor<8x4x64xi32>
func.func @attention_causal_offset(%q: tensor<8x4x64xi16>, %k: tensor<8x300x64xi16>,
                                   %v: tensor<8x300x64xi16>, %m: tensor<4x300xi1>,
                                   %kt: tensor<8x3x64x128xi16>, %d: index,
                                   %init: tensor<8x4x64xi32>) -> tensor<8x4x64xi32> {
  %h = inhibitor.attention causal signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x4x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi16>)
         mask(%m : tensor<4x300xi1>) key_tiles(%kt : tensor<8x3x64x128xi16>)
         causal_offset(%d)
         outs(%init : tensor<8x4x64xi32>) -> tensor<8x4x64xi32>
  return %h : tensor<8x4x64xi32>
}

// The promise of 16-bit partial sums over up to 128 keys.
// CHECK-LABEL: func @attention_narrow_sums
// CHECK: inhibitor.attention signed {gamma = 8 : i32, narrow_sums = 128 : i64} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<8x32x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi8>) outs(%{{.*}} : tensor<8x32x64xi32>) -> tensor<8x32x64xi32>
func.func @attention_narrow_sums(%q: tensor<8x32x64xi16>, %k: tensor<8x300x64xi16>,
                                 %v: tensor<8x300x64xi8>,
                                 %init: tensor<8x32x64xi32>) -> tensor<8x32x64xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32, narrow_sums = 128 : i64}
         ins(%q, %k, %v : tensor<8x32x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi8>)
         outs(%init : tensor<8x32x64xi32>) -> tensor<8x32x64xi32>
  return %h : tensor<8x32x64xi32>
}

// The promise that no q - k wraps.
// CHECK-LABEL: func @attention_exact_differences
// CHECK: inhibitor.attention signed {exact_differences, gamma = 8 : i16} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<8x32x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi16>) outs(%{{.*}} : tensor<8x32x64xi16>) -> tensor<8x32x64xi16>
func.func @attention_exact_differences(%q: tensor<8x32x64xi16>, %k: tensor<8x300x64xi16>,
                                       %v: tensor<8x300x64xi16>,
                                       %init: tensor<8x32x64xi16>) -> tensor<8x32x64xi16> {
  %h = inhibitor.attention signed {gamma = 8 : i16, exact_differences}
         ins(%q, %k, %v : tensor<8x32x64xi16>, tensor<8x300x64xi16>, tensor<8x300x64xi16>)
         outs(%init : tensor<8x32x64xi16>) -> tensor<8x32x64xi16>
  return %h : tensor<8x32x64xi16>
}

// CHECK-LABEL: func @attention_causal_signed_f16_f32
// CHECK: inhibitor.attention causal signed {alpha = 5.000000e-01 : f32, gamma = 8.000000e+00 : f32} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<8x128x64xf16>, tensor<8x128x64xf16>, tensor<8x128x64xbf16>) outs(%{{.*}} : tensor<8x128x64xf32>) -> tensor<8x128x64xf32>
func.func @attention_causal_signed_f16_f32(
    %q: tensor<8x128x64xf16>, %k: tensor<8x128x64xf16>, %v: tensor<8x128x64xbf16>,
    %init: tensor<8x128x64xf32>) -> tensor<8x128x64xf32> {
  %h = inhibitor.attention causal signed {gamma = 8.0 : f32, alpha = 0.5 : f32}
         ins(%q, %k, %v : tensor<8x128x64xf16>, tensor<8x128x64xf16>, tensor<8x128x64xbf16>)
         outs(%init : tensor<8x128x64xf32>) -> tensor<8x128x64xf32>
  return %h : tensor<8x128x64xf32>
}

// A mask of the full score shape [b, N, M].
// CHECK-LABEL: func @attention_mask_full
// CHECK-SAME: %[[M:[a-zA-Z0-9_]+]]: tensor<2x16x32xi1>
// CHECK: inhibitor.attention signed {alpha = 2.500000e-01 : f64} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<2x16x64xf64>, tensor<2x32x64xf64>, tensor<2x32x8xf64>) mask(%[[M]] : tensor<2x16x32xi1>) outs(%{{.*}} : tensor<2x16x8xf64>) -> tensor<2x16x8xf64>
func.func @attention_mask_full(%q: tensor<2x16x64xf64>, %k: tensor<2x32x64xf64>,
                               %v: tensor<2x32x8xf64>, %m: tensor<2x16x32xi1>,
                               %init: tensor<2x16x8xf64>) -> tensor<2x16x8xf64> {
  %h = inhibitor.attention signed {alpha = 0.25 : f64}
         ins(%q, %k, %v : tensor<2x16x64xf64>, tensor<2x32x64xf64>, tensor<2x32x8xf64>)
         mask(%m : tensor<2x16x32xi1>)
         outs(%init : tensor<2x16x8xf64>) -> tensor<2x16x8xf64>
  return %h : tensor<2x16x8xf64>
}

// A lower-rank mask broadcasts over the batch dims.
// CHECK-LABEL: func @attention_mask_lower_rank_causal
// CHECK: inhibitor.attention causal signed {gamma = 8 : i32} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<8x128x64xi16>, tensor<8x128x64xi16>, tensor<8x128x64xi16>) mask(%{{.*}} : tensor<128x128xi1>) outs(%{{.*}} : tensor<8x128x64xi32>) -> tensor<8x128x64xi32>
func.func @attention_mask_lower_rank_causal(
    %q: tensor<8x128x64xi16>, %k: tensor<8x128x64xi16>, %v: tensor<8x128x64xi16>,
    %m: tensor<128x128xi1>, %init: tensor<8x128x64xi32>) -> tensor<8x128x64xi32> {
  %h = inhibitor.attention causal signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<8x128x64xi16>, tensor<8x128x64xi16>, tensor<8x128x64xi16>)
         mask(%m : tensor<128x128xi1>)
         outs(%init : tensor<8x128x64xi32>) -> tensor<8x128x64xi32>
  return %h : tensor<8x128x64xi32>
}

// Size-1 mask dims broadcast: one key mask per batch, shared by all queries.
// CHECK-LABEL: func @attention_mask_size_one_dims
// CHECK: inhibitor.attention ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<2x4x16x64xf32>, tensor<2x4x32x64xf32>, tensor<2x4x32x8xf32>) mask(%{{.*}} : tensor<2x1x1x32xi1>) outs(%{{.*}} : tensor<2x4x16x8xf32>) -> tensor<2x4x16x8xf32>
func.func @attention_mask_size_one_dims(
    %q: tensor<2x4x16x64xf32>, %k: tensor<2x4x32x64xf32>, %v: tensor<2x4x32x8xf32>,
    %m: tensor<2x1x1x32xi1>, %init: tensor<2x4x16x8xf32>) -> tensor<2x4x16x8xf32> {
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<2x4x16x64xf32>, tensor<2x4x32x64xf32>, tensor<2x4x32x8xf32>)
         mask(%m : tensor<2x1x1x32xi1>)
         outs(%init : tensor<2x4x16x8xf32>) -> tensor<2x4x16x8xf32>
  return %h : tensor<2x4x16x8xf32>
}

// A rank-1 mask over the keys.
// CHECK-LABEL: func @attention_mask_rank_one
// CHECK: inhibitor.attention ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<16x64xbf16>, tensor<32x64xbf16>, tensor<32x8xbf16>) mask(%{{.*}} : tensor<32xi1>) outs(%{{.*}} : tensor<16x8xf32>) -> tensor<16x8xf32>
func.func @attention_mask_rank_one(%q: tensor<16x64xbf16>, %k: tensor<32x64xbf16>,
                                   %v: tensor<32x8xbf16>, %m: tensor<32xi1>,
                                   %init: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<16x64xbf16>, tensor<32x64xbf16>, tensor<32x8xbf16>)
         mask(%m : tensor<32xi1>)
         outs(%init : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// Every dim dynamic, the mask included.
// CHECK-LABEL: func @attention_dynamic
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<?x?x?xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<?x?x?xi8>, %[[V:[a-zA-Z0-9_]+]]: tensor<?x?x?xi8>, %[[M:[a-zA-Z0-9_]+]]: tensor<?x?xi1>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x?x?xi16>
// CHECK: %[[H:.*]] = inhibitor.attention causal ins(%[[Q]], %[[K]], %[[V]] : tensor<?x?x?xi8>, tensor<?x?x?xi8>, tensor<?x?x?xi8>) mask(%[[M]] : tensor<?x?xi1>) outs(%[[INIT]] : tensor<?x?x?xi16>) -> tensor<?x?x?xi16>
// CHECK: return %[[H]]
func.func @attention_dynamic(%q: tensor<?x?x?xi8>, %k: tensor<?x?x?xi8>,
                             %v: tensor<?x?x?xi8>, %m: tensor<?x?xi1>,
                             %init: tensor<?x?x?xi16>) -> tensor<?x?x?xi16> {
  %h = inhibitor.attention causal
         ins(%q, %k, %v : tensor<?x?x?xi8>, tensor<?x?x?xi8>, tensor<?x?x?xi8>)
         mask(%m : tensor<?x?xi1>)
         outs(%init : tensor<?x?x?xi16>) -> tensor<?x?x?xi16>
  return %h : tensor<?x?x?xi16>
}

// Static and dynamic dims mixed across operands.
// CHECK-LABEL: func @attention_mixed_dynamic
// CHECK: inhibitor.attention {alpha = 3 : i64, gamma = 16 : i64} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<?x16x?xi32>, tensor<4x?x64xi32>, tensor<?x32x?xi32>) outs(%{{.*}} : tensor<4x?x8xi64>) -> tensor<4x?x8xi64>
func.func @attention_mixed_dynamic(%q: tensor<?x16x?xi32>, %k: tensor<4x?x64xi32>,
                                   %v: tensor<?x32x?xi32>,
                                   %init: tensor<4x?x8xi64>) -> tensor<4x?x8xi64> {
  %h = inhibitor.attention {gamma = 16 : i64, alpha = 3 : i64}
         ins(%q, %k, %v : tensor<?x16x?xi32>, tensor<4x?x64xi32>, tensor<?x32x?xi32>)
         outs(%init : tensor<4x?x8xi64>) -> tensor<4x?x8xi64>
  return %h : tensor<4x?x8xi64>
}

//===----------------------------------------------------------------------===//
// Additive bias and grouped heads
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func @score_bias
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x16x64xf32>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x32x64xf32>, %[[B:[a-zA-Z0-9_]+]]: tensor<1x32xf32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<2x16x32xf32>
// CHECK: %[[Z:.*]] = inhibitor.manhattan_score {gamma = 8.000000e+00 : f32} ins(%[[Q]], %[[K]] : tensor<2x16x64xf32>, tensor<2x32x64xf32>) bias(%[[B]] : tensor<1x32xf32>) outs(%[[INIT]] : tensor<2x16x32xf32>) -> tensor<2x16x32xf32>
// CHECK: return %[[Z]]
func.func @score_bias(%q: tensor<2x16x64xf32>, %k: tensor<2x32x64xf32>, %b: tensor<1x32xf32>,
                      %init: tensor<2x16x32xf32>) -> tensor<2x16x32xf32> {
  %z = inhibitor.manhattan_score {gamma = 8.0 : f32}
         ins(%q, %k : tensor<2x16x64xf32>, tensor<2x32x64xf32>)
         bias(%b : tensor<1x32xf32>)
         outs(%init : tensor<2x16x32xf32>) -> tensor<2x16x32xf32>
  return %z : tensor<2x16x32xf32>
}

// 8 query heads, 2 key heads (g = 4).
// CHECK-LABEL: func @score_grouped
// CHECK: inhibitor.manhattan_score ins(%{{.*}}, %{{.*}} : tensor<3x8x5x7xi8>, tensor<3x2x9x7xi8>) outs(%{{.*}} : tensor<3x8x5x9xi16>) -> tensor<3x8x5x9xi16>
func.func @score_grouped(%q: tensor<3x8x5x7xi8>, %k: tensor<3x2x9x7xi8>,
                         %init: tensor<3x8x5x9xi16>) -> tensor<3x8x5x9xi16> {
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<3x8x5x7xi8>, tensor<3x2x9x7xi8>)
         outs(%init : tensor<3x8x5x9xi16>) -> tensor<3x8x5x9xi16>
  return %z : tensor<3x8x5x9xi16>
}

// CHECK-LABEL: func @inhibit_grouped
// CHECK: inhibitor.inhibit signed ins(%{{.*}}, %{{.*}} : tensor<2x32x8xi16>, tensor<6x16x32xi32>) outs(%{{.*}} : tensor<6x16x8xi32>) -> tensor<6x16x8xi32>
func.func @inhibit_grouped(%v: tensor<2x32x8xi16>, %z: tensor<6x16x32xi32>,
                           %init: tensor<6x16x8xi32>) -> tensor<6x16x8xi32> {
  %h = inhibitor.inhibit signed ins(%v, %z : tensor<2x32x8xi16>, tensor<6x16x32xi32>)
         outs(%init : tensor<6x16x8xi32>) -> tensor<6x16x8xi32>
  return %h : tensor<6x16x8xi32>
}

// Everything at once: causal, signed, mask, bias, grouped heads.
// CHECK-LABEL: func @attention_mask_bias_grouped
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x8x16x64xi8>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x2x16x64xi8>, %[[V:[a-zA-Z0-9_]+]]: tensor<2x2x16x64xi16>, %[[M:[a-zA-Z0-9_]+]]: tensor<16x16xi1>, %[[B:[a-zA-Z0-9_]+]]: tensor<2x8x16x16xi32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<2x8x16x64xi32>
// CHECK: %[[H:.*]] = inhibitor.attention causal signed {gamma = 8 : i32} ins(%[[Q]], %[[K]], %[[V]] : tensor<2x8x16x64xi8>, tensor<2x2x16x64xi8>, tensor<2x2x16x64xi16>) mask(%[[M]] : tensor<16x16xi1>) bias(%[[B]] : tensor<2x8x16x16xi32>) outs(%[[INIT]] : tensor<2x8x16x64xi32>) -> tensor<2x8x16x64xi32>
// CHECK: return %[[H]]
func.func @attention_mask_bias_grouped(%q: tensor<2x8x16x64xi8>, %k: tensor<2x2x16x64xi8>,
                                       %v: tensor<2x2x16x64xi16>, %m: tensor<16x16xi1>,
                                       %b: tensor<2x8x16x16xi32>,
                                       %init: tensor<2x8x16x64xi32>) -> tensor<2x8x16x64xi32> {
  %h = inhibitor.attention causal signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<2x8x16x64xi8>, tensor<2x2x16x64xi8>, tensor<2x2x16x64xi16>)
         mask(%m : tensor<16x16xi1>)
         bias(%b : tensor<2x8x16x16xi32>)
         outs(%init : tensor<2x8x16x64xi32>) -> tensor<2x8x16x64xi32>
  return %h : tensor<2x8x16x64xi32>
}

// A bias without a mask.
// CHECK-LABEL: func @attention_bias
// CHECK: inhibitor.attention ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<5x3xbf16>, tensor<7x3xbf16>, tensor<7x2xbf16>) bias(%{{.*}} : tensor<5x1xf32>) outs(%{{.*}} : tensor<5x2xf32>) -> tensor<5x2xf32>
func.func @attention_bias(%q: tensor<5x3xbf16>, %k: tensor<7x3xbf16>, %v: tensor<7x2xbf16>,
                          %b: tensor<5x1xf32>, %init: tensor<5x2xf32>) -> tensor<5x2xf32> {
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<5x3xbf16>, tensor<7x3xbf16>, tensor<7x2xbf16>)
         bias(%b : tensor<5x1xf32>)
         outs(%init : tensor<5x2xf32>) -> tensor<5x2xf32>
  return %h : tensor<5x2xf32>
}

// Multi-query: one key/value head for a dynamic number of query heads;
// dynamic batch and sizes elsewhere.
// CHECK-LABEL: func @attention_mqa_dynamic
// CHECK: inhibitor.attention ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<?x?x?x16xf16>, tensor<?x1x?x16xf16>, tensor<?x1x?x?xf16>) bias(%{{.*}} : tensor<?x?xf32>) outs(%{{.*}} : tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
func.func @attention_mqa_dynamic(%q: tensor<?x?x?x16xf16>, %k: tensor<?x1x?x16xf16>,
                                 %v: tensor<?x1x?x?xf16>, %b: tensor<?x?xf32>,
                                 %init: tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32> {
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<?x?x?x16xf16>, tensor<?x1x?x16xf16>, tensor<?x1x?x?xf16>)
         bias(%b : tensor<?x?xf32>)
         outs(%init : tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
  return %h : tensor<?x?x?x?xf32>
}
