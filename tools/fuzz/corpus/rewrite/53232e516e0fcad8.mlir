// Mismatched shapes: Q K^T without a transpose (a [N, D] x [D, M] product of
// Q with a key stored as [D, M] is not K^T of a [M, D] key the op can take).
// CHECK-LABEL: func @key_not_transposed
// CHECK-NOT: inhibitor.attention
// CHECK: linalg.softmax
func.func @key_not_transposed(%q: tensor<4x16xf32>, %kt: tensor<16x6xf32>, %v: tensor<6x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %es = tensor.empty() : tensor<4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %qk = linalg.matmul ins(%q, %kt : tensor<4x16xf32>, tensor<16x6xf32>) outs(%fs : tensor<4x6xf32>) -> tensor<4x6xf32>
  %w = linalg.softmax dimension(1) ins(%qk : tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %eo = tensor.empty() : tensor<4x8xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<4x8xf32>) -> tensor<4x8xf32>
  %h = linalg.matmul ins(%w, %v : tensor<4x6xf32>, tensor<6x8xf32>) outs(%fo : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %h : tensor<4x8xf32>
}
