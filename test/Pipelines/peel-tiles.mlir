// RUN: inhibitor-opt %s --inhibitor-to-llvm="peel-tiles=all target-cpu=znver3" --mlir-print-ir-after=inhibitor-tile-and-vectorize --mlir-disable-threading -o /dev/null 2>&1 | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3" --mlir-print-ir-after=inhibitor-tile-and-vectorize --mlir-disable-threading -o /dev/null 2>&1 | FileCheck %s --check-prefixes=SPLIT,RAGGED
// RUN: inhibitor-opt %s --inhibitor-to-llvm="peel-tiles=static target-cpu=znver3" --mlir-print-ir-after=inhibitor-tile-and-vectorize --mlir-disable-threading -o /dev/null 2>&1 | FileCheck %s --check-prefixes=STATIC,RAGGED
// RUN: inhibitor-opt %s --inhibitor-to-llvm="peel-tiles=off target-cpu=znver3" --mlir-print-ir-after=inhibitor-tile-and-vectorize --mlir-disable-threading -o /dev/null 2>&1 | FileCheck %s --check-prefix=OFF
// RUN: not inhibitor-opt %s --inhibitor-to-llvm="peel-tiles=sometimes" 2>&1 | FileCheck %s --check-prefix=BAD

// (--mlir-disable-threading: the functions printed in their order.)
// `peel-tiles` of --inhibitor-to-llvm is the `peel` option of
// --inhibitor-tile-and-vectorize (tile-and-vectorize-peel.mlir has the
// cases). `all`: the score's 4-row tiles of a dynamic N run in a main loop
// to N rounded down to 4, unmasked, then in a loop of the partial tile,
// masked. `static`: only loops of constant bounds are peeled, so a dynamic
// N keeps one loop, every tile masked, while a static N of 10 runs two full
// tiles and a static 2-row one, no mask. `split` (the default): the same
// for the static N; the dynamic N's loop keeps its bounds, its body an
// scf.if on a full tile (unmasked) or the partial one (masked). `off`: the
// static N of 10 in one loop too, every tile masked.
// CHECK-LABEL: func.func @score
// CHECK: %[[FULL:.*]] = affine.apply affine_map<()[s0, s1, s2] -> (s1 - (s1 - s0) mod s2)>()[%{{.*}}, %[[N:.*]], %[[C4:.*]]]
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[FULL]] step %[[C4]] iter_args
// CHECK-NOT: vector.mask
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x1x32xi16> to vector<4x32xi16>
// CHECK: scf.for %{{.*}} = %[[FULL]] to %[[N]] step %[[C4]] iter_args
// CHECK: vector.mask %{{.*}} { vector.multi_reduction <add>

// STATIC-LABEL: func.func @score
// STATIC-NOT: mod s2
// STATIC-NOT: scf.if %{{.*}} -> (tensor<?x32xi16>)
// STATIC: vector.mask %{{.*}} { vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x1x32xi16> to vector<4x32xi16> }
// STATIC-NOT: mod s2

// SPLIT-LABEL: func.func @score
// SPLIT-NOT: mod s2
// SPLIT: scf.for %[[I:[a-z0-9_]+]] = %{{.*}} to %[[N:[a-z0-9_]+]] step %[[C4:c4[_0-9]*]] iter_args(%{{.*}}) -> (tensor<?x32xi16>)
// SPLIT: %[[END:.*]] = arith.addi %[[I]], %[[C4]]
// SPLIT: %[[FULL:.*]] = arith.cmpi sle, %[[END]], %[[N]]
// SPLIT: scf.if %[[FULL]] -> (tensor<?x32xi16>)
// SPLIT-NOT: vector.mask
// SPLIT: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x1x32xi16> to vector<4x32xi16>
// SPLIT: } else {
// SPLIT: vector.mask %{{.*}} { vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x1x32xi16> to vector<4x32xi16> }
// SPLIT-NOT: mod s2

// RAGGED-LABEL: func.func @score_ragged
// RAGGED-NOT: vector.mask
// RAGGED: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x1x32xi16> to vector<4x32xi16>
// RAGGED-NOT: vector.mask
// RAGGED: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<2x1x32xi16> to vector<2x32xi16>
// RAGGED-NOT: vector.mask
// RAGGED: return

// OFF-LABEL: func.func @score_ragged
// OFF: vector.mask %{{.*}} { vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x1x32xi16> to vector<4x32xi16> }
// OFF-NOT: vector<2x1x32xi16>
// OFF: return

// BAD: for the --peel-tiles option: Cannot find option named 'sometimes'!
func.func @score(%q: tensor<?x64xi16>, %k: tensor<32x64xi16>, %init: tensor<?x32xi16>) -> tensor<?x32xi16> {
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<?x64xi16>, tensor<32x64xi16>)
         outs(%init : tensor<?x32xi16>) -> tensor<?x32xi16>
  return %z : tensor<?x32xi16>
}

func.func @score_ragged(%q: tensor<10x64xi16>, %k: tensor<32x64xi16>, %init: tensor<10x32xi16>) -> tensor<10x32xi16> {
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<10x64xi16>, tensor<32x64xi16>)
         outs(%init : tensor<10x32xi16>) -> tensor<10x32xi16>
  return %z : tensor<10x32xi16>
}
