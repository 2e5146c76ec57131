#!/usr/bin/env bash
# Measures SRT receive throughput and CPU cost: Livehub's SrtModule (demuxing MPEG-TS into the
# hub) against libsrt's srt-live-transmit (listener, writing to /dev/null), both fed by the same
# paced Livehub caller (SrtFeeder) on loopback. Prints the feeder's key=value results for each.
#
# Usage: benchmarks/scripts/srt-receive-vs-slt.sh [MBPS [SECONDS]]
# Needs: benchmarks/target/benchmarks.jar (mvn -pl benchmarks -am package -DskipTests), ffmpeg,
# srt-live-transmit.
set -euo pipefail
MBPS=${1:-100}
SECONDS_=${2:-20}
JAR=${JAR:-benchmarks/target/benchmarks.jar}
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

# 10 s of 1280x720 H.264 (8 Mbit/s) + AAC, fed in a loop.
ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine \
  -t 10 -c:v libx264 -preset veryfast -b:v 8M -g 60 -pix_fmt yuv420p -c:a aac -f mpegts "$WORK/feed.ts"

for PAYLOAD in discard ts; do
  echo "== Livehub SrtModule (payload $PAYLOAD), ${MBPS} Mbit/s"
  java -Xmx1g -cp "$JAR" io.livehub.bench.srt.SrtBenchServer --port=10180 --payload=$PAYLOAD \
    > "$WORK/livehub.log" 2>&1 &
  LH=$!
  sleep 3
  java -cp "$JAR" io.livehub.bench.srt.SrtFeeder "--url=srt://127.0.0.1:10180?streamid=%23!::r=live/bench,m=publish" \
    --ts="$WORK/feed.ts" --mbps="$MBPS" --seconds="$SECONDS_" --pids=$LH
  kill $LH; wait $LH 2>/dev/null || true
  grep -o 'closed: .*' "$WORK/livehub.log" || true
done

echo "== srt-live-transmit $(srt-live-transmit -version 2>&1 | head -1), ${MBPS} Mbit/s"
srt-live-transmit -q "srt://127.0.0.1:10181?mode=listener&latency=120" file://con > /dev/null 2> "$WORK/slt.log" &
SLT=$!
sleep 1
java -cp "$JAR" io.livehub.bench.srt.SrtFeeder "--url=srt://127.0.0.1:10181" \
  --ts="$WORK/feed.ts" --mbps="$MBPS" --seconds="$SECONDS_" --pids=$SLT
kill $SLT; wait $SLT 2>/dev/null || true
