// -opt-reduction-pass runs a pass or pipeline that inhibitor-opt knows and
// keeps its result when that is still interesting and smaller.
// Interesting here: the module still contains an inhibitor.attention.
// canonicalize removes the dead arithmetic: kept.
// RUN: inhibitor-reduce %s -opt-reduction-pass='opt-pass=func.func(canonicalize) test=/bin/sh test-arg=%S/Inputs/contains.sh,inhibitor.attention' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CANON
// Our own --inhibitor-decompose splits the attention into manhattan_score +
// inhibit: no longer interesting, so the module is printed unchanged.
// RUN: inhibitor-reduce %s -opt-reduction-pass='opt-pass=inhibitor-decompose test=/bin/sh test-arg=%S/Inputs/contains.sh,inhibitor.attention' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=KEEP
// The original module must be interesting.
// RUN: not inhibitor-reduce %s -opt-reduction-pass='opt-pass=inhibitor-decompose test=/bin/sh test-arg=%S/Inputs/contains.sh,inhibitor.inhibit' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ORIGINAL

// CANON-LABEL: func.func @f
// CANON-NOT: arith.addi
// CANON: inhibitor.attention

// KEEP-LABEL: func.func @f
// KEEP: arith.addi
// KEEP: inhibitor.attention
// KEEP-NOT: inhibitor.inhibit

// ORIGINAL: error:
// ORIGINAL-NEXT: the original input is not interested

func.func @f(%q: tensor<4x16xi8>, %k: tensor<6x16xi8>, %v: tensor<6x8xi16>,
             %a: i32, %b: i32) -> tensor<4x8xi32> {
  %dead = arith.addi %a, %b : i32
  %init = tensor.empty() : tensor<4x8xi32>
  %h = inhibitor.attention {gamma = 4 : i32}
         ins(%q, %k, %v : tensor<4x16xi8>, tensor<6x16xi8>, tensor<6x8xi16>)
         outs(%init : tensor<4x8xi32>) -> tensor<4x8xi32>
  return %h : tensor<4x8xi32>
}
