// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3" | FileCheck %s --check-prefix=IR-AVX2
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3" | mlir-translate --mlir-to-llvmir | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=znver3 | FileCheck %s --check-prefix=AVX2
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver4 vector-bits=512" | FileCheck %s --check-prefix=IR-AVX512
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver4 vector-bits=512" | mlir-translate --mlir-to-llvmir | llc -O3 -mtriple=x86_64-unknown-linux-gnu -mcpu=znver4 | FileCheck %s --check-prefix=AVX512
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver4 vector-bits=256" | FileCheck %s --check-prefix=IR-AVX2
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver4" | FileCheck %s --check-prefix=IR-AVX512
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3 sad=off" | FileCheck %s --check-prefix=OFF
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3 strategy=affine" 2>/dev/null | FileCheck %s --check-prefix=OFF
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=x86-64" | FileCheck %s --check-prefix=OFF
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=x86-64 sad=on" | FileCheck %s --check-prefix=IR-SSE2
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3 sad=on vector-bits=128" | FileCheck %s --check-prefix=IR-SSE2
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=cortex-a72 sad=on" | FileCheck %s --check-prefix=GENERIC
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3 sad=on" | FileCheck %s --check-prefix=ON
// RUN: not inhibitor-opt %s --inhibitor-to-llvm="sad=sometimes" 2>&1 | FileCheck %s --check-prefix=BAD

// The `sad` option of --inhibitor-to-llvm. With sad=auto (the default) and a
// target CPU with AVX2, the score of i8 Q/K in an i16, i32 or i64
// accumulator is a byte sum of absolute differences computed with psadbw
// (vpsadbw on ymm; on zmm with AVX-512BW and vector-bits=512), whose partial
// sums for 4 (8) keys are combined with shuffles before one vector write.
// i16 data, and i8 data in an i8 accumulator, keep the default lowering:
// no psadbw anywhere in them. sad=off, the affine strategy and a target
// without AVX2 (x86-64) do not use it; sad=on uses it on any x86 target (the
// 128-bit SSE2 psadbw on x86-64, or with vector-bits=128) and, on a target
// that is not x86, emits the SAD form (zero-extended offset bytes) for the
// generic vectorizer, without x86 intrinsics. sad=auto also requires a
// static D that is a multiple of the psadbw width in bytes (32 for AVX2, 64
// for 512-bit): psadbw on partly padded vectors measured slower than the
// default form (D = 16: 2.3x slower; D = 48 slower; D = 32 and 64 1.3x and
// 1.5x faster). @score_i8_i32 (D = 100) and @attention_i8_d16 keep the
// default form under auto and take psadbw with sad=on.

// BAD: for the --sad option: Cannot find option named 'sometimes'!

// IR-AVX2-LABEL: llvm.func @attention_i8_i16
// IR-AVX2: llvm.call_intrinsic "llvm.x86.avx2.psad.bw"(%{{.*}}, %{{.*}}) : (vector<32xi8>, vector<32xi8>) -> vector<4xi64>
// IR-AVX2: llvm.shufflevector
// IR-AVX2: llvm.trunc %{{.*}} : vector<4xi64> to vector<4xi16>
// IR-AVX2: llvm.return
// IR-AVX2-LABEL: llvm.func @score_i8_i32
// IR-AVX2-NOT: psad
// IR-AVX2: llvm.return
// IR-AVX2-LABEL: llvm.func @attention_i16_i16
// IR-AVX2-NOT: psad
// IR-AVX2: llvm.return
// IR-AVX2-LABEL: llvm.func @attention_i8_i8
// IR-AVX2-NOT: psad
// IR-AVX2: llvm.return
// IR-AVX2-LABEL: llvm.func @attention_i8_d16
// IR-AVX2-NOT: psad
// IR-AVX2: llvm.return

// ON-LABEL: llvm.func @attention_i8_i16
// ON: llvm.call_intrinsic "llvm.x86.avx2.psad.bw"
// ON-LABEL: llvm.func @score_i8_i32
// ON: llvm.call_intrinsic "llvm.x86.avx2.psad.bw"
// ON: llvm.trunc %{{.*}} : vector<4xi64> to vector<4xi32>
// ON-LABEL: llvm.func @attention_i16_i16
// ON-NOT: psad
// ON-LABEL: llvm.func @attention_i8_d16
// ON: llvm.call_intrinsic "llvm.x86.avx2.psad.bw"
// ON: llvm.return

// AVX2-LABEL: attention_i8_i16:
// AVX2: vpsadbw {{.*}}%ymm
// AVX2-NOT: %zmm
// AVX2: .cfi_endproc
// AVX2-LABEL: score_i8_i32:
// AVX2-NOT: vpsadbw
// AVX2: .cfi_endproc
// AVX2-LABEL: attention_i16_i16:
// AVX2-NOT: vpsadbw
// AVX2: .cfi_endproc
// AVX2-LABEL: attention_i8_i8:
// AVX2-NOT: vpsadbw
// AVX2: .cfi_endproc

// IR-AVX512-LABEL: llvm.func @attention_i8_i16
// IR-AVX512: llvm.call_intrinsic "llvm.x86.avx512.psad.bw.512"(%{{.*}}, %{{.*}}) : (vector<64xi8>, vector<64xi8>) -> vector<8xi64>
// IR-AVX512: llvm.trunc %{{.*}} : vector<8xi64> to vector<8xi16>
// IR-AVX512-LABEL: llvm.func @attention_i16_i16
// IR-AVX512-NOT: psad
// IR-AVX512: llvm.return

// AVX512-LABEL: attention_i8_i16:
// AVX512: vpsadbw {{.*}}%zmm
// AVX512: .cfi_endproc
// AVX512-LABEL: attention_i16_i16:
// AVX512-NOT: vpsadbw
// AVX512: .cfi_endproc

// OFF-NOT: psad
// OFF-LABEL: llvm.func @attention_i8_i16
// OFF-NOT: psad

// IR-SSE2-LABEL: llvm.func @attention_i8_i16
// IR-SSE2: llvm.call_intrinsic "llvm.x86.sse2.psad.bw"(%{{.*}}, %{{.*}}) : (vector<16xi8>, vector<16xi8>) -> vector<2xi64>
// IR-SSE2-NOT: avx2.psad

// GENERIC-NOT: llvm.call_intrinsic
// GENERIC-LABEL: llvm.func @attention_i8_i16
// GENERIC-SAME: target_cpu = "cortex-a72"
// (Not x86: vector-bits defaults to 128, NEON; register tile rows of two
// 8-lane vectors.)
// GENERIC-NOT: llvm.call_intrinsic
// GENERIC: llvm.zext %{{.*}} : vector<16xi8> to vector<16xi16>
// GENERIC-NOT: llvm.call_intrinsic

func.func @attention_i8_i16(%q: tensor<64x64xi8>, %k: tensor<64x64xi8>,
                            %v: tensor<64x64xi8>) -> tensor<64x64xi16> {
  %init = tensor.empty() : tensor<64x64xi16>
  %h = inhibitor.attention signed {gamma = 8 : i16}
         ins(%q, %k, %v : tensor<64x64xi8>, tensor<64x64xi8>, tensor<64x64xi8>)
         outs(%init : tensor<64x64xi16>) -> tensor<64x64xi16>
  return %h : tensor<64x64xi16>
}

func.func @score_i8_i32(%q: tensor<17x100xi8>, %k: tensor<33x100xi8>) -> tensor<17x33xi32> {
  %init = tensor.empty() : tensor<17x33xi32>
  %z = inhibitor.manhattan_score {gamma = 3 : i32, alpha = 1 : i32}
         ins(%q, %k : tensor<17x100xi8>, tensor<33x100xi8>)
         outs(%init : tensor<17x33xi32>) -> tensor<17x33xi32>
  return %z : tensor<17x33xi32>
}

func.func @attention_i16_i16(%q: tensor<64x64xi16>, %k: tensor<64x64xi16>,
                             %v: tensor<64x64xi16>) -> tensor<64x64xi16> {
  %init = tensor.empty() : tensor<64x64xi16>
  %h = inhibitor.attention signed {gamma = 8 : i16}
         ins(%q, %k, %v : tensor<64x64xi16>, tensor<64x64xi16>, tensor<64x64xi16>)
         outs(%init : tensor<64x64xi16>) -> tensor<64x64xi16>
  return %h : tensor<64x64xi16>
}

func.func @attention_i8_i8(%q: tensor<64x64xi8>, %k: tensor<64x64xi8>,
                           %v: tensor<64x64xi8>) -> tensor<64x64xi8> {
  %init = tensor.empty() : tensor<64x64xi8>
  %h = inhibitor.attention signed
         ins(%q, %k, %v : tensor<64x64xi8>, tensor<64x64xi8>, tensor<64x64xi8>)
         outs(%init : tensor<64x64xi8>) -> tensor<64x64xi8>
  return %h : tensor<64x64xi8>
}

func.func @attention_i8_d16(%q: tensor<64x16xi8>, %k: tensor<64x16xi8>,
                            %v: tensor<64x16xi8>) -> tensor<64x16xi16> {
  %e = tensor.empty() : tensor<64x16xi16>
  %h = inhibitor.attention signed {gamma = 4 : i16}
         ins(%q, %k, %v : tensor<64x16xi8>, tensor<64x16xi8>, tensor<64x16xi8>)
         outs(%e : tensor<64x16xi16>) -> tensor<64x16xi16>
  return %h : tensor<64x16xi16>
}
