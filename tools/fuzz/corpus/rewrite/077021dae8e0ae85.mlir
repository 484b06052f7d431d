// An additive mask that is a constant of only 0 and -inf becomes an i1
// constant (0 attends; a causal pattern would become `causal`); the scale
// divides by 2 inside a generic.
// CHECK-LABEL: func @constant_additive_mask
// CHECK: %[[M:.*]] = arith.constant dense<{{\[}}[true, true], [false, true]]> : tensor<2x2xi1>
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 2.000000e+00 : f32}
// CHECK-SAME: mask(%[[M]] : tensor<2x2xi1>)
func.func @constant_additive_mask(%q: tensor<2x4xf32>, %k: tensor<2x4xf32>, %v: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %zero = arith.constant 0.0 : f32
  %two = arith.constant 2.0 : f32
  %mask = arith.constant dense<[[0.0, 0.0], [0xFF800000, 0.0]]> : tensor<2x2xf32>
  %ekt = tensor.empty() : tensor<4x2xf32>
  %kt = linalg.transpose ins(%k : tensor<2x4xf32>) outs(%ekt : tensor<4x2xf32>) permutation = [1, 0]
  %es = tensor.empty() : tensor<2x2xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x2xf32>) -> tensor<2x2xf32>
  %qk = linalg.matmul ins(%q, %kt : tensor<2x4xf32>, tensor<4x2xf32>) outs(%fs : tensor<2x2xf32>) -> tensor<2x2xf32>
  %scaled = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                            iterator_types = ["parallel", "parallel"]}
      ins(%qk : tensor<2x2xf32>) outs(%es : tensor<2x2xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.divf %x, %two : f32
    linalg.yield %y : f32
  } -> tensor<2x2xf32>
  %masked = linalg.add ins(%scaled, %mask : tensor<2x2xf32>, tensor<2x2xf32>) outs(%es : tensor<2x2xf32>) -> tensor<2x2xf32>
  %w = linalg.softmax dimension(1) ins(%masked : tensor<2x2xf32>) outs(%es : tensor<2x2xf32>) -> tensor<2x2xf32>
  %eo = tensor.empty() : tensor<2x3xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x3xf32>) -> tensor<2x3xf32>
  %h = linalg.matmul ins(%w, %v : tensor<2x2xf32>, tensor<2x3xf32>) outs(%fo : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %h : tensor<2x3xf32>
}
