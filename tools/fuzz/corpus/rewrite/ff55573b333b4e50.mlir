// Upstream's linalg.softmax decomposition (transform.structured.
// decompose_interface, then -canonicalize): max from NaN with arith.maxnumf,
// subtract and exp fused in one generic, rank-reduced row tensors; f16,
// dynamic shapes.
// CHECK-LABEL: func @upstream_softmax_decomposition
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<?x?x?xf16>, %[[K:[^:]*]]: tensor<?x?x?xf16>, %[[V:[^:]*]]: tensor<?x?x?xf16>
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f16, gamma = 8.000000e+00 : f16}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<?x?x?xf16>, tensor<?x?x?xf16>, tensor<?x?x?xf16>)
// CHECK-NOT: linalg.generic
#up3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#uprow = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @upstream_softmax_decomposition(%arg0: tensor<?x?x?xf16>, %arg1: tensor<?x?x?xf16>, %arg2: tensor<?x?x?xf16>, %arg3: tensor<?x?x?xf16>, %arg4: tensor<?x?x?xf16>, %arg5: tensor<?x?x?xf16>) -> tensor<?x?x?xf16> {
  %cst = arith.constant 0xFE00 : f16
  %c1 = arith.constant 1 : index
  %c0 = arith.constant 0 : index
  %cst_0 = arith.constant 0.000000e+00 : f16
  %cst_1 = arith.constant 1.250000e-01 : f16
  %transposed = linalg.transpose ins(%arg1 : tensor<?x?x?xf16>) outs(%arg3 : tensor<?x?x?xf16>) permutation = [0, 2, 1] 
  %0 = linalg.fill ins(%cst_0 : f16) outs(%arg4 : tensor<?x?x?xf16>) -> tensor<?x?x?xf16>
  %1 = linalg.batch_matmul ins(%arg0, %transposed : tensor<?x?x?xf16>, tensor<?x?x?xf16>) outs(%0 : tensor<?x?x?xf16>) -> tensor<?x?x?xf16>
  %2 = linalg.fill ins(%cst_1 : f16) outs(%arg4 : tensor<?x?x?xf16>) -> tensor<?x?x?xf16>
  %3 = linalg.mul ins(%2, %1 : tensor<?x?x?xf16>, tensor<?x?x?xf16>) outs(%arg4 : tensor<?x?x?xf16>) -> tensor<?x?x?xf16>
  %dim = tensor.dim %arg4, %c0 : tensor<?x?x?xf16>
  %dim_2 = tensor.dim %arg4, %c1 : tensor<?x?x?xf16>
  %4 = tensor.empty(%dim, %dim_2) : tensor<?x?xf16>
  %5 = linalg.fill ins(%cst : f16) outs(%4 : tensor<?x?xf16>) -> tensor<?x?xf16>
  %6 = linalg.generic {indexing_maps = [#up3, #uprow], iterator_types = ["parallel", "parallel", "reduction"]} ins(%3 : tensor<?x?x?xf16>) outs(%5 : tensor<?x?xf16>) {
  ^bb0(%in: f16, %out: f16):
    %13 = arith.maxnumf %in, %out : f16
    linalg.yield %13 : f16
  } -> tensor<?x?xf16>
  %7 = linalg.generic {indexing_maps = [#up3, #uprow, #up3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%3, %6 : tensor<?x?x?xf16>, tensor<?x?xf16>) outs(%arg4 : tensor<?x?x?xf16>) {
  ^bb0(%in: f16, %in_3: f16, %out: f16):
    %13 = arith.subf %in, %in_3 : f16
    %14 = math.exp %13 : f16
    linalg.yield %14 : f16
  } -> tensor<?x?x?xf16>
  %8 = linalg.fill ins(%cst_0 : f16) outs(%4 : tensor<?x?xf16>) -> tensor<?x?xf16>
  %9 = linalg.generic {indexing_maps = [#up3, #uprow], iterator_types = ["parallel", "parallel", "reduction"]} ins(%7 : tensor<?x?x?xf16>) outs(%8 : tensor<?x?xf16>) {
  ^bb0(%in: f16, %out: f16):
    %13 = arith.addf %in, %out : f16
    linalg.yield %13 : f16
  } -> tensor<?x?xf16>
  %10 = linalg.generic {indexing_maps = [#up3, #uprow, #up3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%7, %9 : tensor<?x?x?xf16>, tensor<?x?xf16>) outs(%arg4 : tensor<?x?x?xf16>) {
  ^bb0(%in: f16, %in_3: f16, %out: f16):
    %13 = arith.divf %in, %in_3 : f16
    linalg.yield %13 : f16
  } -> tensor<?x?x?xf16>
  %11 = linalg.fill ins(%cst_0 : f16) outs(%arg5 : tensor<?x?x?xf16>) -> tensor<?x?x?xf16>
  %12 = linalg.batch_matmul ins(%10, %arg2 : tensor<?x?x?xf16>, tensor<?x?x?xf16>) outs(%11 : tensor<?x?x?xf16>) -> tensor<?x?x?xf16>
  return %12 : tensor<?x?x?xf16>
}


// Not attention: each case below is left alone.

// The max and sum reduce the query dim, not the key dim.
// CHECK-LABEL: func @softmax_wrong_dim
// CHECK-NOT: inhibitor.attention
// CHECK: linalg.batch_matmul
func.func @softmax_wrong_dim(%q: tensor<2x4x16xf32>, %k: tensor<2x6x16xf32>, %v: tensor<2x6x5xf32>) -> tensor<2x4x5xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %ekt = tensor.empty() : tensor<2x16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<2x6x16xf32>) outs(%ekt : tensor<2x16x6xf32>) permutation = [0, 2, 1]
  %es = tensor.empty() : tensor<2x4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %qk = linalg.batch_matmul ins(%q, %kt : tensor<2x4x16xf32>, tensor<2x16x6xf32>) outs(%fs : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %er = tensor.empty() : tensor<2x1x6xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%er : tensor<2x1x6xf32>) -> tensor<2x1x6xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, 0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%qk : tensor<2x4x6xf32>) outs(%fm : tensor<2x1x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %mx = arith.maximumf %in, %out : f32
    linalg.yield %mx : f32
  } -> tensor<2x1x6xf32>
  %sub = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, 0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%qk, %max : tensor<2x4x6xf32>, tensor<2x1x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.subf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %exp = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sub : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = math.exp %in : f32
    linalg.yield %x : f32
  } -> tensor<2x4x6xf32>
  %fz = linalg.fill ins(%zero : f32) outs(%er : tensor<2x1x6xf32>) -> tensor<2x1x6xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, 0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%exp : tensor<2x4x6xf32>) outs(%fz : tensor<2x1x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<2x1x6xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, 0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<2x4x6xf32>, tensor<2x1x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.divf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %eo = tensor.empty() : tensor<2x4x5xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %h = linalg.batch_matmul ins(%p, %v : tensor<2x4x6xf32>, tensor<2x6x5xf32>) outs(%fo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  return %h : tensor<2x4x5xf32>
}
