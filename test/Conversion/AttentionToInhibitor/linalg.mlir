// RUN: inhibitor-opt %s -split-input-file -verify-each --convert-attention-to-inhibitor | FileCheck %s
// RUN: inhibitor-opt %s -split-input-file -verify-each --convert-attention-to-inhibitor="gamma=2.0 alpha=0.0 signed=false" | FileCheck %s --check-prefix=OPTS
// Running the pass twice changes nothing the second time.
// RUN: inhibitor-opt %s -split-input-file --convert-attention-to-inhibitor > %t.once.mlir
// RUN: inhibitor-opt %t.once.mlir -split-input-file --convert-attention-to-inhibitor > %t.twice.mlir
// RUN: diff %t.once.mlir %t.twice.mlir
// RUN: inhibitor-opt %s -split-input-file --convert-attention-to-inhibitor="emit-remarks=true" 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK

// Dot-product attention softmax(Q K^T * s) V in upstream linalg named form
// becomes inhibitor.attention (an architecture change, not an equivalence).

// One remark per rewrite, at the location of the replaced P V matmul.
// REMARK: linalg.mlir:{{[0-9]+}}:8: remark: replaced dot-product attention by inhibitor.attention (gamma = 8.000000e+00, alpha = 5.000000e-01)
// REMARK-COUNT-9: remark: replaced dot-product attention by inhibitor.attention
// REMARK-NOT: remark: replaced

// CHECK-LABEL: func @static_transpose_generic_scale
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<16x64xf32>, %[[K:[^:]*]]: tensor<32x64xf32>, %[[V:[^:]*]]: tensor<32x8xf32>)
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<16x8xf32>
// CHECK: %[[H:.*]] = inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 8.000000e+00 : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<16x64xf32>, tensor<32x64xf32>, tensor<32x8xf32>)
// CHECK-SAME: outs(%[[INIT]] : tensor<16x8xf32>) -> tensor<16x8xf32>
// CHECK-NOT: linalg.
// CHECK: return %[[H]]
// OPTS-LABEL: func @static_transpose_generic_scale
// OPTS: inhibitor.attention {alpha = 0.000000e+00 : f32, gamma = 2.000000e+00 : f32}
func.func @static_transpose_generic_scale(%q: tensor<16x64xf32>, %k: tensor<32x64xf32>,
                                          %v: tensor<32x8xf32>) -> tensor<16x8xf32> {
  %zero = arith.constant 0.0 : f32
  %s = arith.constant 0.125 : f32
  %ekt = tensor.empty() : tensor<64x32xf32>
  %kt = linalg.transpose ins(%k : tensor<32x64xf32>) outs(%ekt : tensor<64x32xf32>) permutation = [1, 0]
  %es = tensor.empty() : tensor<16x32xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<16x32xf32>) -> tensor<16x32xf32>
  %qk = linalg.matmul ins(%q, %kt : tensor<16x64xf32>, tensor<64x32xf32>) outs(%fs : tensor<16x32xf32>) -> tensor<16x32xf32>
  %scaled = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                            iterator_types = ["parallel", "parallel"]}
      ins(%qk : tensor<16x32xf32>) outs(%es : tensor<16x32xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.mulf %x, %s : f32
    linalg.yield %y : f32
  } -> tensor<16x32xf32>
  %w = linalg.softmax dimension(1) ins(%scaled : tensor<16x32xf32>) outs(%es : tensor<16x32xf32>) -> tensor<16x32xf32>
  %eo = tensor.empty() : tensor<16x8xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<16x8xf32>) -> tensor<16x8xf32>
  %h = linalg.matmul ins(%w, %v : tensor<16x32xf32>, tensor<32x8xf32>) outs(%fo : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %h : tensor<16x8xf32>
}

// -----

// K^T through the matmul's indexing maps; the scale as a division by a
// filled constant (1/s = 8, so gamma = 8).
// CHECK-LABEL: func @transposed_maps_div_fill
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<4x16xf32>, %[[K:[^:]*]]: tensor<6x16xf32>, %[[V:[^:]*]]: tensor<6x5xf32>)
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 8.000000e+00 : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] :
func.func @transposed_maps_div_fill(%q: tensor<4x16xf32>, %k: tensor<6x16xf32>,
                                    %v: tensor<6x5xf32>) -> tensor<4x5xf32> {
  %zero = arith.constant 0.0 : f32
  %c8 = arith.constant 8.0 : f32
  %es = tensor.empty() : tensor<4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %qk = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                       affine_map<(m, n, k) -> (n, k)>,
                                       affine_map<(m, n, k) -> (m, n)>]
      ins(%q, %k : tensor<4x16xf32>, tensor<6x16xf32>) outs(%fs : tensor<4x6xf32>) -> tensor<4x6xf32>
  %d = linalg.fill ins(%c8 : f32) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %scaled = linalg.div ins(%qk, %d : tensor<4x6xf32>, tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %w = linalg.softmax dimension(1) ins(%scaled : tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %eo = tensor.empty() : tensor<4x5xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<4x5xf32>) -> tensor<4x5xf32>
  %h = linalg.matmul ins(%w, %v : tensor<4x6xf32>, tensor<6x5xf32>) outs(%fo : tensor<4x5xf32>) -> tensor<4x5xf32>
  return %h : tensor<4x5xf32>
}

// -----

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

// -----

// f16, no scale (gamma = 1), linalg.mul with a splat constant would be the
// scale; here there is none.
// CHECK-LABEL: func @f16_no_scale
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f16, gamma = 1.000000e+00 : f16}
// CHECK-SAME: -> tensor<4x8xf16>
func.func @f16_no_scale(%q: tensor<4x16xf16>, %k: tensor<6x16xf16>, %v: tensor<6x8xf16>) -> tensor<4x8xf16> {
  %zero = arith.constant 0.0 : f16
  %ekt = tensor.empty() : tensor<16x6xf16>
  %kt = linalg.transpose ins(%k : tensor<6x16xf16>) outs(%ekt : tensor<16x6xf16>) permutation = [1, 0]
  %es = tensor.empty() : tensor<4x6xf16>
  %fs = linalg.fill ins(%zero : f16) outs(%es : tensor<4x6xf16>) -> tensor<4x6xf16>
  %qk = linalg.matmul ins(%q, %kt : tensor<4x16xf16>, tensor<16x6xf16>) outs(%fs : tensor<4x6xf16>) -> tensor<4x6xf16>
  %w = linalg.softmax dimension(1) ins(%qk : tensor<4x6xf16>) outs(%es : tensor<4x6xf16>) -> tensor<4x6xf16>
  %eo = tensor.empty() : tensor<4x8xf16>
  %fo = linalg.fill ins(%zero : f16) outs(%eo : tensor<4x8xf16>) -> tensor<4x8xf16>
  %h = linalg.matmul ins(%w, %v : tensor<4x6xf16>, tensor<6x8xf16>) outs(%fo : tensor<4x8xf16>) -> tensor<4x8xf16>
  return %h : tensor<4x8xf16>
}

// -----

// bf16 inputs, f32 scores and accumulator (the matmuls widen), batched with
// transposed maps, scale a splat constant multiplied in a linalg.mul.
// CHECK-LABEL: func @bf16_batch_transposed_maps
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<2x4x16xbf16>, %[[K:[^:]*]]: tensor<2x6x16xbf16>, %[[V:[^:]*]]: tensor<2x6x8xbf16>)
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 4.000000e+00 : f32}
// CHECK-SAME: ins(%[[Q]], %[[K]], %[[V]] : tensor<2x4x16xbf16>, tensor<2x6x16xbf16>, tensor<2x6x8xbf16>)
// CHECK-SAME: -> tensor<2x4x8xf32>
func.func @bf16_batch_transposed_maps(%q: tensor<2x4x16xbf16>, %k: tensor<2x6x16xbf16>,
                                      %v: tensor<2x6x8xbf16>) -> tensor<2x4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %quarter = arith.constant dense<0.25> : tensor<2x4x6xf32>
  %es = tensor.empty() : tensor<2x4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %qk = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>,
                                             affine_map<(b, m, n, k) -> (b, n, k)>,
                                             affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%q, %k : tensor<2x4x16xbf16>, tensor<2x6x16xbf16>) outs(%fs : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %scaled = linalg.mul ins(%qk, %quarter : tensor<2x4x6xf32>, tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %w = linalg.softmax dimension(2) ins(%scaled : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %eo = tensor.empty() : tensor<2x4x8xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %h = linalg.batch_matmul ins(%w, %v : tensor<2x4x6xf32>, tensor<2x6x8xbf16>) outs(%fo : tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return %h : tensor<2x4x8xf32>
}

// -----

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

// -----

// An additive mask that is a constant of only 0 and -inf becomes an i1
// constant (0 attends; a causal pattern would become `causal`); the scale
// divides by 2 inside a generic.
// CHECK-LABEL: func @constant_additive_mask
// CHECK: %[[M:.*]] = arith.constant dense<{{\[}}[true, true], [false, true]]> : tensor<2x2xi1>
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 2.000000e+00 : f32}
// CHECK-SAME: mask(%[[M]] : tensor<2x2xi1>)
func.func @constant_additive_mask(%q: tensor<2x4xf32>, %k: tensor<2x4xf32>, %v: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %zero = arith.constant 0.0 : f32
  %two = arith.constant 2.0 : f32
  %mask = arith.constant dense<[[0.0, 0.0], [0xFF800000, 0.0]]> : tensor<2x2xf32>
  %ekt = tensor.empty() : tensor<4x2xf32>
  %kt = linalg.transpose ins(%k : tensor<2x4xf32>) outs(%ekt : tensor<4x2xf32>) permutation = [1, 0]
  %es = tensor.empty() : tensor<2x2xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x2xf32>) -> tensor<2x2xf32>
  %qk = linalg.matmul ins(%q, %kt : tensor<2x4xf32>, tensor<4x2xf32>) outs(%fs : tensor<2x2xf32>) -> tensor<2x2xf32>
  %scaled = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                            iterator_types = ["parallel", "parallel"]}
      ins(%qk : tensor<2x2xf32>) outs(%es : tensor<2x2xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.divf %x, %two : f32
    linalg.yield %y : f32
  } -> tensor<2x2xf32>
  %masked = linalg.add ins(%scaled, %mask : tensor<2x2xf32>, tensor<2x2xf32>) outs(%es : tensor<2x2xf32>) -> tensor<2x2xf32>
  %w = linalg.softmax dimension(1) ins(%masked : tensor<2x2xf32>) outs(%es : tensor<2x2xf32>) -> tensor<2x2xf32>
  %eo = tensor.empty() : tensor<2x3xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x3xf32>) -> tensor<2x3xf32>
  %h = linalg.matmul ins(%w, %v : tensor<2x2xf32>, tensor<2x3xf32>) outs(%fo : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %h : tensor<2x3xf32>
}

// -----

// Not attention: each case below is left alone.

// Softmax over the query dim, not the key dim.
// CHECK-LABEL: func @softmax_wrong_dim
// CHECK-NOT: inhibitor.attention
// CHECK: linalg.softmax dimension(0)
func.func @softmax_wrong_dim(%q: tensor<4x16xf32>, %k: tensor<6x16xf32>, %v: tensor<6x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %ekt = tensor.empty() : tensor<16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<6x16xf32>) outs(%ekt : tensor<16x6xf32>) permutation = [1, 0]
  %es = tensor.empty() : tensor<4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %qk = linalg.matmul ins(%q, %kt : tensor<4x16xf32>, tensor<16x6xf32>) outs(%fs : tensor<4x6xf32>) -> tensor<4x6xf32>
  %w = linalg.softmax dimension(0) ins(%qk : tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %eo = tensor.empty() : tensor<4x8xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<4x8xf32>) -> tensor<4x8xf32>
  %h = linalg.matmul ins(%w, %v : tensor<4x6xf32>, tensor<6x8xf32>) outs(%fo : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %h : tensor<4x8xf32>
}

// -----

// The scale is not a constant.
// CHECK-LABEL: func @non_constant_scale
// CHECK-NOT: inhibitor.attention
// CHECK: linalg.mul
// CHECK: linalg.softmax
func.func @non_constant_scale(%q: tensor<4x16xf32>, %k: tensor<6x16xf32>, %v: tensor<6x8xf32>,
                              %scale: tensor<4x6xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %ekt = tensor.empty() : tensor<16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<6x16xf32>) outs(%ekt : tensor<16x6xf32>) permutation = [1, 0]
  %es = tensor.empty() : tensor<4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %qk = linalg.matmul ins(%q, %kt : tensor<4x16xf32>, tensor<16x6xf32>) outs(%fs : tensor<4x6xf32>) -> tensor<4x6xf32>
  %scaled = linalg.mul ins(%qk, %scale : tensor<4x6xf32>, tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %w = linalg.softmax dimension(1) ins(%scaled : tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %eo = tensor.empty() : tensor<4x8xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<4x8xf32>) -> tensor<4x8xf32>
  %h = linalg.matmul ins(%w, %v : tensor<4x6xf32>, tensor<6x8xf32>) outs(%fo : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %h : tensor<4x8xf32>
}

// -----

// The scores have another use.
// CHECK-LABEL: func @scores_other_use
// CHECK-NOT: inhibitor.attention
// CHECK: linalg.softmax
func.func @scores_other_use(%q: tensor<4x16xf32>, %k: tensor<6x16xf32>, %v: tensor<6x8xf32>) -> (tensor<4x8xf32>, tensor<4x6xf32>) {
  %zero = arith.constant 0.0 : f32
  %ekt = tensor.empty() : tensor<16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<6x16xf32>) outs(%ekt : tensor<16x6xf32>) permutation = [1, 0]
  %es = tensor.empty() : tensor<4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %qk = linalg.matmul ins(%q, %kt : tensor<4x16xf32>, tensor<16x6xf32>) outs(%fs : tensor<4x6xf32>) -> tensor<4x6xf32>
  %w = linalg.softmax dimension(1) ins(%qk : tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %eo = tensor.empty() : tensor<4x8xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<4x8xf32>) -> tensor<4x8xf32>
  %h = linalg.matmul ins(%w, %v : tensor<4x6xf32>, tensor<6x8xf32>) outs(%fo : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %h, %qk : tensor<4x8xf32>, tensor<4x6xf32>
}

// -----

// The attention weights are returned too.
// CHECK-LABEL: func @weights_other_use
// CHECK-NOT: inhibitor.attention
// CHECK: linalg.softmax
func.func @weights_other_use(%q: tensor<4x16xf32>, %k: tensor<6x16xf32>, %v: tensor<6x8xf32>) -> (tensor<4x8xf32>, tensor<4x6xf32>) {
  %zero = arith.constant 0.0 : f32
  %ekt = tensor.empty() : tensor<16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<6x16xf32>) outs(%ekt : tensor<16x6xf32>) permutation = [1, 0]
  %es = tensor.empty() : tensor<4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %qk = linalg.matmul ins(%q, %kt : tensor<4x16xf32>, tensor<16x6xf32>) outs(%fs : tensor<4x6xf32>) -> tensor<4x6xf32>
  %w = linalg.softmax dimension(1) ins(%qk : tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %eo = tensor.empty() : tensor<4x8xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<4x8xf32>) -> tensor<4x8xf32>
  %h = linalg.matmul ins(%w, %v : tensor<4x6xf32>, tensor<6x8xf32>) outs(%fo : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %h, %w : tensor<4x8xf32>, tensor<4x6xf32>
}

// -----

// The "K^T" transposes the batch dim with the rows (permutation [1, 0, 2]):
// the scores read K as [D, b, M], a key in another layout. Indexing maps
// decide layouts, so the rewrite transposes K back to [b, M, D].
// CHECK-LABEL: func @transpose_wrong_dims
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<4x4x4xf32>, %[[K:[^:]*]]: tensor<4x4x4xf32>
// CHECK: %[[KT:.*]] = linalg.transpose ins(%[[K]] : tensor<4x4x4xf32>) outs(%{{.*}} : tensor<4x4x4xf32>) permutation = [1, 2, 0]
// CHECK: inhibitor.attention signed
// CHECK-SAME: ins(%[[Q]], %[[KT]], %{{.*}} :
func.func @transpose_wrong_dims(%q: tensor<4x4x4xf32>, %k: tensor<4x4x4xf32>, %v: tensor<4x4x8xf32>) -> tensor<4x4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %ekt = tensor.empty() : tensor<4x4x4xf32>
  %kt = linalg.transpose ins(%k : tensor<4x4x4xf32>) outs(%ekt : tensor<4x4x4xf32>) permutation = [1, 0, 2]
  %es = tensor.empty() : tensor<4x4x4xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<4x4x4xf32>) -> tensor<4x4x4xf32>
  %qk = linalg.batch_matmul ins(%q, %kt : tensor<4x4x4xf32>, tensor<4x4x4xf32>) outs(%fs : tensor<4x4x4xf32>) -> tensor<4x4x4xf32>
  %w = linalg.softmax dimension(2) ins(%qk : tensor<4x4x4xf32>) outs(%es : tensor<4x4x4xf32>) -> tensor<4x4x4xf32>
  %eo = tensor.empty() : tensor<4x4x8xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<4x4x8xf32>) -> tensor<4x4x8xf32>
  %h = linalg.batch_matmul ins(%w, %v : tensor<4x4x4xf32>, tensor<4x4x8xf32>) outs(%fo : tensor<4x4x8xf32>) -> tensor<4x4x8xf32>
  return %h : tensor<4x4x8xf32>
}

// -----

// Q K^T with the key stored transposed ([D, M]): the rewrite transposes it
// to the [M, D] key the op takes.
// CHECK-LABEL: func @key_not_transposed
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<4x16xf32>, %[[KT:[^:]*]]: tensor<16x6xf32>
// CHECK: %[[K:.*]] = linalg.transpose ins(%[[KT]] : tensor<16x6xf32>) outs(%{{.*}} : tensor<6x16xf32>) permutation = [1, 0]
// CHECK: inhibitor.attention signed
// CHECK-SAME: ins(%[[Q]], %[[K]], %{{.*}} :
func.func @key_not_transposed(%q: tensor<4x16xf32>, %kt: tensor<16x6xf32>, %v: tensor<6x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %es = tensor.empty() : tensor<4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %qk = linalg.matmul ins(%q, %kt : tensor<4x16xf32>, tensor<16x6xf32>) outs(%fs : tensor<4x6xf32>) -> tensor<4x6xf32>
  %w = linalg.softmax dimension(1) ins(%qk : tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %eo = tensor.empty() : tensor<4x8xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<4x8xf32>) -> tensor<4x8xf32>
  %h = linalg.matmul ins(%w, %v : tensor<4x6xf32>, tensor<6x8xf32>) outs(%fo : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %h : tensor<4x8xf32>
}

// -----

// An additive mask with arbitrary values is not a mask: it is the bias
// (never dropped).
// CHECK-LABEL: func @additive_bias_not_mask
// CHECK-SAME: %[[BIAS:[^:]*]]: tensor<4x6xf32>
// CHECK: inhibitor.attention signed
// CHECK-SAME: bias(%[[BIAS]] : tensor<4x6xf32>)
// CHECK-NOT: mask(
func.func @additive_bias_not_mask(%q: tensor<4x16xf32>, %k: tensor<6x16xf32>, %v: tensor<6x8xf32>,
                                  %bias: tensor<4x6xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %ekt = tensor.empty() : tensor<16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<6x16xf32>) outs(%ekt : tensor<16x6xf32>) permutation = [1, 0]
  %es = tensor.empty() : tensor<4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %qk = linalg.matmul ins(%q, %kt : tensor<4x16xf32>, tensor<16x6xf32>) outs(%fs : tensor<4x6xf32>) -> tensor<4x6xf32>
  %masked = linalg.add ins(%qk, %bias : tensor<4x6xf32>, tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %w = linalg.softmax dimension(1) ins(%masked : tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %eo = tensor.empty() : tensor<4x8xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<4x8xf32>) -> tensor<4x8xf32>
  %h = linalg.matmul ins(%w, %v : tensor<4x6xf32>, tensor<6x8xf32>) outs(%fo : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %h : tensor<4x8xf32>
}

// -----

// A select whose masked-out value is not -inf/lowest is not a mask.
// CHECK-LABEL: func @select_not_masking
// CHECK-NOT: inhibitor.attention
// CHECK: arith.select
func.func @select_not_masking(%q: tensor<4x16xf32>, %k: tensor<6x16xf32>, %v: tensor<6x8xf32>,
                              %m: tensor<4x6xi1>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %minus1 = arith.constant dense<-1.0> : tensor<4x6xf32>
  %ekt = tensor.empty() : tensor<16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<6x16xf32>) outs(%ekt : tensor<16x6xf32>) permutation = [1, 0]
  %es = tensor.empty() : tensor<4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %qk = linalg.matmul ins(%q, %kt : tensor<4x16xf32>, tensor<16x6xf32>) outs(%fs : tensor<4x6xf32>) -> tensor<4x6xf32>
  %masked = arith.select %m, %qk, %minus1 : tensor<4x6xi1>, tensor<4x6xf32>
  %w = linalg.softmax dimension(1) ins(%masked : tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %eo = tensor.empty() : tensor<4x8xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<4x8xf32>) -> tensor<4x8xf32>
  %h = linalg.matmul ins(%w, %v : tensor<4x6xf32>, tensor<6x8xf32>) outs(%fo : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %h : tensor<4x8xf32>
}

// -----

// The scores matmul accumulates into a non-zero init: not Q K^T alone.
// CHECK-LABEL: func @nonzero_init
// CHECK-NOT: inhibitor.attention
// CHECK: linalg.softmax
func.func @nonzero_init(%q: tensor<4x16xf32>, %k: tensor<6x16xf32>, %v: tensor<6x8xf32>,
                        %acc: tensor<4x6xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %ekt = tensor.empty() : tensor<16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<6x16xf32>) outs(%ekt : tensor<16x6xf32>) permutation = [1, 0]
  %es = tensor.empty() : tensor<4x6xf32>
  %qk = linalg.matmul ins(%q, %kt : tensor<4x16xf32>, tensor<16x6xf32>) outs(%acc : tensor<4x6xf32>) -> tensor<4x6xf32>
  %w = linalg.softmax dimension(1) ins(%qk : tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %eo = tensor.empty() : tensor<4x8xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<4x8xf32>) -> tensor<4x8xf32>
  %h = linalg.matmul ins(%w, %v : tensor<4x6xf32>, tensor<6x8xf32>) outs(%fo : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %h : tensor<4x8xf32>
}

// -----

// A negative scale gives no positive gamma.
// CHECK-LABEL: func @negative_scale
// CHECK-NOT: inhibitor.attention
// CHECK: linalg.softmax
func.func @negative_scale(%q: tensor<4x16xf32>, %k: tensor<6x16xf32>, %v: tensor<6x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %neg = arith.constant dense<-0.25> : tensor<4x6xf32>
  %ekt = tensor.empty() : tensor<16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<6x16xf32>) outs(%ekt : tensor<16x6xf32>) permutation = [1, 0]
  %es = tensor.empty() : tensor<4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %qk = linalg.matmul ins(%q, %kt : tensor<4x16xf32>, tensor<16x6xf32>) outs(%fs : tensor<4x6xf32>) -> tensor<4x6xf32>
  %scaled = linalg.mul ins(%qk, %neg : tensor<4x6xf32>, tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %w = linalg.softmax dimension(1) ins(%scaled : tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %eo = tensor.empty() : tensor<4x8xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<4x8xf32>) -> tensor<4x8xf32>
  %h = linalg.matmul ins(%w, %v : tensor<4x6xf32>, tensor<6x8xf32>) outs(%fo : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %h : tensor<4x8xf32>
}
