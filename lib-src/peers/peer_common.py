"""What the two peer scripts share: where the data is, the command line, the JSON record, and a
transcription of java.util.Random (so report004_names.py holds out the very names notebook 09 does).

Plain standard library: peer_table.py and its test import nothing from here, so they run without torch.
"""
import argparse
import json
import os
import platform
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = os.path.join(REPO, "data")                                  # shipped samples (quick mode)
FULL_DATA = os.path.normpath(os.path.join(REPO, "..", "shared", "datasets"))


def arguments(description, extra=None):
    """The options every peer script takes (--seed, --data, --quick, --threads, --out) plus its own."""
    ap = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=None, help="replaces the report's seed (004: none, the tutorial "
                    "is unseeded, default 0; 001: torch.manual_seed(42), default 42)")
    ap.add_argument("--data", default=None, help="data folder with names/, mnist/ as our loaders read it "
                    "(default: $RNNLAB_DATA, else ../shared/datasets beside the repository; with --quick the "
                    "shipped samples in data/)")
    ap.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test that runs in seconds")
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1: the machine is shared)")
    ap.add_argument("--out", default=None, help="write the run's record here (JSON); the folder is created")
    if extra:
        extra(ap)
    a = ap.parse_args()
    if a.threads < 1:
        ap.error(f"--threads must be at least 1, got {a.threads}")
    if a.data is None:
        a.data = SAMPLES if a.quick else os.environ.get("RNNLAB_DATA") or FULL_DATA
    if not os.path.isdir(a.data):
        ap.error(f"--data {a.data}: no such folder; pass the folder that holds names/ and mnist/ "
                 f"(e.g. /work/shared/datasets, or {SAMPLES} for the shipped samples) or set RNNLAB_DATA")
    return a


def data_file(root, *parts, what):
    p = os.path.join(root, *parts)
    if not os.path.isfile(p):
        sys.exit(f"{p}: missing; {what} is read from <data>/{'/'.join(parts)} as our loaders read it "
                 f"(pass --data DIR or set RNNLAB_DATA to a folder laid out like data/ or /work/shared/datasets)")
    return p


def machine():
    import torch
    return {"python": platform.python_version(), "torch": torch.__version__, "threads": torch.get_num_threads(),
            "cpu_count": os.cpu_count(), "platform": platform.platform()}


def write_record(path, record):
    """Writes the record atomically (a failed run never leaves half a file); nothing when path is None."""
    text = json.dumps(record, indent=1, ensure_ascii=False) + "\n"
    if path is None:
        return
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".peer-", suffix=".json.tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    print(f"record written to {path}", flush=True)


def utc_now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class JavaRandom:
    """java.util.Random's 48-bit LCG, nextInt(bound) and Collections.shuffle, transcribed from the JDK
    so that a seeded split made here has the members NamesData.split(0.1, 42) gives in notebook 09."""

    MULT, ADD, MASK = 0x5DEECE66D, 0xB, (1 << 48) - 1

    def __init__(self, seed):
        self.seed = (seed ^ self.MULT) & self.MASK

    def _next(self, bits):
        self.seed = (self.seed * self.MULT + self.ADD) & self.MASK
        r = self.seed >> (48 - bits)
        return r - (1 << 32) if r >= (1 << 31) else r           # (int) cast: two's complement

    def next_int(self, bound):
        if bound <= 0:
            raise ValueError("bound must be positive")
        r = self._next(31)
        m = bound - 1
        if bound & m == 0:                                         # a power of two
            return (bound * r) >> 31
        u = r
        while True:
            r = u % bound
            if _int32(u - r + m) >= 0:                            # Java's overflow test: u - r + m < 0
                return r
            u = self._next(31)

    def shuffle(self, items):
        """Collections.shuffle(list, rnd) for a RandomAccess list: swap(i - 1, nextInt(i)), i = size .. 2."""
        for i in range(len(items), 1, -1):
            j = self.next_int(i)
            items[i - 1], items[j] = items[j], items[i - 1]


def _int32(x):
    x &= 0xFFFFFFFF
    return x - (1 << 32) if x >= (1 << 31) else x


def java_round(x):
    """Math.round(double) for the non-negative values used here: floor(x + 0.5)."""
    import math
    return int(math.floor(x + 0.5))
