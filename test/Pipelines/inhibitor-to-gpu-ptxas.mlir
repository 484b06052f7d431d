// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: inhibitor-opt %s --inhibitor-to-gpu -split-input-file \
// RUN:   | %python %inhibitor_src/test/Utils/extract_ptx.py %t/ > %t/files
// RUN: for f in $(cat %t/files); do %ptxas -arch=sm_80 $f -o $f.cubin || exit 1; done
// RUN: ls %t | FileCheck %s
// The default pipeline stages tiles in shared memory: the assembled kernels
// declare .shared arrays; shared-memory=false assembles as well.
// RUN: cat %t/*.ptx | FileCheck %s --check-prefix=SHARED
// RUN: rm -rf %t/plain && mkdir -p %t/plain
// RUN: inhibitor-opt %s --inhibitor-to-gpu="shared-memory=false" -split-input-file \
// RUN:   | %python %inhibitor_src/test/Utils/extract_ptx.py %t/plain/ > %t/plain/files
// RUN: for f in $(cat %t/plain/files); do %ptxas -arch=sm_80 $f -o $f.cubin || exit 1; done
// RUN: cat %t/plain/*.ptx | FileCheck %s --check-prefix=PLAIN
// Where ptxas (CUDA toolkit) is installed, the emitted PTX of every op,
// type, mask and shape kind assembles for sm_80; with format=bin the
// pipeline embeds a cubin instead of PTX text.
// RUN: inhibitor-opt %s --inhibitor-to-gpu="format=bin" -split-input-file \
// RUN:   | FileCheck %s --check-prefix=CUBIN

// CHECK: attention_f16_causal_mask_kernel_4.ptx.cubin
// CHECK: attention_i16_kernel_4.ptx.cubin
// CHECK: inhibit_f32_kernel_0.ptx.cubin
// CHECK: score_i8_kernel_1.ptx.cubin

// SHARED: .shared .align
// SHARED: bar.sync 0
// SHARED: ld.shared
// PLAIN-NOT: .shared
// PLAIN-NOT: bar.sync

// CUBIN: gpu.binary @attention_f16_causal_mask_kernel_4 [#gpu.object<#nvvm.target<{{.*}}chip = "sm_80"{{.*}}bin = "\7FELF
// CUBIN: gpu.binary @attention_i16_kernel_4 [#gpu.object<#nvvm.target<{{.*}}bin = "\7FELF

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

func.func @attention_i16(%q: tensor<8x100x64xi16>, %k: tensor<8x100x64xi16>,
    %v: tensor<8x100x64xi16>, %m: tensor<100x100xi1>) -> tensor<8x100x64xi32> {
  %init = tensor.empty() : tensor<8x100x64xi32>
  %h = inhibitor.attention signed {gamma = 7 : i32, alpha = 3 : i32}
         ins(%q, %k, %v : tensor<8x100x64xi16>, tensor<8x100x64xi16>, tensor<8x100x64xi16>)
         mask(%m : tensor<100x100xi1>)
         outs(%init : tensor<8x100x64xi32>) -> tensor<8x100x64xi32>
  return %h : tensor<8x100x64xi32>
}

// -----

func.func @inhibit_f32(%v: tensor<17x8xf32>, %z: tensor<33x17xf32>) -> tensor<33x8xf32> {
  %init = tensor.empty() : tensor<33x8xf32>
  %h = inhibitor.inhibit
         ins(%v, %z : tensor<17x8xf32>, tensor<33x17xf32>)
         outs(%init : tensor<33x8xf32>) -> tensor<33x8xf32>
  return %h : tensor<33x8xf32>
}

// -----

func.func @score_i8(%q: tensor<?x64xi8>, %k: tensor<?x64xi8>, %init: tensor<?x?xi32>) -> tensor<?x?xi32> {
  %z = inhibitor.manhattan_score {gamma = 8 : i32, alpha = 1 : i32}
         ins(%q, %k : tensor<?x64xi8>, tensor<?x64xi8>)
         outs(%init : tensor<?x?xi32>) -> tensor<?x?xi32>
  return %z : tensor<?x?xi32>
}
