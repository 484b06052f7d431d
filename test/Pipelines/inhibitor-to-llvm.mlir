// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3" -verify-each -split-input-file | FileCheck %s --check-prefixes=CHECK,FUSED
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3" -verify-each -split-input-file | FileCheck %s --check-prefix=ONLY-LLVM
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3 fuse-attention=false" -verify-each -split-input-file | FileCheck %s --check-prefixes=CHECK,UNFUSED
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3 fuse-attention=false" -verify-each -split-input-file | FileCheck %s --check-prefix=ONLY-LLVM
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3 query-tile=4 key-tile=4" -verify-each -split-input-file | FileCheck %s --check-prefix=ONLY-LLVM
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3" -split-input-file | FileCheck %s --check-prefix=NOMASK
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3 peel-tiles=off" -split-input-file | FileCheck %s --check-prefix=MASKED

// --inhibitor-to-llvm takes inhibitor ops, and the upstream tensor code
// around them, to the LLVM dialect: vector loops over buffers, every
// llvm.func tagged with the target CPU. Nothing of another dialect is left
// (ONLY-LLVM), so the output goes straight to mlir-translate: with
// inhibitor.attention lowered fused and tiled (the default), unfused
// (fuse-attention=false), and fused with tiles smaller than the sizes
// (several, partial and causal-bounded key tiles). Fused or not, the SIMD
// code is the same (CHECK); what differs is the size of the score buffer
// (FUSED, UNFUSED).
//
// The results are fresh tensors (tensor.empty); a result written in place
// into a function argument is covered by inhibitor-to-llvm-inplace-init.mlir.

// ONLY-LLVM-NOT: {{^ *(%[^ ]+ = )?"?(linalg|tensor|vector|scf|inhibitor|memref|bufferization|affine|arith|math|func|cf|ub)\.}}
// ONLY-LLVM-NOT: unrealized_conversion_cast
// ONLY-LLVM-NOT: func.func

// i16 data, i16 accumulator, signed, gamma = 8: 16-lane integer SIMD (the
// clamp form of signed inhibition: smin, smax, and the add of the split
// form). The innermost (reduction) loops carry their [4, 32] accumulator
// tile (4 rows of two 16-lane AVX2 vectors) in registers: a block argument
// of four 32-element vectors, which LLVM splits into native ones.
// Fused, the scratch buffers (score tile, H tile) are [32, 64] query tiles
// (2048 elements), allocated after the result and K^T (4096 each);
// unfused, the whole [64, 64] score is a third 4096-element buffer.
// CHECK-LABEL: llvm.func @attention_i16
// CHECK-SAME: target_cpu = "znver3"
// FUSED-COUNT-2: llvm.mlir.constant(4096 : index) : i64
// FUSED-NOT: llvm.mlir.constant(4096 : index)
// FUSED: llvm.mlir.constant(2048 : index) : i64
// FUSED-NEXT: llvm.mlir.zero
// FUSED-NEXT: llvm.getelementptr
// UNFUSED-COUNT-3: llvm.mlir.constant(4096 : index) : i64
// UNFUSED-NOT: llvm.mlir.constant(2048 : index)
// CHECK-DAG: llvm.sub %{{.*}}, %{{.*}} : vector<32xi16>
// CHECK-DAG: "llvm.intr.abs"(%{{.*}}) <{is_int_min_poison = false}> : (vector<32xi16>) -> vector<32xi16>
// CHECK-DAG: llvm.add %{{.*}}, %{{.*}} : vector<{{[0-9]+}}xi16>
// CHECK-DAG: llvm.ashr %{{.*}}, %{{.*}} : vector<32xi16>
// CHECK-DAG: llvm.intr.smax(%{{.*}}, %{{.*}}) : (vector<32xi16>, vector<32xi16>) -> vector<32xi16>
// CHECK-DAG: llvm.intr.smin(%{{.*}}, %{{.*}}) : (vector<32xi16>, vector<32xi16>) -> vector<32xi16>
// CHECK-DAG: llvm.br ^bb{{[0-9]+}}(%{{.*}}, %{{.*}} : i64, !llvm.array<4 x vector<32xi16>>)
// UNFUSED-NOT: llvm.mlir.constant(2048 : index)
// CHECK: llvm.return
func.func @attention_i16(%q: tensor<64x64xi16>, %k: tensor<64x64xi16>,
                         %v: tensor<64x64xi16>) -> tensor<64x64xi16> {
  %init = tensor.empty() : tensor<64x64xi16>
  %h = inhibitor.attention signed {gamma = 8 : i16}
         ins(%q, %k, %v : tensor<64x64xi16>, tensor<64x64xi16>, tensor<64x64xi16>)
         outs(%init : tensor<64x64xi16>) -> tensor<64x64xi16>
  return %h : tensor<64x64xi16>
}

// -----

// f32 with a mask and causal, sizes no vector divides (N = M = 9), float
// SIMD on 8 lanes: the register tiles' loops of those ragged static sizes
// are peeled (`peel-tiles=split`, the default, as with `static`), their
// partial tiles static, so no load or store is masked (NOMASK); with
// `peel-tiles=off` the partial tiles are masked loads and stores (MASKED).
// NOMASK-LABEL: llvm.func @attention_f32_masked_causal
// NOMASK-NOT: llvm.intr.masked
// NOMASK: llvm.return
// MASKED-LABEL: llvm.func @attention_f32_masked_causal
// MASKED-DAG: llvm.intr.masked.load %{{.*}} : (!llvm.ptr, vector<8xi1>, vector<8xf32>) -> vector<8xf32>
// MASKED-DAG: llvm.intr.masked.store %{{.*}}, %{{.*}}, %{{.*}} {{.*}} : vector<8xf32>, vector<8xi1> into !llvm.ptr
// CHECK-LABEL: llvm.func @attention_f32_masked_causal
// CHECK-SAME: target_cpu = "znver3"
// CHECK-DAG: llvm.fsub %{{.*}}, %{{.*}} : vector<8xf32>
// CHECK-DAG: llvm.intr.fabs(%{{.*}}) : (vector<8xf32>) -> vector<8xf32>
// CHECK-DAG: llvm.fdiv %{{.*}}, %{{.*}} : vector<8xf32>
// CHECK-DAG: llvm.intr.maximum(%{{.*}}, %{{.*}}) : (vector<8xf32>, vector<8xf32>) -> vector<8xf32>
// CHECK-DAG: llvm.icmp "ne" %{{.*}}, %{{.*}} : vector<8xi8>
// CHECK-DAG: llvm.icmp "sle" %{{.*}}, %{{.*}} : vector<8xi64>
// CHECK-DAG: llvm.select %{{.*}}, %{{.*}}, %{{.*}} : vector<8xi1>, vector<8xf32>
// CHECK: llvm.return
func.func @attention_f32_masked_causal(%q: tensor<2x9x16xf32>, %k: tensor<2x9x16xf32>,
                                       %v: tensor<2x9x8xf32>, %m: tensor<9x9xi1>)
    -> tensor<2x9x8xf32> {
  %init = tensor.empty() : tensor<2x9x8xf32>
  %h = inhibitor.attention causal {gamma = 4.0 : f32, alpha = 0.5 : f32}
         ins(%q, %k, %v : tensor<2x9x16xf32>, tensor<2x9x16xf32>, tensor<2x9x8xf32>)
         mask(%m : tensor<9x9xi1>)
         outs(%init : tensor<2x9x8xf32>) -> tensor<2x9x8xf32>
  return %h : tensor<2x9x8xf32>
}

// -----

// Dynamic shapes: the sizes come from the memref descriptors, every vector
// access is masked; i16 inputs sign-extended to the i32 accumulator, gamma = 3
// a (vector) floor division.
// CHECK-LABEL: llvm.func @score_dynamic
// CHECK-SAME: target_cpu = "znver3"
// CHECK-DAG: llvm.intr.masked.load %{{.*}} : (!llvm.ptr, vector<8xi1>, vector<8xi16>) -> vector<8xi16>
// CHECK-DAG: llvm.sext %{{.*}} : vector<8xi16> to vector<8xi32>
// CHECK-DAG: "llvm.intr.abs"(%{{.*}}) <{is_int_min_poison = false}> : (vector<8xi32>) -> vector<8xi32>
// CHECK-DAG: llvm.sdiv %{{.*}}, %{{.*}} : vector<8xi32>
// CHECK-DAG: llvm.intr.smax(%{{.*}}, %{{.*}}) : (vector<8xi32>, vector<8xi32>) -> vector<8xi32>
// CHECK-DAG: llvm.intr.masked.store %{{.*}}, %{{.*}}, %{{.*}} {{.*}} : vector<8xi32>, vector<8xi1> into !llvm.ptr
// CHECK: llvm.return
func.func @score_dynamic(%q: tensor<?x?xi16>, %k: tensor<?x?xi16>) -> tensor<?x?xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %q, %c0 : tensor<?x?xi16>
  %m = tensor.dim %k, %c0 : tensor<?x?xi16>
  %init = tensor.empty(%n, %m) : tensor<?x?xi32>
  %z = inhibitor.manhattan_score {gamma = 3 : i32, alpha = 2 : i32}
         ins(%q, %k : tensor<?x?xi16>, tensor<?x?xi16>)
         outs(%init : tensor<?x?xi32>) -> tensor<?x?xi32>
  return %z : tensor<?x?xi32>
}

// -----

// Upstream tensor code around an inhibitor op: a call, elementwise arith on
// tensors (convert-elementwise-to-linalg), a linalg.matmul and a constant.
// CHECK-LABEL: llvm.func @scale
// CHECK-SAME: target_cpu = "znver3"
// CHECK: llvm.fmul %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK: llvm.return
// CHECK-LABEL: llvm.func @mixed
// CHECK-SAME: target_cpu = "znver3"
// CHECK-DAG: llvm.intr.fabs(%{{.*}}) : (vector<16xf32>) -> vector<16xf32>
// CHECK-DAG: llvm.fmul %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-DAG: llvm.fadd %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK: llvm.call @scale(
// CHECK: llvm.return
func.func private @scale(%a: tensor<16x16xf32>) -> tensor<16x16xf32> {
  %c = arith.constant dense<2.0> : tensor<16x16xf32>
  %r = arith.mulf %a, %c : tensor<16x16xf32>
  return %r : tensor<16x16xf32>
}

func.func @mixed(%q: tensor<16x32xf32>, %k: tensor<16x32xf32>,
                 %w: tensor<32x16xf32>) -> tensor<16x16xf32> {
  %e = tensor.empty() : tensor<16x16xf32>
  %z = inhibitor.manhattan_score {gamma = 2.0 : f32}
         ins(%q, %k : tensor<16x32xf32>, tensor<16x32xf32>)
         outs(%e : tensor<16x16xf32>) -> tensor<16x16xf32>
  %zero = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<16x16xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e2 : tensor<16x16xf32>) -> tensor<16x16xf32>
  %mm = linalg.matmul ins(%q, %w : tensor<16x32xf32>, tensor<32x16xf32>)
                      outs(%acc : tensor<16x16xf32>) -> tensor<16x16xf32>
  %s = arith.addf %z, %mm : tensor<16x16xf32>
  %r = func.call @scale(%s) : (tensor<16x16xf32>) -> tensor<16x16xf32>
  return %r : tensor<16x16xf32>
}
