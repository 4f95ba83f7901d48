#!/usr/bin/env bash
# Prints the Python interpreter that owns Jupyter: the system one (Debian's packages live there),
# unless RNNLAB_PYTHON names another. A pyenv/conda python3 earlier on PATH is not used by default.
if [ -n "${RNNLAB_PYTHON:-}" ]; then echo "$RNNLAB_PYTHON"; exit 0; fi
for p in /usr/bin/python3 "$(command -v python3)"; do
  if [ -x "$p" ] && "$p" -c 'import nbclient' >/dev/null 2>&1; then echo "$p"; exit 0; fi
done
echo /usr/bin/python3
