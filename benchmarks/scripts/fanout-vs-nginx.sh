#!/usr/bin/env bash
# Fan-out benchmark: Livehub against nginx with the RTMP module, on loopback, one server at a
# time. For each player count and run, the script starts the server (fresh), publishes the same
# 1 Mbit/s H.264 + AAC stream to it with the probe publisher (which stamps wall-clock time into
# every video frame), attaches N RTMP players with the load client, measures for a fixed window
# and stops everything. It then prints the medians over the runs, Livehub and nginx side by
# side, with the ratio.
#
# Measured in the window, by the load client: server CPU seconds (utime + stime from
# /proc/PID/stat, summed over nginx's master and workers), RSS (VmRSS from /proc/PID/status,
# summed likewise; "per player" is the growth over the idle server with the publisher attached),
# delivered Mbit/s, video frames per player, dropped frames (gaps in the stamps' sequence
# numbers), publish-to-play latency percentiles (stamp to arrival, one clock).
#
# With taskset and at least two CPUs, the server runs on CPU 0 and the publisher and the players
# on the other CPUs (PIN=0 turns this off). nginx runs worker_processes 1 (NGINX_WORKERS), so both
# servers have one core. Livehub runs the full example server (examples/target/livehub-server.jar)
# with its defaults, or with LIVEHUB_SERVER=bench the benchmark's BenchServer; LIVEHUB_ARGS passes
# fan-out flags to either (for example "--merge-write-window=0 --worker-threads=1"); the JVM options are
# LIVEHUB_JAVA_OPTS. Players wait up to PLAY_TIMEOUT ms to play: a busy server may leave them in its
# accept queue for a while (nginx with one worker does at 1,000 players and a 200/s ramp).
#
# Installs nothing. Needs: java 17, nginx and libnginx-mod-rtmp (Debian: apt-get install -y nginx
# libnginx-mod-rtmp), ffmpeg once to make the probe stream, and the built jars
# (mvn -q -DskipTests package). Uses 127.0.0.1 only. Every process it starts is stopped on exit,
# and each step has a time limit.
#
# Usage: benchmarks/scripts/fanout-vs-nginx.sh [options]
#   -n "100 500 1000 2000"  player counts (PLAYERS)
#   -d 60                   measurement window in seconds (DURATION)
#   -r 3                    runs per server and count; medians are reported (RUNS)
#   -s "livehub nginx"      servers, in the order they are tested (SERVERS)
#   -o DIR                  keep logs and per-run summaries in DIR (default: a temporary directory, removed)
#   -j                      record a JFR profile of each Livehub run (into the -o directory)
# Further settings through the environment: RAMP (players per second, 200), SETTLE (seconds
# between the last player and the window, 20: long enough for the JIT compiler, which shares
# the server's core, to finish warming up),
# PLAY_TIMEOUT (ms, 60000), CLIENT_THREADS (2), NGINX_WORKERS (1), PIN (1), LIVEHUB_SERVER (full),
# LIVEHUB_ARGS, LIVEHUB_JAVA_OPTS (-Xms256m -Xmx256m -XX:+AlwaysPreTouch: a fixed, touched heap,
# as a server is run, so RSS growth is what players cost, not the heap's sizing policy),
# PROBE_FLV (a cached file under benchmarks/target), JAVA (java).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

PLAYERS=${PLAYERS:-"100 500 1000 2000"}
DURATION=${DURATION:-60}
RUNS=${RUNS:-3}
SERVERS=${SERVERS:-"livehub nginx"}
RAMP=${RAMP:-200}
SETTLE=${SETTLE:-20}
PLAY_TIMEOUT=${PLAY_TIMEOUT:-60000}
LIVEHUB_SERVER=${LIVEHUB_SERVER:-full}
LIVEHUB_ARGS=${LIVEHUB_ARGS:-}
CLIENT_THREADS=${CLIENT_THREADS:-2}
NGINX_WORKERS=${NGINX_WORKERS:-1}
PIN=${PIN:-1}
LIVEHUB_JAVA_OPTS=${LIVEHUB_JAVA_OPTS:-"-Xms256m -Xmx256m -XX:+AlwaysPreTouch"}
PROBE_FLV=${PROBE_FLV:-"$root/benchmarks/target/probe-1mbps.flv"}
JAVA=${JAVA:-java}
OUT=""
JFR=0

while getopts "n:d:r:s:o:jh" opt; do
  case $opt in
    n) PLAYERS=$OPTARG ;;
    d) DURATION=$OPTARG ;;
    r) RUNS=$OPTARG ;;
    s) SERVERS=$OPTARG ;;
    o) OUT=$OPTARG ;;
    j) JFR=1 ;;
    h) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fanout: unknown option; -h for help" >&2; exit 2 ;;
  esac
done

die() { echo "fanout: $*" >&2; exit 1; }

# ---- requirements ----
command -v "$JAVA" >/dev/null || die "java 17 is needed"
BENCH_JAR="$root/benchmarks/target/benchmarks.jar"
SERVER_JAR="$root/examples/target/livehub-server.jar"
[[ -f $BENCH_JAR && -f $SERVER_JAR ]] || die "build first: (cd $root && mvn -q -DskipTests package)"
NGINX=""
NGINX_RTMP_MODULE=""
if [[ " $SERVERS " == *" nginx "* ]]; then
  NGINX=$(command -v nginx || true)
  [[ -z $NGINX && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
  for m in /usr/lib/nginx/modules/ngx_rtmp_module.so /usr/lib64/nginx/modules/ngx_rtmp_module.so \
           /usr/share/nginx/modules/ngx_rtmp_module.so; do
    [[ -f $m ]] && NGINX_RTMP_MODULE=$m && break
  done
  if [[ -z $NGINX || -z $NGINX_RTMP_MODULE ]]; then
    die "nginx with the RTMP module is needed. On Debian or Ubuntu: sudo apt-get install -y nginx libnginx-mod-rtmp
       (the script starts its own nginx on a free loopback port; the system service may stay stopped).
       Or test Livehub alone: -s livehub"
  fi
fi
for n in $PLAYERS; do
  [[ $n =~ ^[0-9]+$ && $n -ge 1 && $n -le 20000 ]] || die "player counts must be 1..20000: $n"
done
[[ $DURATION =~ ^[0-9]+$ && $DURATION -ge 1 && $DURATION -le 3600 ]] || die "duration must be 1..3600 s"
[[ $RUNS =~ ^[0-9]+$ && $RUNS -ge 1 && $RUNS -le 20 ]] || die "runs must be 1..20"

max_players=0
for n in $PLAYERS; do (( n > max_players )) && max_players=$n; done
want_files=$(( max_players + 1024 ))
if (( $(ulimit -n) < want_files )); then
  ulimit -n "$want_files" 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  (( $(ulimit -n) >= want_files )) || echo "fanout: warning: open files limit $(ulimit -n) is below $want_files" >&2
fi

# ---- work directory and clean-up ----
KEEP=1
if [[ -z $OUT ]]; then
  OUT=$(mktemp -d "${TMPDIR:-/tmp}/fanout.XXXXXX")
  KEEP=0
  (( JFR )) && KEEP=1
fi
mkdir -p "$OUT"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]:-}"; do
    [[ -n $pid ]] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]:-}"; do
    [[ -n $pid ]] || continue
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
  if (( KEEP == 0 )); then rm -rf "$OUT"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Stops one process started by this script: TERM, up to 10 s, then KILL.
stop() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local keep=() p
  for p in "${PIDS[@]:-}"; do [[ -n $p && $p != "$pid" ]] && keep+=("$p"); done
  PIDS=("${keep[@]:-}")
}

# Prints a TCP port on 127.0.0.1 that nothing listens on.
free_port() {
  local p i
  for i in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free port found"
}

# Waits until something listens on 127.0.0.1:$1, at most $2 seconds.
wait_port() {
  local i
  for i in $(seq 1 $(( $2 * 10 ))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# ---- CPU sets ----
# Commands are prefixed with these arrays, not wrapped in functions, so that $! of a command run
# in the background is the process itself (taskset execs it) and stopping it stops the program.
SERVER_CPUS=""
CLIENT_CPUS=""
SERVER_PIN=()
CLIENT_PIN=()
ncpu=$(nproc 2>/dev/null || echo 1)
if (( PIN )) && command -v taskset >/dev/null && (( ncpu >= 2 )); then
  SERVER_CPUS=0
  CLIENT_CPUS="1-$(( ncpu - 1 ))"
  SERVER_PIN=(taskset -c "$SERVER_CPUS")
  CLIENT_PIN=(taskset -c "$CLIENT_CPUS")
fi

# ---- probe stream ----
if [[ ! -f $PROBE_FLV ]]; then
  mkdir -p "$(dirname "$PROBE_FLV")"
  timeout 300 "$here/make-probe-stream.sh" "$PROBE_FLV" 30 >/dev/null
fi

echo "fanout: players [$PLAYERS], window ${DURATION}s, $RUNS run(s), servers [$SERVERS], ramp ${RAMP}/s, settle ${SETTLE}s"
echo "fanout: server CPUs ${SERVER_CPUS:-any}, client CPUs ${CLIENT_CPUS:-any}; Livehub: $LIVEHUB_SERVER $LIVEHUB_ARGS; $(uptime | sed 's/.*load/load/')"
echo "fanout: logs and summaries in $OUT$( (( KEEP )) || echo ' (removed at exit)')"

RESULTS="$OUT/results.txt"
: > "$RESULTS"

# Starts a server; sets SERVER_PID (the process to stop), SERVER_PIDS (to measure) and PORT.
start_server() {
  local server=$1 tag=$2
  PORT=$(free_port)
  case $server in
    livehub)
      local http_port jfr_opts=()
      http_port=$(free_port)
      if (( JFR )); then
        jfr_opts=("-XX:StartFlightRecording=filename=$OUT/$tag.jfr,settings=profile,dumponexit=true")
      fi
      if [[ $LIVEHUB_SERVER == bench ]]; then
        # shellcheck disable=SC2086
        "${SERVER_PIN[@]}" "$JAVA" $LIVEHUB_JAVA_OPTS "${jfr_opts[@]}" -cp "$BENCH_JAR" \
          io.livehub.bench.load.BenchServer --host=127.0.0.1 --rtmp-port="$PORT" --http-port="$http_port" \
          $LIVEHUB_ARGS > "$OUT/$tag.server.log" 2>&1 &
      else
        # shellcheck disable=SC2086
        "${SERVER_PIN[@]}" "$JAVA" $LIVEHUB_JAVA_OPTS "${jfr_opts[@]}" -jar "$SERVER_JAR" --host=127.0.0.1 \
          --rtmp-port="$PORT" --http-port="$http_port" --srt-port=0 --data-dir="$OUT/data" --secret= $LIVEHUB_ARGS \
          > "$OUT/$tag.server.log" 2>&1 &
      fi
      SERVER_PID=$!
      PIDS+=("$SERVER_PID")
      SERVER_PIDS=$SERVER_PID
      ;;
    nginx)
      local dir="$OUT/$tag.nginx"
      mkdir -p "$dir/logs"
      cat > "$dir/nginx.conf" <<CONF
load_module $NGINX_RTMP_MODULE;
daemon off;
master_process on;
worker_processes $NGINX_WORKERS;
worker_rlimit_nofile $(( max_players + 1024 ));
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events {
    worker_connections $(( max_players + 512 ));
}
rtmp {
    access_log off;
    server {
        listen 127.0.0.1:$PORT;
        chunk_size 4096;
        application live {
            live on;
        }
    }
}
CONF
      "${SERVER_PIN[@]}" "$NGINX" -c "$dir/nginx.conf" -p "$dir/" > "$OUT/$tag.server.log" 2>&1 &
      SERVER_PID=$!
      PIDS+=("$SERVER_PID")
      ;;
  esac
  wait_port "$PORT" 60 || { tail -20 "$OUT/$tag.server.log" >&2; die "$server did not listen on $PORT"; }
  if [[ $server == nginx ]]; then
    local workers
    workers=$(pgrep -P "$SERVER_PID" | paste -sd, -)
    SERVER_PIDS="$SERVER_PID${workers:+,$workers}"
  fi
}

for n in $PLAYERS; do
  for run in $(seq 1 "$RUNS"); do
    for server in $SERVERS; do
      tag="$server-$n-$run"
      echo "fanout: $tag: starting"
      start_server "$server" "$tag"
      ramp_s=$(( (n + RAMP - 1) / RAMP ))
      publish_s=$(( ramp_s + PLAY_TIMEOUT / 1000 + SETTLE + DURATION + 60 ))
      "${CLIENT_PIN[@]}" "$JAVA" -Xmx256m -cp "$BENCH_JAR" io.livehub.bench.load.ProbePublisher --file="$PROBE_FLV" \
        --url="rtmp://127.0.0.1:$PORT/live/bench" --duration="$publish_s" > "$OUT/$tag.probe.log" 2>&1 &
      probe_pid=$!
      PIDS+=("$probe_pid")
      for _ in $(seq 1 150); do
        grep -q "probe: publishing" "$OUT/$tag.probe.log" 2>/dev/null && break
        kill -0 "$probe_pid" 2>/dev/null || break
        sleep 0.1
      done
      grep -q "probe: publishing" "$OUT/$tag.probe.log" || { cat "$OUT/$tag.probe.log" >&2; die "$tag: the probe could not publish"; }
      sleep 3 # a GOP or more in the server before the players come
      client_limit=$(( ramp_s + PLAY_TIMEOUT / 1000 + 2 + SETTLE + DURATION + 30 ))
      status=0
      "${CLIENT_PIN[@]}" timeout -k 5 "$client_limit" "$JAVA" -Xmx512m -cp "$BENCH_JAR" io.livehub.bench.load.LoadClient \
        --url="rtmp://127.0.0.1:$PORT/live/bench" --players="$n" --ramp="$RAMP" --settle="$SETTLE" \
        --duration="$DURATION" --threads="$CLIENT_THREADS" --server-pids="$SERVER_PIDS" --play-timeout="$PLAY_TIMEOUT" \
        --clk-tck="$(getconf CLK_TCK)" --label="$tag" --summary="$OUT/$tag.summary" \
        > "$OUT/$tag.client.log" 2>&1 || status=$?
      stop "$probe_pid"
      stop "$SERVER_PID"
      if [[ ! -f $OUT/$tag.summary ]]; then
        echo "fanout: $tag: no result (load client status $status); last lines:" >&2
        tail -5 "$OUT/$tag.client.log" >&2
        continue
      fi
      {
        echo "server=$server"
        echo "n=$n"
        echo "run=$run"
        cat "$OUT/$tag.summary"
        echo "--"
      } >> "$RESULTS"
      awk -F= -v tag="$tag" '
        { v[$1] = $2 }
        END {
          printf "fanout: %s: %s/%s playing, %s Mbit/s, CPU %s s (%s s/player-min), RSS %s KiB (+%s/player), dropped %s, latency p50 %s p99 %s ms\n",
            tag, v["playing"] - v["lost"], v["players"], v["mbps"], v["server_cpu_s"], v["server_cpu_per_player_min"],
            v["server_rss_kib"], v["server_rss_per_player_kib"], v["dropped_frames"], v["lat_p50_ms"], v["lat_p99_ms"]
        }' "$OUT/$tag.summary"
    done
  done
done

# ---- table of medians ----
echo
echo "Medians of $RUNS run(s), ${DURATION} s window, 1 Mbit/s H.264+AAC, RTMP players on 127.0.0.1; $(uptime | sed 's/.*load/load/')"
awk -v servers="$SERVERS" -v players="$PLAYERS" '
  function median(list,    a, k, t, i, j) {
    k = split(list, a, " ")
    if (k == 0) return ""
    for (i = 2; i <= k; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
  }
  function add(key, value) { vals[key] = vals[key] " " value }
  /^--$/ {
    key = rec["server"] SUBSEP rec["n"]
    add(key SUBSEP "served", rec["playing"] - rec["lost"])
    add(key SUBSEP "mbps", rec["mbps"])
    add(key SUBSEP "mbpsp", rec["mbps_per_player"])
    add(key SUBSEP "fmin", rec["frames_per_player_min"])
    add(key SUBSEP "cpu", rec["server_cpu_s"])
    add(key SUBSEP "cpm", rec["server_cpu_per_player_min"])
    add(key SUBSEP "rss", rec["server_rss_kib"] / 1024)
    add(key SUBSEP "rssp", rec["server_rss_per_player_kib"])
    add(key SUBSEP "drop", rec["dropped_frames"])
    add(key SUBSEP "p50", rec["lat_p50_ms"])
    add(key SUBSEP "p99", rec["lat_p99_ms"])
    add(key SUBSEP "ccpu", rec["client_cpu_s"])
    delete rec
    next
  }
  { i = index($0, "="); rec[substr($0, 1, i - 1)] = substr($0, i + 1) }
  END {
    ns = split(servers, S, " "); np = split(players, P, " ")
    printf "| players | server | served | Mbit/s | Mbit/s per player | min frames/player | CPU s | CPU s per player-min | RSS MiB | RSS KiB per player | dropped frames | latency p50 ms | latency p99 ms | client CPU s |\n"
    printf "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    for (p = 1; p <= np; p++) {
      for (s = 1; s <= ns; s++) {
        key = S[s] SUBSEP P[p]
        if (!((key SUBSEP "cpm") in vals)) continue
        m[S[s], "cpm"] = median(vals[key SUBSEP "cpm"])
        m[S[s], "rssp"] = median(vals[key SUBSEP "rssp"])
        m[S[s], "p50"] = median(vals[key SUBSEP "p50"])
        printf "| %d | %s | %d | %.1f | %.3f | %d | %.2f | %.5f | %.0f | %.1f | %d | %.1f | %.1f | %.1f |\n", P[p], S[s],
          median(vals[key SUBSEP "served"]), median(vals[key SUBSEP "mbps"]), median(vals[key SUBSEP "mbpsp"]),
          median(vals[key SUBSEP "fmin"]), median(vals[key SUBSEP "cpu"]), m[S[s], "cpm"],
          median(vals[key SUBSEP "rss"]), m[S[s], "rssp"], median(vals[key SUBSEP "drop"]),
          m[S[s], "p50"], median(vals[key SUBSEP "p99"]), median(vals[key SUBSEP "ccpu"])
      }
      if (((S[1], "cpm") in m) && ((S[2], "cpm") in m) && m[S[2], "cpm"] > 0) {
        printf "| %d | %s / %s | | | | | | **%.2f×** | | %s | | %s | | |\n", P[p], S[1], S[2],
          m[S[1], "cpm"] / m[S[2], "cpm"],
          (m[S[2], "rssp"] > 0 ? sprintf("%.2f×", m[S[1], "rssp"] / m[S[2], "rssp"]) : "-"),
          (m[S[2], "p50"] > 0 ? sprintf("%.2f×", m[S[1], "p50"] / m[S[2], "p50"]) : "-")
      }
      delete m
    }
  }' "$RESULTS"
