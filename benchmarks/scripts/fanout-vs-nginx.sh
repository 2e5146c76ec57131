#!/usr/bin/env bash
# Fan-out benchmark: Livehub against nginx-rtmp with RTMP players, the defaults of the earlier
# results (100, 500, 1,000 and 2,000 players, 60 s windows, 3 runs, ratios to nginx). It runs
# fanout-vs-peers.sh, which also measures SRS and HTTP-FLV players; every option and setting of
# that script applies (-h there lists them), and options given here come after these defaults.
#
# Usage: benchmarks/scripts/fanout-vs-nginx.sh [fanout-vs-peers.sh options]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [[ ${1:-} == -h ]]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  exec "$here/fanout-vs-peers.sh" -h
fi
exec "$here/fanout-vs-peers.sh" -s "${SERVERS:-livehub nginx}" -p rtmp -m default \
  -n "${PLAYERS:-100 500 1000 2000}" -d "${DURATION:-60}" "$@"
