// RUN: inhibitor-opt %s -split-input-file -verify-diagnostics --inhibitor-fhe-cost -o /dev/null
// RUN: not inhibitor-opt %s --inhibitor-fhe-cost="model=gpu" -o /dev/null 2>&1 | FileCheck %s --check-prefix=MODEL
// RUN: not inhibitor-opt %s --inhibitor-fhe-cost="round-to-bits=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=ROUND
// RUN: not inhibitor-opt %s --inhibitor-fhe-cost="activation-bits=0" -o /dev/null 2>&1 | FileCheck %s --check-prefix=ACT
// RUN: echo 'func.func @f() { return }' | not inhibitor-opt --inhibitor-fhe-cost="output=/nonexistent/dir/report.txt" -o /dev/null 2>&1 | FileCheck %s --check-prefix=OUT

// MODEL: error: inhibitor-fhe-cost: unknown model 'gpu' (expected 'concrete' or 'tfhe-rs')
// ROUND: error: inhibitor-fhe-cost: round-to-bits must be 0 (off) or at least 2
// ACT: error: inhibitor-fhe-cost: input-bits and activation-bits must be in [1, 32]
// OUT: error: inhibitor-fhe-cost: cannot open output file '/nonexistent/dir/report.txt'

// A TFHE circuit has static shapes.
func.func @dynamic(%q: tensor<?x2xi8>, %k: tensor<3x2xi8>, %v: tensor<3x2xi8>,
                   %h0: tensor<?x2xi16>) -> tensor<?x2xi16> {
  // expected-error @+1 {{inhibitor-fhe-cost: dynamic shape; a TFHE circuit has static shapes}}
  %h = inhibitor.attention ins(%q, %k, %v : tensor<?x2xi8>, tensor<3x2xi8>, tensor<3x2xi8>)
         outs(%h0 : tensor<?x2xi16>) -> tensor<?x2xi16>
  return %h : tensor<?x2xi16>
}

// -----

// An op on encrypted data with no cost rule is an error, never skipped.
func.func @unknown_body_op(%x: tensor<4xi8>) -> tensor<4xi8> {
  %e = tensor.empty() : tensor<4xi8>
  %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
                       iterator_types = ["parallel"]}
      ins(%x : tensor<4xi8>) outs(%e : tensor<4xi8>) {
  ^bb0(%a: i8, %o: i8):
    // expected-error @+1 {{inhibitor-fhe-cost: cannot cost 'arith.xori' on encrypted data}}
    %y = arith.xori %a, %a : i8
    linalg.yield %y : i8
  } -> tensor<4xi8>
  return %r : tensor<4xi8>
}

// -----

func.func @unknown_tosa_op(%x: tensor<4x3xf32>) -> tensor<4xi32> {
  // expected-error @+1 {{inhibitor-fhe-cost: cannot cost 'tosa.argmax' on encrypted data}}
  %r = tosa.argmax %x {axis = 1 : i32} : (tensor<4x3xf32>) -> tensor<4xi32>
  return %r : tensor<4xi32>
}

// -----

// A reduction whose output value is used other than by one yielded combiner.
func.func @odd_reduction(%x: tensor<4xi32>) -> tensor<i32> {
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<i32>
  %f = linalg.fill ins(%c0 : i32) outs(%e : tensor<i32>) -> tensor<i32>
  // expected-error @+1 {{inhibitor-fhe-cost: unsupported use of the output value in the body}}
  %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> ()>],
                       iterator_types = ["reduction"]}
      ins(%x : tensor<4xi32>) outs(%f : tensor<i32>) {
  ^bb0(%a: i32, %acc: i32):
    %s = arith.addi %a, %acc : i32
    %t = arith.muli %s, %acc : i32
    linalg.yield %t : i32
  } -> tensor<i32>
  return %r : tensor<i32>
}

// -----

// Control flow is not a circuit.
func.func @loop(%x: tensor<4xi8>) -> tensor<4xi8> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  // expected-error @+1 {{inhibitor-fhe-cost: control flow is not costed; a TFHE circuit is straight-line code}}
  %r = scf.for %i = %c0 to %c2 step %c1 iter_args(%a = %x) -> (tensor<4xi8>) {
    scf.yield %a : tensor<4xi8>
  }
  return %r : tensor<4xi8>
}

// -----

// A call is not costed either (inline first).
func.func private @callee(tensor<4xi8>) -> tensor<4xi8>
func.func @call(%x: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{inhibitor-fhe-cost: cannot cost 'func.call'}}
  %r = func.call @callee(%x) : (tensor<4xi8>) -> tensor<4xi8>
  return %r : tensor<4xi8>
}

// -----

// Buffers are not a circuit either.
func.func @buffers(%x: memref<4xf32>, %y: memref<4xf32>) {
  // expected-error @+1 {{inhibitor-fhe-cost: linalg on buffers is not costed; run the analysis on tensors}}
  linalg.copy ins(%x : memref<4xf32>) outs(%y : memref<4xf32>)
  return
}
