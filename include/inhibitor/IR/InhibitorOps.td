//===- InhibitorOps.td - Inhibitor op definitions ----------*- tablegen -*-===//

#ifndef INHIBITOR_IR_INHIBITOROPS_TD
#define INHIBITOR_IR_INHIBITOROPS_TD

include "inhibitor/IR/InhibitorDialect.td"
include "mlir/Dialect/Linalg/IR/LinalgInterfaces.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/InferIntRangeInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/TilingInterface.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

// SPEC section 2: signless integers (read as two's complement) and floats.
// i64 is accepted as an accumulator (and input) for users who need the range.
def Inhibitor_ElementType
    : AnyTypeOf<[I8, I16, I32, I64, F16, BF16, F32, F64],
                "i8, i16, i32, i64, f16, bf16, f32 or f64">;
def Inhibitor_Tensor : RankedTensorOf<[Inhibitor_ElementType]>;
def Inhibitor_MaskTensor : RankedTensorOf<[I1]>;

// `gamma` and `alpha` are typed constants of the accumulator element type:
// an IntegerAttr for an integer accumulator, a FloatAttr for a float one.
// Absent means the default (gamma = 1, alpha = 0).
def Inhibitor_ConstantAttr : OptionalAttr<TypedAttrInterface>;

class Inhibitor_DpsOp<string mnemonic, list<Trait> traits = []>
    : Inhibitor_Op<mnemonic, !listconcat(traits, [
        Pure, DestinationStyleOpInterface,
        DeclareOpInterfaceMethods<InferIntRangeInterface, ["inferResultRanges"]>,
        // lib/IR/TilingInterfaceImpl.cpp, docs/Tiling.md
        DeclareOpInterfaceMethods<TilingInterface, [
          "getLoopIteratorTypes", "getIterationDomain", "getTiledImplementation",
          "getResultTilePosition", "getIterationDomainTileFromResultTile",
          "generateResultTileValue"]>])> {
  let results = (outs Inhibitor_Tensor:$result);
  let hasVerifier = 1;

  code commonExtraClassDeclaration = [{
    /// The accumulator element type (the result's element type).
    ::mlir::Type getAccumulatorType() {
      return getResult().getType().getElementType();
    }
    /// Number of leading batch dims.
    int64_t getNumBatchDims() { return getResult().getType().getRank() - 2; }
    /// Per batch dim, the head group factor of the key/value side (see
    /// `mlir::inhibitor::getHeadGroups`): 1 where K/V has Q's heads, g where
    /// each K/V head serves g query heads, ShapedType::kDynamic where a K/V
    /// dim of size 1 broadcasts against a dynamic query dim.
    ::llvm::SmallVector<int64_t> getHeadGroups();
    /// True when some batch dim of K/V is grouped or broadcast.
    bool hasGroupedHeads() {
      return ::llvm::any_of(getHeadGroups(), [](int64_t g) { return g != 1; });
    }
  }];
}

// Extra declarations shared by the ops that carry gamma/alpha.
defvar ScoreParamsDecl = [{
    /// gamma as an APInt / APFloat of the accumulator type (default 1).
    ::mlir::TypedAttr getGammaOrDefault();
    /// alpha as an attribute of the accumulator type (default 0).
    ::mlir::TypedAttr getAlphaOrDefault();
    /// The score shape [b..., N, M] (b... the query's batch dims): static
    /// where any operand or the result knows a size, dynamic otherwise.
    ::llvm::SmallVector<int64_t> getStaticScoreShape();
}];

defvar GroupedHeadsDoc = [{
    Grouped heads (grouped-query and multi-query attention): a batch dim of
    the key/value side may be smaller than the query side's. Per batch dim:
    - a key/value size that is a static 1 broadcasts (multi-query);
    - where both sizes are static and differ, the query size must be a
      multiple of the key/value size: with `Hq` query heads and `Hkv`
      key/value heads, `g = Hq / Hkv` and query head `h` reads key/value head
      `floor(h / g)` (PyTorch's `repeat_interleave` convention);
    - otherwise (either size dynamic) the two sizes must be equal at run time:
      grouping is decided by static sizes only.
}];

//===----------------------------------------------------------------------===//
// manhattan_score
//===----------------------------------------------------------------------===//

def Inhibitor_ManhattanScoreOp : Inhibitor_DpsOp<"manhattan_score"> {
  let summary = "shifted Manhattan-distance score between queries and keys";
  let description = !strconcat([{
    Computes the score matrix of the Inhibitor (paper eq. 3, shifted), with
    an optional additive `bias` B:

    ```
    Z[b..., i, j] = max( (sum_k |Q[b..., i, k] - K[b..., j, k]|) / gamma - alpha - B[b..., i, j], 0 )
    ```

    for `Q: [b..., N, D]`, `K: [b..., M, D]` and `Z: [b..., N, M]`. Q and K
    have the same element type; the result element type is the accumulator.
    It has the same kind (integer or float) as Q/K and is at least as wide.
    Q and K are widened to it first, then every subtraction, absolute value,
    sum and comparison happens in it; integer arithmetic wraps modulo
    2^width. For integers `/` is floor division by the positive integer
    `gamma` (a power of two lowers to an arithmetic shift).

    `gamma` (default 1) and `alpha` (default 0) are constants of the
    accumulator type: `gamma > 0`, `alpha >= 0`.

    `bias` (optional) has the accumulator element type and broadcasts (NumPy
    rules: right-aligned, static size-1 dims broadcast) to `[b..., N, M]`. A
    larger bias lowers the score (it attends more, as an additive mask of
    dot-product attention `softmax(S + B)`). For floats `B = -inf` gives
    `Z = +inf` (the pair is extinguished by the inhibition) and `B = +inf`
    gives `Z = 0`; an integer bias is an ordinary value and the subtraction
    wraps. The order is `((s / gamma) - alpha) - B` with `s` the sum.
  }], GroupedHeadsDoc, [{
    The key (and through it the score) is read at `K[floor(h / g), ...]` for
    a grouped dim; the bias and the result have the query's batch dims.

    The op is destination-style: `outs` names the destination tensor, whose
    contents are ignored.

    Example:

    ```mlir
    %z = inhibitor.manhattan_score {gamma = 8 : i32, alpha = 1 : i32}
           ins(%q, %k : tensor<2x16x64xi8>, tensor<2x32x64xi8>)
           outs(%init : tensor<2x16x32xi32>) -> tensor<2x16x32xi32>
    // 8 query heads, 2 key heads (g = 4), a position bias shared by all heads
    %zb = inhibitor.manhattan_score {gamma = 8.0 : f32}
           ins(%q2, %k2 : tensor<8x16x64xf32>, tensor<2x32x64xf32>)
           bias(%b : tensor<16x32xf32>)
           outs(%init2 : tensor<8x16x32xf32>) -> tensor<8x16x32xf32>
    ```
  }]);

  let arguments = (ins Inhibitor_Tensor:$query, Inhibitor_Tensor:$key,
                       Optional<Inhibitor_Tensor>:$bias,
                       Inhibitor_Tensor:$init,
                       Inhibitor_ConstantAttr:$gamma,
                       Inhibitor_ConstantAttr:$alpha);

  let assemblyFormat = [{
    attr-dict `ins` `(` $query `,` $key `:` type($query) `,` type($key) `)`
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    `outs` `(` $init `:` type($init) `)` `->` type($result)
  }];

  let builders = [
    OpBuilder<(ins "::mlir::Value":$query, "::mlir::Value":$key,
                   "::mlir::Value":$bias, "::mlir::Value":$init,
                   "::mlir::TypedAttr":$gamma, "::mlir::TypedAttr":$alpha)>
  ];

  let extraClassDeclaration = !strconcat(commonExtraClassDeclaration, ScoreParamsDecl, [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
  }]);
}

//===----------------------------------------------------------------------===//
// inhibit
//===----------------------------------------------------------------------===//

defvar KeySplitMethods = DeclareOpInterfaceMethods<PartialReductionOpInterface, [
    "generateInitialTensorForPartialReduction", "tileToPartialReduction",
    "mergeReductions", "getPartialResultTilePosition"]>;

def Inhibitor_InhibitOp : Inhibitor_DpsOp<"inhibit", [KeySplitMethods]> {
  let summary = "ReLU inhibition of values by a score matrix";
  let description = !strconcat([{
    Inhibits the values `V: [b..., M, E]` by the scores `Z: [b..., N, M]`
    (paper eq. 4) into `H: [b..., N, E]`:

    ```
    H[b..., i, e] = sum_j max(V[b..., j, e] - Z[b..., i, j], 0)
    ```

    With `signed` (the `is_signed` unit attribute), the signed form (eq. 5) with
    `x+ = max(x, 0)` and `x- = min(x, 0)`:

    ```
    H[b..., i, e] = sum_j max(V+[j, e] - Z[i, j], 0) + sum_j min(V-[j, e] + Z[i, j], 0)
    ```

    V and Z have the same kind (integer or float); the result element type
    is the accumulator, at least as wide as both, and both are widened to it
    first. Integer arithmetic wraps modulo 2^width.

    The score and the result have the query side's batch dims; the values
    are the key/value side.
  }], GroupedHeadsDoc, [{
    Example:

    ```mlir
    %h = inhibitor.inhibit signed
           ins(%v, %z : tensor<32x64xi16>, tensor<16x32xi32>)
           outs(%init : tensor<16x64xi32>) -> tensor<16x64xi32>
    ```
  }]);

  let arguments = (ins Inhibitor_Tensor:$value, Inhibitor_Tensor:$score,
                       Inhibitor_Tensor:$init, UnitAttr:$is_signed);

  let assemblyFormat = [{
    (`signed` $is_signed^)?
    attr-dict `ins` `(` $value `,` $score `:` type($value) `,` type($score) `)`
    `outs` `(` $init `:` type($init) `)` `->` type($result)
  }];

  let hasCanonicalizer = 1;

  let extraClassDeclaration = !strconcat(commonExtraClassDeclaration, [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
  }]);
}

//===----------------------------------------------------------------------===//
// attention
//===----------------------------------------------------------------------===//

def Inhibitor_AttentionOp : Inhibitor_DpsOp<"attention", [
    DeclareOpInterfaceMethods<AggregatedOpInterface, ["decomposeOperation"]>,
    KeySplitMethods,
    AttrSizedOperandSegments]> {
  let summary = "Inhibitor attention: score and inhibition in one op";
  let description = !strconcat([{
    The composite `H = inhibit(V, manhattan_score(Q, K))` for
    `Q: [b..., N, D]`, `K: [b..., M, D]`, `V: [b..., M, E]` and
    `H: [b..., N, E]`, with the score and the inhibition both computed in the
    result element type (the accumulator), which has the kind of Q, K and V
    and is at least as wide as each. It exists so that a fused lowering and
    the attention rewrite have one op to target; a lowering never
    materializes the `[N, M, D]` broadcast difference.

    Masking: a pair `(i, j)` that is masked out contributes nothing to
    `H[i, :]` (as if `Z[i, j] = +inf`).
    - `mask`: optional `i1` tensor broadcastable (NumPy rules, right-aligned,
      static size-1 dims broadcast) to `[b..., N, M]`; `true` = attend.
    - `causal`: pair `(i, j)` is attended only where `j <= i` (top-left
      aligned, as PyTorch's `is_causal`), or, with the optional `index`
      operand `causal_offset` `d`, where `j <= i + d`: `d = M - N` aligns
      the diagonal bottom-right (FlashAttention's causal with a KV cache,
      PyTorch's `causal_lower_right`: query `i` is at position `M - N + i`
      of the keys), a negative `d` masks more. A row with no attended key
      is 0. The TilingInterface's tiles of a causal op keep `causal` with
      the offset of their first query and key (`d + i0 - j0`), so that a
      tile's lowering runs only the key tiles on or below its diagonal.
      `causal_offset` needs `causal`.

    Additive bias: `bias` (optional, the accumulator element type,
    broadcastable like `mask` to `[b..., N, M]`) is subtracted from the
    score as for `inhibitor.manhattan_score`:
    `Z = max(sum_k |Q - K| / gamma - alpha - B, 0)`. For floats
    `B = -inf` excludes the pair (as a false mask) and `B = +inf` lets V pass
    unchanged; an integer bias is an ordinary value (the `mask` is the way
    to exclude pairs) and the subtraction wraps.
  }], GroupedHeadsDoc, [{
    K and V have the same batch dims; the mask, the bias and the result have
    the query's.

    Prepared keys: `key_tiles` (optional) holds K transposed tile by tile,
    `[b..., ceil(M / T), D, T]` with `T` its static last dim, exactly as
    `linalg.pack %key ... inner_dims_pos = [rank - 2] inner_tiles = [T]`
    makes it (the keys after M in the last tile are padding, never read).
    It does not change the result: it must hold K packed that way (a
    program where it does not is undefined, as with a wrong `in_bounds`),
    and a lowering may read it instead of transposing K itself, so that
    a tile of the op (`TilingInterface`, whose key tiles slice it) reads K
    prepared once per call. `--inhibitor-pack-keys` adds it; rewrites that
    change K drop it.

    Biased keys: `biased_keys` (optional, for `i8` keys) holds K with each
    element biased by 128, `x xor 0x80` (K's values as unsigned bytes,
    `x + 128`), in K's shape. It does not change the result either (it
    must hold exactly that); the i8 byte score (x86 `psadbw`, which sums
    absolute differences of unsigned bytes) reads it instead of biasing
    K itself, so that the tiles of the op, whose key tiles slice it as
    they slice K, read K biased once per call, and a KV cache can be kept
    biased. `--inhibitor-pack-keys` adds it to ops with `i8` keys and an
    integer accumulator of 16 bits or more (the byte score's domain);
    rewrites that change K drop it.

    Narrow partial sums: `narrow_sums = T` (optional, an `i64` > 0) promises
    that the data keep every sum over up to `T` keys exact in 16 bits:
    `D * (max|Q| + max|K|) <= 32767` and `T * max|V| <= 32767`. It needs
    integer Q, K and V of at most 16 bits, an integer accumulator wider
    than 16 bits and no bias. It does not change the result (a program
    where it does not hold is undefined); the CPU lowering then computes
    each key tile of up to `T` keys in i16 and widens its sum once, without
    the run-time check on the data it makes otherwise.
    `--inhibitor-version-narrow-sums` adds it under that check made once,
    before the op is tiled (docs/Lowering.md); rewrites that change the
    data drop it.

    Exact differences: `exact_differences` (optional, a unit attribute)
    promises that no `q - k` of the integer data wraps in their type:
    `max|Q| + max|K|` is at most its signed maximum (32767 for `i16`). It
    needs integer Q and K. It does not change the result (a program where
    it does not hold is undefined); the CPU lowering of `i16` data under
    an `i16` accumulator then computes the score as `sum q + sum k - 2 sum
    min(q, k)`, the same bits as the wrapped `|q - k|` summed, without the
    run-time check it makes otherwise (docs/Lowering.md).
    `--inhibitor-version-narrow-sums` adds it under that check made once,
    before the op is tiled, and `--inhibitor-narrow-accumulators` where
    its bounds prove it; rewrites that change the data drop it.

    Attributes: `gamma` (default 1) and `alpha` (default 0) as for
    `inhibitor.manhattan_score`; `signed` (the `is_signed` unit attribute)
    as for `inhibitor.inhibit`; `causal` (a unit attribute).

    Without a mask and without `causal` (a bias and grouped heads are
    fine), `--inhibitor-decompose` (through the op's
    `AggregatedOpInterface`) splits it into its two parts; the canonicalizer
    folds the two parts back.

    Example:

    ```mlir
    %h = inhibitor.attention causal signed {gamma = 8 : i32}
           ins(%q, %k, %v : tensor<8x128x64xi16>, tensor<8x128x64xi16>,
                            tensor<8x128x64xi16>)
           mask(%m : tensor<128x128xi1>)
           outs(%init : tensor<8x128x64xi32>) -> tensor<8x128x64xi32>
    // grouped-query attention: 8 query heads, 2 key/value heads, a bias
    %g = inhibitor.attention {gamma = 8.0 : f32}
           ins(%q2, %k2, %v2 : tensor<8x128x64xf32>, tensor<2x128x64xf32>,
                               tensor<2x128x64xf32>)
           bias(%b : tensor<8x128x128xf32>)
           outs(%init2 : tensor<8x128x64xf32>) -> tensor<8x128x64xf32>
    ```
  }]);

  let arguments = (ins Inhibitor_Tensor:$query, Inhibitor_Tensor:$key,
                       Inhibitor_Tensor:$value,
                       Optional<Inhibitor_MaskTensor>:$mask,
                       Optional<Inhibitor_Tensor>:$bias,
                       Optional<Inhibitor_Tensor>:$key_tiles,
                       Optional<Inhibitor_Tensor>:$biased_keys,
                       Optional<Index>:$causal_offset,
                       Inhibitor_Tensor:$init,
                       Inhibitor_ConstantAttr:$gamma,
                       Inhibitor_ConstantAttr:$alpha,
                       UnitAttr:$causal, UnitAttr:$is_signed,
                       OptionalAttr<I64Attr>:$narrow_sums,
                       UnitAttr:$exact_differences);

  let assemblyFormat = [{
    (`causal` $causal^)? (`signed` $is_signed^)?
    attr-dict `ins` `(` $query `,` $key `,` $value `:` type($query) `,`
    type($key) `,` type($value) `)`
    (`mask` `(` $mask^ `:` type($mask) `)`)?
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    (`key_tiles` `(` $key_tiles^ `:` type($key_tiles) `)`)?
    (`biased_keys` `(` $biased_keys^ `:` type($biased_keys) `)`)?
    (`causal_offset` `(` $causal_offset^ `)`)?
    `outs` `(` $init `:` type($init) `)` `->` type($result)
  }];

  let builders = [
    OpBuilder<(ins "::mlir::Value":$query, "::mlir::Value":$key,
                   "::mlir::Value":$value, "::mlir::Value":$mask,
                   "::mlir::Value":$init, "::mlir::TypedAttr":$gamma,
                   "::mlir::TypedAttr":$alpha, "bool":$isSigned,
                   "bool":$causal)>,
    OpBuilder<(ins "::mlir::Value":$query, "::mlir::Value":$key,
                   "::mlir::Value":$value, "::mlir::Value":$mask,
                   "::mlir::Value":$bias, "::mlir::Value":$init,
                   "::mlir::TypedAttr":$gamma, "::mlir::TypedAttr":$alpha,
                   "bool":$isSigned, "bool":$causal)>
  ];

  let extraClassDeclaration = !strconcat(commonExtraClassDeclaration, ScoreParamsDecl, [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
    /// True when a pair (i, j) can be masked out (a mask operand or causal).
    bool isMasked() { return getMask() || getCausal(); }
    /// The causal diagonal offset `d` (pairs j <= i + d): 0 without
    /// `causal_offset`, its value where it is a constant, none where it is
    /// only known at run time.
    std::optional<int64_t> getConstantCausalOffset();
    /// The keys per tile of `key_tiles` (its static last dim); 0 without.
    int64_t getKeyTileSize();
    ::mlir::LogicalResult verifyKeyTiles();
    ::mlir::LogicalResult verifyBiasedKeys();
    ::mlir::LogicalResult verifyNarrowSums();
    ::mlir::LogicalResult verifyExactDifferences();
    /// Sizes of the score matrix [b..., N, M]: static where any operand or
    /// the result knows them, `tensor.dim` of query/key otherwise.
    ::llvm::SmallVector<::mlir::OpFoldResult>
    getMixedScoreSizes(::mlir::OpBuilder &b);
  }]);
}

#endif // INHIBITOR_IR_INHIBITOROPS_TD
