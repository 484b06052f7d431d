// Batched, dynamic shapes, linalg.mul by a filled constant (s = 0.25).
// CHECK-LABEL: func @batch_dynamic_mul_splat
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<?x?x?xf32>, %[[K:[^:]*]]: tensor<?x?x?xf32>, %[[V:[^:]*]]: tensor<?x?x?xf32>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[B:.*]] = tensor.dim %[[Q]], %[[C0]]
// CHECK-DAG: %[[N:.*]] = tensor.dim %[[Q]], %[[C1]]
// CHECK-DAG: %[[E:.*]] = tensor.dim %[[V]], %[[C2]]
// CHECK: %[[INIT:.*]] = tensor.empty(%[[B]], %[[N]], %[[E]]) : tensor<?x?x?xf32>
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 4.000000e+00 : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
// CHECK-SAME: outs(%[[INIT]] : tensor<?x?x?xf32>)
func.func @batch_dynamic_mul_splat(%q: tensor<?x?x?xf32>, %k: tensor<?x?x?xf32>, %v: tensor<?x?x?xf32>,
                                   %kt_init: tensor<?x?x?xf32>, %s_init: tensor<?x?x?xf32>,
                                   %o_init: tensor<?x?x?xf32>) -> tensor<?x?x?xf32> {
  %zero = arith.constant 0.0 : f32
  %c = arith.constant 0.25 : f32
  %kt = linalg.transpose ins(%k : tensor<?x?x?xf32>) outs(%kt_init : tensor<?x?x?xf32>) permutation = [0, 2, 1]
  %fs = linalg.fill ins(%zero : f32) outs(%s_init : tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  %qk = linalg.batch_matmul ins(%q, %kt : tensor<?x?x?xf32>, tensor<?x?x?xf32>) outs(%fs : tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  %quarter = linalg.fill ins(%c : f32) outs(%s_init : tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  %scaled = linalg.mul ins(%quarter, %qk : tensor<?x?x?xf32>, tensor<?x?x?xf32>) outs(%s_init : tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  %w = linalg.softmax dimension(2) ins(%scaled : tensor<?x?x?xf32>) outs(%s_init : tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%o_init : tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  %h = linalg.batch_matmul ins(%w, %v : tensor<?x?x?xf32>, tensor<?x?x?xf32>) outs(%fo : tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  return %h : tensor<?x?x?xf32>
}
