// Our SubsetOpInterface models of tensor slices and vector transfers
// (lib/Pipelines/SliceSubsetModels.cpp) answer identical offsets and sizes
// without the value-bounds solver and otherwise fall back to it, so every
// answer is upstream's: one-shot bufferization's in-place decisions and
// loop-invariant subset hoisting come out exactly as with stock mlir-opt
// (upstream's models), diffed below, and as checked.
//
// RUN: inhibitor-opt %s --one-shot-bufferize="bufferize-function-boundaries test-analysis-only" --allow-unregistered-dialect > %t.ours
// RUN: mlir-opt %s --one-shot-bufferize="bufferize-function-boundaries test-analysis-only" --allow-unregistered-dialect > %t.upstream
// RUN: diff %t.upstream %t.ours
// RUN: FileCheck %s --check-prefix=BUF < %t.ours
// RUN: inhibitor-opt %s --loop-invariant-subset-hoisting --allow-unregistered-dialect > %t.hoist.ours
// RUN: mlir-opt %s --loop-invariant-subset-hoisting --allow-unregistered-dialect > %t.hoist.upstream
// RUN: diff %t.hoist.upstream %t.hoist.ours
// RUN: FileCheck %s --check-prefix=HOIST < %t.hoist.ours

// The same SSA offsets and sizes: the insert_slice writes back what the
// extract_slice read, both in place.
// BUF-LABEL: func.func @identical(
// BUF: tensor.extract_slice {{.*}}__inplace_operands_attr__ = ["true",
// BUF: tensor.insert_slice {{.*}}__inplace_operands_attr__ = ["true", "true",
// HOIST-LABEL: func.func @identical(
// HOIST: tensor.extract_slice
// HOIST: scf.for
// HOIST: tensor.insert_slice
func.func @identical(%t: tensor<?x?xf32>, %n: index, %m: index) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %t) -> (tensor<?x?xf32>) {
    %s = tensor.extract_slice %a[1, 0] [1, %m] [1, 1] : tensor<?x?xf32> to tensor<1x?xf32>
    %v = vector.transfer_read %s[%c0, %c0], %cst : tensor<1x?xf32>, vector<1x8xf32>
    %d = arith.addf %v, %v : vector<1x8xf32>
    %w = vector.transfer_write %d, %s[%c0, %c0] : vector<1x8xf32>, tensor<1x?xf32>
    %u = tensor.insert_slice %w into %a[1, 0] [1, %m] [1, 1] : tensor<1x?xf32> into tensor<?x?xf32>
    scf.yield %u : tensor<?x?xf32>
  }
  return %r : tensor<?x?xf32>
}

// Different values that the solver proves equal (i + 0): still in place.
// BUF-LABEL: func.func @proved_equal(
// BUF: tensor.extract_slice {{.*}}__inplace_operands_attr__ = ["true",
// BUF: tensor.insert_slice {{.*}}__inplace_operands_attr__ = ["true", "true",
func.func @proved_equal(%t: tensor<?x?xf32>, %n: index, %m: index) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %t) -> (tensor<?x?xf32>) {
    %s = tensor.extract_slice %a[%i, 0] [1, %m] [1, 1] : tensor<?x?xf32> to tensor<1x?xf32>
    %v = vector.transfer_read %s[%c0, %c0], %cst : tensor<1x?xf32>, vector<1x8xf32>
    %d = arith.addf %v, %v : vector<1x8xf32>
    %w = vector.transfer_write %d, %s[%c0, %c0] : vector<1x8xf32>, tensor<1x?xf32>
    %j = arith.addi %i, %c0 : index
    %u = tensor.insert_slice %w into %a[%j, 0] [1, %m] [1, 1] : tensor<1x?xf32> into tensor<?x?xf32>
    scf.yield %u : tensor<?x?xf32>
  }
  return %r : tensor<?x?xf32>
}

// Row i read, row i + 1 written: a conflict, the extract_slice is copied
// (out of place).
// BUF-LABEL: func.func @different(
// BUF: tensor.extract_slice {{.*}}__inplace_operands_attr__ = ["false",
func.func @different(%t: tensor<?x?xf32>, %n: index, %m: index) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %t) -> (tensor<?x?xf32>) {
    %s = tensor.extract_slice %a[%i, 0] [1, %m] [1, 1] : tensor<?x?xf32> to tensor<1x?xf32>
    %v = vector.transfer_read %s[%c0, %c0], %cst : tensor<1x?xf32>, vector<1x8xf32>
    %d = arith.addf %v, %v : vector<1x8xf32>
    %w = vector.transfer_write %d, %s[%c0, %c0] : vector<1x8xf32>, tensor<1x?xf32>
    %j = arith.addi %i, %c1 : index
    %u = tensor.insert_slice %w into %a[%j, 0] [1, %m] [1, 1] : tensor<1x?xf32> into tensor<?x?xf32>
    scf.yield %u : tensor<?x?xf32>
  }
  return %r : tensor<?x?xf32>
}

// Transfers: the read/write pair at [16] is hoisted (the other read, at
// [0], is disjoint from it); at [%k] the solver cannot tell the read at [0]
// apart, so nothing moves.
// HOIST-LABEL: func.func @transfers_disjoint(
// HOIST: vector.transfer_read %{{.*}}[%c16]
// HOIST: scf.for
// HOIST: vector.transfer_read %{{.*}}[%c0]
// HOIST: vector.transfer_write %{{.*}}[%c16]
func.func @transfers_disjoint(%t: tensor<64xf32>, %n: index) -> tensor<64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %cst = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %t) -> (tensor<64xf32>) {
    %v = vector.transfer_read %a[%c16], %cst : tensor<64xf32>, vector<8xf32>
    %w0 = vector.transfer_read %a[%c0], %cst : tensor<64xf32>, vector<8xf32>
    %d = arith.addf %v, %w0 : vector<8xf32>
    %w = vector.transfer_write %d, %a[%c16] : vector<8xf32>, tensor<64xf32>
    scf.yield %w : tensor<64xf32>
  }
  return %r : tensor<64xf32>
}

// HOIST-LABEL: func.func @transfers_unknown(
// HOIST: scf.for
// HOIST: vector.transfer_read
// HOIST: vector.transfer_write
// HOIST: scf.yield
func.func @transfers_unknown(%t: tensor<64xf32>, %n: index, %k: index) -> tensor<64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %t) -> (tensor<64xf32>) {
    %v = vector.transfer_read %a[%k], %cst : tensor<64xf32>, vector<8xf32>
    %w0 = vector.transfer_read %a[%c0], %cst : tensor<64xf32>, vector<8xf32>
    %d = arith.addf %v, %w0 : vector<8xf32>
    %w = vector.transfer_write %d, %a[%k] : vector<8xf32>, tensor<64xf32>
    scf.yield %w : tensor<64xf32>
  }
  return %r : tensor<64xf32>
}
