// The kernel a C program links: i16 inhibitor attention with an i32
// accumulator, callable from C as _mlir_ciface_inhibitor_attention.
//
//   inhibitor-opt attention_kernel.mlir --inhibitor-to-llvm |
//     mlir-translate --mlir-to-llvmir | clang-22 -O3 -c -x ir - -o kernel.o
//   clang-22 main.c kernel.o -o attention && ./attention
func.func @inhibitor_attention(%q: tensor<4x8xi16>, %k: tensor<6x8xi16>,
                               %v: tensor<6x4xi16>) -> tensor<4x4xi32>
    attributes {llvm.emit_c_interface} {
  %init = tensor.empty() : tensor<4x4xi32>
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<4x8xi16>, tensor<6x8xi16>, tensor<6x4xi16>)
         outs(%init : tensor<4x4xi32>) -> tensor<4x4xi32>
  return %h : tensor<4x4xi32>
}
