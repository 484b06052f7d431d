"""InhibitorAttention trains out of the box: its initialization and gamma
default leave the inhibition's ReLUs on (gradients reach Q and K), and a
small model learns a task that needs attention on every seed tried.

The task: 6 tokens, each a one-hot symbol (4 symbols) and a flag channel set
on one token; the label is the flagged token's symbol. Mean pooling of
linear embeddings cannot tell which symbol is flagged, so the model must
attend from every token to the flagged one. Chance is 25%.
"""

import math

import pytest

torch = pytest.importorskip("torch", reason="PyTorch (Debian's python3-torch) is not installed")

from inhibitor.nn import InhibitorAttention  # noqa: E402


def flagged_symbol_batch(n, gen):
    sym = torch.randint(0, 4, (n, 6), generator=gen)
    pos = torch.randint(0, 6, (n,), generator=gen)
    x = torch.nn.functional.one_hot(sym, 4).float()
    flag = torch.nn.functional.one_hot(pos, 6).float().unsqueeze(-1)
    return torch.cat([x, flag], -1), sym[torch.arange(n), pos]


def train(seed, steps=150, make_attention=None):
    """(mean loss of the first 10 steps, of the last 10, test accuracy)."""
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(100 + seed)
    emb, norm = torch.nn.Linear(5, 16), torch.nn.LayerNorm(16)
    attn = (make_attention or (lambda: InhibitorAttention(16, num_heads=2, kernel="never")))()
    head = torch.nn.Linear(16, 4)
    model = torch.nn.ModuleList([emb, norm, attn, head])
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)

    def forward(x):
        return head(attn(norm(emb(x))).mean(1))

    losses = []
    for _ in range(steps):
        x, y = flagged_symbol_batch(64, gen)
        loss = torch.nn.functional.cross_entropy(forward(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    x, y = flagged_symbol_batch(512, gen)
    with torch.no_grad():
        acc = (forward(x).argmax(1) == y).float().mean().item()
    return sum(losses[:10]) / 10, sum(losses[-10:]) / 10, acc


def test_defaults():
    layer = InhibitorAttention(32, num_heads=4)
    assert layer.gamma == 8.0 and layer.alpha == 0.0 and layer.signed
    for proj in (layer.q_proj, layer.k_proj):
        assert proj.weight.abs().max() <= 0.04 + 1e-7           # truncated at 2 std
        assert 0.012 < proj.weight.std().item() < 0.022          # ~0.02 (truncation narrows it)
    for proj in (layer.q_proj, layer.k_proj, layer.v_proj, layer.out_proj):
        assert torch.count_nonzero(proj.bias) == 0
    bound = math.sqrt(6.0 / 64)                                  # Xavier-uniform, fan 32 + 32
    assert layer.v_proj.weight.abs().max() <= bound
    assert layer.v_proj.weight.std().item() > 0.5 * bound / math.sqrt(3)


def test_relus_on_at_initialization():
    """On LayerNorm'd input most inhibition terms pass (|V| > Z) at init,
    so gradients reach the Q and K projections."""
    torch.manual_seed(0)
    layer = InhibitorAttention(32, num_heads=2, kernel="never")
    x = torch.nn.functional.layer_norm(torch.randn(8, 10, 32), (32,))
    with torch.no_grad():
        q, k, v = (layer._split(p(x)) for p in (layer.q_proj, layer.k_proj, layer.v_proj))
        z = torch.cdist(q, k, p=1) / layer.gamma                 # [B, H, N, M]
        passing = (v.abs().unsqueeze(-3) > z.unsqueeze(-1)).float().mean().item()
    assert passing > 0.5, passing
    layer(x).sum().backward()
    assert layer.q_proj.weight.grad.abs().sum() > 0
    assert layer.k_proj.weight.grad.abs().sum() > 0


@pytest.mark.parametrize("seed", range(5))
def test_module_trains_across_seeds(seed):
    first, last, acc = train(seed)
    assert last < 0.5 * first, (first, last)
    assert acc > 0.9, acc                                        # chance: 0.25


def test_old_defaults_stay_at_chance_on_some_seeds():
    """What the defaults fix: PyTorch's Linear init with gamma = sqrt(head_dim)
    leaves this model at chance on some of the same seeds."""
    def old():
        layer = InhibitorAttention(16, num_heads=2, gamma=math.sqrt(8), kernel="never")
        for proj in (layer.q_proj, layer.k_proj, layer.v_proj, layer.out_proj):
            proj.reset_parameters()                              # torch.nn.Linear's own init
        return layer
    accs = [train(seed, make_attention=old)[2] for seed in range(5)]
    assert sum(a < 0.4 for a in accs) >= 2, accs
