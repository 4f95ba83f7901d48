#!/usr/bin/python3
"""Every rnnlab notebook carries the imports it uses in its first code cell.

    /usr/bin/python3 environment/notebook_imports.py notebooks [--project ROOT] [--check]   (lab test runs --check)

The kernel's start-up script (environment/init.jshell) used to import whole packages (rnnlab.nn.*,
rnnlab.train.*, tech.tablesaw.api.*, java.nio.file.* ...), whose names clash with Tribuo's, DL4J's and
ND4J's when a user wildcard-imports those. It now imports almost nothing, so each notebook gets a first
code cell importing, by single-type imports, every class it names from the packages the old start-up
imported. The set is computed from the notebook's code each time (not a fixed list), so uses the lead
added meanwhile (FullRun, Reproduction, Lab, ...) are found too:

- rnnlab's types are read from the sources in ROOT/lib-src/src/main/java/rnnlab/<package>/ (no build
  needed), Tablesaw's from its jar (lib-src/target/lib or ~/.m2), the JDK's from `jimage list`;
- a notebook's code is stripped of comments, strings and %magic lines; a capitalised identifier not
  preceded by '.' that names such a type is a use, unless the notebook declares a type of that name or
  imports it itself.

Idempotent: the imports cell (metadata {"rnnlab": {"role": "imports"}}, id "rnnlab-imports") and the
one-sentence markdown cell before it (role "imports-note") are inserted before the first code cell the
first time and rewritten in place afterwards; nothing else in the notebook changes (it is read and written
as plain JSON, keys in their order, so no other line of the file moves). --check writes
nothing and exits 1 if a notebook would change.
"""
import argparse
import glob
import json
import os
import re
import struct
import subprocess
import sys
import zipfile

# What environment/init.jshell imported before issue 19: wildcards, then single types (which won).
# Since issue 20, Lab and Interrupt live in rnnlab.lab and Displayable and Html in rnnlab.display (both listed
# after rnnlab.notebook).
OLD_WILDCARDS = ["java.nio.file", "java.util.stream", "tech.tablesaw.api", "rnnlab.notebook", "rnnlab.lab",
                 "rnnlab.display", "rnnlab.text",
                 "rnnlab.data", "rnnlab.plot", "rnnlab.train", "rnnlab.eval", "rnnlab.nn", "rnnlab.charrnn"]
OLD_SINGLES = ["org.nd4j.linalg.api.ndarray.INDArray", "org.nd4j.linalg.factory.Nd4j",
               "org.deeplearning4j.nn.multilayer.MultiLayerNetwork"]
NOTE = ("The first code cell imports every class this notebook names, so it runs in any JShell-based Java "
        "kernel that has rnnlab's jars (README, \"Using rnnlab from another Java kernel\"), and a cell may "
        "add `import org.tribuo.*;` or any other library's packages without a name clash.")
IMPORTS_ID, NOTE_ID = "rnnlab-imports", "rnnlab-imports-note"


def die(msg):
    sys.exit(f"notebook_imports: {msg}")


# --- the candidate types -------------------------------------------------------------------------
def rnnlab_types(root, package):
    """Public top-level types of an rnnlab package, from its sources."""
    d = os.path.join(root, "lib-src", "src", "main", "java", *package.split("."))
    if not os.path.isdir(d):
        die(f"no sources for {package} in {d}: is --project the rnnlab checkout?")
    out = {}
    for f in sorted(glob.glob(os.path.join(d, "*.java"))):
        name = os.path.basename(f)[:-len(".java")]
        if name in ("package-info", "module-info"):
            continue
        src = strip_java(open(f, encoding="utf-8").read())
        if re.search(r"\bpublic\s+(?:(?:final|abstract|sealed|non-sealed|static|strictfp)\s+)*(?:class|interface|enum|record|@interface)\s+"
                     + re.escape(name) + r"\b", src):
            out[name] = f"{package}.{name}"
    return out


_CP = {3: 4, 4: 4, 5: 8, 6: 8, 7: 2, 8: 2, 9: 4, 10: 4, 11: 4, 12: 4, 15: 3, 16: 2, 17: 4, 18: 4, 19: 2, 20: 2}


def is_public_class(data):
    count, pos, i = struct.unpack_from(">H", data, 8)[0], 10, 1
    while i < count:
        tag = data[pos]
        if tag == 1:
            pos += 3 + struct.unpack_from(">H", data, pos + 1)[0]
        else:
            pos += 1 + _CP[tag]
            i += tag in (5, 6)
        i += 1
    return bool(struct.unpack_from(">H", data, pos)[0] & 1)


def jar_package_types(root, package, artifact_glob):
    jars = sorted(glob.glob(os.path.join(root, "lib-src", "target", "lib", artifact_glob)))
    jars = jars or sorted(glob.glob(os.path.expanduser("~/.m2/repository/tech/tablesaw/tablesaw-core/*/" + artifact_glob)))
    if not jars:
        die(f"no {artifact_glob} for {package}: build the library first (cd {root} && mvn -B -q package -DskipTests)")
    prefix = package.replace(".", "/") + "/"
    out = {}
    with zipfile.ZipFile(jars[-1]) as z:
        for n in z.namelist():
            rest = n[len(prefix):] if n.startswith(prefix) else None
            if rest and rest.endswith(".class") and "/" not in rest and "$" not in rest:
                cls = rest[:-len(".class")]
                if cls != "package-info" and is_public_class(z.read(n)):
                    out[cls] = f"{package}.{cls}"
    return out


def jdk_types(packages):
    java = subprocess.run(["sh", "-c", "readlink -f \"$(command -v java)\""], capture_output=True, text=True).stdout.strip()
    home = os.environ.get("JAVA_HOME") or os.path.dirname(os.path.dirname(java))
    r = subprocess.run(["jimage", "list", os.path.join(home, "lib", "modules")], capture_output=True, text=True)
    if r.returncode != 0:
        die(f"jimage list failed ({r.stderr.strip()}); set JAVA_HOME to a JDK 17")
    out = {p: {} for p in packages}
    for line in r.stdout.splitlines():
        e = line.strip()
        if e.endswith(".class"):
            pkg, _, cls = e[:-6].rpartition("/")
            pkg = pkg.replace("/", ".")
            if pkg in out and "$" not in cls and cls not in ("package-info", "module-info"):
                out[pkg][cls] = f"{pkg}.{cls}"
    return out


def public_jdk(names):
    """The subset of qualified JDK names that are public types (javap prints their modifiers)."""
    if not names:
        return set()
    r = subprocess.run(["javap", *sorted(names)], capture_output=True, text=True)
    return {m.group(1) for m in re.finditer(r"^public .*?(?:class|interface|enum|record) ([\w.]+)", r.stdout, re.M)}


def candidates(root):
    """{simple name: qualified name} of what the old start-up made usable by simple name."""
    by_pkg = jdk_types([p for p in OLD_WILDCARDS if p.startswith("java.")])
    for p in OLD_WILDCARDS:
        if p.startswith("rnnlab."):
            by_pkg[p] = rnnlab_types(root, p)
        elif p == "tech.tablesaw.api":
            by_pkg[p] = jar_package_types(root, p, "tablesaw-core-*.jar")
    names = {}
    for p in OLD_WILDCARDS:
        for n, q in by_pkg[p].items():
            names.setdefault(n, []).append(q)
    for q in OLD_SINGLES:
        names[q.rsplit(".", 1)[1]] = [q]  # a single-type import wins over the wildcards
    return names


# --- a notebook's uses ---------------------------------------------------------------------------
def strip_java(src):
    """Java source without comments, string/char literals and text blocks (replaced by spaces)."""
    out, i, n = [], 0, len(src)
    while i < n:
        if src.startswith('"""', i):
            j = src.find('"""', i + 3)
            j = n if j < 0 else j + 3
            out.append(" ")
            i = j
        elif src[i] in "\"'":
            q, j = src[i], i + 1
            while j < n and src[j] != q and src[j] != "\n":
                j += 2 if src[j] == "\\" else 1
            out.append(" ")
            i = j + 1
        elif src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        else:
            out.append(src[i])
            i += 1
    return "".join(out)


def code_of(cell):
    src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    return "\n".join(l for l in src.splitlines() if not l.lstrip().startswith("%"))


def needed(nb, names):
    code = strip_java("\n".join(code_of(c) for c in nb["cells"] if c["cell_type"] == "code" and not is_imports(c)))
    declared = set(re.findall(r"\b(?:class|interface|enum|record)\s+([A-Z]\w*)", code))
    imported = set(re.findall(r"\bimport\s+(?:static\s+)?[\w.]+\.(\w+)\s*;", code))
    used = set()
    for m in re.finditer(r"[A-Za-z_$][\w$]*", code):
        k = m.start() - 1
        while k >= 0 and code[k].isspace():
            k -= 1
        if m.group(0)[0].isupper() and not (k >= 0 and code[k] == "."):  # a.b.Name is qualified: no import
            used.add(m.group(0))
    out, ambiguous = [], []
    for u in sorted(used - declared - imported):
        qs = names.get(u)
        if not qs:
            continue
        if len(qs) > 1:
            ambiguous.append(f"{u}: {', '.join(qs)}")
        else:
            out.append(qs[0])
    return out, ambiguous


def imports_source(qualified):
    groups = {}
    for q in sorted(set(qualified)):
        groups.setdefault(q.split(".")[0], []).append(f"import {q};")
    order = sorted(groups, key=lambda g: (["java", "javax", "org", "tech", "rnnlab"] + [g]).index(g))
    return "\n\n".join("\n".join(groups[g]) for g in order)


def role(cell):
    r = cell.get("metadata", {}).get("rnnlab", {})
    return r.get("role") if isinstance(r, dict) else None


def is_imports(cell):
    return role(cell) == "imports"


def is_note(cell):
    return role(cell) == "imports-note"


def lines(text):
    """A cell source as nbformat stores it: a list of lines, each but the last ending in a newline."""
    return text.splitlines(keepends=True)


def apply(path, names, check):
    """Inserts or updates the two cells. The notebook is read and written as plain JSON with its keys in
    their existing order (nbformat would sort them), so no other line of the file changes."""
    with open(path, encoding="utf-8") as f:
        before = f.read()
    nb = json.loads(before)
    qualified, ambiguous = needed(nb, names)
    if ambiguous:
        die(f"{path}: names in more than one of the old start-up's packages: {'; '.join(ambiguous)}")
    src = imports_source(qualified) if qualified else "// this notebook names no class from rnnlab, Tablesaw, ND4J or java.nio.file"
    cells = [c for c in nb["cells"] if not is_imports(c) and not is_note(c)]
    imports = next((c for c in nb["cells"] if is_imports(c)), None)
    note = next((c for c in nb["cells"] if is_note(c)), None)
    with_ids = nb.get("nbformat", 4) > 4 or nb.get("nbformat_minor", 0) >= 5
    if imports is None:
        imports = {"cell_type": "code", "execution_count": None, **({"id": IMPORTS_ID} if with_ids else {}),
                   "metadata": {"rnnlab": {"role": "imports"}}, "outputs": [], "source": []}
    if note is None:
        note = {"cell_type": "markdown", **({"id": NOTE_ID} if with_ids else {}),
                "metadata": {"rnnlab": {"role": "imports-note"}}, "source": []}
    imports["source"] = lines(src)
    imports.setdefault("metadata", {})["rnnlab"] = {"role": "imports"}
    note["source"] = lines(NOTE)
    note.setdefault("metadata", {})["rnnlab"] = {"role": "imports-note"}
    first_code = next((i for i, c in enumerate(cells) if c["cell_type"] == "code"), len(cells))
    nb["cells"] = cells[:first_code] + [note, imports] + cells[first_code:]
    after = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    changed = after != before
    if changed and not check:
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(after)
        os.replace(tmp, path)
    return changed, qualified


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebook_dir")
    ap.add_argument("--project", help="the rnnlab checkout (default: NOTEBOOK_DIR/..)")
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook would change")
    a = ap.parse_args()
    root = os.path.abspath(a.project or os.path.join(a.notebook_dir, ".."))
    paths = sorted(glob.glob(os.path.join(a.notebook_dir, "*.ipynb")))
    if not paths:
        die(f"no notebooks in {a.notebook_dir}")
    names = candidates(root)
    # keep only what a notebook can import: the JDK's non-public types are listed by jimage too
    jdk_used = set()
    for p in paths:
        with open(p, encoding="utf-8") as f:
            jdk_used |= {q for q in needed(json.load(f), names)[0] if q.startswith("java.")}
    public = public_jdk(jdk_used)
    for n, qs in list(names.items()):
        names[n] = [q for q in qs if not q.startswith("java.") or q not in jdk_used or q in public]
    changed_any = False
    for p in paths:
        changed, qualified = apply(p, names, a.check)
        changed_any |= changed
        print(f"{os.path.basename(p)}: {'would change' if a.check and changed else 'updated' if changed else 'unchanged'}"
              f" ({len(qualified)} imports)")
    sys.exit(1 if a.check and changed_any else 0)


if __name__ == "__main__":
    main()
