"""Report 004 (NKU 实验报告「循环神经网络」) in its own framework: the PyTorch tutorial "Classifying Names
with a Character-Level RNN" that the report trains, with the report's three networks (the tutorial RNN,
the hand-written LSTM of its Listing 1 and the GRU of its figure 8), run here on the names zip our
loader reads. It is the peer of notebook 09 (issue 22): same held-out names, same two evaluations.

    /usr/bin/python3 lib-src/peers/report004_names.py --seed 1 --out runs/torch-004-seed1.json
    /usr/bin/python3 lib-src/peers/report004_names.py --quick --out /tmp/004-quick.json   # smoke test

Needs Debian's python3-torch (1.13). lib-src/peers/README.md lists every place this differs from the
report's / tutorial's code and why. Comments marked "differs:" say so at the line.
"""
import math
import os
import random
import re
import string
import sys
import time
import unicodedata
import zipfile

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_common import JavaRandom, arguments, data_file, java_round, machine, utc_now, write_record  # noqa: E402

# ---------------------------------------------------------------- the tutorial's data preparation

all_letters = string.ascii_letters + " .,;'"
n_letters = len(all_letters)


def unicodeToAscii(s):
    return ''.join(
        c for c in unicodedata.normalize('NFD', s)
        if unicodedata.category(c) != 'Mn'
        and c in all_letters
    )


def readLines(text):
    # tutorial: lines = open(filename, encoding='utf-8').read().strip().split('\n')
    lines = text.strip().split('\n')
    # differs: names that fold to nothing are dropped, as rnnlab.data.Names does (the tutorial would
    # crash on an empty line_tensor; the names data has none)
    return [n for n in (unicodeToAscii(line) for line in lines) if n]


ENTRY = re.compile(r'(?:^|.*/)names/([^/]+)\.txt$')


def load_names(data_dir):
    """category_lines and all_categories, read like rnnlab.data.Names.load: data/names/*.txt if the
    zip was extracted under names/, else the entries of names/data.zip."""
    # differs: the tutorial globs data/names/*.txt after unzipping by hand; we read the zip our loader
    # reads, and sort the languages (glob order is the file system's; rnnlab sorts, class 0 = Arabic)
    category_lines = {}
    for folder in ('names/data/names', 'names/names'):
        d = os.path.join(data_dir, folder)
        if os.path.isdir(d):
            for f in sorted(os.listdir(d)):
                if f.endswith('.txt'):
                    with open(os.path.join(d, f), encoding='utf-8') as fh:
                        category_lines[f[:-4]] = readLines(fh.read())
            break
    else:
        zpath = data_file(data_dir, 'names', 'data.zip', what="the names corpus (the tutorial's data.zip)")
        with zipfile.ZipFile(zpath) as z:
            for entry in z.namelist():
                m = ENTRY.match(entry)
                if m:
                    category_lines[m.group(1)] = readLines(z.read(entry).decode('utf-8'))
    if not category_lines:
        sys.exit(f"{data_dir}/names: no names/<Language>.txt found")
    all_categories = sorted(category_lines)
    return {c: category_lines[c] for c in all_categories}, all_categories


def split(category_lines, validation_fraction, seed):
    """The held-out names of notebook 09: NamesData.split(0.1, 42), i.e. per language (in sorted
    order) Collections.shuffle(names, new Random(42)) and the last round(0.1 * n) held out."""
    # differs: the report has a "验证集" but gives no code for it; the tutorial has none. This is
    # notebook 09's split, transcribed bit for bit (java.util.Random), so both sides hold out the same names.
    r = JavaRandom(seed)
    train, val = {}, {}
    for c, names in category_lines.items():
        names = list(names)
        r.shuffle(names)
        n_val = java_round(validation_fraction * len(names))
        train[c], val[c] = names[:len(names) - n_val], names[len(names) - n_val:]
    return train, val


def letterToIndex(letter):
    return all_letters.find(letter)


def letterToTensor(letter):
    tensor = torch.zeros(1, n_letters)
    tensor[0][letterToIndex(letter)] = 1
    return tensor


def lineToTensor(line):
    tensor = torch.zeros(len(line), 1, n_letters)
    for li, letter in enumerate(line):
        tensor[li][0][letterToIndex(letter)] = 1
    return tensor


# ---------------------------------------------------------------- the three networks

class RNN(nn.Module):
    """The tutorial's classification RNN. (The report's figure 1 prints the name-generation network
    of the next tutorial, 205 inputs / 59 outputs / o2o / dropout; it cannot classify into 18
    languages, so, like notebook 09, we run the classification network the report's task needs.)"""

    def __init__(self, input_size, hidden_size, output_size):
        super(RNN, self).__init__()
        self.hidden_size = hidden_size
        self.i2h = nn.Linear(input_size + hidden_size, hidden_size)
        self.i2o = nn.Linear(input_size + hidden_size, output_size)
        self.softmax = nn.LogSoftmax(dim=1)

    def forward(self, input, hidden):
        combined = torch.cat((input, hidden), 1)
        hidden = self.i2h(combined)
        output = self.i2o(combined)
        output = self.softmax(output)
        return output, hidden

    def initHidden(self):
        return torch.zeros(1, self.hidden_size)


class LSTM(nn.Module):
    """Report 004, Listing 1 (lines 1-27), as printed."""

    def __init__(self, input_size, hidden_size, output_size):
        super(LSTM, self).__init__()
        self.hidden_size = hidden_size
        self.i2f = nn.Linear(input_size + hidden_size, hidden_size)
        self.i2i = nn.Linear(input_size + hidden_size, hidden_size)
        self.i2o = nn.Linear(input_size + hidden_size, hidden_size)
        self.i2c = nn.Linear(input_size + hidden_size, hidden_size)
        self.out = nn.Linear(hidden_size, output_size)
        self.softmax = nn.LogSoftmax(dim=1)

    def forward(self, input, hidden, cell):
        combined = torch.cat((input, hidden), 1)
        forget_gate = torch.sigmoid(self.i2f(combined))
        input_gate = torch.sigmoid(self.i2i(combined))
        output_gate = torch.sigmoid(self.i2o(combined))
        cell_candidate = torch.tanh(self.i2c(combined))

        cell = forget_gate * cell + input_gate * cell_candidate
        hidden = output_gate * torch.tanh(cell)

        output = self.out(hidden)
        output = self.softmax(output)
        return output, hidden, cell

    # the report's initHidden/initCell end in .to(device); everything here is on the CPU
    def initHidden(self):
        return torch.zeros(1, self.hidden_size)

    def initCell(self):
        return torch.zeros(1, self.hidden_size)


class GRU(nn.Module):
    """Report 004, figure 8: i2z, i2r, i2n (each Linear(185, 128)), out, LogSoftmax. The report prints
    no forward; this is the one notebook 09 and rnnlab.charrnn.CharGru use (Cho et al.'s GRU: the
    reset gate scales the hidden half of i2n's input)."""

    def __init__(self, input_size, hidden_size, output_size):
        super(GRU, self).__init__()
        self.hidden_size = hidden_size
        self.i2z = nn.Linear(input_size + hidden_size, hidden_size)
        self.i2r = nn.Linear(input_size + hidden_size, hidden_size)
        self.i2n = nn.Linear(input_size + hidden_size, hidden_size)
        self.out = nn.Linear(hidden_size, output_size)
        self.softmax = nn.LogSoftmax(dim=1)

    def forward(self, input, hidden):
        combined = torch.cat((input, hidden), 1)
        z = torch.sigmoid(self.i2z(combined))
        r = torch.sigmoid(self.i2r(combined))
        n = torch.tanh(self.i2n(torch.cat((input, r * hidden), 1)))
        hidden = (1 - z) * n + z * hidden
        output = self.out(hidden)
        output = self.softmax(output)
        return output, hidden

    def initHidden(self):
        return torch.zeros(1, self.hidden_size)


CELLS = {'RNN': RNN, 'LSTM': LSTM, 'GRU': GRU}


# ---------------------------------------------------------------- the tutorial's training and evaluation

def categoryFromOutput(output, all_categories):
    top_n, top_i = output.topk(1)
    category_i = top_i[0].item()
    return all_categories[category_i], category_i


def randomChoice(l):
    return l[random.randint(0, len(l) - 1)]


def randomTrainingExample(all_categories, category_lines):
    # differs: category_lines is the training part of the split, passed in (the tutorial's is global)
    category = randomChoice(all_categories)
    line = randomChoice(category_lines[category])
    category_tensor = torch.tensor([all_categories.index(category)], dtype=torch.long)
    line_tensor = lineToTensor(line)
    return category, line, category_tensor, line_tensor


criterion = nn.NLLLoss()
learning_rate = 0.005  # If you set this too high, it might explode. If too low, it might not learn


def run_letters(rnn, line_tensor):
    """The tutorial's letter loop from a zero state; the LSTM also carries its cell (Listing 1's forward)."""
    hidden = rnn.initHidden()
    cell = rnn.initCell() if isinstance(rnn, LSTM) else None
    output = None
    for i in range(line_tensor.size()[0]):
        if cell is None:
            output, hidden = rnn(line_tensor[i], hidden)
        else:
            output, hidden, cell = rnn(line_tensor[i], hidden, cell)
    return output


def train(rnn, category_tensor, line_tensor):
    rnn.zero_grad()
    output = run_letters(rnn, line_tensor)

    loss = criterion(output, category_tensor)
    loss.backward()

    # Add parameters' gradients to their values, multiplied by learning rate
    for p in rnn.parameters():
        p.data.add_(p.grad.data, alpha=-learning_rate)

    return output, loss.item()


def evaluate(rnn, line_tensor):
    with torch.no_grad():  # differs: the tutorial builds the graph here too; no_grad changes no number
        return run_letters(rnn, line_tensor)


def held_out_accuracy(rnn, val, all_categories):
    """Accuracy on every held-out name (notebook 09's "held-out"), and its mean per language."""
    correct_per = []
    for ci, c in enumerate(all_categories):
        ok = sum(1 for line in val[c] if categoryFromOutput(evaluate(rnn, lineToTensor(line)), all_categories)[1] == ci)
        correct_per.append((ok, len(val[c])))
    total = sum(n for _, n in correct_per)
    acc = sum(ok for ok, _ in correct_per) / total
    per_language = sum(ok / n for ok, n in correct_per if n) / sum(1 for _, n in correct_per if n)
    return acc, per_language


def tutorial_evaluation(rnn, all_categories, train_lines, n_confusion):
    """The tutorial's confusion-matrix loop: n_confusion randomTrainingExample() draws (a random
    language, then a random *training* name of it); accuracy = correct draws / n_confusion, which is
    notebook 09's "tutorial protocol" column."""
    n_categories = len(all_categories)
    confusion = torch.zeros(n_categories, n_categories)
    for i in range(n_confusion):
        category, line, category_tensor, line_tensor = randomTrainingExample(all_categories, train_lines)
        output = evaluate(rnn, line_tensor)
        guess, guess_i = categoryFromOutput(output, all_categories)
        category_i = all_categories.index(category)
        confusion[category_i][guess_i] += 1
    accuracy = confusion.diag().sum().item() / n_confusion
    return accuracy, confusion


def timeSince(since):
    now = time.time()
    s = now - since
    m = math.floor(s / 60)
    s -= m * 60
    return '%dm %ds' % (m, s)


def train_cell(name, seed, a, all_categories, train_lines, val_lines):
    n_categories = len(all_categories)
    # differs: each cell starts from the run's seed (torch for the initial weights, Python's random for
    # randomTrainingExample), so --cells LSTM alone gives the LSTM of a three-cell run; the tutorial is unseeded
    torch.manual_seed(seed)
    random.seed(seed)
    rnn = CELLS[name](n_letters, a.hidden, n_categories)
    print(rnn, flush=True)
    n_iters, print_every, plot_every = a.iterations, a.print_every, a.plot_every
    current_loss, all_losses, val_curve, snapshots = 0, [], [], {}
    start, cpu_start, eval_seconds, eval_cpu = time.time(), time.process_time(), 0.0, 0.0
    for iter in range(1, n_iters + 1):
        category, line, category_tensor, line_tensor = randomTrainingExample(all_categories, train_lines)
        output, loss = train(rnn, category_tensor, line_tensor)
        current_loss += loss

        # Print iter number, loss, name and guess
        if iter % print_every == 0:
            guess, guess_i = categoryFromOutput(output, all_categories)
            correct = '✓' if guess == category else '✗ (%s)' % category
            print('%s %d %d%% (%s) %.4f %s / %s %s' % (name, iter, iter / n_iters * 100, timeSince(start), loss,
                                                       line, guess, correct), flush=True)

        # Add current loss avg to list of losses
        if iter % plot_every == 0:
            all_losses.append(current_loss / plot_every)
            current_loss = 0

        # the report's validation-accuracy curve (图 2b, 6b, 9b): held-out accuracy every validate_every
        if iter % a.validate_every == 0 or iter in a.snapshot_at:
            e0, c0 = time.time(), time.process_time()
            acc = round(held_out_accuracy(rnn, val_lines, all_categories)[0], 6)
            eval_seconds, eval_cpu = eval_seconds + time.time() - e0, eval_cpu + time.process_time() - c0
            if iter % a.validate_every == 0:
                val_curve.append([iter, acc])
            if iter in a.snapshot_at:
                snapshots[str(iter)] = acc
    # training time without the validation passes (wall and this process's CPU: the machine is shared)
    train_seconds = time.time() - start - eval_seconds
    train_cpu = time.process_time() - cpu_start - eval_cpu
    held, held_per_language = held_out_accuracy(rnn, val_lines, all_categories)
    tutorial, confusion = tutorial_evaluation(rnn, all_categories, train_lines, a.n_confusion)
    tail = all_losses[-5:]
    result = {
        "iterations": n_iters, "train_seconds": round(train_seconds, 1), "train_cpu_seconds": round(train_cpu, 1),
        "validation_seconds": round(eval_seconds, 1),
        "ms_per_iteration": round(1000 * train_seconds / n_iters, 4),
        "cpu_ms_per_iteration": round(1000 * train_cpu / n_iters, 4),
        "held_out_accuracy": round(held, 6), "held_out_mean_per_language": round(held_per_language, 6),
        "tutorial_evaluation_accuracy": round(tutorial, 6),
        "held_out_accuracy_at": snapshots,
        "final_loss": round(sum(tail) / len(tail), 4) if tail else None,
        "losses": [round(x, 4) for x in all_losses], "validation_accuracy": val_curve,
        "tutorial_confusion_counts": confusion.to(torch.int64).tolist(),
    }
    print('%s: %d iterations in %.1f s (%.3f ms each, %.3f ms CPU); held-out %.4f, tutorial evaluation %.4f, loss %.3f'
          % (name, n_iters, train_seconds, result["ms_per_iteration"], result["cpu_ms_per_iteration"], held, tutorial, result["final_loss"] or float('nan')),
          flush=True)
    return result


def options(ap):
    ap.add_argument("--cells", default="RNN,LSTM,GRU", help="which networks to train (default all three)")
    ap.add_argument("--iterations", type=int, default=None, help="n_iters per cell (report: 300,000; --quick: 300)")
    ap.add_argument("--hidden", type=int, default=128, help="n_hidden (report: 128)")
    ap.add_argument("--n-confusion", type=int, default=None, help="tutorial evaluation draws (tutorial: 10,000)")
    ap.add_argument("--validate-every", type=int, default=None, help="held-out accuracy curve step (notebook 09: 5,000)")


def main():
    a = arguments(__doc__, options)
    seed = 0 if a.seed is None else a.seed
    a.iterations = a.iterations or (300 if a.quick else 300_000)
    a.n_confusion = a.n_confusion or (200 if a.quick else 10_000)
    a.validate_every = a.validate_every or (300 if a.quick else 5_000)
    a.print_every, a.plot_every = (100, 50) if a.quick else (5_000, 1_000)   # tutorial: 5000, 1000
    # the report's RNN figures are at 100,000 iterations (图 2) and 300,000 (图 4): keep the first too
    a.snapshot_at = {a.iterations // 3} if a.iterations >= 3 else set()
    cells = [c.strip() for c in a.cells.split(',') if c.strip()]
    bad = [c for c in cells if c not in CELLS]
    if bad or not cells:
        sys.exit(f"--cells {a.cells}: unknown {bad}; choose from {', '.join(CELLS)}")
    torch.set_num_threads(a.threads)

    category_lines, all_categories = load_names(a.data)
    train_lines, val_lines = split(category_lines, 0.1, 42)   # notebook 09: VALIDATION_FRACTION 0.1, SEED 42
    n_train, n_val = sum(map(len, train_lines.values())), sum(map(len, val_lines.values()))
    print(f"{len(all_categories)} languages, {n_train:,} training names, {n_val:,} held out; torch {torch.__version__}, "
          f"{torch.get_num_threads()} thread(s); seed {seed}", flush=True)

    record = {
        "framework": "pytorch", "report": "004", "script": "lib-src/peers/report004_names.py",
        "mode": "quick" if a.quick else "full", "seed": seed, "date": utc_now(), "machine": machine(),
        "data": os.path.abspath(a.data),
        "settings": {"cells": cells, "iterations": a.iterations, "hidden": a.hidden, "learning_rate": learning_rate,
                     "optimizer": "p.data.add_(p.grad.data, alpha=-learning_rate) (the tutorial's SGD)",
                     "loss": "NLLLoss on the last letter's LogSoftmax", "plot_every": a.plot_every,
                     "validate_every": a.validate_every, "n_confusion": a.n_confusion,
                     "split": "stratified 10% held out, java.util.Random(42) (notebook 09's NamesData.split(0.1, 42))",
                     "train_names": n_train, "held_out_names": n_val},
        "cells": {}, "quantities": {},
    }
    t0 = time.time()
    for name in cells:
        r = train_cell(name, seed, a, all_categories, train_lines, val_lines)
        record["cells"][name] = r
        record["quantities"][f"{name} held-out accuracy"] = r["held_out_accuracy"]
        record["quantities"][f"{name} tutorial-evaluation accuracy"] = r["tutorial_evaluation_accuracy"]
        for it, acc in r["held_out_accuracy_at"].items():
            record["quantities"][f"{name} held-out accuracy at {int(it):,} iterations"] = acc
        record["seconds"] = round(time.time() - t0, 1)
        write_record(a.out, record)          # after every cell: a crash later keeps what was computed
    print(f"done in {time.time() - t0:.1f} s", flush=True)


if __name__ == '__main__':
    main()
