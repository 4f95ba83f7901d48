"""Report 001 experiment 1's RNNClassifier trained in PyTorch itself, as the report's code does it
(nn.RNN(32, 128, num_layers=2, batch_first=True, dropout=0.3) -> last step -> Linear(128, 10),
Adam 1e-3, CrossEntropyLoss, batch 64, 80/20 random_split, MNIST resized to 32x32 and normalised),
printing the report's per-epoch line. It is the reference peer for the question "does this model
train stably at these settings?" when rnnlab's run of notebook 07 does not reach the report's
number. Not a test; needs Debian's python3-torch (no torchvision: the IDX files are read with
numpy and resized with torch's bilinear interpolation, which differs from Pillow's in the last
bits). Usage: /usr/bin/python3 torch_mnist_rnn.py MNIST_DIR [epochs] [cell: rnn|lstm]
"""
import gzip
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def images(path):
    x = torch.from_numpy(idx(path).astype(np.float32) / 255.0).unsqueeze(1)
    x = F.interpolate(x, size=(32, 32), mode="bilinear", align_corners=False)
    return (x - 0.1307) / 0.3081


class Classifier(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.rnn = (nn.RNN if cell == "rnn" else nn.LSTM)(32, 128, num_layers=2, batch_first=True, dropout=0.3)
        self.fc = nn.Linear(128, 10)

    def forward(self, x):
        out, _ = self.rnn(x.view(x.size(0), 32, 32))
        return self.fc(out[:, -1, :])


def main():
    root = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    cell = sys.argv[3] if len(sys.argv) > 3 else "rnn"
    torch.manual_seed(42)
    x = images(os.path.join(root, "train-images-idx3-ubyte.gz"))
    y = torch.from_numpy(idx(os.path.join(root, "train-labels-idx1-ubyte.gz")).astype(np.int64))
    xt = images(os.path.join(root, "t10k-images-idx3-ubyte.gz"))
    yt = torch.from_numpy(idx(os.path.join(root, "t10k-labels-idx1-ubyte.gz")).astype(np.int64))
    perm = torch.randperm(len(x))
    tr, va = perm[:48000], perm[48000:]
    model = Classifier(cell)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def accuracy(xs, ys):
        model.eval()
        with torch.no_grad():
            correct, loss = 0, 0.0
            for i in range(0, len(xs), 1000):
                out = model(xs[i:i + 1000])
                loss += loss_fn(out, ys[i:i + 1000]).item() * len(out)
                correct += (out.argmax(1) == ys[i:i + 1000]).sum().item()
        return loss / len(xs), 100.0 * correct / len(xs)

    best, best_state = 0.0, None
    t0 = time.time()
    for epoch in range(epochs):
        model.train()
        order = tr[torch.randperm(len(tr))]
        total, correct, seen = 0.0, 0, 0
        for i in range(0, len(order), 64):
            b = order[i:i + 64]
            out = model(x[b])
            loss = loss_fn(out, y[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(b)
            correct += (out.argmax(1) == y[b]).sum().item()
            seen += len(b)
        vl, vacc = accuracy(x[va], y[va])
        print(f"Epoch [{epoch + 1}/{epochs}] | Train Loss: {total / seen:.4f} | Train Acc: {100.0 * correct / seen:.2f}% "
              f"| Val Loss: {vl:.4f} | Val Acc: {vacc:.2f}%  ({time.time() - t0:.0f} s)", flush=True)
        if vacc > best:
            best, best_state = vacc, {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    print(f"best val {best:.2f}%; test accuracy {accuracy(xt, yt)[1]:.2f}%", flush=True)


if __name__ == "__main__":
    main()
