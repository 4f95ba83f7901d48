"""The public top-level Java types of a class path, by package, read from the class files themselves
(no JVM started): what a wildcard import `import p.*;` brings into scope. Used to check that the
kernel's start-up imports (environment/init.jshell) clash with no type of the libraries a user may
wildcard-import (interop_check.py)."""
import glob
import os
import struct
import subprocess
import zipfile

ACC_PUBLIC = 0x0001
# constant-pool entry sizes after the tag byte (tag 1, Utf8, is 2 + its length)
_CP_SIZES = {3: 4, 4: 4, 5: 8, 6: 8, 7: 2, 8: 2, 9: 4, 10: 4, 11: 4, 12: 4, 15: 3, 16: 2, 17: 4, 18: 4, 19: 2, 20: 2}


def access_flags(data):
    """The access flags of a class file's class (None if it is not a class file)."""
    if len(data) < 10 or data[:4] != b"\xca\xfe\xba\xbe":
        return None
    count = struct.unpack_from(">H", data, 8)[0]
    pos, i = 10, 1
    while i < count:
        tag = data[pos]
        if tag == 1:
            pos += 3 + struct.unpack_from(">H", data, pos + 1)[0]
        elif tag in _CP_SIZES:
            pos += 1 + _CP_SIZES[tag]
            if tag in (5, 6):
                i += 1  # long and double take two slots
        else:
            return None
        i += 1
    return struct.unpack_from(">H", data, pos)[0]


def jar_types(path, prefixes=None):
    """{package: {simple name: qualified name}} of the public top-level classes in one jar (packages
    starting with one of `prefixes`, if given). Multi-release and module-info entries are skipped."""
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.endswith(".class") or name.startswith("META-INF/") or "$" in name.rsplit("/", 1)[-1]:
                continue
            pkg, _, cls = name[:-len(".class")].rpartition("/")
            if cls in ("module-info", "package-info"):
                continue
            pkg = pkg.replace("/", ".")
            if prefixes and not any(pkg == p or pkg.startswith(p + ".") for p in prefixes):
                continue
            with z.open(name) as f:
                head = f.read()
            flags = access_flags(head)
            if flags is not None and flags & ACC_PUBLIC:
                out.setdefault(pkg, {})[cls] = f"{pkg}.{cls}"
    return out


def classpath_types(jars, prefixes=None):
    """jar_types over several jars, merged."""
    merged = {}
    for j in jars:
        for pkg, names in jar_types(j, prefixes).items():
            merged.setdefault(pkg, {}).update(names)
    return merged


def jdk_types(packages, java_home=None):
    """{package: {simple name: qualified name}} of the JDK's top-level types in `packages` (from
    `jimage list`; the JDK's non-public top-level types are few, and counting them only makes a clash
    check stricter)."""
    home = java_home or os.environ.get("JAVA_HOME") or os.path.dirname(os.path.dirname(os.path.realpath(
        subprocess.run(["sh", "-c", "command -v java"], capture_output=True, text=True).stdout.strip())))
    jimage = os.path.join(home, "bin", "jimage")
    r = subprocess.run([jimage if os.path.exists(jimage) else "jimage", "list", os.path.join(home, "lib", "modules")],
                       capture_output=True, text=True, check=True)
    out = {}
    for line in r.stdout.splitlines():
        entry = line.strip()
        if not entry.endswith(".class"):
            continue
        pkg, _, cls = entry[:-len(".class")].rpartition("/")
        pkg = pkg.replace("/", ".")
        if pkg in packages and "$" not in cls and cls not in ("module-info", "package-info"):
            out.setdefault(pkg, {})[cls] = f"{pkg}.{cls}"
    return out


def kernel_jars(root):
    """The jars on the rnnlab kernel's class path (as environment/kernelspec.py lists them)."""
    target = os.path.join(root, "lib-src", "target")
    return [os.path.join(target, "rnnlab.jar")] + sorted(glob.glob(os.path.join(target, "lib", "*.jar")))
