// Dynamic batch; the scale constant first in its mul.
// CHECK-LABEL: func @tosa_3d_dynamic_batch
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<?x4x8xf32>
// CHECK: %[[B:.*]] = tensor.dim %[[Q]], %{{.*}} : tensor<?x4x8xf32>
// CHECK: %[[INIT:.*]] = tensor.empty(%[[B]]) : tensor<?x4x5xf32>
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 2.82842{{[0-9]*}} : f32}
// CHECK-SAME: outs(%[[INIT]] : tensor<?x4x5xf32>) -> tensor<?x4x5xf32>
// CHECK-NOT: tosa.
func.func @tosa_3d_dynamic_batch(%q: tensor<?x4x8xf32>, %k: tensor<?x6x8xf32>, %v: tensor<?x6x5xf32>) -> tensor<?x4x5xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %kt = tosa.transpose %k {perms = array<i32: 0, 2, 1>} : (tensor<?x6x8xf32>) -> tensor<?x8x6xf32>
  %s = tosa.matmul %q, %kt, %zp, %zp : (tensor<?x4x8xf32>, tensor<?x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x4x6xf32>
  %sc = tosa.mul %scale, %s, %shift : (tensor<1x1x1xf32>, tensor<?x4x6xf32>, tensor<1xi8>) -> tensor<?x4x6xf32>
  %max = tosa.reduce_max %sc {axis = 2 : i32} : (tensor<?x4x6xf32>) -> tensor<?x4x1xf32>
  %sub = tosa.sub %sc, %max : (tensor<?x4x6xf32>, tensor<?x4x1xf32>) -> tensor<?x4x6xf32>
  %exp = tosa.exp %sub : (tensor<?x4x6xf32>) -> tensor<?x4x6xf32>
  %sum = tosa.reduce_sum %exp {axis = 2 : i32} : (tensor<?x4x6xf32>) -> tensor<?x4x1xf32>
  %rec = tosa.reciprocal %sum : (tensor<?x4x1xf32>) -> tensor<?x4x1xf32>
  %p = tosa.mul %exp, %rec, %shift : (tensor<?x4x6xf32>, tensor<?x4x1xf32>, tensor<1xi8>) -> tensor<?x4x6xf32>
  %h = tosa.matmul %p, %v, %zp, %zp : (tensor<?x4x6xf32>, tensor<?x6x5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x4x5xf32>
  return %h : tensor<?x4x5xf32>
}
