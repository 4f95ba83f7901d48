#!/usr/bin/python3
"""Reference training runs for rnnlab from PyTorch (run once with the system interpreter:
/usr/bin/python3 lib-src/src/test/python/make_training_fixtures.py, from the project root).

Writes lib-src/src/test/resources/rnnlab/nn/torch_row_classifier_training.json: for report 001's
row-sequence classifier (nn.RNN / nn.LSTM(I, H, num_layers=2, batch_first=True) -> last step ->
Linear(H, C)), small and in float64, torch's default initialisation (seeded), a seeded training set
[N, T, I] with class ids and a seeded validation set, then what torch's own loop does: Adam(lr, eps
1e-8), CrossEntropyLoss, fixed batches (no shuffling) for several epochs, the validation loss and
accuracy after every epoch (eval mode, no_grad), the loss of every step, and the final parameters.
rnnlab's Trainer must follow the same trajectory: across epoch boundaries with validation in between
(issue 7: scoring the validation data reset DL4J's Adam state) and with torch's two recurrent biases
(b_ih and b_hh each take an Adam step).
"""
import json
import os

import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "rnnlab", "nn")
I = T = 6          # rnnlab's rowSequenceClassifier takes square inputs: input_size features, input_size steps
H, C, LAYERS = 8, 3, 2
N, NV, BATCH, EPOCHS, LR = 24, 8, 8, 4, 0.01


class RowClassifier(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.rnn = cell(I, H, num_layers=LAYERS, batch_first=True)
        self.fc = nn.Linear(H, C)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out[:, -1, :])


def tolist(t):
    return t.detach().cpu().double().tolist()


def run(cell, seed):
    torch.manual_seed(seed)
    model = RowClassifier(cell).double()
    x = torch.randn(N, T, I, dtype=torch.float64)
    y = torch.randint(0, C, (N,))
    xv = torch.randn(NV, T, I, dtype=torch.float64)
    yv = torch.randint(0, C, (NV,))
    initial = {k: tolist(v) for k, v in model.state_dict().items()}
    opt = torch.optim.Adam(model.parameters(), lr=LR, eps=1e-8)
    loss_fn = nn.CrossEntropyLoss()
    steps, epoch_loss, val_loss, val_acc = [], [], [], []
    for _ in range(EPOCHS):
        model.train()
        total = 0.0
        for i in range(0, N, BATCH):
            loss = loss_fn(model(x[i:i + BATCH]), y[i:i + BATCH])
            opt.zero_grad()
            loss.backward()
            opt.step()
            steps.append(loss.item())
            total += loss.item() * len(y[i:i + BATCH])
        epoch_loss.append(total / N)
        model.eval()
        with torch.no_grad():
            out = model(xv)
            val_loss.append(loss_fn(out, yv).item())
            val_acc.append((out.argmax(1) == yv).double().mean().item())
    return {
        "x": tolist(x), "y": y.tolist(), "x_val": tolist(xv), "y_val": yv.tolist(),
        "initial": initial,
        "step_loss": steps, "loss": epoch_loss, "val_loss": val_loss, "val_accuracy": val_acc,
        "final": {k: tolist(v) for k, v in model.state_dict().items()},
    }


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    data = {
        "torch_version": torch.__version__,
        "input": I, "time": T, "hidden": H, "classes": C, "layers": LAYERS,
        "batch": BATCH, "epochs": EPOCHS, "lr": LR, "eps": 1e-8,
        "rnn": run(nn.RNN, 11),
        "lstm": run(nn.LSTM, 12),
    }
    with open(os.path.join(OUT, "torch_row_classifier_training.json"), "w") as f:
        json.dump(data, f)
    for k in ("rnn", "lstm"):
        print(k, "epoch loss", data[k]["loss"], "val loss", data[k]["val_loss"])
