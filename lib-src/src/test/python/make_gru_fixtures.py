#!/usr/bin/python3
"""Reference values for rnnlab.nn from PyTorch (run once with the system interpreter:
/usr/bin/python3 lib-src/src/test/python/make_gru_fixtures.py, from the project root).

Writes to lib-src/src/test/resources/rnnlab/nn/:
  torch_gru.json, torch_lstm.json, torch_rnn.json -- a one-layer torch.nn.{GRU,LSTM,RNN}
      (batch_first=True, float64) with seeded weights, a seeded input x [B, T, I], a seeded weight
      tensor C [B, T, H]; forward output `out` = layer(x) [B, T, H] and the gradients of
      loss = sum(out * C) w.r.t. x and every weight (torch names, torch shapes).
  torch_param_counts.json -- sum(p.numel()) of the report-001 networks as torch builds them.
"""
import json
import os

import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "rnnlab", "nn")
B, T, I, H = 2, 5, 3, 4


def tolist(t):
    return t.detach().cpu().double().tolist()


def fixture(name, layer, seed):
    torch.manual_seed(seed)
    layer = layer.double()
    with torch.no_grad():
        for p in layer.parameters():
            p.uniform_(-0.5, 0.5)
    x = torch.randn(B, T, I, dtype=torch.float64, requires_grad=True)
    c = torch.randn(B, T, H, dtype=torch.float64)
    out, _ = layer(x)
    loss = (out * c).sum()
    loss.backward()
    data = {
        "torch_version": torch.__version__,
        "batch": B, "time": T, "input": I, "hidden": H,
        "x": tolist(x), "c": tolist(c), "out": tolist(out), "loss": loss.item(),
        "grad_x": tolist(x.grad),
        "params": {n: tolist(p) for n, p in layer.named_parameters()},
        "grads": {n: tolist(p.grad) for n, p in layer.named_parameters()},
    }
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(data, f)
    print(name, "loss", loss.item())


class LeNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, kernel_size=5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, kernel_size=5)
        self.fc1 = nn.Linear(16 * 6 * 6, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, num_classes)


class RowClassifier(nn.Module):
    def __init__(self, cell, input_size=32, hidden_size=128, num_layers=2, num_classes=10):
        super().__init__()
        self.rnn = cell(input_size, hidden_size, num_layers=num_layers, batch_first=True,
                        dropout=0.3 if num_layers > 1 else 0)
        self.fc = nn.Linear(hidden_size, num_classes)


class TextClassifier(nn.Module):
    def __init__(self, cell, vocab, emb, hidden, out, n_layers, bidirectional, dropout):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb, padding_idx=0)
        self.rnn = cell(emb, hidden, num_layers=n_layers, bidirectional=bidirectional,
                        dropout=dropout if n_layers > 1 else 0, batch_first=True)
        self.fc = nn.Linear(hidden * 2 if bidirectional else hidden, out)
        self.dropout = nn.Dropout(dropout)


def count(m):
    return sum(p.numel() for p in m.parameters())


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    fixture("torch_gru.json", nn.GRU(I, H, batch_first=True), 1)
    fixture("torch_lstm.json", nn.LSTM(I, H, batch_first=True), 2)
    fixture("torch_rnn.json", nn.RNN(I, H, batch_first=True), 3)
    counts = {
        "lenet5": count(LeNet()),
        "rnn_rows_32_128_2_10": count(RowClassifier(nn.RNN)),
        "lstm_rows_32_128_2_10": count(RowClassifier(nn.LSTM)),
        "gru_rows_32_128_2_10": count(RowClassifier(nn.GRU)),
        # text classifiers: vocab 1000, embedding 100, hidden 256, 2 layers, 1 output
        "lstm_text_1000_100_256_2_bi": count(TextClassifier(nn.LSTM, 1000, 100, 256, 1, 2, True, 0.5)),
        "rnn_text_1000_100_256_2_bi": count(TextClassifier(nn.RNN, 1000, 100, 256, 1, 2, True, 0.5)),
        "lstm_text_1000_100_256_2_uni": count(TextClassifier(nn.LSTM, 1000, 100, 256, 1, 2, False, 0.5)),
        "rnn_text_1000_100_256_2_uni": count(TextClassifier(nn.RNN, 1000, 100, 256, 1, 2, False, 0.5)),
    }
    with open(os.path.join(OUT, "torch_param_counts.json"), "w") as f:
        json.dump(counts, f, indent=1)
    print(json.dumps(counts, indent=1))
