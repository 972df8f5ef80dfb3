#!/usr/bin/env bash
# Do the issue-11 finding tests fail on the code from before the security work? (issue 11, "Done when")
#
# Usage: [NEW_FIXTURES=1] [TESTS_FROM=COMMIT] tools/finding_regressions.sh [OLD_COMMIT] [TEST_FILE_OR_NODE_ID...]
#
# OLD_COMMIT defaults to the first parent of the oldest merge on main's first-parent history whose
# subject mentions "secur" (the last commit without any of the security work). The script checks it
# out into a temporary worktree, copies this checkout's finding tests in (and the test-support
# modules the old tree lacks; support modules it has stay old, so the harness is the old one),
# runs them against the OLD package (a symlink farm put first on PYTHONPATH, so this checkout's
# virtualenv and its dependencies are reused), and prints one row per test: passed / FAILED /
# ERROR, with the first line of the reason. Everything it creates is removed at the end.
set -euo pipefail

repo=$(git rev-parse --show-toplevel)
python="$repo/.venv/bin/python"
old=${1:-}
if [[ -z "$old" ]]; then
    merge=$(git -C "$repo" log --first-parent --merges --format='%H %s' main | grep -i secur | tail -1 | cut -d' ' -f1)
    old=$(git -C "$repo" rev-parse "$merge^1")
fi
shift || true
tests=("$@")
if [[ ${#tests[@]} -eq 0 ]]; then
    tests=(tests/backend/test_security_findings.py tests/backend/test_audit_log.py
           tests/ui/test_hosted_security_headers.py tests/ui/test_hosted_storage_pruning.py)
fi

work=$(mktemp -d)
cleanup() {
    git -C "$repo" worktree remove --force "$work/old" >/dev/null 2>&1 || true
    rm -rf "$work"
}
[[ -n "${KEEP:-}" ]] || trap cleanup EXIT
git -C "$repo" worktree add --detach --quiet "$work/old" "$old"

# The old package under its import name, without installing anything.
farm="$work/farm/nicegui_authenticator"
mkdir -p "$farm"
ln -s "$work/old/public_api/__init__.py" "$farm/__init__.py"
for folder in state_machine client conformance testing backend ui assets; do
    [[ -e "$work/old/$folder" ]] && ln -s "$work/old/$folder" "$farm/$folder"
done

# A name the old code lacks must fail only the tests that use it, not the whole module: each
# top-level "from X import a, b" of a copied test becomes one guarded import per name, and a
# missing name becomes a stand-in that raises "missing on old code: X.a" when a test touches it.
guard_imports() {
    "$python" - "$1" <<'EOF_GUARD'
import ast
import sys

path = sys.argv[1]
source = open(path).read()
tree = ast.parse(source)
lines = source.splitlines(keepends=True)
stand_in = (
    "class _MissingOnOldCode:\n"
    "    def __init__(self, name):\n"
    "        self._name = name\n"
    "    def _fail(self, *args, **kwargs):\n"
    "        raise ImportError(f'missing on old code: {self._name}')\n"
    "    __call__ = __getattr__ = __getitem__ = __iter__ = _fail\n"
)
out, cursor, inserted = [], 0, False
for node in tree.body:
    if not isinstance(node, ast.ImportFrom) or node.module == "__future__":
        continue
    start, end = node.lineno - 1, node.end_lineno
    out.append("".join(lines[cursor:start]))
    if not inserted:
        out.append(stand_in)
        inserted = True
    for alias in node.names:
        bound = alias.asname or alias.name
        dots = "." * node.level
        out.append(
            f"try:\n    from {dots}{node.module or ''} import {alias.name} as {bound}\n"
            f"except ImportError:\n    {bound} = _MissingOnOldCode('{node.module}.{alias.name}')\n"
        )
    cursor = end
out.append("".join(lines[cursor:]))
open(path, "w").write("".join(out))
EOF_GUARD
}

# NEW_FIXTURES=1 also copies this checkout's conftest.py (fixtures are harness, e.g. the
# SQLite/PostgreSQL "database" parameter), for tests whose old fixtures are missing.
for test in "${tests[@]}"; do
    file=${test%%::*}  # a node id names its file first
    folder=$(dirname "$file")
    mkdir -p "$work/old/$folder"
    if [[ -n "${TESTS_FROM:-}" ]]; then  # the test as another commit has it (e.g. before a later tweak)
        git -C "$repo" show "$TESTS_FROM:$file" >"$work/old/$file"
    else
        cp "$repo/$file" "$work/old/$file"
    fi
    guard_imports "$work/old/$file"
    for support in "$repo/$folder"/*.py; do
        name=$(basename "$support")
        [[ "$name" == test_* ]] && continue
        if [[ ! -e "$work/old/$folder/$name" || ( -n "${NEW_FIXTURES:-}" && "$name" == conftest.py ) ]]; then
            cp "$support" "$work/old/$folder/$name"
        fi
    done
done

echo "old code: $(git -C "$repo" log -1 --format='%h %s' "$old")"
(cd "$work/old" && PYTHONPATH="$work/farm" "$python" -m pytest -q -p no:randomly -p no:cacheprovider \
    --junitxml="$work/report.xml" "${tests[@]}" >"$work/pytest.log" 2>&1) || true
"$python" - "$work/report.xml" "$work/pytest.log" <<'EOF'
import sys
import xml.etree.ElementTree as ET

try:
    cases = ET.parse(sys.argv[1]).getroot().iter("testcase")
except (OSError, ET.ParseError):
    print(open(sys.argv[2]).read()[-3000:])
    raise SystemExit(1)
print(f"{'test':<96} {'old code':<8} reason")
for case in cases:
    name = f"{case.get('classname', '').rsplit('.', 1)[-1]}::{case.get('name')}"
    outcome, reason = "passed", ""
    for kind, label in (("failure", "FAILED"), ("error", "ERROR"), ("skipped", "skipped")):
        found = case.find(kind)
        if found is not None:
            outcome = label
            reason = (found.get("message") or found.text or "").strip().splitlines()[0][:110] if (found.get("message") or found.text) else ""
            break
    print(f"{name:<96} {outcome:<8} {reason}")
EOF
