// RUN: not inhibitor-opt %s --inhibitor-to-llvm="strategy=bogus" 2>&1 | FileCheck %s --check-prefix=BOGUS
// RUN: not inhibitor-opt %s --inhibitor-to-llvm="tile-sizes=4,x,0" 2>&1 | FileCheck %s --check-prefix=BAD-TILES
// RUN: inhibitor-opt %s --inhibitor-to-llvm="strategy=affine vector-bits=128" 2>/dev/null | FileCheck %s --check-prefix=AFFINE
// RUN: not inhibitor-opt %s --inhibitor-to-llvm="tile-sizes=0,4,0" 2>&1 | FileCheck %s --check-prefix=BAD-SIZES
// RUN: not inhibitor-opt %s --inhibitor-to-llvm="tile-sizes=4,4,-16" 2>&1 | FileCheck %s --check-prefix=BAD-SIZES
// RUN: not inhibitor-opt %s --inhibitor-to-llvm="tile-sizes=1,2,3,4" 2>&1 | FileCheck %s --check-prefix=BAD-SIZES
// RUN: not inhibitor-opt %s --inhibitor-to-llvm="vector-bits=-64" 2>&1 | FileCheck %s --check-prefix=BAD-SIZES
// RUN: inhibitor-opt %s --inhibitor-to-llvm="strategy=linalg tile-sizes=1,8,0 vector-bits=128" | FileCheck %s --check-prefix=LINALG
// RUN: inhibitor-opt %s --inhibitor-to-llvm="strategy=linalg tile-sizes=1,8,0 vector-bits=128" | FileCheck %s --check-prefix=NARROW
// RUN: not inhibitor-opt %s --inhibitor-to-llvm="query-tile=0" 2>&1 | FileCheck %s --check-prefix=BAD-FUSE-TILES
// RUN: not inhibitor-opt %s --inhibitor-to-llvm="key-tile=-8" 2>&1 | FileCheck %s --check-prefix=BAD-FUSE-TILES
// RUN: inhibitor-opt %s --inhibitor-to-llvm="fuse-attention=false key-tile=-8 tile-sizes=1,8,0 vector-bits=128" | FileCheck %s --check-prefix=LINALG
// RUN: inhibitor-opt %s --inhibitor-to-llvm="strategy=affine fuse-attention=true vector-bits=128" 2>/dev/null | FileCheck %s --check-prefix=AFFINE
// RUN: not inhibitor-opt %s --inhibitor-to-llvm="key-copy-limit=-1" 2>&1 | FileCheck %s --check-prefix=BAD-KEY-COPY

// The options of --inhibitor-to-llvm: values are parsed by the pass-option
// parser (an unknown strategy or a malformed list is an error), the linalg
// strategy takes explicit tile sizes and a vector width, and so does the
// affine strategy (one native vector per accumulator).

// BOGUS: for the --strategy option: Cannot find option named 'bogus'!
// BOGUS-NOT: llvm.func

// BAD-TILES: for the --tile-sizes option: 'x' value invalid
// BAD-TILES-NOT: llvm.func

// The affine strategy ignores fuse-attention (it always lowers attention
// unfused) and compiles either way.
// AFFINE-LABEL: llvm.func @attention_i16
// AFFINE: vector<8xi16>

// The fused kernel's tile sizes are checked even when it is off.
// BAD-FUSE-TILES: error: convert-inhibitor-to-linalg: query-tile and key-tile must be positive
// BAD-FUSE-TILES-NOT: llvm.func

// BAD-KEY-COPY: error: convert-inhibitor-to-linalg: key-copy-limit must be >= 0 (0: no limit)
// BAD-KEY-COPY-NOT: llvm.func

// BAD-SIZES: error: inhibitor-tile-and-vectorize: expected at most 3 tile sizes (rows, middle, inner), each positive (inner may be 0 = one native vector), and vector-bits > 0
// BAD-SIZES-NOT: llvm.func

// vector-bits=128: 8 lanes of i16 (one xmm register).
// LINALG-LABEL: llvm.func @attention_i16
// LINALG-SAME: target_cpu = "{{.+}}"
// LINALG-DAG: llvm.sub %{{.*}}, %{{.*}} : vector<8xi16>
// LINALG-DAG: "llvm.intr.abs"(%{{.*}}) <{is_int_min_poison = false}> : (vector<8xi16>) -> vector<8xi16>
// LINALG-DAG: llvm.intr.smax(%{{.*}}, %{{.*}}) : (vector<8xi16>, vector<8xi16>) -> vector<8xi16>
// LINALG: llvm.return
// NARROW-NOT: vector<16xi16>
func.func @attention_i16(%q: tensor<8x32xi16>, %k: tensor<16x32xi16>,
                         %v: tensor<16x8xi16>) -> tensor<8x8xi16> {
  %init = tensor.empty() : tensor<8x8xi16>
  %h = inhibitor.attention signed {gamma = 8 : i16}
         ins(%q, %k, %v : tensor<8x32xi16>, tensor<16x32xi16>, tensor<16x8xi16>)
         outs(%init : tensor<8x8xi16>) -> tensor<8x8xi16>
  return %h : tensor<8x8xi16>
}
