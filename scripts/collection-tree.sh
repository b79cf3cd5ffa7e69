#!/usr/bin/env bash
# Lays the repository out as ansible_collections/hacluster/crm under build/ (where
# ansible-test and ansible-lint need it) and prints that path.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dest="$top/build/ansible_collections/hacluster/crm"
mkdir -p "$dest"
rsync -a --delete --exclude=/.venv --exclude=/build --exclude=/tests/output --exclude='__pycache__' \
    --exclude=/bench-results "$top/" "$dest/"
echo "$dest"
