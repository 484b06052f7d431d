// Run-time checks of --inhibitor-to-llvm: sizes that disagree at run time
// stop the program with a message naming the op, its location and the
// sizes (no out-of-bounds read), and a failed allocation is reported (no
// segfault). Each entry point is one case; `ok` shows that consistent
// dynamic sizes pass the checks.
//
// RUN: inhibitor-opt %s --inhibitor-to-llvm > %t.ll.mlir
// RUN: mlir-runner %t.ll.mlir -e ok -entry-point-result=void \
// RUN:   -shared-libs=%runner_utils | FileCheck %s --check-prefix=OK
// RUN: not --crash mlir-runner %t.ll.mlir -e score_d -entry-point-result=void \
// RUN:   -shared-libs=%runner_utils 2>&1 | FileCheck %s --check-prefix=SCORE-D
// RUN: not --crash mlir-runner %t.ll.mlir -e attention_m -entry-point-result=void \
// RUN:   -shared-libs=%runner_utils 2>&1 | FileCheck %s --check-prefix=ATTENTION-M
// RUN: not --crash mlir-runner %t.ll.mlir -e attention_mask -entry-point-result=void \
// RUN:   -shared-libs=%runner_utils 2>&1 | FileCheck %s --check-prefix=MASK
// RUN: not --crash mlir-runner %t.ll.mlir -e inhibit_e -entry-point-result=void \
// RUN:   -shared-libs=%runner_utils 2>&1 | FileCheck %s --check-prefix=INHIBIT-E
//
// runtime-checks=false: no check left in the code.
// RUN: inhibitor-opt %s --inhibitor-to-llvm=runtime-checks=false | FileCheck %s --check-prefix=OFF
// OFF-NOT: dprintf
// OFF-NOT: inhibitor run-time check

// OK: {{^}}{{\[\[21, +21\]\]}}

// SCORE-D: inhibitor run-time check failed: inhibitor.manhattan_score at {{.*}}runtime-checks.mlir:[[@LINE+7]]:{{[0-9]+}}: D of query (100000) != D of key (8)
// SCORE-D-NOT: Unranked Memref
func.func @score(%q: tensor<?x?xi16>, %k: tensor<?x?xi16>) -> tensor<?x?xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %q, %c0 : tensor<?x?xi16>
  %m = tensor.dim %k, %c0 : tensor<?x?xi16>
  %init = tensor.empty(%n, %m) : tensor<?x?xi32>
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<?x?xi16>, tensor<?x?xi16>)
         outs(%init : tensor<?x?xi32>) -> tensor<?x?xi32>
  return %z : tensor<?x?xi32>
}

// ATTENTION-M: inhibitor run-time check failed: inhibitor.attention at {{.*}}runtime-checks.mlir:[[@LINE+9]]:{{[0-9]+}}: M of key (7) != M of value (9)
// MASK: inhibitor run-time check failed: inhibitor.attention at {{.*}}runtime-checks.mlir:[[@LINE+8]]:{{[0-9]+}}: mask dim #1 (3) != score dim #1 (7) (a broadcast mask dim must be a static 1)
func.func @attention(%q: tensor<?x?xi8>, %k: tensor<?x?xi8>, %v: tensor<?x?xi8>,
                     %mask: tensor<?x?xi1>) -> tensor<?x?xi32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %q, %c0 : tensor<?x?xi8>
  %e = tensor.dim %v, %c1 : tensor<?x?xi8>
  %init = tensor.empty(%n, %e) : tensor<?x?xi32>
  %h = inhibitor.attention signed ins(%q, %k, %v : tensor<?x?xi8>, tensor<?x?xi8>,
         tensor<?x?xi8>) mask(%mask : tensor<?x?xi1>)
         outs(%init : tensor<?x?xi32>) -> tensor<?x?xi32>
  return %h : tensor<?x?xi32>
}

// INHIBIT-E: inhibitor run-time check failed: inhibitor.inhibit at {{.*}}runtime-checks.mlir:[[@LINE+3]]:{{[0-9]+}}: E of value (5) != E of destination (6)
func.func @inhibit(%v: tensor<?x?xi16>, %z: tensor<?x?xi32>,
                   %h: tensor<?x?xi32>) -> tensor<?x?xi32> {
  %r = inhibitor.inhibit ins(%v, %z : tensor<?x?xi16>, tensor<?x?xi32>)
         outs(%h : tensor<?x?xi32>) -> tensor<?x?xi32>
  return %r : tensor<?x?xi32>
}

func.func private @printMemrefI32(memref<*xi32>) attributes {llvm.emit_c_interface}

func.func @print(%t: tensor<?x?xi32>) {
  %m = bufferization.to_buffer %t : tensor<?x?xi32> to memref<?x?xi32>
  %u = memref.cast %m : memref<?x?xi32> to memref<*xi32>
  call @printMemrefI32(%u) : (memref<*xi32>) -> ()
  return
}

func.func @filled_i16(%rows: index, %cols: index, %x: i16) -> tensor<?x?xi16> {
  %e = tensor.empty(%rows, %cols) : tensor<?x?xi16>
  %f = linalg.fill ins(%x : i16) outs(%e : tensor<?x?xi16>) -> tensor<?x?xi16>
  return %f : tensor<?x?xi16>
}

func.func @filled_i8(%rows: index, %cols: index, %x: i8) -> tensor<?x?xi8> {
  %e = tensor.empty(%rows, %cols) : tensor<?x?xi8>
  %f = linalg.fill ins(%x : i8) outs(%e : tensor<?x?xi8>) -> tensor<?x?xi8>
  return %f : tensor<?x?xi8>
}

func.func @ok() {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %x = arith.constant 7 : i16
  %y = arith.constant 0 : i16
  // |7 - 0| summed over D = 3, twice 2 x ... : every Z is 21.
  %q = call @filled_i16(%c1, %c3, %x) : (index, index, i16) -> tensor<?x?xi16>
  %k = call @filled_i16(%c2, %c3, %y) : (index, index, i16) -> tensor<?x?xi16>
  %z = call @score(%q, %k) : (tensor<?x?xi16>, tensor<?x?xi16>) -> tensor<?x?xi32>
  call @print(%z) : (tensor<?x?xi32>) -> ()
  return
}

func.func @score_d() {
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %big = arith.constant 100000 : index
  %x = arith.constant 1 : i16
  %q = call @filled_i16(%c3, %big, %x) : (index, index, i16) -> tensor<?x?xi16>
  %k = call @filled_i16(%c4, %c8, %x) : (index, index, i16) -> tensor<?x?xi16>
  %z = call @score(%q, %k) : (tensor<?x?xi16>, tensor<?x?xi16>) -> tensor<?x?xi32>
  call @print(%z) : (tensor<?x?xi32>) -> ()
  return
}

func.func @attention_case(%m: index, %mv: index, %maskRows: index, %maskCols: index) {
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %x = arith.constant 1 : i8
  %q = call @filled_i8(%c3, %c4, %x) : (index, index, i8) -> tensor<?x?xi8>
  %k = call @filled_i8(%m, %c4, %x) : (index, index, i8) -> tensor<?x?xi8>
  %v = call @filled_i8(%mv, %c4, %x) : (index, index, i8) -> tensor<?x?xi8>
  %true = arith.constant true
  %me = tensor.empty(%maskRows, %maskCols) : tensor<?x?xi1>
  %mask = linalg.fill ins(%true : i1) outs(%me : tensor<?x?xi1>) -> tensor<?x?xi1>
  %h = call @attention(%q, %k, %v, %mask)
    : (tensor<?x?xi8>, tensor<?x?xi8>, tensor<?x?xi8>, tensor<?x?xi1>) -> tensor<?x?xi32>
  call @print(%h) : (tensor<?x?xi32>) -> ()
  return
}

func.func @attention_m() {
  %c3 = arith.constant 3 : index
  %c7 = arith.constant 7 : index
  %c9 = arith.constant 9 : index
  call @attention_case(%c7, %c9, %c3, %c7) : (index, index, index, index) -> ()
  return
}

func.func @attention_mask() {
  %c3 = arith.constant 3 : index
  %c7 = arith.constant 7 : index
  call @attention_case(%c7, %c7, %c3, %c3) : (index, index, index, index) -> ()
  return
}

func.func @inhibit_e() {
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c5 = arith.constant 5 : index
  %c6 = arith.constant 6 : index
  %x = arith.constant 1 : i16
  %v = call @filled_i16(%c3, %c5, %x) : (index, index, i16) -> tensor<?x?xi16>
  %ze = tensor.empty(%c2, %c3) : tensor<?x?xi32>
  %he = tensor.empty(%c2, %c6) : tensor<?x?xi32>
  %h = call @inhibit(%v, %ze, %he)
    : (tensor<?x?xi16>, tensor<?x?xi32>, tensor<?x?xi32>) -> tensor<?x?xi32>
  call @print(%h) : (tensor<?x?xi32>) -> ()
  return
}
