// Running the pass twice changes nothing the second time.

// Decomposed dot-product attention in linalg on tensors, as front ends emit
// it, becomes inhibitor.attention (an architecture change, not an
// equivalence): torch-mlir's lowering of scaled_dot_product_attention /
// softmax(q @ k.transpose(-2, -1) / sqrt(d)) @ v (after -canonicalize), and
// upstream's linalg.softmax decomposition. 4-D batch x heads attention, which
// torch-mlir runs as batch_matmuls on 3-D collapsed operands, becomes one 4-D
// inhibitor.attention on the 4-D operands: the collapse/expand pairs go away.

// REMARK-COUNT-8: remark: replaced dot-product attention by inhibitor.attention
// REMARK-NOT: remark:

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
