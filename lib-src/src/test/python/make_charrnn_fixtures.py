"""Reference values for rnnlab.charrnn (report 004 cells) from PyTorch 1.13.

Run once from the repository root with the system interpreter (python3-torch):

    /usr/bin/python3 lib-src/src/test/python/make_charrnn_fixtures.py

For each of the three networks (the tutorial's classification RNN, the report's hand-written LSTM
and GRU cells) it builds a small instance (11 letters, hidden 12, 5 categories) with torch's own
seeded initialisation, then runs three tutorial-style training iterations on synthetic names
(zero_grad, forward letter by letter from a zero state, NLLLoss on the last output, backward,
p -= lr * grad) and writes the initial weights, per-iteration log-probabilities, loss and gradients,
and the final weights to lib-src/src/test/resources/rnnlab/charrnn/<net>.json. It also stores
print(net) for the small and the full-size (57, 128, 18) network.
"""
import json
import os

import torch
import torch.nn as nn

N_LETTERS, HIDDEN, N_CATEGORIES = 11, 12, 5
LR = 0.005
# (letter indices, category): a name with repeated letters, a one-letter name, a short name
EXAMPLES = [([3, 0, 7, 7, 10, 3], 2), ([5], 4), ([1, 9, 2, 0], 0)]


class RNN(nn.Module):
    """The tutorial's classification RNN (char_rnn_classification_tutorial)."""

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

    def init_state(self):
        return (torch.zeros(1, self.hidden_size),)


class LSTM(nn.Module):
    """Report 004, Listing 1."""

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

    def init_state(self):
        return (torch.zeros(1, self.hidden_size), torch.zeros(1, self.hidden_size))


class GRU(nn.Module):
    """Report 004's GRU (structure printed in the report; forward as documented in CharGru)."""

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

    def init_state(self):
        return (torch.zeros(1, self.hidden_size),)


def one_hot(letter, n_letters):
    t = torch.zeros(1, n_letters)
    t[0][letter] = 1
    return t


def state(net, grads=False):
    return {k: (p.grad if grads else p.data).tolist() for k, p in net.named_parameters()}


def train_step(net, letters, category, criterion):
    net.zero_grad()
    st = net.init_state()
    output = None
    for letter in letters:
        output, *st = net(one_hot(letter, N_LETTERS), *st)
    loss = criterion(output, torch.tensor([category]))
    loss.backward()
    grads = state(net, grads=True)
    for p in net.parameters():
        p.data.add_(p.grad.data, alpha=-LR)
    return output[0].tolist(), loss.item(), grads


def main():
    out_dir = os.path.join(os.path.dirname(__file__), '..', 'resources', 'rnnlab', 'charrnn')
    os.makedirs(out_dir, exist_ok=True)
    criterion = nn.NLLLoss()
    for seed, cls in enumerate([RNN, LSTM, GRU]):
        torch.manual_seed(seed)
        net = cls(N_LETTERS, HIDDEN, N_CATEGORIES)
        fixture = {
            'torch': torch.__version__,
            'nLetters': N_LETTERS, 'hidden': HIDDEN, 'nCategories': N_CATEGORIES, 'lr': LR,
            'repr': str(net),
            'reprFull': str(cls(57, 128, 18)),
            'initial': state(net),
            'steps': [],
        }
        for letters, category in EXAMPLES:
            log_probs, loss, grads = train_step(net, letters, category, criterion)
            fixture['steps'].append({'letters': letters, 'category': category,
                                     'logProbs': log_probs, 'loss': loss, 'grads': grads})
        fixture['final'] = state(net)
        path = os.path.join(out_dir, cls.__name__.lower() + '.json')
        with open(path, 'w') as f:
            json.dump(fixture, f, separators=(',', ':'))
        print('wrote', os.path.normpath(path), os.path.getsize(path), 'bytes')


if __name__ == '__main__':
    main()
