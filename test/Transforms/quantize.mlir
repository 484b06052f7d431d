// RUN: inhibitor-opt %s -inhibitor-quantize -split-input-file | FileCheck %s
// RUN: inhibitor-opt %s -inhibitor-quantize="bits=16" -split-input-file | FileCheck %s --check-prefix=I16
// RUN: inhibitor-opt %s -inhibitor-quantize="rounding=floor acc-bits=32" -split-input-file | FileCheck %s --check-prefix=FLOOR
// RUN: inhibitor-opt %s -inhibitor-quantize="rounding=nearest-away" -split-input-file | FileCheck %s --check-prefix=AWAY
// RUN: inhibitor-opt %s -inhibitor-quantize="rounding=toward-zero" -split-input-file | FileCheck %s --check-prefix=TRUNC

// --inhibitor-quantize: a float op becomes the integer op between quantize
// (x / step, round, clamp to +-qmax, fptosi) and dequantize (sitofp, * s)
// linalg.generics. Scale s = 0.5 from the attribute; Q/K step = s, so the
// integer gamma is gamma itself (4) and alpha = 1.0 / 0.5 = 2. Static
// D = 8, M = 6: the largest intermediate is 2 * 127 * 8 = 2032, so i8 data
// accumulate in i16 (i16 data: 2 * 32767 * 8 needs i32).

// CHECK-LABEL: func @attention
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<2x5x8xf32>, %[[K:[a-zA-Z0-9_]+]]: tensor<2x6x8xf32>, %[[V:[a-zA-Z0-9_]+]]: tensor<2x6x3xf32>
// CHECK: %[[HE:.*]] = tensor.empty() : tensor<2x5x3xi16>
// CHECK: %[[QE:.*]] = tensor.empty() : tensor<2x5x8xi8>
// CHECK: %[[QI:.*]] = linalg.generic
// CHECK-SAME: ins(%[[Q]] : tensor<2x5x8xf32>) outs(%[[QE]] : tensor<2x5x8xi8>)
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: i8):
// CHECK-NEXT: %[[STEP:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-NEXT: %[[D:.*]] = arith.divf %[[X]], %[[STEP]] : f32
// CHECK-NEXT: %[[R:.*]] = math.roundeven %[[D]] : f32
// CHECK-NEXT: %[[LO:.*]] = arith.constant -1.270000e+02 : f32
// CHECK-NEXT: %[[C1:.*]] = arith.maxnumf %[[R]], %[[LO]] : f32
// CHECK-NEXT: %[[HI:.*]] = arith.constant 1.270000e+02 : f32
// CHECK-NEXT: %[[C2:.*]] = arith.minnumf %[[C1]], %[[HI]] : f32
// CHECK-NEXT: %[[I:.*]] = arith.fptosi %[[C2]] : f32 to i8
// CHECK-NEXT: linalg.yield %[[I]] : i8
// CHECK: %[[KI:.*]] = linalg.generic {{.*}} ins(%[[K]] : tensor<2x6x8xf32>) outs(%{{.*}} : tensor<2x6x8xi8>)
// CHECK: %[[VI:.*]] = linalg.generic {{.*}} ins(%[[V]] : tensor<2x6x3xf32>) outs(%{{.*}} : tensor<2x6x3xi8>)
// The bound: M (r + (2 r D + g - 1) / g) with M = 6, D = 8, g = 4 and
// r = 1/2 + 2 * 127 * 2^-24.
// CHECK: %[[HQ:.*]] = inhibitor.attention signed {alpha = 2 : i16, gamma = 4 : i16, inhibitor.quant_error_bound = 19.50045{{[0-9]*}} : f64, inhibitor.quant_qk_scale = 5.000000e-01 : f64, inhibitor.quant_scale = 5.000000e-01 : f64}
// CHECK-SAME: ins(%[[QI]], %[[KI]], %[[VI]] : tensor<2x5x8xi8>, tensor<2x6x8xi8>, tensor<2x6x3xi8>)
// CHECK-SAME: outs(%[[HE]] : tensor<2x5x3xi16>) -> tensor<2x5x3xi16>
// CHECK: %[[HF:.*]] = linalg.generic {{.*}} ins(%[[HQ]] : tensor<2x5x3xi16>) outs(%{{.*}} : tensor<2x5x3xf32>)
// CHECK: ^bb0(%[[Y:.*]]: i16, %{{.*}}: f32):
// CHECK-NEXT: %[[YF:.*]] = arith.sitofp %[[Y]] : i16 to f32
// CHECK-NEXT: %[[S:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-NEXT: %[[YS:.*]] = arith.mulf %[[YF]], %[[S]] : f32
// CHECK-NEXT: linalg.yield %[[YS]] : f32
// CHECK-NOT: inhibitor.attention
// CHECK: return %[[HF]] : tensor<2x5x3xf32>

// I16-LABEL: func @attention
// I16: arith.constant -3.276700e+04 : f32
// I16: arith.constant 3.276700e+04 : f32
// I16: arith.fptosi %{{.*}} : f32 to i16
// I16: inhibitor.attention signed {alpha = 2 : i32, gamma = 4 : i32,
// I16-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<2x5x8xi16>, tensor<2x6x8xi16>, tensor<2x6x3xi16>)
// I16-SAME: -> tensor<2x5x3xi32>
// I16: arith.sitofp %{{.*}} : i32 to f32

// FLOOR-LABEL: func @attention
// FLOOR: math.floor
// FLOOR-NOT: math.roundeven
// FLOOR: inhibitor.attention signed {alpha = 2 : i32, gamma = 4 : i32,

// AWAY-LABEL: func @attention
// AWAY: math.round %
// AWAY-NOT: math.roundeven

// TRUNC-LABEL: func @attention
// TRUNC: arith.divf
// TRUNC-NEXT: arith.constant
// TRUNC-NEXT: arith.maxnumf
// TRUNC-NOT: math.round
func.func @attention(%q: tensor<2x5x8xf32>, %k: tensor<2x6x8xf32>,
                     %v: tensor<2x6x3xf32>) -> tensor<2x5x3xf32> {
  %init = tensor.empty() : tensor<2x5x3xf32>
  %h = inhibitor.attention signed {gamma = 4.0 : f32, alpha = 1.0 : f32,
                                   inhibitor.quant_scale = 0.5 : f64}
         ins(%q, %k, %v : tensor<2x5x8xf32>, tensor<2x6x8xf32>, tensor<2x6x3xf32>)
         outs(%init : tensor<2x5x3xf32>) -> tensor<2x5x3xf32>
  return %h : tensor<2x5x3xf32>
}

// -----

// A non-integer gamma: with Q/K step 0.25 wanted and s = 1, the integer
// gamma is floor(sqrt(8) / 0.25) = 11 and Q, K are quantized in steps of
// sqrt(8) / 11 = 0.2571 (never finer than asked, so the calibrated range
// does not saturate). Mask and causal stay as they are; alpha 0 is dropped.

// CHECK-LABEL: func @masked_causal_qk_scale
// CHECK-SAME: %[[M:[a-zA-Z0-9_]+]]: tensor<4x4xi1>
// CHECK: arith.constant 0.2571{{[0-9]*}} : f32
// CHECK: arith.constant 1.000000e+00 : f32
// CHECK: inhibitor.attention causal {gamma = 11 : i16, inhibitor.quant_error_bound = {{.*}}, inhibitor.quant_qk_scale = 0.2571{{.*}} : f64, inhibitor.quant_scale = 1.000000e+00 : f64}
// CHECK-SAME: mask(%[[M]] : tensor<4x4xi1>)
// CHECK-SAME: -> tensor<4x2xi16>
func.func @masked_causal_qk_scale(%q: tensor<4x8xf32>, %k: tensor<4x8xf32>, %v: tensor<4x2xf32>,
                                  %m: tensor<4x4xi1>) -> tensor<4x2xf32> {
  %init = tensor.empty() : tensor<4x2xf32>
  %h = inhibitor.attention causal {gamma = 2.8284271247461903 : f32,
                                   inhibitor.quant_scale = 1.0 : f64,
                                   inhibitor.quant_qk_scale = 0.25 : f64}
         ins(%q, %k, %v : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x2xf32>)
         mask(%m : tensor<4x4xi1>)
         outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %h : tensor<4x2xf32>
}

// -----

// Dynamic D and M: no static bound, so an i32 accumulator and no
// inhibitor.quant_error_bound; sizes of the new tensors from tensor.dim.

// CHECK-LABEL: func @dynamic
// CHECK: tensor.dim
// CHECK: tensor.empty(%{{.*}}, %{{.*}}) : tensor<?x?xi8>
// CHECK: inhibitor.attention {gamma = 1 : i32, inhibitor.quant_qk_scale = 1.250000e-01 : f64, inhibitor.quant_scale = 1.250000e-01 : f64}
// CHECK-SAME: -> tensor<?x3xi32>
// CHECK: arith.sitofp %{{.*}} : i32 to f64
// CHECK: -> tensor<?x3xf64>
func.func @dynamic(%q: tensor<?x?xf64>, %k: tensor<?x?xf64>, %v: tensor<?x3xf64>,
                   %n: index) -> tensor<?x3xf64> {
  %init = tensor.empty(%n) : tensor<?x3xf64>
  %h = inhibitor.attention {inhibitor.quant_scale = 0.125 : f64}
         ins(%q, %k, %v : tensor<?x?xf64>, tensor<?x?xf64>, tensor<?x3xf64>)
         outs(%init : tensor<?x3xf64>) -> tensor<?x3xf64>
  return %h : tensor<?x3xf64>
}

// -----

// key_tiles (K packed, in float) is dropped: the integer op reads its
// quantized K.

// CHECK-LABEL: func @key_tiles
// CHECK-NOT: key_tiles(
// CHECK: inhibitor.attention {gamma = 1 : i16
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<4x8xi8>, tensor<6x8xi8>, tensor<6x2xi8>) outs(
// CHECK-NOT: key_tiles(
// CHECK: return
func.func @key_tiles(%q: tensor<4x8xf32>, %k: tensor<6x8xf32>, %v: tensor<6x2xf32>,
                     %kt: tensor<2x8x4xf32>) -> tensor<4x2xf32> {
  %init = tensor.empty() : tensor<4x2xf32>
  %h = inhibitor.attention {inhibitor.quant_scale = 0.125 : f32}
         ins(%q, %k, %v : tensor<4x8xf32>, tensor<6x8xf32>, tensor<6x2xf32>)
         key_tiles(%kt : tensor<2x8x4xf32>)
         outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %h : tensor<4x2xf32>
}

// -----

// The parts on their own: the score's Z and the inhibition's V and Z each in
// units of their op's scale. f16 data are scaled in f32 and the result
// truncated back.

// CHECK-LABEL: func @parts
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: %[[Z:.*]] = inhibitor.manhattan_score {alpha = 1 : i16, gamma = 2 : i16, inhibitor.quant_error_bound = {{.*}}, inhibitor.quant_qk_scale = 2.500000e-01 : f64, inhibitor.quant_scale = 2.500000e-01 : f64}
// CHECK-SAME: -> tensor<3x4xi16>
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: inhibitor.inhibit signed {inhibitor.quant_error_bound = {{.*}}, inhibitor.quant_scale = 2.500000e-01 : f64}
// CHECK-SAME: tensor<4x2xi8>, tensor<3x4xi8>
// CHECK-SAME: -> tensor<3x2xi16>
func.func @parts(%q: tensor<3x5xf16>, %k: tensor<4x5xf16>, %v: tensor<4x2xf32>) -> tensor<3x2xf32> {
  %zi = tensor.empty() : tensor<3x4xf16>
  %z = inhibitor.manhattan_score {gamma = 2.0 : f16, alpha = 0.25 : f16,
                                  inhibitor.quant_scale = 0.25 : f64}
         ins(%q, %k : tensor<3x5xf16>, tensor<4x5xf16>)
         outs(%zi : tensor<3x4xf16>) -> tensor<3x4xf16>
  %z32 = arith.extf %z : tensor<3x4xf16> to tensor<3x4xf32>
  %hi = tensor.empty() : tensor<3x2xf32>
  %h = inhibitor.inhibit signed {inhibitor.quant_scale = 0.25 : f64}
         ins(%v, %z32 : tensor<4x2xf32>, tensor<3x4xf32>)
         outs(%hi : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %h : tensor<3x2xf32>
}

// -----

// Integer ops are left alone (running the pass twice changes nothing).

// CHECK-LABEL: func @integer_untouched
// CHECK-NOT: linalg.generic
// CHECK: inhibitor.attention {gamma = 8 : i32}
// CHECK-SAME: -> tensor<4x2xi32>
func.func @integer_untouched(%q: tensor<4x8xi8>, %k: tensor<4x8xi8>, %v: tensor<4x2xi8>) -> tensor<4x2xi32> {
  %init = tensor.empty() : tensor<4x2xi32>
  %h = inhibitor.attention {gamma = 8 : i32}
         ins(%q, %k, %v : tensor<4x8xi8>, tensor<4x8xi8>, tensor<4x2xi8>)
         outs(%init : tensor<4x2xi32>) -> tensor<4x2xi32>
  return %h : tensor<4x2xi32>
}
