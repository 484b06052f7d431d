// RUN: inhibitor-opt %s --inhibitor-approximate-filter -split-input-file -verify-diagnostics

// Thresholds of the wrong kind for an integer accumulator.
func.func @float_thresholds_int_acc(%q: tensor<4x8xi8>, %k: tensor<4x8xi8>, %v: tensor<4x4xi8>) -> tensor<4x4xi32> {
  %init = tensor.empty() : tensor<4x4xi32>
  // expected-error @below {{'inhibitor.approx_thresholds' must be array<i64: ...> for the integer accumulator i32, got array<f64: 1.000000e+00>}}
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<f64: 1.0>}
         ins(%q, %k, %v : tensor<4x8xi8>, tensor<4x8xi8>, tensor<4x4xi8>)
         outs(%init : tensor<4x4xi32>) -> tensor<4x4xi32>
  return %h : tensor<4x4xi32>
}

// -----

// ... and for a float accumulator.
func.func @int_thresholds_float_acc(%q: tensor<4x8xf32>, %k: tensor<4x8xf32>, %v: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %init = tensor.empty() : tensor<4x4xf32>
  // expected-error @below {{'inhibitor.approx_thresholds' must be array<f64: ...> for the float accumulator f32, got array<i64: 1>}}
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<i64: 1>}
         ins(%q, %k, %v : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x4xf32>)
         outs(%init : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %h : tensor<4x4xf32>
}

// -----

// Not an array at all.
func.func @not_an_array(%q: tensor<4x8xi8>, %k: tensor<4x8xi8>, %v: tensor<4x4xi8>) -> tensor<4x4xi32> {
  %init = tensor.empty() : tensor<4x4xi32>
  // expected-error @below {{'inhibitor.approx_thresholds' must be array<i64: ...> for the integer accumulator i32, got 5 : i64}}
  %h = inhibitor.attention {inhibitor.approx_thresholds = 5}
         ins(%q, %k, %v : tensor<4x8xi8>, tensor<4x8xi8>, tensor<4x4xi8>)
         outs(%init : tensor<4x4xi32>) -> tensor<4x4xi32>
  return %h : tensor<4x4xi32>
}

// -----

// Wrong number of thresholds: 3 for 2 heads.
func.func @wrong_count(%q: tensor<2x4x8xi8>, %k: tensor<2x4x8xi8>, %v: tensor<2x4x4xi8>) -> tensor<2x4x4xi32> {
  %init = tensor.empty() : tensor<2x4x4xi32>
  // expected-error @below {{has 3 thresholds in 'inhibitor.approx_thresholds'; expected 1 (all heads) or one per head of batch dim 0 (2)}}
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<i64: 1, 2, 3>}
         ins(%q, %k, %v : tensor<2x4x8xi8>, tensor<2x4x8xi8>, tensor<2x4x4xi8>)
         outs(%init : tensor<2x4x4xi32>) -> tensor<2x4x4xi32>
  return %h : tensor<2x4x4xi32>
}

// -----

// None at all.
func.func @empty(%q: tensor<2x4x8xi8>, %k: tensor<2x4x8xi8>, %v: tensor<2x4x4xi8>) -> tensor<2x4x4xi32> {
  %init = tensor.empty() : tensor<2x4x4xi32>
  // expected-error @below {{has 0 thresholds in 'inhibitor.approx_thresholds'; expected 1 (all heads) or one per head of batch dim 0 (2)}}
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<i64>}
         ins(%q, %k, %v : tensor<2x4x8xi8>, tensor<2x4x8xi8>, tensor<2x4x4xi8>)
         outs(%init : tensor<2x4x4xi32>) -> tensor<2x4x4xi32>
  return %h : tensor<2x4x4xi32>
}

// -----

// Per-head thresholds without batch dims.
func.func @no_batch(%q: tensor<4x8xi8>, %k: tensor<4x8xi8>, %v: tensor<4x4xi8>) -> tensor<4x4xi32> {
  %init = tensor.empty() : tensor<4x4xi32>
  // expected-error @below {{has 2 thresholds in 'inhibitor.approx_thresholds'; expected 1 (all heads) or one per head of batch dim 0 (none: the op has no batch dims)}}
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<i64: 1, 2>}
         ins(%q, %k, %v : tensor<4x8xi8>, tensor<4x8xi8>, tensor<4x4xi8>)
         outs(%init : tensor<4x4xi32>) -> tensor<4x4xi32>
  return %h : tensor<4x4xi32>
}

// -----

// Per-head thresholds along a dynamic dim.
func.func @dynamic_heads(%q: tensor<?x4x8xi8>, %k: tensor<?x4x8xi8>, %v: tensor<?x4x4xi8>, %init: tensor<?x4x4xi32>) -> tensor<?x4x4xi32> {
  // expected-error @below {{expected 1 (all heads) or one per head of batch dim 0 (dynamic: per-head thresholds need a static size)}}
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<i64: 1, 2>}
         ins(%q, %k, %v : tensor<?x4x8xi8>, tensor<?x4x8xi8>, tensor<?x4x4xi8>)
         outs(%init : tensor<?x4x4xi32>) -> tensor<?x4x4xi32>
  return %h : tensor<?x4x4xi32>
}

// -----

// A head dim that is no batch dim.
func.func @head_dim_range(%q: tensor<2x4x8xi8>, %k: tensor<2x4x8xi8>, %v: tensor<2x4x4xi8>) -> tensor<2x4x4xi32> {
  %init = tensor.empty() : tensor<2x4x4xi32>
  // expected-error @below {{'inhibitor.approx_head_dim' = 1 is not a batch dim (the op has 1)}}
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<i64: 1, 2>, inhibitor.approx_head_dim = 1 : i64}
         ins(%q, %k, %v : tensor<2x4x8xi8>, tensor<2x4x8xi8>, tensor<2x4x4xi8>)
         outs(%init : tensor<2x4x4xi32>) -> tensor<2x4x4xi32>
  return %h : tensor<2x4x4xi32>
}

// -----

func.func @head_dim_type(%q: tensor<2x4x8xi8>, %k: tensor<2x4x8xi8>, %v: tensor<2x4x4xi8>) -> tensor<2x4x4xi32> {
  %init = tensor.empty() : tensor<2x4x4xi32>
  // expected-error @below {{'inhibitor.approx_head_dim' must be an integer, got "heads"}}
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<i64: 1, 2>, inhibitor.approx_head_dim = "heads"}
         ins(%q, %k, %v : tensor<2x4x8xi8>, tensor<2x4x8xi8>, tensor<2x4x4xi8>)
         outs(%init : tensor<2x4x4xi32>) -> tensor<2x4x4xi32>
  return %h : tensor<2x4x4xi32>
}

// -----

// A shift that is no integer.
func.func @shift_type(%q: tensor<4x8xi8>, %k: tensor<4x8xi8>, %v: tensor<4x4xi8>) -> tensor<4x4xi32> {
  %init = tensor.empty() : tensor<4x4xi32>
  // expected-error @below {{'inhibitor.approx_shift' must be an integer, got 4.000000e+00 : f32}}
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<i64: 1>, inhibitor.approx_shift = 4.0 : f32}
         ins(%q, %k, %v : tensor<4x8xi8>, tensor<4x8xi8>, tensor<4x4xi8>)
         outs(%init : tensor<4x4xi32>) -> tensor<4x4xi32>
  return %h : tensor<4x4xi32>
}

// -----

// An integer shift must keep at least one bit...
func.func @shift_too_large(%q: tensor<4x8xi8>, %k: tensor<4x8xi8>, %v: tensor<4x4xi8>) -> tensor<4x4xi32> {
  %init = tensor.empty() : tensor<4x4xi32>
  // expected-error @below {{'inhibitor.approx_shift' must lie in [0, 8) for i8 queries and keys, got 8}}
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<i64: 1>, inhibitor.approx_shift = 8 : i64}
         ins(%q, %k, %v : tensor<4x8xi8>, tensor<4x8xi8>, tensor<4x4xi8>)
         outs(%init : tensor<4x4xi32>) -> tensor<4x4xi32>
  return %h : tensor<4x4xi32>
}

// -----

// ... and cannot be negative.
func.func @shift_negative(%q: tensor<4x8xi16>, %k: tensor<4x8xi16>, %v: tensor<4x4xi16>) -> tensor<4x4xi32> {
  %init = tensor.empty() : tensor<4x4xi32>
  // expected-error @below {{'inhibitor.approx_shift' must lie in [0, 16) for i16 queries and keys, got -1}}
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<i64: 1>, inhibitor.approx_shift = -1 : i64}
         ins(%q, %k, %v : tensor<4x8xi16>, tensor<4x8xi16>, tensor<4x4xi16>)
         outs(%init : tensor<4x4xi32>) -> tensor<4x4xi32>
  return %h : tensor<4x4xi32>
}

// -----

// A float grid that the accumulator type cannot hold exactly.
func.func @float_shift(%q: tensor<4x8xf16>, %k: tensor<4x8xf16>, %v: tensor<4x4xf16>) -> tensor<4x4xf16> {
  %init = tensor.empty() : tensor<4x4xf16>
  // expected-error @below {{'inhibitor.approx_shift' = 20: 2^20 and 2^-20 must both be exact in f16}}
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<f64: 1.0>, inhibitor.approx_shift = 20 : i64}
         ins(%q, %k, %v : tensor<4x8xf16>, tensor<4x8xf16>, tensor<4x4xf16>)
         outs(%init : tensor<4x4xf16>) -> tensor<4x4xf16>
  return %h : tensor<4x4xf16>
}

// -----

func.func @nan_threshold(%q: tensor<4x8xf32>, %k: tensor<4x8xf32>, %v: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %init = tensor.empty() : tensor<4x4xf32>
  // expected-error @below {{'inhibitor.approx_thresholds' holds a NaN}}
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<f64: 0x7FF8000000000000>}
         ins(%q, %k, %v : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x4xf32>)
         outs(%init : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %h : tensor<4x4xf32>
}

// -----

// 64-bit operands over a dynamic D: no exact accumulator.
func.func @wide_dynamic_d(%q: tensor<4x?xi64>, %k: tensor<4x?xi64>, %v: tensor<4x4xi64>) -> tensor<4x4xi64> {
  %init = tensor.empty() : tensor<4x4xi64>
  // expected-error @below {{the low-precision score of 63-bit operands over D = ? (dynamic) can exceed i64; drop more bits with 'inhibitor.approx_shift'}}
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<i64: 1>, inhibitor.approx_shift = 1 : i64}
         ins(%q, %k, %v : tensor<4x?xi64>, tensor<4x?xi64>, tensor<4x4xi64>)
         outs(%init : tensor<4x4xi64>) -> tensor<4x4xi64>
  return %h : tensor<4x4xi64>
}

// -----

// ... or a static D too large for the bits kept.
func.func @wide_static_d(%q: tensor<4x8xi64>, %k: tensor<4x8xi64>, %v: tensor<4x4xi64>) -> tensor<4x4xi64> {
  %init = tensor.empty() : tensor<4x4xi64>
  // expected-error @below {{the low-precision score of 62-bit operands over D = 8 can exceed i64}}
  %h = inhibitor.attention {inhibitor.approx_thresholds = array<i64: 1>, inhibitor.approx_shift = 2 : i64}
         ins(%q, %k, %v : tensor<4x8xi64>, tensor<4x8xi64>, tensor<4x4xi64>)
         outs(%init : tensor<4x4xi64>) -> tensor<4x4xi64>
  return %h : tensor<4x4xi64>
}

// -----

// A shift or head dim without thresholds.
func.func @shift_alone(%q: tensor<4x8xi8>, %k: tensor<4x8xi8>, %v: tensor<4x4xi8>) -> tensor<4x4xi32> {
  %init = tensor.empty() : tensor<4x4xi32>
  // expected-error @below {{has 'inhibitor.approx_shift' but no 'inhibitor.approx_thresholds'}}
  %h = inhibitor.attention {inhibitor.approx_shift = 2 : i64}
         ins(%q, %k, %v : tensor<4x8xi8>, tensor<4x8xi8>, tensor<4x4xi8>)
         outs(%init : tensor<4x4xi32>) -> tensor<4x4xi32>
  return %h : tensor<4x4xi32>
}

// -----

func.func @head_dim_alone(%q: tensor<2x4x8xi8>, %k: tensor<2x4x8xi8>, %v: tensor<2x4x4xi8>) -> tensor<2x4x4xi32> {
  %init = tensor.empty() : tensor<2x4x4xi32>
  // expected-error @below {{has 'inhibitor.approx_head_dim' but no 'inhibitor.approx_thresholds'}}
  %h = inhibitor.attention {inhibitor.approx_head_dim = 0 : i64}
         ins(%q, %k, %v : tensor<2x4x8xi8>, tensor<2x4x8xi8>, tensor<2x4x4xi8>)
         outs(%init : tensor<2x4x4xi32>) -> tensor<2x4x4xi32>
  return %h : tensor<2x4x4xi32>
}

// -----

// Only inhibitor.attention takes the filter.
func.func @score_op(%q: tensor<4x8xi8>, %k: tensor<4x8xi8>) -> tensor<4x4xi32> {
  %init = tensor.empty() : tensor<4x4xi32>
  // expected-error @below {{carries an 'inhibitor.approx_*' attribute, which only inhibitor.attention takes}}
  %z = inhibitor.manhattan_score {inhibitor.approx_thresholds = array<i64: 1>}
         ins(%q, %k : tensor<4x8xi8>, tensor<4x8xi8>)
         outs(%init : tensor<4x4xi32>) -> tensor<4x4xi32>
  return %z : tensor<4x4xi32>
}
