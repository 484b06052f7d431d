// RUN: inhibitor-opt %s -inhibitor-check-overflow -split-input-file -verify-diagnostics -o /dev/null
// RUN: not inhibitor-opt %s -inhibitor-check-overflow=fail=true -split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=FAIL

// --inhibitor-check-overflow: each intermediate that can overflow its
// accumulator, at the op's location, with its proven range and the
// narrowest width that holds it (warnings; errors with fail=true).

// i8 x D = 64 in an i32 accumulator: safe, and i16 would do.
func.func @safe_score(%q: tensor<4x64xi8>, %k: tensor<6x64xi8>) -> tensor<4x6xi32> {
  %init = tensor.empty() : tensor<4x6xi32>
  // expected-remark@+1 {{no intermediate can overflow the i32 accumulator; result in [0, 16320]; narrowest accumulator: i16}}
  %z = inhibitor.manhattan_score
         ins(%q, %k : tensor<4x64xi8>, tensor<6x64xi8>)
         outs(%init : tensor<4x6xi32>) -> tensor<4x6xi32>
  return %z : tensor<4x6xi32>
}

// -----

// The same in an i16 accumulator: still exact, i16 is the narrowest.
func.func @safe_score_i16(%q: tensor<4x64xi8>, %k: tensor<6x64xi8>) -> tensor<4x6xi16> {
  %init = tensor.empty() : tensor<4x6xi16>
  // expected-remark@+1 {{no intermediate can overflow the i16 accumulator; result in [0, 16320]; narrowest accumulator: i16}}
  %z = inhibitor.manhattan_score
         ins(%q, %k : tensor<4x64xi8>, tensor<6x64xi8>)
         outs(%init : tensor<4x6xi16>) -> tensor<4x6xi16>
  return %z : tensor<4x6xi16>
}

// -----

// i8 data in an i8 accumulator (the old Python default): the difference
// already wraps.
// FAIL-NOT: error:
// FAIL: check-overflow.mlir:[[@LINE+9]]:{{[0-9]+}}: error: 'q - k' can overflow the i8 accumulator: its values lie in [-255, 255], which needs 9 bits (narrowest accumulator: i16)
func.func @overflowing_score(%q: tensor<4x64xi8>, %k: tensor<6x64xi8>) -> tensor<4x6xi8> {
  %init = tensor.empty() : tensor<4x6xi8>
  // expected-warning@+6 {{'q - k' can overflow the i8 accumulator: its values lie in [-255, 255], which needs 9 bits (narrowest accumulator: i16)}}
  // expected-warning@+5 {{'|q - k|' can overflow the i8 accumulator: its values lie in [0, 255], which needs 9 bits (narrowest accumulator: i16)}}
  // expected-warning@+4 {{'sum over D' can overflow the i8 accumulator: its values lie in [0, 16320], which needs 15 bits (narrowest accumulator: i16)}}
  // expected-warning@+3 {{'/ gamma' can overflow the i8 accumulator: its values lie in [0, 16320]}}
  // expected-warning@+2 {{'- alpha' can overflow the i8 accumulator: its values lie in [0, 16320]}}
  // expected-remark@+1 {{an i16 accumulator holds every intermediate}}
  %z = inhibitor.manhattan_score
         ins(%q, %k : tensor<4x64xi8>, tensor<6x64xi8>)
         outs(%init : tensor<4x6xi8>) -> tensor<4x6xi8>
  return %z : tensor<4x6xi8>
}

// -----

// Attention over M = 256 keys of i8 data, D = 64, signed: partial sums in
// [-32768, 32512] fit i16 exactly; one key more needs i32.
func.func @attention_256_keys(%q: tensor<8x64xi8>, %k: tensor<256x64xi8>,
                              %v: tensor<256x16xi8>) -> tensor<8x16xi16> {
  %init = tensor.empty() : tensor<8x16xi16>
  // expected-remark@+1 {{no intermediate can overflow the i16 accumulator; result in [-32768, 32512]; narrowest accumulator: i16}}
  %h = inhibitor.attention signed
         ins(%q, %k, %v : tensor<8x64xi8>, tensor<256x64xi8>, tensor<256x16xi8>)
         outs(%init : tensor<8x16xi16>) -> tensor<8x16xi16>
  return %h : tensor<8x16xi16>
}

// -----

func.func @attention_257_keys(%q: tensor<8x64xi8>, %k: tensor<257x64xi8>,
                              %v: tensor<257x16xi8>) -> tensor<8x16xi16> {
  %init = tensor.empty() : tensor<8x16xi16>
  // expected-warning@+2 {{'inhibit: partial sums over M' can overflow the i16 accumulator: its values lie in [-32896, 32639], which needs 17 bits (narrowest accumulator: i32)}}
  // expected-remark@+1 {{an i32 accumulator holds every intermediate}}
  %h = inhibitor.attention signed
         ins(%q, %k, %v : tensor<8x64xi8>, tensor<257x64xi8>, tensor<257x16xi8>)
         outs(%init : tensor<8x16xi16>) -> tensor<8x16xi16>
  return %h : tensor<8x16xi16>
}

// -----

// Causal: row i sums i + 1 keys, so N = 8 queries sum at most 8 of the 257.
func.func @attention_causal(%q: tensor<8x64xi8>, %k: tensor<257x64xi8>,
                            %v: tensor<257x16xi8>) -> tensor<8x16xi16> {
  %init = tensor.empty() : tensor<8x16xi16>
  // expected-remark@+1 {{no intermediate can overflow the i16 accumulator; result in [-1024, 1016]; narrowest accumulator: i16}}
  %h = inhibitor.attention causal signed
         ins(%q, %k, %v : tensor<8x64xi8>, tensor<257x64xi8>, tensor<257x16xi8>)
         outs(%init : tensor<8x16xi16>) -> tensor<8x16xi16>
  return %h : tensor<8x16xi16>
}

// -----

// A dynamic M has no bound: said so.
func.func @dynamic_keys(%v: tensor<?x16xi8>, %z: tensor<8x?xi8>) -> tensor<8x16xi16> {
  %init = tensor.empty() : tensor<8x16xi16>
  // expected-warning@+1 {{'partial sums over M' has no bound (M is dynamic; give max-dim to bound it): it can overflow the i16 accumulator}}
  %h = inhibitor.inhibit
         ins(%v, %z : tensor<?x16xi8>, tensor<8x?xi8>)
         outs(%init : tensor<8x16xi16>) -> tensor<8x16xi16>
  return %h : tensor<8x16xi16>
}

// -----

// The unsigned inhibition of wide V by a wide Z: v - z can leave i16.
func.func @wide_difference(%v: tensor<4x16xi16>, %z: tensor<8x4xi16>) -> tensor<8x16xi16> {
  %init = tensor.empty() : tensor<8x16xi16>
  // expected-warning@+4 {{'v - z' can overflow the i16 accumulator: its values lie in [-65535, 65535], which needs 17 bits (narrowest accumulator: i32)}}
  // expected-warning@+3 {{'term' can overflow the i16 accumulator: its values lie in [0, 65535], which needs 17 bits (narrowest accumulator: i32)}}
  // expected-warning@+2 {{'partial sums over M' can overflow the i16 accumulator: its values lie in [0, 262140], which needs 19 bits (narrowest accumulator: i32)}}
  // expected-remark@+1 {{an i32 accumulator holds every intermediate}}
  %h = inhibitor.inhibit
         ins(%v, %z : tensor<4x16xi16>, tensor<8x4xi16>)
         outs(%init : tensor<8x16xi16>) -> tensor<8x16xi16>
  return %h : tensor<8x16xi16>
}

// -----

// i64 inputs: no accumulator holds |q - k|.
func.func @no_accumulator(%q: tensor<2x4xi64>, %k: tensor<3x4xi64>) -> tensor<2x3xi64> {
  %init = tensor.empty() : tensor<2x3xi64>
  // expected-warning@+5 {{'q - k' can overflow the i64 accumulator: its values lie in [-18446744073709551615, 18446744073709551615], which needs 65 bits (narrowest accumulator: none: more than 64 bits)}}
  // expected-warning@+4 {{'|q - k|' can overflow the i64 accumulator}}
  // expected-warning@+3 {{'sum over D' can overflow the i64 accumulator}}
  // expected-warning@+2 {{'/ gamma' can overflow the i64 accumulator}}
  // expected-warning@+1 {{'- alpha' can overflow the i64 accumulator}}
  %z = inhibitor.manhattan_score
         ins(%q, %k : tensor<2x4xi64>, tensor<3x4xi64>)
         outs(%init : tensor<2x3xi64>) -> tensor<2x3xi64>
  return %z : tensor<2x3xi64>
}

// -----

// A bias that takes every i32 value: the score minus it can leave i32.
func.func @bias_overflow(%q: tensor<4x64xi8>, %k: tensor<6x64xi8>,
                         %b: tensor<4x6xi32>) -> tensor<4x6xi32> {
  %init = tensor.empty() : tensor<4x6xi32>
  // expected-warning@+2 {{'- bias' can overflow the i32 accumulator: its values lie in [-2147483647, 2147499968], which needs 33 bits (narrowest accumulator: i64)}}
  // expected-remark@+1 {{an i64 accumulator holds every intermediate}}
  %z = inhibitor.manhattan_score
         ins(%q, %k : tensor<4x64xi8>, tensor<6x64xi8>)
         bias(%b : tensor<4x6xi32>)
         outs(%init : tensor<4x6xi32>) -> tensor<4x6xi32>
  return %z : tensor<4x6xi32>
}
