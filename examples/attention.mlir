// Inhibitor attention, end to end: 2 heads, 4 queries, 6 keys, D = 8, E = 4,
// i16 data with an i32 accumulator, gamma = 8 (a shift), alpha = 1, signed
// inhibition and a causal mask.
//
//   inhibitor-opt examples/attention.mlir --inhibitor-to-llvm |
//     mlir-runner -e main -entry-point-result=void \
//       -shared-libs=<libmlir_runner_utils.so>,<libmlir_c_runner_utils.so>
//
// examples/check_demo.py compares the printed result with the NumPy reference.

func.func @attention(%q: tensor<2x4x8xi16>, %k: tensor<2x6x8xi16>,
                     %v: tensor<2x6x4xi16>) -> tensor<2x4x4xi32> {
  %init = tensor.empty() : tensor<2x4x4xi32>
  %h = inhibitor.attention causal signed {gamma = 8 : i32, alpha = 1 : i32}
         ins(%q, %k, %v : tensor<2x4x8xi16>, tensor<2x6x8xi16>, tensor<2x6x4xi16>)
         outs(%init : tensor<2x4x4xi32>) -> tensor<2x4x4xi32>
  return %h : tensor<2x4x4xi32>
}

func.func private @printMemrefI32(memref<*xi32>) attributes {llvm.emit_c_interface}

func.func @main() {
  %q = arith.constant dense<[[[-3, -42, -35, -28, -20, -39, 10, -6], [-25, 20, -44, 5, -24, 26, -27, 9], [-8, 40, -39, -35, -30, 0, -17, 35], [-26, -32, 2, 11, -46, -22, -32, 36]], [[-12, 4, 13, -6, -2, -18, 26, 45], [31, 25, 21, -7, -30, 46, 13, -1], [31, -30, 18, 45, -49, 28, 9, 32], [33, -35, 21, 39, 40, 37, -42, 42]]]> : tensor<2x4x8xi16>
  %k = arith.constant dense<[[[29, 13, -28, 36, -13, -8, -31, -18], [31, 37, -37, 44, 12, -13, 44, -22], [-39, 31, -27, -25, 39, 36, -2, -16], [-13, -26, -31, -30, 47, -35, -11, 35], [-8, 35, 7, -7, -15, -44, -38, 17], [-15, 6, 19, -5, 48, 34, 39, -47]], [[-9, 50, -7, 5, 45, -9, -42, 23], [-1, -50, 2, -19, -6, 6, -39, 49], [41, -31, -19, -11, 4, -4, -48, -7], [-1, 0, -37, -27, 23, 21, 1, -23], [-16, 4, -28, 43, -42, -26, -45, 42], [2, -14, 5, -35, -28, -4, -33, -39]]]> : tensor<2x6x8xi16>
  %v = arith.constant dense<[[[79, 79, 46, 76], [75, 88, -61, -21], [-29, 34, 36, -35], [35, -72, -28, 65], [91, 74, 41, -39], [50, -54, 44, 38]], [[98, -24, 16, 16], [-100, -30, -67, -10], [99, 81, -47, -42], [37, -35, -29, 19], [40, -60, -17, 6], [2, 24, -1, 72]]]> : tensor<2x6x4xi16>
  %h = call @attention(%q, %k, %v)
      : (tensor<2x4x8xi16>, tensor<2x6x8xi16>, tensor<2x6x4xi16>) -> tensor<2x4x4xi32>
  %m = bufferization.to_buffer %h : tensor<2x4x4xi32> to memref<2x4x4xi32>
  %u = memref.cast %m : memref<2x4x4xi32> to memref<*xi32>
  call @printMemrefI32(%u) : (memref<*xi32>) -> ()
  return
}
