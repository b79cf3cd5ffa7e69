#!/usr/bin/env bash
# Installs everything the controller needs on a fresh Debian 12 machine, as root:
# host tools for the lab, and a virtualenv (.venv) with ansible-core and the test tools.
# With "host", the host's packages only (enough to build the lab's images); with "venv", the virtualenv only.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
part=${1:-all}
case $part in all|host|venv) ;; *) echo "usage: $0 [host|venv]" >&2; exit 2 ;; esac

packages=(debootstrap mmdebstrap systemd-container nftables iproute2 procps openssh-client rsync shellcheck make pacemaker-cli-utils resource-agents)
missing=()
for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "$part" != venv ] && [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi

[ "$part" != host ] || exit 0
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3
stamp="$top/.venv/.requirements"
if ! cmp -s "$top/scripts/requirements-controller.txt" "$stamp" 2>/dev/null; then
    echo "setup: creating $top/.venv"
    "$python" -m venv "$top/.venv"
    "$top/.venv/bin/pip" install -q --disable-pip-version-check -r "$top/scripts/requirements-controller.txt" \
        2> >(grep -v "is ignored: it is neither" >&2)
    cp "$top/scripts/requirements-controller.txt" "$stamp"
fi

# ansible-test bootstraps pip in its venvs from a host that is not reachable here;
# this stand-in for the pinned get-pip script uses ensurepip, then pip with its arguments.
cache="$HOME/.ansible/test/cache"
mkdir -p "$cache"
cat > "$cache/get_pip_24_2.py" <<'PY'
import subprocess
import sys

subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"])
# get-pip's own flags mean nothing to pip install
own = {"--disable-pip-version-check", "--no-setuptools", "--no-wheel"}
args = [a for a in sys.argv[1:] if a not in own]
subprocess.check_call([sys.executable, "-m", "pip", "install", "--disable-pip-version-check"] + args)
PY
