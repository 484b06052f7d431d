// Options of --inhibitor-fhe-cost, on a score (24 |q - k| lookups, see
// fhe-cost-inhibitor.mlir) and a softmax.
// RUN: inhibitor-opt %s -split-input-file --inhibitor-fhe-cost -o /dev/null | FileCheck %s --check-prefix=DEFAULT
// RUN: inhibitor-opt %s -split-input-file --inhibitor-fhe-cost="model=tfhe-rs" -o /dev/null | FileCheck %s --check-prefix=TFHERS
// RUN: inhibitor-opt %s -split-input-file --inhibitor-fhe-cost="input-bits=4" -o /dev/null | FileCheck %s --check-prefix=BITS4
// RUN: inhibitor-opt %s -split-input-file --inhibitor-fhe-cost="unsigned-inputs=true" -o /dev/null | FileCheck %s --check-prefix=UNSIGNED
// RUN: inhibitor-opt %s -split-input-file --inhibitor-fhe-cost="activation-bits=6" -o /dev/null | FileCheck %s --check-prefix=ACT6
// RUN: inhibitor-opt %s -split-input-file --inhibitor-fhe-cost="round-to-bits=8" -o /dev/null | FileCheck %s --check-prefix=ROUND8
// RUN: inhibitor-opt %s -split-input-file --inhibitor-fhe-cost="output=%t.txt" | FileCheck %s --check-prefix=IR
// Each run of the pass writes the file anew: the last split holds the softmax.
// RUN: FileCheck %s --check-prefix=OUTFILE < %t.txt
// The IR is unchanged.
// IR-LABEL: func.func @score
// IR: inhibitor.manhattan_score
// IR-NOT: fhe-cost

// Time: the sum over lookups of one bootstrap at its width. Concrete: 9 bits
// = sqrt(complexity(8) * complexity(10)) = 3_334_851_599 units of
// 0.318838 s / 1_217_510_420: 0.8733 s; 24 lookups: 20.96 s.
// DEFAULT-LABEL: fhe-cost @score (model concrete)
// The longest path holds one lookup: path 0.8733 s.
// DEFAULT: total: pbs 24 [9b:24] ct-ct 0 ct-clear 0 add 40 depth 1/0 max-bits 9 time 2.096e+01 s path 8.733e-01 s
// TFHE-rs: 8 bits 0.873 s, times sqrt(873 / 118) per bit: 2.3746 s; 24: 56.99 s.
// TFHERS-LABEL: fhe-cost @score (model tfhe-rs)
// TFHERS: total: pbs 24 [9b:24] {{.*}} time 5.699e+01 s
// 4-bit inputs: q - k in [-15, 15], 5 bits; Concrete 24 * 0.02598 s.
// BITS4-LABEL: fhe-cost @score
// BITS4: total: pbs 24 [5b:24] {{.*}} time 6.235e-01 s
func.func @score(%q: tensor<2x3xi8>, %k: tensor<4x3xi8>, %z0: tensor<2x4xi32>) -> tensor<2x4xi32> {
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<2x3xi8>, tensor<4x3xi8>)
         outs(%z0 : tensor<2x4xi32>) -> tensor<2x4xi32>
  return %z : tensor<2x4xi32>
}

// -----

// Signed attention (n = 2, D = 2, E = 2, i8). Signed inputs: V+ (4 at 8
// bits), then 8 relu and 8 min0 on V+ - Z in [-510, 127] and V- + Z in
// [-128, 510] (10 bits). Unsigned inputs (V in [0, 255]): V = V+, V- = 0,
// only the 8 relu terms on V - Z in [-510, 255] (10 bits).
// DEFAULT-LABEL: fhe-cost @signed_attention
// DEFAULT: total: pbs 28 [8b:4 9b:8 10b:16]
// UNSIGNED-LABEL: fhe-cost @signed_attention
// UNSIGNED: total: pbs 16 [9b:8 10b:8]
func.func @signed_attention(%q: tensor<2x2xi8>, %k: tensor<2x2xi8>, %v: tensor<2x2xi8>,
                            %h0: tensor<2x2xi32>) -> tensor<2x2xi32> {
  %h = inhibitor.attention signed ins(%q, %k, %v : tensor<2x2xi8>, tensor<2x2xi8>, tensor<2x2xi8>)
         outs(%h0 : tensor<2x2xi32>) -> tensor<2x2xi32>
  return %h : tensor<2x2xi32>
}

// -----

// linalg.softmax over rows of 2, input f32 quantized to [-128, 127]:
// max 2 and exp 4 lookups on x - x in [-255, 255] (9 bits), reciprocal 2 on
// the sum, 4 ct-ct products (8 lookups) of exp * reciprocal.
//   activation-bits 8: sum in [0, 510] (9 bits); products on [0, 255] +-
//   [0, 255] = [-255, 510]: 10 bits.
//   activation-bits 6: sum in [0, 126] (7 bits); [-63, 126]: 8 bits.
//   round-to-bits 8: each lookup wider than 8 bits first rounds (one more
//   lookup at 8 bits): 2 + 4 + 2 + 8 = 16 lookups become 32 at 8 bits.
// DEFAULT-LABEL: fhe-cost @softmax
// DEFAULT: total: pbs 16 [9b:8 10b:8] ct-ct 4 ct-clear 0 add 10
// OUTFILE: fhe-cost @softmax (model concrete)
// OUTFILE: total: pbs 16 [9b:8 10b:8] ct-ct 4 ct-clear 0 add 10
// ACT6-LABEL: fhe-cost @softmax
// ACT6: total: pbs 16 [7b:2 8b:8 9b:6] ct-ct 4
// ROUND8-LABEL: fhe-cost @softmax
// ROUND8: linalg.softmax at {{.*}}: pbs 32 [8b:32] ct-ct 4
// ROUND8-DAG: round: 16x8b
// ROUND8-DAG: exp: 4x8b
func.func @softmax(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %e = tensor.empty() : tensor<2x2xf32>
  %w = linalg.softmax dimension(1) ins(%x : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %w : tensor<2x2xf32>
}
