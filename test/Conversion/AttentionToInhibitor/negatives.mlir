// RUN: inhibitor-opt %s -split-input-file -verify-each --convert-attention-to-inhibitor | FileCheck %s
// RUN: inhibitor-opt %s -split-input-file --convert-attention-to-inhibitor="emit-remarks=true" 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK
// The functions come out exactly as they went in (the normalized copy is
// dropped when nothing converts).
// RUN: inhibitor-opt %s -split-input-file | FileCheck %s --check-prefix=SAME
// RUN: inhibitor-opt %s -split-input-file --convert-attention-to-inhibitor | FileCheck %s --check-prefix=SAME

// Graphs that look like attention but are not: each is left untouched and
// says why with emit-remarks.

// CHECK-NOT: inhibitor.attention
// REMARK-NOT: remark: replaced
// SAME-COUNT-5: linalg.softmax
// SAME: func @log_sum_exp_wrong_sum
// SAME: math.log
// SAME-NOT: inhibitor

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#row3 = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
#col3 = affine_map<(d0, d1, d2) -> (d0, 0, d2)>

// Softmax over the query axis (dim 1 of [b, n, m]).
// REMARK: remark: not converted to inhibitor.attention: softmax reduces over the query dim, not the key dim
func.func @softmax_over_queries(%q: tensor<2x5x4xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>) -> tensor<2x5x3xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %e = tensor.empty() : tensor<2x5x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %s = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (b, n, k)>, affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%q, %k : tensor<2x5x4xf32>, tensor<2x7x4xf32>) outs(%f : tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %p = linalg.softmax dimension(1) ins(%s : tensor<2x5x7xf32>) outs(%e : tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %e2 = tensor.empty() : tensor<2x5x3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x5x7xf32>, tensor<2x7x3xf32>) outs(%f2 : tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  return %o : tensor<2x5x3xf32>
}

// -----

// A softmax normalized over both the query and the key axis.
// REMARK: remark: not converted to inhibitor.attention: softmax reduces over more than one dim
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#b3 = affine_map<(d0, d1, d2) -> (d0)>
#bb3 = affine_map<(d0, d1, d2) -> (d0, 0, 0)>
func.func @softmax_over_two_axes(%q: tensor<2x5x4xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>) -> tensor<2x5x3xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %e = tensor.empty() : tensor<2x5x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %s = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (b, n, k)>, affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%q, %k : tensor<2x5x4xf32>, tensor<2x7x4xf32>) outs(%f : tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %ex = math.exp %s : tensor<2x5x7xf32>
  %eb = tensor.empty() : tensor<2xf32>
  %fb = linalg.fill ins(%zero : f32) outs(%eb : tensor<2xf32>) -> tensor<2xf32>
  %sum = linalg.generic {indexing_maps = [#id3, #b3], iterator_types = ["parallel", "reduction", "reduction"]}
      ins(%ex : tensor<2x5x7xf32>) outs(%fb : tensor<2xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %x = arith.addf %a, %acc : f32
    linalg.yield %x : f32
  } -> tensor<2xf32>
  %p = linalg.generic {indexing_maps = [#id3, #b3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%ex, %sum : tensor<2x5x7xf32>, tensor<2xf32>) outs(%e : tensor<2x5x7xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %x = arith.divf %a, %b : f32
    linalg.yield %x : f32
  } -> tensor<2x5x7xf32>
  %unused = linalg.softmax dimension(2) ins(%s : tensor<2x5x7xf32>) outs(%e : tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %e2 = tensor.empty() : tensor<2x5x3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x5x7xf32>, tensor<2x7x3xf32>) outs(%f2 : tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  return %o : tensor<2x5x3xf32>
}

// -----

// The scale is a runtime value (a function argument), not a constant.
// REMARK: remark: not converted to inhibitor.attention: scale is not a constant
func.func @runtime_scale(%q: tensor<2x5x4xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>, %scale: f32) -> tensor<2x5x3xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %e = tensor.empty() : tensor<2x5x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %s = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (b, n, k)>, affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%q, %k : tensor<2x5x4xf32>, tensor<2x7x4xf32>) outs(%f : tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %sp = tensor.splat %scale : tensor<2x5x7xf32>
  %sc = arith.mulf %s, %sp : tensor<2x5x7xf32>
  %p = linalg.softmax dimension(2) ins(%sc : tensor<2x5x7xf32>) outs(%e : tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %e2 = tensor.empty() : tensor<2x5x3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x5x7xf32>, tensor<2x7x3xf32>) outs(%f2 : tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  return %o : tensor<2x5x3xf32>
}

// -----

// Attention-like chain without a softmax: (Q K^T * s) V.
// REMARK: remark: not converted to inhibitor.attention: the weights are not a softmax: no exp normalized by a sum
func.func @no_softmax(%q: tensor<2x5x4xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>) -> tensor<2x5x3xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %half = arith.constant dense<0.5> : tensor<2x5x7xf32>
  %e = tensor.empty() : tensor<2x5x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %s = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (b, n, k)>, affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%q, %k : tensor<2x5x4xf32>, tensor<2x7x4xf32>) outs(%f : tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %p = arith.mulf %s, %half : tensor<2x5x7xf32>
  %unused = linalg.softmax dimension(2) ins(%s : tensor<2x5x7xf32>) outs(%e : tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %e2 = tensor.empty() : tensor<2x5x3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x5x7xf32>, tensor<2x7x3xf32>) outs(%f2 : tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  return %o : tensor<2x5x3xf32>
}

// -----

// P V whose P (the attention weights) is also returned.
// REMARK: remark: not converted to inhibitor.attention: an intermediate of attention ({{.*}}) has a use outside it (func.return)
func.func @weights_returned(%q: tensor<2x5x4xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>) -> (tensor<2x5x3xf32>, tensor<2x5x7xf32>) {
  %zero = arith.constant 0.000000e+00 : f32
  %e = tensor.empty() : tensor<2x5x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %s = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (b, n, k)>, affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%q, %k : tensor<2x5x4xf32>, tensor<2x7x4xf32>) outs(%f : tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %p = linalg.softmax dimension(2) ins(%s : tensor<2x5x7xf32>) outs(%e : tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %e2 = tensor.empty() : tensor<2x5x3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x5x7xf32>, tensor<2x7x3xf32>) outs(%f2 : tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  return %o, %p : tensor<2x5x3xf32>, tensor<2x5x7xf32>
}

// -----

// A log-sum-exp whose sum is of exp(S) while the max is subtracted outside:
// exp(S - (max + log(sum exp(S)))) is not a softmax.
// REMARK: remark: not converted to inhibitor.attention: log-softmax: the sum is not of exp(X - max X)
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row2 = affine_map<(d0, d1) -> (d0)>
func.func @log_sum_exp_wrong_sum(%q: tensor<6x4xf32>, %k: tensor<7x4xf32>, %v: tensor<7x3xf32>) -> tensor<6x3xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<6x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<6x7xf32>) -> tensor<6x7xf32>
  %s = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
      ins(%q, %k : tensor<6x4xf32>, tensor<7x4xf32>) outs(%f : tensor<6x7xf32>) -> tensor<6x7xf32>
  %er = tensor.empty() : tensor<6xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%er : tensor<6xf32>) -> tensor<6xf32>
  %max = linalg.generic {indexing_maps = [#id2, #row2], iterator_types = ["parallel", "reduction"]}
      ins(%s : tensor<6x7xf32>) outs(%fm : tensor<6xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %m = arith.maximumf %in, %acc : f32
    linalg.yield %m : f32
  } -> tensor<6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%er : tensor<6xf32>) -> tensor<6xf32>
  %sum = linalg.generic {indexing_maps = [#id2, #row2], iterator_types = ["parallel", "reduction"]}
      ins(%s : tensor<6x7xf32>) outs(%fs : tensor<6xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %x = math.exp %in : f32
    %a = arith.addf %x, %acc : f32
    linalg.yield %a : f32
  } -> tensor<6xf32>
  %p = linalg.generic {indexing_maps = [#id2, #row2, #row2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%s, %max, %sum : tensor<6x7xf32>, tensor<6xf32>, tensor<6xf32>) outs(%e : tensor<6x7xf32>) {
  ^bb0(%in: f32, %mx: f32, %sm: f32, %out: f32):
    %l = math.log %sm : f32
    %lse = arith.addf %mx, %l : f32
    %d = arith.subf %in, %lse : f32
    %x = math.exp %d : f32
    linalg.yield %x : f32
  } -> tensor<6x7xf32>
  %e2 = tensor.empty() : tensor<6x3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<6x3xf32>) -> tensor<6x3xf32>
  %o = linalg.matmul ins(%p, %v : tensor<6x7xf32>, tensor<7x3xf32>) outs(%f2 : tensor<6x3xf32>) -> tensor<6x3xf32>
  return %o : tensor<6x3xf32>
}

// -----

// An unsigned compare of the query index plus a constant (i + 2 >= j,
// unsigned) is not the causal order where i + 2 could be negative.
// REMARK: remark: not converted to inhibitor.attention: mask compares the query and key index but is not causal (j <= i + d, d a constant, with a signed compare where d or the constants are not 0)
func.func @causal_index_unsigned_offset(%q: tensor<2x4x16xf32>, %k: tensor<2x6x16xf32>, %v: tensor<2x6x5xf32>) -> tensor<2x4x5xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %ekt = tensor.empty() : tensor<2x16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<2x6x16xf32>) outs(%ekt : tensor<2x16x6xf32>) permutation = [0, 2, 1]
  %es = tensor.empty() : tensor<2x4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %qk = linalg.batch_matmul ins(%q, %kt : tensor<2x4x16xf32>, tensor<2x16x6xf32>) outs(%fs : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %c_s = arith.constant 0.25 : f32
  %scaled = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%qk : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %y = arith.mulf %in, %c_s : f32
    linalg.yield %y : f32
  } -> tensor<2x4x6xf32>
  %masked = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%scaled : tensor<2x4x6xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %i = linalg.index 1 : index
    %j = linalg.index 2 : index
    %c2 = arith.constant 2 : index
    %i2 = arith.addi %i, %c2 : index
    %c = arith.cmpi uge, %i2, %j : index
    %r = arith.select %c, %in, %ninf : f32
    linalg.yield %r : f32
  } -> tensor<2x4x6xf32>
  %er = tensor.empty() : tensor<2x4x1xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %max = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%masked : tensor<2x4x6xf32>) outs(%fm : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %mx = arith.maximumf %in, %out : f32
    linalg.yield %mx : f32
  } -> tensor<2x4x1xf32>
  %sub = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%masked, %max : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
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
  %fz = linalg.fill ins(%zero : f32) outs(%er : tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%exp : tensor<2x4x6xf32>) outs(%fz : tensor<2x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<2x4x1xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<2x4x6xf32>, tensor<2x4x1xf32>) outs(%es : tensor<2x4x6xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.divf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x4x6xf32>
  %eo = tensor.empty() : tensor<2x4x5xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  %h = linalg.batch_matmul ins(%p, %v : tensor<2x4x6xf32>, tensor<2x6x5xf32>) outs(%fo : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  return %h : tensor<2x4x5xf32>
}
