// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="sad-score sad-dim-multiple=32" -split-input-file | FileCheck %s
// RUN: inhibitor-opt %s --convert-inhibitor-to-linalg="sad-score" -split-input-file | FileCheck %s --check-prefix=ANY
// RUN: not inhibitor-opt %s --convert-inhibitor-to-linalg="sad-score sad-dim-multiple=-1" 2>&1 | FileCheck %s --check-prefix=BAD

// sad-dim-multiple limits the byte-SAD score to rows whose static D is a
// multiple of it (what --inhibitor-to-llvm's sad=auto sets to the psadbw
// width in bytes): D = 64 takes the SAD form (zero-extended offset bytes,
// no K^T), D = 48 and a dynamic D keep the default form (K^T, sign
// extension). Without the option (ANY) every D takes the SAD form.

// CHECK-LABEL: func @score_d64
// CHECK-NOT: linalg.transpose
// CHECK: arith.extui
// CHECK-LABEL: func @score_d48
// CHECK: linalg.transpose
// CHECK-NOT: arith.extui
// CHECK: arith.extsi
// CHECK-LABEL: func @attention_dynamic_d
// CHECK: linalg.transpose
// CHECK-NOT: arith.extui
// CHECK: return

// ANY-LABEL: func @score_d64
// ANY: arith.extui
// ANY-LABEL: func @score_d48
// ANY-NOT: linalg.transpose
// ANY: arith.extui
// ANY-LABEL: func @attention_dynamic_d
// ANY-NOT: linalg.transpose
// ANY: arith.extui

// BAD: sad-dim-multiple must be >= 0
func.func @score_d64(%q: tensor<5x64xi8>, %k: tensor<7x64xi8>) -> tensor<5x7xi16> {
  %init = tensor.empty() : tensor<5x7xi16>
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<5x64xi8>, tensor<7x64xi8>)
         outs(%init : tensor<5x7xi16>) -> tensor<5x7xi16>
  return %z : tensor<5x7xi16>
}

func.func @score_d48(%q: tensor<5x48xi8>, %k: tensor<7x48xi8>) -> tensor<5x7xi16> {
  %init = tensor.empty() : tensor<5x7xi16>
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<5x48xi8>, tensor<7x48xi8>)
         outs(%init : tensor<5x7xi16>) -> tensor<5x7xi16>
  return %z : tensor<5x7xi16>
}

func.func @attention_dynamic_d(%q: tensor<4x?xi8>, %k: tensor<6x?xi8>, %v: tensor<6x8xi8>) -> tensor<4x8xi32> {
  %init = tensor.empty() : tensor<4x8xi32>
  %h = inhibitor.attention signed ins(%q, %k, %v : tensor<4x?xi8>, tensor<6x?xi8>, tensor<6x8xi8>)
         outs(%init : tensor<4x8xi32>) -> tensor<4x8xi32>
  return %h : tensor<4x8xi32>
}
