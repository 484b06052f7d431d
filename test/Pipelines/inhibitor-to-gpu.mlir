// RUN: inhibitor-opt %s --inhibitor-to-gpu -split-input-file | FileCheck %s
// No libdevice calls, with or without a CUDA toolkit on the machine.
// RUN: inhibitor-opt %s --inhibitor-to-gpu -split-input-file \
// RUN:   | %python %inhibitor_src/test/Utils/extract_ptx.py - | FileCheck %s --check-prefix=NOCALL
// RUN: inhibitor-opt %s --inhibitor-to-gpu="shared-memory=false" -split-input-file \
// RUN:   | %python %inhibitor_src/test/Utils/extract_ptx.py - | FileCheck %s --check-prefix=PTX
// RUN: inhibitor-opt %s --inhibitor-to-gpu -split-input-file \
// RUN:   | %python %inhibitor_src/test/Utils/extract_ptx.py - | FileCheck %s --check-prefix=SHARED

// --inhibitor-to-gpu on every op, integer and float types, masks, causal and
// dynamic shapes: host functions launch one kernel per linalg op
// (fills, the score reduction, its epilogue, the mask widening, the
// inhibition), each serialized as sm_80 PTX text. One thread computes one
// output element. With shared-memory=false (prefix PTX), a reduction kernel
// loads its inputs from global memory and keeps the sum in a register; by
// default (prefix SHARED), the reduction kernels copy tiles of their inputs from
// global into shared memory (st.shared), synchronize (bar.sync) and
// accumulate from shared memory (ld.shared); test/Codegen/GPU/tile-and-distribute.mlir
// has the details.
//
// NOCALL-NOT: __nv_
// NOCALL-NOT: call
//
// Host code is LLVM dialect plus gpu.launch_func/gpu.binary only.
// CHECK-NOT: {{^ *(%[^ ]+ = )?"?(linalg|tensor|scf|inhibitor|memref|bufferization|affine|arith|math|func|cf)\.}}
// CHECK-NOT: unrealized_conversion_cast

// i8 data, i32 accumulator, gamma = 4 (a shift), alpha = 1.
// CHECK-LABEL: llvm.func @score_i8(
// CHECK-COUNT-3: gpu.launch_func
// CHECK: gpu.binary @score_i8_kernel [#gpu.object<#nvvm.target<O = 3, chip = "sm_80", features = "+ptx80">, {{.*}}assembly = "{{.*}}.target sm_80
// PTX-LABEL: // gpu.binary @score_i8_kernel_0
// PTX: .entry score_i8_kernel(
// PTX: ld.global.s8
// PTX: sub.s16
// PTX: add.s32
// PTX: st.global.b32
// PTX-LABEL: // gpu.binary @score_i8_kernel_1
// SHARED-LABEL: // gpu.binary @score_i8_kernel_0
// SHARED: .shared .align 1 .b8 __wg_score_i8_kernel_0[256];
// SHARED: .shared .align 1 .b8 __wg_score_i8_kernel_1[576];
// SHARED: .shared .align 4 .b8 __wg_score_i8_kernel_2[544];
// SHARED: ld.global.b8
// SHARED: st.shared.b8
// SHARED: bar.sync 0
// SHARED: ld.shared.s8
// SHARED: sub.s16
// SHARED: add.s32
// SHARED: bar.sync 0
// SHARED: st.global.b32
// SHARED-LABEL: // gpu.binary @score_i8_kernel_1
// SHARED-NOT: .shared
// SHARED: shr.s32
// PTX: ld.global.b32
// PTX: shr.s32
// PTX: max.s32
// PTX: st.global.b32
func.func @score_i8(%q: tensor<2x33x64xi8>, %k: tensor<2x17x64xi8>) -> tensor<2x33x17xi32> {
  %init = tensor.empty() : tensor<2x33x17xi32>
  %z = inhibitor.manhattan_score {gamma = 4 : i32, alpha = 1 : i32}
         ins(%q, %k : tensor<2x33x64xi8>, tensor<2x17x64xi8>)
         outs(%init : tensor<2x33x17xi32>) -> tensor<2x33x17xi32>
  return %z : tensor<2x33x17xi32>
}

// -----

// i16 data in an i16 accumulator, gamma = 7: floor division (by a
// multiply-high).
// CHECK-LABEL: llvm.func @score_i16_floordiv(
// PTX-LABEL: // gpu.binary @score_i16_floordiv_kernel_0
// PTX: ld.global.b16
// PTX: abs.s16
// PTX: st.global.b16
// PTX-LABEL: // gpu.binary @score_i16_floordiv_kernel_1
// SHARED-LABEL: // gpu.binary @score_i16_floordiv_kernel_0
// SHARED: st.shared.b16
// SHARED: bar.sync 0
// SHARED: ld.shared
// SHARED: abs.s16
// SHARED: st.global.b16
// PTX: mul.hi.s16
// PTX: max.s16
// PTX: st.global.b16
func.func @score_i16_floordiv(%q: tensor<9x64xi16>, %k: tensor<5x64xi16>) -> tensor<9x5xi16> {
  %init = tensor.empty() : tensor<9x5xi16>
  %z = inhibitor.manhattan_score {gamma = 7 : i16}
         ins(%q, %k : tensor<9x64xi16>, tensor<5x64xi16>)
         outs(%init : tensor<9x5xi16>) -> tensor<9x5xi16>
  return %z : tensor<9x5xi16>
}

// -----

// Signed inhibition (eq. 5), i16 values, i32 scores: max/min/sub/add only.
// CHECK-LABEL: llvm.func @inhibit_signed_i16(
// CHECK-COUNT-2: gpu.launch_func
// PTX-LABEL: // gpu.binary @inhibit_signed_i16_kernel_0
// PTX-DAG: ld.global.s16
// PTX-DAG: ld.global.b32
// PTX-DAG: max.s32
// PTX-DAG: min.s32
// PTX-DAG: sub.s32
// PTX-DAG: add.s32
// PTX: st.global.b32
// SHARED-LABEL: // gpu.binary @inhibit_signed_i16_kernel_0
// SHARED: st.shared.b16
// SHARED: st.shared.b32
// SHARED: bar.sync 0
// SHARED-DAG: ld.shared.s16
// SHARED-DAG: ld.shared.b32
// SHARED-DAG: max.s32
// SHARED-DAG: min.s32
// SHARED: bar.sync 0
// SHARED: st.global.b32
func.func @inhibit_signed_i16(%v: tensor<4x17x64xi16>, %z: tensor<4x33x17xi32>) -> tensor<4x33x64xi32> {
  %init = tensor.empty() : tensor<4x33x64xi32>
  %h = inhibitor.inhibit signed
         ins(%v, %z : tensor<4x17x64xi16>, tensor<4x33x17xi32>)
         outs(%init : tensor<4x33x64xi32>) -> tensor<4x33x64xi32>
  return %h : tensor<4x33x64xi32>
}

// -----

// Unsigned inhibition in f32.
// CHECK-LABEL: llvm.func @inhibit_f32(
// PTX-LABEL: // gpu.binary @inhibit_f32_kernel_0
// PTX: ld.global.b32
// PTX: sub.rn.f32
// PTX: max.NaN.f32
// PTX: add.rn.f32
// PTX: st.global.b32
// SHARED-LABEL: // gpu.binary @inhibit_f32_kernel_0
// SHARED: bar.sync 0
// SHARED: ld.shared.b32
// SHARED: max.NaN.f32
// SHARED: add.rn.f32
// SHARED: st.global.b32
func.func @inhibit_f32(%v: tensor<17x8xf32>, %z: tensor<33x17xf32>) -> tensor<33x8xf32> {
  %init = tensor.empty() : tensor<33x8xf32>
  %h = inhibitor.inhibit
         ins(%v, %z : tensor<17x8xf32>, tensor<33x17xf32>)
         outs(%init : tensor<33x8xf32>) -> tensor<33x8xf32>
  return %h : tensor<33x8xf32>
}

// -----

// f16 attention, causal, with a broadcast i1 mask (widened to bytes by its
// own kernel), two batch dims (batch, heads).
// CHECK-LABEL: llvm.func @attention_f16_causal_mask(
// CHECK-COUNT-6: gpu.launch_func
// PTX-LABEL: // gpu.binary @attention_f16_causal_mask_kernel_0
// PTX: ld.global.b16
// PTX: sub.rn.f16
// PTX: abs.f16
// PTX: add.rn.f16
// PTX: st.global.b16
// PTX-LABEL: // gpu.binary @attention_f16_causal_mask_kernel_2
// PTX: ld.global.b8
// PTX: st.global.b8
// PTX-LABEL: // gpu.binary @attention_f16_causal_mask_kernel_4
// PTX-DAG: ld.global.b8
// PTX-DAG: sub.rn.f16
// PTX-DAG: max.NaN.f16
// PTX-DAG: min.NaN.f16
// PTX-DAG: selp.b16
// PTX-DAG: add.rn.f16
// PTX: st.global.b16
// SHARED-LABEL: // gpu.binary @attention_f16_causal_mask_kernel_0
// SHARED: bar.sync 0
// SHARED: ld.shared
// SHARED: abs.f16
// SHARED-LABEL: // gpu.binary @attention_f16_causal_mask_kernel_4
// SHARED: bar.sync 0
// SHARED-DAG: ld.shared.b16
// SHARED-DAG: sub.rn.f16
// SHARED-DAG: max.NaN.f16
// SHARED-DAG: min.NaN.f16
// SHARED-DAG: selp.b16
// SHARED-DAG: add.rn.f16
// SHARED: st.global.b16
func.func @attention_f16_causal_mask(%q: tensor<2x8x33x64xf16>, %k: tensor<2x8x33x64xf16>,
    %v: tensor<2x8x33x64xf16>, %m: tensor<8x1x33xi1>) -> tensor<2x8x33x64xf16> {
  %init = tensor.empty() : tensor<2x8x33x64xf16>
  %h = inhibitor.attention causal signed {gamma = 8.0 : f16, alpha = 0.5 : f16}
         ins(%q, %k, %v : tensor<2x8x33x64xf16>, tensor<2x8x33x64xf16>, tensor<2x8x33x64xf16>)
         mask(%m : tensor<8x1x33xi1>)
         outs(%init : tensor<2x8x33x64xf16>) -> tensor<2x8x33x64xf16>
  return %h : tensor<2x8x33x64xf16>
}

// -----

// i8 attention in an i16 accumulator, dynamic shapes: grids computed on the
// host from the dims.
// CHECK-LABEL: llvm.func @attention_i8_dynamic(
// CHECK-COUNT-5: gpu.launch_func
// PTX-LABEL: // gpu.binary @attention_i8_dynamic_kernel_1
// PTX-LABEL: // gpu.binary @attention_i8_dynamic_kernel_3
// PTX: ld.global.s8
// PTX: ld.global.b16
// PTX: sub.s16
// PTX: max.s16
// PTX: add.s16
// PTX: st.global.b16
// SHARED-LABEL: // gpu.binary @attention_i8_dynamic_kernel_0
// SHARED: bar.sync 0
// SHARED: ld.shared.s8
// SHARED-LABEL: // gpu.binary @attention_i8_dynamic_kernel_3
// SHARED: bar.sync 0
// SHARED: ld.shared.s8
// SHARED: sub.s16
// SHARED: max.s16
// SHARED: add.s16
// SHARED: st.global.b16
func.func @attention_i8_dynamic(%q: tensor<?x?x?xi8>, %k: tensor<?x?x?xi8>,
    %v: tensor<?x?x?xi8>) -> tensor<?x?x?xi16> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %q, %c0 : tensor<?x?x?xi8>
  %n = tensor.dim %q, %c1 : tensor<?x?x?xi8>
  %e = tensor.dim %v, %c2 : tensor<?x?x?xi8>
  %init = tensor.empty(%b, %n, %e) : tensor<?x?x?xi16>
  %h = inhibitor.attention
         ins(%q, %k, %v : tensor<?x?x?xi8>, tensor<?x?x?xi8>, tensor<?x?x?xi8>)
         outs(%init : tensor<?x?x?xi16>) -> tensor<?x?x?xi16>
  return %h : tensor<?x?x?xi16>
}
