// RUN: inhibitor-opt %s -inhibitor-quantize="acc-bits=16" -split-input-file -verify-diagnostics
// RUN: inhibitor-opt %s -inhibitor-quantize="bits=16" -split-input-file | FileCheck %s

// An explicit accumulator that the static sizes prove too narrow is an
// error; acc-bits=0 (the default) picks a wide enough one.

// D = 130: the score's sum reaches 2 * 127 * 130 = 33020, Z as much (g = 1),
// and the inhibition's V - Z reaches 127 + 33020 = 33147 > 32767.
// CHECK-LABEL: func @sum_overflows_i16
// CHECK: inhibitor.attention {gamma = 1 : i32
func.func @sum_overflows_i16(%q: tensor<2x130xf32>, %v: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %init = tensor.empty() : tensor<2x2xf32>
  // expected-error @+1 {{'inhibitor.attention' op acc-bits=16 can overflow: quantized intermediates reach 33147; use acc-bits >= 32 (or acc-bits=0 to choose)}}
  %h = inhibitor.attention {inhibitor.quant_scale = 0.5 : f64}
         ins(%q, %q, %v : tensor<2x130xf32>, tensor<2x130xf32>, tensor<2x2xf32>)
         outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %h : tensor<2x2xf32>
}

// -----

// M = 300 keys: H reaches 300 * 127 = 38100.
// CHECK-LABEL: func @h_overflows_i16
// CHECK: inhibitor.attention {gamma = 1 : i32
func.func @h_overflows_i16(%q: tensor<2x4xf32>, %k: tensor<300x4xf32>, %v: tensor<300x2xf32>) -> tensor<2x2xf32> {
  %init = tensor.empty() : tensor<2x2xf32>
  // expected-error @+1 {{'inhibitor.attention' op acc-bits=16 can overflow: quantized intermediates reach 38100; use acc-bits >= 32 (or acc-bits=0 to choose)}}
  %h = inhibitor.attention {inhibitor.quant_scale = 0.5 : f64}
         ins(%q, %k, %v : tensor<2x4xf32>, tensor<300x4xf32>, tensor<300x2xf32>)
         outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %h : tensor<2x2xf32>
}
