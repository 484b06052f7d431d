// RUN: inhibitor-opt %s -split-input-file -verify-each --convert-attention-to-inhibitor | FileCheck %s
// RUN: inhibitor-opt %s -split-input-file --convert-attention-to-inhibitor="emit-remarks=true" 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK

// Additive terms that are not provably 0/lowest become the `bias` operand
// (never dropped); K/V heads repeated to the query heads (grouped-query
// attention) become grouped K/V heads: the repeat is removed, not
// materialized.

// REMARK-COUNT-5: remark: replaced dot-product attention by inhibitor.attention
// REMARK-NOT: remark: replaced

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#mask2 = affine_map<(d0, d1, d2, d3) -> (d2, d3)>

// An additive float mask that arrives as a function argument (values
// unknown): the bias.
// CHECK-LABEL: func @float_mask_argument
// CHECK-SAME: %[[B:[^:]*]]: tensor<5x7xf32>
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 2.000000e+00 : f32}
// CHECK-SAME: bias(%[[B]] : tensor<5x7xf32>)
func.func @float_mask_argument(%q: tensor<2x3x5x4xf32>, %k: tensor<2x3x7x4xf32>, %v: tensor<2x3x7x2xf32>, %bias: tensor<5x7xf32>) -> tensor<2x3x5x2xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %e = tensor.empty() : tensor<2x3x5x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3x5x7xf32>) -> tensor<2x3x5x7xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, h, i, d)>, affine_map<(b, h, i, j, d) -> (b, h, j, d)>, affine_map<(b, h, i, j, d) -> (b, h, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<2x3x5x4xf32>, tensor<2x3x7x4xf32>) outs(%f : tensor<2x3x5x7xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %p = arith.mulf %a, %b : f32
    %r = arith.addf %c, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x3x5x7xf32>
  %sm = linalg.generic {indexing_maps = [#id4, #mask2, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s, %bias : tensor<2x3x5x7xf32>, tensor<5x7xf32>) outs(%e : tensor<2x3x5x7xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %h = arith.constant 5.000000e-01 : f32
    %x = arith.mulf %a, %h : f32
    %y = arith.addf %x, %b : f32
    linalg.yield %y : f32
  } -> tensor<2x3x5x7xf32>
  %p = linalg.softmax dimension(3) ins(%sm : tensor<2x3x5x7xf32>) outs(%e : tensor<2x3x5x7xf32>) -> tensor<2x3x5x7xf32>
  %e2 = tensor.empty() : tensor<2x3x5x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x3x5x2xf32>) -> tensor<2x3x5x2xf32>
  %o = linalg.generic {indexing_maps = [affine_map<(b, h, i, e, j) -> (b, h, i, j)>, affine_map<(b, h, i, e, j) -> (b, h, j, e)>, affine_map<(b, h, i, e, j) -> (b, h, i, e)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %v : tensor<2x3x5x7xf32>, tensor<2x3x7x2xf32>) outs(%f2 : tensor<2x3x5x2xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %x = arith.mulf %a, %b : f32
    %r = arith.addf %c, %x : f32
    linalg.yield %r : f32
  } -> tensor<2x3x5x2xf32>
  return %o : tensor<2x3x5x2xf32>
}

// -----

// HF BERT's extended attention mask from a float padding mask:
// (1 - m) * -10000 (not the lowest value, so not provably a mask), computed
// in its own generic and added: that tensor is the bias.
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#pad = affine_map<(d0, d1, d2, d3) -> (d0, 0, 0, d3)>
// CHECK-LABEL: func @bert_float_padding
// CHECK: %[[ADD:.*]] = linalg.generic
// CHECK: arith.mulf
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 1.000000e+00 : f32}
// CHECK-SAME: bias(%[[ADD]] : tensor<2x1x1x7xf32>)
func.func @bert_float_padding(%q: tensor<2x3x5x4xf32>, %k: tensor<2x3x7x4xf32>, %v: tensor<2x3x7x2xf32>, %m: tensor<2x1x1x7xf32>) -> tensor<2x3x5x2xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %one = arith.constant 1.000000e+00 : f32
  %big = arith.constant -1.000000e+04 : f32
  %e = tensor.empty() : tensor<2x3x5x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3x5x7xf32>) -> tensor<2x3x5x7xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, h, i, d)>, affine_map<(b, h, i, j, d) -> (b, h, j, d)>, affine_map<(b, h, i, j, d) -> (b, h, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<2x3x5x4xf32>, tensor<2x3x7x4xf32>) outs(%f : tensor<2x3x5x7xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %p = arith.mulf %a, %b : f32
    %r = arith.addf %c, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x3x5x7xf32>
  %ef = tensor.empty() : tensor<2x1x1x7xf32>
  %add = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%m : tensor<2x1x1x7xf32>) outs(%ef : tensor<2x1x1x7xf32>) {
  ^bb0(%a: f32, %out: f32):
    %y = arith.subf %one, %a : f32
    %z = arith.mulf %y, %big : f32
    linalg.yield %z : f32
  } -> tensor<2x1x1x7xf32>
  %sm = linalg.generic {indexing_maps = [#id4, #pad, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s, %add : tensor<2x3x5x7xf32>, tensor<2x1x1x7xf32>) outs(%e : tensor<2x3x5x7xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %x = arith.addf %a, %b : f32
    linalg.yield %x : f32
  } -> tensor<2x3x5x7xf32>
  %p = linalg.softmax dimension(3) ins(%sm : tensor<2x3x5x7xf32>) outs(%e : tensor<2x3x5x7xf32>) -> tensor<2x3x5x7xf32>
  %e2 = tensor.empty() : tensor<2x3x5x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x3x5x2xf32>) -> tensor<2x3x5x2xf32>
  %o = linalg.generic {indexing_maps = [affine_map<(b, h, i, e, j) -> (b, h, i, j)>, affine_map<(b, h, i, e, j) -> (b, h, j, e)>, affine_map<(b, h, i, e, j) -> (b, h, i, e)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %v : tensor<2x3x5x7xf32>, tensor<2x3x7x2xf32>) outs(%f2 : tensor<2x3x5x2xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %x = arith.mulf %a, %b : f32
    %r = arith.addf %c, %x : f32
    linalg.yield %r : f32
  } -> tensor<2x3x5x2xf32>
  return %o : tensor<2x3x5x2xf32>
}

// -----

// LLaMA's repeat_kv as torch-mlir emits it: K/V [b, hkv, m, d] broadcast to
// [b, hkv, g, m, d] by a generic and collapsed to [b, hq, m, d]; the causal
// mask from indices. The op takes the 2 K/V heads directly (grouped).
#b5 = affine_map<(b, h, g, m, d) -> (b, h, m, d)>
#id5 = affine_map<(b, h, g, m, d) -> (b, h, g, m, d)>
// CHECK-LABEL: func @gqa_broadcast_generic
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<1x4x6x8xf32>, %[[K:[^:]*]]: tensor<1x2x6x8xf32>, %[[V:[^:]*]]: tensor<1x2x6x8xf32>)
// CHECK-NOT: tensor.collapse_shape
// CHECK: inhibitor.attention causal signed
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<1x4x6x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>)
func.func @gqa_broadcast_generic(%q: tensor<1x4x6x8xf32>, %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x8xf32>) -> tensor<1x4x6x8xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %eb = tensor.empty() : tensor<1x2x2x6x8xf32>
  %kb = linalg.generic {indexing_maps = [#b5, #id5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%k : tensor<1x2x6x8xf32>) outs(%eb : tensor<1x2x2x6x8xf32>) {
  ^bb0(%a: f32, %out: f32):
    linalg.yield %a : f32
  } -> tensor<1x2x2x6x8xf32>
  %vb = linalg.generic {indexing_maps = [#b5, #id5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%v : tensor<1x2x6x8xf32>) outs(%eb : tensor<1x2x2x6x8xf32>) {
  ^bb0(%a: f32, %out: f32):
    linalg.yield %a : f32
  } -> tensor<1x2x2x6x8xf32>
  %kr = tensor.collapse_shape %kb [[0], [1, 2], [3], [4]] : tensor<1x2x2x6x8xf32> into tensor<1x4x6x8xf32>
  %vr = tensor.collapse_shape %vb [[0], [1, 2], [3], [4]] : tensor<1x2x2x6x8xf32> into tensor<1x4x6x8xf32>
  %e = tensor.empty() : tensor<1x4x6x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, h, i, d)>, affine_map<(b, h, i, j, d) -> (b, h, j, d)>, affine_map<(b, h, i, j, d) -> (b, h, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %kr : tensor<1x4x6x8xf32>, tensor<1x4x6x8xf32>) outs(%f : tensor<1x4x6x6xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %p = arith.mulf %a, %b : f32
    %r = arith.addf %c, %p : f32
    linalg.yield %r : f32
  } -> tensor<1x4x6x6xf32>
  %sm = linalg.generic {indexing_maps = [affine_map<(b, h, i, j) -> (b, h, i, j)>, affine_map<(b, h, i, j) -> (b, h, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<1x4x6x6xf32>) outs(%e : tensor<1x4x6x6xf32>) {
  ^bb0(%a: f32, %out: f32):
    %i = linalg.index 2 : index
    %j = linalg.index 3 : index
    %gt = arith.cmpi ugt, %j, %i : index
    %c = arith.constant 0.353553385 : f32
    %x = arith.mulf %a, %c : f32
    %y = arith.select %gt, %ninf, %x : f32
    linalg.yield %y : f32
  } -> tensor<1x4x6x6xf32>
  %p = linalg.softmax dimension(3) ins(%sm : tensor<1x4x6x6xf32>) outs(%e : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %e2 = tensor.empty() : tensor<1x4x6x8xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x4x6x8xf32>) -> tensor<1x4x6x8xf32>
  %o = linalg.generic {indexing_maps = [affine_map<(b, h, i, e, j) -> (b, h, i, j)>, affine_map<(b, h, i, e, j) -> (b, h, j, e)>, affine_map<(b, h, i, e, j) -> (b, h, i, e)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %vr : tensor<1x4x6x6xf32>, tensor<1x4x6x8xf32>) outs(%f2 : tensor<1x4x6x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %x = arith.mulf %a, %b : f32
    %r = arith.addf %c, %x : f32
    linalg.yield %r : f32
  } -> tensor<1x4x6x8xf32>
  return %o : tensor<1x4x6x8xf32>
}

// -----

// The repeat as linalg.broadcast (then collapse_shape), and as a
// broadcast-add of zeros for V.
// CHECK-LABEL: func @gqa_linalg_broadcast
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<2x4x3xf32>, %[[K:[^:]*]]: tensor<1x5x3xf32>, %[[V:[^:]*]]: tensor<1x5x2xf32>)
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 1.000000e+00 : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<2x4x3xf32>, tensor<1x5x3xf32>, tensor<1x5x2xf32>)
func.func @gqa_linalg_broadcast(%q: tensor<2x4x3xf32>, %k: tensor<1x5x3xf32>, %v: tensor<1x5x2xf32>) -> tensor<2x4x2xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ek = tensor.empty() : tensor<1x2x5x3xf32>
  %kb = linalg.broadcast ins(%k : tensor<1x5x3xf32>) outs(%ek : tensor<1x2x5x3xf32>) dimensions = [1]
  %kr = tensor.collapse_shape %kb [[0, 1], [2], [3]] : tensor<1x2x5x3xf32> into tensor<2x5x3xf32>
  %zv = arith.constant dense<0.0> : tensor<2x5x2xf32>
  %ev = tensor.empty() : tensor<2x5x2xf32>
  %vr = linalg.generic {indexing_maps = [affine_map<(h, m, e) -> (0, m, e)>, affine_map<(h, m, e) -> (h, m, e)>, affine_map<(h, m, e) -> (h, m, e)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%v, %zv : tensor<1x5x2xf32>, tensor<2x5x2xf32>) outs(%ev : tensor<2x5x2xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %x = arith.addf %a, %b : f32
    linalg.yield %x : f32
  } -> tensor<2x5x2xf32>
  %e = tensor.empty() : tensor<2x4x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %s = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (b, n, k)>, affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%q, %kr : tensor<2x4x3xf32>, tensor<2x5x3xf32>) outs(%f : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %p = linalg.softmax dimension(2) ins(%s : tensor<2x4x5xf32>) outs(%e : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %e2 = tensor.empty() : tensor<2x4x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x4x2xf32>) -> tensor<2x4x2xf32>
  %o = linalg.batch_matmul ins(%p, %vr : tensor<2x4x5xf32>, tensor<2x5x2xf32>) outs(%f2 : tensor<2x4x2xf32>) -> tensor<2x4x2xf32>
  return %o : tensor<2x4x2xf32>
}

// -----

// Dynamo's repeat_kv in TOSA: reshape to [b, hkv, 1, m, d], tosa.tile by
// [1, 1, g, 1, 1], reshape to [b, hq, m, d].
// CHECK-LABEL: func @gqa_tosa_tile
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<1x4x6x8xf32>, %[[K:[^:]*]]: tensor<1x2x6x8xf32>, %[[V:[^:]*]]: tensor<1x2x6x8xf32>)
// CHECK: inhibitor.attention signed
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<1x4x6x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>)
func.func @gqa_tosa_tile(%q: tensor<1x4x6x8xf32>, %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x8xf32>) -> tensor<1x4x6x8xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %s5 = tosa.const_shape {values = dense<[1, 2, 1, 6, 8]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %mult = tosa.const_shape {values = dense<[1, 1, 2, 1, 1]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %s3 = tosa.const_shape {values = dense<[4, 6, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %s4 = tosa.const_shape {values = dense<[1, 4, 6, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %k5 = tosa.reshape %k, %s5 : (tensor<1x2x6x8xf32>, !tosa.shape<5>) -> tensor<1x2x1x6x8xf32>
  %kt5 = tosa.tile %k5, %mult : (tensor<1x2x1x6x8xf32>, !tosa.shape<5>) -> tensor<1x2x2x6x8xf32>
  %v5 = tosa.reshape %v, %s5 : (tensor<1x2x6x8xf32>, !tosa.shape<5>) -> tensor<1x2x1x6x8xf32>
  %vt5 = tosa.tile %v5, %mult : (tensor<1x2x1x6x8xf32>, !tosa.shape<5>) -> tensor<1x2x2x6x8xf32>
  %k3 = tosa.reshape %kt5, %s3 : (tensor<1x2x2x6x8xf32>, !tosa.shape<3>) -> tensor<4x6x8xf32>
  %v3 = tosa.reshape %vt5, %s3 : (tensor<1x2x2x6x8xf32>, !tosa.shape<3>) -> tensor<4x6x8xf32>
  %q3 = tosa.reshape %q, %s3 : (tensor<1x4x6x8xf32>, !tosa.shape<3>) -> tensor<4x6x8xf32>
  %kt = tosa.transpose %k3 {perms = array<i32: 0, 2, 1>} : (tensor<4x6x8xf32>) -> tensor<4x8x6xf32>
  %s = tosa.matmul %q3, %kt, %zp, %zp : (tensor<4x6x8xf32>, tensor<4x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x6x6xf32>
  %sc = tosa.mul %s, %scale, %shift : (tensor<4x6x6xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<4x6x6xf32>
  %max = tosa.reduce_max %sc {axis = 2 : i32} : (tensor<4x6x6xf32>) -> tensor<4x6x1xf32>
  %sub = tosa.sub %sc, %max : (tensor<4x6x6xf32>, tensor<4x6x1xf32>) -> tensor<4x6x6xf32>
  %exp = tosa.exp %sub : (tensor<4x6x6xf32>) -> tensor<4x6x6xf32>
  %sum = tosa.reduce_sum %exp {axis = 2 : i32} : (tensor<4x6x6xf32>) -> tensor<4x6x1xf32>
  %rec = tosa.reciprocal %sum : (tensor<4x6x1xf32>) -> tensor<4x6x1xf32>
  %p = tosa.mul %exp, %rec, %shift : (tensor<4x6x6xf32>, tensor<4x6x1xf32>, tensor<1xi8>) -> tensor<4x6x6xf32>
  %h3 = tosa.matmul %p, %v3, %zp, %zp : (tensor<4x6x6xf32>, tensor<4x6x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x6x8xf32>
  %h = tosa.reshape %h3, %s4 : (tensor<4x6x8xf32>, !tosa.shape<4>) -> tensor<1x4x6x8xf32>
  return %h : tensor<1x4x6x8xf32>
}

// -----

// Heads repeated by tiling (head h reads K/V head h mod Hkv, torch's
// `repeat`, not `repeat_interleave`): not the grouping the op defines.
// REMARK: remark: not converted to inhibitor.attention: K is read through a map the op cannot express
// CHECK-LABEL: func @heads_tiled_not_grouped
// CHECK-NOT: inhibitor.attention
func.func @heads_tiled_not_grouped(%q: tensor<4x5x3xf32>, %k: tensor<2x5x3xf32>, %v: tensor<4x5x2xf32>) -> tensor<4x5x2xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ek = tensor.empty() : tensor<2x2x5x3xf32>
  %kb = linalg.broadcast ins(%k : tensor<2x5x3xf32>) outs(%ek : tensor<2x2x5x3xf32>) dimensions = [0]
  %kr = tensor.collapse_shape %kb [[0, 1], [2], [3]] : tensor<2x2x5x3xf32> into tensor<4x5x3xf32>
  %e = tensor.empty() : tensor<4x5x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x5x5xf32>) -> tensor<4x5x5xf32>
  %s = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (b, n, k)>, affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%q, %kr : tensor<4x5x3xf32>, tensor<4x5x3xf32>) outs(%f : tensor<4x5x5xf32>) -> tensor<4x5x5xf32>
  %p = linalg.softmax dimension(2) ins(%s : tensor<4x5x5xf32>) outs(%e : tensor<4x5x5xf32>) -> tensor<4x5x5xf32>
  %e2 = tensor.empty() : tensor<4x5x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<4x5x2xf32>) -> tensor<4x5x2xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<4x5x5xf32>, tensor<4x5x2xf32>) outs(%f2 : tensor<4x5x2xf32>) -> tensor<4x5x2xf32>
  return %o : tensor<4x5x2xf32>
}
