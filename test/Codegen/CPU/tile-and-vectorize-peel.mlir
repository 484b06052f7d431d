// RUN: inhibitor-opt %s --inhibitor-tile-and-vectorize="vector-bits=256 peel=all" --canonicalize --cse -split-input-file | FileCheck %s --check-prefixes=CHECK,PEELED
// RUN: inhibitor-opt %s --inhibitor-tile-and-vectorize="vector-bits=256" --canonicalize --cse -split-input-file | FileCheck %s --check-prefixes=SPLIT,PEELED
// RUN: inhibitor-opt %s --inhibitor-tile-and-vectorize="vector-bits=256 peel=static" --canonicalize --cse -split-input-file | FileCheck %s --check-prefixes=STATIC,PEELED
// RUN: inhibitor-opt %s --inhibitor-tile-and-vectorize="vector-bits=256 peel=off" --canonicalize --cse -split-input-file | FileCheck %s --check-prefix=OFF
// RUN: not inhibitor-opt %s --inhibitor-tile-and-vectorize="peel=sometimes" -split-input-file 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: for the --peel option: Cannot find option named 'sometimes'!

// Peeling: a tile loop whose trip count does not divide by its tile size (a
// static dim that leaves a partial last tile: `peel=static`, and `split`,
// the default (STATIC, SPLIT); also a dynamic dim: `peel=all` (CHECK); none:
// `peel=off`) is split by upstream's
// scf::peelForLoopAndSimplifyBounds into a main loop of full tiles and a
// loop of the partial one. The main loop's tile sizes fold to constants, so
// its tiles are static and vectorize without masks (no masked reads and
// no select in each step of the reduction); only the partial tile is
// masked, and not even it where the partial loop's bounds
// are constants (it runs once and is inlined, its tile static). Loops are
// peeled outermost first, the inner loops of the main loop each in turn:
// with two dynamic dims, a full tile, a tile partial in the columns only,
// and one partial in the rows. `peel=split` instead splits the body of a
// loop of dynamic bounds under an scf.if (the full tile or the partial
// one), where it is the op's only such loop.

// Rows dynamic (the decode score of a dynamic number of queries): the main
// loop runs to N rounded down to the 4-row tile.
// CHECK-DAG: #[[FLOOR4:.*]] = affine_map<()[s0] -> ((s0 floordiv 4) * 4)>
// CHECK-DAG: #[[REST:.*]] = affine_map<(d0)[s0] -> (-d0 + s0)>
// CHECK-LABEL: func @score_dynamic_rows
// CHECK-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<?x64xi16>
// CHECK: %[[N:.*]] = tensor.dim %[[Q]], %{{.*}} : tensor<?x64xi16>
// CHECK: %[[FULL:.*]] = affine.apply #[[FLOOR4]]()[%[[N]]]
// CHECK: %[[MAIN:.*]] = scf.for %{{.*}} = %{{.*}} to %[[FULL]] step %{{.*}} iter_args
// CHECK: scf.for
// CHECK-NOT: vector.mask
// CHECK: tensor.extract_slice %[[Q]]{{.*}} [4, 1] [1, 1] : tensor<?x64xi16> to tensor<4x1xi16>
// CHECK-NOT: vector.mask
// CHECK: vector.transfer_read %{{.*}} : tensor<4x32xi16>, vector<4x32xi16>
// CHECK-NOT: vector.mask
// CHECK: vector.transfer_write %{{.*}} : vector<4x32xi16>, tensor<4x32xi16>
// The partial tile: rows from FULL to N, masked.
// CHECK: scf.for %[[I:.*]] = %[[FULL]] to %[[N]] step %{{.*}} iter_args(%{{.*}} = %[[MAIN]])
// CHECK: scf.for
// CHECK: %[[R:.*]] = affine.apply #[[REST]](%[[I]])[%[[N]]]
// CHECK: vector.create_mask %[[R]], %{{.*}} : vector<4x32xi1>
// CHECK: vector.mask %{{.*}} { vector.transfer_write %{{.*}} : vector<4x32xi16>, tensor<?x32xi16> }
// CHECK: return

// By default (`peel=split`) the body of the loop over rows is an scf.if on
// i + 4 <= N: the full tile, static (4 rows, no mask), or the partial one,
// masked on min(4, N - i) rows.
// SPLIT-LABEL: func @score_dynamic_rows
// SPLIT-SAME: %[[Q:[a-zA-Z0-9_]+]]: tensor<?x64xi16>
// SPLIT: %[[N:.*]] = tensor.dim %[[Q]], %{{.*}} : tensor<?x64xi16>
// SPLIT: scf.for %[[I:.*]] = %{{.*}} to %[[N]] step %[[C4:.*]] iter_args
// SPLIT: %[[END:.*]] = arith.addi %[[I]], %[[C4]]
// SPLIT: %[[FULL:.*]] = arith.cmpi sle, %[[END]], %[[N]]
// SPLIT: scf.if %[[FULL]]
// SPLIT-NOT: vector.mask
// SPLIT: tensor.extract_slice %[[Q]][%[[I]], %{{.*}}] [4, 1] [1, 1] : tensor<?x64xi16> to tensor<4x1xi16>
// SPLIT-NOT: vector.mask
// SPLIT: vector.transfer_write %{{.*}} : vector<4x32xi16>, tensor<4x32xi16>
// SPLIT: } else {
// SPLIT: %[[R:.*]] = affine.min #{{.*}}(%[[I]])[%[[N]]]
// SPLIT: vector.create_mask %[[R]], %{{.*}} : vector<4x32xi1>
// SPLIT: vector.mask %{{.*}} { vector.transfer_write %{{.*}} : vector<4x32xi16>, tensor<?x32xi16> }
// SPLIT: return

// With `peel=static` a loop of dynamic bounds is left as it is, one
// loop: every tile is masked on min(4, N - i) rows.
// STATIC-LABEL: func @score_dynamic_rows
// STATIC: scf.for
// STATIC-NOT: scf.if
// STATIC: scf.for
// STATIC: %[[R:.*]] = affine.min
// STATIC: vector.create_mask %[[R]], %{{.*}} : vector<4x32xi1>
// STATIC: vector.mask
// STATIC-NOT: scf.for
// STATIC: return
#q = affine_map<(i, k, j) -> (i, k)>
#kt = affine_map<(i, k, j) -> (k, j)>
#z = affine_map<(i, k, j) -> (i, j)>
func.func @score_dynamic_rows(%q: tensor<?x64xi16>, %kt: tensor<64x32xi16>, %init: tensor<?x32xi16>) -> tensor<?x32xi16> {
  %z = linalg.generic {indexing_maps = [#q, #kt, #z], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%q, %kt : tensor<?x64xi16>, tensor<64x32xi16>) outs(%init : tensor<?x32xi16>) {
  ^bb0(%a: i16, %b: i16, %acc: i16):
    %d = arith.subi %a, %b : i16
    %ab = math.absi %d : i16
    %s = arith.addi %acc, %ab : i16
    linalg.yield %s : i16
  } -> tensor<?x32xi16>
  return %z : tensor<?x32xi16>
}

// -----

// Rows and columns dynamic: 4 x 16 tiles (one 16-lane vector, the dynamic
// inner extent not known to be a multiple of two). Three copies: full
// tiles; full rows and partial columns (masked in the columns only); the
// partial rows, all columns (masked in both). By default (`peel=split`),
// two loops of dynamic bounds: neither is split, every tile masked.
// SPLIT-LABEL: func @score_dynamic
// SPLIT-NOT: scf.if
// SPLIT: vector.mask %{{.*}} { vector.transfer_write %{{.*}} : vector<4x16xi16>, tensor<?x?xi16> }
// SPLIT-NOT: scf.if
// SPLIT: return
// CHECK-LABEL: func @score_dynamic
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK-NOT: vector.mask
// CHECK: arith.addi %{{.*}}, %{{.*}} : vector<4x16xi16>
// CHECK-NOT: vector.mask
// CHECK: vector.transfer_write %{{.*}} : vector<4x16xi16>, tensor<4x16xi16>
// CHECK: scf.for
// CHECK: scf.for
// CHECK: vector.create_mask %{{.*}}, %{{.*}} : vector<4x16xi1>
// CHECK: vector.mask %{{.*}} { vector.transfer_write %{{.*}} : vector<4x16xi16>, tensor<4x?xi16> }
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK: vector.mask %{{.*}} { vector.transfer_write %{{.*}} : vector<4x16xi16>, tensor<?x?xi16> }
// CHECK: return
#q = affine_map<(i, k, j) -> (i, k)>
#kt = affine_map<(i, k, j) -> (k, j)>
#z = affine_map<(i, k, j) -> (i, j)>
func.func @score_dynamic(%q: tensor<?x64xi16>, %kt: tensor<64x?xi16>, %init: tensor<?x?xi16>) -> tensor<?x?xi16> {
  %z = linalg.generic {indexing_maps = [#q, #kt, #z], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%q, %kt : tensor<?x64xi16>, tensor<64x?xi16>) outs(%init : tensor<?x?xi16>) {
  ^bb0(%a: i16, %b: i16, %acc: i16):
    %d = arith.subi %a, %b : i16
    %ab = math.absi %d : i16
    %s = arith.addi %acc, %ab : i16
    linalg.yield %s : i16
  } -> tensor<?x?xi16>
  return %z : tensor<?x?xi16>
}

// -----

// A static extent that leaves a partial tile (10 rows in tiles of 4), with
// `peel=all` and by default (PEELED): rows 0-7 in full tiles; the partial
// loop (rows 8-9, one iteration) is inlined, so its tile is a static 2-row
// one. No masks at all.
// PEELED-LABEL: func @score_ragged
// PEELED-NOT: vector.mask
// PEELED: scf.for %{{.*}} = %{{.*}} to %[[C8:.*]] step
// PEELED: vector.transfer_write %{{.*}} : vector<4x32xi16>, tensor<4x32xi16>
// PEELED: scf.yield
// PEELED: scf.yield
// PEELED: tensor.extract_slice %{{.*}}[8, 0] [2, 32] [1, 1] : tensor<10x32xi16> to tensor<2x32xi16>
// PEELED: vector.transfer_write %{{.*}} : vector<2x32xi16>, tensor<2x32xi16>
// PEELED-NOT: vector.mask
// PEELED: return

// With `peel=off`, one loop to 10 whose every tile is masked on
// min(4, 10 - i) rows.
// OFF-LABEL: func @score_ragged
// OFF: scf.for %[[I:.*]] = %{{.*}} to %[[C10:.*]] step
// OFF: scf.for
// OFF: %[[R:.*]] = affine.min #{{.*}}(%[[I]])
// OFF: vector.create_mask %[[R]], %{{.*}} : vector<4x1xi1>
// OFF: vector.mask %{{.*}} { vector.transfer_write %{{.*}} : vector<4x32xi16>, tensor<?x32xi16> }
// OFF-NOT: scf.for
// OFF: return
#q = affine_map<(i, k, j) -> (i, k)>
#kt = affine_map<(i, k, j) -> (k, j)>
#z = affine_map<(i, k, j) -> (i, j)>
func.func @score_ragged(%q: tensor<10x64xi16>, %kt: tensor<64x32xi16>, %init: tensor<10x32xi16>) -> tensor<10x32xi16> {
  %z = linalg.generic {indexing_maps = [#q, #kt, #z], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%q, %kt : tensor<10x64xi16>, tensor<64x32xi16>) outs(%init : tensor<10x32xi16>) {
  ^bb0(%a: i16, %b: i16, %acc: i16):
    %d = arith.subi %a, %b : i16
    %ab = math.absi %d : i16
    %s = arith.addi %acc, %ab : i16
    linalg.yield %s : i16
  } -> tensor<10x32xi16>
  return %z : tensor<10x32xi16>
}

// -----

// Tiles that divide their extents are not peeled: one loop nest, no masks.
// CHECK-LABEL: func @score_exact
// CHECK: scf.for
// CHECK: scf.for
// CHECK-NOT: scf.for
// CHECK-NOT: vector.mask
// CHECK: return
#q = affine_map<(i, k, j) -> (i, k)>
#kt = affine_map<(i, k, j) -> (k, j)>
#z = affine_map<(i, k, j) -> (i, j)>
func.func @score_exact(%q: tensor<8x64xi16>, %kt: tensor<64x32xi16>, %init: tensor<8x32xi16>) -> tensor<8x32xi16> {
  %z = linalg.generic {indexing_maps = [#q, #kt, #z], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%q, %kt : tensor<8x64xi16>, tensor<64x32xi16>) outs(%init : tensor<8x32xi16>) {
  ^bb0(%a: i16, %b: i16, %acc: i16):
    %d = arith.subi %a, %b : i16
    %ab = math.absi %d : i16
    %s = arith.addi %acc, %ab : i16
    linalg.yield %s : i16
  } -> tensor<8x32xi16>
  return %z : tensor<8x32xi16>
}

