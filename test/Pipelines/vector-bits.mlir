// The vector width of --inhibitor-to-llvm follows the target CPU unless
// vector-bits says otherwise: 512 bits with AVX-512BW (znver4), 256 with
// AVX2 (znver3), 128 on plain x86-64 (SSE2). A row of the default register
// tile is two native vectors (E = 64 is a multiple of two): 64, 32 and 16
// i16 lanes, which LLVM splits into native ones.
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver4" | FileCheck %s --check-prefix=AVX512
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3" | FileCheck %s --check-prefix=AVX2
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=x86-64" | FileCheck %s --check-prefix=SSE2
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver4 vector-bits=256" | FileCheck %s --check-prefix=AVX2
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver4 strategy=affine" 2>/dev/null | FileCheck %s --check-prefix=AFFINE512

// AVX512-LABEL: llvm.func @attention_i16
// AVX512: llvm.intr.smax(%{{.*}}, %{{.*}}) : (vector<64xi16>, vector<64xi16>) -> vector<64xi16>
// AVX2-LABEL: llvm.func @attention_i16
// AVX2-NOT: vector<64xi16>
// AVX2: llvm.intr.smax(%{{.*}}, %{{.*}}) : (vector<32xi16>, vector<32xi16>) -> vector<32xi16>
// AVX2-NOT: vector<64xi16>
// SSE2-LABEL: llvm.func @attention_i16
// SSE2-NOT: vector<32xi16>
// SSE2: llvm.intr.smax(%{{.*}}, %{{.*}}) : (vector<16xi16>, vector<16xi16>) -> vector<16xi16>
// SSE2-NOT: vector<32xi16>
// The affine strategy: one native vector per accumulator.
// AFFINE512-LABEL: llvm.func @attention_i16
// AFFINE512: llvm.intr.smax(%{{.*}}, %{{.*}}) : (vector<32xi16>, vector<32xi16>) -> vector<32xi16>
func.func @attention_i16(%q: tensor<8x64xi16>, %k: tensor<64x64xi16>,
                         %v: tensor<64x64xi16>) -> tensor<8x64xi16> {
  %init = tensor.empty() : tensor<8x64xi16>
  %h = inhibitor.attention signed {gamma = 8 : i16}
         ins(%q, %k, %v : tensor<8x64xi16>, tensor<64x64xi16>, tensor<64x64xi16>)
         outs(%init : tensor<8x64xi16>) -> tensor<8x64xi16>
  return %h : tensor<8x64xi16>
}
