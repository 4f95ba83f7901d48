"""PyTorch 1.13 side of the report-004 benchmark (rnnlab.bench.CharRnnBench is the Java side).

    /usr/bin/python3 lib-src/bench/torch_charrnn.py [data.zip] [timed_iterations]

Reads the names corpus zip, folds names to ASCII (the tutorial's unicodeToAscii), makes the same
90/10 split idea, and times the tutorial's train() (zero_grad, forward one letter at a time, NLLLoss
on the last output, backward, p -= lr * grad) for the tutorial RNN and the report's LSTM and GRU
cells (classes shared with lib-src/src/test/python/make_charrnn_fixtures.py), hidden 128, with torch.set_num_threads(2).
Prints wall-clock and process-CPU ms per iteration (best of 3 repetitions after a warm-up).
"""
import os
import random
import sys
import time
import unicodedata
import zipfile

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "python"))
from make_charrnn_fixtures import GRU, LSTM, RNN  # noqa: E402

ALL_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,;'"
N_LETTERS = len(ALL_LETTERS)
LR = 0.005


def unicode_to_ascii(s):
    return ''.join(c for c in unicodedata.normalize('NFD', s)
                   if unicodedata.category(c) != 'Mn' and c in ALL_LETTERS)


def load(path):
    category_lines = {}
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if name.endswith('.txt'):
                lang = os.path.basename(name)[:-4]
                lines = [unicode_to_ascii(l.strip()) for l in z.read(name).decode('utf-8').splitlines()]
                category_lines[lang] = [l for l in lines if l]
    return category_lines


def line_to_tensor(line):
    t = torch.zeros(len(line), 1, N_LETTERS)
    for i, ch in enumerate(line):
        t[i][0][ALL_LETTERS.find(ch)] = 1
    return t


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else '/work/shared/datasets/names/data.zip'
    timed = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    torch.set_num_threads(2)
    category_lines = load(path)
    categories = list(category_lines)
    print('names %d, categories %d, torch %s, threads %d' % (
        sum(len(v) for v in category_lines.values()), len(categories), torch.__version__, torch.get_num_threads()))
    criterion = nn.NLLLoss()
    rnd = random.Random(7)

    def sample():
        c = rnd.randrange(len(categories))
        line = rnd.choice(category_lines[categories[c]])
        return torch.tensor([c], dtype=torch.long), line_to_tensor(line)

    for cls in (RNN, LSTM, GRU):
        torch.manual_seed(1)
        net = cls(N_LETTERS, 128, len(categories))

        def train(category_tensor, line_tensor):
            net.zero_grad()
            state = net.init_state()
            output = None
            for i in range(line_tensor.size()[0]):
                output, *state = net(line_tensor[i], *state)
            loss = criterion(output, category_tensor)
            loss.backward()
            for p in net.parameters():
                p.data.add_(p.grad.data, alpha=-LR)
            return output, loss.item()

        # examples are made before timing, as the Java side encodes names once up front
        examples = [sample() for _ in range(timed)]
        for ex in examples[:1000]:
            train(*ex)
        best_wall = best_cpu = float('inf')
        for rep in range(3):
            w0, c0 = time.perf_counter(), time.process_time()
            for ex in examples:
                train(*ex)
            wall = (time.perf_counter() - w0) * 1000 / timed
            cpu = (time.process_time() - c0) * 1000 / timed
            best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
            print('torch %s rep %d: %.4f ms/iteration wall, %.4f ms/iteration cpu (%d iterations)' % (
                cls.__name__, rep, wall, cpu, timed))
        print('torch %s best: %.4f ms/iteration wall, %.4f ms cpu' % (cls.__name__, best_wall, best_cpu))


if __name__ == '__main__':
    main()
