"""Step-by-step comparison of report 001's RNN classifier in rnnlab and in PyTorch (issue 7).

rnnlab.bench.RnnStepDump (lib-src/bench) writes the initial weights of
Classifiers.rowSequenceClassifier(RNN, 32, 128, 2, dropout 0, 10), the first mini-batches of MNIST
rows, the step-0 gradient, the weights after steps 1-3 and every step's loss. This script loads the
same weights into torch.nn.RNN(32, 128, num_layers=2, batch_first=True) -> last step -> Linear(128,
10) (DL4J's single bias goes to bias_ih, bias_hh starts at zero and is trained, as torch trains it),
trains on the same batches with CrossEntropyLoss and torch.optim.Adam(lr=1e-3) and prints, per
parameter, the relative difference of the step-0 gradients (rnnlab's summed gradient / 64) and of
the first three updates, then both losses per step.

Options: --dl4j-adam replaces torch.optim.Adam by DL4J's (and Keras's) formulation, which adds
epsilon before the bias correction; --one-bias freezes bias_hh (DL4J's single bias, as rnnlab trained
it before the bias fix). With --dl4j-adam the two sides agree to ~1e-7 for ~120 steps, after which
float32 rounding differences grow chaotically (the RNN's training is sensitive at that point).

Usage: /usr/bin/python3 torch_rnn_steps.py DUMP_DIR [steps] [--dl4j-adam] [--one-bias]
Needs Debian's python3-torch; not a test.
"""
import sys

import numpy as np
import torch
import torch.nn as nn

H, I, C, B = 128, 32, 10, 64
SHAPES = {"0_W": (I, H), "0_RW": (H, H), "0_b": (H,), "1_W": (H, H), "1_RW": (H, H), "1_b": (H,),
          "2_W": (H, C), "2_b": (C,)}


class Dl4jAdam:
    """DL4J's AdamUpdater: alpha_t = lr * sqrt(1 - b2^t) / (1 - b1^t); p -= alpha_t * m / (sqrt(v) + eps)."""

    def __init__(self, params, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8):
        self.params, self.lr, self.b1, self.b2, self.eps, self.t = params, lr, b1, b2, eps, 0
        self.m = [torch.zeros_like(p) for p in params]
        self.v = [torch.zeros_like(p) for p in params]

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        self.t += 1
        a = self.lr * (1 - self.b2 ** self.t) ** 0.5 / (1 - self.b1 ** self.t)
        for p, m, v in zip(self.params, self.m, self.v):
            m.mul_(self.b1).add_(p.grad, alpha=1 - self.b1)
            v.mul_(self.b2).addcmul_(p.grad, p.grad, value=1 - self.b2)
            p.sub_(a * m / (v.sqrt() + self.eps))


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(I, H, num_layers=2, batch_first=True)
        self.fc = nn.Linear(H, C)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out[:, -1, :])


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    d = args[0]
    steps = int(args[1]) if len(args) > 1 else 200
    torch.set_num_threads(1)

    def f32(name, shape):
        return torch.from_numpy(np.fromfile(f"{d}/{name}.f32", dtype="<f4").reshape(shape).copy())

    x = torch.from_numpy(np.fromfile(f"{d}/x.f32", dtype="<f4").reshape(-1, I, 32).transpose(0, 2, 1).copy())
    y = torch.from_numpy(np.fromfile(f"{d}/y.f32", dtype="<f4").astype(np.int64))
    java_losses = [float(v) for v in open(f"{d}/java_losses.txt")]
    m = Classifier()
    with torch.no_grad():
        for layer, n_in in enumerate([I, H]):
            getattr(m.rnn, f"weight_ih_l{layer}").copy_(f32(f"p0_{layer}_W", (n_in, H)).T)
            getattr(m.rnn, f"weight_hh_l{layer}").copy_(f32(f"p0_{layer}_RW", (H, H)).T)
            getattr(m.rnn, f"bias_ih_l{layer}").copy_(f32(f"p0_{layer}_b", (H,)))
            getattr(m.rnn, f"bias_hh_l{layer}").zero_()
        m.fc.weight.copy_(f32("p0_2_W", (H, C)).T)
        m.fc.bias.copy_(f32("p0_2_b", (C,)))
    if "--one-bias" in sys.argv:
        for layer in range(2):
            getattr(m.rnn, f"bias_hh_l{layer}").requires_grad_(False)
    params = [p for p in m.parameters() if p.requires_grad]
    opt = Dl4jAdam(params) if "--dl4j-adam" in sys.argv else torch.optim.Adam(params, lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def dl4j_view():
        r = m.rnn
        return {"0_W": r.weight_ih_l0.detach().T, "0_RW": r.weight_hh_l0.detach().T,
                "0_b": (r.bias_ih_l0 + r.bias_hh_l0).detach(),
                "1_W": r.weight_ih_l1.detach().T, "1_RW": r.weight_hh_l1.detach().T,
                "1_b": (r.bias_ih_l1 + r.bias_hh_l1).detach(),
                "2_W": m.fc.weight.detach().T, "2_b": m.fc.bias.detach()}

    def rel(a, b):
        return (a - b).norm().item() / max(b.norm().item(), 1e-30)

    prev = {k: v.clone() for k, v in dl4j_view().items()}
    for s in range(steps):
        out = m(x[s * B:(s + 1) * B])
        loss = loss_fn(out, y[s * B:(s + 1) * B])
        opt.zero_grad()
        loss.backward()
        if s == 0:
            r = m.rnn
            grads = {"0_W": r.weight_ih_l0.grad.T, "0_RW": r.weight_hh_l0.grad.T, "0_b": r.bias_ih_l0.grad,
                     "1_W": r.weight_ih_l1.grad.T, "1_RW": r.weight_hh_l1.grad.T, "1_b": r.bias_ih_l1.grad,
                     "2_W": m.fc.weight.grad.T, "2_b": m.fc.bias.grad}
            for k, g in grads.items():
                print(f"step 0 gradient {k:5s}: relative difference {rel(f32(f'g0_{k}', SHAPES[k]) / B, g):.1e}")
        opt.step()
        if s < 3:
            now = dl4j_view()
            for k in now:
                tu = now[k] - prev[k]
                ju = f32(f"p{s + 1}_{k}", SHAPES[k]) - f32(f"p{s}_{k}", SHAPES[k])
                print(f"step {s} update {k:5s}: relative difference {rel(ju, tu):.1e}  "
                      f"|torch| {tu.norm().item():.4e}  |rnnlab| {ju.norm().item():.4e}")
            prev = {k: v.clone() for k, v in now.items()}
        if s < 10 or s % 20 == 0 or s == steps - 1:
            print(f"step {s:4d} loss torch {loss.item():.6f} rnnlab {java_losses[s]:.6f}  "
                  f"relative {abs(loss.item() - java_losses[s]) / loss.item():.1e}")


if __name__ == "__main__":
    main()
