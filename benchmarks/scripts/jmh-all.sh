#!/usr/bin/env bash
# Runs every JMH suite of the project with the GC profiler and prints one results table:
# hub fan-out (HubFanOutBenchmark), RTMP chunk runs (ChunkEncoderBenchmark), MPEG-TS muxing
# (TsMuxerBenchmark) and fMP4 fragments (FragmentBuilderBenchmark), plus any other benchmark
# class in benchmarks.jar.
#
# The table has, per benchmark and parameter set: the score with its 99.9 % error, the unit, and
# gc.alloc.rate.norm, the bytes allocated per operation by all threads (the stable figure on a
# busy machine; the throughput is not).
#
# Usage: benchmarks/scripts/jmh-all.sh [options] [-- extra JMH arguments]
#   -b REGEX   benchmarks to run (default: all in the jar)
#   -q         quick: 2 x 1 s warm-up, 3 x 1 s measurement (default: the classes' own 3 x 2 s, 5 x 2 s)
#   -o FILE    keep JMH's JSON results in FILE (default: a temporary file, removed)
#   -B         build the jars first (mvn -q -DskipTests package -pl benchmarks -am)
# Needs java 17, python3 (for the table), and benchmarks/target/benchmarks.jar.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
JAR="$root/benchmarks/target/benchmarks.jar"
JAVA=${JAVA:-java}
REGEX=""
QUICK=0
OUT=""
BUILD=0

while getopts "b:qo:Bh" opt; do
  case $opt in
    b) REGEX=$OPTARG ;;
    q) QUICK=1 ;;
    o) OUT=$OPTARG ;;
    B) BUILD=1 ;;
    h) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "jmh-all: unknown option; -h for help" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift

if [ "$BUILD" = 1 ]; then
  (cd "$root" && mvn -q -B -ntp -DskipTests package -pl benchmarks -am)
fi
[ -f "$JAR" ] || { echo "jmh-all: $JAR is missing; build with -B or mvn -q -DskipTests package -pl benchmarks -am" >&2; exit 1; }
command -v python3 >/dev/null || { echo "jmh-all: python3 is needed for the table" >&2; exit 1; }

tmp=""
if [ -z "$OUT" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  OUT="$tmp/jmh.json"
fi

args=(-prof gc -rf json -rff "$OUT")
if [ "$QUICK" = 1 ]; then
  args+=(-wi 2 -w 1 -i 3 -r 1)
fi
# shellcheck disable=SC2086
"$JAVA" -jar "$JAR" ${REGEX:+"$REGEX"} "${args[@]}" "$@"

python3 - "$OUT" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
table = [("benchmark", "params", "score", "± error", "unit", "alloc B/op")]
for r in rows:
    name = r["benchmark"].split(".")[-2] + "." + r["benchmark"].split(".")[-1]
    params = ",".join(f"{k}={v}" for k, v in (r.get("params") or {}).items())
    pm = r["primaryMetric"]
    alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
    err = pm.get("scoreError")
    fmt = lambda x: "—" if x is None or x != x else (f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.3g}")
    table.append((name, params, fmt(pm["score"]), fmt(err), pm["scoreUnit"], "—" if alloc is None else f"{alloc:,.1f}"))
w = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
right = {2, 3, 5}
for n, row in enumerate(table):
    print("  ".join(c.rjust(w[i]) if i in right else c.ljust(w[i]) for i, c in enumerate(row)))
    if n == 0:
        print("  ".join("-" * x for x in w))
PY
