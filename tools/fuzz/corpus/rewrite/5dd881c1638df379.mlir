// Running the pass twice changes nothing the second time.

// Dot-product attention in TOSA (22 syntax: zero-point operands of
// tosa.matmul, the shift operand of tosa.mul, tosa.const_shape for
// tosa.reshape) becomes inhibitor.attention on tensors (an architecture
// change, not an equivalence).

// REMARK-COUNT-7: remark: replaced dot-product attention by inhibitor.attention
// REMARK-NOT: remark:

// TOSA 3-D: transpose, matmul with zero points, mul by a constant with its
// shift, reduce_max / sub / exp / reduce_sum / reciprocal / mul, matmul.
// CHECK-LABEL: func @tosa_3d
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<2x4x8xf32>, %[[K:[^:]*]]: tensor<2x6x8xf32>, %[[V:[^:]*]]: tensor<2x6x5xf32>)
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x4x5xf32>
// CHECK: %[[H:.*]] = inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 2.82842{{[0-9]*}} : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<2x4x8xf32>, tensor<2x6x8xf32>, tensor<2x6x5xf32>)
// CHECK-SAME: outs(%[[INIT]] : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
// CHECK-NOT: tosa.
// CHECK: return %[[H]]
func.func @tosa_3d(%q: tensor<2x4x8xf32>, %k: tensor<2x6x8xf32>, %v: tensor<2x6x5xf32>) -> tensor<2x4x5xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %kt = tosa.transpose %k {perms = array<i32: 0, 2, 1>} : (tensor<2x6x8xf32>) -> tensor<2x8x6xf32>
  %s = tosa.matmul %q, %kt, %zp, %zp : (tensor<2x4x8xf32>, tensor<2x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x6xf32>
  %sc = tosa.mul %s, %scale, %shift : (tensor<2x4x6xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<2x4x6xf32>
  %max = tosa.reduce_max %sc {axis = 2 : i32} : (tensor<2x4x6xf32>) -> tensor<2x4x1xf32>
  %sub = tosa.sub %sc, %max : (tensor<2x4x6xf32>, tensor<2x4x1xf32>) -> tensor<2x4x6xf32>
  %exp = tosa.exp %sub : (tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %sum = tosa.reduce_sum %exp {axis = 2 : i32} : (tensor<2x4x6xf32>) -> tensor<2x4x1xf32>
  %rec = tosa.reciprocal %sum : (tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %p = tosa.mul %exp, %rec, %shift : (tensor<2x4x6xf32>, tensor<2x4x1xf32>, tensor<1xi8>) -> tensor<2x4x6xf32>
  %h = tosa.matmul %p, %v, %zp, %zp : (tensor<2x4x6xf32>, tensor<2x6x5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x5xf32>
  return %h : tensor<2x4x5xf32>
}
