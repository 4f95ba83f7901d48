#!/usr/bin/python3
"""Time from a fresh Jupyter kernel to its first trained step (rnnlab.bench.Bench runs it).

    /usr/bin/python3 kernel_start.py --kernel rnnlab --side ours|pytorch [--attempts 8] [--startup-timeout 30]

Starts the named kernelspec with jupyter_client (as Jupyter and nbclient do), waits until it answers
kernel_info, executes ONE cell that builds a small model -- Embedding(1000, 32) -> LSTM(32) ->
Dense(1) -- and runs one RMSprop training step on a batch of 32 x 100 random token ids, and stops the
kernel. The time is measured from the kernel start request to the cell's execute_reply (the step is
done), so it includes the JVM/interpreter start, the kernel's start-up script, loading the library
and the first step. "ours" runs the Java cell (DL4J, rnnlab's fused layers) on an rnnlab kernelspec,
"pytorch" the same model in torch on the python3 kernelspec. The Java cell builds the model as a
notebook does, with rnnlab.nn.Sequential (Keras's RMSprop: lr 0.001, seed 42): the kernel's cells see
rnnlab.jar only, not the bench module (until 2026-12-08 the cell called rnnlab.bench.Dl4jModels, which
builds the same layers directly; BENCHMARKS.md rows before then were measured that way).

rapaio-jupyter-kernel 3.0.1 sometimes loses a socket thread at start-up and never answers; like
environment/run_notebooks.py, a kernel that does not answer within --startup-timeout seconds is shut
down and started again (up to --attempts starts). The retries are reported, never hidden. Prints ONE
line of JSON: {"seconds": <successful attempt>, "attempts": n, "failed_attempts_s": [...], "total_s": ...}.
"""
import argparse
import json
import subprocess
import sys
import time

from jupyter_client.manager import KernelManager

JAVA_CELL = """
var rnd = new java.util.Random(42);
float[][] ids = new float[32][100];
float[][] ys = new float[32][1];
for (int i = 0; i < 32; i++) { for (int t = 0; t < 100; t++) ids[i][t] = rnd.nextInt(1000); ys[i][0] = rnd.nextInt(2); }
var net = new rnnlab.nn.Sequential()
        .add(new rnnlab.nn.Layer.Embedding(1000, 32).inputLength(100))
        .add(new rnnlab.nn.Layer.LSTM(32))
        .add(new rnnlab.nn.Layer.Dense(1, "sigmoid"))
        .compile("rmsprop", "binary_crossentropy").network();
net.fit(new org.nd4j.linalg.dataset.DataSet(Nd4j.create(ids), Nd4j.create(ys)));
System.out.println("trained one step, score " + net.score());
"""

TORCH_CELL = """
import torch, torch.nn as nn
torch.manual_seed(42)
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(1000, 32); self.rnn = nn.LSTM(32, 32, batch_first=True); self.fc = nn.Linear(32, 1)
    def forward(self, x):
        out, _ = self.rnn(self.emb(x)); return self.fc(out[:, -1, :])
net = M(); opt = torch.optim.RMSprop(net.parameters(), lr=1e-3)
x = torch.randint(0, 1000, (32, 100)); y = torch.randint(0, 2, (32, 1)).float()
opt.zero_grad(); loss = nn.BCEWithLogitsLoss()(net(x), y); loss.backward(); opt.step()
print("trained one step, loss", loss.item())
"""


def one_attempt(kernel, code, startup_timeout, cell_timeout):
    """Returns seconds from the start request to the cell's reply; raises RuntimeError if silent."""
    km = KernelManager(kernel_name=kernel)
    t0 = time.perf_counter()
    km.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kc = km.client()
    kc.start_channels()
    try:
        try:
            kc.wait_for_ready(timeout=startup_timeout)
        except RuntimeError as e:
            raise RuntimeError(f"the kernel did not answer within {startup_timeout} s ({e})") from e
        reply = kc.execute_interactive(code, timeout=cell_timeout, output_hook=lambda msg: None)
        seconds = time.perf_counter() - t0
        if reply["content"]["status"] != "ok":
            c = reply["content"]
            sys.exit(f"kernel_start.py: the cell failed on kernel {kernel}: {c.get('ename')}: {c.get('evalue')}")
        return seconds
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", required=True, help="kernelspec name, e.g. rnnlab or python3")
    ap.add_argument("--side", choices=["ours", "pytorch"], required=True)
    ap.add_argument("--attempts", type=int, default=8)
    ap.add_argument("--startup-timeout", type=float, default=30)
    ap.add_argument("--cell-timeout", type=float, default=300)
    a = ap.parse_args(argv)
    code = JAVA_CELL if a.side == "ours" else TORCH_CELL
    failed = []
    t_all = time.perf_counter()
    for attempt in range(1, a.attempts + 1):
        t = time.perf_counter()
        try:
            seconds = one_attempt(a.kernel, code, a.startup_timeout, a.cell_timeout)
        except RuntimeError as e:
            failed.append(round(time.perf_counter() - t, 1))
            print(f"kernel_start.py: attempt {attempt} on {a.kernel}: {e}; starting it again", file=sys.stderr, flush=True)
            continue
        print(json.dumps({"kernel": a.kernel, "seconds": seconds, "attempts": attempt,
                          "failed_attempts_s": failed, "total_s": time.perf_counter() - t_all}))
        return
    sys.exit(f"kernel_start.py: kernel {a.kernel} did not answer in {a.attempts} starts")


if __name__ == "__main__":
    main(sys.argv[1:])
