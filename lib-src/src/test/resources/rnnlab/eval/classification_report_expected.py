"""Expected output of sklearn.metrics.classification_report(y_true, y_pred, labels=range(4),
target_names=NAMES, digits=4) for the fixture below, computed from the definitions (sklearn is not
installed here): per-class precision tp/(tp+fp), recall tp/(tp+fn), F1 2pr/(p+r), 0 on a zero
denominator (zero_division=0); macro = plain mean over the 4 classes; weighted = support-weighted
mean; accuracy = correct/total. The layout reproduces sklearn's format strings.
Run: /usr/bin/python3 classification_report_expected.py > classification_report_expected.txt"""

NAMES = ["cat", "dog", "bird", "fish"]
Y_TRUE = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 3, 1, 0, 2]
Y_PRED = [0, 0, 1, 2, 1, 1, 0, 2, 2, 2, 1, 2, 2, 1, 0, 0]

def div(a, b):
    return a / b if b else 0.0

rows = []
for c in range(len(NAMES)):
    tp = sum(1 for t, p in zip(Y_TRUE, Y_PRED) if t == c and p == c)
    fp = sum(1 for t, p in zip(Y_TRUE, Y_PRED) if t != c and p == c)
    fn = sum(1 for t, p in zip(Y_TRUE, Y_PRED) if t == c and p != c)
    p, r = div(tp, tp + fp), div(tp, tp + fn)
    rows.append((NAMES[c], p, r, div(2 * p * r, p + r), tp + fn))
n = len(Y_TRUE)
acc = sum(1 for t, p in zip(Y_TRUE, Y_PRED) if t == p) / n
macro = [sum(r[k] for r in rows) / len(rows) for k in (1, 2, 3)]
weighted = [sum(r[k] * r[4] for r in rows) / n for k in (1, 2, 3)]

digits = 4
headers = ["precision", "recall", "f1-score", "support"]
width = max(max(len(x) for x in NAMES), len("weighted avg"), digits)
head_fmt = "{:>{width}s} " + " {:>9}" * len(headers)
report = head_fmt.format("", *headers, width=width) + "\n\n"
row_fmt = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
for row in rows:
    report += row_fmt.format(*row, width=width, digits=digits)
report += "\n"
row_fmt_accuracy = "{:>{width}s} " + " {:>9.{digits}}" * 2 + " {:>9.{digits}f}" + " {:>9}\n"
report += row_fmt_accuracy.format("accuracy", "", "", acc, n, width=width, digits=digits)
report += row_fmt.format("macro avg", *macro, n, width=width, digits=digits)
report += row_fmt.format("weighted avg", *weighted, n, width=width, digits=digits)
print(report, end="")
for row in rows:
    print(repr(row))
print("accuracy", repr(acc), "macro", [repr(v) for v in macro], "weighted", [repr(v) for v in weighted])
