// f16, no scale (gamma = 1), linalg.mul with a splat constant would be the
// scale; here there is none.
// CHECK-LABEL: func @f16_no_scale
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f16, gamma = 1.000000e+00 : f16}
// CHECK-SAME: -> tensor<4x8xf16>
func.func @f16_no_scale(%q: tensor<4x16xf16>, %k: tensor<6x16xf16>, %v: tensor<6x8xf16>) -> tensor<4x8xf16> {
  %zero = arith.constant 0.0 : f16
  %ekt = tensor.empty() : tensor<16x6xf16>
  %kt = linalg.transpose ins(%k : tensor<6x16xf16>) outs(%ekt : tensor<16x6xf16>) permutation = [1, 0]
  %es = tensor.empty() : tensor<4x6xf16>
  %fs = linalg.fill ins(%zero : f16) outs(%es : tensor<4x6xf16>) -> tensor<4x6xf16>
  %qk = linalg.matmul ins(%q, %kt : tensor<4x16xf16>, tensor<16x6xf16>) outs(%fs : tensor<4x6xf16>) -> tensor<4x6xf16>
  %w = linalg.softmax dimension(1) ins(%qk : tensor<4x6xf16>) outs(%es : tensor<4x6xf16>) -> tensor<4x6xf16>
  %eo = tensor.empty() : tensor<4x8xf16>
  %fo = linalg.fill ins(%zero : f16) outs(%eo : tensor<4x8xf16>) -> tensor<4x8xf16>
  %h = linalg.matmul ins(%w, %v : tensor<4x6xf16>, tensor<6x8xf16>) outs(%fo : tensor<4x8xf16>) -> tensor<4x8xf16>
  return %h : tensor<4x8xf16>
}
