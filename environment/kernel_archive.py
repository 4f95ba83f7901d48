"""Makes the class-data archive (AppCDS) that an rnnlab kernelspec's JVM maps at start-up.

A fresh kernel JVM loads ~9,000 classes (JShell's compiler, the kernel, DL4J, ND4J, JavaCPP,
Tablesaw) from 80 jars, parsing and verifying each; an archive made by one real kernel run holds
them pre-parsed and pre-verified (JDK 17 dynamic archive, -XX:ArchiveClassesAtExit). What that
saves is measured in lib-src/bench/BACKEND.md ("Kernel start-up").

  /usr/bin/python3 environment/kernel_archive.py [--name rnnlab] [--force]

Reads the kernelspec registered by environment/kernelspec.py; its argv names the archive in
-XX:SharedArchiveFile=<JDK base>:<lib-src/kernel/target/NAME.jsa>. If the JVM accepts that archive
for this very command line (same JDK, same jars: a rebuilt jar makes it stale), nothing is done.
Otherwise the kernel is started once through Jupyter with -XX:ArchiveClassesAtExit instead, runs a
few cells that use what the lab notebooks use (JShell, a Sequential LSTM trained by Trainer,
Tablesaw, a plot, DL4J and Tribuo classes), is shut down cleanly (the JVM writes the archive on
exit), and the new archive replaces the old one once the JVM has accepted it. Takes 15-40 s; works
offline. The kernel never needs the archive: without it, it starts as before, only slower.
"""
import argparse
import os
import subprocess
import sys
import time

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

from kernelspec import LAUNCHER

OPTION = "-XX:SharedArchiveFile="

# What a lab notebook's first cells do; every class they load (outside JShell's own snippet
# classes) goes into the archive.
CELLS = [
    # a notebook's first cell: its imports (the kernel's start-up imports almost nothing; init.jshell)
    """
import rnnlab.nn.Layer;
import rnnlab.nn.Model;
import rnnlab.nn.Sequential;
import rnnlab.plot.Figures;
import rnnlab.text.PadSequences;
import rnnlab.train.FitOptions;
import rnnlab.train.History;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
""",
    "System.out.println(Lab.describe());",
    """
int[][] seqs = PadSequences.builder().maxlen(4).build().apply(new int[][] {{1, 2, 3}, {4, 5}, {6}, {7, 8, 9, 3}});
Model model = new Sequential()
        .add(new Layer.Embedding(16, 4).inputLength(4))
        .add(new Layer.LSTM(4))
        .add(new Layer.Dense(1, "sigmoid"))
        .compile("rmsprop", "binary_crossentropy");
History history = model.fit(Nd4j.createFromArray(seqs), new int[] {0, 1, 0, 1},
        FitOptions.builder().epochs(2).batchSize(2).validationSplit(0.5).seed(42).verbose(2).build());
model
""",
    """
for (String cell : List.of("simplernn", "gru")) {
    Model m = new Sequential()
            .add(new Layer.Embedding(16, 4).inputLength(4))
            .add(cell.equals("gru") ? new Layer.GRU(4) : new Layer.SimpleRNN(4))
            .add(new Layer.Dense(1, "sigmoid"))
            .compile("rmsprop", "binary_crossentropy");
    m.fit(Nd4j.createFromArray(seqs), new int[] {0, 1, 0, 1},
            FitOptions.builder().epochs(1).batchSize(4).seed(42).verbose(0).build());
}
history
""",
    "Figures.lossCurve(history.toTable())",
    """
var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().list()
        .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(2).nOut(1).build()).build();
var label = new org.tribuo.classification.Label("pos");
System.out.println(new MultiLayerNetwork(conf).getClass().getSimpleName() + " " + label.getLabel());
Table.create("t").addColumns(IntColumn.create("x", new int[] {7}), StringColumn.create("s", new String[] {"a"}))
""",
]


def archive_of(spec):
    """(index of the option in argv, base archive, our archive), or None if the spec names none."""
    for i, arg in enumerate(spec.argv):
        if arg.startswith(OPTION):
            files = arg[len(OPTION):]
            base, _, top = files.rpartition(":")
            return i, base, top
    return None


def jvm_accepts(spec):
    """True if the kernel's own JVM command line maps the archive (-Xshare:on fails otherwise)."""
    argv = spec.argv
    main = argv.index(LAUNCHER)
    cmd = [argv[0], "-Xshare:on", *argv[1:main], "-version"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return r.returncode == 0


def dump(name, spec, index, top, log_path, timeout):
    tmp = top + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    km = KernelManager(kernel_name=name)
    # Writing the archive at exit takes a few seconds (more on a loaded machine); jupyter_client's
    # default 5 s before it kills a kernel that was asked to shut down would cut it short.
    km.shutdown_wait_time = 120.0
    km.kernel_spec.argv[index] = f"-XX:ArchiveClassesAtExit={tmp}"
    with open(log_path, "w") as log:
        km.start_kernel(stdout=log, stderr=log)
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=timeout)
            for code in CELLS:
                reply = kc.execute_interactive(code, timeout=300, output_hook=lambda msg: None)
                c = reply["content"]
                if c["status"] != "ok":
                    raise RuntimeError(f"a training cell failed: {c.get('ename')}: {c.get('evalue')}\n{code}")
        finally:
            kc.stop_channels()
            # A clean shutdown (shutdown_request, then the JVM exits): the archive is written on exit.
            km.shutdown_kernel(now=False)
    if not os.path.isfile(tmp):
        raise RuntimeError(f"the kernel exited without writing {tmp}")
    os.replace(tmp, top)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--name", default=os.environ.get("RNNLAB_KERNEL", "rnnlab"), help="kernelspec (default rnnlab, or $RNNLAB_KERNEL)")
    ap.add_argument("--force", action="store_true", help="make it even if the JVM accepts the present one")
    ap.add_argument("--timeout", type=float, default=120, help="seconds to wait for the kernel to answer")
    a = ap.parse_args()
    spec = KernelSpecManager().get_kernel_spec(a.name)
    found = archive_of(spec)
    if found is None:
        print(f"rnnlab: kernelspec '{a.name}' names no class-data archive (this JDK has no base archive); nothing to do",
              file=sys.stderr)
        return
    index, base, top = found
    if not a.force and os.path.isfile(top) and jvm_accepts(spec):
        print(f"rnnlab: class-data archive {top} is up to date", file=sys.stderr)
        return
    os.makedirs(os.path.dirname(top), exist_ok=True)
    log_path = top + ".log"
    t = time.monotonic()
    last = None
    for attempt in range(1, 4):  # the kernel may miss its first start on a loaded machine (kernel_starts.py)
        try:
            dump(a.name, spec, index, top, log_path, a.timeout)
            last = None
            break
        except RuntimeError as e:
            last = e
            if "training cell failed" in str(e):
                break
            print(f"rnnlab: making the class-data archive, attempt {attempt}: {e}", file=sys.stderr)
    if last is not None:
        sys.exit(f"rnnlab: could not make the class-data archive ({last}); the kernel works without it, "
                 f"only starts slower. Kernel log: {log_path}")
    if not jvm_accepts(spec):
        os.remove(top)
        sys.exit(f"rnnlab: the JVM does not accept the new class-data archive; removed it (kernel log: {log_path})")
    print(f"rnnlab: class-data archive {top} made in {time.monotonic() - t:.0f} s "
          f"({os.path.getsize(top) >> 20} MB)", file=sys.stderr)


if __name__ == "__main__":
    main()
