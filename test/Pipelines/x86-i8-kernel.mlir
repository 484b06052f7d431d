// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver4" | mlir-translate --mlir-to-llvmir | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=znver4 | FileCheck %s --check-prefix=AVX512
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3" | mlir-translate --mlir-to-llvmir | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=znver3 | FileCheck %s --check-prefix=AVX2
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver4 byte-inhibition=false" | mlir-translate --mlir-to-llvmir | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=znver4 | FileCheck %s --check-prefix=OFF
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=x86-64" | FileCheck %s --check-prefix=SSE2

// The i8 kernel of --inhibitor-to-llvm on x86 (docs/Codegen.md), down to
// the instructions (llc): the score as psadbw with the keys in 64-bit
// lanes (a query's 8-byte chunk broadcast from memory, vpbroadcastq, against
// the transposed key chunks), and the signed inhibition in bytes: the
// interleaved values of two keys clamped with vpminsb/vpmaxsb against the
// pair's byte bounds and added into 16-bit lanes with vpmaddubsw (ones x
// bytes). byte-inhibition=false keeps the 16-bit inhibition (OFF); plain
// x86-64 (SSE2 only, no AVX2) has neither pass (it lacks pmaddubsw, an
// SSSE3 instruction). gamma = 3: the division by a constant is a multiply-high
// (vpmulhw), no idiv.

// AVX512-LABEL: attention_i8:
// AVX512-NOT: idiv
// AVX512-DAG: vpbroadcastq
// AVX512-DAG: vpsadbw %zmm
// AVX512-DAG: vpmulhw
// AVX512-DAG: vpminsb %zmm
// AVX512-DAG: vpmaxsb %zmm
// AVX512-DAG: vpmaddubsw %zmm
// AVX512-NOT: idiv
// AVX512: # -- End function

// AVX2-LABEL: attention_i8:
// AVX2: vpsadbw %ymm
// AVX2: vpmaddubsw %ymm

// OFF-LABEL: attention_i8:
// OFF-NOT: vpmaddubsw
// OFF: vpsadbw
// OFF-NOT: vpmaddubsw
// OFF: # -- End function

// SSE2-LABEL: llvm.func @attention_i8
// SSE2-NOT: pmadd
// SSE2: llvm.return
func.func @attention_i8(%q: tensor<64x64xi8>, %k: tensor<128x64xi8>,
                        %v: tensor<128x64xi8>) -> tensor<64x64xi16> {
  %init = tensor.empty() : tensor<64x64xi16>
  %h = inhibitor.attention signed {gamma = 3 : i16}
         ins(%q, %k, %v : tensor<64x64xi8>, tensor<128x64xi8>, tensor<128x64xi8>)
         outs(%init : tensor<64x64xi16>) -> tensor<64x64xi16>
  return %h : tensor<64x64xi16>
}
