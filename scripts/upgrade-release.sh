#!/usr/bin/env bash
# The release upgrade from Debian 12 to 13 on the lab (make upgrade-release): the upgrade_release target, which the
# test command leaves out (disabled) because it takes minutes per node. Run after `make test` has made the venv.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$top/.venv/bin:$PATH"
tree=$("$top/scripts/collection-tree.sh" release)
cd "$tree"
python3 tests/lab/lab.py suite --here bookworm >/dev/null
python3 tests/lab/lab.py image --suite bookworm cluster >/dev/null
exec ansible-test integration --venv --python 3.11 --color no --allow-destructive --allow-disabled upgrade_release
