// The template of upstream-linalg-transpose-space.test: SPACE is replaced
// by a character there.
func.func @f(%k: tensor<6x16xf32>, %e: tensor<16x6xf32>) -> tensor<16x6xf32> {
  %t = linalg.transpose ins(%k : tensor<6x16xf32>) outs(%e : tensor<16x6xf32>) permutation = [1,SPACE0]
  return %t : tensor<16x6xf32>
}
