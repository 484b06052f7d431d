// The attention weights are returned too.
// CHECK-LABEL: func @weights_other_use
// CHECK-NOT: inhibitor.attention
// CHECK: linalg.softmax
func.func @weights_other_use(%q: tensor<4x16xf32>, %k: tensor<6x16xf32>, %v: tensor<6x8xf32>) -> (tensor<4x8xf32>, tensor<4x6xf32>) {
  %zero = arith.constant 0.0 : f32
  %ekt = tensor.empty() : tensor<16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<6x16xf32>) outs(%ekt : tensor<16x6xf32>) permutation = [1, 0]
  %es = tensor.empty() : tensor<4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %qk = linalg.matmul ins(%q, %kt : tensor<4x16xf32>, tensor<16x6xf32>) outs(%fs : tensor<4x6xf32>) -> tensor<4x6xf32>
  %w = linalg.softmax dimension(1) ins(%qk : tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %eo = tensor.empty() : tensor<4x8xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<4x8xf32>) -> tensor<4x8xf32>
  %h = linalg.matmul ins(%w, %v : tensor<4x6xf32>, tensor<6x8xf32>) outs(%fo : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %h, %w : tensor<4x8xf32>, tensor<4x6xf32>
}
