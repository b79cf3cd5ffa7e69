#!/usr/bin/env bash
# The docs site, as Ansible users read a collection: antsibull-docs lints the collection's docs
# (plugins, roles, extra docs), writes a page per module, role and filter, and Sphinx builds the
# site into build/docs (warnings are errors). Offline: no intersphinx. The front page is
# docs/site/index.rst (the guide-to-collection table); docs/docsite/ holds the collection's guide.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup-controller.sh"
export PATH="$top/.venv/bin:$PATH"
# an optional name: the copy of the collection under build/NAME/ (the test command's checks have one of their own)
tree=$("$top/scripts/collection-tree.sh" "${1:-}")
export ANSIBLE_COLLECTIONS_PATH="$top/build${1:+/$1}"
(cd "$tree" && antsibull-docs lint-collection-docs --plugin-docs .)
src="$top/build/docs-src"
rm -rf "$src" "$top/build/docs"
mkdir -p "$src/rst"
cp "$top/docs/site/conf.py" "$top/docs/site/antsibull-docs.cfg" "$src/"
chmod og-w "$src/rst"
antsibull-docs --config-file "$src/antsibull-docs.cfg" collection --use-current --dest-dir "$src/rst" \
    hacluster.crm >/dev/null
cp "$top/docs/site/index.rst" "$top/docs/site/ansible-refs.rst" "$src/rst/"
sphinx-build -q -b html -W --keep-going -c "$src" "$src/rst" "$top/build/docs"
echo "docs: $top/build/docs/index.html"
