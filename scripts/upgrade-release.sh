#!/usr/bin/env bash
# The release upgrade from Debian 12 to 13 on the lab (make upgrade-release): the upgrade_release target alone (the
# test command runs it in stream B). Run after `make test` has made the venv.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$top/.venv/bin:$PATH"
tree=$("$top/scripts/collection-tree.sh" release)
cd "$tree"
python3 tests/lab/lab.py suite --here bookworm >/dev/null
python3 tests/lab/lab.py image --suite bookworm bare >/dev/null
exec ansible-test integration --local --color no --allow-destructive upgrade_release
