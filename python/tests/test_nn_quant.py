"""inhibitor.nn integer inference: calibrate, quantize, the int8/int16 kernel
path of InhibitorAttention against the NumPy mirror (bit-exact) and against
its float self (within the --inhibitor-quantize error bound), models with
several attention layers, switching back, errors, and the example of
docs/Quantization.md as written there."""

import os
import re

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch (Debian's python3-torch) is not installed")

import inhibitor  # noqa: E402
import inhibitor.nn as inn  # noqa: E402
from inhibitor import quantize as iq  # noqa: E402

try:
    inhibitor.library_path()
    NO_LIB = ""
except inhibitor.LibraryNotFound as e:
    NO_LIB = str(e)

needs_kernel = pytest.mark.skipif(bool(NO_LIB), reason=NO_LIB or "library found")


def trained_like_layer(seed, dim=16, heads=2, **kw):
    """A layer with weights of a trained model's magnitude (not the tiny init)."""
    torch.manual_seed(seed)
    layer = inn.InhibitorAttention(dim, num_heads=heads, **kw)
    with torch.no_grad():
        for proj in (layer.q_proj, layer.k_proj, layer.v_proj, layer.out_proj):
            proj.weight.normal_(0, 0.3)
            proj.bias.normal_(0, 0.1)
    return layer.eval()


def split_qkv(layer, x):
    with torch.no_grad():
        return tuple(layer._split(p(x)) for p in (layer.q_proj, layer.k_proj, layer.v_proj))


@needs_kernel
@pytest.mark.parametrize("bits", [8, 16])
@pytest.mark.parametrize("masking", ["none", "causal", "mask"])
def test_integer_path_is_the_quantized_kernel(bits, masking):
    layer = trained_like_layer(1, alpha=0.1)
    gen = torch.Generator().manual_seed(2)
    x = torch.randn(3, 9, 16, generator=gen)
    calib = [torch.randn(4, 9, 16, generator=gen) for _ in range(3)] + [x]  # x: no saturation
    cal = inn.calibrate(layer, calib)
    assert cal[""].batches == 4 and cal[""].qk_absmax > 0 and cal[""].v_absmax > 0
    qz = inn.quantize(layer, bits)[""]
    assert qz.bits == bits and layer.quantization is qz
    mask = torch.rand(3, 9, 9, generator=gen) < 0.7 if masking == "mask" else None
    causal = masking == "causal"
    with torch.no_grad():
        y = layer(x, attn_mask=mask, is_causal=causal)
    assert layer.last_path == f"kernel-int{bits}"

    # Bit-exact: the module's output is out_proj of the NumPy mirror's H.
    q, k, v = split_qkv(layer, x)
    p = qz.parameters(layer.gamma, layer.alpha)
    np_mask = None if mask is None else mask.unsqueeze(1).numpy()
    h = iq.attention(q.numpy(), k.numpy(), v.numpy(), p, signed=layer.signed, mask=np_mask,
                     causal=causal)
    with torch.no_grad():
        want = layer.out_proj(torch.from_numpy(h).transpose(1, 2).reshape(3, 9, 16))
    assert torch.equal(y, want)

    # Within the bound of the float attention (float64 reference).
    h_float = inn.inhibitor_attention(q.double(), k.double(), v.double(), gamma=layer.gamma,
                                      alpha=layer.alpha, signed=layer.signed,
                                      attn_mask=None if mask is None else mask.unsqueeze(1),
                                      is_causal=causal).numpy()
    err = np.abs(h.astype(np.float64) - h_float).max()
    assert err <= p.scale * iq.error_bound(layer.head_dim, 9, p) + 1e-5 * np.abs(h_float).max()
    if bits == 16:   # 16 bits: the whole layer agrees closely with its float self
        layer.quantization, saved = None, layer.quantization
        with torch.no_grad():
            y_float = layer(x, attn_mask=mask, is_causal=causal)
        assert layer.last_path == "kernel"
        assert (y - y_float).abs().max() <= 1e-2 * y_float.abs().max()


@needs_kernel
def test_model_with_several_layers():
    torch.manual_seed(0)
    model = torch.nn.Sequential(trained_like_layer(3), torch.nn.LayerNorm(16),
                                trained_like_layer(4))
    calib = [torch.randn(2, 5, 16) for _ in range(2)]
    cal = inn.calibrate(model, calib)
    assert sorted(cal) == ["0", "2"]
    assert cal["0"] != cal["2"]
    out = inn.quantize(model, 16)
    assert sorted(out) == ["0", "2"] and out["0"].scale != out["2"].scale
    x = torch.randn(2, 5, 16)
    with torch.no_grad():
        y = model(x)
    assert model[0].last_path == model[2].last_path == "kernel-int16"
    inn.quantize(model, None)                         # back to float
    with torch.no_grad():
        y_float = model(x)
    assert model[0].last_path == "kernel"
    assert (y - y_float).abs().max() <= 2e-2 * y_float.abs().max()


@needs_kernel
def test_paths_when_quantized():
    layer = trained_like_layer(5)
    inn.calibrate(layer, [torch.randn(2, 4, 16)])
    inn.quantize(layer, 8)
    x = torch.randn(2, 4, 16, requires_grad=True)
    layer(x).sum().backward()                         # training still runs float autograd
    assert layer.last_path == "torch"
    layer.kernel = "never"
    with torch.no_grad():
        layer(x)
    assert layer.last_path == "torch"
    layer.kernel = "always"
    with pytest.raises(RuntimeError, match="gradient is required"):
        layer(x)
    with torch.no_grad():
        layer(x)
    assert layer.last_path == "kernel-int8"
    # Calibrating again runs the float path and keeps the quantization.
    inn.calibrate(layer, [x.detach()])
    assert layer.quantization is not None and layer.last_path == "torch"


def test_errors():
    with pytest.raises(ValueError, match="holds no InhibitorAttention"):
        inn.calibrate(torch.nn.Linear(2, 2), [torch.randn(1, 2)])
    layer = inn.InhibitorAttention(8)
    with pytest.raises(ValueError, match="not calibrated"):
        inn.quantize(layer, 8)
    with pytest.raises(ValueError, match="no batches"):
        inn.calibrate(layer, [])
    inn.calibrate(layer, [torch.randn(1, 3, 8)])
    with pytest.raises(ValueError, match="bits must be 8 or 16"):
        inn.quantize(layer, 4)
    with pytest.raises(ValueError, match="rounding must be"):
        inn.quantize(layer, 8, rounding="up")
    with pytest.raises(ValueError, match="acc_bits"):
        inn.quantize(layer, 8, acc_bits=24)
    with pytest.raises(ValueError, match="headroom"):
        inn.quantize(layer, 8, headroom=0.5)


def test_headroom_widens_the_steps():
    layer = trained_like_layer(6)
    inn.calibrate(layer, [torch.randn(2, 4, 16)])
    one = inn.quantize(layer, 8)[""]
    two = inn.quantize(layer, 8, headroom=2.0)[""]
    assert two.scale == pytest.approx(2 * one.scale) and two.qk_scale == pytest.approx(2 * one.qk_scale)
    assert "quantized=int8" in repr(layer)


@needs_kernel
def test_docs_example():
    """The example of docs/Quantization.md, as written there."""
    path = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "Quantization.md")
    text = open(path).read()
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    scope = {}
    exec(compile(code, "docs/Quantization.md", "exec"), scope)
