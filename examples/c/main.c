/* Calls the compiled inhibitor attention from C through MLIR's C interface
 * (memref descriptors) and prints H. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define MEMREF2D(T)                                                            \
  struct {                                                                     \
    T *allocated;                                                              \
    T *aligned;                                                                \
    int64_t offset;                                                            \
    int64_t sizes[2];                                                          \
    int64_t strides[2];                                                        \
  }

typedef MEMREF2D(int16_t) MemRefI16;
typedef MEMREF2D(int32_t) MemRefI32;

void _mlir_ciface_inhibitor_attention(MemRefI32 *h, MemRefI16 *q, MemRefI16 *k,
                                      MemRefI16 *v);

static MemRefI16 wrap(int16_t *data, int64_t rows, int64_t cols) {
  MemRefI16 m = {data, data, 0, {rows, cols}, {cols, 1}};
  return m;
}

int main(void) {
  int16_t q[4 * 8], k[6 * 8], v[6 * 4];
  /* Deterministic inputs: small signed values. */
  for (int i = 0; i < 4 * 8; ++i)
    q[i] = (int16_t)((i * 7) % 11 - 5);
  for (int i = 0; i < 6 * 8; ++i)
    k[i] = (int16_t)((i * 5) % 13 - 6);
  for (int i = 0; i < 6 * 4; ++i)
    v[i] = (int16_t)((i * 3) % 17 - 8);
  MemRefI16 mq = wrap(q, 4, 8), mk = wrap(k, 6, 8), mv = wrap(v, 6, 4);
  MemRefI32 h;
  _mlir_ciface_inhibitor_attention(&h, &mq, &mk, &mv);
  for (int i = 0; i < 4; ++i) {
    for (int e = 0; e < 4; ++e)
      printf("%d%s", h.aligned[h.offset + i * h.strides[0] + e * h.strides[1]],
             e == 3 ? "\n" : " ");
  }
  free(h.allocated);
  return 0;
}
