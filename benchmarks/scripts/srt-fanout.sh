#!/usr/bin/env bash
# Measures Livehub's SRT fan-out: one SRT publisher (ffmpeg looping a 1 Mbit/s H.264 + AAC
# MPEG-TS file in real time) and N SRT players of the load client on an SRT-only server
# (SrtBenchServer), and prints the load client's summary for each N: the server's CPU seconds
# per player-minute and its RSS over the window.
#
#   benchmarks/scripts/srt-fanout.sh [-n "100 200"] [-d 20] [-s 10] [-o DIR]
#
# -n players (one run each), -d window seconds, -s settle seconds, -o output directory.
# Environment: SERVER_CP (the server's class path; default the benchmarks jar, which holds
# core and protocol-srt: put other classes first to measure them with the same client), PORT
# (26080), PIN (1: server on CPU 0, publisher and players on the others, with taskset).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${JAR:-"$root/benchmarks/target/benchmarks.jar"}
SERVER_CP=${SERVER_CP:-"$JAR"}
PORT=${PORT:-26080}
PIN=${PIN:-1}
PLAYERS="100 200"
DURATION=20
SETTLE=10
OUT=""

while getopts "n:d:s:o:h" opt; do
  case $opt in
    n) PLAYERS=$OPTARG ;;
    d) DURATION=$OPTARG ;;
    s) SETTLE=$OPTARG ;;
    o) OUT=$OPTARG ;;
    h) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "srt-fanout: unknown option; -h for help" >&2; exit 2 ;;
  esac
done
OUT=${OUT:-$(mktemp -d /tmp/srt-fanout.XXXXXX)}
mkdir -p "$OUT"
command -v ffmpeg >/dev/null || { echo "srt-fanout: ffmpeg is needed" >&2; exit 1; }
[[ -f $JAR ]] || { echo "srt-fanout: build first: mvn -q -DskipTests package -pl benchmarks -am" >&2; exit 1; }

TS="$OUT/probe.ts"
if [[ ! -f $TS ]]; then
  ffmpeg -nostdin -hide_banner -loglevel error -y \
    -f lavfi -i "testsrc2=size=640x360:rate=25,noise=alls=12:allf=t" \
    -f lavfi -i "sine=frequency=440:sample_rate=44100" -t 30 \
    -c:v libx264 -preset veryfast -pix_fmt yuv420p \
    -b:v 900k -maxrate 900k -bufsize 900k -g 50 -keyint_min 50 -sc_threshold 0 \
    -c:a aac -b:a 96k -ac 2 -f mpegts "$TS"
fi

SERVER_PIN=()
CLIENT_PIN=()
if (( PIN )) && command -v taskset >/dev/null && (( $(nproc) >= 2 )); then
  SERVER_PIN=(taskset -c 0)
  CLIENT_PIN=(taskset -c "1-$(( $(nproc) - 1 ))")
fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

for n in $PLAYERS; do
  "${SERVER_PIN[@]}" java -Xms256m -Xmx256m -XX:+AlwaysPreTouch -cp "$SERVER_CP" \
    io.livehub.bench.srt.SrtBenchServer --host=127.0.0.1 --port="$PORT" > "$OUT/server-$n.log" 2>&1 &
  server=$!
  pids=("$server")
  for _ in $(seq 50); do grep -q "srt-bench-server: srt://" "$OUT/server-$n.log" && break; sleep 0.2; done
  "${CLIENT_PIN[@]}" ffmpeg -nostdin -hide_banner -loglevel error -re -stream_loop -1 -i "$TS" -c copy \
    -f mpegts "srt://127.0.0.1:$PORT?streamid=#!::r=live/bench,m=publish&pkt_size=1316" \
    > "$OUT/publisher-$n.log" 2>&1 &
  pids+=("$!")
  sleep 2
  "${CLIENT_PIN[@]}" java -Xmx512m -cp "$JAR" io.livehub.bench.load.LoadClient \
    --url="srt://127.0.0.1:$PORT?streamid=live/bench" --players="$n" --settle="$SETTLE" \
    --duration="$DURATION" --server-pids="$server" --quiet --label="srt-$n" \
    --summary="$OUT/summary-$n.txt" > "$OUT/client-$n.log" 2>&1 || true
  cleanup
  wait 2>/dev/null || true
  echo "== $n SRT players"
  cat "$OUT/summary-$n.txt" 2>/dev/null || tail -5 "$OUT/client-$n.log"
done
echo "output in $OUT"
