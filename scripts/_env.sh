# Shared set-up for scripts/run and scripts/test: a virtualenv with the registry installed,
# and a local Elasticsearch node unless REGISTRY_ELASTICSEARCH_URL names another cluster.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${REGISTRY_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"

pick_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "error: Python 3.11 or newer is required (none found on PATH)" >&2
  return 1
}

ensure_venv() {
  if [ ! -x "$PY" ]; then
    echo "creating virtualenv in $VENV" >&2
    "$(pick_python)" -m venv "$VENV"
  fi
  local stamp="$VENV/.registry-installed"
  local want
  want="$(cat "$ROOT/pyproject.toml" "$ROOT/requirements.lock" | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "installing the registry and its locked dependencies" >&2
    "$PY" -m pip install --quiet --upgrade pip
    # Exact versions with hashes from the lock file; the registry itself without resolving again.
    "$PY" -m pip install --quiet --require-hashes -r "$ROOT/requirements.lock"
    "$PY" -m pip install --quiet --no-deps -e "$ROOT"
    echo "$want" >"$stamp"
  fi
}

ensure_search() {
  if [ -n "${REGISTRY_ELASTICSEARCH_URL:-}" ]; then
    echo "using Elasticsearch at $REGISTRY_ELASTICSEARCH_URL" >&2
    return 0
  fi
  "$PY" -m registry dev-es start
}

cd "$ROOT"
