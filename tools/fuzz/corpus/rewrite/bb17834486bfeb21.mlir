// Mismatched shapes: the "K^T" transposes the batch dim with the rows
// (permutation [1, 0, 2]), so B is not K^T of any [b, M, D] key.
// CHECK-LABEL: func @transpose_wrong_dims
// CHECK-NOT: inhibitor.attention
// CHECK: linalg.batch_matmul
func.func @transpose_wrong_dims(%q: tensor<4x4x4xf32>, %k: tensor<4x4x4xf32>, %v: tensor<4x4x8xf32>) -> tensor<4x4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %ekt = tensor.empty() : tensor<4x4x4xf32>
  %kt = linalg.transpose ins(%k : tensor<4x4x4xf32>) outs(%ekt : tensor<4x4x4xf32>) permutation = [1, 0, 2]
  %es = tensor.empty() : tensor<4x4x4xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<4x4x4xf32>) -> tensor<4x4x4xf32>
  %qk = linalg.batch_matmul ins(%q, %kt : tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%fs : tensor<4x4x4xf32>) -> tensor<4x4x4xf32>
  %w = linalg.softmax dimension(2) ins(%qk : tensor<4x4x4xf32>) outs(%es : tensor<4x4x4xf32>) -> tensor<4x4x4xf32>
  %eo = tensor.empty() : tensor<4x4x8xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<4x4x8xf32>) -> tensor<4x4x8xf32>
  %h = linalg.batch_matmul ins(%w, %v : tensor<4x4x4xf32>, tensor<4x4x8xf32>) outs(%fo : tensor<4x4x8xf32>) -> tensor<4x4x8xf32>
  return %h : tensor<4x4x8xf32>
}
