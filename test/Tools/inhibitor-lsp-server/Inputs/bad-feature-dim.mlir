// Q has D = 64 columns, K has 32: the verifier of inhibitor.attention
// rejects the op (read by lsp-framing.test through a real LSP client).
func.func @attend(%q: tensor<16x64xi8>, %k: tensor<32x32xi8>,
                  %v: tensor<32x8xi16>, %init: tensor<16x8xi32>) -> tensor<16x8xi32> {
  %h = inhibitor.attention ins(%q, %k, %v : tensor<16x64xi8>, tensor<32x32xi8>, tensor<32x8xi16>)
         outs(%init : tensor<16x8xi32>) -> tensor<16x8xi32>
  return %h : tensor<16x8xi32>
}
