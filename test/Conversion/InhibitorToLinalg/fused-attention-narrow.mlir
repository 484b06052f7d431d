// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention" -split-input-file -verify-each | FileCheck %s
// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention narrow-tiles=false" -split-input-file | FileCheck %s --check-prefixes=OFF,QWIDE
// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="fuse-attention skip-keys" -split-input-file 2>/dev/null | FileCheck %s --check-prefixes=OFF,QSKIP

// The fused kernel's narrow mode (narrow-tiles, default on; docs/Lowering.md):
// i8/i16 data under an i32/i64 accumulator. Once per call, max|Q|, max|K|
// and max|V| (math.absi and unsigned maxima in the data's own width:
// |-32768| = 0x8000 read as unsigned) decide at run time
// between two copies of the kernel: where D * (max|Q| + max|K|) and
// key-tile * max|V| are at most 32767, each key tile's score and inhibition
// run in i16 (a fresh i16 partial tile, widened once and added to the i32 H
// tile); otherwise the plain kernel in the accumulator type. With
// narrow-tiles=false or skip-keys there is only the plain kernel (OFF); its
// score reads Q widened once (QWIDE), except in the skipping kernel (QSKIP).

// CHECK-LABEL: func @narrow
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<64x16xi16>, %[[K:[a-zA-Z0-9_]+]]: tensor<256x16xi16>, %[[V:[a-zA-Z0-9_]+]]: tensor<256x8xi8>
// Each max|.|: over the rows into one value per column (lanes along the
// contiguous dim), then over the columns, widened (unsigned) at the end.
// CHECK: %[[MQC:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]} ins(%[[Q]] : tensor<64x16xi16>) outs(%{{.*}} : tensor<16xi16>)
// CHECK: math.absi %{{.*}} : i16
// CHECK: arith.maxui %{{.*}}, %{{.*}} : i16
// CHECK: %[[MQ:.*]] = linalg.generic {{.*}} iterator_types = ["reduction"]} ins(%[[MQC]] : tensor<16xi16>) outs(%{{.*}} : tensor<i16>)
// CHECK: arith.maxui
// CHECK: %[[MQS:.*]] = tensor.extract %[[MQ]][] : tensor<i16>
// CHECK: arith.extui %[[MQS]] : i16 to i64
// CHECK: linalg.generic {{.*}} ins(%[[K]] : tensor<256x16xi16>) outs(%{{.*}} : tensor<16xi16>)
// CHECK: linalg.generic {{.*}} ins(%[[V]] : tensor<256x8xi8>) outs(%{{.*}} : tensor<8xi8>)
// CHECK: math.absi %{{.*}} : i8
// CHECK: %[[QK:.*]] = arith.addi %{{.*}}, %{{.*}} : i64
// CHECK: %[[SB:.*]] = arith.muli %{{.*}}, %[[QK]] : i64
// CHECK: %[[C128:.*]] = arith.constant 128 : i64
// CHECK: %[[VB:.*]] = arith.muli %[[C128]], %{{.*}} : i64
// CHECK: %[[LIM:.*]] = arith.constant 32767 : i64
// CHECK: %[[SOK:.*]] = arith.cmpi sle, %[[SB]], %[[LIM]] : i64
// CHECK: %[[VOK:.*]] = arith.cmpi sle, %[[VB]], %[[LIM]] : i64
// CHECK: %[[OK:.*]] = arith.andi %[[SOK]], %[[VOK]] : i1
// CHECK: %[[RES:.*]] = scf.if %[[OK]] -> (tensor<64x8xi32>) {
// CHECK-NOT: tensor<64x16xi32>
// CHECK: scf.forall
// CHECK: scf.for {{.*}} -> (tensor<32x8xi32>) {
// CHECK: tensor.empty() : tensor<32x128xi16>
// The score in i16: gamma = 3 and alpha = 2 as i16 constants. Its sums
// say that no q - k wraps (inhibitor.exact_differences: the check above
// bounds |q - k|), which lets --inhibitor-tile-and-vectorize sum min(q, k)
// instead (docs/Codegen.md); the plain kernel's sums below do not.
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<32x16xi16>, tensor<16x128xi16>) outs(%{{.*}} : tensor<32x128xi16>) attrs = {inhibitor.exact_differences}
// CHECK: arith.floordivsi %{{.*}}, %{{.*}} : i16
// CHECK: %[[PART0:.*]] = tensor.empty() : tensor<32x8xi16>
// CHECK: %[[PART:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<128x8xi8>, tensor<32x128xi16>) outs(%{{.*}} : tensor<32x8xi16>)
// CHECK: arith.addi %{{.*}}, %{{.*}} : i16
// CHECK: %[[WIDE:.*]] = linalg.generic {{.*}} ins(%[[PART]] : tensor<32x8xi16>) outs(%{{.*}} : tensor<32x8xi32>)
// CHECK: arith.extsi %{{.*}} : i16 to i32
// CHECK: scf.yield %[[WIDE]] : tensor<32x8xi32>
// CHECK: } else {
// The plain kernel's score reads Q widened to the accumulator once per call
// (only K is sign-extended per pair; docs/Lowering.md).
// CHECK: %[[QW:.*]] = linalg.generic {{.*}} ins(%[[Q]] : tensor<64x16xi16>) outs(%{{.*}} : tensor<64x16xi32>)
// CHECK: arith.extsi %{{.*}} : i16 to i32
// CHECK: scf.forall
// CHECK: %[[QWS:.*]] = tensor.extract_slice %[[QW]]{{.*}} : tensor<64x16xi32> to tensor<32x16xi32>
// CHECK: tensor.empty() : tensor<32x128xi32>
// CHECK-NOT: tensor<32x128xi16>
// CHECK: linalg.generic {{.*}} ins(%[[QWS]], %{{.*}} : tensor<32x16xi32>, tensor<16x128xi16>) outs(%{{.*}} : tensor<32x128xi32>) {
// CHECK-NEXT: ^bb0(%[[QE:.*]]: i32, %[[KE:.*]]: i16, %{{.*}}: i32):
// CHECK-NEXT: %[[KX:.*]] = arith.extsi %[[KE]] : i16 to i32
// CHECK-NEXT: arith.subi %[[QE]], %[[KX]] : i32
// CHECK: scf.yield
// CHECK: return %[[RES]]

// OFF-LABEL: func @narrow
// OFF-NOT: 32767 : i64
// OFF-NOT: tensor<32x128xi16>
// QWIDE: linalg.generic {{.*}} ins(%{{.*}} : tensor<64x16xi16>) outs(%{{.*}} : tensor<64x16xi32>)
// QSKIP-NOT: tensor<64x16xi32>
// OFF: return
func.func @narrow(%q: tensor<64x16xi16>, %k: tensor<256x16xi16>, %v: tensor<256x8xi8>,
                  %init: tensor<64x8xi32>) -> tensor<64x8xi32> {
  %h = inhibitor.attention signed {gamma = 3 : i32, alpha = 2 : i32}
         ins(%q, %k, %v : tensor<64x16xi16>, tensor<256x16xi16>, tensor<256x8xi8>)
         outs(%init : tensor<64x8xi32>) -> tensor<64x8xi32>
  return %h : tensor<64x8xi32>
}

// -----

// No narrow mode where it cannot be exact or has nothing to gain: a bias
// (in the accumulator type), an alpha beyond i16, i32 data, an i16
// accumulator (already narrow), floats, and fewer than 5 (static) queries
// of 16-bit data (decode: the check per key tile costs more than the 16-bit
// tile saves; @narrow_few_queries below).
// CHECK-LABEL: func @plain
// CHECK-NOT: scf.if
// CHECK-NOT: 32767 : i64
// CHECK: return
func.func @plain(%q: tensor<8x16xi16>, %k: tensor<32x16xi16>, %v: tensor<32x8xi16>,
                 %b: tensor<8x32xi32>, %q32: tensor<8x16xi32>, %k32: tensor<32x16xi32>,
                 %v32: tensor<32x8xi32>, %qf: tensor<8x16xf32>, %kf: tensor<32x16xf32>,
                 %vf: tensor<32x8xf32>, %init: tensor<8x8xi32>, %init16: tensor<8x8xi16>,
                 %initf: tensor<8x8xf32>, %q4: tensor<4x16xi16>, %init4: tensor<4x8xi32>)
    -> (tensor<8x8xi32>, tensor<8x8xi32>, tensor<8x8xi32>, tensor<8x8xi16>, tensor<8x8xf32>,
        tensor<4x8xi32>) {
  %0 = inhibitor.attention ins(%q, %k, %v : tensor<8x16xi16>, tensor<32x16xi16>, tensor<32x8xi16>)
         bias(%b : tensor<8x32xi32>) outs(%init : tensor<8x8xi32>) -> tensor<8x8xi32>
  %1 = inhibitor.attention {alpha = 40000 : i32}
         ins(%q, %k, %v : tensor<8x16xi16>, tensor<32x16xi16>, tensor<32x8xi16>)
         outs(%init : tensor<8x8xi32>) -> tensor<8x8xi32>
  %2 = inhibitor.attention ins(%q32, %k32, %v32 : tensor<8x16xi32>, tensor<32x16xi32>, tensor<32x8xi32>)
         outs(%init : tensor<8x8xi32>) -> tensor<8x8xi32>
  %3 = inhibitor.attention ins(%q, %k, %v : tensor<8x16xi16>, tensor<32x16xi16>, tensor<32x8xi16>)
         outs(%init16 : tensor<8x8xi16>) -> tensor<8x8xi16>
  %4 = inhibitor.attention ins(%qf, %kf, %vf : tensor<8x16xf32>, tensor<32x16xf32>, tensor<32x8xf32>)
         outs(%initf : tensor<8x8xf32>) -> tensor<8x8xf32>
  %5 = inhibitor.attention ins(%q4, %k, %v : tensor<4x16xi16>, tensor<32x16xi16>, tensor<32x8xi16>)
         outs(%init4 : tensor<4x8xi32>) -> tensor<4x8xi32>
  return %0, %1, %2, %3, %4, %5 : tensor<8x8xi32>, tensor<8x8xi32>, tensor<8x8xi32>, tensor<8x8xi16>,
                                  tensor<8x8xf32>, tensor<4x8xi32>
}

// -----

// One query tile (a static N of at most query-tile: decode with a few
// queries per head): no check of all of K and V before the kernel; max|Q|
// once, then each key tile checks its own K tile (as stored, before its
// transpose) and V tile and picks the i16 tile or the plain one (scf.if
// inside the key loop), both adding into the same i32 accumulator.
// CHECK-LABEL: func @narrow_per_key_tile
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x16x64xi16>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x512x64xi16>, %[[V:[a-zA-Z0-9_]+]]: tensor<2x512x64xi16>
// CHECK: linalg.generic {{.*}} ins(%[[Q]] : tensor<2x16x64xi16>) outs(%{{.*}} : tensor<64xi16>)
// CHECK-NOT: ins(%[[K]]
// CHECK-NOT: ins(%[[V]]
// CHECK-NOT: scf.if
// CHECK: scf.forall
// CHECK: scf.for %[[J0:[a-zA-Z0-9_]+]] = {{.*}} -> (tensor<1x16x64xi32>)
// CHECK-DAG: %[[KS:.*]] = tensor.extract_slice %[[K]][%{{.*}}, %[[J0]], 0] [1, 128, 64] [1, 1, 1] : tensor<2x512x64xi16> to tensor<1x128x64xi16>
// CHECK-DAG: %[[VS:.*]] = tensor.extract_slice %[[V]][%{{.*}}, %[[J0]], 0] [1, 128, 64] [1, 1, 1] : tensor<2x512x64xi16> to tensor<1x128x64xi16>
// CHECK-DAG: linalg.generic {{.*}} ins(%[[KS]] : tensor<1x128x64xi16>) outs(%{{.*}} : tensor<64xi16>)
// CHECK-DAG: linalg.generic {{.*}} ins(%[[VS]] : tensor<1x128x64xi16>) outs(%{{.*}} : tensor<64xi16>)
// CHECK: %[[FITS:.*]] = arith.andi %{{.*}}, %{{.*}} : i1
// CHECK: %[[H:.*]] = scf.if %[[FITS]] -> (tensor<1x16x64xi32>) {
// CHECK: outs(%{{.*}} : tensor<1x16x128xi16>)
// CHECK: outs(%{{.*}} : tensor<1x16x64xi32>)
// CHECK: arith.extsi %{{.*}} : i16 to i32
// CHECK: } else {
// CHECK: outs(%{{.*}} : tensor<1x16x128xi32>)
// The plain tile's split signed inhibition (i16 V, i32 accumulator)
// clamps in 16 bits (lowerClampSum16): Z saturated into the bounds
// hi = min(Z, 32767) and lo = -min(Z, 32768), then the clamp sum.
// CHECK: %[[ZB:.*]]:2 = linalg.generic {{.*}} ins(%{{.*}} : tensor<1x16x128xi32>) outs(%{{.*}}, %{{.*}} : tensor<1x16x128xi16>, tensor<1x16x128xi16>)
// CHECK: arith.constant 32767 : i32
// CHECK: arith.constant 32768 : i32
// CHECK: linalg.generic {{.*}} ins(%[[VS]], %[[ZB]]#0, %[[ZB]]#1 : tensor<1x128x64xi16>, tensor<1x16x128xi16>, tensor<1x16x128xi16>) outs(%{{.*}} : tensor<1x16x64xi32>)
// CHECK-NEXT: ^bb0(%[[VE:.*]]: i16, %[[HE:.*]]: i16, %[[LE:.*]]: i16, %{{.*}}: i32):
// CHECK-NEXT: %[[MN:.*]] = arith.minsi %[[VE]], %[[HE]] : i16
// CHECK-NEXT: %[[MX:.*]] = arith.maxsi %[[MN]], %[[LE]] : i16
// CHECK-NEXT: arith.extsi %[[MX]] : i16 to i32
// CHECK: scf.yield %[[H]] : tensor<1x16x64xi32>
func.func @narrow_per_key_tile(%q: tensor<2x16x64xi16>, %k: tensor<2x512x64xi16>, %v: tensor<2x512x64xi16>,
                               %init: tensor<2x16x64xi32>) -> tensor<2x16x64xi32> {
  %h = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<2x16x64xi16>, tensor<2x512x64xi16>, tensor<2x512x64xi16>)
         outs(%init : tensor<2x16x64xi32>) -> tensor<2x16x64xi32>
  return %h : tensor<2x16x64xi32>
}

// -----

// The fewest static queries that take the 16-bit tiles (each key tile
// checked in the key loop): 5 of 16-bit data (4 stay plain, @plain above),
// 3 of 8-bit data; 2 queries of 8-bit data stay plain.
// CHECK-LABEL: func @narrow_few_queries
// CHECK: scf.if %{{.*}} -> (tensor<1x5x64xi32>)
// CHECK: outs(%{{.*}} : tensor<1x5x128xi16>)
// CHECK: scf.if %{{.*}} -> (tensor<1x3x64xi32>)
// CHECK: outs(%{{.*}} : tensor<1x3x128xi16>)
// CHECK-NOT: scf.if %{{.*}} -> (tensor<1x2x64xi32>)
// CHECK-NOT: tensor<1x2x128xi16>
// CHECK: return
// OFF-LABEL: func @narrow_few_queries
// OFF-NOT: outs(%{{.*}} : tensor<1x5x128xi16>)
// OFF: return
func.func @narrow_few_queries(%q5: tensor<2x5x64xi16>, %k: tensor<2x512x64xi16>, %v: tensor<2x512x64xi16>,
                              %init5: tensor<2x5x64xi32>, %q3: tensor<2x3x128xi8>, %q2: tensor<2x2x128xi8>,
                              %k8: tensor<2x512x128xi8>, %v8: tensor<2x512x64xi8>,
                              %init3: tensor<2x3x64xi32>, %init2: tensor<2x2x64xi32>)
    -> (tensor<2x5x64xi32>, tensor<2x3x64xi32>, tensor<2x2x64xi32>) {
  %a = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q5, %k, %v : tensor<2x5x64xi16>, tensor<2x512x64xi16>, tensor<2x512x64xi16>)
         outs(%init5 : tensor<2x5x64xi32>) -> tensor<2x5x64xi32>
  %b = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q3, %k8, %v8 : tensor<2x3x128xi8>, tensor<2x512x128xi8>, tensor<2x512x64xi8>)
         outs(%init3 : tensor<2x3x64xi32>) -> tensor<2x3x64xi32>
  %c = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q2, %k8, %v8 : tensor<2x2x128xi8>, tensor<2x512x128xi8>, tensor<2x512x64xi8>)
         outs(%init2 : tensor<2x2x64xi32>) -> tensor<2x2x64xi32>
  return %a, %b, %c : tensor<2x5x64xi32>, tensor<2x3x64xi32>, tensor<2x2x64xi32>
}

// -----

// No run-time check where nothing can exceed 16 bits: 8-bit data with a
// static D of at most 127 (D * (128 + 128) <= 32767, 128 * 128 <= 32767),
// or an op whose narrow_sums covers the key tile (128 keys here). A
// narrow_sums below the key tile, or 8-bit data with D = 128, keep it.
// CHECK-LABEL: func @narrow_proven
// CHECK-NOT: math.absi
// CHECK: outs(%{{.*}} : tensor<1x32x128xi16>)
// CHECK-NOT: outs(%{{.*}} : tensor<1x32x128xi32>)
// CHECK: return
// OFF-LABEL: func @narrow_proven
// OFF-NOT: outs(%{{.*}} : tensor<1x32x128xi16>)
// OFF: return
func.func @narrow_proven(%q8: tensor<2x256x127xi8>, %k8: tensor<2x512x127xi8>, %v8: tensor<2x512x64xi8>,
                         %q: tensor<2x256x64xi16>, %k: tensor<2x512x64xi16>, %v: tensor<2x512x64xi16>,
                         %init: tensor<2x256x64xi32>)
    -> (tensor<2x256x64xi32>, tensor<2x256x64xi32>) {
  %a = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q8, %k8, %v8 : tensor<2x256x127xi8>, tensor<2x512x127xi8>, tensor<2x512x64xi8>)
         outs(%init : tensor<2x256x64xi32>) -> tensor<2x256x64xi32>
  %b = inhibitor.attention signed {gamma = 8 : i32, narrow_sums = 128 : i64}
         ins(%q, %k, %v : tensor<2x256x64xi16>, tensor<2x512x64xi16>, tensor<2x512x64xi16>)
         outs(%init : tensor<2x256x64xi32>) -> tensor<2x256x64xi32>
  return %a, %b : tensor<2x256x64xi32>, tensor<2x256x64xi32>
}

// -----

// CHECK-LABEL: func @narrow_not_proven
// CHECK: math.absi
// CHECK: scf.if %{{.*}} -> (tensor<2x256x64xi32>)
// CHECK: outs(%{{.*}} : tensor<1x32x128xi16>)
// CHECK: } else {
// CHECK: outs(%{{.*}} : tensor<1x32x128xi32>)
// CHECK: math.absi
// CHECK: scf.if %{{.*}} -> (tensor<2x256x64xi32>)
// CHECK: outs(%{{.*}} : tensor<1x32x128xi16>)
// CHECK: } else {
// CHECK: outs(%{{.*}} : tensor<1x32x128xi32>)
// CHECK: return
func.func @narrow_not_proven(%q8: tensor<2x256x128xi8>, %k8: tensor<2x512x128xi8>, %v8: tensor<2x512x64xi8>,
                             %q: tensor<2x256x64xi16>, %k: tensor<2x512x64xi16>, %v: tensor<2x512x64xi16>,
                             %init: tensor<2x256x64xi32>)
    -> (tensor<2x256x64xi32>, tensor<2x256x64xi32>) {
  %a = inhibitor.attention signed {gamma = 8 : i32}
         ins(%q8, %k8, %v8 : tensor<2x256x128xi8>, tensor<2x512x128xi8>, tensor<2x512x64xi8>)
         outs(%init : tensor<2x256x64xi32>) -> tensor<2x256x64xi32>
  %b = inhibitor.attention signed {gamma = 8 : i32, narrow_sums = 64 : i64}
         ins(%q, %k, %v : tensor<2x256x64xi16>, tensor<2x512x64xi16>, tensor<2x512x64xi16>)
         outs(%init : tensor<2x256x64xi32>) -> tensor<2x256x64xi32>
  return %a, %b : tensor<2x256x64xi32>, tensor<2x256x64xi32>
}

// -----

// i16 data with an i16 accumulator (sums that wrap, the op's semantics):
// no narrow mode, but where max|Q| + max|K| <= 32767 no q - k wraps, and
// the score through min(q, k) gives the same bits modulo 2^16. Checked
// once per call where the kernel has several query tiles; the kernel is
// versioned and only the first copy's sums carry
// inhibitor.exact_differences. With one query tile (decode: the check
// would be a second pass over K) and with 8-bit data, no check.

// CHECK-LABEL: func @exact_differences
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<64x16xi16>, %[[K:[a-zA-Z0-9_]+]]: tensor<256x16xi16>
// CHECK: linalg.generic {{.*}} ins(%[[Q]] : tensor<64x16xi16>) outs(%{{.*}} : tensor<16xi16>)
// CHECK: math.absi %{{.*}} : i16
// CHECK: linalg.generic {{.*}} ins(%[[K]] : tensor<256x16xi16>) outs(%{{.*}} : tensor<16xi16>)
// CHECK-NOT: tensor<256x8xi16>) outs(%{{.*}} : tensor<8xi16>)
// CHECK: %[[QK:.*]] = arith.addi %{{.*}}, %{{.*}} : i64
// CHECK: %[[LIM:.*]] = arith.constant 32767 : i64
// CHECK: %[[OK:.*]] = arith.cmpi sle, %[[QK]], %[[LIM]] : i64
// CHECK: %[[RES:.*]] = scf.if %[[OK]] -> (tensor<64x8xi16>) {
// CHECK: scf.forall
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<32x16xi16>, tensor<16x128xi16>) outs(%{{.*}} : tensor<32x128xi16>) attrs = {inhibitor.exact_differences}
// CHECK: } else {
// CHECK: scf.forall
// CHECK-NOT: exact_differences
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<32x16xi16>, tensor<16x128xi16>) outs(%{{.*}} : tensor<32x128xi16>) {
// CHECK-NOT: exact_differences
// CHECK: return %[[RES]]

// The check does not depend on narrow-tiles; the skipping kernel has none.
// QWIDE-LABEL: func @exact_differences
// QWIDE: arith.constant 32767 : i64
// QWIDE: exact_differences
// QSKIP-LABEL: func @exact_differences
// QSKIP-NOT: 32767 : i64
// QSKIP-NOT: exact_differences
// QSKIP: return
func.func @exact_differences(%q: tensor<64x16xi16>, %k: tensor<256x16xi16>, %v: tensor<256x8xi16>,
                             %init: tensor<64x8xi16>) -> tensor<64x8xi16> {
  %h = inhibitor.attention signed {gamma = 3 : i16}
         ins(%q, %k, %v : tensor<64x16xi16>, tensor<256x16xi16>, tensor<256x8xi16>)
         outs(%init : tensor<64x8xi16>) -> tensor<64x8xi16>
  return %h : tensor<64x8xi16>
}

// -----

// CHECK-LABEL: func @exact_differences_not_checked
// CHECK-NOT: 32767 : i64
// CHECK-NOT: exact_differences
// CHECK: return
func.func @exact_differences_not_checked(%q: tensor<32x16xi16>, %k: tensor<256x16xi16>, %v: tensor<256x8xi16>,
                                         %init: tensor<32x8xi16>, %q8: tensor<64x16xi8>,
                                         %k8: tensor<256x16xi8>, %v8: tensor<256x8xi8>,
                                         %init8: tensor<64x8xi16>) -> (tensor<32x8xi16>, tensor<64x8xi16>) {
  %h = inhibitor.attention signed {gamma = 3 : i16}
         ins(%q, %k, %v : tensor<32x16xi16>, tensor<256x16xi16>, tensor<256x8xi16>)
         outs(%init : tensor<32x8xi16>) -> tensor<32x8xi16>
  %h8 = inhibitor.attention signed {gamma = 3 : i16}
         ins(%q8, %k8, %v8 : tensor<64x16xi8>, tensor<256x16xi8>, tensor<256x8xi8>)
         outs(%init8 : tensor<64x8xi16>) -> tensor<64x8xi16>
  return %h, %h8 : tensor<32x8xi16>, tensor<64x8xi16>
}

// -----

// The op's promise (exact_differences, as --inhibitor-version-narrow-sums
// sets it): no check, the scores marked, also with one query tile.
// CHECK-LABEL: func @exact_differences_promised
// CHECK-NOT: 32767 : i64
// CHECK-NOT: scf.if
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<32x16xi16>, tensor<16x128xi16>) outs(%{{.*}} : tensor<32x128xi16>) attrs = {inhibitor.exact_differences}
// CHECK: return
func.func @exact_differences_promised(%q: tensor<32x16xi16>, %k: tensor<256x16xi16>, %v: tensor<256x8xi16>,
                                      %init: tensor<32x8xi16>) -> tensor<32x8xi16> {
  %h = inhibitor.attention signed {gamma = 3 : i16, exact_differences}
         ins(%q, %k, %v : tensor<32x16xi16>, tensor<256x16xi16>, tensor<256x8xi16>)
         outs(%init : tensor<32x8xi16>) -> tensor<32x8xi16>
  return %h : tensor<32x8xi16>
}

// -----

// Grouped heads keep the promise: folded into the queries (32 rows of
// each K/V head, one query tile) and split into one K/V head per query
// head (causal), each without a check.
// CHECK-LABEL: func @exact_differences_grouped
// CHECK-NOT: 32767 : i64
// CHECK: tensor.collapse_shape
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x32x128xi16>) attrs = {inhibitor.exact_differences}
// CHECK: tensor.expand_shape
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x1x16x128xi16>) attrs = {inhibitor.exact_differences}
// CHECK: return
func.func @exact_differences_grouped(%q: tensor<4x16x16xi16>, %k: tensor<2x256x16xi16>, %v: tensor<2x256x8xi16>,
                                     %init: tensor<4x16x8xi16>) -> (tensor<4x16x8xi16>, tensor<4x16x8xi16>) {
  %f = inhibitor.attention signed {gamma = 3 : i16, exact_differences}
         ins(%q, %k, %v : tensor<4x16x16xi16>, tensor<2x256x16xi16>, tensor<2x256x8xi16>)
         outs(%init : tensor<4x16x8xi16>) -> tensor<4x16x8xi16>
  %s = inhibitor.attention causal signed {gamma = 3 : i16, exact_differences}
         ins(%q, %k, %v : tensor<4x16x16xi16>, tensor<2x256x16xi16>, tensor<2x256x8xi16>)
         outs(%init : tensor<4x16x8xi16>) -> tensor<4x16x8xi16>
  return %f, %s : tensor<4x16x8xi16>, tensor<4x16x8xi16>
}
