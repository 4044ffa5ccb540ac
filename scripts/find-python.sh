#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter, or explains how to get one and fails.
# Rasa Open Source 3.6 needs Python below 3.11, so nothing newer will do.
set -euo pipefail
is310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; }
if [ -n "${PYTHON:-}" ]; then
  if is310 "$PYTHON"; then echo "$PYTHON"; exit 0; fi
  echo "PYTHON=$PYTHON is not a working Python 3.10." >&2; exit 1
fi
candidates=()
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for p in $(ls -d "$root"/versions/3.10.*/bin/python 2>/dev/null | sort -V -r); do candidates+=("$p"); done
fi
for p in python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10 python3; do
  command -v "$p" >/dev/null 2>&1 && candidates+=("$(command -v "$p")")
done
for p in "${candidates[@]}"; do
  if is310 "$p"; then echo "$p"; exit 0; fi
done
cat >&2 <<'MSG'
No Python 3.10 found. Rasa Open Source 3.6 needs Python 3.10 (not 3.11 or newer).
Install one, for example:
  pyenv install 3.10.13        (then run make again), or
  apt-get install python3.10 python3.10-venv
or point at one you have:  make run PYTHON=/path/to/python3.10
MSG
exit 1
