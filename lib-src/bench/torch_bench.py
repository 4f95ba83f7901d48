#!/usr/bin/python3
"""PyTorch side of the rnnlab benchmark (rnnlab.bench.Bench runs it).

Measures the same cases as the Java side -- same batch, sequence length, layer sizes, optimiser and
thread count -- and prints ONE line of JSON on stdout:

  {"torch": "1.13.0", "threads": 2, "vmhwm_kb": 123456,
   "cases": {"imdb_lstm": {"ms": [..per timed step..], "median_ms": 812.3, "params": 328449, "flops": ...}, ...}}

Each training case times one full step (zero_grad, forward, loss, backward, optimiser step) after
warm-up steps; "median_ms" is the median of the timed steps. The inference case
"imdb_lstm_infer" times a forward pass under torch.no_grad() and also reports samples per second.

Subnormal floats are flushed to zero (torch.set_flush_denormal(True)) unless --keep-denormals is given:
rnnlab's fused layers flush gradients below 2^-100 and TensorFlow's CPU kernels flush subnormals, so
this compares like with like. PyTorch's default keeps them, and on report 001's BiLSTM, whose
gradients reach the subnormal range, that made its step 60 s instead of 8.5 s (lib-src/bench/BACKEND.md).

OpenMP's wait policy is the caller's environment: rnnlab.bench.Bench runs each case once with
OMP_WAIT_POLICY=PASSIVE and once without it (libgomp's default) and keeps the faster, since LeNet-5 is
fastest with the default (4.3 ms vs 6-12 ms) and the recurrent cases with PASSIVE (LSTM 133 vs 265 ms).
--min-seconds keeps timing until the timed steps have taken that long (at least --reps of them).

Run with the system interpreter, which has torch:  /usr/bin/python3 torch_bench.py --cases all
"""
import argparse
import json
import os
import statistics
import sys
import time
import unicodedata
import zipfile

import torch
import torch.nn as nn

BATCH_IMDB, T_IMDB, VOCAB_IMDB, EMB_IMDB, UNITS_IMDB = 128, 500, 10000, 32, 32
BATCH_MNIST = 64
BATCH_001, T_001, VOCAB_001, EMB_001, HID_001 = 64, 500, 25000, 128, 256
CHAR_ITERS, CHAR_HIDDEN, CHAR_LR = 200, 128, 0.005
ALL_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,;'"


class ImdbRnn(nn.Module):
    """Embedding(10000, 32) -> SimpleRNN/LSTM/GRU(32), last step -> Linear(32, 1) (sigmoid in the loss)."""

    def __init__(self, cell):
        super().__init__()
        self.emb = nn.Embedding(VOCAB_IMDB, EMB_IMDB)
        rnn_cls = {"simplernn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell]
        self.rnn = rnn_cls(EMB_IMDB, UNITS_IMDB, batch_first=True)
        self.fc = nn.Linear(UNITS_IMDB, 1)

    def forward(self, x):
        out, _ = self.rnn(self.emb(x))
        return self.fc(out[:, -1, :])


class LeNet5(nn.Module):
    """Report 001's LeNet-5 on 1x32x32 MNIST: conv 6@5x5 pad 2, pool, conv 16@5x5, pool, 120, 84, 10."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2, 2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
            nn.Flatten(), nn.Linear(16 * 6 * 6, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, 10))

    def forward(self, x):
        return self.net(x)


class MnistLstm(nn.Module):
    """Report 001's LSTMClassifier: 32 rows of 32 pixels, 2-layer LSTM(128), dropout 0.3, last step -> 10."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(32, 128, num_layers=2, batch_first=True, dropout=0.3)
        self.fc = nn.Linear(128, 10)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1, :])


class BiLstm001(nn.Module):
    """Report 001 experiment 2: Embedding(25000, 128) -> 2-layer bidirectional LSTM(256) -> Linear(512, 1).

    Dropout is left out on both sides of the benchmark (it costs little and does not change FLOPs).
    """

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB_001, EMB_001)
        self.lstm = nn.LSTM(EMB_001, HID_001, num_layers=2, bidirectional=True, batch_first=True)
        self.fc = nn.Linear(2 * HID_001, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(self.emb(x))
        return self.fc(torch.cat((h[-2], h[-1]), dim=1))


def make_case(name, gen):
    """Returns (model, inputs, targets, loss_fn, optimiser) for a case name."""
    if name.startswith("imdb_"):
        model = ImdbRnn(name[len("imdb_"):])
        x = torch.randint(0, VOCAB_IMDB, (BATCH_IMDB, T_IMDB), generator=gen)
        y = torch.randint(0, 2, (BATCH_IMDB, 1), generator=gen).float()
        return model, x, y, nn.BCEWithLogitsLoss(), torch.optim.RMSprop(model.parameters(), lr=1e-3)
    if name == "mnist_lenet5":
        model = LeNet5()
        x = torch.randn(BATCH_MNIST, 1, 32, 32, generator=gen)
        y = torch.randint(0, 10, (BATCH_MNIST,), generator=gen)
        return model, x, y, nn.CrossEntropyLoss(), torch.optim.Adam(model.parameters(), lr=1e-3)
    if name == "mnist_lstm2":
        model = MnistLstm()
        x = torch.randn(BATCH_MNIST, 32, 32, generator=gen)
        y = torch.randint(0, 10, (BATCH_MNIST,), generator=gen)
        return model, x, y, nn.CrossEntropyLoss(), torch.optim.Adam(model.parameters(), lr=1e-3)
    if name == "imdb001_bilstm2":
        model = BiLstm001()
        x = torch.randint(0, VOCAB_001, (BATCH_001, T_001), generator=gen)
        y = torch.randint(0, 2, (BATCH_001, 1), generator=gen).float()
        return model, x, y, nn.BCEWithLogitsLoss(), torch.optim.Adam(model.parameters(), lr=1e-3)
    raise SystemExit(f"torch_bench.py: unknown case '{name}'; allowed: {', '.join(TRAIN_CASES + ['imdb_lstm_infer'])}")


TRAIN_CASES = ["imdb_simplernn", "imdb_lstm", "imdb_gru", "mnist_lenet5", "mnist_lstm2", "imdb001_bilstm2"]
CHAR_CASES = ["charrnn_rnn", "charrnn_lstm", "charrnn_gru"]


def unicode_to_ascii(s):
    """The tutorial's unicodeToAscii (NFD, drop combining marks, keep ALL_LETTERS)."""
    return "".join(c for c in unicodedata.normalize("NFD", s)
                   if unicodedata.category(c) != "Mn" and c in ALL_LETTERS)


def load_names(path):
    """{language: [names]} from the tutorial's data.zip, languages sorted, as rnnlab.data.Names reads it."""
    out = {}
    with zipfile.ZipFile(path) as z:
        for entry in z.namelist():
            parts = entry.split("/")
            if len(parts) >= 2 and parts[-2] == "names" and entry.endswith(".txt"):
                lines = [unicode_to_ascii(l) for l in z.read(entry).decode("utf-8").strip().split("\n")]
                out[parts[-1][:-4]] = [l for l in lines if l]
    return dict(sorted(out.items()))


def char_case(name, names_zip):
    """Report 004: the tutorial's train() on the same CHAR_ITERS names as rnnlab.bench.Bench.charRnn."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "python"))
    from make_charrnn_fixtures import GRU, LSTM, RNN  # the tutorial / report-004 modules
    cls = {"charrnn_rnn": RNN, "charrnn_lstm": LSTM, "charrnn_gru": GRU}[name]
    data = load_names(names_zip)
    langs = list(data)
    examples = []
    for j in range(CHAR_ITERS):
        names = data[langs[j % len(langs)]]
        line = names[(7 * (j // len(langs))) % len(names)]
        t = torch.zeros(len(line), 1, len(ALL_LETTERS))
        for i, ch in enumerate(line):
            t[i][0][ALL_LETTERS.find(ch)] = 1
        examples.append((torch.tensor([j % len(langs)], dtype=torch.long), t))
    torch.manual_seed(1)
    net = cls(len(ALL_LETTERS), CHAR_HIDDEN, len(langs))
    criterion = nn.NLLLoss()

    def train(category_tensor, line_tensor):
        net.zero_grad()
        state = net.init_state()
        output = None
        for i in range(line_tensor.size()[0]):
            output, *state = net(line_tensor[i], *state)
        loss = criterion(output, category_tensor)
        loss.backward()
        for p in net.parameters():
            p.data.add_(p.grad.data, alpha=-CHAR_LR)
        return output, loss.item()

    def step():
        for category_tensor, line_tensor in examples:
            train(category_tensor, line_tensor)
    return net, step


def time_steps(fn, warmup, reps, warmup_seconds=0.0, min_seconds=0.0):
    """warmup untimed calls, and more until warmup_seconds have passed (as the Java side does), then at least
    reps timed calls, and more until they have taken min_seconds (blocked_autorange's min_run_time)."""
    t0 = time.perf_counter()
    i = 0
    while i < warmup or time.perf_counter() - t0 < warmup_seconds:
        fn()
        i += 1
    ms = []
    total = 0.0
    while len(ms) < reps or total < min_seconds * 1e3:
        t0 = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - t0) * 1e3)
        total += ms[-1]
    return ms


def vmhwm_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default="all", help="comma-separated case names or 'all'")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--warmup-seconds", type=float, default=0.0, help="keep warming up for at least this long")
    ap.add_argument("--min-seconds", type=float, default=0.0, help="keep timing steps until they have taken this long")
    ap.add_argument("--keep-denormals", action="store_true",
                    help="PyTorch's default: compute with subnormal floats instead of flushing them to zero")
    ap.add_argument("--names-zip", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data",
                                                        "names", "data.zip"), help="the names corpus for charrnn_*")
    args = ap.parse_args(argv)
    if args.threads < 1 or args.warmup < 0 or args.reps < 1 or args.min_seconds < 0:
        raise SystemExit("torch_bench.py: need --threads >= 1, --warmup >= 0, --reps >= 1, --min-seconds >= 0")
    torch.set_num_threads(args.threads)
    flushing = torch.set_flush_denormal(not args.keep_denormals)
    names = TRAIN_CASES + ["imdb_lstm_infer"] + CHAR_CASES if args.cases == "all" else args.cases.split(",")
    gen = torch.Generator().manual_seed(42)
    torch.manual_seed(42)
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(),
           "flush_denormal": bool(flushing and not args.keep_denormals), "cases": {}}
    for name in names:
        if name == "imdb_lstm_infer":
            model, x, _, _, _ = make_case("imdb_lstm", gen)
            model.eval()

            def infer():
                with torch.no_grad():
                    model(x)
            ms = time_steps(infer, args.warmup, args.reps, args.warmup_seconds, args.min_seconds)
            med = statistics.median(ms)
            out["cases"][name] = {"ms": ms, "median_ms": med, "samples_per_s": x.shape[0] / (med / 1e3),
                                  "params": sum(p.numel() for p in model.parameters())}
            continue
        if name in CHAR_CASES:
            net, step = char_case(name, args.names_zip)
            ms = time_steps(step, args.warmup, args.reps, args.warmup_seconds, args.min_seconds)
            out["cases"][name] = {"ms": ms, "median_ms": statistics.median(ms),
                                  "params": sum(p.numel() for p in net.parameters())}
            continue
        model, x, y, loss_fn, opt = make_case(name, gen)
        model.train()

        def step():
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
        ms = time_steps(step, args.warmup, args.reps, args.warmup_seconds, args.min_seconds)
        out["cases"][name] = {"ms": ms, "median_ms": statistics.median(ms),
                              "params": sum(p.numel() for p in model.parameters())}
    out["vmhwm_kb"] = vmhwm_kb()
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
