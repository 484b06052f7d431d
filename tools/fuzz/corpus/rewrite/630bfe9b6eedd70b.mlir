// Running the pass twice changes nothing the second time.

// Dot-product attention softmax(Q K^T * s) V in upstream linalg named form
// becomes inhibitor.attention (an architecture change, not an equivalence).

// One remark per rewrite, at the location of the replaced P V matmul.
// REMARK: attention-to-inhibitor.mlir:{{[0-9]+}}:8: remark: replaced dot-product attention by inhibitor.attention (gamma = 8.000000e+00, alpha = 5.000000e-01)
// REMARK-COUNT-6: remark: replaced dot-product attention by inhibitor.attention
// REMARK-NOT: remark:

// CHECK-LABEL: func @static_transpose_generic_scale
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<16x64xf32>, %[[K:[^:]*]]: tensor<32x64xf32>, %[[V:[^:]*]]: tensor<32x8xf32>)
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<16x8xf32>
// CHECK: %[[H:.*]] = inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 8.000000e+00 : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
// CHECK-SAME: outs(%[[INIT]] : tensor<16x8xf32>) -> tensor<16x8xf32>
// CHECK-NOT: linalg.
// CHECK: return %[[H]]
// OPTS-LABEL: func @static_transpose_generic_scale
// OPTS: inhibitor.attention {alpha = 0.000000e+00 : f32, gamma = 2.000000e+00 : f32}
func.func @static_transpose_generic_scale(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                          %v: tensor<32x8xf32>) -> tensor<16x8xf32> {
  %zero = arith.constant 0.0 : f32
  %s = arith.constant 0.125 : f32
  %ekt = tensor.empty() : tensor<64x32xf32>
  %kt = linalg.transpose ins(%k : tensor<32x64xf32>) outs(%ekt : tensor<64x32xf32>) permutation = [1, 0]
  %es = tensor.empty() : tensor<16x32xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<16x32xf32>) -> tensor<16x32xf32>
  %qk = linalg.matmul ins(%q, %kt : tensor<16x64xf32>, tensor<64x32xf32>) outs(%fs : tensor<16x32xf32>) -> tensor<16x32xf32>
  %scaled = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                            iterator_types = ["parallel", "parallel"]}
      ins(%qk : tensor<16x32xf32>) outs(%es : tensor<16x32xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.mulf %x, %s : f32
    linalg.yield %y : f32
  } -> tensor<16x32xf32>
  %w = linalg.softmax dimension(1) ins(%scaled : tensor<16x32xf32>) outs(%es : tensor<16x32xf32>) -> tensor<16x32xf32>
  %eo = tensor.empty() : tensor<16x8xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<16x8xf32>) -> tensor<16x8xf32>
  %h = linalg.matmul ins(%w, %v : tensor<16x32xf32>, tensor<32x8xf32>) outs(%fo : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}
