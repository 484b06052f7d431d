// K^T through the matmul's indexing maps; the scale as a division by a
// filled constant (1/s = 8, so gamma = 8).
// CHECK-LABEL: func @transposed_maps_div_fill
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<4x16xf32>, %[[K:[^:]*]]: tensor<6x16xf32>, %[[V:[^:]*]]: tensor<6x5xf32>)
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 8.000000e+00 : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] :
func.func @transposed_maps_div_fill(%q: tensor<4x16xf32>, %k: tensor<6x16xf32>,
                                    %v: tensor<6x5xf32>) -> tensor<4x5xf32> {
  %zero = arith.constant 0.0 : f32
  %c8 = arith.constant 8.0 : f32
  %es = tensor.empty() : tensor<4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %qk = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                       affine_map<(m, n, k) -> (n, k)>,
                                       affine_map<(m, n, k) -> (m, n)>]
      ins(%q, %k : tensor<4x16xf32>, tensor<6x16xf32>) outs(%fs : tensor<4x6xf32>) -> tensor<4x6xf32>
  %d = linalg.fill ins(%c8 : f32) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %scaled = linalg.div ins(%qk, %d : tensor<4x6xf32>, tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %w = linalg.softmax dimension(1) ins(%scaled : tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %eo = tensor.empty() : tensor<4x5xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<4x5xf32>) -> tensor<4x5xf32>
  %h = linalg.matmul ins(%w, %v : tensor<4x6xf32>, tensor<6x5xf32>) outs(%fo : tensor<4x5xf32>) -> tensor<4x5xf32>
  return %h : tensor<4x5xf32>
}
