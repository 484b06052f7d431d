// A model with three attention blocks, one of which the rewrite to
// inhibitor.attention misses (its scale is not a constant). inhibitor-reduce
// shrinks the module to that block: the function that is rewritten and the
// unrelated one go, and the inhibitor.attention feeding the missed block
// is replaced by its destination (the inhibitor dialect's reduction
// pattern: the missed block does not need its value).
// RUN: inhibitor-reduce %s -reduction-tree='traversal-mode=0 test=/bin/sh test-arg=%S/Inputs/not-rewritten.sh' -o %t.mlir 2>/dev/null
// RUN: FileCheck %s < %t.mlir
// The reduced module is still interesting, and smaller.
// RUN: not /bin/sh %S/Inputs/not-rewritten.sh %t.mlir
// RUN: test $(wc -c < %t.mlir) -lt $(wc -c < %s)
// A module that is not interesting to begin with (it has no dot-product
// attention) is refused with a warning and exit status 1.
// RUN: not inhibitor-reduce %S/forward-destination.mlir -reduction-tree='traversal-mode=0 test=/bin/sh test-arg=%S/Inputs/not-rewritten.sh' 2>&1 | FileCheck %s --check-prefix=UNINTERESTING

// CHECK-NOT: func.func @rewritten
// CHECK-NOT: func.func @unrelated
// CHECK-LABEL: func.func @missed
// CHECK-NOT: inhibitor.attention
// CHECK: %[[Q:.*]] = tensor.empty() : tensor<4x16xf32>
// CHECK: linalg.transpose
// CHECK: %[[QK:.*]] = linalg.matmul ins(%[[Q]], %{{.*}} : tensor<4x16xf32>, tensor<16x6xf32>)
// CHECK: %[[S:.*]] = linalg.mul ins(%[[QK]],
// CHECK: %[[W:.*]] = linalg.softmax dimension(1) ins(%[[S]] :
// CHECK: %[[H:.*]] = linalg.matmul ins(%[[W]],
// CHECK: return %[[H]]
// CHECK-NOT: func.func

// UNINTERESTING: warning: uninterested module will not be reduced

func.func @rewritten(%q: tensor<4x16xf32>, %k: tensor<6x16xf32>,
                     %v: tensor<6x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %s = arith.constant 0.25 : f32
  %ekt = tensor.empty() : tensor<16x6xf32>
  %kt = linalg.transpose ins(%k : tensor<6x16xf32>) outs(%ekt : tensor<16x6xf32>) permutation = [1, 0]
  %es = tensor.empty() : tensor<4x6xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %qk = linalg.matmul ins(%q, %kt : tensor<4x16xf32>, tensor<16x6xf32>) outs(%fs : tensor<4x6xf32>) -> tensor<4x6xf32>
  %scaled = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                            iterator_types = ["parallel", "parallel"]}
      ins(%qk : tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.mulf %x, %s : f32
    linalg.yield %y : f32
  } -> tensor<4x6xf32>
  %w = linalg.softmax dimension(1) ins(%scaled : tensor<4x6xf32>) outs(%es : tensor<4x6xf32>) -> tensor<4x6xf32>
  %eo = tensor.empty() : tensor<4x8xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<4x8xf32>) -> tensor<4x8xf32>
  %h = linalg.matmul ins(%w, %v : tensor<4x6xf32>, tensor<6x8xf32>) outs(%fo : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %h : tensor<4x8xf32>
}

func.func @unrelated(%q: tensor<4x16xi8>, %k: tensor<6x16xi8>) -> tensor<4x6xi32> {
  %init = tensor.empty() : tensor<4x6xi32>
  %z = inhibitor.manhattan_score {gamma = 2 : i32}
         ins(%q, %k : tensor<4x16xi8>, tensor<6x16xi8>)
         outs(%init : tensor<4x6xi32>) -> tensor<4x6xi32>
  return %z : tensor<4x6xi32>
}

// The first block is already an inhibitor.attention; the second's scale is
// an input, which the rewrite does not take.
func.func @missed(%x: tensor<4x16xf32>, %k1: tensor<6x16xf32>, %v1: tensor<6x16xf32>,
                  %k: tensor<6x16xf32>, %v: tensor<6x8xf32>,
                  %scale: tensor<4x6xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<4x16xf32>
  %q = inhibitor.attention signed {gamma = 4.0 : f32}
         ins(%x, %k1, %v1 : tensor<4x16xf32>, tensor<6x16xf32>, tensor<6x16xf32>)
         outs(%e1 : tensor<4x16xf32>) -> tensor<4x16xf32>
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
