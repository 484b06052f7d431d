// bf16 inputs, f32 scores and accumulator (the matmuls widen), batched with
// transposed maps, scale a splat constant multiplied in a linalg.mul.
// CHECK-LABEL: func @bf16_batch_transposed_maps
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<2x4x16xbf16>, %[[K:[^:]*]]: tensor<2x6x16xbf16>, %[[V:[^:]*]]: tensor<2x6x8xbf16>)
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 4.000000e+00 : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<2x4x16xbf16>, tensor<2x6x16xbf16>, tensor<2x6x8xbf16>)
// CHECK-SAME: -> tensor<2x4x8xf32>
func.func @bf16_batch_transposed_maps(%q: tensor<2x4x16xbf16>, %k: tensor<2x6x16xbf16>,
                                      %v: tensor<2x6x8xbf16>) -> tensor<2x4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %quarter = arith.constant dense<0.25> : tensor<2x4x6xf32>
  %es = tensor.empty() : tensor<2x4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %qk = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>,
                                             affine_map<(b, m, n, k) -> (b, n, k)>,
                                             affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%q, %k : tensor<2x4x16xbf16>, tensor<2x6x16xbf16>) outs(%fs : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %scaled = linalg.mul ins(%qk, %quarter : tensor<2x4x6xf32>, tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %w = linalg.softmax dimension(2) ins(%scaled : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %eo = tensor.empty() : tensor<2x4x8xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %h = linalg.batch_matmul ins(%w, %v : tensor<2x4x6xf32>, tensor<2x6x8xbf16>) outs(%fo : tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return %h : tensor<2x4x8xf32>
}
