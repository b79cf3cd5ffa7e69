#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine, as root:
# ansible-lint (production), the docs site (linted and built), ansible-test sanity, units, the controller-only
# integration target, and integration on the lab: every target on Debian 13 nodes; site, day2, links, init and the
# release upgrade on Debian 12 nodes, in two streams side by side (see below). The first release's lab images are
# built in the background while the virtualenv is made, the lab streams start as soon as both are there, and the
# checks run beside them.
# HACLUSTER_TEST_TARGETS="quorum" runs those targets alone, one after another (on both releases' runs);
# HACLUSTER_TEST_SUITES="trixie" runs one release only.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
started=$(date +%s)
stage() { printf '\n=== %s (at %ds)\n' "$1" "$(( $(date +%s) - started ))"; }

# The host's packages first: the lab's images need nothing more, and the first release's build while the virtualenv
# is made (on a fresh machine both take a minute or more).
stage "controller setup: the host's packages"
"$top/scripts/setup-controller.sh" host
export PATH="$top/.venv/bin:$PATH"  # the virtualenv comes below; the lab waits for it before any stream starts
tree=$("$top/scripts/collection-tree.sh")
tree_b=$("$top/scripts/collection-tree.sh" b)
# the checks work in a copy of their own: ansible-lint and ansible-test there see nothing of the lab streams' output
tree_c=$("$top/scripts/collection-tree.sh" c)
cd "$tree_c"
# ansible-test makes its SSH key pair (~/.ansible/test/id_rsa) on first use, under a lock that holds within one
# process only: on a fresh machine the two streams' first runs raced for it and one failed ("id_rsa already exists.
# Overwrite (y/n)?"). Make it here, once, before anything runs side by side, exactly as ansible-test would.
key="$HOME/.ansible/test/id_rsa"
if [ ! -f "$key" ] || [ ! -f "$key.pub" ]; then
    mkdir -p "${key%/*}" && rm -f "$key" "$key.pub"
    ssh-keygen -m PEM -q -t rsa -N '' -f "$key"
    sed -i -E 's/(BEGIN|END) PRIVATE KEY/\1 RSA PRIVATE KEY/' "$key"
fi

suites=${HACLUSTER_TEST_SUITES:-trixie bookworm}
# The lab targets run in two streams side by side, each from a copy of the collection of its own (ansible-test
# works in its tree's tests/output; `lab.py suite --here` gives each copy its release). Stream A first runs the chain:
# the targets that share the cluster of alice, bob and carol, in an order that builds it once (site leaves it
# converged) before qdevice takes those nodes for itself, then Debian 12's site and day2 on those nodes anew. The other
# targets have nodes of their own: they wait in a pool, longest first (by their times in the last full runs), and
# whichever stream is free takes the next, so the streams end within about one short target of each other. With
# fixed streams one ended 50-270 s after the other in the last full runs (the targets' times vary from run to run,
# and moving a target from one stream to the other only moved the gap: e99c419, c87019a, 650613d, 2fd7b79). A target is
# not taken while the other stream runs it for the other release (init: the same nodes on both). The lab's lock keeps
# the streams' changes to the lab apart. A third stream was tried: the two cores were then busy nearly all the time
# and targets took 1.3-1.7x as long.
lab_targets=$(cd tests/integration/targets && for t in */; do
    t=${t%/}; case $t in setup_*|cib_file) ;; *) printf '%s ' "$t" ;; esac; done)
chain=("trixie:site runner cib_primitive day2 upgrade fencing quorum resources ssh_trust qdevice" "bookworm:site day2")
pool=(trixie:remote bookworm:upgrade_release bookworm:links trixie:links trixie:fleet trixie:firewall trixie:chaos
      trixie:init bookworm:init trixie:site_check trixie:adoption trixie:lab)
planned=$(printf '%s\n' "${chain[@]}" "${pool[@]}" | sed 's/^[a-z]*://' | tr ' ' '\n' | sort -u | xargs)
[ "$planned" = "$(echo "$lab_targets" | tr ' ' '\n' | sort | xargs)" ] \
    || { echo "the chain and the pool ($planned) do not hold every lab target ($lab_targets)" >&2; exit 1; }
if [ -n "${HACLUSTER_TEST_TARGETS:-}" ]; then
    chain=(); for suite in trixie bookworm; do chain+=("$suite:$HACLUSTER_TEST_TARGETS"); done
    pool=()
fi

# The integration targets run in the controller's virtualenv (--local): it holds what they need (ansible-core,
# jmespath, lxml, ansible-runner: tests/integration/requirements.txt is a subset of scripts/requirements-controller.txt),
# and --venv made each of the 25 runs check it with pip again (3 s each; on a fresh machine both streams first built
# the same venv side by side). sanity and units keep --venv: their tools are pinned by ansible-test.
run_target() {  # run_target TREE SUITE TARGET: one target on the lab, timed
    local tree=$1 suite=$2 target=$3 at
    (cd "$tree" && python3 tests/lab/lab.py suite --here "$suite" >/dev/null) || return 1
    at=$(date +%s)
    echo "=== Debian $suite: $target (at $(( at - started ))s)"
    (cd "$tree" && ansible-test integration --local --color no --allow-destructive "$target") \
        || { echo "=== Debian $suite: $target FAILED after $(( $(date +%s) - at ))s"; return 1; }
    echo "=== Debian $suite: $target passed in $(( $(date +%s) - at ))s"
}
take() {  # take: prints the pool's first "SUITE:TARGET" whose target the other stream is not running, out of the pool
    local step found="" rest=()
    {
        flock 9
        while read -r step; do
            if [ -z "$found" ] && [ ! -e "$logs/running-${step#*:}" ]; then found=$step; else rest+=("$step"); fi
        done < "$logs/pool"
        if [ "${#rest[@]}" -gt 0 ]; then printf '%s\n' "${rest[@]}"; fi > "$logs/pool"
        if [ -n "$found" ]; then touch "$logs/running-${found#*:}"; fi
    } 9> "$logs/pool.lock"
    echo "$found"
}
stream() {  # stream TREE STEP...: the STEPs ("SUITE:TARGET ...", skipped unless SUITE is in $suites), then the pool's
    local tree=$1 step suite target rc; shift
    for step in "$@"; do
        suite=${step%%:*}
        [[ " $suites " == *" $suite "* ]] || continue
        for target in ${step#*:}; do
            run_target "$tree" "$suite" "$target" || { touch "$logs/stop"; return 1; }
        done
    done
    # the pool: a failed stream stops it, and the other stream ends after its current target
    while [ -s "$logs/pool" ] && [ ! -e "$logs/stop" ]; do
        step=$(take)
        if [ -z "$step" ]; then sleep 2; continue; fi  # only a target the other stream runs for the other release
        rc=0; run_target "$tree" "${step%%:*}" "${step#*:}" || rc=$?
        rm -f "$logs/running-${step#*:}"
        [ "$rc" = 0 ] || { touch "$logs/stop"; return 1; }
    done
    if [ -e "$logs/stop" ] && [ -s "$logs/pool" ]; then echo "=== the other stream failed: not run: $(xargs < "$logs/pool")"; fi
}

# The lab, in the background: the first release's images (built, or found in the cache), then both streams once the
# virtualenv is there, while the other releases' images build beside them (a stream that reaches one of their targets
# before that build ends waits for it: the lab's image lock); its results in $logs.
logs=$(mktemp -d)
lab_job() {
    local pid_a pid_b pid_later="" first=${suites%% *} later step
    later=${suites#"$first"}
    python3 tests/lab/lab.py image bare cluster --suite "$first" > "$logs/images" 2>&1 || {
        cat "$logs/images"; echo "the lab images could not be built"; echo images > "$logs/failed"; return 1; }
    if [ -n "${later// }" ]; then
        (for suite in $later; do python3 tests/lab/lab.py image bare cluster --suite "$suite" || exit 1; done) \
            > "$logs/images-later" 2>&1 &
        pid_later=$!
    fi
    until [ -e "$logs/venv-ready" ]; do sleep 1; done
    hash -r  # python3 and the test tools from the virtualenv from here on
    echo "=== the lab images of Debian $first are ready, the lab streams start (at $(( $(date +%s) - started ))s)"
    python3 tests/lab/lab.py down
    for step in "${pool[@]}"; do [[ " $suites " != *" ${step%%:*} "* ]] || echo "$step"; done > "$logs/pool"
    # each stream says when it ended itself: said after the waits, B's end was A's whenever A ended later
    ( set -o pipefail; rc=0; stream "$tree" "${chain[@]}" 2>&1 | sed -u 's/^/A| /' | tee "$logs/A" || rc=$?
      echo "=== stream A ended at $(( $(date +%s) - started ))s"; exit "$rc" ) &
    pid_a=$!
    ( set -o pipefail; rc=0; stream "$tree_b" 2>&1 | sed -u 's/^/B| /' | tee "$logs/B" || rc=$?
      echo "=== stream B ended at $(( $(date +%s) - started ))s"; exit "$rc" ) &
    pid_b=$!
    wait "$pid_a" || echo A >> "$logs/failed"
    wait "$pid_b" || echo B >> "$logs/failed"
    if [ -n "$pid_later" ] && ! wait "$pid_later"; then
        cat "$logs/images-later"; echo "the lab images of Debian$later could not be built"; echo images >> "$logs/failed"
    fi
}
kill_tree() { local p; for p in $(pgrep -P "$1"); do kill_tree "$p"; done; kill "$1" 2>/dev/null || true; }
stage "the lab ($suites): images, then ansible-test integration in two streams: A (the chain: ${chain[*]}, then the pool) and B (the pool: ${pool[*]}), in the background"
(cd "$tree" && lab_job) &
lab=$!
# a failed check stops the lab too, and takes its nodes down
trap 'if kill -0 "$lab" 2>/dev/null; then kill_tree "$lab"; sleep 2; (cd "$tree" && python3 tests/lab/lab.py down >/dev/null 2>&1); fi' EXIT
cpu() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat; }  # busy and idle jiffies
read -r busy0 idle0 <<< "$(cpu)"

stage "controller setup: the virtualenv (the lab's images build meanwhile)"
"$top/scripts/setup-controller.sh" venv
# the integration targets run --local (below): what they need must be in the controller's virtualenv
while read -r req; do
    case $req in ''|'#'*) continue ;; esac
    grep -qixE "${req}([<>=!~ ].*)?" "$top/scripts/requirements-controller.txt" \
        || { echo "tests/integration/requirements.txt names $req, which scripts/requirements-controller.txt does not" >&2; exit 1; }
done < "$top/tests/integration/requirements.txt"
touch "$logs/venv-ready"

stage "ansible-lint (production profile)"
ANSIBLE_COLLECTIONS_PATH="$top/build/c" ansible-lint --profile production --offline

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
"$top/scripts/docs.sh" c

stage "ansible-test sanity"
ansible-test sanity --venv --python 3.11 --color no

stage "ansible-test units"
ansible-test units --venv --python 3.11 --color no

stage "ansible-test integration, the controller-only tier (no root, no nodes): cib_file"
ansible-test integration --local --color no cib_file

stage "the checks passed; waiting for the lab"
wait "$lab" || true
trap - EXIT
read -r busy1 idle1 <<< "$(cpu)"
echo "from the lab's start to its end the cores were $(( 100 * (busy1 - busy0) / (busy1 - busy0 + idle1 - idle0) ))% busy"
rm -f "$tree/tests/lab/.suite" "$tree_b/tests/lab/.suite"
if [ -s "$logs/failed" ]; then
    failed=$(grep -E '^[AB]$' "$logs/failed" | xargs || true)
    # The streams' lines interleave, and a CI log may show only its tail: repeat the end of each failed stream.
    for s in $failed; do
        echo "--- the last 150 lines of stream $s ---" >&2
        grep -vE '^[AB]\| (WARNING: |Looking in )' "$logs/$s" | tail -n 150 >&2
    done
    for s in $failed; do  # and, last, the few lines that say what failed
        grep -E '^[AB]\| (=== .*FAILED|FAIL:|fatal:|failed:|.*"msg":|ERROR)' "$logs/$s" | tail -n 12 | cut -c1-400 >&2
    done
    echo "the lab failed: $(xargs < "$logs/failed")" >&2
    (cd "$tree" && python3 tests/lab/lab.py down)
    exit 1
fi
rm -rf "$logs"
echo "both streams passed at $(( $(date +%s) - started ))s"

stage "lab down leaves nothing behind"
cd "$tree"
python3 tests/lab/lab.py down
tests/lab/check-clean.sh

stage "done in $(( $(date +%s) - started ))s"
