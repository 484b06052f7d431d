// RUN: inhibitor-opt %s -split-input-file --inhibitor-fhe-cost -o /dev/null | FileCheck %s --check-prefix=OP
// RUN: inhibitor-opt %s -split-input-file --convert-inhibitor-to-linalg --inhibitor-fhe-cost -o /dev/null | FileCheck %s --check-prefix=LINALG

// The inhibitor ops and their lowering to linalg.generic, costed by the
// body rules: the same count where the lowering computes the same thing.

// Unsigned attention (the case @attention_unsigned of
// fhe-cost-inhibitor.mlir): the score generic (18 abs at 9 bits, 27
// additions) and the inhibition generic (18 relu on V - Z at 11 bits, 30
// additions) add up to the op's count.
// OP-LABEL: fhe-cost @unsigned
// OP: total: pbs 36 [9b:18 11b:18] ct-ct 0 ct-clear 0 add 57 depth 2/0 max-bits 11
// LINALG-LABEL: fhe-cost @unsigned
// LINALG: linalg.generic at {{.*}}: pbs 18 [9b:18] ct-ct 0 ct-clear 0 add 27 depth 1/0 max-bits 9
// LINALG: linalg.generic at {{.*}}: pbs 18 [11b:18] ct-ct 0 ct-clear 0 add 30 depth 2/0 max-bits 11
// LINALG: total: pbs 36 [9b:18 11b:18] ct-ct 0 ct-clear 0 add 57 depth 2/0 max-bits 11
func.func @unsigned(%q: tensor<3x2xi8>, %k: tensor<3x2xi8>, %v: tensor<3x2xi8>,
                    %h0: tensor<3x2xi16>) -> tensor<3x2xi16> {
  %h = inhibitor.attention ins(%q, %k, %v : tensor<3x2xi8>, tensor<3x2xi8>, tensor<3x2xi8>)
         outs(%h0 : tensor<3x2xi16>) -> tensor<3x2xi16>
  return %h : tensor<3x2xi16>
}

// -----

// Signed, f32, gamma = sqrt(2), alpha = 0.5 (@paper_n2_f32 of
// fhe-cost-inhibitor.mlir: 32 lookups, depth 3). The lowering computes
//   Z = max(s / gamma - alpha, 0) in its own generic: the division and the
//     offset are a linear chain folded into the relu lookup on s (4 at 9
//     bits, no addition, no ct-clear product), as the op's formula counts;
//   H = sum_j V - max(min(V, Z), -Z) (eq. 5 as a clamp): per (i, j, e) two
//     lookups on differences, min on V - Z in [-488.1, 127] and max on
//     min(V, Z) + Z in [-128, 487.1], both 10 bits: 16; no V+ lookups.
//     Additions: -Z once per (i, j): 4; 2 per min/max: 32; V - clamp: 8;
//     sums 4*2 - 4 = 4: 48.
// So the clamp form needs 28 lookups (eq. 5 as written: 32) and one level
// more (4).
// OP-LABEL: fhe-cost @signed_f32
// OP: total: pbs 32 [8b:4 9b:12 10b:16] ct-ct 0 ct-clear 0 add 44 depth 3/0 max-bits 10
// LINALG-LABEL: fhe-cost @signed_f32
// LINALG: linalg.generic at {{.*}}: pbs 8 [9b:8] ct-ct 0 ct-clear 0 add 12 depth 1/0 max-bits 9
// LINALG: linalg.generic at {{.*}}: pbs 4 [9b:4] ct-ct 0 ct-clear 0 add 0 depth 2/0 max-bits 9
// LINALG-NEXT: relu: 4x9b
// LINALG: linalg.generic at {{.*}}: pbs 16 [10b:16] ct-ct 0 ct-clear 0 add 48 depth 4/0 max-bits 10
// LINALG-DAG: max: 8x10b
// LINALG-DAG: min: 8x10b
// LINALG: total: pbs 28 [9b:12 10b:16] ct-ct 0 ct-clear 0 add 60 depth 4/0 max-bits 10
func.func @signed_f32(%q: tensor<2x2xf32>, %k: tensor<2x2xf32>, %v: tensor<2x2xf32>,
                      %h0: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %h = inhibitor.attention signed {gamma = 1.41421354 : f32, alpha = 0.5 : f32}
         ins(%q, %k, %v : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>)
         outs(%h0 : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %h : tensor<2x2xf32>
}

// -----

// Integer score with gamma = 4 and alpha = 2: floor(s / 4) - 2 then relu is
// a chain on s (a rescale, an offset) ending in one lookup on s in
// [0, 765], 10 bits, as the op's formula counts (fhe-cost-inhibitor.mlir,
// @score_pow2_gamma_alpha).
// OP-LABEL: fhe-cost @score_int
// OP: total: pbs 32 [9b:24 10b:8] ct-ct 0 ct-clear 0 add 40 depth 2/0 max-bits 10
// LINALG-LABEL: fhe-cost @score_int
// LINALG: total: pbs 32 [9b:24 10b:8] ct-ct 0 ct-clear 0 add 40 depth 2/0 max-bits 10
func.func @score_int(%q: tensor<2x3xi8>, %k: tensor<4x3xi8>, %z0: tensor<2x4xi32>) -> tensor<2x4xi32> {
  %z = inhibitor.manhattan_score {gamma = 4 : i32, alpha = 2 : i32}
         ins(%q, %k : tensor<2x3xi8>, tensor<4x3xi8>)
         outs(%z0 : tensor<2x4xi32>) -> tensor<2x4xi32>
  return %z : tensor<2x4xi32>
}
