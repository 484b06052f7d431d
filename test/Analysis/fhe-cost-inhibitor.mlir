// RUN: inhibitor-opt %s -split-input-file --inhibitor-fhe-cost -o /dev/null | FileCheck %s
// Unmasked attention split into manhattan_score + inhibit costs the same.
// RUN: inhibitor-opt %s -split-input-file --inhibitor-decompose --inhibitor-fhe-cost -o /dev/null | FileCheck %s --check-prefix=DECOMP

// Hand-checked counts of --inhibitor-fhe-cost on inhibitor ops (the rules are
// in docs/FHE.md). Arguments are encrypted and span their type: i8 in
// [-128, 127]. Widths: [lo, hi] with lo >= 0 needs ceil(log2(hi + 1)) bits,
// else one sign bit more.

// Score, i8, N = 2, M = 4, D = 3, gamma = 1, alpha = 0.
//   pairs = N*M = 8. q - k in [-255, 255]: 9 bits.
//   abs: pairs*D = 24 lookups at 9 bits.
//   additions: 24 subtractions + pairs*(D-1) = 16 sums = 40.
//   Z = max(s / 1 - 0, 0) = s (s >= 0): no lookup. Depth: 1 PBS, 0 products.
// CHECK-LABEL: fhe-cost @score_i8
// CHECK: inhibitor.manhattan_score at {{.*}}: pbs 24 [9b:24] ct-ct 0 ct-clear 0 add 40 depth 1/0 max-bits 9
// CHECK-NEXT: abs: 24x9b
// CHECK-NEXT: total: pbs 24 [9b:24] ct-ct 0 ct-clear 0 add 40 depth 1/0 max-bits 9
func.func @score_i8(%q: tensor<2x3xi8>, %k: tensor<4x3xi8>, %z0: tensor<2x4xi32>) -> tensor<2x4xi32> {
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<2x3xi8>, tensor<4x3xi8>)
         outs(%z0 : tensor<2x4xi32>) -> tensor<2x4xi32>
  return %z : tensor<2x4xi32>
}

// -----

// Score with gamma = 3 (not a power of two) and alpha = 1: as above plus
// one fused lookup max(floor(s / 3) - 1, 0) per pair on s in
// [0, 3*255 = 765]: 10 bits, 8 lookups. Depth 2.
// CHECK-LABEL: fhe-cost @score_gamma3
// CHECK: inhibitor.manhattan_score at {{.*}}: pbs 32 [9b:24 10b:8] ct-ct 0 ct-clear 0 add 40 depth 2/0 max-bits 10
// CHECK-DAG: abs: 24x9b
// CHECK-DAG: div+relu: 8x10b
func.func @score_gamma3(%q: tensor<2x3xi8>, %k: tensor<4x3xi8>, %z0: tensor<2x4xi32>) -> tensor<2x4xi32> {
  %z = inhibitor.manhattan_score {gamma = 3 : i32, alpha = 1 : i32}
         ins(%q, %k : tensor<2x3xi8>, tensor<4x3xi8>)
         outs(%z0 : tensor<2x4xi32>) -> tensor<2x4xi32>
  return %z : tensor<2x4xi32>
}

// -----

// gamma = 4 (a power of two) with alpha = 2: floor(s / 4) - 2 can be
// negative, so one relu lookup per pair on s in [0, 765] (10 bits): 8.
// CHECK-LABEL: fhe-cost @score_pow2_gamma_alpha
// CHECK: inhibitor.manhattan_score at {{.*}}: pbs 32 [9b:24 10b:8] ct-ct 0 ct-clear 0 add 40 depth 2/0 max-bits 10
// CHECK-DAG: relu: 8x10b
func.func @score_pow2_gamma_alpha(%q: tensor<2x3xi8>, %k: tensor<4x3xi8>, %z0: tensor<2x4xi32>) -> tensor<2x4xi32> {
  %z = inhibitor.manhattan_score {gamma = 4 : i32, alpha = 2 : i32}
         ins(%q, %k : tensor<2x3xi8>, tensor<4x3xi8>)
         outs(%z0 : tensor<2x4xi32>) -> tensor<2x4xi32>
  return %z : tensor<2x4xi32>
}

// -----

// Score (gamma = 4, a power of two, alpha = 0: a rescale, no lookup) then
// unsigned inhibition, V: [M = 4, E = 2] i8.
//   Z in [0, floor(765 / 4) = 191]. V - Z in [-128 - 191, 127] = [-319, 127]:
//   10 bits. relu: pairs*E = 16 lookups.
//   additions: 16 subtractions + per (i, e) M - 1 = 3 sums, 2*2 outputs: 12.
//   Depth: Z 1, H 2.
// CHECK-LABEL: fhe-cost @score_then_inhibit_unsigned
// CHECK: inhibitor.manhattan_score at {{.*}}: pbs 24 [9b:24] ct-ct 0 ct-clear 0 add 40 depth 1/0 max-bits 9
// CHECK: inhibitor.inhibit at {{.*}}: pbs 16 [10b:16] ct-ct 0 ct-clear 0 add 28 depth 2/0 max-bits 10
// CHECK-NEXT: relu: 16x10b
// CHECK: total: pbs 40 [9b:24 10b:16] ct-ct 0 ct-clear 0 add 68 depth 2/0 max-bits 10
func.func @score_then_inhibit_unsigned(%q: tensor<2x3xi8>, %k: tensor<4x3xi8>, %v: tensor<4x2xi8>,
                                       %z0: tensor<2x4xi32>, %h0: tensor<2x2xi32>) -> tensor<2x2xi32> {
  %z = inhibitor.manhattan_score {gamma = 4 : i32}
         ins(%q, %k : tensor<2x3xi8>, tensor<4x3xi8>)
         outs(%z0 : tensor<2x4xi32>) -> tensor<2x4xi32>
  %h = inhibitor.inhibit ins(%v, %z : tensor<4x2xi8>, tensor<2x4xi32>)
         outs(%h0 : tensor<2x2xi32>) -> tensor<2x2xi32>
  return %h : tensor<2x2xi32>
}

// -----

// Signed inhibition (eq. 5) of the same: V+ = max(V, 0) once per element of
// V (8 lookups at 8 bits, and V- = V - V+: 8 additions), then per term
//   max(V+ - Z, 0): V+ - Z in [-191, 127]: 9 bits, 16 lookups;
//   min(V- + Z, 0): V- + Z in [-128, 191]: 9 bits, 16 lookups.
//   additions: 8 + 16 + 16 + sums of 2*M = 8 terms per (i, e): 7 * 4 = 28:
//   68. Depth: max(V + 1, Z = 1) + 1 = 2.
// CHECK-LABEL: fhe-cost @score_then_inhibit_signed
// CHECK: inhibitor.inhibit at {{.*}}: pbs 40 [8b:8 9b:32] ct-ct 0 ct-clear 0 add 68 depth 2/0 max-bits 9
// CHECK-DAG: relu: 8x8b 16x9b
// CHECK-DAG: min0: 16x9b
// CHECK: total: pbs 64 [8b:8 9b:56] ct-ct 0 ct-clear 0 add 108 depth 2/0 max-bits 9
func.func @score_then_inhibit_signed(%q: tensor<2x3xi8>, %k: tensor<4x3xi8>, %v: tensor<4x2xi8>,
                                     %z0: tensor<2x4xi32>, %h0: tensor<2x2xi32>) -> tensor<2x2xi32> {
  %z = inhibitor.manhattan_score {gamma = 4 : i32}
         ins(%q, %k : tensor<2x3xi8>, tensor<4x3xi8>)
         outs(%z0 : tensor<2x4xi32>) -> tensor<2x4xi32>
  %h = inhibitor.inhibit signed ins(%v, %z : tensor<4x2xi8>, tensor<2x4xi32>)
         outs(%h0 : tensor<2x2xi32>) -> tensor<2x2xi32>
  return %h : tensor<2x2xi32>
}

// -----

// Causal attention, unsigned, N = M = 3, D = 2, E = 2, i8 into i16.
//   attended pairs j <= i: 1 + 2 + 3 = 6 (masked pairs are not computed).
//   abs: 6*2 = 12 at 9 bits; score additions 12 + 6*(D-1) = 18.
//   Z = s in [0, 510]. V - Z in [-638, 127]: 11 bits, 6*E = 12 relu.
//   additions: 12 + sums: per (i, e) (attended(i) - 1): (0+1+2)*2 = 6.
//   Total additions 36. Depth 2.
// CHECK-LABEL: fhe-cost @attention_causal_unsigned
// CHECK: inhibitor.attention at {{.*}}: pbs 24 [9b:12 11b:12] ct-ct 0 ct-clear 0 add 36 depth 2/0 max-bits 11
// CHECK-DAG: abs: 12x9b
// CHECK-DAG: relu: 12x11b
func.func @attention_causal_unsigned(%q: tensor<3x2xi8>, %k: tensor<3x2xi8>, %v: tensor<3x2xi8>,
                                     %h0: tensor<3x2xi16>) -> tensor<3x2xi16> {
  %h = inhibitor.attention causal ins(%q, %k, %v : tensor<3x2xi8>, tensor<3x2xi8>, tensor<3x2xi8>)
         outs(%h0 : tensor<3x2xi16>) -> tensor<3x2xi16>
  return %h : tensor<3x2xi16>
}

// -----

// The diagonal moved by a constant causal_offset of -1: pairs j <= i - 1,
// 0 + 1 + 2 = 3 pairs in 2 rows. abs 3*2 = 6 at 9 bits, score additions
// 6 + 3*(D-1) = 9; relu 3*E = 6 at 11 bits, additions 6 + sums (0 + 1)*2
// = 2. Total 17.
// CHECK-LABEL: fhe-cost @attention_causal_offset
// CHECK: inhibitor.attention at {{.*}}: pbs 12 [9b:6 11b:6] ct-ct 0 ct-clear 0 add 17 depth 2/0 max-bits 11
func.func @attention_causal_offset(%q: tensor<3x2xi8>, %k: tensor<3x2xi8>, %v: tensor<3x2xi8>,
                                   %h0: tensor<3x2xi16>) -> tensor<3x2xi16> {
  %d = arith.constant -1 : index
  %h = inhibitor.attention causal ins(%q, %k, %v : tensor<3x2xi8>, tensor<3x2xi8>, tensor<3x2xi8>)
         causal_offset(%d)
         outs(%h0 : tensor<3x2xi16>) -> tensor<3x2xi16>
  return %h : tensor<3x2xi16>
}

// -----

// A causal_offset known only at run time: as a run-time mask, every pair is
// computed (the 57 additions of all 9 pairs below) and each term selected
// by a ciphertext-cleartext product (18).
// CHECK-LABEL: fhe-cost @attention_causal_runtime_offset
// CHECK: inhibitor.attention at {{.*}}: pbs 36 [9b:18 11b:18] ct-ct 0 ct-clear 18 add 57 depth 2/0 max-bits 11
func.func @attention_causal_runtime_offset(%q: tensor<3x2xi8>, %k: tensor<3x2xi8>,
                                           %v: tensor<3x2xi8>, %d: index,
                                           %h0: tensor<3x2xi16>) -> tensor<3x2xi16> {
  %h = inhibitor.attention causal ins(%q, %k, %v : tensor<3x2xi8>, tensor<3x2xi8>, tensor<3x2xi8>)
         causal_offset(%d)
         outs(%h0 : tensor<3x2xi16>) -> tensor<3x2xi16>
  return %h : tensor<3x2xi16>
}

// -----

// The same without causal: all 9 pairs. abs 18 at 9 bits, relu 18 at 11
// bits; additions 18 + 9 + 18 + (3 - 1)*3*2 = 57.
// CHECK-LABEL: fhe-cost @attention_unsigned
// CHECK: inhibitor.attention at {{.*}}: pbs 36 [9b:18 11b:18] ct-ct 0 ct-clear 0 add 57 depth 2/0 max-bits 11
// DECOMP-LABEL: fhe-cost @attention_unsigned
// DECOMP: inhibitor.manhattan_score
// DECOMP: inhibitor.inhibit
// DECOMP: total: pbs 36 [9b:18 11b:18] ct-ct 0 ct-clear 0 add 57 depth 2/0 max-bits 11
func.func @attention_unsigned(%q: tensor<3x2xi8>, %k: tensor<3x2xi8>, %v: tensor<3x2xi8>,
                              %h0: tensor<3x2xi16>) -> tensor<3x2xi16> {
  %h = inhibitor.attention ins(%q, %k, %v : tensor<3x2xi8>, tensor<3x2xi8>, tensor<3x2xi8>)
         outs(%h0 : tensor<3x2xi16>) -> tensor<3x2xi16>
  return %h : tensor<3x2xi16>
}

// -----

// A constant mask [[1,0,0],[0,0,0],[1,1,0]]: 3 attended pairs in 2 rows
// (row 1 attends nothing). abs 3*2 = 6; score additions 6 + 3 = 9; relu
// 3*2 = 6 at 11 bits; additions 6 + sums (1-1 + 2-1)*2 = 2. Total 17.
// CHECK-LABEL: fhe-cost @attention_constant_mask
// CHECK: inhibitor.attention at {{.*}}: pbs 12 [9b:6 11b:6] ct-ct 0 ct-clear 0 add 17 depth 2/0 max-bits 11
func.func @attention_constant_mask(%q: tensor<3x2xi8>, %k: tensor<3x2xi8>, %v: tensor<3x2xi8>,
                                   %h0: tensor<3x2xi16>) -> tensor<3x2xi16> {
  %m = arith.constant dense<[[true, false, false], [false, false, false], [true, true, false]]> : tensor<3x3xi1>
  %h = inhibitor.attention ins(%q, %k, %v : tensor<3x2xi8>, tensor<3x2xi8>, tensor<3x2xi8>)
         mask(%m : tensor<3x3xi1>)
         outs(%h0 : tensor<3x2xi16>) -> tensor<3x2xi16>
  return %h : tensor<3x2xi16>
}

// -----

// causal and a constant mask together: [[1,1,1],[1,1,1],[0,1,1]] and j <= i
// leave (0,0), (1,0), (1,1), (2,1), (2,2): 5 pairs in 3 rows. abs 10 at 9
// bits, score additions 10 + 5 = 15; relu 10 at 11 bits, additions 10 +
// sums (0 + 1 + 1)*2 = 4. Total 29.
// CHECK-LABEL: fhe-cost @attention_causal_and_constant_mask
// CHECK: inhibitor.attention at {{.*}}: pbs 20 [9b:10 11b:10] ct-ct 0 ct-clear 0 add 29 depth 2/0 max-bits 11
func.func @attention_causal_and_constant_mask(%q: tensor<3x2xi8>, %k: tensor<3x2xi8>, %v: tensor<3x2xi8>,
                                              %h0: tensor<3x2xi16>) -> tensor<3x2xi16> {
  %m = arith.constant dense<[[true, true, true], [true, true, true], [false, true, true]]> : tensor<3x3xi1>
  %h = inhibitor.attention causal ins(%q, %k, %v : tensor<3x2xi8>, tensor<3x2xi8>, tensor<3x2xi8>)
         mask(%m : tensor<3x3xi1>)
         outs(%h0 : tensor<3x2xi16>) -> tensor<3x2xi16>
  return %h : tensor<3x2xi16>
}

// -----

// A runtime mask (a public i1 argument): every pair is computed as without
// a mask (36 lookups, 57 additions), and each of the 9*2 contributions is
// multiplied by its clear mask bit: 18 ct-clear products.
// CHECK-LABEL: fhe-cost @attention_runtime_mask
// CHECK: inhibitor.attention at {{.*}}: pbs 36 [9b:18 11b:18] ct-ct 0 ct-clear 18 add 57 depth 2/0 max-bits 11
func.func @attention_runtime_mask(%q: tensor<3x2xi8>, %k: tensor<3x2xi8>, %v: tensor<3x2xi8>,
                                  %m: tensor<3x3xi1>, %h0: tensor<3x2xi16>) -> tensor<3x2xi16> {
  %h = inhibitor.attention ins(%q, %k, %v : tensor<3x2xi8>, tensor<3x2xi8>, tensor<3x2xi8>)
         mask(%m : tensor<3x3xi1>)
         outs(%h0 : tensor<3x2xi16>) -> tensor<3x2xi16>
  return %h : tensor<3x2xi16>
}

// -----

// The paper's setting, n = 2, d = 2, signed, f32 quantized to 8 bits,
// gamma = sqrt(2), alpha = 0.5 (what --convert-attention-to-inhibitor
// produces).
//   4 pairs: abs 8 at 9 bits; score additions 8 + 4 = 12.
//   s in [0, 510]; s / sqrt(2) - 0.5 can be negative: one relu lookup per
//   pair on s (the float scale folded in): 4 at 9 bits. Z in [0, 360.1].
//   V+ : 4 lookups at 8 bits (+4 additions for V-).
//   V+ - Z in [-360.1, 127]: 10 bits, 4*2 = 8 relu.
//   V- + Z in [-128, 360.1]: 10 bits, 8 min0.
//   additions: 4 + 8 + 8 + per (i, e) 2*M - 1 = 3 sums, 4 outputs: 12.
//   Inhibit 32, total 44.
//   Depth: Z 2; H max(V + 1, 2) + 1 = 3.
//   Longest path in seconds (Concrete model): Z = 2 lookups at 9 bits
//   (2 * 0.8733), then one at 10 bits (2.392): 4.139 s.
// CHECK-LABEL: fhe-cost @paper_n2_f32
// CHECK: inhibitor.attention at {{.*}}: pbs 32 [8b:4 9b:12 10b:16] ct-ct 0 ct-clear 0 add 44 depth 3/0 max-bits 10 time {{.*}} path 4.139e+00 s
// CHECK-DAG: abs: 8x9b
// CHECK-DAG: relu: 4x8b 4x9b 8x10b
// CHECK-DAG: min0: 8x10b
// DECOMP-LABEL: fhe-cost @paper_n2_f32
// DECOMP: inhibitor.manhattan_score
// DECOMP: inhibitor.inhibit
// DECOMP: total: pbs 32 [8b:4 9b:12 10b:16] ct-ct 0 ct-clear 0 add 44 depth 3/0 max-bits 10 time {{.*}} path 4.139e+00 s
func.func @paper_n2_f32(%q: tensor<2x2xf32>, %k: tensor<2x2xf32>, %v: tensor<2x2xf32>,
                        %h0: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %h = inhibitor.attention signed {gamma = 1.41421354 : f32, alpha = 0.5 : f32}
         ins(%q, %k, %v : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>)
         outs(%h0 : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %h : tensor<2x2xf32>
}

// -----

// Batch dims multiply every count: 2 heads of the causal case above.
// CHECK-LABEL: fhe-cost @attention_causal_two_heads
// CHECK: inhibitor.attention at {{.*}}: pbs 48 [9b:24 11b:24] ct-ct 0 ct-clear 0 add 72 depth 2/0 max-bits 11
func.func @attention_causal_two_heads(%q: tensor<2x3x2xi8>, %k: tensor<2x3x2xi8>, %v: tensor<2x3x2xi8>,
                                      %h0: tensor<2x3x2xi16>) -> tensor<2x3x2xi16> {
  %h = inhibitor.attention causal ins(%q, %k, %v : tensor<2x3x2xi8>, tensor<2x3x2xi8>, tensor<2x3x2xi8>)
         outs(%h0 : tensor<2x3x2xi16>) -> tensor<2x3x2xi16>
  return %h : tensor<2x3x2xi16>
}

// -----

// The analysis leaves the IR unchanged and reports nothing for a function
// without encrypted work.
// CHECK-LABEL: fhe-cost @nothing_encrypted
// CHECK-NEXT: total: pbs 0 [] ct-ct 0 ct-clear 0 add 0 depth 0/0 max-bits 0
func.func @nothing_encrypted(%m: tensor<4xi1>) -> tensor<4xi1> {
  return %m : tensor<4xi1>
}
