// --inhibitor-hoist-loop-invariant-subsets makes the IR of upstream's
// --loop-invariant-subset-hoisting (the outputs diffed, also against stock
// mlir-opt's), skipping the loops from which upstream hoists nothing (here
// the split loop and the loop that swaps its iter_args) and calling
// upstream on the others.
// RUN: inhibitor-opt %s --allow-unregistered-dialect --inhibitor-hoist-loop-invariant-subsets > %t.ours
// RUN: inhibitor-opt %s --allow-unregistered-dialect --loop-invariant-subset-hoisting > %t.upstream
// RUN: diff %t.ours %t.upstream
// RUN: mlir-opt %s --allow-unregistered-dialect --loop-invariant-subset-hoisting > %t.stock
// RUN: diff %t.ours %t.stock
// RUN: FileCheck %s < %t.ours
// --inhibitor-to-llvm runs it in place of upstream's pass.
// RUN: echo 'module {}' | inhibitor-opt --inhibitor-to-llvm --dump-pass-pipeline -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PIPELINE
// PIPELINE: inhibitor-hoist-loop-invariant-subsets
// PIPELINE-NOT: loop-invariant-subset-hoisting

// An accumulator tile read and written at a loop-invariant index: the pair
// moves out of the loop, the vector becomes an iter_arg.
// CHECK-LABEL: func.func @accumulator
// CHECK: vector.transfer_read
// CHECK: scf.for {{.*}} -> (tensor<64xi32>, vector<16xi32>)
// CHECK-NOT: vector.transfer_read
// CHECK-NOT: vector.transfer_write
// CHECK: scf.yield {{.*}}vector<16xi32>
// CHECK: vector.transfer_write
func.func @accumulator(%t: tensor<64xi32>, %v: vector<16xi32>, %n: index) -> tensor<64xi32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %pad = arith.constant 0 : i32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %t) -> (tensor<64xi32>) {
    %a = vector.transfer_read %acc[%c16], %pad {in_bounds = [true]} : tensor<64xi32>, vector<16xi32>
    %s = arith.addi %a, %v : vector<16xi32>
    %w = vector.transfer_write %s, %acc[%c16] {in_bounds = [true]} : vector<16xi32>, tensor<64xi32>
    scf.yield %w : tensor<64xi32>
  }
  return %r : tensor<64xi32>
}

// The full and the partial tile of a split loop (peel-tiles=split): the
// iter_arg goes into both branches, and nothing is hoisted.
// CHECK-LABEL: func.func @split
// CHECK: scf.for
// CHECK: scf.if
// CHECK: tensor.extract_slice {{.*}} [16] [1]
// CHECK: } else {
// CHECK: affine.min
func.func @split(%t: tensor<?xi32>, %v: tensor<16xi32>, %n: index) -> tensor<?xi32> {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %r = scf.for %i = %c0 to %n step %c16 iter_args(%acc = %t) -> (tensor<?xi32>) {
    %e = arith.addi %i, %c16 : index
    %full = arith.cmpi sle, %e, %n : index
    %y = scf.if %full -> (tensor<?xi32>) {
      %a = tensor.extract_slice %acc[%i] [16] [1] : tensor<?xi32> to tensor<16xi32>
      %s = arith.addi %a, %v : tensor<16xi32>
      %w = tensor.insert_slice %s into %acc[%i] [16] [1] : tensor<16xi32> into tensor<?xi32>
      scf.yield %w : tensor<?xi32>
    } else {
      %m = affine.min affine_map<(d0)[s0] -> (-d0 + s0, 16)>(%i)[%n]
      %a = tensor.extract_slice %acc[%i] [%m] [1] : tensor<?xi32> to tensor<?xi32>
      %w = tensor.insert_slice %a into %acc[%i] [%m] [1] : tensor<?xi32> into tensor<?xi32>
      scf.yield %w : tensor<?xi32>
    }
    scf.yield %y : tensor<?xi32>
  }
  return %r : tensor<?xi32>
}

// Two iter_args: the first is read whole by a non-subset op (no chain), the
// second is an extract/insert pair at a constant offset, which moves out.
// CHECK-LABEL: func.func @mixed
// CHECK: tensor.extract_slice %{{.*}}[8] [8] [1]
// CHECK: scf.for {{.*}} -> (tensor<64xi32>, tensor<64xi32>, tensor<8xi32>)
// CHECK: "test.use"
// CHECK: scf.yield
// CHECK: tensor.insert_slice {{.*}}[8] [8] [1]
func.func @mixed(%t: tensor<64xi32>, %u: tensor<64xi32>, %v: tensor<8xi32>, %n: index) -> (tensor<64xi32>, tensor<64xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%x = %t, %acc = %u) -> (tensor<64xi32>, tensor<64xi32>) {
    %x2 = "test.use"(%x) : (tensor<64xi32>) -> tensor<64xi32>
    %a = tensor.extract_slice %acc[8] [8] [1] : tensor<64xi32> to tensor<8xi32>
    %s = arith.addi %a, %v : tensor<8xi32>
    %w = tensor.insert_slice %s into %acc[8] [8] [1] : tensor<8xi32> into tensor<64xi32>
    scf.yield %x2, %w : tensor<64xi32>, tensor<64xi32>
  }
  return %r#0, %r#1 : tensor<64xi32>, tensor<64xi32>
}

// A loop that swaps its iter_args: neither chain ends at its own yield
// operand, and nothing moves.
// CHECK-LABEL: func.func @swap
// CHECK: scf.for
// CHECK: tensor.extract_slice
// CHECK: scf.yield
func.func @swap(%t: tensor<64xi32>, %u: tensor<64xi32>, %v: tensor<8xi32>, %n: index) -> tensor<64xi32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%x = %t, %y = %u) -> (tensor<64xi32>, tensor<64xi32>) {
    %a = tensor.extract_slice %x[0] [8] [1] : tensor<64xi32> to tensor<8xi32>
    %s = arith.addi %a, %v : tensor<8xi32>
    %w = tensor.insert_slice %s into %x[0] [8] [1] : tensor<8xi32> into tensor<64xi32>
    scf.yield %y, %w : tensor<64xi32>, tensor<64xi32>
  }
  return %r#0 : tensor<64xi32>
}

// Nested loops: the inner loop's pair moves out of it, then out of the
// outer loop, whose chain runs through the inner loop.
// CHECK-LABEL: func.func @nested
// CHECK: vector.transfer_read
// CHECK: scf.for
// CHECK: scf.for
// CHECK-NOT: vector.transfer
// CHECK: vector.transfer_write
func.func @nested(%t: tensor<64xi32>, %v: vector<16xi32>, %n: index) -> tensor<64xi32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = arith.constant 0 : i32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %t) -> (tensor<64xi32>) {
    %q = scf.for %j = %c0 to %n step %c1 iter_args(%acc2 = %acc) -> (tensor<64xi32>) {
      %a = vector.transfer_read %acc2[%c0], %pad {in_bounds = [true]} : tensor<64xi32>, vector<16xi32>
      %s = arith.addi %a, %v : vector<16xi32>
      %w = vector.transfer_write %s, %acc2[%c0] {in_bounds = [true]} : vector<16xi32>, tensor<64xi32>
      scf.yield %w : tensor<64xi32>
    }
    scf.yield %q : tensor<64xi32>
  }
  return %r : tensor<64xi32>
}
