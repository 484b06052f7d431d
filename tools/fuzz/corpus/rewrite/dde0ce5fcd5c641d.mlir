// Q is already 3-D (no collapse of batch x heads to look through) and the
// softmax runs on the 3-D scores: a 3-D inhibitor.attention between the
// reshapes, on the reshaped K and V; the final reshape stays.
// CHECK-LABEL: func @tosa_3d_between_reshapes
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<6x4x8xf32>, %[[K:[^:]*]]: tensor<2x3x6x8xf32>, %[[V:[^:]*]]: tensor<2x3x6x5xf32>)
// CHECK-DAG: %[[K3:.*]] = tosa.reshape %[[K]]
// CHECK-DAG: %[[V3:.*]] = tosa.reshape %[[V]]
// CHECK: %[[H3:.*]] = inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 2.82842{{[0-9]*}} : f32}
// CHECK-SAME: ins(%[[Q]], %[[K3]], %[[V3]] : tensor<6x4x8xf32>, tensor<6x6x8xf32>, tensor<6x6x5xf32>)
// CHECK: %[[H:.*]] = tosa.reshape %[[H3]]
// CHECK: return %[[H]] : tensor<2x3x4x5xf32>
func.func @tosa_3d_between_reshapes(%q3: tensor<6x4x8xf32>, %k: tensor<2x3x6x8xf32>, %v: tensor<2x3x6x5xf32>) -> tensor<2x3x4x5xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %sq = tosa.const_shape {values = dense<[6, 4, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %sk = tosa.const_shape {values = dense<[6, 8, 6]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %sv = tosa.const_shape {values = dense<[6, 6, 5]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %so = tosa.const_shape {values = dense<[2, 3, 4, 5]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %sk3 = tosa.const_shape {values = dense<[6, 6, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %kr = tosa.reshape %k, %sk3 : (tensor<2x3x6x8xf32>, !tosa.shape<3>) -> tensor<6x6x8xf32>
  %k3 = tosa.transpose %kr {perms = array<i32: 0, 2, 1>} : (tensor<6x6x8xf32>) -> tensor<6x8x6xf32>
  %s3 = tosa.matmul %q3, %k3, %zp, %zp : (tensor<6x4x8xf32>, tensor<6x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<6x4x6xf32>
  %sc = tosa.mul %s3, %scale, %shift : (tensor<6x4x6xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<6x4x6xf32>
  %max = tosa.reduce_max %sc {axis = 2 : i32} : (tensor<6x4x6xf32>) -> tensor<6x4x1xf32>
  %sub = tosa.sub %sc, %max : (tensor<6x4x6xf32>, tensor<6x4x1xf32>) -> tensor<6x4x6xf32>
  %exp = tosa.exp %sub : (tensor<6x4x6xf32>) -> tensor<6x4x6xf32>
  %sum = tosa.reduce_sum %exp {axis = 2 : i32} : (tensor<6x4x6xf32>) -> tensor<6x4x1xf32>
  %rec = tosa.reciprocal %sum : (tensor<6x4x1xf32>) -> tensor<6x4x1xf32>
  %p = tosa.mul %exp, %rec, %shift : (tensor<6x4x6xf32>, tensor<6x4x1xf32>, tensor<1xi8>) -> tensor<6x4x6xf32>
  %v3 = tosa.reshape %v, %sv : (tensor<2x3x6x5xf32>, !tosa.shape<3>) -> tensor<6x6x5xf32>
  %h3 = tosa.matmul %p, %v3, %zp, %zp : (tensor<6x4x6xf32>, tensor<6x6x5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<6x4x5xf32>
  %h = tosa.reshape %h3, %so : (tensor<6x4x5xf32>, !tosa.shape<4>) -> tensor<2x3x4x5xf32>
  return %h : tensor<2x3x4x5xf32>
}
