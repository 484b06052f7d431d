// RUN: inhibitor-opt %s -split-input-file -verify-each --convert-attention-to-inhibitor | FileCheck %s
// RUN: inhibitor-opt %s -split-input-file --convert-attention-to-inhibitor="emit-remarks=true" 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK
// The new op keeps the location of the P V contraction.
// RUN: inhibitor-opt %s -split-input-file --convert-attention-to-inhibitor -mlir-print-debuginfo | FileCheck %s --check-prefix=LOC

// Attention as torch-mlir's TorchToLinalg emits it for
// scaled_dot_product_attention / softmax(q @ k.transpose(-2, -1) / sqrt(d)) @ v
// after its decompositions: aten.max.dim as one generic with a max and an
// i64 argmax result that nothing uses, keepdim through tensor.expand_shape,
// batch x heads collapsed around linalg.batch_matmul, each elementwise op its
// own generic, scalars as f64 constants narrowed inside the bodies.

// REMARK-COUNT-8: remark: {{.*}}replaced dot-product attention by inhibitor.attention
// REMARK-NOT: remark: replaced

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#tr4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3, d2)>
#row4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>
#red3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>

// CHECK-LABEL: func @torch_sdpa_max_dim
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<2x3x5x8xf32>, %[[K:[^:]*]]: tensor<2x3x7x8xf32>, %[[V:[^:]*]]: tensor<2x3x7x4xf32>)
// CHECK: %[[H:.*]] = inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 2.82842{{[0-9]*}} : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<2x3x5x8xf32>, tensor<2x3x7x8xf32>, tensor<2x3x7x4xf32>)
// CHECK-NOT: linalg.
// CHECK: return %[[H]]
// LOC-LABEL: func @torch_sdpa_max_dim
// LOC: inhibitor.attention {{.*}} loc(#[[PV:loc[0-9]*]])
// LOC: #[[PV]] = loc("pv")
func.func @torch_sdpa_max_dim(%q: tensor<2x3x5x8xf32>, %k: tensor<2x3x7x8xf32>, %v: tensor<2x3x7x4xf32>) -> tensor<2x3x5x4xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %lowest = arith.constant -3.40282347E+38 : f32
  %c0_i64 = arith.constant 0 : i64
  %sqrt = arith.constant 2.8284271247461903 : f64
  %e0 = tensor.empty() : tensor<2x3x8x7xf32>
  %kt = linalg.generic {indexing_maps = [#tr4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%k : tensor<2x3x7x8xf32>) outs(%e0 : tensor<2x3x8x7xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x3x8x7xf32>
  %qc = tensor.collapse_shape %q [[0, 1], [2], [3]] : tensor<2x3x5x8xf32> into tensor<6x5x8xf32>
  %ktc = tensor.collapse_shape %kt [[0, 1], [2], [3]] : tensor<2x3x8x7xf32> into tensor<6x8x7xf32>
  %e1 = tensor.empty() : tensor<6x5x7xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<6x5x7xf32>) -> tensor<6x5x7xf32>
  %s3 = linalg.batch_matmul ins(%qc, %ktc : tensor<6x5x8xf32>, tensor<6x8x7xf32>) outs(%f1 : tensor<6x5x7xf32>) -> tensor<6x5x7xf32> loc("qk")
  %s = tensor.expand_shape %s3 [[0, 1], [2], [3]] output_shape [2, 3, 5, 7] : tensor<6x5x7xf32> into tensor<2x3x5x7xf32>
  %e2 = tensor.empty() : tensor<2x3x5x7xf32>
  %sc = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<2x3x5x7xf32>) outs(%e2 : tensor<2x3x5x7xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = arith.truncf %sqrt : f64 to f32
    %d = arith.divf %in, %t : f32
    linalg.yield %d : f32
  } -> tensor<2x3x5x7xf32>
  %e3 = tensor.empty() : tensor<2x3x5xf32>
  %fm = linalg.fill ins(%lowest : f32) outs(%e3 : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  %e4 = tensor.empty() : tensor<2x3x5xi64>
  %fi = linalg.fill ins(%c0_i64 : i64) outs(%e4 : tensor<2x3x5xi64>) -> tensor<2x3x5xi64>
  %max:2 = linalg.generic {indexing_maps = [#id4, #red3, #red3], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%sc : tensor<2x3x5x7xf32>) outs(%fm, %fi : tensor<2x3x5xf32>, tensor<2x3x5xi64>) {
  ^bb0(%in: f32, %acc: f32, %idx: i64):
    %i = linalg.index 3 : index
    %i64 = arith.index_cast %i : index to i64
    %m = arith.maximumf %in, %acc : f32
    %gt = arith.cmpf ogt, %in, %acc : f32
    %sel = arith.select %gt, %i64, %idx : i64
    linalg.yield %m, %sel : f32, i64
  } -> (tensor<2x3x5xf32>, tensor<2x3x5xi64>)
  %mk = tensor.expand_shape %max#0 [[0], [1], [2, 3]] output_shape [2, 3, 5, 1] : tensor<2x3x5xf32> into tensor<2x3x5x1xf32>
  %sub = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%sc, %mk : tensor<2x3x5x7xf32>, tensor<2x3x5x1xf32>) outs(%e2 : tensor<2x3x5x7xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %d = arith.subf %a, %b : f32
    linalg.yield %d : f32
  } -> tensor<2x3x5x7xf32>
  %exp = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%sub : tensor<2x3x5x7xf32>) outs(%e2 : tensor<2x3x5x7xf32>) {
  ^bb0(%a: f32, %out: f32):
    %x = math.exp %a : f32
    linalg.yield %x : f32
  } -> tensor<2x3x5x7xf32>
  %e5 = tensor.empty() : tensor<2x3x5x1xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%e5 : tensor<2x3x5x1xf32>) -> tensor<2x3x5x1xf32>
  %sum = linalg.generic {indexing_maps = [#id4, #row4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%exp : tensor<2x3x5x7xf32>) outs(%fs : tensor<2x3x5x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %x = arith.addf %a, %acc : f32
    linalg.yield %x : f32
  } -> tensor<2x3x5x1xf32>
  %div = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<2x3x5x7xf32>, tensor<2x3x5x1xf32>) outs(%e2 : tensor<2x3x5x7xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %x = arith.divf %a, %b : f32
    linalg.yield %x : f32
  } -> tensor<2x3x5x7xf32>
  %pc = tensor.collapse_shape %div [[0, 1], [2], [3]] : tensor<2x3x5x7xf32> into tensor<6x5x7xf32>
  %vc = tensor.collapse_shape %v [[0, 1], [2], [3]] : tensor<2x3x7x4xf32> into tensor<6x7x4xf32>
  %e6 = tensor.empty() : tensor<6x5x4xf32>
  %f6 = linalg.fill ins(%zero : f32) outs(%e6 : tensor<6x5x4xf32>) -> tensor<6x5x4xf32>
  %o3 = linalg.batch_matmul ins(%pc, %vc : tensor<6x5x7xf32>, tensor<6x7x4xf32>) outs(%f6 : tensor<6x5x4xf32>) -> tensor<6x5x4xf32> loc("pv")
  %o = tensor.expand_shape %o3 [[0, 1], [2], [3]] output_shape [2, 3, 5, 4] : tensor<6x5x4xf32> into tensor<2x3x5x4xf32>
  return %o : tensor<2x3x5x4xf32>
}

// -----

// The scale as a 0-d tensor<f64> computed by 0-d generics (torch-mlir's
// `sqrt(float(d))` on a scalar tensor), read with tensor.extract; the sum
// from -0.0; normalization as x * (1 / sum); f16 max init -65504.

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#row3 = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
#scalar3 = affine_map<(d0, d1, d2) -> ()>
#none = affine_map<() -> ()>

// CHECK-LABEL: func @torch_scalar_tensor_scale
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f16, gamma = 4.000000e+00 : f16}
// CHECK-NOT: linalg.generic
func.func @torch_scalar_tensor_scale(%q: tensor<4x6x16xf16>, %k: tensor<4x9x16xf16>, %v: tensor<4x9x5xf16>) -> tensor<4x6x5xf16> {
  %zero = arith.constant 0.000000e+00 : f16
  %negzero = arith.constant -0.000000e+00 : f16
  %lowest = arith.constant -6.550400e+04 : f16
  %one = arith.constant 1.000000e+00 : f16
  %d = arith.constant dense<16.0> : tensor<f64>
  %e = tensor.empty() : tensor<f64>
  %sq = linalg.generic {indexing_maps = [#none, #none], iterator_types = []} ins(%d : tensor<f64>) outs(%e : tensor<f64>) {
  ^bb0(%in: f64, %out: f64):
    %r = math.sqrt %in : f64
    linalg.yield %r : f64
  } -> tensor<f64>
  %sqx = tensor.extract %sq[] : tensor<f64>
  %e1 = tensor.empty() : tensor<4x6x9xf16>
  %f1 = linalg.fill ins(%zero : f16) outs(%e1 : tensor<4x6x9xf16>) -> tensor<4x6x9xf16>
  %s = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (b, n, k)>, affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%q, %k : tensor<4x6x16xf16>, tensor<4x9x16xf16>) outs(%f1 : tensor<4x6x9xf16>) -> tensor<4x6x9xf16>
  %sc = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s : tensor<4x6x9xf16>) outs(%e1 : tensor<4x6x9xf16>) {
  ^bb0(%in: f16, %out: f16):
    %t = arith.truncf %sqx : f64 to f16
    %r = arith.divf %in, %t : f16
    linalg.yield %r : f16
  } -> tensor<4x6x9xf16>
  %e2 = tensor.empty() : tensor<4x6x1xf16>
  %fm = linalg.fill ins(%lowest : f16) outs(%e2 : tensor<4x6x1xf16>) -> tensor<4x6x1xf16>
  %max = linalg.generic {indexing_maps = [#id3, #row3], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%sc : tensor<4x6x9xf16>) outs(%fm : tensor<4x6x1xf16>) {
  ^bb0(%in: f16, %acc: f16):
    %m = arith.maximumf %in, %acc : f16
    linalg.yield %m : f16
  } -> tensor<4x6x1xf16>
  %ex = linalg.generic {indexing_maps = [#id3, #row3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sc, %max : tensor<4x6x9xf16>, tensor<4x6x1xf16>) outs(%e1 : tensor<4x6x9xf16>) {
  ^bb0(%a: f16, %b: f16, %out: f16):
    %x = arith.subf %a, %b : f16
    %y = math.exp %x : f16
    linalg.yield %y : f16
  } -> tensor<4x6x9xf16>
  %fs = linalg.fill ins(%negzero : f16) outs(%e2 : tensor<4x6x1xf16>) -> tensor<4x6x1xf16>
  %sum = linalg.generic {indexing_maps = [#id3, #row3], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%ex : tensor<4x6x9xf16>) outs(%fs : tensor<4x6x1xf16>) {
  ^bb0(%a: f16, %acc: f16):
    %x = arith.addf %a, %acc : f16
    linalg.yield %x : f16
  } -> tensor<4x6x1xf16>
  %p = linalg.generic {indexing_maps = [#id3, #row3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%ex, %sum : tensor<4x6x9xf16>, tensor<4x6x1xf16>) outs(%e1 : tensor<4x6x9xf16>) {
  ^bb0(%a: f16, %b: f16, %out: f16):
    %r = arith.divf %one, %b : f16
    %x = arith.mulf %a, %r : f16
    linalg.yield %x : f16
  } -> tensor<4x6x9xf16>
  %e3 = tensor.empty() : tensor<4x6x5xf16>
  %f3 = linalg.fill ins(%zero : f16) outs(%e3 : tensor<4x6x5xf16>) -> tensor<4x6x5xf16>
  %o = linalg.batch_matmul ins(%p, %v : tensor<4x6x9xf16>, tensor<4x9x5xf16>) outs(%f3 : tensor<4x6x5xf16>) -> tensor<4x6x5xf16>
  return %o : tensor<4x6x5xf16>
}

// -----

// A causal mask built in the IR (torch's `tril` of ones as an index compare,
// then `masked_fill(~mask, lowest)` as select(0, lowest) added to the
// scores), no scale, and bf16 data widened to f32 around the matmuls.

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row2 = affine_map<(d0, d1) -> (d0)>
#mm_a = affine_map<(m, n, k) -> (m, k)>
#mm_bt = affine_map<(m, n, k) -> (n, k)>
#mm_c = affine_map<(m, n, k) -> (m, n)>

// CHECK-LABEL: func @torch_causal_bf16
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<8x4xbf16>, %[[K:[^:]*]]: tensor<8x4xbf16>, %[[V:[^:]*]]: tensor<8x3xbf16>)
// CHECK: inhibitor.attention causal signed {alpha = 5.000000e-01 : f32, gamma = 1.000000e+00 : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<8x4xbf16>, tensor<8x4xbf16>, tensor<8x3xbf16>)
func.func @torch_causal_bf16(%q: tensor<8x4xbf16>, %k: tensor<8x4xbf16>, %v: tensor<8x3xbf16>) -> tensor<8x3xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<8x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %s = linalg.generic {indexing_maps = [#mm_a, #mm_bt, #mm_c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<8x4xbf16>, tensor<8x4xbf16>) outs(%f : tensor<8x8xf32>) {
  ^bb0(%a: bf16, %b: bf16, %c: f32):
    %x = arith.extf %a : bf16 to f32
    %y = arith.extf %b : bf16 to f32
    %p = arith.mulf %x, %y : f32
    %r = arith.addf %c, %p : f32
    linalg.yield %r : f32
  } -> tensor<8x8xf32>
  %mask = linalg.generic {indexing_maps = [#id2], iterator_types = ["parallel", "parallel"]} outs(%e : tensor<8x8xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %gt = arith.cmpi ugt, %j, %i : index
    %m = arith.select %gt, %ninf, %zero : f32
    linalg.yield %m : f32
  } -> tensor<8x8xf32>
  %sm = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%s, %mask : tensor<8x8xf32>, tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %x = arith.addf %a, %b : f32
    linalg.yield %x : f32
  } -> tensor<8x8xf32>
  %p = linalg.softmax dimension(1) ins(%sm : tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %e2 = tensor.empty() : tensor<8x3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<8x3xf32>) -> tensor<8x3xf32>
  %o = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, #mm_c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%p, %v : tensor<8x8xf32>, tensor<8x3xbf16>) outs(%f2 : tensor<8x3xf32>) {
  ^bb0(%a: f32, %b: bf16, %c: f32):
    %y = arith.extf %b : bf16 to f32
    %x = arith.mulf %a, %y : f32
    %r = arith.addf %c, %x : f32
    linalg.yield %r : f32
  } -> tensor<8x3xf32>
  return %o : tensor<8x3xf32>
}
// -----

// The same with torch's `tril(ones, diagonal=3)` as torch-mlir lowers it
// (createTriangularMatrix: both indices index_cast to i64, the diagonal
// added to the row, `cmpi sle` of the column): a KV cache's causal mask,
// `causal` with causal_offset 3.
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#mm_a = affine_map<(m, n, k) -> (m, k)>
#mm_bt = affine_map<(m, n, k) -> (n, k)>
#mm_c = affine_map<(m, n, k) -> (m, n)>

// CHECK-LABEL: func @torch_tril_diagonal_kv_cache
// CHECK: %[[D:.*]] = arith.constant 3 : index
// CHECK: inhibitor.attention causal signed
// CHECK-SAME: causal_offset(%[[D]])
func.func @torch_tril_diagonal_kv_cache(%q: tensor<8x4xbf16>, %k: tensor<8x4xbf16>, %v: tensor<8x3xbf16>) -> tensor<8x3xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %c3_i64 = arith.constant 3 : i64
  %e = tensor.empty() : tensor<8x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %s = linalg.generic {indexing_maps = [#mm_a, #mm_bt, #mm_c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<8x4xbf16>, tensor<8x4xbf16>) outs(%f : tensor<8x8xf32>) {
  ^bb0(%a: bf16, %b: bf16, %c: f32):
    %x = arith.extf %a : bf16 to f32
    %y = arith.extf %b : bf16 to f32
    %p = arith.mulf %x, %y : f32
    %r = arith.addf %c, %p : f32
    linalg.yield %r : f32
  } -> tensor<8x8xf32>
  %mask = linalg.generic {indexing_maps = [#id2], iterator_types = ["parallel", "parallel"]} outs(%e : tensor<8x8xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %i64 = arith.index_cast %i : index to i64
    %j = linalg.index 1 : index
    %j64 = arith.index_cast %j : index to i64
    %sum = arith.addi %i64, %c3_i64 : i64
    %le = arith.cmpi sle, %j64, %sum : i64
    %m = arith.select %le, %zero, %ninf : f32
    linalg.yield %m : f32
  } -> tensor<8x8xf32>
  %sm = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%s, %mask : tensor<8x8xf32>, tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %x = arith.addf %a, %b : f32
    linalg.yield %x : f32
  } -> tensor<8x8xf32>
  %p = linalg.softmax dimension(1) ins(%sm : tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %e2 = tensor.empty() : tensor<8x3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<8x3xf32>) -> tensor<8x3xf32>
  %o = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, #mm_c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%p, %v : tensor<8x8xf32>, tensor<8x3xbf16>) outs(%f2 : tensor<8x3xf32>) {
  ^bb0(%a: f32, %b: bf16, %c: f32):
    %y = arith.extf %b : bf16 to f32
    %x = arith.mulf %a, %y : f32
    %r = arith.addf %c, %x : f32
    linalg.yield %r : f32
  } -> tensor<8x3xf32>
  return %o : tensor<8x3xf32>
}

// -----

// Log-sum-exp softmax (torch's exp(log_softmax(x))): exp(S - (max + log(sum
// exp(S - max)))), no division; the scale as a multiplication on whole
// tensors (arith.mulf of a splat).

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row2 = affine_map<(d0, d1) -> (d0)>

// CHECK-LABEL: func @log_sum_exp
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 2.000000e+00 : f32}
// CHECK-NOT: math.
func.func @log_sum_exp(%q: tensor<6x4xf32>, %k: tensor<7x4xf32>, %v: tensor<7x3xf32>) -> tensor<6x3xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %half = arith.constant dense<0.5> : tensor<6x7xf32>
  %e = tensor.empty() : tensor<6x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<6x7xf32>) -> tensor<6x7xf32>
  %s = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
      ins(%q, %k : tensor<6x4xf32>, tensor<7x4xf32>) outs(%f : tensor<6x7xf32>) -> tensor<6x7xf32>
  %sc = arith.mulf %s, %half : tensor<6x7xf32>
  %er = tensor.empty() : tensor<6xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%er : tensor<6xf32>) -> tensor<6xf32>
  %max = linalg.generic {indexing_maps = [#id2, #row2], iterator_types = ["parallel", "reduction"]}
      ins(%sc : tensor<6x7xf32>) outs(%fm : tensor<6xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %m = arith.maximumf %in, %acc : f32
    linalg.yield %m : f32
  } -> tensor<6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%er : tensor<6xf32>) -> tensor<6xf32>
  %sum = linalg.generic {indexing_maps = [#id2, #row2, #row2], iterator_types = ["parallel", "reduction"]}
      ins(%sc, %max : tensor<6x7xf32>, tensor<6xf32>) outs(%fs : tensor<6xf32>) {
  ^bb0(%in: f32, %mx: f32, %acc: f32):
    %d = arith.subf %in, %mx : f32
    %x = math.exp %d : f32
    %a = arith.addf %x, %acc : f32
    linalg.yield %a : f32
  } -> tensor<6xf32>
  %p = linalg.generic {indexing_maps = [#id2, #row2, #row2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%sc, %max, %sum : tensor<6x7xf32>, tensor<6xf32>, tensor<6xf32>) outs(%e : tensor<6x7xf32>) {
  ^bb0(%in: f32, %mx: f32, %sm: f32, %out: f32):
    %l = math.log %sm : f32
    %lse = arith.addf %mx, %l : f32
    %d = arith.subf %in, %lse : f32
    %x = math.exp %d : f32
    linalg.yield %x : f32
  } -> tensor<6x7xf32>
  %e2 = tensor.empty() : tensor<6x3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<6x3xf32>) -> tensor<6x3xf32>
  %o = linalg.matmul ins(%p, %v : tensor<6x7xf32>, tensor<7x3xf32>) outs(%f2 : tensor<6x3xf32>) -> tensor<6x3xf32>
  return %o : tensor<6x3xf32>
}

// -----

// No max subtraction (onnx-mlir's Softmax lowering): exp(S) / sum(exp(S)),
// math.exp on whole tensors; an i1 mask applied by select(m, s, lowest).

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#row3 = affine_map<(d0, d1, d2) -> (d0, d1)>

// CHECK-LABEL: func @onnx_no_max_select_mask
// CHECK-SAME: %[[M:[^:]*]]: tensor<5x7xi1>
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 2.000000e+00 : f32}
// CHECK-SAME: mask(%[[M]] : tensor<5x7xi1>)
func.func @onnx_no_max_select_mask(%q: tensor<2x5x4xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>, %m: tensor<5x7xi1>) -> tensor<2x5x3xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %lowest = arith.constant -3.40282347E+38 : f32
  %e = tensor.empty() : tensor<2x5x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %s = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (b, n, k)>, affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%q, %k : tensor<2x5x4xf32>, tensor<2x7x4xf32>) outs(%f : tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %sm = linalg.generic {indexing_maps = [#id3, affine_map<(d0, d1, d2) -> (d1, d2)>, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s, %m : tensor<2x5x7xf32>, tensor<5x7xi1>) outs(%e : tensor<2x5x7xf32>) {
  ^bb0(%a: f32, %c: i1, %out: f32):
    %h = arith.constant 5.000000e-01 : f32
    %x = arith.mulf %a, %h : f32
    %y = arith.select %c, %x, %lowest : f32
    linalg.yield %y : f32
  } -> tensor<2x5x7xf32>
  %ex = math.exp %sm : tensor<2x5x7xf32>
  %er = tensor.empty() : tensor<2x5xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%er : tensor<2x5xf32>) -> tensor<2x5xf32>
  %sum = linalg.reduce ins(%ex : tensor<2x5x7xf32>) outs(%fs : tensor<2x5xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %bc = linalg.broadcast ins(%sum : tensor<2x5xf32>) outs(%e : tensor<2x5x7xf32>) dimensions = [2]
  %p = arith.divf %ex, %bc : tensor<2x5x7xf32>
  %e2 = tensor.empty() : tensor<2x5x3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x5x7xf32>, tensor<2x7x3xf32>) outs(%f2 : tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  return %o : tensor<2x5x3xf32>
}

// -----

// Q, K and V as tensor.extract_slices of one fused projection [n, 3 * d]
// (GPT-2's c_attn), the scores computed as K Q^T and transposed, the
// softmax as linalg.softmax, masked_fill(~m, -inf) with a negated i1 mask.

// CHECK-LABEL: func @fused_projection_kq_transposed
// CHECK-SAME: (%[[X:[^:]*]]: tensor<6x12xf32>, %[[M:[^:]*]]: tensor<6x6xi1>)
// CHECK-DAG: %[[Q:.*]] = tensor.extract_slice %[[X]][0, 0] [6, 4] [1, 1]
// CHECK-DAG: %[[K:.*]] = tensor.extract_slice %[[X]][0, 4] [6, 4] [1, 1]
// CHECK-DAG: %[[V:.*]] = tensor.extract_slice %[[X]][0, 8] [6, 4] [1, 1]
// CHECK: %[[NOT:.*]] = linalg.generic
// CHECK: arith.xori
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 2.000000e+00 : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] :
// CHECK-SAME: mask(%[[NOT]] : tensor<6x6xi1>)
func.func @fused_projection_kq_transposed(%x: tensor<6x12xf32>, %m: tensor<6x6xi1>) -> tensor<6x4xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %q = tensor.extract_slice %x[0, 0] [6, 4] [1, 1] : tensor<6x12xf32> to tensor<6x4xf32>
  %k = tensor.extract_slice %x[0, 4] [6, 4] [1, 1] : tensor<6x12xf32> to tensor<6x4xf32>
  %v = tensor.extract_slice %x[0, 8] [6, 4] [1, 1] : tensor<6x12xf32> to tensor<6x4xf32>
  %e = tensor.empty() : tensor<6x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<6x6xf32>) -> tensor<6x6xf32>
  %ks = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
      ins(%k, %q : tensor<6x4xf32>, tensor<6x4xf32>) outs(%f : tensor<6x6xf32>) -> tensor<6x6xf32>
  %st = linalg.transpose ins(%ks : tensor<6x6xf32>) outs(%e : tensor<6x6xf32>) permutation = [1, 0]
  %sc = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%st, %m : tensor<6x6xf32>, tensor<6x6xi1>) outs(%e : tensor<6x6xf32>) {
  ^bb0(%a: f32, %c: i1, %out: f32):
    %h = arith.constant 2.000000e+00 : f32
    %y = arith.divf %a, %h : f32
    %z = arith.select %c, %ninf, %y : f32
    linalg.yield %z : f32
  } -> tensor<6x6xf32>
  %p = linalg.softmax dimension(1) ins(%sc : tensor<6x6xf32>) outs(%e : tensor<6x6xf32>) -> tensor<6x6xf32>
  %e2 = tensor.empty() : tensor<6x4xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<6x4xf32>) -> tensor<6x4xf32>
  %o = linalg.matmul ins(%p, %v : tensor<6x6xf32>, tensor<6x4xf32>) outs(%f2 : tensor<6x4xf32>) -> tensor<6x4xf32>
  return %o : tensor<6x4xf32>
}

// -----

// A padding mask from an i1 tensor as (1 - float(m)) * lowest (HF BERT's
// extended attention mask), broadcast over heads and queries.

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#pad = affine_map<(d0, d1, d2, d3) -> (d0, 0, 0, d3)>

// CHECK-LABEL: func @bert_padding_mask
// CHECK-SAME: %[[M:[^:]*]]: tensor<2x1x1x7xi1>
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 1.000000e+00 : f32}
// CHECK-SAME: mask(%[[M]] : tensor<2x1x1x7xi1>)
func.func @bert_padding_mask(%q: tensor<2x3x5x4xf32>, %k: tensor<2x3x7x4xf32>, %v: tensor<2x3x7x2xf32>, %m: tensor<2x1x1x7xi1>) -> tensor<2x3x5x2xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %one = arith.constant 1.000000e+00 : f32
  %lowest = arith.constant -3.40282347E+38 : f32
  %e = tensor.empty() : tensor<2x3x5x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3x5x7xf32>) -> tensor<2x3x5x7xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, h, i, d)>, affine_map<(b, h, i, j, d) -> (b, h, j, d)>, affine_map<(b, h, i, j, d) -> (b, h, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<2x3x5x4xf32>, tensor<2x3x7x4xf32>) outs(%f : tensor<2x3x5x7xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %p = arith.mulf %a, %b : f32
    %r = arith.addf %c, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x3x5x7xf32>
  %ef = tensor.empty() : tensor<2x1x1x7xf32>
  %mf = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%m : tensor<2x1x1x7xi1>) outs(%ef : tensor<2x1x1x7xf32>) {
  ^bb0(%a: i1, %out: f32):
    %x = arith.uitofp %a : i1 to f32
    %y = arith.subf %one, %x : f32
    %z = arith.mulf %y, %lowest : f32
    linalg.yield %z : f32
  } -> tensor<2x1x1x7xf32>
  %sm = linalg.generic {indexing_maps = [#id4, #pad, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s, %mf : tensor<2x3x5x7xf32>, tensor<2x1x1x7xf32>) outs(%e : tensor<2x3x5x7xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %x = arith.addf %a, %b : f32
    linalg.yield %x : f32
  } -> tensor<2x3x5x7xf32>
  %p = linalg.softmax dimension(3) ins(%sm : tensor<2x3x5x7xf32>) outs(%e : tensor<2x3x5x7xf32>) -> tensor<2x3x5x7xf32>
  %e2 = tensor.empty() : tensor<2x3x5x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x3x5x2xf32>) -> tensor<2x3x5x2xf32>
  %o = linalg.generic {indexing_maps = [affine_map<(b, h, i, e, j) -> (b, h, i, j)>, affine_map<(b, h, i, e, j) -> (b, h, j, e)>, affine_map<(b, h, i, e, j) -> (b, h, i, e)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %v : tensor<2x3x5x7xf32>, tensor<2x3x7x2xf32>) outs(%f2 : tensor<2x3x5x2xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %x = arith.mulf %a, %b : f32
    %r = arith.addf %c, %x : f32
    linalg.yield %r : f32
  } -> tensor<2x3x5x2xf32>
  return %o : tensor<2x3x5x2xf32>
}
