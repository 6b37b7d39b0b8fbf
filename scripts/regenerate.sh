#!/usr/bin/env bash
# Rebuild the typed client in generated/ from openapi/replicate.yaml.
#
#   scripts/regenerate.sh            rewrite generated/ in place
#   scripts/regenerate.sh --check    fail (exit 1) when generated/ is not what the spec produces
#
# The generator and the formatter are pinned (pyproject.toml, extra "dev") and
# both run with fixed settings, so the same spec always yields the same bytes.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
bin="${VENV_BIN:-$here/.venv/bin}"
mode="${1:-write}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The generator's own warnings matter (skipped operations, unsupported schemas),
# so they are shown, and an unexpected one fails the run.
"$bin/openapi-python-client" generate \
    --path openapi/replicate.yaml \
    --config openapi/config.yaml \
    --custom-template-path openapi/templates \
    --meta none \
    --output-path "$work/generated" >"$work/log" 2>&1 || { cat "$work/log"; exit 1; }
if grep -q "Warning" "$work/log"; then
    echo "openapi-python-client warned:" >&2
    cat "$work/log" >&2
    exit 1
fi

# The resource classes (client.models.get(...)), from the same spec and config.
"$bin/python" scripts/generate_resources.py "$work/generated/resources"

# --isolated: the project's ruff settings exclude generated/, and must not
# change what the generated code looks like.
"$bin/ruff" check --isolated --quiet --fix --select I,F401,UP --target-version py311 "$work/generated" >/dev/null
"$bin/ruff" format --isolated --quiet --line-length 100 --target-version py311 "$work/generated"
find "$work/generated" -name __pycache__ -prune -exec rm -rf {} +
# --meta none skips the PEP 561 marker, and the package is typed.
touch "$work/generated/py.typed"

if [ "$mode" = "--check" ]; then
    # Bytecode caches (written by any run of the code, ignored by git) are not sources.
    if ! diff -ru -x __pycache__ generated "$work/generated"; then
        echo "generated/ differs from what openapi/replicate.yaml produces: run 'make regen' and commit." >&2
        exit 1
    fi
    echo "generated/ is up to date."
else
    rm -rf generated
    cp -r "$work/generated" generated
    echo "generated/ rebuilt from openapi/replicate.yaml."
fi
