// A small model as torch-mlir lowers it to linalg on tensors (after
// -canonicalize): Q/K/V projections, heads split by view + transpose,
// causal scaled_dot_product_attention (scores / sqrt(4) with the f64 scalar
// narrowed in the body, an additive tril mask built from linalg.index, the
// decomposed softmax, batch x heads collapsed around the batch_matmuls),
// heads merged, output projection, residual. The same weights as
// attention_model_linalg.mlir; the inputs are read by
// check_attention_model.py: keep the `%name = arith.constant` lines.
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#swap12 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d1, d3)>
#tr4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3, d2)>
#row4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>
#mask = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
module {
  func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}

  func.func @matmul(%a: tensor<4x8xf32>, %b: tensor<8x8xf32>) -> tensor<4x8xf32> {
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<4x8xf32>
    %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
    %r = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x8xf32>) outs(%f : tensor<4x8xf32>) -> tensor<4x8xf32>
    return %r : tensor<4x8xf32>
  }

  // t.view(1, 4, 2, 4).transpose(1, 2)
  func.func @split_heads(%t: tensor<4x8xf32>) -> tensor<1x2x4x4xf32> {
    %v = tensor.expand_shape %t [[0, 1], [2, 3]] output_shape [1, 4, 2, 4] : tensor<4x8xf32> into tensor<1x4x2x4xf32>
    %e = tensor.empty() : tensor<1x2x4x4xf32>
    %r = linalg.generic {indexing_maps = [#swap12, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
        ins(%v : tensor<1x4x2x4xf32>) outs(%e : tensor<1x2x4x4xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<1x2x4x4xf32>
    return %r : tensor<1x2x4x4xf32>
  }

  // t.transpose(1, 2).reshape(4, 8)
  func.func @merge_heads(%t: tensor<1x2x4x4xf32>) -> tensor<4x8xf32> {
    %e = tensor.empty() : tensor<1x4x2x4xf32>
    %r = linalg.generic {indexing_maps = [#swap12, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
        ins(%t : tensor<1x2x4x4xf32>) outs(%e : tensor<1x4x2x4xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<1x4x2x4xf32>
    %c = tensor.collapse_shape %r [[0, 1], [2, 3]] : tensor<1x4x2x4xf32> into tensor<4x8xf32>
    return %c : tensor<4x8xf32>
  }

  func.func @model(%x: tensor<4x8xf32>, %wq: tensor<8x8xf32>, %wk: tensor<8x8xf32>,
                   %wv: tensor<8x8xf32>, %wo: tensor<8x8xf32>) -> tensor<4x8xf32> {
    %cst = arith.constant 0.000000e+00 : f32
    %ninf = arith.constant 0xFF800000 : f32
    %sqrt = arith.constant 2.000000e+00 : f64
    %q2 = func.call @matmul(%x, %wq) : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
    %k2 = func.call @matmul(%x, %wk) : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
    %v2 = func.call @matmul(%x, %wv) : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
    %q = func.call @split_heads(%q2) : (tensor<4x8xf32>) -> tensor<1x2x4x4xf32>
    %k = func.call @split_heads(%k2) : (tensor<4x8xf32>) -> tensor<1x2x4x4xf32>
    %v = func.call @split_heads(%v2) : (tensor<4x8xf32>) -> tensor<1x2x4x4xf32>
    // k.transpose(-2, -1)
    %e0 = tensor.empty() : tensor<1x2x4x4xf32>
    %kt = linalg.generic {indexing_maps = [#tr4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
        ins(%k : tensor<1x2x4x4xf32>) outs(%e0 : tensor<1x2x4x4xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<1x2x4x4xf32>
    // q @ kt as a batch_matmul on batch x heads
    %qc = tensor.collapse_shape %q [[0, 1], [2], [3]] : tensor<1x2x4x4xf32> into tensor<2x4x4xf32>
    %ktc = tensor.collapse_shape %kt [[0, 1], [2], [3]] : tensor<1x2x4x4xf32> into tensor<2x4x4xf32>
    %e1 = tensor.empty() : tensor<2x4x4xf32>
    %f1 = linalg.fill ins(%cst : f32) outs(%e1 : tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
    %s3 = linalg.batch_matmul ins(%qc, %ktc : tensor<2x4x4xf32>, tensor<2x4x4xf32>) outs(%f1 : tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
    %s = tensor.expand_shape %s3 [[0, 1], [2], [3]] output_shape [1, 2, 4, 4] : tensor<2x4x4xf32> into tensor<1x2x4x4xf32>
    // / sqrt(head dim)
    %sc = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
        ins(%s : tensor<1x2x4x4xf32>) outs(%e0 : tensor<1x2x4x4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %t = arith.truncf %sqrt : f64 to f32
      %d = arith.divf %in, %t : f32
      linalg.yield %d : f32
    } -> tensor<1x2x4x4xf32>
    // + causal bias: 0 where j <= i, -inf elsewhere
    %em = tensor.empty() : tensor<4x4xf32>
    %bias = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
        outs(%em : tensor<4x4xf32>) {
    ^bb0(%out: f32):
      %i = linalg.index 0 : index
      %j = linalg.index 1 : index
      %i64 = arith.index_cast %i : index to i64
      %j64 = arith.index_cast %j : index to i64
      %c = arith.cmpi ule, %j64, %i64 : i64
      %b = arith.select %c, %cst, %ninf : f32
      linalg.yield %b : f32
    } -> tensor<4x4xf32>
    %masked = linalg.generic {indexing_maps = [#id4, #mask, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
        ins(%sc, %bias : tensor<1x2x4x4xf32>, tensor<4x4xf32>) outs(%e0 : tensor<1x2x4x4xf32>) {
    ^bb0(%in: f32, %in_1: f32, %out: f32):
      %a = arith.addf %in, %in_1 : f32
      linalg.yield %a : f32
    } -> tensor<1x2x4x4xf32>
    // softmax(dim=-1): amax, sub, exp, sum, div
    %e3 = tensor.empty() : tensor<1x2x4x1xf32>
    %f3 = linalg.fill ins(%ninf : f32) outs(%e3 : tensor<1x2x4x1xf32>) -> tensor<1x2x4x1xf32>
    %max = linalg.generic {indexing_maps = [#id4, #row4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
        ins(%masked : tensor<1x2x4x4xf32>) outs(%f3 : tensor<1x2x4x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %m = arith.maximumf %in, %out : f32
      linalg.yield %m : f32
    } -> tensor<1x2x4x1xf32>
    %sub = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
        ins(%masked, %max : tensor<1x2x4x4xf32>, tensor<1x2x4x1xf32>) outs(%e0 : tensor<1x2x4x4xf32>) {
    ^bb0(%in: f32, %in_1: f32, %out: f32):
      %d = arith.subf %in, %in_1 : f32
      linalg.yield %d : f32
    } -> tensor<1x2x4x4xf32>
    %exp = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
        ins(%sub : tensor<1x2x4x4xf32>) outs(%e0 : tensor<1x2x4x4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %x1 = math.exp %in : f32
      linalg.yield %x1 : f32
    } -> tensor<1x2x4x4xf32>
    %f4 = linalg.fill ins(%cst : f32) outs(%e3 : tensor<1x2x4x1xf32>) -> tensor<1x2x4x1xf32>
    %sum = linalg.generic {indexing_maps = [#id4, #row4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
        ins(%exp : tensor<1x2x4x4xf32>) outs(%f4 : tensor<1x2x4x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %a = arith.addf %in, %out : f32
      linalg.yield %a : f32
    } -> tensor<1x2x4x1xf32>
    %p = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
        ins(%exp, %sum : tensor<1x2x4x4xf32>, tensor<1x2x4x1xf32>) outs(%e0 : tensor<1x2x4x4xf32>) {
    ^bb0(%in: f32, %in_1: f32, %out: f32):
      %d = arith.divf %in, %in_1 : f32
      linalg.yield %d : f32
    } -> tensor<1x2x4x4xf32>
    // @ v
    %pc = tensor.collapse_shape %p [[0, 1], [2], [3]] : tensor<1x2x4x4xf32> into tensor<2x4x4xf32>
    %vc = tensor.collapse_shape %v [[0, 1], [2], [3]] : tensor<1x2x4x4xf32> into tensor<2x4x4xf32>
    %o3 = linalg.batch_matmul ins(%pc, %vc : tensor<2x4x4xf32>, tensor<2x4x4xf32>) outs(%f1 : tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
    %o = tensor.expand_shape %o3 [[0, 1], [2], [3]] output_shape [1, 2, 4, 4] : tensor<2x4x4xf32> into tensor<1x2x4x4xf32>
    %h = func.call @merge_heads(%o) : (tensor<1x2x4x4xf32>) -> tensor<4x8xf32>
    %proj = func.call @matmul(%h, %wo) : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
    %ey = tensor.empty() : tensor<4x8xf32>
    %y = linalg.add ins(%proj, %x : tensor<4x8xf32>, tensor<4x8xf32>) outs(%ey : tensor<4x8xf32>) -> tensor<4x8xf32>
    return %y : tensor<4x8xf32>
  }

  func.func @main() {
    %x = arith.constant dense<[[0.375, 0.625, -1.0, 0.625, -0.125, 0.0, 0.25, -0.5], [1.0, -1.0, -0.5, -0.25, 0.125, -0.25, -0.75, -1.0], [-1.0, -1.0, -0.75, 1.0, -0.625, 0.375, 0.5, -0.625], [-0.5, -0.125, -0.5, 1.0, -0.625, 0.875, 0.625, 0.75]]> : tensor<4x8xf32>
    %wq = arith.constant dense<[[-0.21875, -0.0625, 0.0625, 0.0, 0.09375, 0.09375, 0.09375, -0.21875], [0.25, 0.03125, 0.21875, -0.125, -0.0625, 0.1875, -0.15625, -0.21875], [-0.0625, 0.09375, -0.1875, 0.1875, -0.09375, -0.15625, 0.03125, 0.21875], [0.21875, 0.1875, -0.09375, -0.25, 0.15625, 0.125, 0.15625, -0.25], [-0.25, 0.0, -0.09375, -0.03125, 0.21875, -0.15625, 0.0, -0.09375], [-0.09375, 0.15625, -0.1875, -0.09375, -0.1875, -0.1875, -0.125, 0.09375], [0.03125, -0.03125, -0.1875, 0.15625, 0.15625, -0.125, -0.21875, -0.09375], [-0.1875, 0.15625, 0.0, 0.0, -0.125, 0.0, 0.25, -0.125]]> : tensor<8x8xf32>
    %wk = arith.constant dense<[[0.15625, -0.25, -0.09375, 0.21875, 0.1875, -0.21875, 0.1875, 0.1875], [-0.03125, -0.0625, 0.25, 0.25, 0.09375, -0.0625, -0.15625, 0.21875], [-0.125, 0.03125, 0.09375, -0.125, -0.09375, 0.125, -0.15625, 0.09375], [0.25, 0.09375, 0.0625, -0.03125, 0.25, -0.15625, -0.0625, 0.0625], [0.09375, -0.21875, -0.1875, 0.09375, 0.1875, 0.0625, 0.21875, -0.0625], [-0.09375, 0.15625, -0.25, -0.15625, -0.15625, -0.0625, -0.1875, 0.15625], [0.1875, -0.0625, -0.25, 0.125, -0.21875, 0.0625, -0.1875, 0.21875], [0.09375, 0.25, 0.0625, 0.125, -0.0625, 0.15625, -0.21875, -0.1875]]> : tensor<8x8xf32>
    %wv = arith.constant dense<[[-0.25, 0.5, 0.0, 0.75, 1.0, -0.25, -0.125, 0.125], [0.25, 0.0, 0.25, 1.0, 0.5, -0.375, -0.125, -0.25], [-0.75, -1.0, 0.625, -0.125, -0.375, 0.25, 0.125, 0.875], [0.25, 0.875, 0.125, -0.375, -0.375, 1.0, 0.125, -0.625], [0.75, 0.625, -1.0, -0.75, 0.375, -0.25, -0.375, -0.875], [-0.625, 0.75, 0.75, 0.75, 0.125, -0.75, -0.375, 0.0], [1.0, -0.5, 0.125, 0.0, 0.0, 0.125, 0.375, -0.875], [1.0, 0.75, 0.625, -0.5, -0.125, -0.125, -0.375, -1.0]]> : tensor<8x8xf32>
    %wo = arith.constant dense<[[0.5, -1.0, 0.5, -0.625, 0.25, -0.375, -0.5, 0.875], [0.0, 0.875, -0.625, 0.0, -0.375, -0.125, -1.0, 0.375], [-0.375, 0.75, -0.625, -0.375, -1.0, 0.625, 0.125, -0.25], [0.875, 0.25, 1.0, 0.5, 0.125, 0.0, -0.625, 0.375], [0.625, 0.375, -0.125, -1.0, 0.5, -1.0, 0.625, -0.75], [-0.375, -0.625, 0.125, -0.625, -0.5, -1.0, 1.0, -0.625], [-0.625, 0.25, -0.75, 0.875, 0.625, -0.375, -0.25, -0.25], [0.5, -0.125, -0.5, 0.375, -0.75, 0.625, -0.125, 0.875]]> : tensor<8x8xf32>
    %y = func.call @model(%x, %wq, %wk, %wv, %wo)
        : (tensor<4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
    %buf = bufferization.to_buffer %y : tensor<4x8xf32> to memref<4x8xf32>
    %cast = memref.cast %buf : memref<4x8xf32> to memref<*xf32>
    func.call @printMemrefF32(%cast) : (memref<*xf32>) -> ()
    return
  }
}
