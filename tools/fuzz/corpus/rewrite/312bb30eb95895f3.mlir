// A small model in linalg named form: Q/K/V projections, dot-product
// attention softmax(Q K^T / sqrt(8)) V (K^T by linalg.transpose, the scale a
// linalg.generic), an output projection and a residual add. The inputs are
// read by check_attention_model.py; keep the `%name = arith.constant` lines.
// Wq and Wk are small so that the inhibitor passes most values (the checker
// insists that at least half of the attention output is non-zero).
module {
  func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}

  func.func @matmul(%a: tensor<4x8xf32>, %b: tensor<8x8xf32>) -> tensor<4x8xf32> {
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<4x8xf32>
    %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
    %r = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x8xf32>) outs(%f : tensor<4x8xf32>) -> tensor<4x8xf32>
    return %r : tensor<4x8xf32>
  }

  func.func @model(%x: tensor<4x8xf32>, %wq: tensor<8x8xf32>, %wk: tensor<8x8xf32>,
                   %wv: tensor<8x8xf32>, %wo: tensor<8x8xf32>) -> tensor<4x8xf32> {
    %zero = arith.constant 0.0 : f32
    %scale = arith.constant 0.353553385 : f32
    %q = func.call @matmul(%x, %wq) : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
    %k = func.call @matmul(%x, %wk) : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
    %v = func.call @matmul(%x, %wv) : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
    %ekt = tensor.empty() : tensor<8x4xf32>
    %kt = linalg.transpose ins(%k : tensor<4x8xf32>) outs(%ekt : tensor<8x4xf32>) permutation = [1, 0]
    %es = tensor.empty() : tensor<4x4xf32>
    %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<4x4xf32>) -> tensor<4x4xf32>
    %qk = linalg.matmul ins(%q, %kt : tensor<4x8xf32>, tensor<8x4xf32>) outs(%fs : tensor<4x4xf32>) -> tensor<4x4xf32>
    %scaled = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                              iterator_types = ["parallel", "parallel"]}
        ins(%qk : tensor<4x4xf32>) outs(%es : tensor<4x4xf32>) {
    ^bb0(%a: f32, %o: f32):
      %m = arith.mulf %a, %scale : f32
      linalg.yield %m : f32
    } -> tensor<4x4xf32>
    %w = linalg.softmax dimension(1) ins(%scaled : tensor<4x4xf32>) outs(%es : tensor<4x4xf32>) -> tensor<4x4xf32>
    %eo = tensor.empty() : tensor<4x8xf32>
    %fo = linalg.fill ins(%zero : f32) outs(%eo : tensor<4x8xf32>) -> tensor<4x8xf32>
    %h = linalg.matmul ins(%w, %v : tensor<4x4xf32>, tensor<4x8xf32>) outs(%fo : tensor<4x8xf32>) -> tensor<4x8xf32>
    %proj = func.call @matmul(%h, %wo) : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
    %y = linalg.add ins(%proj, %x : tensor<4x8xf32>, tensor<4x8xf32>) outs(%eo : tensor<4x8xf32>) -> tensor<4x8xf32>
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
