// arith.select on an i1 mask with -inf becomes the mask operand.
// CHECK-LABEL: func @select_mask
// CHECK-SAME: %[[M:[^:]*]]: tensor<4x6xi1>
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 4.000000e+00 : f32}
// CHECK-SAME: mask(%[[M]] : tensor<4x6xi1>)
func.func @select_mask(%q: tensor<4x16xf32>, %k: tensor<6x16xf32>, %v: tensor<6x8xf32>,
                       %m: tensor<4x6xi1>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %s = arith.constant 0.25 : f32
  %ninf = arith.constant dense<0xFF800000> : tensor<4x6xf32>
  %ekt = tensor.empty() : tensor<16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<6x16xf32>) outs(%ekt : tensor<16x6xf32>) permutation = [1, 0]
  %es = tensor.empty() : tensor<4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %qk = linalg.matmul ins(%q, %kt : tensor<4x16xf32>, tensor<16x6xf32>) outs(%fs : tensor<4x6xf32>) -> tensor<4x6xf32>
  %scaled = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                            iterator_types = ["parallel", "parallel"]}
      ins(%qk : tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.mulf %s, %x : f32
    linalg.yield %y : f32
  } -> tensor<4x6xf32>
  %masked = arith.select %m, %scaled, %ninf : tensor<4x6xi1>, tensor<4x6xf32>
  %w = linalg.softmax dimension(1) ins(%masked : tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %eo = tensor.empty() : tensor<4x8xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<4x8xf32>) -> tensor<4x8xf32>
  %h = linalg.matmul ins(%w, %v : tensor<4x6xf32>, tensor<6x8xf32>) outs(%fo : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %h : tensor<4x8xf32>
}
