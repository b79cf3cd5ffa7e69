#!/usr/bin/env bash
# The chaos run on the lab (tests/chaos/chaos.py): faults, site.yml reruns and CIB writers together on a 3-node
# Debian 13 cluster, with the invariants checked (never two nodes serving, nothing lost, back to health, real fencing).
# CHAOS_ROUNDS (default 8) and CHAOS_SEED (default random, printed) choose the run; the report goes to
# bench-results/chaos-SEED.txt. Run as root on this machine, like the lab.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup-controller.sh"
export PATH="$top/.venv/bin:$PATH"
"$top/scripts/collection-tree.sh" >/dev/null
export ANSIBLE_COLLECTIONS_PATH="$top/build"
seed=${CHAOS_SEED:-$(python3 -c 'import random; print(random.SystemRandom().randrange(10**6))')}
mkdir -p "$top/bench-results"
exec python3 "$top/tests/chaos/chaos.py" --rounds "${CHAOS_ROUNDS:-8}" --seed "$seed" \
    --report "$top/bench-results/chaos-$seed.txt" "$@"
