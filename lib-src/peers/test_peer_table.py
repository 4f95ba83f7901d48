"""Tests of peer_table.py's arithmetic and record handling, and of the java.util.Random transcription
that report004_names.py's split relies on.

    cd lib-src/peers && /usr/bin/python3 -m unittest -v

The fixture in testdata/ is synthetic (values chosen to be exact in binary, so the boundaries of the
verdict can be tested exactly); no test needs torch except the split check, which is skipped without it.
"""
import io
import json
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import peer_table as pt  # noqa: E402
from peer_common import JavaRandom, java_round  # noqa: E402

DATA = os.path.join(HERE, "testdata")
RECORDS = os.path.join(DATA, "records")


class ArithmeticTest(unittest.TestCase):
    def test_mean_and_sample_sd(self):
        self.assertEqual(pt.mean_sd([0.5, 0.625, 0.75]), (0.625, 0.125))      # n − 1: sqrt(2·0.125² / 2)
        self.assertEqual(pt.mean_sd([0.3]), (0.3, 0.0))
        with self.assertRaises(ValueError):
            pt.mean_sd([])

    def test_verdict_is_the_range_widened_by_one_sd(self):
        torch = [0.5, 0.625, 0.75]                     # range [0.5, 0.75], sd 0.125 → [0.375, 0.875]
        self.assertEqual(pt.verdict(torch, [0.875]), "within")
        self.assertEqual(pt.verdict(torch, [0.375]), "within")
        self.assertEqual(pt.verdict(torch, [0.8, 0.95]), "within")            # our mean 0.875
        self.assertEqual(pt.verdict(torch, [0.876]), "outside: to explain")
        self.assertEqual(pt.verdict(torch, [0.374]), "outside: to explain")
        self.assertEqual(pt.verdict(torch, [0.9, 0.9]), "outside: to explain")

    def test_one_torch_seed_gives_no_verdict(self):
        self.assertEqual(pt.verdict([0.5], [0.5]), "pending: 1 PyTorch seed (the rule needs ≥ 2)")
        self.assertEqual(pt.verdict([0.5, 0.5], [0.5]), "within")
        self.assertEqual(pt.verdict([0.5, 0.5], [0.5001]), "outside: to explain")

    def test_a_side_without_runs(self):
        self.assertEqual(pt.verdict([], [0.5]), "—")
        self.assertEqual(pt.verdict([0.5], []), "—")
        self.assertEqual(pt.summary([]), "—")

    def test_summary_lists_the_seeds_in_order(self):
        self.assertEqual(pt.summary([(3, 0.75), (1, 0.5), (2, 0.625)]), "1, 2, 3: 62.50 ± 12.50 %")


class TableTest(unittest.TestCase):
    def table(self, *extra):
        out = io.StringIO()
        with redirect_stdout(out):
            self.assertEqual(pt.main(["table", RECORDS, *extra]), 0)
        return out.getvalue().splitlines()

    def row(self, lines, quantity):
        found = [l for l in lines if f"| {quantity} |" in l]
        self.assertEqual(len(found), 1, quantity)
        return found[0]

    def test_header_and_one_line_per_row(self):
        lines = self.table()
        self.assertEqual(lines[0], "| report | quantity | report's number | PyTorch here (seeds: mean ± sd) | "
                                   "rnnlab here (seeds: mean ± sd) | verdict |")
        self.assertEqual(len(lines), 2 + len(pt.ROWS))

    def test_fixture_rows(self):
        lines = self.table()
        self.assertEqual(self.row(lines, "RNN held-out accuracy, 300,000 iterations"),
                         "| 004 | RNN held-out accuracy, 300,000 iterations | ≈ 63 % | 1, 2, 3: 62.50 ± 12.50 % | "
                         "1, 2: 87.50 ± 0.00 % | within |")
        self.assertEqual(self.row(lines, "LSTM held-out accuracy, 300,000 iterations"),
                         "| 004 | LSTM held-out accuracy, 300,000 iterations | ≈ 88 % | 1, 2, 3: 62.50 ± 12.50 % | "
                         "1, 2: 88.75 ± 1.77 % | outside: to explain |")
        self.assertEqual(self.row(lines, "LeNet-5 test accuracy, best-validation epoch of 20"),
                         "| 001 exp 1 | LeNet-5 test accuracy, best-validation epoch of 20 | 99.08 % | "
                         "42: 99.00 ± 0.00 % | — | — |")
        self.assertTrue(self.row(lines, "GRU held-out accuracy, 300,000 iterations").endswith("| — | — | — |"))

    def test_quick_records_only_on_request(self):
        self.assertIn("| 1, 2, 3: 62.50 ± 12.50 % |", self.row(self.table(), "RNN held-out accuracy, 300,000 iterations"))
        # with seed 9's 0.0: mean 0.46875, sd sqrt((0.03125² + 0.15625² + 0.28125² + 0.46875²) / 3) = 0.32875
        self.assertIn("| 1, 2, 3, 9: 46.88 ± 32.87 % |",
                      self.row(self.table("--include-quick"), "RNN held-out accuracy, 300,000 iterations"))

    def test_the_same_seed_twice_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            for name in ("a.json", "b.json"):
                with open(os.path.join(d, name), "w") as f:
                    json.dump({"framework": "pytorch", "report": "004", "seed": 1, "mode": "full",
                               "quantities": {"RNN held-out accuracy": 0.5}}, f)
            err = io.StringIO()
            with redirect_stderr(err):
                self.assertEqual(pt.main(["table", d]), 2)
            self.assertIn("seed 1", err.getvalue())
            self.assertIn("keep one", err.getvalue())

    def test_a_bad_record_is_named(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "x.json")
            with open(p, "w") as f:
                json.dump({"framework": "pytorch", "report": "004", "mode": "full", "quantities": {}}, f)
            err = io.StringIO()
            with redirect_stderr(err):
                self.assertEqual(pt.main(["table", p]), 2)
            self.assertIn('x.json: "seed" is missing', err.getvalue())


class FromRnnlabTest(unittest.TestCase):
    def test_runner_output_of_notebook_09(self):
        rec = pt.from_rnnlab(os.path.join(DATA, "reproduction-09-full.json"), 4)
        self.assertEqual((rec["framework"], rec["report"], rec["seed"], rec["mode"]), ("rnnlab", "004", 4, "full"))
        self.assertEqual(rec["quantities"], {
            "RNN held-out accuracy at 100,000 iterations": 0.5, "RNN held-out accuracy": 0.625,
            "RNN tutorial-evaluation accuracy": 0.75, "LSTM held-out accuracy": 0.125,
            "LSTM tutorial-evaluation accuracy": 0.25, "GRU held-out accuracy": 0.375,
            "GRU tutorial-evaluation accuracy": 0.875})

    def test_full_run_record_of_notebook_07_in_percent(self):
        rec = pt.from_rnnlab(os.path.join(DATA, "record-07-full.json"), 42)
        self.assertEqual(rec["report"], "001-exp1")
        self.assertEqual(rec["quantities"], {"LeNet test accuracy": 0.99, "LSTM test accuracy": 0.985,
                                             "RNN test accuracy": 0.9625})

    def test_quick_mode_is_refused(self):
        with self.assertRaisesRegex(pt.BadRecord, "'quick'-mode run"):
            pt.from_rnnlab(os.path.join(DATA, "reproduction-09-quick.json"), 1)

    def test_written_record_feeds_the_table(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "rnnlab-004-seed4.json")
            with redirect_stdout(io.StringIO()):
                self.assertEqual(pt.main(["from-rnnlab", os.path.join(DATA, "reproduction-09-full.json"),
                                          "--seed", "4", "--out", out]), 0)
            self.assertEqual(pt.load(out)["quantities"]["GRU held-out accuracy"], 0.375)


class JavaRandomTest(unittest.TestCase):
    """Expected values printed by OpenJDK 17:
    Random r = new Random(42); five r.nextInt(10), then r.nextInt(1000003), r.nextInt(16),
    r.nextInt(Integer.MAX_VALUE); and Collections.shuffle(0..19, new Random(7))."""

    def test_next_int_as_java(self):
        r = JavaRandom(42)
        self.assertEqual([r.next_int(10) for _ in range(5)] + [r.next_int(1000003), r.next_int(16), r.next_int(2 ** 31 - 1)],
                         [0, 3, 8, 4, 0, 81456, 4, 1519796918])

    def test_shuffle_as_collections_shuffle(self):
        items = list(range(20))
        JavaRandom(7).shuffle(items)
        self.assertEqual(items, [8, 17, 3, 7, 2, 1, 14, 19, 11, 13, 10, 6, 0, 18, 4, 5, 9, 15, 12, 16])

    def test_math_round(self):
        self.assertEqual([java_round(x) for x in (0.0, 0.4, 0.5, 7.4, 7.5, 200.0)], [0, 0, 1, 7, 8, 200])


class NamesSplitTest(unittest.TestCase):
    """report004_names.split holds out what NamesData.split(0.1, 42) holds out: counts and first names
    printed by rnnlab.data.Names.load(DataSource.of(data)) on the shipped data/names/data.zip."""

    def test_same_members_as_notebook_09(self):
        try:
            import report004_names as r
        except ImportError as e:
            self.skipTest(f"needs python3-torch ({e})")
        lines, _ = r.load_names(os.path.join(os.path.dirname(os.path.dirname(HERE)), "data"))
        train, val = r.split(lines, 0.1, 42)
        self.assertEqual((sum(map(len, train.values())), sum(map(len, val.values()))), (18067, 2007))
        self.assertEqual(val["Italian"][:5], ["Capello", "Fiscella", "Sciacchitano", "Pecora", "Aloia"])
        self.assertEqual(val["Russian"][:5], ["Bairashevski", "Shalyto", "Kabalin", "Agamiroff", "Natho"])
        self.assertEqual(train["Vietnamese"][:5], ["an", "Thao", "Trinh", "Trang", "Mach"])


if __name__ == "__main__":
    unittest.main()
