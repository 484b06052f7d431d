// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg --inhibitor-tile-and-vectorize="tile-sizes=4,4,0 vector-bits=256" -split-input-file | FileCheck %s
// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg --inhibitor-tile-and-vectorize="tile-sizes=4,4,0 vector-bits=512" -split-input-file | FileCheck %s --check-prefix=AVX512
// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg --inhibitor-tile-and-vectorize="tile-sizes=4,4,0 vector-bits=256" --canonicalize --loop-invariant-subset-hoisting --canonicalize -split-input-file | FileCheck %s --check-prefix=HOIST

// The CPU strategy of --inhibitor-to-llvm on the linalg form of the ops:
// batch loops tiled by 1, (rows, middle, inner) by tile-sizes, where inner
// 0 means one native vector (vector-bits / accumulator width: 16 lanes of
// i16 at 256 bits, 32 at 512, 8 lanes of f32 at 256); all-parallel ops (the
// transpose of K, fills, the score's ReLU) get only the inner tile. The
// reductions have their reduction loop in the middle (the score over D in
// (i, k, j), the inhibition over keys in (i, j, e)); the tiling interchanges
// it to run innermost, so the accumulator tile [rows, inner] is the same
// for the whole innermost loop and the reduction adds whole vectors (a
// vector.multi_reduction over a non-lane dim, no horizontal sums). Each tile
// is vectorized, masked when partial or dynamic. The i1 -> i8 mask copy
// stays a scalar linalg.generic.
//
// The HOIST run adds what the pipeline does next (canonicalize, then
// loop-invariant-subset-hoisting): the accumulator tile's transfer_read /
// transfer_write pair leaves the innermost loop, which then carries the
// accumulator as a vector iter_arg.

// CHECK-LABEL: func @score_i16
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<64x64xi16>, %[[K:[a-zA-Z0-9_]+]]: tensor<64x64xi16>
// K^T: blocks of 16 x 16 (one 16-lane vector per row): 16 contiguous rows
// of K read, transposed by 64 shuffles (4 stages), 16 rows of K^T written.
// CHECK: %[[KT:.*]] = scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C16T:.*]] iter_args
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C16T]] iter_args
// CHECK-COUNT-16: vector.transfer_read %[[K]]{{.*}} {in_bounds = [true]} : tensor<64x64xi16>, vector<16xi16>
// CHECK-COUNT-64: vector.shuffle {{.*}} : vector<16xi16>, vector<16xi16>
// CHECK-COUNT-16: vector.transfer_write %{{.*}} {in_bounds = [true]} : vector<16xi16>, tensor<64x64xi16>
// The fill: rows by 1, one 16-lane vector per tile.
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: vector.transfer_write %{{.*}} : vector<1x16xi16>, tensor<1x16xi16>
// The reduction over (i, k, j) in tiles 4 x 4 x 16, run as i, j, then the
// reduction k innermost; Z's tile [4, 16] depends on (i, j) only.
// CHECK: %[[SUM:.*]] = scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %[[C4:.*]] iter_args
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %[[C16:.*]] iter_args
// CHECK: scf.for %[[KK:.*]] = %{{.*}} to %{{.*}} step %[[C4B:.*]] iter_args(%[[ACC:.*]] = %{{.*}})
// CHECK-DAG: %[[QT:.*]] = tensor.extract_slice %[[Q]][%[[I]], %[[KK]]] [4, 4] [1, 1] : tensor<64x64xi16> to tensor<4x4xi16>
// CHECK-DAG: %[[KTT:.*]] = tensor.extract_slice %[[KT]][%[[KK]], %[[J]]] [4, 16] [1, 1] : tensor<64x64xi16> to tensor<4x16xi16>
// CHECK-DAG: %[[ZT:.*]] = tensor.extract_slice %[[ACC]][%[[I]], %[[J]]] [4, 16] [1, 1] : tensor<64x64xi16> to tensor<4x16xi16>
// CHECK-DAG: %[[QV:.*]] = vector.transfer_read %[[QT]]{{.*}} : tensor<4x4xi16>, vector<4x4x16xi16>
// CHECK-DAG: %[[KV:.*]] = vector.transfer_read %[[KTT]]{{.*}} : tensor<4x16xi16>, vector<4x4x16xi16>
// CHECK-DAG: %[[ZV:.*]] = vector.transfer_read %[[ZT]]{{.*}} : tensor<4x16xi16>, vector<4x16xi16>
// CHECK: %[[D:.*]] = arith.subi %[[QV]], %[[KV]] : vector<4x4x16xi16>
// CHECK: %[[A:.*]] = math.absi %[[D]] : vector<4x4x16xi16>
// CHECK: %[[R:.*]] = vector.multi_reduction <add>, %[[A]], %[[ZV]] [1] : vector<4x4x16xi16> to vector<4x16xi16>
// CHECK: vector.transfer_write %[[R]], %[[ZT]]{{.*}} : vector<4x16xi16>, tensor<4x16xi16>
// CHECK: tensor.insert_slice
// The elementwise part: shift by 3 and ReLU on 16 lanes.
// CHECK: scf.for
// CHECK: scf.for
// CHECK: %[[S:.*]] = vector.transfer_read %{{.*}} : tensor<1x16xi16>, vector<1x16xi16>
// CHECK: %[[SHR:.*]] = arith.shrsi %[[S]], %{{.*}} : vector<1x16xi16>
// CHECK: arith.maxsi %[[SHR]], %{{.*}} : vector<1x16xi16>
// CHECK-NOT: linalg.generic
// CHECK: return

// AVX512-LABEL: func @score_i16
// AVX512: vector.transfer_write %{{.*}} : vector<1x32xi16>, tensor<1x32xi16>
// AVX512: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C4:.*]] iter_args
// AVX512: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C32:.*]] iter_args
// AVX512: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C4B:.*]] iter_args
// AVX512: arith.subi %{{.*}}, %{{.*}} : vector<4x4x32xi16>
// AVX512: math.absi %{{.*}} : vector<4x4x32xi16>
// AVX512: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x4x32xi16> to vector<4x32xi16>
// AVX512: arith.shrsi %{{.*}}, %{{.*}} : vector<1x32xi16>
// AVX512: arith.maxsi %{{.*}}, %{{.*}} : vector<1x32xi16>

// The reduction's i and j loops carry the whole Z; the innermost k loop
// carries only the [4, 16] accumulator, as a vector.
// HOIST-LABEL: func @score_i16
// HOIST: vector.transfer_write %{{.*}} : vector<1x16xi16>, tensor<1x16xi16>
// HOIST: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %[[C4:.*]] iter_args
// HOIST: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %[[C16:.*]] iter_args(%[[Z:.*]] = %{{.*}}) -> (tensor<64x64xi16>)
// HOIST-NEXT: %[[ZT:.*]] = tensor.extract_slice %[[Z]][%[[I]], %[[J]]] [4, 16] [1, 1] : tensor<64x64xi16> to tensor<4x16xi16>
// HOIST-NEXT: %[[ZV:.*]] = vector.transfer_read %[[ZT]]{{.*}} : tensor<4x16xi16>, vector<4x16xi16>
// HOIST-NEXT: %[[SUM:.*]] = scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C4]] iter_args(%[[ACC:.*]] = %[[ZV]]) -> (vector<4x16xi16>)
// HOIST-NOT: vector.transfer_write
// HOIST-NOT: tensor.insert_slice
// HOIST: %[[R:.*]] = vector.multi_reduction <add>, %{{.*}}, %[[ACC]] [1] : vector<4x4x16xi16> to vector<4x16xi16>
// HOIST-NEXT: scf.yield %[[R]] : vector<4x16xi16>
// HOIST-NEXT: }
// HOIST-NEXT: %[[W:.*]] = vector.transfer_write %[[SUM]], %[[ZT]]{{.*}} : vector<4x16xi16>, tensor<4x16xi16>
// HOIST-NEXT: %[[INS:.*]] = tensor.insert_slice %[[W]] into %[[Z]][%[[I]], %[[J]]] [4, 16] [1, 1]
// HOIST-NEXT: scf.yield %[[INS]] : tensor<64x64xi16>
func.func @score_i16(%q: tensor<64x64xi16>, %k: tensor<64x64xi16>) -> tensor<64x64xi16> {
  %init = tensor.empty() : tensor<64x64xi16>
  %z = inhibitor.manhattan_score {gamma = 8 : i16}
         ins(%q, %k : tensor<64x64xi16>, tensor<64x64xi16>)
         outs(%init : tensor<64x64xi16>) -> tensor<64x64xi16>
  return %z : tensor<64x64xi16>
}

// -----

// A transpose of the last two dims under a batch dim (the fused kernel's
// K^T laid out tile by tile, [M / t, t, D] -> [M / t, D, t]): a loop over
// the batch dim around the same 16 x 16 blocks.
// CHECK-LABEL: func @transpose_key_tiles
// CHECK-SAME: %[[K:[a-zA-Z0-9_]+]]: tensor<2x32x16xi16>
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C2:.*]] step %{{.*}} iter_args
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C16:.*]] iter_args
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C16]] iter_args
// CHECK-COUNT-16: vector.transfer_read %[[K]]{{.*}} {in_bounds = [true]} : tensor<2x32x16xi16>, vector<16xi16>
// CHECK-COUNT-64: vector.shuffle {{.*}} : vector<16xi16>, vector<16xi16>
// CHECK-COUNT-16: vector.transfer_write %{{.*}} {in_bounds = [true]} : vector<16xi16>, tensor<2x16x32xi16>
// CHECK-NOT: linalg.transpose
func.func @transpose_key_tiles(%k: tensor<2x32x16xi16>) -> tensor<2x16x32xi16> {
  %e = tensor.empty() : tensor<2x16x32xi16>
  %t = linalg.transpose ins(%k : tensor<2x32x16xi16>) outs(%e : tensor<2x16x32xi16>) permutation = [0, 2, 1]
  return %t : tensor<2x16x32xi16>
}

// -----

// Masked, batched attention: the batch loop is tiled by 1, the i1 -> i8
// mask copy stays a scalar linalg.generic (not tiled, not vectorized), and
// the inhibition reads the i8 mask as a broadcast vector. The inhibition's
// (b, i, j, e) runs as b, i, e, then the keys j innermost; its signed form
// is the clamp V - max(min(V, Z), 0 - Z) on vectors.
// CHECK-LABEL: func @attention_masked_i16
// CHECK-SAME: %[[V:[a-zA-Z0-9_]+]]: tensor<2x32x64xi16>, %[[M:[a-zA-Z0-9_]+]]: tensor<32x32xi1>
// K^T per head: 16 x 16 blocks, as above.
// CHECK-COUNT-16: vector.transfer_read {{.*}} : tensor<2x32x64xi16>, vector<16xi16>
// CHECK: vector.shuffle
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [2] : vector<1x4x4x16xi16> to vector<1x4x16xi16>
// CHECK: arith.shrsi %{{.*}}, %{{.*}} : vector<1x1x16xi16>
// CHECK: %[[ME:.*]] = tensor.empty() : tensor<32x32xi8>
// CHECK: %[[MASK8:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-SAME: ins(%[[M]] : tensor<32x32xi1>) outs(%[[ME]] : tensor<32x32xi8>)
// CHECK-NEXT: ^bb0(%[[BIT:[a-zA-Z0-9_]+]]: i1, %{{.*}}: i8):
// CHECK-NEXT: arith.extui %[[BIT]] : i1 to i8
// CHECK: vector.transfer_write %{{.*}} : vector<1x1x16xi16>, tensor<1x1x16xi16>
// CHECK: scf.for %[[B:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: scf.for %[[E:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}})
// CHECK-DAG: %[[VT:.*]] = tensor.extract_slice %[[V]][%[[B]], %[[J]], %[[E]]] [1, 4, 16] [1, 1, 1]
// CHECK-DAG: %[[ZT:.*]] = tensor.extract_slice %{{.*}}[%[[B]], %[[I]], %[[J]]] [1, 4, 4] [1, 1, 1] : tensor<2x32x32xi16> to tensor<1x4x4xi16>
// CHECK-DAG: %[[MT:.*]] = tensor.extract_slice %[[MASK8]][%[[I]], %[[J]]] [4, 4] [1, 1] : tensor<32x32xi8> to tensor<4x4xi8>
// CHECK-DAG: %[[HT:.*]] = tensor.extract_slice %[[ACC]][%[[B]], %[[I]], %[[E]]] [1, 4, 16] [1, 1, 1] : tensor<2x32x64xi16> to tensor<1x4x16xi16>
// CHECK-DAG: %[[VV:.*]] = vector.transfer_read %[[VT]]{{.*}} : tensor<1x4x16xi16>, vector<1x4x4x16xi16>
// CHECK-DAG: %[[ZV:.*]] = vector.transfer_read %[[ZT]]{{.*}} : tensor<1x4x4xi16>, vector<1x4x4x16xi16>
// CHECK-DAG: %[[MV:.*]] = vector.transfer_read %[[MT]]{{.*}} : tensor<4x4xi8>, vector<1x4x4x16xi8>
// CHECK-DAG: %[[HV:.*]] = vector.transfer_read %[[HT]]{{.*}} : tensor<1x4x16xi16>, vector<1x4x16xi16>
// CHECK-DAG: %[[MINUSZ:.*]] = arith.subi %{{.*}}, %[[ZV]] : vector<1x4x4x16xi16>
// CHECK-DAG: %[[UPPER:.*]] = arith.minsi %[[VV]], %[[ZV]] : vector<1x4x4x16xi16>
// CHECK: %[[CLAMP:.*]] = arith.maxsi %[[UPPER]], %[[MINUSZ]] : vector<1x4x4x16xi16>
// CHECK: %[[CONTRIB:.*]] = arith.subi %[[VV]], %[[CLAMP]] : vector<1x4x4x16xi16>
// CHECK: %[[ATTEND:.*]] = arith.cmpi ne, %[[MV]], %{{.*}} : vector<1x4x4x16xi8>
// CHECK: %[[SEL:.*]] = arith.select %[[ATTEND]], %[[CONTRIB]], %{{.*}} : vector<1x4x4x16xi1>, vector<1x4x4x16xi16>
// CHECK: %[[R:.*]] = vector.multi_reduction <add>, %[[SEL]], %[[HV]] [2] : vector<1x4x4x16xi16> to vector<1x4x16xi16>
// CHECK: vector.transfer_write %[[R]], %[[HT]]
// CHECK-NOT: linalg.generic
// CHECK: return

// AVX512-LABEL: func @attention_masked_i16
// AVX512: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [2] : vector<1x4x4x32xi16> to vector<1x4x32xi16>
// AVX512: linalg.generic
// AVX512: arith.extui %{{.*}} : i1 to i8
// AVX512: arith.cmpi ne, %{{.*}}, %{{.*}} : vector<1x4x4x32xi8>
// AVX512: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [2] : vector<1x4x4x32xi16> to vector<1x4x32xi16>

// Both reductions (score and inhibition) keep their accumulator in a vector
// iter_arg of the innermost loop.
// HOIST-LABEL: func @attention_masked_i16
// HOIST: %[[ZV:.*]] = vector.transfer_read %{{.*}} : tensor<1x4x16xi16>, vector<1x4x16xi16>
// HOIST-NEXT: scf.for %{{.*}} iter_args(%[[ZACC:.*]] = %[[ZV]]) -> (vector<1x4x16xi16>)
// HOIST: %[[ZR:.*]] = vector.multi_reduction <add>, %{{.*}}, %[[ZACC]] [2] : vector<1x4x4x16xi16> to vector<1x4x16xi16>
// HOIST-NEXT: scf.yield %[[ZR]] : vector<1x4x16xi16>
// HOIST: linalg.generic
// HOIST: %[[HV:.*]] = vector.transfer_read %{{.*}} : tensor<1x4x16xi16>, vector<1x4x16xi16>
// HOIST-NEXT: scf.for %{{.*}} iter_args(%[[HACC:.*]] = %[[HV]]) -> (vector<1x4x16xi16>)
// HOIST-NOT: vector.transfer_write
// HOIST: arith.cmpi ne, %{{.*}}, %{{.*}} : vector<1x4x4x16xi8>
// HOIST: %[[HR:.*]] = vector.multi_reduction <add>, %{{.*}}, %[[HACC]] [2] : vector<1x4x4x16xi16> to vector<1x4x16xi16>
// HOIST-NEXT: scf.yield %[[HR]] : vector<1x4x16xi16>
// HOIST-NEXT: }
// HOIST-NEXT: vector.transfer_write
func.func @attention_masked_i16(%q: tensor<2x32x64xi16>, %k: tensor<2x32x64xi16>,
                                %v: tensor<2x32x64xi16>, %m: tensor<32x32xi1>)
    -> tensor<2x32x64xi16> {
  %init = tensor.empty() : tensor<2x32x64xi16>
  %h = inhibitor.attention signed {gamma = 8 : i16}
         ins(%q, %k, %v : tensor<2x32x64xi16>, tensor<2x32x64xi16>, tensor<2x32x64xi16>)
         mask(%m : tensor<32x32xi1>)
         outs(%init : tensor<2x32x64xi16>) -> tensor<2x32x64xi16>
  return %h : tensor<2x32x64xi16>
}

// -----

// Sizes that no tile divides (N = 10, M = 7, D = 22): the loops of rows
// and of the reduction have constant bounds, so they are peeled (`peel`,
// `static` by default; tile-and-vectorize-peel.mlir has the masked form of
// `peel=off`): rows to 8 and D to 20 in full tiles, and the partial ones
// inlined, four static tiles (4x4, 4x2, 2x4, 2x2) and no mask. The inner
// (key) tile is clamped to the static size (7 < 16).
// CHECK-LABEL: func @score_odd_sizes
// CHECK: vector.transfer_write %{{.*}} : vector<1x7xi16>, tensor<1x7xi16>
// CHECK: vector.transfer_write %{{.*}} : vector<1x7xi16>, tensor<1x7xi16>
// CHECK-NOT: vector.mask
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C8:.*]] step %{{.*}} iter_args
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C20:.*]] step %{{.*}} iter_args
// CHECK: tensor.extract_slice %{{.*}}[%{{.*}}, %{{.*}}] [4, 4] [1, 1] : tensor<10x22xi16> to tensor<4x4xi16>
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x4x7xi16> to vector<4x7xi16>
// CHECK: tensor.extract_slice %{{.*}}[%{{.*}}, 20] [4, 2] [1, 1] : tensor<10x22xi16> to tensor<4x2xi16>
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x2x7xi16> to vector<4x7xi16>
// CHECK: tensor.extract_slice %{{.*}}[8, %{{.*}}] [2, 4] [1, 1] : tensor<10x22xi16> to tensor<2x4xi16>
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<2x4x7xi16> to vector<2x7xi16>
// CHECK: tensor.extract_slice %{{.*}}[8, 20] [2, 2] [1, 1] : tensor<10x22xi16> to tensor<2x2xi16>
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<2x2x7xi16> to vector<2x7xi16>
// CHECK-NOT: vector.mask
// CHECK: arith.maxsi %{{.*}}, %{{.*}} : vector<1x7xi16>
func.func @score_odd_sizes(%q: tensor<10x22xi16>, %k: tensor<7x22xi16>) -> tensor<10x7xi16> {
  %init = tensor.empty() : tensor<10x7xi16>
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<10x22xi16>, tensor<7x22xi16>)
         outs(%init : tensor<10x7xi16>) -> tensor<10x7xi16>
  return %z : tensor<10x7xi16>
}

// -----

// Dynamic sizes: loops run to tensor.dim, every tile is masked; 8 lanes of
// f32 at 256 bits. The reduction's loops run to N (Q), M (K^T) and, the
// innermost, D (Q).
// CHECK-LABEL: func @score_dynamic_f32
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<?x?xf32>, %[[K:[a-zA-Z0-9_]+]]: tensor<?x?xf32>
// CHECK: %[[KT:.*]] = scf.for
// CHECK: vector.mask %{{.*}} { vector.transfer_read %{{.*}}permutation_map = #{{.*}} : tensor<?x1xf32>, vector<1x8xf32> }
// CHECK: vector.mask %{{.*}} { vector.transfer_write %{{.*}} : vector<1x8xf32>, tensor<1x?xf32> }
// CHECK: %[[N:.*]] = tensor.dim %[[Q]], %{{.*}} : tensor<?x?xf32>
// CHECK: %[[D:.*]] = tensor.dim %[[Q]], %{{.*}} : tensor<?x?xf32>
// CHECK: tensor.dim %[[KT]], %{{.*}} : tensor<?x?xf32>
// CHECK: %[[M:.*]] = tensor.dim %[[KT]], %{{.*}} : tensor<?x?xf32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[N]] step
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[M]] step
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[D]] step
// CHECK: vector.create_mask %{{.*}}, %{{.*}} : vector<4x4xi1>
// CHECK: vector.mask %{{.*}} { vector.transfer_read {{.*}} : tensor<?x?xf32>, vector<4x4x8xf32> }
// CHECK: arith.subf %{{.*}}, %{{.*}} : vector<4x4x8xf32>
// CHECK: math.absf %{{.*}} : vector<4x4x8xf32>
// CHECK: vector.mask %{{.*}} { vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x4x8xf32> to vector<4x8xf32> }
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : vector<1x8xf32>

// AVX512-LABEL: func @score_dynamic_f32
// AVX512: vector.mask %{{.*}} { vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x4x16xf32> to vector<4x16xf32> }
func.func @score_dynamic_f32(%q: tensor<?x?xf32>, %k: tensor<?x?xf32>,
                             %init: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<?x?xf32>, tensor<?x?xf32>)
         outs(%init : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %z : tensor<?x?xf32>
}

// -----

// Matmul-like contractions (multiply-add body, the reduction innermost, the
// output columns read contiguously) are tiled (rows, one native vector of
// columns, 1): each step of the reduction loop is a rank-1 update of the
// [4, 8] accumulator tile. The unit reduction dim is dropped before
// vectorizing, so the tile is a broadcast multiply-add on [4, 8] vectors
// (contract fast-math: LLVM may fuse it), with no reduction over a unit
// dim and no horizontal sums.
// CHECK-LABEL: func @matmul_f32
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C4:.*]] iter_args
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C8:.*]] iter_args
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C1:.*]] iter_args
// CHECK: %[[A:.*]] = vector.transfer_read %{{.*}} : tensor<4xf32>, vector<4x8xf32>
// CHECK: %[[B:.*]] = vector.transfer_read %{{.*}} : tensor<8xf32>, vector<4x8xf32>
// CHECK: %[[C:.*]] = vector.transfer_read %{{.*}} : tensor<4x8xf32>, vector<4x8xf32>
// CHECK: %[[M:.*]] = arith.mulf %[[A]], %[[B]] fastmath<contract> : vector<4x8xf32>
// CHECK: %[[S:.*]] = arith.addf %[[C]], %[[M]] fastmath<contract> : vector<4x8xf32>
// CHECK: vector.transfer_write %[[S]]
// CHECK-NOT: vector.multi_reduction
// CHECK: return
// An integer GEMM (i8 x i8 into i32) the same way, on 8 lanes of i32.
// CHECK-LABEL: func @matmul_i8_i32
// CHECK: arith.extsi %{{.*}} : vector<4x8xi8> to vector<4x8xi32>
// CHECK: arith.muli %{{.*}}, %{{.*}} : vector<4x8xi32>
// CHECK: arith.addi %{{.*}}, %{{.*}} : vector<4x8xi32>
// CHECK-NOT: vector.multi_reduction
// CHECK: return
// A matmul whose columns are strided in B (B transposed by its map) keeps
// the default (4, 4, vector) tiling with the reduction vectorized.
// CHECK-LABEL: func @matmul_transposed_b
// CHECK: vector.multi_reduction <add>
// CHECK: return
func.func @matmul_f32(%a: tensor<16x32xf32>, %b: tensor<32x16xf32>, %c: tensor<16x16xf32>) -> tensor<16x16xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<16x32xf32>, tensor<32x16xf32>)
                     outs(%c : tensor<16x16xf32>) -> tensor<16x16xf32>
  return %r : tensor<16x16xf32>
}
func.func @matmul_i8_i32(%a: tensor<16x32xi8>, %b: tensor<32x16xi8>, %c: tensor<16x16xi32>) -> tensor<16x16xi32> {
  %r = linalg.matmul ins(%a, %b : tensor<16x32xi8>, tensor<32x16xi8>)
                     outs(%c : tensor<16x16xi32>) -> tensor<16x16xi32>
  return %r : tensor<16x16xi32>
}
func.func @matmul_transposed_b(%a: tensor<16x32xf32>, %b: tensor<16x32xf32>, %c: tensor<16x16xf32>) -> tensor<16x16xf32> {
  %r = linalg.matmul indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (j, k)>,
                                      affine_map<(i, j, k) -> (i, j)>]
                     ins(%a, %b : tensor<16x32xf32>, tensor<16x32xf32>)
                     outs(%c : tensor<16x16xf32>) -> tensor<16x16xf32>
  return %r : tensor<16x16xf32>
}
