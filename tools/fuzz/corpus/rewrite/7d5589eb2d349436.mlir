// Batch x heads: Q, K^T, V reshaped to the matmuls' 3-D and the scores back
// to 4-D for the scale and softmax; one 4-D inhibitor.attention replaces
// the final reshape.
// CHECK-LABEL: func @tosa_4d_heads
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<2x3x4x8xf32>, %[[K:[^:]*]]: tensor<2x3x6x8xf32>, %[[V:[^:]*]]: tensor<2x3x6x5xf32>)
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x3x4x5xf32>
// CHECK: %[[H:.*]] = inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 2.82842{{[0-9]*}} : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<2x3x4x8xf32>, tensor<2x3x6x8xf32>, tensor<2x3x6x5xf32>)
// CHECK-SAME: outs(%[[INIT]] : tensor<2x3x4x5xf32>) -> tensor<2x3x4x5xf32>
// CHECK-NOT: tosa.
// CHECK: return %[[H]]
func.func @tosa_4d_heads(%q: tensor<2x3x4x8xf32>, %k: tensor<2x3x6x8xf32>, %v: tensor<2x3x6x5xf32>) -> tensor<2x3x4x5xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %sq = tosa.const_shape {values = dense<[6, 4, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %sk = tosa.const_shape {values = dense<[6, 8, 6]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %sv = tosa.const_shape {values = dense<[6, 6, 5]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %so = tosa.const_shape {values = dense<[2, 3, 4, 5]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %kt = tosa.transpose %k {perms = array<i32: 0, 1, 3, 2>} : (tensor<2x3x6x8xf32>) -> tensor<2x3x8x6xf32>
  %k3 = tosa.reshape %kt, %sk : (tensor<2x3x8x6xf32>, !tosa.shape<3>) -> tensor<6x8x6xf32>
  %q3 = tosa.reshape %q, %sq : (tensor<2x3x4x8xf32>, !tosa.shape<3>) -> tensor<6x4x8xf32>
  %s3 = tosa.matmul %q3, %k3, %zp, %zp : (tensor<6x4x8xf32>, tensor<6x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<6x4x6xf32>
  %ss = tosa.const_shape {values = dense<[2, 3, 4, 6]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %sp = tosa.const_shape {values = dense<[6, 4, 6]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %s = tosa.reshape %s3, %ss : (tensor<6x4x6xf32>, !tosa.shape<4>) -> tensor<2x3x4x6xf32>
  %sc = tosa.mul %s, %scale, %shift : (tensor<2x3x4x6xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<2x3x4x6xf32>
  %max = tosa.reduce_max %sc {axis = 3 : i32} : (tensor<2x3x4x6xf32>) -> tensor<2x3x4x1xf32>
  %sub = tosa.sub %sc, %max : (tensor<2x3x4x6xf32>, tensor<2x3x4x1xf32>) -> tensor<2x3x4x6xf32>
  %exp = tosa.exp %sub : (tensor<2x3x4x6xf32>) -> tensor<2x3x4x6xf32>
  %sum = tosa.reduce_sum %exp {axis = 3 : i32} : (tensor<2x3x4x6xf32>) -> tensor<2x3x4x1xf32>
  %rec = tosa.reciprocal %sum : (tensor<2x3x4x1xf32>) -> tensor<2x3x4x1xf32>
  %p4 = tosa.mul %exp, %rec, %shift : (tensor<2x3x4x6xf32>, tensor<2x3x4x1xf32>, tensor<1xi8>) -> tensor<2x3x4x6xf32>
  %p = tosa.reshape %p4, %sp : (tensor<2x3x4x6xf32>, !tosa.shape<3>) -> tensor<6x4x6xf32>
  %v3 = tosa.reshape %v, %sv : (tensor<2x3x6x5xf32>, !tosa.shape<3>) -> tensor<6x6x5xf32>
  %h3 = tosa.matmul %p, %v3, %zp, %zp : (tensor<6x4x6xf32>, tensor<6x6x5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<6x4x5xf32>
  %h = tosa.reshape %h3, %so : (tensor<6x4x5xf32>, !tosa.shape<4>) -> tensor<2x3x4x5xf32>
  return %h : tensor<2x3x4x5xf32>
}
