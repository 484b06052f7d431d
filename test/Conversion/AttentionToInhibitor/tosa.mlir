// RUN: inhibitor-opt %s -split-input-file -verify-each --convert-attention-to-inhibitor | FileCheck %s
// Running the pass twice changes nothing the second time.
// RUN: inhibitor-opt %s -split-input-file --convert-attention-to-inhibitor > %t.once.mlir
// RUN: inhibitor-opt %t.once.mlir -split-input-file --convert-attention-to-inhibitor > %t.twice.mlir
// RUN: diff %t.once.mlir %t.twice.mlir
// RUN: inhibitor-opt %s -split-input-file --convert-attention-to-inhibitor="emit-remarks=true" 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK

// Dot-product attention in TOSA (22 syntax: zero-point operands of
// tosa.matmul, the shift operand of tosa.mul, tosa.const_shape for
// tosa.reshape) becomes inhibitor.attention on tensors (an architecture
// change, not an equivalence).

// REMARK-COUNT-7: remark: replaced dot-product attention by inhibitor.attention
// REMARK-NOT: remark: replaced

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
// -----

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
// -----

// tosa.select of -inf on an i1 mask: the mask operand.
// CHECK-LABEL: func @tosa_select_mask
// CHECK-SAME: %[[M:[^:]*]]: tensor<1x4x6xi1>
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 2.82842{{[0-9]*}} : f32}
// CHECK-SAME: mask(%[[M]] : tensor<1x4x6xi1>)
// CHECK-NOT: tosa.
func.func @tosa_select_mask(%q: tensor<2x4x8xf32>, %k: tensor<2x6x8xf32>, %v: tensor<2x6x5xf32>, %m: tensor<1x4x6xi1>) -> tensor<2x4x5xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %kt = tosa.transpose %k {perms = array<i32: 0, 2, 1>} : (tensor<2x6x8xf32>) -> tensor<2x8x6xf32>
  %s = tosa.matmul %q, %kt, %zp, %zp : (tensor<2x4x8xf32>, tensor<2x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x6xf32>
  %ninf = "tosa.const"() <{values = dense<0xFF800000> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %sc = tosa.mul %s, %scale, %shift : (tensor<2x4x6xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<2x4x6xf32>
  %masked = tosa.select %m, %sc, %ninf : (tensor<1x4x6xi1>, tensor<2x4x6xf32>, tensor<1x1x1xf32>) -> tensor<2x4x6xf32>
  %max = tosa.reduce_max %masked {axis = 2 : i32} : (tensor<2x4x6xf32>) -> tensor<2x4x1xf32>
  %sub = tosa.sub %masked, %max : (tensor<2x4x6xf32>, tensor<2x4x1xf32>) -> tensor<2x4x6xf32>
  %exp = tosa.exp %sub : (tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %sum = tosa.reduce_sum %exp {axis = 2 : i32} : (tensor<2x4x6xf32>) -> tensor<2x4x1xf32>
  %rec = tosa.reciprocal %sum : (tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %p = tosa.mul %exp, %rec, %shift : (tensor<2x4x6xf32>, tensor<2x4x1xf32>, tensor<1xi8>) -> tensor<2x4x6xf32>
  %h = tosa.matmul %p, %v, %zp, %zp : (tensor<2x4x6xf32>, tensor<2x6x5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x5xf32>
  return %h : tensor<2x4x5xf32>
}
// -----

// A constant additive causal mask (0 where j <= i, -inf elsewhere): `causal`.
// CHECK-LABEL: func @tosa_constant_causal_mask
// CHECK: inhibitor.attention causal signed {alpha = 5.000000e-01 : f32, gamma = 2.82842{{[0-9]*}} : f32}
// CHECK-NOT: mask(
// CHECK-NOT: tosa.
func.func @tosa_constant_causal_mask(%q: tensor<2x4x8xf32>, %k: tensor<2x6x8xf32>, %v: tensor<2x6x5xf32>) -> tensor<2x4x5xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %kt = tosa.transpose %k {perms = array<i32: 0, 2, 1>} : (tensor<2x6x8xf32>) -> tensor<2x8x6xf32>
  %s = tosa.matmul %q, %kt, %zp, %zp : (tensor<2x4x8xf32>, tensor<2x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x6xf32>
  %causal = "tosa.const"() <{values = dense<[[[0.0, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000], [0.0, 0.0, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000], [0.0, 0.0, 0.0, 0xFF800000, 0xFF800000, 0xFF800000], [0.0, 0.0, 0.0, 0.0, 0xFF800000, 0xFF800000]]]> : tensor<1x4x6xf32>}> : () -> tensor<1x4x6xf32>
  %sc = tosa.mul %s, %scale, %shift : (tensor<2x4x6xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<2x4x6xf32>
  %masked = tosa.add %sc, %causal : (tensor<2x4x6xf32>, tensor<1x4x6xf32>) -> tensor<2x4x6xf32>
  %max = tosa.reduce_max %masked {axis = 2 : i32} : (tensor<2x4x6xf32>) -> tensor<2x4x1xf32>
  %sub = tosa.sub %masked, %max : (tensor<2x4x6xf32>, tensor<2x4x1xf32>) -> tensor<2x4x6xf32>
  %exp = tosa.exp %sub : (tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %sum = tosa.reduce_sum %exp {axis = 2 : i32} : (tensor<2x4x6xf32>) -> tensor<2x4x1xf32>
  %rec = tosa.reciprocal %sum : (tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %p = tosa.mul %exp, %rec, %shift : (tensor<2x4x6xf32>, tensor<2x4x1xf32>, tensor<1xi8>) -> tensor<2x4x6xf32>
  %h = tosa.matmul %p, %v, %zp, %zp : (tensor<2x4x6xf32>, tensor<2x6x5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x5xf32>
  return %h : tensor<2x4x5xf32>
}
// -----

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
// -----

// Batch x heads with the softmax on the 3-D scores and K reshaped before its
// transpose.
// CHECK-LABEL: func @tosa_4d_heads_3d_softmax
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<2x3x4x8xf32>, %[[K:[^:]*]]: tensor<2x3x6x8xf32>, %[[V:[^:]*]]: tensor<2x3x6x5xf32>)
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x3x4x5xf32>
// CHECK: %[[H:.*]] = inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 2.82842{{[0-9]*}} : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<2x3x4x8xf32>, tensor<2x3x6x8xf32>, tensor<2x3x6x5xf32>)
// CHECK-SAME: outs(%[[INIT]] : tensor<2x3x4x5xf32>) -> tensor<2x3x4x5xf32>
// CHECK-NOT: tosa.
// CHECK: return %[[H]]
func.func @tosa_4d_heads_3d_softmax(%q: tensor<2x3x4x8xf32>, %k: tensor<2x3x6x8xf32>, %v: tensor<2x3x6x5xf32>) -> tensor<2x3x4x5xf32> {
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
  %q3 = tosa.reshape %q, %sq : (tensor<2x3x4x8xf32>, !tosa.shape<3>) -> tensor<6x4x8xf32>
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

// -----

// Q is already 3-D (batch x heads collapsed by the caller) and the softmax
// runs on the 3-D scores: the reshapes propagate, Q is expanded to
// [b, h, N, D] and the op is 4-D on the 4-D K and V; no reshape is left
// around the result.
// CHECK-LABEL: func @tosa_3d_between_reshapes
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<6x4x8xf32>, %[[K:[^:]*]]: tensor<2x3x6x8xf32>, %[[V:[^:]*]]: tensor<2x3x6x5xf32>)
// CHECK: %[[Q4:.*]] = tensor.expand_shape %[[Q]] {{\[\[}}0, 1], [2], [3]] output_shape [2, 3, 4, 8]
// CHECK: %[[H:.*]] = inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 2.82842{{[0-9]*}} : f32}
// CHECK-SAME: ins(%[[Q4]], %[[K]], %[[V]] : tensor<2x3x4x8xf32>, tensor<2x3x6x8xf32>, tensor<2x3x6x5xf32>)
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

// -----

// Not attention: each case below is left alone.

// The max reduces the query dim.
// CHECK-LABEL: func @tosa_max_wrong_axis
// CHECK-NOT: inhibitor.attention
// CHECK: tosa.reduce_max

func.func @tosa_max_wrong_axis(%q: tensor<2x4x8xf32>, %k: tensor<2x6x8xf32>, %v: tensor<2x6x5xf32>) -> tensor<2x4x5xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %kt = tosa.transpose %k {perms = array<i32: 0, 2, 1>} : (tensor<2x6x8xf32>) -> tensor<2x8x6xf32>
  %s = tosa.matmul %q, %kt, %zp, %zp : (tensor<2x4x8xf32>, tensor<2x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x6xf32>
  %sc = tosa.mul %s, %scale, %shift : (tensor<2x4x6xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<2x4x6xf32>
  %max = tosa.reduce_max %sc {axis = 1 : i32} : (tensor<2x4x6xf32>) -> tensor<2x1x6xf32>
  %sub = tosa.sub %sc, %max : (tensor<2x4x6xf32>, tensor<2x1x6xf32>) -> tensor<2x4x6xf32>
  %exp = tosa.exp %sub : (tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %sum = tosa.reduce_sum %exp {axis = 2 : i32} : (tensor<2x4x6xf32>) -> tensor<2x4x1xf32>
  %rec = tosa.reciprocal %sum : (tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %p = tosa.mul %exp, %rec, %shift : (tensor<2x4x6xf32>, tensor<2x4x1xf32>, tensor<1xi8>) -> tensor<2x4x6xf32>
  %h = tosa.matmul %p, %v, %zp, %zp : (tensor<2x4x6xf32>, tensor<2x6x5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x5xf32>
  return %h : tensor<2x4x5xf32>
}
// -----

// The scale is not a constant.
// CHECK-LABEL: func @tosa_non_constant_scale
// CHECK-NOT: inhibitor.attention
// CHECK: tosa.reduce_max

func.func @tosa_non_constant_scale(%q: tensor<2x4x8xf32>, %k: tensor<2x6x8xf32>, %v: tensor<2x6x5xf32>, %t: tensor<2x4x6xf32>) -> tensor<2x4x5xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %kt = tosa.transpose %k {perms = array<i32: 0, 2, 1>} : (tensor<2x6x8xf32>) -> tensor<2x8x6xf32>
  %s = tosa.matmul %q, %kt, %zp, %zp : (tensor<2x4x8xf32>, tensor<2x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x6xf32>
  %sc = tosa.mul %s, %t, %shift : (tensor<2x4x6xf32>, tensor<2x4x6xf32>, tensor<1xi8>) -> tensor<2x4x6xf32>
  %max = tosa.reduce_max %sc {axis = 2 : i32} : (tensor<2x4x6xf32>) -> tensor<2x4x1xf32>
  %sub = tosa.sub %sc, %max : (tensor<2x4x6xf32>, tensor<2x4x1xf32>) -> tensor<2x4x6xf32>
  %exp = tosa.exp %sub : (tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %sum = tosa.reduce_sum %exp {axis = 2 : i32} : (tensor<2x4x6xf32>) -> tensor<2x4x1xf32>
  %rec = tosa.reciprocal %sum : (tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %p = tosa.mul %exp, %rec, %shift : (tensor<2x4x6xf32>, tensor<2x4x1xf32>, tensor<1xi8>) -> tensor<2x4x6xf32>
  %h = tosa.matmul %p, %v, %zp, %zp : (tensor<2x4x6xf32>, tensor<2x6x5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x5xf32>
  return %h : tensor<2x4x5xf32>
}
// -----

// The attention weights are returned too.
// CHECK-LABEL: func @tosa_weights_other_use
// CHECK-NOT: inhibitor.attention
// CHECK: tosa.reciprocal

func.func @tosa_weights_other_use(%q: tensor<2x4x8xf32>, %k: tensor<2x6x8xf32>, %v: tensor<2x6x5xf32>) -> (tensor<2x4x5xf32>, tensor<2x4x6xf32>) {
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
  return %h, %p : tensor<2x4x5xf32>, tensor<2x4x6xf32>
}
// -----

// exp instead of reciprocal of the sum: not a softmax.
// CHECK-LABEL: func @tosa_not_reciprocal
// CHECK-NOT: inhibitor.attention
// CHECK: tosa.reduce_sum

func.func @tosa_not_reciprocal(%q: tensor<2x4x8xf32>, %k: tensor<2x6x8xf32>, %v: tensor<2x6x5xf32>) -> tensor<2x4x5xf32> {
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
  %rec = tosa.exp %sum : (tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %p = tosa.mul %exp, %rec, %shift : (tensor<2x4x6xf32>, tensor<2x4x1xf32>, tensor<1xi8>) -> tensor<2x4x6xf32>
  %h = tosa.matmul %p, %v, %zp, %zp : (tensor<2x4x6xf32>, tensor<2x6x5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x5xf32>
  return %h : tensor<2x4x5xf32>
}
// -----

// Q is [b, n, h, d]: its reshape to the matmul's [b * h, n, d] mixes rows
// and heads, not a collapse of batch x heads.
// CHECK-LABEL: func @tosa_reshape_not_heads
// CHECK-NOT: inhibitor.attention
// CHECK: tosa.reduce_max

func.func @tosa_reshape_not_heads(%q: tensor<2x4x3x8xf32>, %k: tensor<2x3x6x8xf32>, %v: tensor<2x3x6x5xf32>) -> tensor<2x3x4x5xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %sq = tosa.const_shape {values = dense<[6, 4, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %sk = tosa.const_shape {values = dense<[6, 8, 6]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %sv = tosa.const_shape {values = dense<[6, 6, 5]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %so = tosa.const_shape {values = dense<[2, 3, 4, 5]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %kt = tosa.transpose %k {perms = array<i32: 0, 1, 3, 2>} : (tensor<2x3x6x8xf32>) -> tensor<2x3x8x6xf32>
  %k3 = tosa.reshape %kt, %sk : (tensor<2x3x8x6xf32>, !tosa.shape<3>) -> tensor<6x8x6xf32>
  %q3 = tosa.reshape %q, %sq : (tensor<2x4x3x8xf32>, !tosa.shape<3>) -> tensor<6x4x8xf32>
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
