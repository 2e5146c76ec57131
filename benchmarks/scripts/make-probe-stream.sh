#!/usr/bin/env bash
# Makes the latency probe's source: a 1 Mbit/s H.264 + AAC FLV file (900 kbit/s video, capped,
# 2 s GOPs at 25 fps, 96 kbit/s AAC), 30 s long, which ProbePublisher republishes in a loop.
# The picture carries temporal noise so that the encoder fills the rate cap.
#
# Usage: make-probe-stream.sh OUT.flv [SECONDS]
set -euo pipefail
out=${1:?usage: make-probe-stream.sh OUT.flv [SECONDS]}
seconds=${2:-30}
command -v ffmpeg >/dev/null || { echo "make-probe-stream: ffmpeg is needed (apt-get install -y ffmpeg)" >&2; exit 1; }
tmp="$out.tmp.$$.flv"
trap 'rm -f "$tmp"' EXIT
ffmpeg -nostdin -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=640x360:rate=25,noise=alls=12:allf=t" \
  -f lavfi -i "sine=frequency=440:sample_rate=44100" \
  -t "$seconds" \
  -c:v libx264 -preset veryfast -pix_fmt yuv420p \
  -b:v 900k -maxrate 900k -bufsize 900k -g 50 -keyint_min 50 -sc_threshold 0 \
  -c:a aac -b:a 96k -ac 2 \
  -f flv "$tmp"
mv "$tmp" "$out"
echo "make-probe-stream: wrote $out"
