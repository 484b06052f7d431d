"""inhibitor.nn: the PyTorch mechanism against the NumPy reference, the
InhibitorAttention module's two paths (PyTorch autograd vs the compiled
kernel) against each other, gradients, training, and argument errors.
Skipped when PyTorch is not installed; the kernel tests are skipped when
libInhibitorCAPI.so is not built."""

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch (Debian's python3-torch) is not installed")

import inhibitor  # noqa: E402
from inhibitor import reference as ref  # noqa: E402
from inhibitor.nn import InhibitorAttention, inhibitor_attention  # noqa: E402

try:
    inhibitor.library_path()
    HAVE_LIB = True
    NO_LIB = ""
except inhibitor.LibraryNotFound as e:
    HAVE_LIB = False
    NO_LIB = str(e)

needs_kernel = pytest.mark.skipif(not HAVE_LIB, reason=NO_LIB or "library found")


def rand(gen, *shape, dtype=torch.float64):
    return torch.randn(*shape, generator=gen, dtype=dtype)


@pytest.mark.parametrize("signed", [False, True])
@pytest.mark.parametrize("masking", ["none", "mask", "causal", "both"])
def test_mechanism_matches_reference(signed, masking):
    gen = torch.Generator().manual_seed(7)
    q, k, v = rand(gen, 2, 3, 5, 4), rand(gen, 2, 3, 6, 4), rand(gen, 2, 3, 6, 7)
    mask = None
    if masking in ("mask", "both"):
        mask = torch.rand(2, 1, 5, 6, generator=gen) < 0.6
        mask[0, 0, 2, :] = False  # a row with no attended key gives 0
    causal = masking in ("causal", "both")
    got = inhibitor_attention(q, k, v, gamma=1.5, alpha=0.25, signed=signed, attn_mask=mask,
                              is_causal=causal)
    want = ref.attention(q.numpy(), k.numpy(), v.numpy(), gamma=1.5, alpha=0.25, signed=signed,
                         mask=None if mask is None else mask.numpy(), causal=causal)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12, atol=1e-12)
    if masking in ("mask", "both"):
        assert torch.all(got[0, :, 2] == 0)


def test_mechanism_key_chunk_is_invisible():
    gen = torch.Generator().manual_seed(3)
    q, k, v = rand(gen, 4, 8), rand(gen, 13, 8), rand(gen, 13, 5)
    whole = inhibitor_attention(q, k, v, gamma=2.0, signed=True)
    for chunk in (1, 4, 13, 100):
        np.testing.assert_allclose(
            inhibitor_attention(q, k, v, gamma=2.0, signed=True, key_chunk=chunk).numpy(),
            whole.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("signed", [False, True])
def test_mechanism_gradcheck(signed):
    gen = torch.Generator().manual_seed(11)
    q, k, v = (rand(gen, 1, 3, 4), rand(gen, 1, 5, 4), rand(gen, 1, 5, 3))
    for t in (q, k, v):
        t.requires_grad_(True)
    mask = torch.tensor([[True, True, False, True, True]])
    assert torch.autograd.gradcheck(
        lambda a, b, c: inhibitor_attention(a, b, c, gamma=0.5, alpha=0.1, signed=signed,
                                            attn_mask=mask), (q, k, v))


@needs_kernel
@pytest.mark.parametrize("signed", [False, True])
@pytest.mark.parametrize("masking", ["none", "mask", "causal"])
def test_module_kernel_path_agrees_with_torch_path(signed, masking):
    torch.manual_seed(0)
    layer = InhibitorAttention(32, num_heads=4, signed=signed, alpha=0.5).eval()
    x = torch.randn(2, 9, 32)
    mem = torch.randn(2, 11, 32)
    mask = torch.rand(2, 9, 11) < 0.7 if masking == "mask" else None
    causal = masking == "causal"
    with torch.no_grad():
        got = layer(x, mem, mem, attn_mask=mask, is_causal=causal)
        assert layer.last_path == "kernel"
        layer.kernel = "never"
        want = layer(x, mem, mem, attn_mask=mask, is_causal=causal)
        assert layer.last_path == "torch"
    assert got.shape == want.shape == (2, 9, 32)
    scale = float(want.abs().max())
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-5, atol=1e-5 * scale)


@needs_kernel
def test_module_auto_picks_the_path():
    torch.manual_seed(1)
    layer = InhibitorAttention(16, num_heads=2)
    x = torch.randn(1, 5, 16)
    out = layer(x)                       # training: parameters require grad
    assert layer.last_path == "torch"
    out.sum().backward()
    assert layer.q_proj.weight.grad is not None
    with torch.no_grad():
        layer(x)
    assert layer.last_path == "kernel"
    layer.eval().requires_grad_(False)   # nothing requires grad: no no_grad() needed
    layer(x)
    assert layer.last_path == "kernel"
    layer64 = InhibitorAttention(16, num_heads=2, dtype=torch.float64)
    with torch.no_grad():
        layer64(x.double())              # float64: the kernel path takes float32
    assert layer64.last_path == "torch"


@needs_kernel
def test_module_kernel_always_refuses_gradients():
    layer = InhibitorAttention(8, kernel="always")
    with pytest.raises(RuntimeError, match="gradient is required"):
        layer(torch.randn(1, 3, 8))
    with torch.no_grad():
        assert layer(torch.randn(1, 3, 8)).shape == (1, 3, 8)


def test_module_distills_a_target():
    """A few Adam steps on the PyTorch path reduce the distillation loss."""
    torch.manual_seed(2)
    teacher = torch.nn.MultiheadAttention(16, 2, batch_first=True)
    student = InhibitorAttention(16, num_heads=2, kernel="never")
    opt = torch.optim.Adam(student.parameters(), lr=1e-2)
    x = torch.randn(8, 6, 16)
    with torch.no_grad():
        target = teacher(x, x, x, need_weights=False)[0]
    losses = []
    for _ in range(60):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(student(x), target)
        loss.backward()
        opt.step()
        losses.append(float(loss))
    assert losses[-1] < 0.5 * losses[0]


def test_errors_are_clear():
    layer = InhibitorAttention(8, num_heads=2)
    with pytest.raises(ValueError, match=r"expected \[B, L, 8\]"):
        layer(torch.randn(1, 3, 7))
    with pytest.raises(ValueError, match="disagree"):
        layer(torch.randn(1, 3, 8), torch.randn(1, 4, 8), torch.randn(1, 5, 8))
    with pytest.raises(ValueError, match="does not broadcast"):
        layer(torch.randn(1, 3, 8), attn_mask=torch.ones(1, 4, 3, dtype=torch.bool))
    with pytest.raises(TypeError, match="bool tensor"):
        layer(torch.randn(1, 3, 8), attn_mask=torch.ones(1, 3, 3))
    with pytest.raises(ValueError, match="multiple of"):
        InhibitorAttention(10, num_heads=4)
    with pytest.raises(ValueError, match="gamma"):
        InhibitorAttention(8, gamma=0)
    with pytest.raises(ValueError, match="kernel must be"):
        InhibitorAttention(8, kernel="sometimes")
    with pytest.raises(ValueError, match="disagree on D"):
        inhibitor_attention(torch.randn(2, 3), torch.randn(4, 5), torch.randn(4, 2))
    with pytest.raises(TypeError, match="floating-point"):
        inhibitor_attention(torch.ones(2, 3, dtype=torch.int32), torch.ones(4, 3, dtype=torch.int32),
                            torch.ones(4, 2, dtype=torch.int32))


@needs_kernel
def test_docs_python_md_example_runs():
    """The PyTorch example of docs/Python.md, as written there."""
    import os
    import re
    doc = open(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "docs",
                            "Python.md")).read()
    section = doc[doc.index("## PyTorch"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    scope = {}
    exec(compile(code, "docs/Python.md", "exec"), scope)
    assert scope["h"].shape == (4, 5, 3)
    assert scope["y"].shape == (2, 100, 64)
