#!/usr/bin/env bash
# Regenerates results/README.md, the reference results of the standard suite:
# every bundled scenario under every scheduler preset (`berth schedulers`),
# 3 replications each (common random numbers, 95% intervals), with
# `berth compare`. The two scale-5000-nodes scenarios are left out: they are
# speed benchmarks (docs/performance.md), and under some presets one run takes
# minutes (mesos-drf > 5 min, ecs-spread ≈ 50 s, swarm ≈ 40 s on 2 cores).
# Also writes results/reference/{comparison,runs,series,wait_cdf}.csv and report.html.
# Usage: scripts/reference-results.sh   (about 5 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product berth > /dev/null
mapfile -t scenarios < <(ls scenarios/*.yaml scenarios/*/*.yaml | grep -v 'scale-5000-nodes' | LC_ALL=C sort)
out=results/reference
mkdir -p "$out"
.build/release/berth compare "${scenarios[@]}" --schedulers all --replications 3 --out "$out" \
    --markdown "$out/tables.md" --html --quiet
{
  cat <<'HEADER'
# Reference results: every bundled scenario under every preset

How Kubernetes (and its managed profiles), Nomad, Mesos, Docker Swarm, Amazon
ECS and the bin-packing baselines differ on the bundled scenarios. Each cell is
the mean over 3 replications ± the half-width of its 95% confidence interval
(Student t); replication *i* gives every scheduler the same arrivals, sizes and
durations (common random numbers, [docs/compare.md](../docs/compare.md)). The
best mean of a metric with a direction is in bold; `–` means no run had a value
(e.g. `makespan_s` without finished batch work). Columns are summary.csv
metrics ([docs/reports.md](../docs/reports.md)): waits in seconds, `cost` in the
scenario's price units, `*_alloc_frac` time-weighted allocation over the run.

`rancher`, `eks`, `aks`, `doks`, `lke` and `openshift` are aliases of the
upstream default profile and must equal `kubernetes` row for row; that they do
is itself a check. The two `scale-5000-nodes` benchmarks are not in the suite
(see `scripts/reference-results.sh`).

Regenerate (about 5 minutes on 2 cores; also writes `results/reference/`,
including `report.html` with the charts):

```bash
scripts/reference-results.sh
```

`Tests/BerthHarnessTests/ReferenceResultsTests.swift` re-runs two of these
scenarios under every preset and checks their tables here are what the command writes.
HEADER
  tail -n +2 "$out/tables.md"
} > results/README.md
echo "wrote results/README.md ($(grep -c '^## ' results/README.md) scenarios)"
