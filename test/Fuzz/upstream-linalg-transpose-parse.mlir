// Found by inhibitor-rewrite-fuzzer (tools/fuzz): upstream's
// linalg.transpose parser (libMLIR 22) crashes on this mutated attention
// graph (a null attribute dereferenced in NamedAttrList::set while parsing
// the op after `permutation = [0, 2,1]` is followed by an unknown op). Not
// ours to fix; this test pins the known crash so that an MLIR upgrade that
// fixes it is noticed (then: expect a parse error instead).
// (Input: the fuzzer's artifact as found; not yet reduced.)
// RUN: not --crash inhibitor-opt %S/Inputs/rewrite-crash-linalg-transpose.mlir
