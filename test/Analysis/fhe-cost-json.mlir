// RUN: inhibitor-opt %s --inhibitor-fhe-cost="json=true" -o /dev/null | FileCheck %s
// RUN: inhibitor-opt %s --inhibitor-fhe-cost="json=true output=%t.json" -o /dev/null
// RUN: %python -c "import json, sys; r = json.load(open(sys.argv[1])); f = r['functions'][0]; t = f['total']; assert (f['name'], t['pbs'], t['pbs_by_bits'], t['ct_ct_mul'], t['additions'], t['pbs_depth'], t['max_bits']) == ('causal', 24, {'9': 12, '11': 12}, 0, 36, 2, 11), f; assert f['ops'][0]['pbs_by_kind'] == {'abs': {'9': 12}, 'relu': {'11': 12}}; assert abs(t['seconds'] - (12 * 0.8733 + 12 * 6.552)) / t['seconds'] < 0.01, t['seconds']; assert abs(t['path_seconds'] - (0.8733 + 6.552)) < 0.01, t['path_seconds']; assert t['lookups_over_16_bits'] == 0" %t.json

// The causal case of fhe-cost-inhibitor.mlir as JSON (12 abs at 9 bits, 12
// relu at 11 bits; Concrete: 9 bits 0.8733 s, 11 bits 6.552 s; the longest
// path holds one of each).
// CHECK: "activation_bits": 8,
// CHECK: "functions": [
// CHECK: "name": "causal",
// CHECK: "ops": [
// CHECK: "additions": 36,
// CHECK: "ct_clear_mul": 0,
// CHECK: "ct_ct_mul": 0,
// CHECK: "loc": "{{.*}}fhe-cost-json.mlir:{{[0-9]+}}:{{[0-9]+}}",
// CHECK: "max_bits": 11,
// CHECK: "mul_depth": 0,
// CHECK: "op": "inhibitor.attention",
// CHECK: "pbs": 24,
// CHECK: "pbs_by_bits": {
// CHECK-NEXT: "11": 12,
// CHECK-NEXT: "9": 12
// CHECK: "pbs_depth": 2,
// CHECK: "total": {
// CHECK: "input_bits": 0,
// CHECK: "model": "concrete",
// CHECK: "round_to_bits": 0,
// CHECK: "unsigned_inputs": false
func.func @causal(%q: tensor<3x2xi8>, %k: tensor<3x2xi8>, %v: tensor<3x2xi8>,
                  %h0: tensor<3x2xi16>) -> tensor<3x2xi16> {
  %h = inhibitor.attention causal ins(%q, %k, %v : tensor<3x2xi8>, tensor<3x2xi8>, tensor<3x2xi8>)
         outs(%h0 : tensor<3x2xi16>) -> tensor<3x2xi16>
  return %h : tensor<3x2xi16>
}
