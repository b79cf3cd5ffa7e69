#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine, as root:
# ansible-lint (production), the docs site (linted and built), ansible-test sanity, units, and integration on the lab: every target
# on Debian 13 nodes, then site and init on Debian 12 nodes.
# HACLUSTER_TEST_TARGETS="quorum" runs those targets alone (on both releases' runs);
# HACLUSTER_TEST_SUITES="trixie" runs one release only.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
started=$(date +%s)
stage() { printf '\n=== %s (at %ds)\n' "$1" "$(( $(date +%s) - started ))"; }

stage "controller setup"
"$top/scripts/setup-controller.sh"
export PATH="$top/.venv/bin:$PATH"
tree=$("$top/scripts/collection-tree.sh")
cd "$tree"

suites=${HACLUSTER_TEST_SUITES:-trixie bookworm}
stage "lab images ($suites)"
for suite in $suites; do python3 tests/lab/lab.py image bare cluster --suite "$suite"; done

stage "ansible-lint (production profile)"
ANSIBLE_COLLECTIONS_PATH="$top/build" ansible-lint --profile production --offline

stage "galaxy build, install, and use by FQCN"
built=$(mktemp -d)
ansible-galaxy collection build --output-path "$built" "$top" >/dev/null
ansible-galaxy collection install -p "$built/collections" "$built"/hacluster-crm-*.tar.gz >/dev/null
(
    export ANSIBLE_COLLECTIONS_PATH="$built/collections"
    ansible-doc -t module hacluster.crm.cib_primitive | grep -q "crm configure primitive"
    ansible-doc -t role hacluster.crm.init | grep -q "crm_cluster_name"
    ansible-doc -t filter hacluster.crm.query | grep -q "JMESPath"
    cd "$built" && ansible-playbook -i localhost, hacluster.crm.site --syntax-check >/dev/null
) || { echo "the installed collection is not usable by FQCN" >&2; exit 1; }
tar -tzf "$built"/hacluster-crm-*.tar.gz | grep -qE '^(\.venv|build|tests/output|tests/lab|scripts)/|^Makefile$|__pycache__' \
    && { echo "the tarball holds build output, the lab or the scripts" >&2; exit 1; }
echo "built, installed and used by FQCN"

stage "galaxy-importer (what Galaxy runs on upload) and the changelog (antsibull-changelog lint)"
GALAXY_IMPORTER_CONFIG="$top/tests/galaxy-importer.cfg" python -m galaxy_importer.main "$built"/hacluster-crm-*.tar.gz \
    > "$built/importer.log" 2>&1 || { cat "$built/importer.log" >&2; exit 1; }
if grep -E "^(WARNING|ERROR)|[Ww]arning:" "$built/importer.log"; then echo "galaxy-importer warned" >&2; exit 1; fi
grep -q "Importer processing completed successfully" "$built/importer.log"
antsibull-changelog lint
rm -rf "$built"
echo "galaxy-importer passed with no warning; the changelog lints"

stage "docs: antsibull-docs lint-collection-docs --plugin-docs, and the site built (warnings are errors)"
"$top/scripts/docs.sh"

stage "ansible-test sanity"
ansible-test sanity --venv --python 3.11 --color no

stage "ansible-test units"
ansible-test units --venv --python 3.11 --color no

# ansible-test runs the targets in name order; those needing a cluster share one (setup_cluster).
all_targets=$(cd tests/integration/targets && for t in */; do
    t=${t%/}; case $t in setup_*) ;; *) printf '%s ' "$t" ;; esac; done)
for suite in $suites; do
    case $suite in
        trixie) default_targets=$all_targets ;;
        *) default_targets="site init" ;;  # an older release: the guide end to end, and init from bare servers
    esac
    read -r -a targets <<< "${HACLUSTER_TEST_TARGETS:-$default_targets}"
    stage "ansible-test integration on Debian $suite: ${targets[*]}"
    python3 tests/lab/lab.py down
    python3 tests/lab/lab.py suite "$suite" >/dev/null  # ansible-test gives targets a clean environment
    ansible-test integration --venv --python 3.11 --color no --allow-destructive "${targets[@]}"
done
python3 tests/lab/lab.py suite trixie >/dev/null

stage "lab down leaves nothing behind"
python3 tests/lab/lab.py down
tests/lab/check-clean.sh

stage "done in $(( $(date +%s) - started ))s"
