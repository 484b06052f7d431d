// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3" | mlir-translate --mlir-to-llvmir | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=znver3 | FileCheck %s --check-prefix=AVX2
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver4 vector-bits=512" | mlir-translate --mlir-to-llvmir | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=znver4 | FileCheck %s --check-prefix=AVX512

// i16 attention with an i16 accumulator compiles to 16-bit integer SIMD:
// every step of the math (subtract, absolute value, shift by log2(gamma),
// ReLU max, signed inhibition max/min, sums) is one packed-word instruction
// on 256-bit ymm registers (AVX2) or, with vector-bits=512, 512-bit zmm
// registers (AVX-512BW).

// AVX2-LABEL: attention_i16:
// AVX2-DAG: vpsubw {{.*}}%ymm
// AVX2-DAG: vpabsw {{.*}}%ymm
// AVX2-DAG: vpsraw $3, {{.*}}%ymm
// AVX2-DAG: vpmaxsw {{.*}}%ymm
// AVX2-DAG: vpminsw {{.*}}%ymm
// AVX2-DAG: vpaddw {{.*}}%ymm
// AVX2-NOT: %zmm
// AVX2: .cfi_endproc

// AVX512-LABEL: attention_i16:
// AVX512-DAG: vpsubw {{.*}}%zmm
// AVX512-DAG: vpabsw {{.*}}%zmm
// AVX512-DAG: vpsraw $3, {{.*}}%zmm
// AVX512-DAG: vpmaxsw {{.*}}%zmm
// AVX512-DAG: vpminsw {{.*}}%zmm
// AVX512-DAG: vpaddw {{.*}}%zmm
// AVX512: .cfi_endproc
func.func @attention_i16(%q: tensor<64x64xi16>, %k: tensor<64x64xi16>,
                         %v: tensor<64x64xi16>) -> tensor<64x64xi16> {
  %init = tensor.empty() : tensor<64x64xi16>
  %h = inhibitor.attention signed {gamma = 8 : i16}
         ins(%q, %k, %v : tensor<64x64xi16>, tensor<64x64xi16>, tensor<64x64xi16>)
         outs(%init : tensor<64x64xi16>) -> tensor<64x64xi16>
  return %h : tensor<64x64xi16>
}
