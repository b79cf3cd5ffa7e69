#!/usr/bin/env bash
# Lays the repository out as ansible_collections/hacluster/crm under build/ (where
# ansible-test and ansible-lint need it) and prints that path. With a name, a further copy under
# build/NAME/ (the test command runs two lab streams side by side, each from a copy of its own).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dest="$top/build${1:+/$1}/ansible_collections/hacluster/crm"
mkdir -p "$dest"
rsync -a --delete --exclude=/.venv --exclude=/build --exclude=/tests/output --exclude='__pycache__' \
    --exclude=/bench-results --exclude=/tests/lab/.suite "$top/" "$dest/"
echo "$dest"
