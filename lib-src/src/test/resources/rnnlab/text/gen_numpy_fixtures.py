# Regenerates numpy_fixtures.txt with the system interpreter: /usr/bin/python3 gen_numpy_fixtures.py
# Reference peer for rnnlab.text.NdFormat (numpy 1.24, default print options).
import numpy as np

rng = np.random.default_rng(7)
cases = [
    ("int_small", np.array([[1, 0, 0], [2, 3, 0], [4, 5, 6]], dtype=np.int32)),
    ("int_negative", np.array([[-1, 10, 0], [2, -300, 7]], dtype=np.int32)),
    ("int_1d_wrap", np.arange(-20, 40, dtype=np.int32) * 37),
    ("int_wide_rows", (np.arange(3 * 40, dtype=np.int32) % 17).reshape(3, 40) * 100),
    ("int_summary", np.arange(1200, dtype=np.int32).reshape(40, 30)),
    ("int_summary_1d", np.arange(1500, dtype=np.int32)),
    ("int_3d", np.arange(24, dtype=np.int32).reshape(2, 3, 4)),
    ("f32_small", np.array([[0.5, -1.25, 3.0], [0.1, 2.0, -0.0]], dtype=np.float32)),
    ("f32_random", (rng.uniform(-0.05, 0.05, size=(4, 5))).astype(np.float32)),
    ("f32_exp", np.array([[1e-5, 1.5], [0.0, -2.0]], dtype=np.float32)),
    ("f32_big", np.array([1.5e9, 3.0, 0.25], dtype=np.float32)),
    ("f32_nonfinite", np.array([np.nan, 1.5, -np.inf, 0.0], dtype=np.float32)),
    ("f32_summary", (rng.uniform(-0.05, 0.05, size=(40, 30))).astype(np.float32)),
    ("f64_small", np.array([[0.1, 0.2, 0.30000000000000004], [1.0, 2.5, 1.0 / 3.0]], dtype=np.float64)),
    ("f64_ints", np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float64)),
    ("f64_wrap", np.linspace(-1, 1, 17, dtype=np.float64)),
]
with open("numpy_fixtures.txt", "w") as f:
    for name, a in cases:
        f.write("#case %s %s %s\n" % (name, a.dtype, " ".join(str(d) for d in a.shape)))
        f.write(" ".join((np.format_float_positional(x, unique=True) if a.dtype == np.float32 else repr(float(x))) if a.dtype.kind == "f" else str(int(x)) for x in a.ravel()) + "\n")
        f.write("#str\n" + str(a) + "\n")
        f.write("#repr\n" + repr(a) + "\n")
        f.write("#end\n")
