.PHONY: test demo docs lab-down bench upgrade-release chaos

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

# Benchmarks (scripts/bench.sh): BENCH names the parts (site cib curve scale model fleet; default all).
bench:
	./scripts/bench.sh $(BENCH)

# The long form, out of the test command: the release upgrade from Debian 12 to 13 of a 3-node cluster with the
# service up (tests/integration/targets/upgrade_release).
upgrade-release:
	./scripts/upgrade-release.sh

# The chaos run (tests/chaos/chaos.py), out of the test command: CHAOS_ROUNDS (default 8), CHAOS_SEED (printed).
chaos:
	./scripts/chaos.sh
