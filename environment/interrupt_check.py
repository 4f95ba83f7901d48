"""Jupyter's interrupt on the rnnlab kernel, through jupyter_client as Jupyter sends it
(interrupt_request on the control channel; the kernelspec's interrupt_mode is "message").

What a user must see, and what rapaio-jupyter-kernel 3.0.1 alone does not give (see
rnnlab.kernel.KernelInterrupts):
  1. interrupting model.fit ends the cell within seconds with an error reply, the code after fit in
     the same cell is skipped, and model.history() keeps the completed epochs;
  2. a cell that ignores interrupts (a busy loop) is given back by a second interrupt, and its output
     says that the code is still running in the background (a further interrupt stops it);
  3. the next cell runs and its output reaches the notebook.

Used by test_runner.py; can also be run alone: /usr/bin/python3 environment/interrupt_check.py [KERNEL]
"""
import queue
import sys
import time

import jupyter_client

SETUP = """
import rnnlab.nn.Layer;
import rnnlab.nn.Model;
import rnnlab.nn.Sequential;
import rnnlab.train.FitOptions;
import rnnlab.train.History;
Model im = new Sequential().add(new Layer.Embedding(100, 16, 50)).add(new Layer.LSTM(32)).add(new Layer.Dense(1, "sigmoid"))
        .compile("rmsprop", "binary_crossentropy");
INDArray ix = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2000, 50).muli(99).castTo(org.nd4j.linalg.api.buffer.DataType.INT);
int[] iy = new int[2000];
for (int i = 0; i < 2000; i++) iy[i] = i % 2;
"""
FIT = """History ih = im.fit(ix, iy, FitOptions.builder().epochs(100000).batchSize(32).verbose(2).build());
System.out.println("after fit: this line must be skipped");"""
AFTER = 'System.out.println("kept " + im.history().epochs() + " epochs, interrupted=" + im.history().interrupted());'
BUSY = "long t0 = System.nanoTime(); long spins = 0; while (System.nanoTime() - t0 < 120_000_000_000L) { spins++; }"
ALIVE = 'System.out.println("alive " + (40 + 2));'


class Cell:
    def __init__(self, kc, code):
        self.kc, self.msg_id, self.t0 = kc, kc.execute(code), time.time()
        self.out, self.streams, self.reply, self.idle = [], [], None, False

    def pump(self, until, timeout):
        """Reads messages until until(self) or timeout seconds; returns whether until(self) held."""
        end = time.time() + timeout
        while time.time() < end:
            if until(self):
                return True
            for get, is_shell in ((self.kc.get_iopub_msg, False), (self.kc.get_shell_msg, True)):
                try:
                    m = get(timeout=0.05)
                except queue.Empty:
                    continue
                if m["parent_header"].get("msg_id") != self.msg_id:
                    continue
                c = m["content"]
                if is_shell and m["msg_type"] == "execute_reply":
                    self.reply = c
                elif m["msg_type"] == "stream":
                    self.out.append(c["text"])
                    self.streams.append(c["text"])
                elif m["msg_type"] == "error":
                    self.out.append(f"ERROR {c.get('ename')}: {c.get('evalue')}")
                elif m["msg_type"] == "status" and c["execution_state"] == "idle":
                    self.idle = True
        return until(self)

    def done(self):
        return self.reply is not None and self.idle

    def text(self):
        return "".join(self.out)


def run_checks(kernel="rnnlab", check=None):
    results = []

    def record(name, ok, detail=""):
        results.append(ok)
        if check:
            check(name, ok, detail)
        else:
            print(f"{'PASS' if ok else 'FAIL'} {name}" + ("" if ok else f"\n{detail}"), flush=True)

    km, kc = jupyter_client.manager.start_new_kernel(kernel_name=kernel, startup_timeout=120)
    try:
        setup = Cell(kc, SETUP)
        setup.pump(Cell.done, 120)
        if not (setup.done() and setup.reply.get("status") == "ok"):
            record("interrupt: the set-up cell runs", False, setup.text() + str(setup.reply))
            return results

        fit = Cell(kc, FIT)
        started = fit.pump(lambda c: c.text().count("Epoch ") >= 2, 120)
        km.interrupt_kernel()
        t_int = time.time()
        fit.pump(Cell.done, 30)
        secs = time.time() - t_int
        text = fit.text()
        record("interrupt: model.fit ends the cell with an error reply, the rest of the cell skipped",
               started and fit.done() and fit.reply.get("status") == "error" and secs < 15
               and "Interrupted in epoch" in text and "must be skipped" not in "".join(fit.streams),
               f"started={started} done={fit.done()} reply={fit.reply} after {secs:.1f} s; output:\n{text[-1500:]}")

        after = Cell(kc, AFTER)
        after.pump(Cell.done, 30)
        kept = after.text()
        record("interrupt: model.history() keeps the completed epochs",
               after.done() and after.reply.get("status") == "ok" and "interrupted=true" in kept
               and not kept.startswith("kept 0 "), kept + str(after.reply))

        busy = Cell(kc, BUSY)
        busy.pump(lambda c: False, 1.5)
        km.interrupt_kernel()
        busy.pump(Cell.done, 1.5)
        first_ended = busy.done()
        km.interrupt_kernel()
        t_second = time.time()
        busy.pump(Cell.done, 10)
        record("interrupt: a second interrupt gives back a cell that ignores the first",
               not first_ended and busy.done() and busy.reply.get("status") == "error" and time.time() - t_second < 5,
               f"first_ended={first_ended} reply={busy.reply}")
        record("interrupt: the given-back cell says its code is still running in the background",
               "still running in the background; Kernel → Restart to stop it" in busy.text(), busy.text()[-1500:])
        # one more interrupt with no cell running stops the abandoned busy loop (Thread.stop, JDK < 20)
        km.interrupt_kernel()
        time.sleep(1)

        alive = Cell(kc, ALIVE)
        alive.pump(Cell.done, 60)
        record("interrupt: the next cell runs and its output reaches the notebook",
               alive.done() and alive.reply.get("status") == "ok" and "alive 42" in alive.text(),
               alive.text() + str(alive.reply))
    finally:
        km.shutdown_kernel(now=True)
    return results


if __name__ == "__main__":
    r = run_checks(sys.argv[1] if len(sys.argv) > 1 else "rnnlab")
    sys.exit(0 if r and all(r) else 1)
