// The model of attention_model_torch.mlir (same weights) in TOSA 22: Q/K/V
// projections (tosa.matmul with zero points), heads split by reshape +
// transpose, causal attention (tosa.mul by the 1/sqrt(4) constant with its
// shift, tosa.add of a constant 0/-inf causal mask, reduce_max / sub / exp /
// reduce_sum / reciprocal / mul, batch x heads reshaped around the matmuls),
// heads merged, output projection, residual. The inputs are read by
// check_attention_model.py: keep the `%name = arith.constant` lines.
module {
  func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}

  func.func @model(%x: tensor<1x4x8xf32>, %wq: tensor<1x8x8xf32>, %wk: tensor<1x8x8xf32>,
                   %wv: tensor<1x8x8xf32>, %wo: tensor<1x8x8xf32>) -> tensor<1x4x8xf32> {
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %scale = "tosa.const"() <{values = dense<0.5> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
    %causal = "tosa.const"() <{values = dense<[[[[0.0, 0xFF800000, 0xFF800000, 0xFF800000], [0.0, 0.0, 0xFF800000, 0xFF800000], [0.0, 0.0, 0.0, 0xFF800000], [0.0, 0.0, 0.0, 0.0]]]]> : tensor<1x1x4x4xf32>}> : () -> tensor<1x1x4x4xf32>
    %s1424 = tosa.const_shape {values = dense<[1, 4, 2, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %s244 = tosa.const_shape {values = dense<[2, 4, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %s1244 = tosa.const_shape {values = dense<[1, 2, 4, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %s148 = tosa.const_shape {values = dense<[1, 4, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %q3 = tosa.matmul %x, %wq, %zp, %zp : (tensor<1x4x8xf32>, tensor<1x8x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x8xf32>
    %k3 = tosa.matmul %x, %wk, %zp, %zp : (tensor<1x4x8xf32>, tensor<1x8x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x8xf32>
    %v3 = tosa.matmul %x, %wv, %zp, %zp : (tensor<1x4x8xf32>, tensor<1x8x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x8xf32>
    %q_v = tosa.reshape %q3, %s1424 : (tensor<1x4x8xf32>, !tosa.shape<4>) -> tensor<1x4x2x4xf32>
    %q = tosa.transpose %q_v {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x4x2x4xf32>) -> tensor<1x2x4x4xf32>
    %k_v = tosa.reshape %k3, %s1424 : (tensor<1x4x8xf32>, !tosa.shape<4>) -> tensor<1x4x2x4xf32>
    %k = tosa.transpose %k_v {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x4x2x4xf32>) -> tensor<1x2x4x4xf32>
    %v_v = tosa.reshape %v3, %s1424 : (tensor<1x4x8xf32>, !tosa.shape<4>) -> tensor<1x4x2x4xf32>
    %v = tosa.transpose %v_v {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x4x2x4xf32>) -> tensor<1x2x4x4xf32>
    %kt = tosa.transpose %k {perms = array<i32: 0, 1, 3, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
    %qr = tosa.reshape %q, %s244 : (tensor<1x2x4x4xf32>, !tosa.shape<3>) -> tensor<2x4x4xf32>
    %ktr = tosa.reshape %kt, %s244 : (tensor<1x2x4x4xf32>, !tosa.shape<3>) -> tensor<2x4x4xf32>
    %s3 = tosa.matmul %qr, %ktr, %zp, %zp : (tensor<2x4x4xf32>, tensor<2x4x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x4xf32>
    %s = tosa.reshape %s3, %s1244 : (tensor<2x4x4xf32>, !tosa.shape<4>) -> tensor<1x2x4x4xf32>
    %sc = tosa.mul %s, %scale, %shift : (tensor<1x2x4x4xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x2x4x4xf32>
    %masked = tosa.add %sc, %causal : (tensor<1x2x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32>
    %max = tosa.reduce_max %masked {axis = 3 : i32} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x1xf32>
    %sub = tosa.sub %masked, %max : (tensor<1x2x4x4xf32>, tensor<1x2x4x1xf32>) -> tensor<1x2x4x4xf32>
    %exp = tosa.exp %sub : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
    %sum = tosa.reduce_sum %exp {axis = 3 : i32} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x1xf32>
    %rec = tosa.reciprocal %sum : (tensor<1x2x4x1xf32>) -> tensor<1x2x4x1xf32>
    %p = tosa.mul %exp, %rec, %shift : (tensor<1x2x4x4xf32>, tensor<1x2x4x1xf32>, tensor<1xi8>) -> tensor<1x2x4x4xf32>
    %pr = tosa.reshape %p, %s244 : (tensor<1x2x4x4xf32>, !tosa.shape<3>) -> tensor<2x4x4xf32>
    %vr = tosa.reshape %v, %s244 : (tensor<1x2x4x4xf32>, !tosa.shape<3>) -> tensor<2x4x4xf32>
    %o3 = tosa.matmul %pr, %vr, %zp, %zp : (tensor<2x4x4xf32>, tensor<2x4x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x4xf32>
    %o = tosa.reshape %o3, %s1244 : (tensor<2x4x4xf32>, !tosa.shape<4>) -> tensor<1x2x4x4xf32>
    %om = tosa.transpose %o {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x2x4x4xf32>) -> tensor<1x4x2x4xf32>
    %h = tosa.reshape %om, %s148 : (tensor<1x4x2x4xf32>, !tosa.shape<3>) -> tensor<1x4x8xf32>
    %proj = tosa.matmul %h, %wo, %zp, %zp : (tensor<1x4x8xf32>, tensor<1x8x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x8xf32>
    %y = tosa.add %proj, %x : (tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
    return %y : tensor<1x4x8xf32>
  }

  func.func @main() {
    %x = arith.constant dense<[[0.375, 0.625, -1.0, 0.625, -0.125, 0.0, 0.25, -0.5], [1.0, -1.0, -0.5, -0.25, 0.125, -0.25, -0.75, -1.0], [-1.0, -1.0, -0.75, 1.0, -0.625, 0.375, 0.5, -0.625], [-0.5, -0.125, -0.5, 1.0, -0.625, 0.875, 0.625, 0.75]]> : tensor<4x8xf32>
    %wq = arith.constant dense<[[-0.21875, -0.0625, 0.0625, 0.0, 0.09375, 0.09375, 0.09375, -0.21875], [0.25, 0.03125, 0.21875, -0.125, -0.0625, 0.1875, -0.15625, -0.21875], [-0.0625, 0.09375, -0.1875, 0.1875, -0.09375, -0.15625, 0.03125, 0.21875], [0.21875, 0.1875, -0.09375, -0.25, 0.15625, 0.125, 0.15625, -0.25], [-0.25, 0.0, -0.09375, -0.03125, 0.21875, -0.15625, 0.0, -0.09375], [-0.09375, 0.15625, -0.1875, -0.09375, -0.1875, -0.1875, -0.125, 0.09375], [0.03125, -0.03125, -0.1875, 0.15625, 0.15625, -0.125, -0.21875, -0.09375], [-0.1875, 0.15625, 0.0, 0.0, -0.125, 0.0, 0.25, -0.125]]> : tensor<8x8xf32>
    %wk = arith.constant dense<[[0.15625, -0.25, -0.09375, 0.21875, 0.1875, -0.21875, 0.1875, 0.1875], [-0.03125, -0.0625, 0.25, 0.25, 0.09375, -0.0625, -0.15625, 0.21875], [-0.125, 0.03125, 0.09375, -0.125, -0.09375, 0.125, -0.15625, 0.09375], [0.25, 0.09375, 0.0625, -0.03125, 0.25, -0.15625, -0.0625, 0.0625], [0.09375, -0.21875, -0.1875, 0.09375, 0.1875, 0.0625, 0.21875, -0.0625], [-0.09375, 0.15625, -0.25, -0.15625, -0.15625, -0.0625, -0.1875, 0.15625], [0.1875, -0.0625, -0.25, 0.125, -0.21875, 0.0625, -0.1875, 0.21875], [0.09375, 0.25, 0.0625, 0.125, -0.0625, 0.15625, -0.21875, -0.1875]]> : tensor<8x8xf32>
    %wv = arith.constant dense<[[-0.25, 0.5, 0.0, 0.75, 1.0, -0.25, -0.125, 0.125], [0.25, 0.0, 0.25, 1.0, 0.5, -0.375, -0.125, -0.25], [-0.75, -1.0, 0.625, -0.125, -0.375, 0.25, 0.125, 0.875], [0.25, 0.875, 0.125, -0.375, -0.375, 1.0, 0.125, -0.625], [0.75, 0.625, -1.0, -0.75, 0.375, -0.25, -0.375, -0.875], [-0.625, 0.75, 0.75, 0.75, 0.125, -0.75, -0.375, 0.0], [1.0, -0.5, 0.125, 0.0, 0.0, 0.125, 0.375, -0.875], [1.0, 0.75, 0.625, -0.5, -0.125, -0.125, -0.375, -1.0]]> : tensor<8x8xf32>
    %wo = arith.constant dense<[[0.5, -1.0, 0.5, -0.625, 0.25, -0.375, -0.5, 0.875], [0.0, 0.875, -0.625, 0.0, -0.375, -0.125, -1.0, 0.375], [-0.375, 0.75, -0.625, -0.375, -1.0, 0.625, 0.125, -0.25], [0.875, 0.25, 1.0, 0.5, 0.125, 0.0, -0.625, 0.375], [0.625, 0.375, -0.125, -1.0, 0.5, -1.0, 0.625, -0.75], [-0.375, -0.625, 0.125, -0.625, -0.5, -1.0, 1.0, -0.625], [-0.625, 0.25, -0.75, 0.875, 0.625, -0.375, -0.25, -0.25], [0.5, -0.125, -0.5, 0.375, -0.75, 0.625, -0.125, 0.875]]> : tensor<8x8xf32>
    %x3 = tensor.expand_shape %x [[0, 1], [2]] output_shape [1, 4, 8] : tensor<4x8xf32> into tensor<1x4x8xf32>
    %wq3 = tensor.expand_shape %wq [[0, 1], [2]] output_shape [1, 8, 8] : tensor<8x8xf32> into tensor<1x8x8xf32>
    %wk3 = tensor.expand_shape %wk [[0, 1], [2]] output_shape [1, 8, 8] : tensor<8x8xf32> into tensor<1x8x8xf32>
    %wv3 = tensor.expand_shape %wv [[0, 1], [2]] output_shape [1, 8, 8] : tensor<8x8xf32> into tensor<1x8x8xf32>
    %wo3 = tensor.expand_shape %wo [[0, 1], [2]] output_shape [1, 8, 8] : tensor<8x8xf32> into tensor<1x8x8xf32>
    %y = func.call @model(%x3, %wq3, %wk3, %wv3, %wo3)
        : (tensor<1x4x8xf32>, tensor<1x8x8xf32>, tensor<1x8x8xf32>, tensor<1x8x8xf32>, tensor<1x8x8xf32>) -> tensor<1x4x8xf32>
    %buf = bufferization.to_buffer %y : tensor<1x4x8xf32> to memref<1x4x8xf32>
    %cast = memref.cast %buf : memref<1x4x8xf32> to memref<*xf32>
    func.call @printMemrefF32(%cast) : (memref<*xf32>) -> ()
    return
  }
}
