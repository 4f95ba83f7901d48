#!/usr/bin/env bash
# rnnlab environment installer: system packages (Jupyter, nbconvert, Chromium, CJK fonts),
# the helper library and its runtime classpath, the kernel launcher, and the 'rnnlab' Java kernelspec.
# Safe to re-run: it installs only what is missing and rewrites the kernelspec in place.
#
#   environment/install.sh            # everything
#   RNNLAB_SKIP_APT=1 environment/install.sh   # never call apt-get (you installed the packages yourself)
#   RNNLAB_KERNEL=rnnlab-dev environment/install.sh   # register the kernelspec under another name
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
say() { printf 'rnnlab: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# --- 1. system packages -------------------------------------------------------------------
# Debian/Ubuntu package names. pip equivalent (no root): pip install --user notebook nbconvert nbclient jupyter_client
apt_pkgs=(openjdk-17-jdk-headless maven jupyter-notebook jupyter-nbconvert jupyter-client python3-nbclient
          chromium fonts-noto-cjk)
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${apt_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
# A JDK or Maven from elsewhere (SDKMAN, Temurin) is fine: drop them from the list if present.
if command -v javac >/dev/null 2>&1; then missing=("${missing[@]/openjdk-17-jdk-headless}"); fi
if command -v mvn >/dev/null 2>&1; then missing=("${missing[@]/maven}"); fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if [ ${#missing[@]} -gt 0 ]; then
  if [ -n "${RNNLAB_SKIP_APT:-}" ]; then
    say "RNNLAB_SKIP_APT is set; not installing: ${missing[*]}"
  elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  elif command -v apt-get >/dev/null 2>&1; then
    die "missing system packages: ${missing[*]}
  Only this step needs root. Run:  sudo apt-get install ${missing[*]}
  (or install Jupyter with pip: pip install --user notebook nbconvert nbclient jupyter_client,
   and set RNNLAB_SKIP_APT=1), then run this command again."
  else
    say "not a Debian/Ubuntu system: make sure Java 17, Maven, Jupyter (notebook, nbconvert, nbclient) and Chromium are installed"
  fi
fi

# --- 2. check the tools ---------------------------------------------------------------------
command -v java >/dev/null 2>&1 || die "Java not found. Install a JDK 17 or newer (Debian/Ubuntu: sudo apt-get install openjdk-17-jdk-headless)."
jv=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
[ "${jv%%.*}" -ge 17 ] 2>/dev/null || die "Java $jv found; rnnlab needs Java 17 or newer (sudo apt-get install openjdk-17-jdk-headless)."
command -v mvn >/dev/null 2>&1 || die "Maven not found (Debian/Ubuntu: sudo apt-get install maven)."
command -v jupyter >/dev/null 2>&1 || die "Jupyter not found (Debian/Ubuntu: sudo apt-get install jupyter-notebook jupyter-nbconvert jupyter-client; or pip install --user notebook nbconvert nbclient)."
py=$("$here/python.sh")
"$py" -c 'import nbclient, nbconvert, nbformat' 2>/dev/null \
  || die "$py cannot import nbclient/nbconvert/nbformat (sudo apt-get install jupyter-nbconvert python3-nbclient)."

# --- 3. the helper library, the kernel launcher and the bench (all Maven modules) ---------------
# A checkout last built before the kernel and the bench became modules of their own (issue 20) has their
# classes and the display-service file in lib-src/target/classes; Maven never deletes those, so they would
# ship in rnnlab.jar again. Such a build starts clean.
if [ -d "$root/lib-src/target/classes/rnnlab/notebook/kernel" ] || [ -d "$root/lib-src/target/classes/rnnlab/bench" ]; then
  say "lib-src/target holds the kernel's and the bench's classes from before they moved to lib-src/kernel and lib-src/bench: removing it"
  rm -rf "$root/lib-src/target"
fi
say "building the helper library and the kernel (mvn package)"
# MAVEN_OPTS: Debian's Maven 3.8 writes jansi's colour reset (ESC[0m) even in batch mode; this stops it.
(cd "$root" && MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true" mvn -B -q -Dstyle.color=never package -DskipTests) || die "the build failed: see the Maven output above"
target="$root/lib-src/target"
kernel_target="$root/lib-src/kernel/target"
[ -f "$target/rnnlab.jar" ] && [ -d "$target/lib" ] || die "the build did not produce $target/rnnlab.jar and $target/lib"
[ -f "$kernel_target/rnnlab-kernel.jar" ] && compgen -G "$kernel_target/lib/rapaio-jupyter-kernel-*.jar" >/dev/null \
  || die "the build did not produce $kernel_target/rnnlab-kernel.jar and $kernel_target/lib/rapaio-jupyter-kernel-*.jar"
if jar tf "$target/rnnlab.jar" | grep '^rnnlab/\(bench\|kernel\|notebook/kernel\)/\|^META-INF/services/org\.rapaio' >/dev/null; then
  die "$target/rnnlab.jar holds kernel or bench classes left from an older build: run 'mvn clean' in $root, then this again"
fi

# --- 4. the kernelspec ------------------------------------------------------------------------
# RNNLAB_KERNEL names it (default rnnlab): a second checkout can register its own beside it.
kernel=${RNNLAB_KERNEL:-rnnlab}
"$py" "$here/kernelspec.py" --project "$root" --name "$kernel"

# --- 5. the kernel's class-data archive (faster kernel start) ---------------------------------------
# One real kernel run records the classes it loads (AppCDS); redone only when a jar or the JDK changed.
# The kernel starts without it (slower), so a failure here is a warning, not an error.
# `lab test` sets RNNLAB_ARCHIVE_REQUIRED=1: there a failure is an error, so a change that breaks the
# archive's warm-up cells (they run library code) fails CI instead of only slowing every kernel start.
if ! "$py" "$here/kernel_archive.py" --name "$kernel"; then
  [ "${RNNLAB_ARCHIVE_REQUIRED:-0}" = 1 ] && die "no class-data archive for kernel '$kernel' (RNNLAB_ARCHIVE_REQUIRED=1); see the message above"
  say "warning: no class-data archive for kernel '$kernel' (it works, but starts slower); see the message above"
fi
say "ready: kernel '$kernel' registered; notebooks in $root/notebooks"
