// RUN: inhibitor-opt %s -split-input-file --inhibitor-fhe-cost -o /dev/null | FileCheck %s
// The upstream decomposition of linalg.softmax costs the same.
// RUN: inhibitor-opt %s -split-input-file --inhibitor-decompose='ops=linalg.softmax' --inhibitor-fhe-cost -o /dev/null | FileCheck %s --check-prefix=DECOMP
// After --convert-attention-to-inhibitor: the inhibitor op of the paper's
// setting (see @paper_n2_f32 in fhe-cost-inhibitor.mlir).
// RUN: inhibitor-opt %s -split-input-file --convert-attention-to-inhibitor --inhibitor-fhe-cost -o /dev/null | FileCheck %s --check-prefix=CONV

// Dot-product attention, n = 2, d = 2, E = 2, f32 quantized to 8 bits
// ([-128, 127]), in three spellings; all cost the same:
//   S = Q K^T: 2*2*2 = 8 ct-ct products, each 2 lookups ("mul") on
//     q + k / q - k in [-256, 255]: 16 at 9 bits; 2*2*(2-1) = 4 additions.
//     S in 2*[-16256, 16384] = [-32512, 32768].
//   S * 0.7071: 4 ct-clear products. S' in [-22990, 23170].
//   softmax over 2 per row, 2 rows:
//     max: (2-1)*2 = 2 lookups on S' - S' in [-46160, 46160]: 17 bits
//       (+2 additions each: 4);
//     S' - max: 4 additions; exp: 4 lookups at 17 bits, output 8 bits;
//     sum: 2 additions, in [0, 510]; reciprocal once per row: 2 at 9 bits;
//     exp * recip: 4 ct-ct products on [0, 255] +- [0, 255]: 8 at 10 bits.
//   P V: 8 ct-ct products on P in [0, 65025] +- V: 17 bits, 16 lookups;
//     4 additions.
//   Total: 48 lookups [9b: 16 + 2, 10b: 8, 17b: 2 + 4 + 16], 20 ct-ct,
//   4 ct-clear, 18 additions. Depth: QK 1, max 2, exp 3, recip 4, mul 5,
//   PV 6; products on the path: 3.

// linalg named ops + linalg.softmax (what the CPU benchmark compiles).
// CHECK-LABEL: fhe-cost @linalg_named
// CHECK: linalg.matmul at {{.*}}: pbs 16 [9b:16] ct-ct 8 ct-clear 0 add 4 depth 1/1 max-bits 9
// CHECK-NEXT: mul: 16x9b
// CHECK: linalg.generic at {{.*}}: pbs 0 [] ct-ct 0 ct-clear 4 add 0 depth 1/1 max-bits 0
// CHECK: linalg.softmax at {{.*}}: pbs 16 [9b:2 10b:8 17b:6] ct-ct 4 ct-clear 0 add 10 depth 5/2 max-bits 17
// CHECK-DAG: exp: 4x17b
// CHECK-DAG: max: 2x17b
// CHECK-DAG: mul: 8x10b
// CHECK-DAG: reciprocal: 2x9b
// CHECK: linalg.matmul at {{.*}}: pbs 16 [17b:16] ct-ct 8 ct-clear 0 add 4 depth 6/3 max-bits 17
// CHECK: total: pbs 48 [9b:18 10b:8 17b:22] ct-ct 20 ct-clear 4 add 18 depth 6/3 max-bits 17
// CHECK: note: 22 lookups wider than 16 bits, beyond Concrete's bootstrap
// DECOMP-LABEL: fhe-cost @linalg_named
// DECOMP: total: pbs 48 [9b:18 10b:8 17b:22] ct-ct 20 ct-clear 4 add 18 depth 6/3 max-bits 17
// CONV-LABEL: fhe-cost @linalg_named
// CONV: inhibitor.attention at {{.*}}: pbs 32 [8b:4 9b:12 10b:16] ct-ct 0 ct-clear 0 add 44 depth 3/0 max-bits 10
// CONV: total: pbs 32 [8b:4 9b:12 10b:16] ct-ct 0 ct-clear 0 add 44 depth 3/0 max-bits 10
// CONV-NOT: note:
// CONV-LABEL: fhe-cost @tosa
func.func @linalg_named(%q: tensor<2x2xf32>, %k: tensor<2x2xf32>, %v: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %s = arith.constant 0.707106769 : f32
  %es = tensor.empty() : tensor<2x2xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x2xf32>) -> tensor<2x2xf32>
  %qk = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                       affine_map<(m, n, k) -> (n, k)>,
                                       affine_map<(m, n, k) -> (m, n)>]
      ins(%q, %k : tensor<2x2xf32>, tensor<2x2xf32>) outs(%fs : tensor<2x2xf32>) -> tensor<2x2xf32>
  %scaled = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                            iterator_types = ["parallel", "parallel"]}
      ins(%qk : tensor<2x2xf32>) outs(%es : tensor<2x2xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.mulf %x, %s : f32
    linalg.yield %y : f32
  } -> tensor<2x2xf32>
  %w = linalg.softmax dimension(1) ins(%scaled : tensor<2x2xf32>) outs(%es : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = linalg.matmul ins(%w, %v : tensor<2x2xf32>, tensor<2x2xf32>) outs(%fs : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %h : tensor<2x2xf32>
}

// -----

// TOSA (22 syntax), batch 1.
// CHECK-LABEL: fhe-cost @tosa
// CHECK: tosa.matmul at {{.*}}: pbs 16 [9b:16] ct-ct 8 ct-clear 0 add 4 depth 1/1 max-bits 9
// CHECK: tosa.mul at {{.*}}: pbs 0 [] ct-ct 0 ct-clear 4 add 0 depth 1/1 max-bits 0
// CHECK: tosa.reduce_max at {{.*}}: pbs 2 [17b:2] ct-ct 0 ct-clear 0 add 4 depth 2/1 max-bits 17
// CHECK: tosa.sub at {{.*}}: pbs 0 [] ct-ct 0 ct-clear 0 add 4 depth 2/1 max-bits 0
// CHECK: tosa.exp at {{.*}}: pbs 4 [17b:4] ct-ct 0 ct-clear 0 add 0 depth 3/1 max-bits 17
// CHECK: tosa.reduce_sum at {{.*}}: pbs 0 [] ct-ct 0 ct-clear 0 add 2 depth 3/1 max-bits 0
// CHECK: tosa.reciprocal at {{.*}}: pbs 2 [9b:2] ct-ct 0 ct-clear 0 add 0 depth 4/1 max-bits 9
// CHECK: tosa.mul at {{.*}}: pbs 8 [10b:8] ct-ct 4 ct-clear 0 add 0 depth 5/2 max-bits 10
// CHECK: tosa.matmul at {{.*}}: pbs 16 [17b:16] ct-ct 8 ct-clear 0 add 4 depth 6/3 max-bits 17
// CHECK: total: pbs 48 [9b:18 10b:8 17b:22] ct-ct 20 ct-clear 4 add 18 depth 6/3 max-bits 17
// CONV: total: pbs 32 [8b:4 9b:12 10b:16] ct-ct 0 ct-clear 0 add 44 depth 3/0 max-bits 10
func.func @tosa(%q: tensor<1x2x2xf32>, %k: tensor<1x2x2xf32>, %v: tensor<1x2x2xf32>) -> tensor<1x2x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scale = "tosa.const"() <{values = dense<0.707106769> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %kt = tosa.transpose %k {perms = array<i32: 0, 2, 1>} : (tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
  %s = tosa.matmul %q, %kt, %zp, %zp : (tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2xf32>
  %sc = tosa.mul %s, %scale, %shift : (tensor<1x2x2xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x2x2xf32>
  %max = tosa.reduce_max %sc {axis = 2 : i32} : (tensor<1x2x2xf32>) -> tensor<1x2x1xf32>
  %sub = tosa.sub %sc, %max : (tensor<1x2x2xf32>, tensor<1x2x1xf32>) -> tensor<1x2x2xf32>
  %exp = tosa.exp %sub : (tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
  %sum = tosa.reduce_sum %exp {axis = 2 : i32} : (tensor<1x2x2xf32>) -> tensor<1x2x1xf32>
  %rec = tosa.reciprocal %sum : (tensor<1x2x1xf32>) -> tensor<1x2x1xf32>
  %p = tosa.mul %exp, %rec, %shift : (tensor<1x2x2xf32>, tensor<1x2x1xf32>, tensor<1xi8>) -> tensor<1x2x2xf32>
  %h = tosa.matmul %p, %v, %zp, %zp : (tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2xf32>
  return %h : tensor<1x2x2xf32>
}

// -----

// torch-mlir's decomposed form: a generic per step, the scale as a division
// by sqrt(2) narrowed from f64 in the body, max from -inf, keepdim rows.
// CHECK-LABEL: fhe-cost @torch_decomposed
// CHECK: total: pbs 48 [9b:18 10b:8 17b:22] ct-ct 20 ct-clear 4 add 18 depth 6/3 max-bits 17
// CONV-LABEL: fhe-cost @torch_decomposed
// CONV: total: pbs 32 [8b:4 9b:12 10b:16] ct-ct 0 ct-clear 0 add 44 depth 3/0 max-bits 10
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0, 0)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
func.func @torch_decomposed(%q: tensor<2x2xf32>, %k: tensor<2x2xf32>, %v: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %sqrt = arith.constant 1.4142135623730951 : f64
  %e0 = tensor.empty() : tensor<2x2xf32>
  %kt = linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]}
      ins(%k : tensor<2x2xf32>) outs(%e0 : tensor<2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x2xf32>
  %f1 = linalg.fill ins(%cst : f32) outs(%e0 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %s = linalg.matmul ins(%q, %kt : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f1 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %sc = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<2x2xf32>) outs(%e0 : tensor<2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = arith.truncf %sqrt : f64 to f32
    %d = arith.divf %in, %t : f32
    linalg.yield %d : f32
  } -> tensor<2x2xf32>
  %e3 = tensor.empty() : tensor<2x1xf32>
  %f3 = linalg.fill ins(%ninf : f32) outs(%e3 : tensor<2x1xf32>) -> tensor<2x1xf32>
  %max = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%sc : tensor<2x2xf32>) outs(%f3 : tensor<2x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %out : f32
    linalg.yield %m : f32
  } -> tensor<2x1xf32>
  %sub = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%sc, %max : tensor<2x2xf32>, tensor<2x1xf32>) outs(%e0 : tensor<2x2xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.subf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x2xf32>
  %exp = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%sub : tensor<2x2xf32>) outs(%e0 : tensor<2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = math.exp %in : f32
    linalg.yield %x : f32
  } -> tensor<2x2xf32>
  %f4 = linalg.fill ins(%cst : f32) outs(%e3 : tensor<2x1xf32>) -> tensor<2x1xf32>
  %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%exp : tensor<2x2xf32>) outs(%f4 : tensor<2x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<2x1xf32>
  %p = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%exp, %sum : tensor<2x2xf32>, tensor<2x1xf32>) outs(%e0 : tensor<2x2xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %d = arith.divf %in, %in_1 : f32
    linalg.yield %d : f32
  } -> tensor<2x2xf32>
  %h = linalg.matmul ins(%p, %v : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f1 : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %h : tensor<2x2xf32>
}

// -----

// A causal mask built in the IR (index compare + select with -inf): the
// condition is known when compiling, so the select costs nothing, and every
// score is still computed (the dot-product graph does not skip the masked
// half; the inhibitor op's `causal` does). Integer QK^T of i8 data into i32
// through extsi, N = 2, M = 3, D = 2: N*M*D = 12 ct-ct products, 24 lookups
// at 9 bits, N*M*(D-1) = 6 additions.
// CHECK-LABEL: fhe-cost @causal_select_int_qk
// CHECK: linalg.generic at {{.*}}: pbs 24 [9b:24] ct-ct 12 ct-clear 0 add 6 depth 1/1 max-bits 9
// CHECK-NOT: linalg.generic at
// CHECK: total: pbs 24 [9b:24] ct-ct 12 ct-clear 0 add 6 depth 1/1 max-bits 9
func.func @causal_select_int_qk(%q: tensor<2x2xi8>, %k: tensor<3x2xi8>) -> tensor<2x3xf32> {
  %c0 = arith.constant 0 : i32
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<2x3xi32>
  %f = linalg.fill ins(%c0 : i32) outs(%e : tensor<2x3xi32>) -> tensor<2x3xi32>
  %s = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (j, k)>,
                                        affine_map<(i, j, k) -> (i, j)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%q, %k : tensor<2x2xi8>, tensor<3x2xi8>) outs(%f : tensor<2x3xi32>) {
  ^bb0(%a: i8, %b: i8, %acc: i32):
    %a32 = arith.extsi %a : i8 to i32
    %b32 = arith.extsi %b : i8 to i32
    %p = arith.muli %a32, %b32 : i32
    %r = arith.addi %acc, %p : i32
    linalg.yield %r : i32
  } -> tensor<2x3xi32>
  %ef = tensor.empty() : tensor<2x3xf32>
  %m = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<2x3xi32>) outs(%ef : tensor<2x3xf32>) {
  ^bb0(%x: i32, %o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %keep = arith.cmpi ule, %j, %i : index
    %xf = arith.sitofp %x : i32 to f32
    %y = arith.select %keep, %xf, %ninf : f32
    linalg.yield %y : f32
  } -> tensor<2x3xf32>
  return %m : tensor<2x3xf32>
}

// -----

// Heads as torch-mlir runs them: [batch = 1, heads = 2] collapsed for
// linalg.batch_matmul, K^T as a transpose, expanded back. Shape ops cost
// nothing; every count is twice @linalg_named's (two heads), the depth the
// same.
// CHECK-LABEL: fhe-cost @heads_batch_matmul
// CHECK-NOT: tensor.
// CHECK: total: pbs 96 [9b:36 10b:16 17b:44] ct-ct 40 ct-clear 8 add 36 depth 6/3 max-bits 17
// CONV-LABEL: fhe-cost @heads_batch_matmul
// CONV: total: pbs 64 [8b:8 9b:24 10b:32] ct-ct 0 ct-clear 0 add 88 depth 3/0 max-bits 10
func.func @heads_batch_matmul(%q: tensor<1x2x2x2xf32>, %k: tensor<1x2x2x2xf32>, %v: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %s = arith.constant 0.707106769 : f32
  %qc = tensor.collapse_shape %q [[0, 1], [2], [3]] : tensor<1x2x2x2xf32> into tensor<2x2x2xf32>
  %kc = tensor.collapse_shape %k [[0, 1], [2], [3]] : tensor<1x2x2x2xf32> into tensor<2x2x2xf32>
  %vc = tensor.collapse_shape %v [[0, 1], [2], [3]] : tensor<1x2x2x2xf32> into tensor<2x2x2xf32>
  %e = tensor.empty() : tensor<2x2x2xf32>
  %kt = linalg.transpose ins(%kc : tensor<2x2x2xf32>) outs(%e : tensor<2x2x2xf32>) permutation = [0, 2, 1]
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %qk = linalg.batch_matmul ins(%qc, %kt : tensor<2x2x2xf32>, tensor<2x2x2xf32>) outs(%f : tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %sc = linalg.generic {indexing_maps = [affine_map<(b, i, j) -> (b, i, j)>, affine_map<(b, i, j) -> (b, i, j)>],
                        iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%qk : tensor<2x2x2xf32>) outs(%e : tensor<2x2x2xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.mulf %x, %s : f32
    linalg.yield %y : f32
  } -> tensor<2x2x2xf32>
  %w = linalg.softmax dimension(2) ins(%sc : tensor<2x2x2xf32>) outs(%e : tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %h = linalg.batch_matmul ins(%w, %vc : tensor<2x2x2xf32>, tensor<2x2x2xf32>) outs(%f : tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %he = tensor.expand_shape %h [[0, 1], [2], [3]] output_shape [1, 2, 2, 2] : tensor<2x2x2xf32> into tensor<1x2x2x2xf32>
  return %he : tensor<1x2x2x2xf32>
}
