#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine, as root:
# ansible-lint (production), the docs site (linted and built), ansible-test sanity, units, the controller-only
# integration target, and integration on the lab: every target on Debian 13 nodes; site, day2, links, init and the
# release upgrade on Debian 12 nodes, in three streams side by side (see below). The lab images are built while the
# checks run.
# HACLUSTER_TEST_TARGETS="quorum" runs those targets alone, one after another (on both releases' runs);
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
stage "lab images ($suites), built in the background while the checks run"
images_log=$(mktemp)
( for suite in $suites; do python3 tests/lab/lab.py image bare cluster --suite "$suite" || exit 1; done ) \
    > "$images_log" 2>&1 &
images=$!

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
listing=$(tar -tzf "$built"/hacluster-crm-*.tar.gz)  # captured first: grep -q would leave tar writing to a closed pipe
if grep -E '^(\.venv|build|tests/output|tests/lab|scripts)/|^Makefile$|^importer_result\.json$|__pycache__' <<< "$listing"; then
    echo "the tarball holds build output, the lab or the scripts" >&2; exit 1
fi
echo "built, installed and used by FQCN"

stage "execution environment: ansible-builder create (the build context) and introspect (the collection's requirements)"
# No container engine here: the image itself is not built. create makes the context an engine would build;
# introspect is what that build runs on the installed collection, and must name its Python and system requirements.
ee=$(mktemp -d)
cp "$top/tests/ee/execution-environment.yml" "$top/tests/ee/requirements.yml" "$ee/"
cp "$built"/hacluster-crm-*.tar.gz "$ee/hacluster-crm.tar.gz"
(cd "$ee" && ansible-builder create -f execution-environment.yml -c context >/dev/null)
[ -s "$ee/context/Containerfile" ] || [ -s "$ee/context/Dockerfile" ] \
    || { echo "ansible-builder create made no Containerfile" >&2; exit 1; }
if ! grep -q "collections/hacluster-crm.tar.gz" "$ee/context/_build/requirements.yml" \
        || [ ! -s "$ee/context/_build/collections/hacluster-crm.tar.gz" ]; then
    echo "the build context does not hold the collection" >&2; exit 1
fi
introspected=$(ansible-builder introspect --sanitize "$built/collections")
for wanted in "jmespath  # from collection hacluster.crm" "lxml  # from collection hacluster.crm" \
              "openssh-clients \[platform:rpm\]  # from collection hacluster.crm" \
              "openssh-client \[platform:dpkg\]  # from collection hacluster.crm"; do
    grep -q -- "$wanted" <<< "$introspected" || { echo "introspection does not name: $wanted" >&2; echo "$introspected" >&2; exit 1; }
done
rm -rf "$ee"
echo "ansible-builder: the build context holds the collection; introspection names jmespath, lxml and openssh"

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

stage "ansible-test integration, the controller-only tier (no root, no nodes): cib_file"
ansible-test integration --venv --python 3.11 --color no cib_file

stage "lab images"
wait "$images" || { cat "$images_log" >&2; echo "the lab images could not be built" >&2; exit 1; }
cat "$images_log"

# The lab targets run in three streams side by side, each from a copy of the collection of its own (ansible-test
# works in its tree's tests/output; `lab.py suite --here` gives each copy its release). Stream A holds the
# targets that share the cluster of alice, bob and carol, in an order that builds it once (site leaves it
# converged) before qdevice takes those nodes for itself, then Debian 12's site and day2 on those nodes; streams B and
# C the targets with nodes of their own (init's dave, erin and frank serve both releases, so both inits are in C).
# The lab's lock keeps their changes to the lab apart. Much of a lab target is waiting (for a node to boot, to be
# fenced, to rejoin; sampling a service), so two streams left the two cores idle for part of the time; the
# streams' CPU use is printed at the end.
lab_targets=$(cd tests/integration/targets && for t in */; do
    t=${t%/}; case $t in setup_*|cib_file) ;; *) printf '%s ' "$t" ;; esac; done)
# balanced on the last two-stream run's times (seconds): A 1680, B 1660, C 1700
streams=(A B C)
stream_A=("trixie:site runner cib_primitive day2 upgrade fencing quorum resources ssh_trust qdevice site_check"
          "bookworm:site day2")
stream_B=("trixie:links remote firewall lab adoption fleet")
stream_C=("trixie:init chaos" "bookworm:init links upgrade_release")
planned=$(printf '%s\n' "${stream_A[@]}" "${stream_B[@]}" "${stream_C[@]}" | sed 's/^[a-z]*://' | tr ' ' '\n' | sort -u | xargs)
[ "$planned" = "$(echo "$lab_targets" | tr ' ' '\n' | sort | xargs)" ] \
    || { echo "the streams ($planned) do not hold every lab target ($lab_targets)" >&2; exit 1; }
if [ -n "${HACLUSTER_TEST_TARGETS:-}" ]; then
    streams=(A); stream_A=(); for suite in trixie bookworm; do stream_A+=("$suite:$HACLUSTER_TEST_TARGETS"); done
fi

stream() {  # stream TREE STEP...: STEP is "SUITE:TARGET ...", skipped unless SUITE is in $suites
    local tree=$1 step suite target at; shift
    for step in "$@"; do
        suite=${step%%:*}
        [[ " $suites " == *" $suite "* ]] || continue
        (cd "$tree" && python3 tests/lab/lab.py suite --here "$suite" >/dev/null) || return 1
        for target in ${step#*:}; do  # one at a time, in the step's order, each timed
            at=$(date +%s)
            echo "=== Debian $suite: $target (at $(( at - started ))s)"
            (cd "$tree" && ansible-test integration --venv --python 3.11 --color no --allow-destructive "$target") \
                || { echo "=== Debian $suite: $target FAILED after $(( $(date +%s) - at ))s"; return 1; }
            echo "=== Debian $suite: $target passed in $(( $(date +%s) - at ))s"
        done
    done
}
cpu() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat; }  # busy and idle jiffies

stage "ansible-test integration on the lab, ${#streams[@]} streams side by side"
python3 tests/lab/lab.py down
logs=$(mktemp -d)
declare -A pids trees
read -r busy0 idle0 <<< "$(cpu)"
for s in "${streams[@]}"; do
    if [ "$s" = A ]; then trees[$s]=$tree; else trees[$s]=$("$top/scripts/collection-tree.sh" "${s,,}"); fi
    steps="stream_${s}[@]"
    echo "stream $s: ${!steps}"
    ( set -o pipefail; rc=0; stream "${trees[$s]}" "${!steps}" 2>&1 | sed -u "s/^/$s| /" | tee "$logs/$s" || rc=$?
      echo "stream $s ended at $(( $(date +%s) - started ))s"; exit "$rc" ) &
    pids[$s]=$!
done
failed=""
for s in "${streams[@]}"; do wait "${pids[$s]}" || failed+=" $s"; done
for s in "${streams[@]}"; do rm -f "${trees[$s]}/tests/lab/.suite"; done
read -r busy1 idle1 <<< "$(cpu)"
echo "the lab streams kept the cores $(( 100 * (busy1 - busy0) / (busy1 - busy0 + idle1 - idle0) ))% busy"
if [ -n "$failed" ]; then
    # The streams' lines interleave, and a CI log may show only its tail: repeat the end of each failed stream.
    for s in $failed; do
        echo "--- the last 150 lines of stream $s ---" >&2
        grep -vE '^[A-C]\| (WARNING: |Looking in )' "$logs/$s" | tail -n 150 >&2
    done
    for s in $failed; do  # and, last, the few lines that say what failed
        grep -E '^[A-C]\| (=== .*FAILED|FAIL:|fatal:|failed:|.*"msg":|ERROR)' "$logs/$s" | tail -n 12 | cut -c1-400 >&2
    done
    echo "integration failed in stream(s)$failed" >&2
    python3 tests/lab/lab.py down
    exit 1
fi
rm -rf "$logs"
echo "every stream passed at $(( $(date +%s) - started ))s"

stage "lab down leaves nothing behind"
python3 tests/lab/lab.py down
tests/lab/check-clean.sh

stage "done in $(( $(date +%s) - started ))s"
