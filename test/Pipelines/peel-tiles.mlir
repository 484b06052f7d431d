// RUN: inhibitor-opt %s --inhibitor-to-llvm="peel-tiles=true target-cpu=znver3" --mlir-print-ir-after=inhibitor-tile-and-vectorize -o /dev/null 2>&1 | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-to-llvm="target-cpu=znver3" --mlir-print-ir-after=inhibitor-tile-and-vectorize -o /dev/null 2>&1 | FileCheck %s --check-prefix=OFF

// `peel-tiles` of --inhibitor-to-llvm is the `peel` option of
// --inhibitor-tile-and-vectorize (tile-and-vectorize-peel.mlir has the
// cases): the score's 4-row tiles of a dynamic N run in a main loop to N
// rounded down to 4, unmasked, then in a loop of the partial tile, masked.
// Off (the default): one loop, every tile masked.
// CHECK-LABEL: func.func @score
// CHECK: %[[FULL:.*]] = affine.apply affine_map<()[s0, s1, s2] -> (s1 - (s1 - s0) mod s2)>()[%{{.*}}, %[[N:.*]], %[[C4:.*]]]
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[FULL]] step %[[C4]] iter_args
// CHECK-NOT: vector.mask
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x1x32xi16> to vector<4x32xi16>
// CHECK: scf.for %{{.*}} = %[[FULL]] to %[[N]] step %[[C4]] iter_args
// CHECK: vector.mask %{{.*}} { vector.multi_reduction <add>

// OFF-LABEL: func.func @score
// OFF-NOT: mod s2
// OFF: vector.mask %{{.*}} { vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x1x32xi16> to vector<4x32xi16> }
// OFF-NOT: mod s2
func.func @score(%q: tensor<?x64xi16>, %k: tensor<32x64xi16>, %init: tensor<?x32xi16>) -> tensor<?x32xi16> {
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<?x64xi16>, tensor<32x64xi16>)
         outs(%init : tensor<?x32xi16>) -> tensor<?x32xi16>
  return %z : tensor<?x32xi16>
}
