// RUN: inhibitor-opt %s -split-input-file -verify-each --convert-attention-to-inhibitor | FileCheck %s
// RUN: inhibitor-opt %s -split-input-file --convert-attention-to-inhibitor="emit-remarks=true" 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK

// Attention as PyTorch-Dynamo-to-TOSA emits it (22 syntax). The rewrite
// brings TOSA to linalg with upstream's tosa-to-linalg(-named), -tensor and
// -arith conversions first and then matches the one form.

// REMARK-COUNT-3: remark: replaced dot-product attention by inhibitor.attention
// REMARK-NOT: remark: replaced

// The scale as tosa.mul by tosa.reciprocal of a splat sqrt(d).
// CHECK-LABEL: func @tosa_reciprocal_scale
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<2x4x8xf32>, %[[K:[^:]*]]: tensor<2x6x8xf32>, %[[V:[^:]*]]: tensor<2x6x5xf32>)
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 2.000000e+00 : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] :
// CHECK-NOT: linalg.generic
func.func @tosa_reciprocal_scale(%q: tensor<2x4x8xf32>, %k: tensor<2x6x8xf32>, %v: tensor<2x6x5xf32>) -> tensor<2x4x5xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %d = "tosa.const"() <{values = dense<2.0> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %scale = tosa.reciprocal %d : (tensor<1x1x1xf32>) -> tensor<1x1x1xf32>
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

// The scale as tosa.mul by a tensor.splat of a constant.
// CHECK-LABEL: func @tosa_splat_scale
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 4.000000e+00 : f32}
func.func @tosa_splat_scale(%q: tensor<2x4x8xf32>, %k: tensor<2x6x8xf32>, %v: tensor<2x6x5xf32>) -> tensor<2x4x5xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %c = arith.constant 2.500000e-01 : f32
  %scale = tensor.splat %c : tensor<2x4x6xf32>
  %kt = tosa.transpose %k {perms = array<i32: 0, 2, 1>} : (tensor<2x6x8xf32>) -> tensor<2x8x6xf32>
  %s = tosa.matmul %q, %kt, %zp, %zp : (tensor<2x4x8xf32>, tensor<2x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x6xf32>
  %sc = tosa.mul %s, %scale, %shift : (tensor<2x4x6xf32>, tensor<2x4x6xf32>, tensor<1xi8>) -> tensor<2x4x6xf32>
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

// A LLaMA-style 4-D layer: [1, heads, seq, d] reshaped to 3-D around the
// matmuls, a constant additive causal mask (0 / -inf, as Dynamo folds
// torch.triu), the softmax on the 4-D scores.
// CHECK-LABEL: func @tosa_llama_causal
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<1x4x6x8xf32>, %[[K:[^:]*]]: tensor<1x4x6x8xf32>, %[[V:[^:]*]]: tensor<1x4x6x8xf32>)
// CHECK: %[[H:.*]] = inhibitor.attention causal signed {alpha = 5.000000e-01 : f32, gamma = 2.82842{{[0-9]*}} : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<1x4x6x8xf32>, tensor<1x4x6x8xf32>, tensor<1x4x6x8xf32>)
// CHECK-NOT: tosa.
// CHECK: return %[[H]]
func.func @tosa_llama_causal(%q: tensor<1x4x6x8xf32>, %k: tensor<1x4x6x8xf32>, %v: tensor<1x4x6x8xf32>) -> tensor<1x4x6x8xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %mask = "tosa.const"() <{values = dense<[[0.0, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000], [0.0, 0.0, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000], [0.0, 0.0, 0.0, 0xFF800000, 0xFF800000, 0xFF800000], [0.0, 0.0, 0.0, 0.0, 0xFF800000, 0xFF800000], [0.0, 0.0, 0.0, 0.0, 0.0, 0xFF800000], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<6x6xf32>}> : () -> tensor<6x6xf32>
  %shape3 = tosa.const_shape {values = dense<[4, 6, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shape4 = tosa.const_shape {values = dense<[1, 4, 6, 6]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %shape4m = tosa.const_shape {values = dense<[1, 1, 6, 6]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %shape3s = tosa.const_shape {values = dense<[4, 6, 6]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shapeo = tosa.const_shape {values = dense<[1, 4, 6, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %kt = tosa.transpose %k {perms = array<i32: 0, 1, 3, 2>} : (tensor<1x4x6x8xf32>) -> tensor<1x4x8x6xf32>
  %q3 = tosa.reshape %q, %shape3 : (tensor<1x4x6x8xf32>, !tosa.shape<3>) -> tensor<4x6x8xf32>
  %shape3t = tosa.const_shape {values = dense<[4, 8, 6]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %kt3 = tosa.reshape %kt, %shape3t : (tensor<1x4x8x6xf32>, !tosa.shape<3>) -> tensor<4x8x6xf32>
  %s3 = tosa.matmul %q3, %kt3, %zp, %zp : (tensor<4x6x8xf32>, tensor<4x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x6x6xf32>
  %s = tosa.reshape %s3, %shape4 : (tensor<4x6x6xf32>, !tosa.shape<4>) -> tensor<1x4x6x6xf32>
  %sc = tosa.mul %s, %scale, %shift : (tensor<1x4x6x6xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x4x6x6xf32>
  %m4 = tosa.reshape %mask, %shape4m : (tensor<6x6xf32>, !tosa.shape<4>) -> tensor<1x1x6x6xf32>
  %sm = tosa.add %sc, %m4 : (tensor<1x4x6x6xf32>, tensor<1x1x6x6xf32>) -> tensor<1x4x6x6xf32>
  %max = tosa.reduce_max %sm {axis = 3 : i32} : (tensor<1x4x6x6xf32>) -> tensor<1x4x6x1xf32>
  %sub = tosa.sub %sm, %max : (tensor<1x4x6x6xf32>, tensor<1x4x6x1xf32>) -> tensor<1x4x6x6xf32>
  %exp = tosa.exp %sub : (tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %sum = tosa.reduce_sum %exp {axis = 3 : i32} : (tensor<1x4x6x6xf32>) -> tensor<1x4x6x1xf32>
  %rec = tosa.reciprocal %sum : (tensor<1x4x6x1xf32>) -> tensor<1x4x6x1xf32>
  %p = tosa.mul %exp, %rec, %shift : (tensor<1x4x6x6xf32>, tensor<1x4x6x1xf32>, tensor<1xi8>) -> tensor<1x4x6x6xf32>
  %p3 = tosa.reshape %p, %shape3s : (tensor<1x4x6x6xf32>, !tosa.shape<3>) -> tensor<4x6x6xf32>
  %v3 = tosa.reshape %v, %shape3 : (tensor<1x4x6x8xf32>, !tosa.shape<3>) -> tensor<4x6x8xf32>
  %h3 = tosa.matmul %p3, %v3, %zp, %zp : (tensor<4x6x6xf32>, tensor<4x6x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x6x8xf32>
  %h = tosa.reshape %h3, %shapeo : (tensor<4x6x8xf32>, !tosa.shape<4>) -> tensor<1x4x6x8xf32>
  return %h : tensor<1x4x6x8xf32>
}
