// RUN: inhibitor-opt %s -inhibitor-quantize -split-input-file -verify-diagnostics
// RUN: not inhibitor-opt %s -inhibitor-quantize="bits=4" 2>&1 | FileCheck %s --check-prefix=BITS
// RUN: not inhibitor-opt %s -inhibitor-quantize="rounding=up" 2>&1 | FileCheck %s --check-prefix=ROUNDING
// RUN: not inhibitor-opt %s -inhibitor-quantize="acc-bits=24" 2>&1 | FileCheck %s --check-prefix=ACC
// RUN: not inhibitor-opt %s -inhibitor-quantize="bits=16 acc-bits=8" 2>&1 | FileCheck %s --check-prefix=ACC
// RUN: not inhibitor-opt %s -inhibitor-quantize="scale=-1.0" 2>&1 | FileCheck %s --check-prefix=SCALE

// BITS: --inhibitor-quantize: bits must be 8 or 16, got 4
// ROUNDING: --inhibitor-quantize: rounding must be 'nearest', 'nearest-away', 'floor' or 'toward-zero', got 'up'
// ACC: --inhibitor-quantize: acc-bits must be
// SCALE: --inhibitor-quantize: scale and qk-scale must be positive finite numbers

func.func @no_scale(%q: tensor<4x8xf32>, %v: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %init = tensor.empty() : tensor<4x2xf32>
  // expected-error @+1 {{'inhibitor.attention' op has no quantization scale: set the 'inhibitor.quant_scale' attribute (a calibration) or the pass option 'scale'}}
  %h = inhibitor.attention ins(%q, %q, %v : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x2xf32>)
         outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %h : tensor<4x2xf32>
}

// -----

func.func @bad_scale(%q: tensor<4x8xf32>, %v: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %init = tensor.empty() : tensor<4x2xf32>
  // expected-error @+1 {{'inhibitor.quant_scale' must be a positive finite float, got -5.000000e-01 : f64}}
  %h = inhibitor.attention {inhibitor.quant_scale = -0.5 : f64}
         ins(%q, %q, %v : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x2xf32>)
         outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %h : tensor<4x2xf32>
}

// -----

func.func @scale_not_a_float(%q: tensor<4x8xf32>, %v: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %init = tensor.empty() : tensor<4x2xf32>
  // expected-error @+1 {{'inhibitor.quant_qk_scale' must be a positive finite float, got 1 : i32}}
  %h = inhibitor.attention {inhibitor.quant_scale = 0.5 : f64, inhibitor.quant_qk_scale = 1 : i32}
         ins(%q, %q, %v : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x2xf32>)
         outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %h : tensor<4x2xf32>
}

// -----

// gamma * s / qk-scale = 0.2 < 1: g = 1 and Q, K get the finer step
// gamma * s, which saturates beyond 127 * 0.1.
func.func @qk_step_too_fine(%q: tensor<4x8xf32>, %v: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %init = tensor.empty() : tensor<4x2xf32>
  // expected-warning @+1 {{gamma * scale / qk-scale = 0.2 < 1: Q and K are quantized in steps of gamma * scale = 0.1, finer than qk-scale, and saturate beyond 12.7; a scale of at least qk-scale / gamma avoids it}}
  %h = inhibitor.attention {inhibitor.quant_scale = 0.1 : f64, inhibitor.quant_qk_scale = 0.5 : f64}
         ins(%q, %q, %v : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x2xf32>)
         outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %h : tensor<4x2xf32>
}

// -----

// i16 data: 2 * 32767 * 4096 overflows i32; i64 is chosen (no error).
func.func @wide_d(%q: tensor<2x4096xf32>, %v: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %init = tensor.empty() : tensor<2x2xf32>
  %h = inhibitor.attention {inhibitor.quant_scale = 0.5 : f64}
         ins(%q, %q, %v : tensor<2x4096xf32>, tensor<2x4096xf32>, tensor<2x2xf32>)
         outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %h : tensor<2x2xf32>
}
