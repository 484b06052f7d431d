// RUN: inhibitor-opt %s -inhibitor-check-overflow="bias-range=-1000,1000" -verify-diagnostics -split-input-file -o /dev/null
// RUN: inhibitor-opt %s -inhibitor-check-overflow="input-bits=4" -verify-diagnostics -split-input-file -o /dev/null
// RUN: not inhibitor-opt %s -inhibitor-check-overflow="query-range=5,1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not inhibitor-opt %s -inhibitor-check-overflow="input-bits=65" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BITS

// The stated input ranges of --inhibitor-check-overflow: with a bias in
// [-1000, 1000] (first RUN) or every input a 4-bit value (second RUN), an
// i16 accumulator holds this score: 64 * 255 / 8 + 1000 = 3040, and with
// 4-bit inputs 64 * 15 / 8 + 8 = 128.

// BAD: error: query-range must be two integers lo,hi with lo <= hi
// BITS: error: input-bits must be at most 64, got 65
func.func @stated(%q: tensor<4x64xi8>, %k: tensor<6x64xi8>,
                  %b: tensor<4x6xi16>) -> tensor<4x6xi16> {
  %init = tensor.empty() : tensor<4x6xi16>
  // expected-remark@+1 {{no intermediate can overflow the i16 accumulator}}
  %z = inhibitor.manhattan_score {gamma = 8 : i16}
         ins(%q, %k : tensor<4x64xi8>, tensor<6x64xi8>)
         bias(%b : tensor<4x6xi16>)
         outs(%init : tensor<4x6xi16>) -> tensor<4x6xi16>
  return %z : tensor<4x6xi16>
}
