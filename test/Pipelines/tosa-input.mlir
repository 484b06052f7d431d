// The pipelines take a front end's TOSA as it is (upstream tosa-to-linalg,
// -tensor and -arith run first): a module with tosa.const, tosa.reciprocal,
// tosa.reshape and tosa.matmul compiles to the LLVM dialect, and to host code
// plus kernels on the GPU pipeline.
// RUN: inhibitor-opt %s --inhibitor-to-llvm | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-to-gpu | FileCheck %s --check-prefix=GPU
// And it runs: reciprocal(2, 4) + 1 = 1.5, 1.25; [1 2] x [3 4]^T = 11.
// RUN: inhibitor-opt %s --inhibitor-to-llvm \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%runner_utils \
// RUN:   | FileCheck %s --check-prefix=EXEC

// CHECK-NOT: tosa.
// CHECK: llvm.func @scale_shift
// CHECK-NOT: tosa.
// GPU-NOT: tosa.
// GPU: gpu.binary
// GPU-NOT: tosa.
// EXEC: [1.5,  1.25]
// EXEC: {{\[}}[11]]

func.func @scale_shift(%x: tensor<2xf32>) -> tensor<2xf32> {
  %one = "tosa.const"() <{values = dense<1.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %r = tosa.reciprocal %x : (tensor<2xf32>) -> tensor<2xf32>
  %y = tosa.add %r, %one : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

func.func @dot(%a: tensor<1x1x2xf32>, %b: tensor<1x2x1xf32>) -> tensor<1x1xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = tosa.matmul %a, %b, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1xf32>
  %s = tosa.const_shape {values = dense<[1, 1]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %r = tosa.reshape %m, %s : (tensor<1x1x1xf32>, !tosa.shape<2>) -> tensor<1x1xf32>
  return %r : tensor<1x1xf32>
}

func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}

func.func @main() {
  %x = arith.constant dense<[2.0, 4.0]> : tensor<2xf32>
  %y = func.call @scale_shift(%x) : (tensor<2xf32>) -> tensor<2xf32>
  %by = bufferization.to_buffer %y : tensor<2xf32> to memref<2xf32>
  %uy = memref.cast %by : memref<2xf32> to memref<*xf32>
  func.call @printMemrefF32(%uy) : (memref<*xf32>) -> ()
  %a = arith.constant dense<[[[1.0, 2.0]]]> : tensor<1x1x2xf32>
  %b = arith.constant dense<[[[3.0], [4.0]]]> : tensor<1x2x1xf32>
  %d = func.call @dot(%a, %b) : (tensor<1x1x2xf32>, tensor<1x2x1xf32>) -> tensor<1x1xf32>
  %bd = bufferization.to_buffer %d : tensor<1x1xf32> to memref<1x1xf32>
  %ud = memref.cast %bd : memref<1x1xf32> to memref<*xf32>
  func.call @printMemrefF32(%ud) : (memref<*xf32>) -> ()
  return
}
