// RUN: inhibitor-opt %s -split-input-file -verify-each --convert-attention-to-inhibitor | FileCheck %s
// RUN: inhibitor-opt %s -split-input-file --convert-attention-to-inhibitor="emit-remarks=true" 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK

// TensorFlow BERT through MHLO to linalg: the scale folded into Q before the
// first contraction (`query * 1/sqrt(d)`), the scores as
// einsum("BTNH,BFNH->BNFT", key, query) (K Q^T, heads in the middle of the
// operands, the reduction dim not innermost), the softmax as mhlo reduces
// (max from -inf, sum from 0) with broadcast_in_dim maps, and the context as
// einsum("BNFT,BTNH->BFNH", probs, value): every operand and the result in a
// layout other than the op's, so the rewrite transposes them.

// REMARK-COUNT-2: remark: replaced dot-product attention by inhibitor.attention
// REMARK-NOT: remark: replaced

#bnft = affine_map<(b, n, f, t) -> (b, n, f, t)>
#bnf = affine_map<(b, n, f, t) -> (b, n, f)>
#q4 = affine_map<(b, f, n, h) -> (b, f, n, h)>

// CHECK-LABEL: func @tf_bert
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<2x5x3x8xf32>, %[[K:[^:]*]]: tensor<2x7x3x8xf32>, %[[V:[^:]*]]: tensor<2x7x3x4xf32>)
// CHECK-DAG: %[[QT:.*]] = linalg.transpose ins(%[[Q]] : tensor<2x5x3x8xf32>) outs(%{{.*}} : tensor<2x3x5x8xf32>) permutation = [0, 2, 1, 3]
// CHECK-DAG: %[[KT:.*]] = linalg.transpose ins(%[[K]] : tensor<2x7x3x8xf32>) outs(%{{.*}} : tensor<2x3x7x8xf32>) permutation = [0, 2, 1, 3]
// CHECK-DAG: %[[VT:.*]] = linalg.transpose ins(%[[V]] : tensor<2x7x3x4xf32>) outs(%{{.*}} : tensor<2x3x7x4xf32>) permutation = [0, 2, 1, 3]
// CHECK: %[[H:.*]] = inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 2.82842{{[0-9]*}} : f32}
// CHECK-SAME: ins(%[[QT]], %[[KT]], %[[VT]] : tensor<2x3x5x8xf32>, tensor<2x3x7x8xf32>, tensor<2x3x7x4xf32>)
// CHECK: %[[R:.*]] = linalg.transpose ins(%[[H]] : tensor<2x3x5x4xf32>) outs(%{{.*}} : tensor<2x5x3x4xf32>) permutation = [0, 2, 1, 3]
// CHECK: return %[[R]]
func.func @tf_bert(%q: tensor<2x5x3x8xf32>, %k: tensor<2x7x3x8xf32>, %v: tensor<2x7x3x4xf32>) -> tensor<2x5x3x4xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %rs = arith.constant dense<0.353553385> : tensor<2x5x3x8xf32>
  %eq = tensor.empty() : tensor<2x5x3x8xf32>
  %qs = linalg.generic {indexing_maps = [#q4, #q4, #q4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %rs : tensor<2x5x3x8xf32>, tensor<2x5x3x8xf32>) outs(%eq : tensor<2x5x3x8xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %x = arith.mulf %a, %b : f32
    linalg.yield %x : f32
  } -> tensor<2x5x3x8xf32>
  %e = tensor.empty() : tensor<2x3x5x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3x5x7xf32>) -> tensor<2x3x5x7xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(b, h, n, f, t) -> (b, t, n, h)>, affine_map<(b, h, n, f, t) -> (b, f, n, h)>, affine_map<(b, h, n, f, t) -> (b, n, f, t)>], iterator_types = ["parallel", "reduction", "parallel", "parallel", "parallel"]}
      ins(%k, %qs : tensor<2x7x3x8xf32>, tensor<2x5x3x8xf32>) outs(%f : tensor<2x3x5x7xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %x = arith.mulf %a, %b : f32
    %r = arith.addf %c, %x : f32
    linalg.yield %r : f32
  } -> tensor<2x3x5x7xf32>
  %er = tensor.empty() : tensor<2x3x5xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%er : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  %max = linalg.generic {indexing_maps = [#bnft, #bnf], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%s : tensor<2x3x5x7xf32>) outs(%fm : tensor<2x3x5xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %x = arith.maximumf %acc, %a : f32
    linalg.yield %x : f32
  } -> tensor<2x3x5xf32>
  %ex = linalg.generic {indexing_maps = [#bnft, #bnf, #bnft], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s, %max : tensor<2x3x5x7xf32>, tensor<2x3x5xf32>) outs(%e : tensor<2x3x5x7xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %x = arith.subf %a, %b : f32
    %y = math.exp %x : f32
    linalg.yield %y : f32
  } -> tensor<2x3x5x7xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%er : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  %sum = linalg.generic {indexing_maps = [#bnft, #bnf], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%ex : tensor<2x3x5x7xf32>) outs(%fs : tensor<2x3x5xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %x = arith.addf %acc, %a : f32
    linalg.yield %x : f32
  } -> tensor<2x3x5xf32>
  %p = linalg.generic {indexing_maps = [#bnft, #bnf, #bnft], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%ex, %sum : tensor<2x3x5x7xf32>, tensor<2x3x5xf32>) outs(%e : tensor<2x3x5x7xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %x = arith.divf %a, %b : f32
    linalg.yield %x : f32
  } -> tensor<2x3x5x7xf32>
  %eo = tensor.empty() : tensor<2x5x3x4xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x5x3x4xf32>) -> tensor<2x5x3x4xf32>
  %o = linalg.generic {indexing_maps = [affine_map<(b, f, n, h, t) -> (b, n, f, t)>, affine_map<(b, f, n, h, t) -> (b, t, n, h)>, affine_map<(b, f, n, h, t) -> (b, f, n, h)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %v : tensor<2x3x5x7xf32>, tensor<2x7x3x4xf32>) outs(%fo : tensor<2x5x3x4xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %x = arith.mulf %a, %b : f32
    %r = arith.addf %c, %x : f32
    linalg.yield %r : f32
  } -> tensor<2x5x3x4xf32>
  return %o : tensor<2x5x3x4xf32>
}

// -----

// PyTorch's math SDPA scales both Q and K by sqrt(scale) (here 0.5 each:
// scale 0.25, gamma 4), and a no-op `+ 0.0` is left on the scores.

// CHECK-LABEL: func @sqrt_scale_on_q_and_k
// CHECK: inhibitor.attention signed {alpha = 5.000000e-01 : f32, gamma = 4.000000e+00 : f32}
func.func @sqrt_scale_on_q_and_k(%q: tensor<5x4xf32>, %k: tensor<7x4xf32>, %v: tensor<7x3xf32>) -> tensor<5x3xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %h = arith.constant dense<0.5> : tensor<5x4xf32>
  %hk = arith.constant dense<0.5> : tensor<7x4xf32>
  %z = arith.constant dense<0.0> : tensor<5x7xf32>
  %qs = arith.mulf %q, %h : tensor<5x4xf32>
  %ks = arith.mulf %k, %hk : tensor<7x4xf32>
  %e = tensor.empty() : tensor<5x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<5x7xf32>) -> tensor<5x7xf32>
  %s = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
      ins(%qs, %ks : tensor<5x4xf32>, tensor<7x4xf32>) outs(%f : tensor<5x7xf32>) -> tensor<5x7xf32>
  %s0 = arith.addf %s, %z : tensor<5x7xf32>
  %p = linalg.softmax dimension(1) ins(%s0 : tensor<5x7xf32>) outs(%e : tensor<5x7xf32>) -> tensor<5x7xf32>
  %e2 = tensor.empty() : tensor<5x3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<5x3xf32>) -> tensor<5x3xf32>
  %o = linalg.matmul ins(%p, %v : tensor<5x7xf32>, tensor<7x3xf32>) outs(%f2 : tensor<5x3xf32>) -> tensor<5x3xf32>
  return %o : tensor<5x3xf32>
}
