// RUN: inhibitor-opt %s -split-input-file -verify-each --convert-attention-to-inhibitor | FileCheck %s
// Running the pass twice changes nothing the second time.
// RUN: inhibitor-opt %s -split-input-file --convert-attention-to-inhibitor > %t.once.mlir
// RUN: inhibitor-opt %t.once.mlir -split-input-file --convert-attention-to-inhibitor > %t.twice.mlir
// RUN: diff %t.once.mlir %t.twice.mlir
// RUN: inhibitor-opt %s -split-input-file --convert-attention-to-inhibitor="emit-remarks=true" 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK

// Decomposed dot-product attention in linalg on tensors, as front ends emit
// it, becomes inhibitor.attention (an architecture change, not an
// equivalence): torch-mlir's lowering of scaled_dot_product_attention /
// softmax(q @ k.transpose(-2, -1) / sqrt(d)) @ v (after -canonicalize), and
// upstream's linalg.softmax decomposition. 4-D batch x heads attention, which
// torch-mlir runs as batch_matmuls on 3-D collapsed operands, becomes one 4-D
// inhibitor.attention on the 4-D operands: the collapse/expand pairs go away.

// REMARK-COUNT-12: remark: replaced dot-product attention by inhibitor.attention
// REMARK-NOT: remark: replaced

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#tr4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3, d2)>
#row4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>

// torch-mlir: generic transpose, batch_matmuls on collapsed batch x heads,
// division by sqrt(d) narrowed from f64 in the body, max from -inf with
// arith.maximumf, sub, exp, sum and div each in their own generic (keepdim
// row tensors [b, h, n, 1]).
// CHECK-LABEL: func @torch_sdpa_4d
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<2x3x5x8xf32>, %[[K:[^:]*]]: tensor<2x3x7x8xf32>, %[[V:[^:]*]]: tensor<2x3x7x4xf32>)
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x3x5x4xf32>
// CHECK: %[[H:.*]] = inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 2.82842{{[0-9]*}} : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<2x3x5x8xf32>, tensor<2x3x7x8xf32>, tensor<2x3x7x4xf32>)
// CHECK-SAME: outs(%[[INIT]] : tensor<2x3x5x4xf32>) -> tensor<2x3x5x4xf32>
// CHECK-NOT: linalg.
// CHECK-NOT: tensor.collapse_shape
// CHECK-NOT: tensor.expand_shape
// CHECK: return %[[H]]
func.func @torch_sdpa_4d(%q: tensor<2x3x5x8xf32>, %k: tensor<2x3x7x8xf32>, %v: tensor<2x3x7x4xf32>) -> tensor<2x3x5x4xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
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
  %f1 = linalg.fill ins(%cst : f32) outs(%e1 : tensor<6x5x7xf32>) -> tensor<6x5x7xf32>
  %s3 = linalg.batch_matmul ins(%qc, %ktc : tensor<6x5x8xf32>, tensor<6x8x7xf32>) outs(%f1 : tensor<6x5x7xf32>) -> tensor<6x5x7xf32>
  %s = tensor.expand_shape %s3 [[0, 1], [2], [3]] output_shape [2, 3, 5, 7] : tensor<6x5x7xf32> into tensor<2x3x5x7xf32>
  %e2 = tensor.empty() : tensor<2x3x5x7xf32>
  %sc = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<2x3x5x7xf32>) outs(%e2 : tensor<2x3x5x7xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = arith.truncf %sqrt : f64 to f32
    %d = arith.divf %in, %t : f32
    linalg.yield %d : f32
  } -> tensor<2x3x5x7xf32>
  %e3 = tensor.empty() : tensor<2x3x5x1xf32>
  %f3 = linalg.fill ins(%ninf : f32) outs(%e3 : tensor<2x3x5x1xf32>) -> tensor<2x3x5x1xf32>
  %max = linalg.generic {indexing_maps = [#id4, #row4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%sc : tensor<2x3x5x7xf32>) outs(%f3 : tensor<2x3x5x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %out : f32
    linalg.yield %m : f32
  } -> tensor<2x3x5x1xf32>
  %sub = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%sc, %max : tensor<2x3x5x7xf32>, tensor<2x3x5x1xf32>) outs(%e2 : tensor<2x3x5x7xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.subf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x3x5x7xf32>
  %exp = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%sub : tensor<2x3x5x7xf32>) outs(%e2 : tensor<2x3x5x7xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = math.exp %in : f32
    linalg.yield %x : f32
  } -> tensor<2x3x5x7xf32>
  %f4 = linalg.fill ins(%cst : f32) outs(%e3 : tensor<2x3x5x1xf32>) -> tensor<2x3x5x1xf32>
  %sum = linalg.generic {indexing_maps = [#id4, #row4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%exp : tensor<2x3x5x7xf32>) outs(%f4 : tensor<2x3x5x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<2x3x5x1xf32>
  %p = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<2x3x5x7xf32>, tensor<2x3x5x1xf32>) outs(%e2 : tensor<2x3x5x7xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.divf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x3x5x7xf32>
  %pc = tensor.collapse_shape %p [[0, 1], [2], [3]] : tensor<2x3x5x7xf32> into tensor<6x5x7xf32>
  %vc = tensor.collapse_shape %v [[0, 1], [2], [3]] : tensor<2x3x7x4xf32> into tensor<6x7x4xf32>
  %e5 = tensor.empty() : tensor<6x5x4xf32>
  %f5 = linalg.fill ins(%cst : f32) outs(%e5 : tensor<6x5x4xf32>) -> tensor<6x5x4xf32>
  %o3 = linalg.batch_matmul ins(%pc, %vc : tensor<6x5x7xf32>, tensor<6x7x4xf32>) outs(%f5 : tensor<6x5x4xf32>) -> tensor<6x5x4xf32>
  %o = tensor.expand_shape %o3 [[0, 1], [2], [3]] output_shape [2, 3, 5, 4] : tensor<6x5x4xf32> into tensor<2x3x5x4xf32>
  return %o : tensor<2x3x5x4xf32>
}
// -----

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#tr4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3, d2)>
#row4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>

// The same with a dynamic batch dim: the destination takes it from Q.
// CHECK-LABEL: func @torch_sdpa_4d_dynamic_batch
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<?x3x5x8xf32>, %[[K:[^:]*]]: tensor<?x3x7x8xf32>, %[[V:[^:]*]]: tensor<?x3x7x4xf32>)
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[B:.*]] = tensor.dim %[[Q]], %[[C0]]
// CHECK: %[[INIT:.*]] = tensor.empty(%[[B]]) : tensor<?x3x5x4xf32>
// CHECK: %[[H:.*]] = inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 2.82842{{[0-9]*}} : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<?x3x5x8xf32>, tensor<?x3x7x8xf32>, tensor<?x3x7x4xf32>)
// CHECK-SAME: outs(%[[INIT]] : tensor<?x3x5x4xf32>) -> tensor<?x3x5x4xf32>
// CHECK-NOT: linalg.
// CHECK: return %[[H]]
func.func @torch_sdpa_4d_dynamic_batch(%q: tensor<?x3x5x8xf32>, %k: tensor<?x3x7x8xf32>, %v: tensor<?x3x7x4xf32>) -> tensor<?x3x5x4xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %c0 = arith.constant 0 : index
  %b = tensor.dim %q, %c0 : tensor<?x3x5x8xf32>
  %c3 = arith.constant 3 : index
  %bh = arith.muli %b, %c3 : index
  %ninf = arith.constant 0xFF800000 : f32
  %sqrt = arith.constant 2.8284271247461903 : f64
  %e0 = tensor.empty(%b) : tensor<?x3x8x7xf32>
  %kt = linalg.generic {indexing_maps = [#tr4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%k : tensor<?x3x7x8xf32>) outs(%e0 : tensor<?x3x8x7xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<?x3x8x7xf32>
  %qc = tensor.collapse_shape %q [[0, 1], [2], [3]] : tensor<?x3x5x8xf32> into tensor<?x5x8xf32>
  %ktc = tensor.collapse_shape %kt [[0, 1], [2], [3]] : tensor<?x3x8x7xf32> into tensor<?x8x7xf32>
  %e1 = tensor.empty(%bh) : tensor<?x5x7xf32>
  %f1 = linalg.fill ins(%cst : f32) outs(%e1 : tensor<?x5x7xf32>) -> tensor<?x5x7xf32>
  %s3 = linalg.batch_matmul ins(%qc, %ktc : tensor<?x5x8xf32>, tensor<?x8x7xf32>) outs(%f1 : tensor<?x5x7xf32>) -> tensor<?x5x7xf32>
  %s = tensor.expand_shape %s3 [[0, 1], [2], [3]] output_shape [%b, 3, 5, 7] : tensor<?x5x7xf32> into tensor<?x3x5x7xf32>
  %e2 = tensor.empty(%b) : tensor<?x3x5x7xf32>
  %sc = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<?x3x5x7xf32>) outs(%e2 : tensor<?x3x5x7xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = arith.truncf %sqrt : f64 to f32
    %d = arith.divf %in, %t : f32
    linalg.yield %d : f32
  } -> tensor<?x3x5x7xf32>
  %e3 = tensor.empty(%b) : tensor<?x3x5x1xf32>
  %f3 = linalg.fill ins(%ninf : f32) outs(%e3 : tensor<?x3x5x1xf32>) -> tensor<?x3x5x1xf32>
  %max = linalg.generic {indexing_maps = [#id4, #row4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%sc : tensor<?x3x5x7xf32>) outs(%f3 : tensor<?x3x5x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %out : f32
    linalg.yield %m : f32
  } -> tensor<?x3x5x1xf32>
  %sub = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%sc, %max : tensor<?x3x5x7xf32>, tensor<?x3x5x1xf32>) outs(%e2 : tensor<?x3x5x7xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.subf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<?x3x5x7xf32>
  %exp = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%sub : tensor<?x3x5x7xf32>) outs(%e2 : tensor<?x3x5x7xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = math.exp %in : f32
    linalg.yield %x : f32
  } -> tensor<?x3x5x7xf32>
  %f4 = linalg.fill ins(%cst : f32) outs(%e3 : tensor<?x3x5x1xf32>) -> tensor<?x3x5x1xf32>
  %sum = linalg.generic {indexing_maps = [#id4, #row4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%exp : tensor<?x3x5x7xf32>) outs(%f4 : tensor<?x3x5x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<?x3x5x1xf32>
  %p = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<?x3x5x7xf32>, tensor<?x3x5x1xf32>) outs(%e2 : tensor<?x3x5x7xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.divf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<?x3x5x7xf32>
  %pc = tensor.collapse_shape %p [[0, 1], [2], [3]] : tensor<?x3x5x7xf32> into tensor<?x5x7xf32>
  %vc = tensor.collapse_shape %v [[0, 1], [2], [3]] : tensor<?x3x7x4xf32> into tensor<?x7x4xf32>
  %e5 = tensor.empty(%bh) : tensor<?x5x4xf32>
  %f5 = linalg.fill ins(%cst : f32) outs(%e5 : tensor<?x5x4xf32>) -> tensor<?x5x4xf32>
  %o3 = linalg.batch_matmul ins(%pc, %vc : tensor<?x5x7xf32>, tensor<?x7x4xf32>) outs(%f5 : tensor<?x5x4xf32>) -> tensor<?x5x4xf32>
  %o = tensor.expand_shape %o3 [[0, 1], [2], [3]] output_shape [%b, 3, 5, 4] : tensor<?x5x4xf32> into tensor<?x3x5x4xf32>
  return %o : tensor<?x3x5x4xf32>
}

// -----

// Causal: the scores generic selects -inf where linalg.index j > i
// (arith.cmpi sge i, j selects the score): `causal`.
// CHECK-LABEL: func @causal_index_select
// CHECK: inhibitor.attention causal signed {alpha = 5.000000e-01 : f32, gamma = 4.000000e+00 : f32}
// CHECK-NOT: linalg.
// CHECK-NOT: arith.select
func.func @causal_index_select(%q: tensor<2x4x16xf32>, %k: tensor<2x6x16xf32>, %v: tensor<2x6x5xf32>) -> tensor<2x4x5xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %ekt = tensor.empty() : tensor<2x16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<2x6x16xf32>) outs(%ekt : tensor<2x16x6xf32>) permutation = [0, 2, 1]
  %es = tensor.empty() : tensor<2x4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %qk = linalg.batch_matmul ins(%q, %kt : tensor<2x4x16xf32>, tensor<2x16x6xf32>) outs(%fs : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %c_s = arith.constant 0.25 : f32
  %scaled = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%qk : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %y = arith.mulf %in, %c_s : f32
    linalg.yield %y : f32
  } -> tensor<2x4x6xf32>
  %masked = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%scaled : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %i = linalg.index 1 : index
    %j = linalg.index 2 : index
    %c = arith.cmpi sge, %i, %j : index
    %r = arith.select %c, %in, %ninf : f32
    linalg.yield %r : f32
  } -> tensor<2x4x6xf32>
  %er = tensor.empty() : tensor<2x4x1xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%masked : tensor<2x4x6xf32>) outs(%fm : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %mx = arith.maximumf %in, %out : f32
    linalg.yield %mx : f32
  } -> tensor<2x4x1xf32>
  %sub = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%masked, %max : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.subf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %exp = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sub : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = math.exp %in : f32
    linalg.yield %x : f32
  } -> tensor<2x4x6xf32>
  %fz = linalg.fill ins(%zero : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%exp : tensor<2x4x6xf32>) outs(%fz : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<2x4x1xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.divf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %eo = tensor.empty() : tensor<2x4x5xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %h = linalg.batch_matmul ins(%p, %v : tensor<2x4x6xf32>, tensor<2x6x5xf32>) outs(%fo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  return %h : tensor<2x4x5xf32>
}
// -----

// A KV cache's causal mask, aligned bottom-right (4 queries at positions 2..5
// of 6 keys): the index compare i + 2 >= j becomes `causal` with
// causal_offset 2 (pairs j <= i + 2).
// CHECK-LABEL: func @causal_index_bottom_right
// CHECK: %[[D:.*]] = arith.constant 2 : index
// CHECK: inhibitor.attention causal signed {alpha = 5.000000e-01 : f32, gamma = 4.000000e+00 : f32}
// CHECK-SAME: causal_offset(%[[D]])
// CHECK-NOT: arith.select
func.func @causal_index_bottom_right(%q: tensor<2x4x16xf32>, %k: tensor<2x6x16xf32>, %v: tensor<2x6x5xf32>) -> tensor<2x4x5xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %ekt = tensor.empty() : tensor<2x16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<2x6x16xf32>) outs(%ekt : tensor<2x16x6xf32>) permutation = [0, 2, 1]
  %es = tensor.empty() : tensor<2x4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %qk = linalg.batch_matmul ins(%q, %kt : tensor<2x4x16xf32>, tensor<2x16x6xf32>) outs(%fs : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %c_s = arith.constant 0.25 : f32
  %scaled = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%qk : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %y = arith.mulf %in, %c_s : f32
    linalg.yield %y : f32
  } -> tensor<2x4x6xf32>
  %masked = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%scaled : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %i = linalg.index 1 : index
    %j = linalg.index 2 : index
    %c2 = arith.constant 2 : index
    %i2 = arith.addi %i, %c2 : index
    %c = arith.cmpi sge, %i2, %j : index
    %r = arith.select %c, %in, %ninf : f32
    linalg.yield %r : f32
  } -> tensor<2x4x6xf32>
  %er = tensor.empty() : tensor<2x4x1xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%masked : tensor<2x4x6xf32>) outs(%fm : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %mx = arith.maximumf %in, %out : f32
    linalg.yield %mx : f32
  } -> tensor<2x4x1xf32>
  %sub = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%masked, %max : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.subf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %exp = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sub : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = math.exp %in : f32
    linalg.yield %x : f32
  } -> tensor<2x4x6xf32>
  %fz = linalg.fill ins(%zero : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%exp : tensor<2x4x6xf32>) outs(%fz : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<2x4x1xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.divf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %eo = tensor.empty() : tensor<2x4x5xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %h = linalg.batch_matmul ins(%p, %v : tensor<2x4x6xf32>, tensor<2x6x5xf32>) outs(%fo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  return %h : tensor<2x4x5xf32>
}
// -----

// j - 1 <= i (a constant subtracted from the key index, the operands
// swapped): pairs j <= i + 1, causal_offset 1.
// CHECK-LABEL: func @causal_index_j_minus
// CHECK: %[[D:.*]] = arith.constant 1 : index
// CHECK: inhibitor.attention causal signed
// CHECK-SAME: causal_offset(%[[D]])
func.func @causal_index_j_minus(%q: tensor<2x4x16xf32>, %k: tensor<2x6x16xf32>, %v: tensor<2x6x5xf32>) -> tensor<2x4x5xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %ekt = tensor.empty() : tensor<2x16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<2x6x16xf32>) outs(%ekt : tensor<2x16x6xf32>) permutation = [0, 2, 1]
  %es = tensor.empty() : tensor<2x4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %qk = linalg.batch_matmul ins(%q, %kt : tensor<2x4x16xf32>, tensor<2x16x6xf32>) outs(%fs : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %c_s = arith.constant 0.25 : f32
  %scaled = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%qk : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %y = arith.mulf %in, %c_s : f32
    linalg.yield %y : f32
  } -> tensor<2x4x6xf32>
  %masked = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%scaled : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %i = linalg.index 1 : index
    %j = linalg.index 2 : index
    %c1 = arith.constant 1 : index
    %jm = arith.subi %j, %c1 : index
    %c = arith.cmpi sle, %jm, %i : index
    %r = arith.select %c, %in, %ninf : f32
    linalg.yield %r : f32
  } -> tensor<2x4x6xf32>
  %er = tensor.empty() : tensor<2x4x1xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%masked : tensor<2x4x6xf32>) outs(%fm : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %mx = arith.maximumf %in, %out : f32
    linalg.yield %mx : f32
  } -> tensor<2x4x1xf32>
  %sub = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%masked, %max : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.subf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %exp = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sub : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = math.exp %in : f32
    linalg.yield %x : f32
  } -> tensor<2x4x6xf32>
  %fz = linalg.fill ins(%zero : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%exp : tensor<2x4x6xf32>) outs(%fz : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<2x4x1xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.divf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %eo = tensor.empty() : tensor<2x4x5xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %h = linalg.batch_matmul ins(%p, %v : tensor<2x4x6xf32>, tensor<2x6x5xf32>) outs(%fo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  return %h : tensor<2x4x5xf32>
}
// -----

// Causal as torch builds it: an additive [N, M] mask from a generic
// (arith.cmpi ule j, i on index_casts, select 0 / -inf), added to the scores
// through a broadcasting map: `causal`.
// CHECK-LABEL: func @causal_additive_mask_tensor
// CHECK: inhibitor.attention causal signed {alpha = 5.000000e-01 : f32, gamma = 4.000000e+00 : f32}
// CHECK-NOT: linalg.
func.func @causal_additive_mask_tensor(%q: tensor<2x4x16xf32>, %k: tensor<2x6x16xf32>, %v: tensor<2x6x5xf32>) -> tensor<2x4x5xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %ekt = tensor.empty() : tensor<2x16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<2x6x16xf32>) outs(%ekt : tensor<2x16x6xf32>) permutation = [0, 2, 1]
  %es = tensor.empty() : tensor<2x4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %qk = linalg.batch_matmul ins(%q, %kt : tensor<2x4x16xf32>, tensor<2x16x6xf32>) outs(%fs : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %em = tensor.empty() : tensor<4x6xf32>
  %amask = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      outs(%em : tensor<4x6xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %i64 = arith.index_cast %i : index to i64
    %j64 = arith.index_cast %j : index to i64
    %c = arith.cmpi ule, %j64, %i64 : i64
    %r = arith.select %c, %zero, %ninf : f32
    linalg.yield %r : f32
  } -> tensor<4x6xf32>
  %masked = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%qk, %amask : tensor<2x4x6xf32>, tensor<4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %a = arith.addf %in, %in_1 : f32
    linalg.yield %a : f32
  } -> tensor<2x4x6xf32>
  %c_s = arith.constant 0.25 : f32
  %scaled = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%masked : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %y = arith.mulf %in, %c_s : f32
    linalg.yield %y : f32
  } -> tensor<2x4x6xf32>
  %er = tensor.empty() : tensor<2x4x1xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%scaled : tensor<2x4x6xf32>) outs(%fm : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %mx = arith.maximumf %in, %out : f32
    linalg.yield %mx : f32
  } -> tensor<2x4x1xf32>
  %sub = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%scaled, %max : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.subf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %exp = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sub : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = math.exp %in : f32
    linalg.yield %x : f32
  } -> tensor<2x4x6xf32>
  %fz = linalg.fill ins(%zero : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%exp : tensor<2x4x6xf32>) outs(%fz : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<2x4x1xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.divf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %eo = tensor.empty() : tensor<2x4x5xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %h = linalg.batch_matmul ins(%p, %v : tensor<2x4x6xf32>, tensor<2x6x5xf32>) outs(%fo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  return %h : tensor<2x4x5xf32>
}
// -----

// Causal as an i1 tensor built from linalg.index (j > i masked out by
// cmpi slt i, j selecting -inf first) and an arith.select on tensors.
// CHECK-LABEL: func @causal_i1_tensor_select
// CHECK: inhibitor.attention causal signed {alpha = 5.000000e-01 : f32, gamma = 1.000000e+00 : f32}
// CHECK-NOT: mask(
// CHECK-NOT: linalg.
func.func @causal_i1_tensor_select(%q: tensor<2x4x16xf32>, %k: tensor<2x6x16xf32>, %v: tensor<2x6x5xf32>) -> tensor<2x4x5xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %ekt = tensor.empty() : tensor<2x16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<2x6x16xf32>) outs(%ekt : tensor<2x16x6xf32>) permutation = [0, 2, 1]
  %es = tensor.empty() : tensor<2x4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %qk = linalg.batch_matmul ins(%q, %kt : tensor<2x4x16xf32>, tensor<2x16x6xf32>) outs(%fs : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %eb = tensor.empty() : tensor<2x4x6xi1>
  %bits = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      outs(%eb : tensor<2x4x6xi1>) {
  ^bb0(%out: i1):
    %i = linalg.index 1 : index
    %j = linalg.index 2 : index
    %c = arith.cmpi uge, %i, %j : index
    linalg.yield %c : i1
  } -> tensor<2x4x6xi1>
  %ninfs = arith.constant dense<0xFF800000> : tensor<2x4x6xf32>
  %masked = arith.select %bits, %qk, %ninfs : tensor<2x4x6xi1>, tensor<2x4x6xf32>
  %er = tensor.empty() : tensor<2x4x1xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%masked : tensor<2x4x6xf32>) outs(%fm : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %mx = arith.maximumf %in, %out : f32
    linalg.yield %mx : f32
  } -> tensor<2x4x1xf32>
  %sub = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%masked, %max : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.subf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %exp = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sub : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = math.exp %in : f32
    linalg.yield %x : f32
  } -> tensor<2x4x6xf32>
  %fz = linalg.fill ins(%zero : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%exp : tensor<2x4x6xf32>) outs(%fz : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<2x4x1xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.divf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %eo = tensor.empty() : tensor<2x4x5xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %h = linalg.batch_matmul ins(%p, %v : tensor<2x4x6xf32>, tensor<2x6x5xf32>) outs(%fo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  return %h : tensor<2x4x5xf32>
}
// -----

// An arbitrary i1 [N, M] mask selected in a generic through a
// broadcasting map becomes the mask operand.
// CHECK-LABEL: func @i1_mask_generic_select
// CHECK-SAME: %[[M:[^:]*]]: tensor<4x6xi1>
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 4.000000e+00 : f32}
// CHECK-SAME: mask(%[[M]] : tensor<4x6xi1>)
func.func @i1_mask_generic_select(%q: tensor<2x4x16xf32>, %k: tensor<2x6x16xf32>, %v: tensor<2x6x5xf32>, %m: tensor<4x6xi1>) -> tensor<2x4x5xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %ekt = tensor.empty() : tensor<2x16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<2x6x16xf32>) outs(%ekt : tensor<2x16x6xf32>) permutation = [0, 2, 1]
  %es = tensor.empty() : tensor<2x4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %qk = linalg.batch_matmul ins(%q, %kt : tensor<2x4x16xf32>, tensor<2x16x6xf32>) outs(%fs : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %c_s = arith.constant 0.25 : f32
  %scaled = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%qk : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %y = arith.mulf %in, %c_s : f32
    linalg.yield %y : f32
  } -> tensor<2x4x6xf32>
  %masked = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%scaled, %m : tensor<2x4x6xf32>, tensor<4x6xi1>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %b: i1, %out: f32):
    %r = arith.select %b, %in, %ninf : f32
    linalg.yield %r : f32
  } -> tensor<2x4x6xf32>
  %er = tensor.empty() : tensor<2x4x1xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%masked : tensor<2x4x6xf32>) outs(%fm : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %mx = arith.maximumf %in, %out : f32
    linalg.yield %mx : f32
  } -> tensor<2x4x1xf32>
  %sub = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%masked, %max : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.subf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %exp = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sub : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = math.exp %in : f32
    linalg.yield %x : f32
  } -> tensor<2x4x6xf32>
  %fz = linalg.fill ins(%zero : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%exp : tensor<2x4x6xf32>) outs(%fz : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<2x4x1xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.divf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %eo = tensor.empty() : tensor<2x4x5xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %h = linalg.batch_matmul ins(%p, %v : tensor<2x4x6xf32>, tensor<2x6x5xf32>) outs(%fo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  return %h : tensor<2x4x5xf32>
}
// -----

// A constant i1 mask that is exactly j <= i becomes `causal`.
// CHECK-LABEL: func @constant_causal_mask
// CHECK: inhibitor.attention causal signed {alpha = 5.000000e-01 : f32, gamma = 1.000000e+00 : f32}
// CHECK-NOT: mask(
func.func @constant_causal_mask(%q: tensor<2x4x16xf32>, %k: tensor<2x6x16xf32>, %v: tensor<2x6x5xf32>) -> tensor<2x4x5xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %ekt = tensor.empty() : tensor<2x16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<2x6x16xf32>) outs(%ekt : tensor<2x16x6xf32>) permutation = [0, 2, 1]
  %es = tensor.empty() : tensor<2x4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %qk = linalg.batch_matmul ins(%q, %kt : tensor<2x4x16xf32>, tensor<2x16x6xf32>) outs(%fs : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %tri = arith.constant dense<[[true, false, false, false, false, false], [true, true, false, false, false, false], [true, true, true, false, false, false], [true, true, true, true, false, false]]> : tensor<4x6xi1>
  %masked = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%qk, %tri : tensor<2x4x6xf32>, tensor<4x6xi1>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %b: i1, %out: f32):
    %r = arith.select %b, %in, %ninf : f32
    linalg.yield %r : f32
  } -> tensor<2x4x6xf32>
  %er = tensor.empty() : tensor<2x4x1xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%masked : tensor<2x4x6xf32>) outs(%fm : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %mx = arith.maximumf %in, %out : f32
    linalg.yield %mx : f32
  } -> tensor<2x4x1xf32>
  %sub = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%masked, %max : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.subf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %exp = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sub : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = math.exp %in : f32
    linalg.yield %x : f32
  } -> tensor<2x4x6xf32>
  %fz = linalg.fill ins(%zero : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%exp : tensor<2x4x6xf32>) outs(%fz : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<2x4x1xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.divf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %eo = tensor.empty() : tensor<2x4x5xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %h = linalg.batch_matmul ins(%p, %v : tensor<2x4x6xf32>, tensor<2x6x5xf32>) outs(%fo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  return %h : tensor<2x4x5xf32>
}
// -----

// A constant i1 mask that is exactly j <= i + 2 (bottom-right: 4 queries,
// 6 keys) becomes `causal` with causal_offset 2.
// CHECK-LABEL: func @constant_causal_mask_bottom_right
// CHECK: %[[D:.*]] = arith.constant 2 : index
// CHECK: inhibitor.attention causal signed
// CHECK-SAME: causal_offset(%[[D]])
// CHECK-NOT: mask(
func.func @constant_causal_mask_bottom_right(%q: tensor<2x4x16xf32>, %k: tensor<2x6x16xf32>, %v: tensor<2x6x5xf32>) -> tensor<2x4x5xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %ekt = tensor.empty() : tensor<2x16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<2x6x16xf32>) outs(%ekt : tensor<2x16x6xf32>) permutation = [0, 2, 1]
  %es = tensor.empty() : tensor<2x4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %qk = linalg.batch_matmul ins(%q, %kt : tensor<2x4x16xf32>, tensor<2x16x6xf32>) outs(%fs : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %tri = arith.constant dense<[[true, true, true, false, false, false], [true, true, true, true, false, false], [true, true, true, true, true, false], [true, true, true, true, true, true]]> : tensor<4x6xi1>
  %masked = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%qk, %tri : tensor<2x4x6xf32>, tensor<4x6xi1>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %b: i1, %out: f32):
    %r = arith.select %b, %in, %ninf : f32
    linalg.yield %r : f32
  } -> tensor<2x4x6xf32>
  %er = tensor.empty() : tensor<2x4x1xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%masked : tensor<2x4x6xf32>) outs(%fm : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %mx = arith.maximumf %in, %out : f32
    linalg.yield %mx : f32
  } -> tensor<2x4x1xf32>
  %sub = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%masked, %max : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.subf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %exp = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sub : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = math.exp %in : f32
    linalg.yield %x : f32
  } -> tensor<2x4x6xf32>
  %fz = linalg.fill ins(%zero : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%exp : tensor<2x4x6xf32>) outs(%fz : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<2x4x1xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.divf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %eo = tensor.empty() : tensor<2x4x5xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %h = linalg.batch_matmul ins(%p, %v : tensor<2x4x6xf32>, tensor<2x6x5xf32>) outs(%fo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  return %h : tensor<2x4x5xf32>
}

// -----
// -----

// Upstream's linalg.softmax decomposition (transform.structured.
// decompose_interface, then -canonicalize): max from NaN with arith.maxnumf,
// subtract and exp fused in one generic, rank-reduced row tensors; f16,
// dynamic shapes.
// CHECK-LABEL: func @upstream_softmax_decomposition
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<?x?x?xf16>, %[[K:[^:]*]]: tensor<?x?x?xf16>, %[[V:[^:]*]]: tensor<?x?x?xf16>
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f16, gamma = 8.000000e+00 : f16}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<?x?x?xf16>, tensor<?x?x?xf16>, tensor<?x?x?xf16>)
// CHECK-NOT: linalg.generic
#up3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#uprow = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @upstream_softmax_decomposition(%arg0: tensor<?x?x?xf16>, %arg1: tensor<?x?x?xf16>, %arg2: tensor<?x?x?xf16>, %arg3: tensor<?x?x?xf16>, %arg4: tensor<?x?x?xf16>, %arg5: tensor<?x?x?xf16>) -> tensor<?x?x?xf16> {
  %cst = arith.constant 0xFE00 : f16
  %c1 = arith.constant 1 : index
  %c0 = arith.constant 0 : index
  %cst_0 = arith.constant 0.000000e+00 : f16
  %cst_1 = arith.constant 1.250000e-01 : f16
  %transposed = linalg.transpose ins(%arg1 : tensor<?x?x?xf16>) outs(%arg3 : tensor<?x?x?xf16>) permutation = [0, 2, 1] 
  %0 = linalg.fill ins(%cst_0 : f16) outs(%arg4 : tensor<?x?x?xf16>) -> tensor<?x?x?xf16>
  %1 = linalg.batch_matmul ins(%arg0, %transposed : tensor<?x?x?xf16>, tensor<?x?x?xf16>) outs(%0 : tensor<?x?x?xf16>) -> tensor<?x?x?xf16>
  %2 = linalg.fill ins(%cst_1 : f16) outs(%arg4 : tensor<?x?x?xf16>) -> tensor<?x?x?xf16>
  %3 = linalg.mul ins(%2, %1 : tensor<?x?x?xf16>, tensor<?x?x?xf16>) outs(%arg4 : tensor<?x?x?xf16>) -> tensor<?x?x?xf16>
  %dim = tensor.dim %arg4, %c0 : tensor<?x?x?xf16>
  %dim_2 = tensor.dim %arg4, %c1 : tensor<?x?x?xf16>
  %4 = tensor.empty(%dim, %dim_2) : tensor<?x?xf16>
  %5 = linalg.fill ins(%cst : f16) outs(%4 : tensor<?x?xf16>) -> tensor<?x?xf16>
  %6 = linalg.generic {indexing_maps = [#up3, #uprow], iterator_types = ["parallel", "parallel", "reduction"]} ins(%3 : tensor<?x?x?xf16>) outs(%5 : tensor<?x?xf16>) {
  ^bb0(%in: f16, %out: f16):
    %13 = arith.maxnumf %in, %out : f16
    linalg.yield %13 : f16
  } -> tensor<?x?xf16>
  %7 = linalg.generic {indexing_maps = [#up3, #uprow, #up3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%3, %6 : tensor<?x?x?xf16>, tensor<?x?xf16>) outs(%arg4 : tensor<?x?x?xf16>) {
  ^bb0(%in: f16, %in_3: f16, %out: f16):
    %13 = arith.subf %in, %in_3 : f16
    %14 = math.exp %13 : f16
    linalg.yield %14 : f16
  } -> tensor<?x?x?xf16>
  %8 = linalg.fill ins(%cst_0 : f16) outs(%4 : tensor<?x?xf16>) -> tensor<?x?xf16>
  %9 = linalg.generic {indexing_maps = [#up3, #uprow], iterator_types = ["parallel", "parallel", "reduction"]} ins(%7 : tensor<?x?x?xf16>) outs(%8 : tensor<?x?xf16>) {
  ^bb0(%in: f16, %out: f16):
    %13 = arith.addf %in, %out : f16
    linalg.yield %13 : f16
  } -> tensor<?x?xf16>
  %10 = linalg.generic {indexing_maps = [#up3, #uprow, #up3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%7, %9 : tensor<?x?x?xf16>, tensor<?x?xf16>) outs(%arg4 : tensor<?x?x?xf16>) {
  ^bb0(%in: f16, %in_3: f16, %out: f16):
    %13 = arith.divf %in, %in_3 : f16
    linalg.yield %13 : f16
  } -> tensor<?x?x?xf16>
  %11 = linalg.fill ins(%cst_0 : f16) outs(%arg5 : tensor<?x?x?xf16>) -> tensor<?x?x?xf16>
  %12 = linalg.batch_matmul ins(%10, %arg2 : tensor<?x?x?xf16>, tensor<?x?x?xf16>) outs(%11 : tensor<?x?x?xf16>) -> tensor<?x?x?xf16>
  return %12 : tensor<?x?x?xf16>
}


// Not attention: each case below is left alone.

// The max and sum reduce the query dim, not the key dim.
// CHECK-LABEL: func @softmax_wrong_dim
// CHECK-NOT: inhibitor.attention
// CHECK: linalg.batch_matmul
func.func @softmax_wrong_dim(%q: tensor<2x4x16xf32>, %k: tensor<2x6x16xf32>, %v: tensor<2x6x5xf32>) -> tensor<2x4x5xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %ekt = tensor.empty() : tensor<2x16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<2x6x16xf32>) outs(%ekt : tensor<2x16x6xf32>) permutation = [0, 2, 1]
  %es = tensor.empty() : tensor<2x4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %qk = linalg.batch_matmul ins(%q, %kt : tensor<2x4x16xf32>, tensor<2x16x6xf32>) outs(%fs : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %er = tensor.empty() : tensor<2x1x6xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%er : tensor<2x1x6xf32>) -> tensor<2x1x6xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, 0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%qk : tensor<2x4x6xf32>) outs(%fm : tensor<2x1x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %mx = arith.maximumf %in, %out : f32
    linalg.yield %mx : f32
  } -> tensor<2x1x6xf32>
  %sub = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, 0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%qk, %max : tensor<2x4x6xf32>, tensor<2x1x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.subf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %exp = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sub : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = math.exp %in : f32
    linalg.yield %x : f32
  } -> tensor<2x4x6xf32>
  %fz = linalg.fill ins(%zero : f32) outs(%er : tensor<2x1x6xf32>) -> tensor<2x1x6xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, 0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%exp : tensor<2x4x6xf32>) outs(%fz : tensor<2x1x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<2x1x6xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, 0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<2x4x6xf32>, tensor<2x1x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.divf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %eo = tensor.empty() : tensor<2x4x5xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %h = linalg.batch_matmul ins(%p, %v : tensor<2x4x6xf32>, tensor<2x6x5xf32>) outs(%fo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  return %h : tensor<2x4x5xf32>
}
// -----

// The max starts at 0, not at -inf: not a softmax.
// CHECK-LABEL: func @max_not_from_ninf
// CHECK-NOT: inhibitor.attention
// CHECK: arith.maximumf
func.func @max_not_from_ninf(%q: tensor<2x4x16xf32>, %k: tensor<2x6x16xf32>, %v: tensor<2x6x5xf32>) -> tensor<2x4x5xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %ekt = tensor.empty() : tensor<2x16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<2x6x16xf32>) outs(%ekt : tensor<2x16x6xf32>) permutation = [0, 2, 1]
  %es = tensor.empty() : tensor<2x4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %qk = linalg.batch_matmul ins(%q, %kt : tensor<2x4x16xf32>, tensor<2x16x6xf32>) outs(%fs : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %er = tensor.empty() : tensor<2x4x1xf32>
  %fm = linalg.fill ins(%zero : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%qk : tensor<2x4x6xf32>) outs(%fm : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %mx = arith.maximumf %in, %out : f32
    linalg.yield %mx : f32
  } -> tensor<2x4x1xf32>
  %sub = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%qk, %max : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.subf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %exp = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sub : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = math.exp %in : f32
    linalg.yield %x : f32
  } -> tensor<2x4x6xf32>
  %fz = linalg.fill ins(%zero : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%exp : tensor<2x4x6xf32>) outs(%fz : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<2x4x1xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.divf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %eo = tensor.empty() : tensor<2x4x5xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %h = linalg.batch_matmul ins(%p, %v : tensor<2x4x6xf32>, tensor<2x6x5xf32>) outs(%fo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  return %h : tensor<2x4x5xf32>
}
// -----

// No exponential: exp-free normalization is not a softmax.
// CHECK-LABEL: func @no_exp
// CHECK-NOT: inhibitor.attention
// CHECK: arith.divf
func.func @no_exp(%q: tensor<2x4x16xf32>, %k: tensor<2x6x16xf32>, %v: tensor<2x6x5xf32>) -> tensor<2x4x5xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %ekt = tensor.empty() : tensor<2x16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<2x6x16xf32>) outs(%ekt : tensor<2x16x6xf32>) permutation = [0, 2, 1]
  %es = tensor.empty() : tensor<2x4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %qk = linalg.batch_matmul ins(%q, %kt : tensor<2x4x16xf32>, tensor<2x16x6xf32>) outs(%fs : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %er = tensor.empty() : tensor<2x4x1xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%qk : tensor<2x4x6xf32>) outs(%fm : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %mx = arith.maximumf %in, %out : f32
    linalg.yield %mx : f32
  } -> tensor<2x4x1xf32>
  %sub = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%qk, %max : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.subf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %fz = linalg.fill ins(%zero : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%sub : tensor<2x4x6xf32>) outs(%fz : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<2x4x1xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sub, %sum : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.divf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %eo = tensor.empty() : tensor<2x4x5xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %h = linalg.batch_matmul ins(%p, %v : tensor<2x4x6xf32>, tensor<2x6x5xf32>) outs(%fo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  return %h : tensor<2x4x5xf32>
}
// -----

// The attention weights are returned too.
// CHECK-LABEL: func @decomposed_weights_other_use
// CHECK-NOT: inhibitor.attention
// CHECK: arith.divf
func.func @decomposed_weights_other_use(%q: tensor<2x4x16xf32>, %k: tensor<2x6x16xf32>, %v: tensor<2x6x5xf32>) -> (tensor<2x4x5xf32>, tensor<2x4x6xf32>) {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %ekt = tensor.empty() : tensor<2x16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<2x6x16xf32>) outs(%ekt : tensor<2x16x6xf32>) permutation = [0, 2, 1]
  %es = tensor.empty() : tensor<2x4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %qk = linalg.batch_matmul ins(%q, %kt : tensor<2x4x16xf32>, tensor<2x16x6xf32>) outs(%fs : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %er = tensor.empty() : tensor<2x4x1xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%qk : tensor<2x4x6xf32>) outs(%fm : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %mx = arith.maximumf %in, %out : f32
    linalg.yield %mx : f32
  } -> tensor<2x4x1xf32>
  %sub = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%qk, %max : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.subf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %exp = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sub : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = math.exp %in : f32
    linalg.yield %x : f32
  } -> tensor<2x4x6xf32>
  %fz = linalg.fill ins(%zero : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%exp : tensor<2x4x6xf32>) outs(%fz : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<2x4x1xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.divf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %eo = tensor.empty() : tensor<2x4x5xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %h = linalg.batch_matmul ins(%p, %v : tensor<2x4x6xf32>, tensor<2x6x5xf32>) outs(%fo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  return %h, %p : tensor<2x4x5xf32>, tensor<2x4x6xf32>
}
// -----

// The row max is returned too.
// CHECK-LABEL: func @row_max_other_use
// CHECK-NOT: inhibitor.attention
// CHECK: arith.maximumf
func.func @row_max_other_use(%q: tensor<2x4x16xf32>, %k: tensor<2x6x16xf32>, %v: tensor<2x6x5xf32>) -> (tensor<2x4x5xf32>, tensor<2x4x1xf32>) {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %ekt = tensor.empty() : tensor<2x16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<2x6x16xf32>) outs(%ekt : tensor<2x16x6xf32>) permutation = [0, 2, 1]
  %es = tensor.empty() : tensor<2x4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %qk = linalg.batch_matmul ins(%q, %kt : tensor<2x4x16xf32>, tensor<2x16x6xf32>) outs(%fs : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %er = tensor.empty() : tensor<2x4x1xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%qk : tensor<2x4x6xf32>) outs(%fm : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %mx = arith.maximumf %in, %out : f32
    linalg.yield %mx : f32
  } -> tensor<2x4x1xf32>
  %sub = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%qk, %max : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.subf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %exp = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sub : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = math.exp %in : f32
    linalg.yield %x : f32
  } -> tensor<2x4x6xf32>
  %fz = linalg.fill ins(%zero : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%exp : tensor<2x4x6xf32>) outs(%fz : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<2x4x1xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.divf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %eo = tensor.empty() : tensor<2x4x5xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %h = linalg.batch_matmul ins(%p, %v : tensor<2x4x6xf32>, tensor<2x6x5xf32>) outs(%fo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  return %h, %max : tensor<2x4x5xf32>, tensor<2x4x1xf32>
}
// -----

// A strict comparison (j < i) is causal below the diagonal: pairs
// j <= i - 1, causal_offset -1 (row 0 attends no key: 0 in the inhibitor,
// where softmax would divide by 0).
// CHECK-LABEL: func @strict_comparison_causal
// CHECK: %[[D:.*]] = arith.constant -1 : index
// CHECK: inhibitor.attention causal signed
// CHECK-SAME: causal_offset(%[[D]])
// CHECK-NOT: arith.cmpi sgt
func.func @strict_comparison_causal(%q: tensor<2x4x16xf32>, %k: tensor<2x6x16xf32>, %v: tensor<2x6x5xf32>) -> tensor<2x4x5xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %ekt = tensor.empty() : tensor<2x16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<2x6x16xf32>) outs(%ekt : tensor<2x16x6xf32>) permutation = [0, 2, 1]
  %es = tensor.empty() : tensor<2x4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %qk = linalg.batch_matmul ins(%q, %kt : tensor<2x4x16xf32>, tensor<2x16x6xf32>) outs(%fs : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %masked = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%qk : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %i = linalg.index 1 : index
    %j = linalg.index 2 : index
    %c = arith.cmpi sgt, %i, %j : index
    %r = arith.select %c, %in, %ninf : f32
    linalg.yield %r : f32
  } -> tensor<2x4x6xf32>
  %er = tensor.empty() : tensor<2x4x1xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%masked : tensor<2x4x6xf32>) outs(%fm : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %mx = arith.maximumf %in, %out : f32
    linalg.yield %mx : f32
  } -> tensor<2x4x1xf32>
  %sub = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%masked, %max : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.subf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %exp = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sub : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = math.exp %in : f32
    linalg.yield %x : f32
  } -> tensor<2x4x6xf32>
  %fz = linalg.fill ins(%zero : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%exp : tensor<2x4x6xf32>) outs(%fz : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<2x4x1xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.divf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %eo = tensor.empty() : tensor<2x4x5xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %h = linalg.batch_matmul ins(%p, %v : tensor<2x4x6xf32>, tensor<2x6x5xf32>) outs(%fo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  return %h : tensor<2x4x5xf32>
}
