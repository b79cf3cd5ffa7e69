.PHONY: test demo docs lab-down bench

# The whole test suite (installs what it needs on a fresh Debian 12 machine, as root).
test:
	./scripts/test.sh

# The main job on the lab: alice, bob and carol, then site.yml, then the cluster status.
demo:
	./scripts/demo.sh

# The docs site (antsibull-docs and Sphinx) into build/docs.
docs:
	./scripts/docs.sh

lab-down:
	python3 tests/lab/lab.py down

bench:
	./scripts/bench.sh
