#!/usr/bin/env bash
# Fan-out benchmark: Livehub against SRS 7 and nginx-rtmp, on loopback, one server at a time, on
# the same load. For each mode, protocol, player count and run, the script starts the server
# (fresh), publishes the same 1 Mbit/s H.264 + AAC stream to it over RTMP with the probe publisher
# (which stamps wall-clock time into every video frame), attaches N players with the load client,
# measures for a fixed window and stops everything. It then prints one table of medians over the
# runs with each server's ratio to SRS (or to the reference server REF).
#
# Protocols: rtmp (RTMP players: Livehub, SRS, nginx-rtmp) and flv (HTTP-FLV players: Livehub and
# SRS; nginx-rtmp has no HTTP-FLV). Modes: default (every server's defaults: Livehub's merged-write
# window 100 ms, SRS's merged write 350 ms and GOP cache) and lowlat (Livehub
# --merge-write-window=0 against SRS's realtime play settings:
# play { mw_latency 0; mw_msgs 0; gop_cache off; }; nginx-rtmp has no such setting, it writes every
# message at once, so it runs in the default mode only).
#
# Measured in the window, by the load client: server CPU seconds (utime + stime from
# /proc/PID/stat, summed over nginx's master and workers), RSS (VmRSS from /proc/PID/status,
# summed likewise; "idle" is the server with the publisher attached before the first player,
# "per player" the growth over it), players fully fed (at least 95 % of the window's 25 fps
# frames), dropped frames (gaps in the stamps' sequence numbers), publish-to-play latency
# percentiles (stamp to arrival, one clock).
#
# With taskset and at least two CPUs, the server runs on CPU 0 and the publisher and the players
# on the other CPUs (PIN=0 turns this off), so each server has one core: nginx runs
# worker_processes 1 (NGINX_WORKERS); SRS is one process. Livehub runs the full example server
# (examples/target/livehub-server.jar) with its defaults, or with LIVEHUB_SERVER=bench the
# benchmark's BenchServer (RTMP and HTTP-FLV only); LIVEHUB_ARGS adds flags (for example
# "--worker-threads=1"); the JVM options are LIVEHUB_JAVA_OPTS. Players wait up to PLAY_TIMEOUT ms
# to play: a busy server may leave them in its accept queue for a while.
#
# Installs nothing. Needs: java 17, the built jars (mvn -q -DskipTests package), ffmpeg once to make
# the probe stream; for SRS the binary in SRS_DIR (default /work/shared/peers/srs, see its
# README.md for the Debian libraries it links); for nginx-rtmp, nginx and libnginx-mod-rtmp
# (Debian: apt-get install -y nginx libnginx-mod-rtmp). Servers that are not there are left out
# with a warning. Uses 127.0.0.1 only, on free ports; each server gets a generated config in the
# work directory. Every process it starts is stopped on exit, and each step has a time limit.
#
# Usage: benchmarks/scripts/fanout-vs-peers.sh [options]
#   -n "100 1000 2000"      player counts (PLAYERS)
#   -d 30                   measurement window in seconds (DURATION)
#   -r 3                    runs per cell; medians are reported (RUNS)
#   -s "livehub srs nginx"  servers, in the order they are tested (SERVERS)
#   -p "rtmp flv"           player protocols (PROTOCOLS)
#   -m "default lowlat"     modes (MODES)
#   -o DIR                  keep logs and per-run summaries in DIR (default: a temporary directory, removed)
#   -j                      record a JFR profile of each Livehub run (into the -o directory)
#   -t DIR                  run nothing; print the table of the runs kept in DIR (by -o) so far
# Further settings through the environment: REF (the server the ratios are to; srs, or the last
# server listed when srs is not), RAMP (players per second, 200), SETTLE (seconds between the last
# player and the window, 20: long enough for the JIT compiler, which shares the server's core, to
# finish warming up), PLAY_TIMEOUT (ms, 60000), CLIENT_THREADS (2), NGINX_WORKERS (1), PIN (1),
# LIVEHUB_SERVER (full), LIVEHUB_ARGS, LIVEHUB_JAVA_OPTS (-Xms256m -Xmx256m -XX:+AlwaysPreTouch: a
# fixed, touched heap, as a server is run, so RSS growth is what players cost, not the heap's sizing
# policy), SRS_DIR, PROBE_FLV (a cached file under benchmarks/target), FPS (the probe's frame rate,
# 25), JAVA (java).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

PLAYERS=${PLAYERS:-"100 1000 2000"}
DURATION=${DURATION:-30}
RUNS=${RUNS:-3}
SERVERS=${SERVERS:-"livehub srs nginx"}
PROTOCOLS=${PROTOCOLS:-"rtmp flv"}
MODES=${MODES:-"default lowlat"}
REF=${REF:-}
RAMP=${RAMP:-200}
SETTLE=${SETTLE:-20}
PLAY_TIMEOUT=${PLAY_TIMEOUT:-60000}
LIVEHUB_SERVER=${LIVEHUB_SERVER:-full}
LIVEHUB_ARGS=${LIVEHUB_ARGS:-}
CLIENT_THREADS=${CLIENT_THREADS:-2}
NGINX_WORKERS=${NGINX_WORKERS:-1}
PIN=${PIN:-1}
LIVEHUB_JAVA_OPTS=${LIVEHUB_JAVA_OPTS:-"-Xms256m -Xmx256m -XX:+AlwaysPreTouch"}
SRS_DIR=${SRS_DIR:-/work/shared/peers/srs}
PROBE_FLV=${PROBE_FLV:-"$root/benchmarks/target/probe-1mbps.flv"}
FPS=${FPS:-25}
JAVA=${JAVA:-java}
OUT=""
JFR=0
TABLE_ONLY=""

while getopts "n:d:r:s:p:m:o:jt:h" opt; do
  case $opt in
    n) PLAYERS=$OPTARG ;;
    d) DURATION=$OPTARG ;;
    r) RUNS=$OPTARG ;;
    s) SERVERS=$OPTARG ;;
    p) PROTOCOLS=$OPTARG ;;
    m) MODES=$OPTARG ;;
    o) OUT=$OPTARG ;;
    j) JFR=1 ;;
    t) TABLE_ONLY=$OPTARG; OUT=$OPTARG ;;
    h) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fanout: unknown option; -h for help" >&2; exit 2 ;;
  esac
done

die() { echo "fanout: $*" >&2; exit 1; }
warn() { echo "fanout: warning: $*" >&2; }
has() { [[ " $1 " == *" $2 "* ]]; }

# ---- requirements ----
command -v "$JAVA" >/dev/null || die "java 17 is needed"
BENCH_JAR="$root/benchmarks/target/benchmarks.jar"
SERVER_JAR="$root/examples/target/livehub-server.jar"
[[ -f $BENCH_JAR && -f $SERVER_JAR ]] || die "build first: (cd $root && mvn -q -DskipTests package)"
for p in $PROTOCOLS; do [[ $p == rtmp || $p == flv ]] || die "protocols are rtmp and flv: $p"; done
for m in $MODES; do [[ $m == default || $m == lowlat ]] || die "modes are default and lowlat: $m"; done
for s in $SERVERS; do [[ $s == livehub || $s == srs || $s == nginx ]] || die "servers are livehub, srs and nginx: $s"; done

available=""
for s in $SERVERS; do
  case $s in
    livehub) available+=" livehub" ;;
    srs)
      if [[ ! -x $SRS_DIR/srs ]]; then
        warn "no SRS binary at $SRS_DIR/srs (SRS_DIR); SRS left out"
      elif ldd "$SRS_DIR/srs" | grep -q 'not found'; then
        warn "SRS misses libraries ($(ldd "$SRS_DIR/srs" | awk '/not found/ {printf "%s ", $1}')), see $SRS_DIR/README.md; SRS left out"
      else
        available+=" srs"
      fi ;;
    nginx)
      NGINX=$(command -v nginx || true)
      [[ -z $NGINX && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
      NGINX_RTMP_MODULE=""
      for m in /usr/lib/nginx/modules/ngx_rtmp_module.so /usr/lib64/nginx/modules/ngx_rtmp_module.so \
               /usr/share/nginx/modules/ngx_rtmp_module.so; do
        [[ -f $m ]] && NGINX_RTMP_MODULE=$m && break
      done
      if [[ -z $NGINX || -z $NGINX_RTMP_MODULE ]]; then
        warn "nginx with the RTMP module is missing (Debian: apt-get install -y nginx libnginx-mod-rtmp); nginx left out"
      else
        available+=" nginx"
      fi ;;
  esac
done
SERVERS=${available# }
[[ -n $SERVERS ]] || die "no server to test"
if [[ -z $REF ]]; then
  if has "$SERVERS" srs; then REF=srs; else REF=${SERVERS##* }; fi
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
  (( $(ulimit -n) >= want_files )) || warn "open files limit $(ulimit -n) is below $want_files"
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

# Prints a TCP port on 127.0.0.1 that nothing listens on, below the kernel's ephemeral range: a
# port in that range may still be held by an earlier run's player sockets, and the bind fails.
ephemeral_low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
(( ephemeral_low > 21000 )) || ephemeral_low=40000
free_port() {
  local p i
  for i in $(seq 1 200); do
    p=$(( 20000 + RANDOM % (ephemeral_low - 20000) ))
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

echo "fanout: modes [$MODES], protocols [$PROTOCOLS], players [$PLAYERS], window ${DURATION}s, $RUNS run(s), servers [$SERVERS] (ratios to $REF), ramp ${RAMP}/s, settle ${SETTLE}s"
echo "fanout: server CPUs ${SERVER_CPUS:-any}, client CPUs ${CLIENT_CPUS:-any}; Livehub: $LIVEHUB_SERVER $LIVEHUB_ARGS; $(uptime | sed 's/.*load/load/')"
echo "fanout: logs and summaries in $OUT$( (( KEEP )) || echo ' (removed at exit)')"

RESULTS="$OUT/results.txt"
if [[ -n $TABLE_ONLY ]]; then
  [[ -f $RESULTS ]] || die "no $RESULTS"
else
  : > "$RESULTS"
fi

# Writes an SRS config for protocol $2 and mode $3 into $1/srs.conf.
srs_config() {
  local dir=$1 proto=$2 mode=$3
  {
    echo "# generated by fanout-vs-peers.sh: $proto players, $mode mode"
    echo "listen              127.0.0.1:$PORT;"
    echo "max_connections     $(( max_players + 512 ));"
    echo "daemon              off;"
    echo "srs_log_tank        console;"
    echo "srs_log_level       warn;"
    echo "pid                 ./srs.pid;"
    if [[ $proto == flv ]]; then
      echo "http_server { enabled on; listen 127.0.0.1:$HTTP_PORT; dir ./html; }"
    fi
    echo "vhost __defaultVhost__ {"
    if [[ $proto == flv ]]; then
      echo "    http_remux { enabled on; mount [vhost]/[app]/[stream].flv; }"
    fi
    if [[ $mode == lowlat ]]; then
      # SRS's realtime play settings (its conf/realtime.conf): no merged write, no GOP cache.
      echo "    play { mw_latency 0; mw_msgs 0; gop_cache off; }"
    fi
    echo "}"
  } > "$dir/srs.conf"
}

# Starts a server; sets SERVER_PID (the process to stop), SERVER_PIDS (to measure), PORT (RTMP)
# and HTTP_PORT (HTTP-FLV).
start_server() {
  local server=$1 tag=$2 proto=$3 mode=$4
  PORT=$(free_port)
  HTTP_PORT=$(free_port)
  while [[ $HTTP_PORT == "$PORT" ]]; do HTTP_PORT=$(free_port); done
  case $server in
    livehub)
      local jfr_opts=() mode_args=""
      if (( JFR )); then
        jfr_opts=("-XX:StartFlightRecording=filename=$OUT/$tag.jfr,settings=profile,dumponexit=true")
      fi
      [[ $mode == lowlat ]] && mode_args="--merge-write-window=0"
      if [[ $LIVEHUB_SERVER == bench ]]; then
        # shellcheck disable=SC2086
        "${SERVER_PIN[@]}" "$JAVA" $LIVEHUB_JAVA_OPTS "${jfr_opts[@]}" -cp "$BENCH_JAR" \
          io.livehub.bench.load.BenchServer --host=127.0.0.1 --rtmp-port="$PORT" --http-port="$HTTP_PORT" \
          $mode_args $LIVEHUB_ARGS > "$OUT/$tag.server.log" 2>&1 &
      else
        # shellcheck disable=SC2086
        # Every player comes from 127.0.0.1: the per-address caps (128 RTMP, 256 HTTP by default)
        # would refuse most of them.
        "${SERVER_PIN[@]}" "$JAVA" $LIVEHUB_JAVA_OPTS "${jfr_opts[@]}" -jar "$SERVER_JAR" --host=127.0.0.1 \
          --rtmp-port="$PORT" --http-port="$HTTP_PORT" --srt-port=0 --data-dir="$OUT/data" --secret= \
          --rtmp-max-connections-per-ip=$(( max_players + 64 )) --http-max-connections-per-ip=$(( max_players + 64 )) \
          $mode_args $LIVEHUB_ARGS > "$OUT/$tag.server.log" 2>&1 &
      fi
      SERVER_PID=$!
      ;;
    srs)
      local dir="$OUT/$tag.srs"
      mkdir -p "$dir"
      srs_config "$dir" "$proto" "$mode"
      # SRS writes its pid file and HTTP files under the folder it runs in.
      (cd "$dir" && exec "${SERVER_PIN[@]}" "$SRS_DIR/srs" -c "$dir/srs.conf") > "$OUT/$tag.server.log" 2>&1 &
      SERVER_PID=$!
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
      ;;
  esac
  PIDS+=("$SERVER_PID")
  SERVER_PIDS=$SERVER_PID
  wait_port "$PORT" 60 || { tail -20 "$OUT/$tag.server.log" >&2; die "$server did not listen on $PORT"; }
  if [[ $proto == flv ]]; then
    wait_port "$HTTP_PORT" 30 || { tail -20 "$OUT/$tag.server.log" >&2; die "$server did not listen on HTTP $HTTP_PORT"; }
  fi
  if [[ $server == nginx ]]; then
    local workers
    workers=$(pgrep -P "$SERVER_PID" | paste -sd, -)
    SERVER_PIDS="$SERVER_PID${workers:+,$workers}"
  fi
}

# Runs one cell: server $1, protocol $2, mode $3, players $4, run $5.
run_one() {
  local server=$1 proto=$2 mode=$3 n=$4 run=$5
  local tag="$mode-$proto-$server-$n-$run" url status probe_pid ramp_s publish_s client_limit
  echo "fanout: $tag: starting"
  start_server "$server" "$tag" "$proto" "$mode"
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
  if [[ $proto == flv ]]; then
    url="http://127.0.0.1:$HTTP_PORT/live/bench.flv"
  else
    url="rtmp://127.0.0.1:$PORT/live/bench"
  fi
  client_limit=$(( ramp_s + PLAY_TIMEOUT / 1000 + 2 + SETTLE + DURATION + 30 ))
  status=0
  "${CLIENT_PIN[@]}" timeout -k 5 "$client_limit" "$JAVA" -Xmx512m -cp "$BENCH_JAR" io.livehub.bench.load.LoadClient \
    --url="$url" --players="$n" --ramp="$RAMP" --settle="$SETTLE" --fps="$FPS" \
    --duration="$DURATION" --threads="$CLIENT_THREADS" --server-pids="$SERVER_PIDS" --play-timeout="$PLAY_TIMEOUT" \
    --clk-tck="$(getconf CLK_TCK)" --label="$tag" --summary="$OUT/$tag.summary" \
    > "$OUT/$tag.client.log" 2>&1 || status=$?
  stop "$probe_pid"
  stop "$SERVER_PID"
  if [[ ! -f $OUT/$tag.summary ]]; then
    echo "fanout: $tag: no result (load client status $status); last lines:" >&2
    tail -5 "$OUT/$tag.client.log" >&2
    return
  fi
  {
    echo "server=$server"
    echo "proto=$proto"
    echo "mode=$mode"
    echo "n=$n"
    echo "run=$run"
    cat "$OUT/$tag.summary"
    echo "--"
  } >> "$RESULTS"
  awk -F= -v tag="$tag" '
    { v[$1] = $2 }
    END {
      printf "fanout: %s: %s/%s playing, %s fed, %s Mbit/s, CPU %s s (%s s/player-min), RSS %s KiB (idle %s, +%s/player), dropped %s, latency p50 %s p99 %s ms\n",
        tag, v["playing"] - v["lost"], v["players"], v["players_fed"], v["mbps"], v["server_cpu_s"],
        v["server_cpu_per_player_min"], v["server_rss_kib"], v["server_rss_idle_kib"],
        v["server_rss_per_player_kib"], v["dropped_frames"], v["lat_p50_ms"], v["lat_p99_ms"]
    }' "$OUT/$tag.summary"
}

# Runs are the outer loop, so that a cut-short session still has a sample of every cell (-t prints
# the table of what is there).
if [[ -z $TABLE_ONLY ]]; then
  for run in $(seq 1 "$RUNS"); do
    for mode in $MODES; do
      for proto in $PROTOCOLS; do
        for n in $PLAYERS; do
          for server in $SERVERS; do
            # nginx-rtmp has no HTTP-FLV and no low-latency setting (it writes each message at once).
            [[ $server == nginx && ( $proto == flv || $mode == lowlat ) ]] && continue
            run_one "$server" "$proto" "$mode" "$n" "$run"
          done
        done
      done
    done
  done
fi

# ---- table of medians ----
echo
echo "Medians of up to $RUNS run(s) (column runs), ${DURATION} s window after ${SETTLE} s settle, 1 Mbit/s H.264+AAC (${FPS} fps) published over RTMP, players on 127.0.0.1; $(uptime | sed 's/.*load/load/')"
echo "(× $REF: the server's median over $REF's median in the same mode, protocol and player count; fed: players with at least 95 % of the window's frames)"
echo
awk -v servers="$SERVERS" -v players="$PLAYERS" -v protos="$PROTOCOLS" -v modes="$MODES" -v ref="$REF" '
  function median(list,    a, k, t, i, j) {
    k = split(list, a, " ")
    if (k == 0) return ""
    for (i = 2; i <= k; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
  }
  function ratio(x, y) { return (y > 0 && x != "") ? sprintf("%.2f×", x / y) : "" }
  function add(key, value) { vals[key] = vals[key] " " value }
  /^--$/ {
    key = rec["mode"] SUBSEP rec["proto"] SUBSEP rec["n"] SUBSEP rec["server"]
    runs[key]++
    add(key SUBSEP "served", rec["playing"] - rec["lost"])
    add(key SUBSEP "fed", rec["players_fed"])
    add(key SUBSEP "mbpsp", rec["mbps_per_player"])
    add(key SUBSEP "cpm", rec["server_cpu_per_player_min"])
    add(key SUBSEP "idle", rec["server_rss_idle_kib"] / 1024)
    add(key SUBSEP "rssp", rec["server_rss_per_player_kib"])
    add(key SUBSEP "drop", rec["dropped_frames"])
    add(key SUBSEP "p50", rec["lat_p50_ms"])
    add(key SUBSEP "p99", rec["lat_p99_ms"])
    delete rec
    next
  }
  { i = index($0, "="); rec[substr($0, 1, i - 1)] = substr($0, i + 1) }
  END {
    nm = split(modes, M, " "); nq = split(protos, Q, " "); ns = split(servers, S, " "); np = split(players, P, " ")
    printf "| mode | protocol | players | server | runs | served | fed | Mbit/s per player | CPU s per player-min | × %s | idle RSS MiB | RSS KiB per player | × %s | latency p50 ms | × %s | latency p99 ms | dropped frames |\n", ref, ref, ref
    printf "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    for (a = 1; a <= nm; a++) for (b = 1; b <= nq; b++) for (p = 1; p <= np; p++) {
      rk = M[a] SUBSEP Q[b] SUBSEP P[p] SUBSEP ref
      rc = ((rk SUBSEP "cpm") in vals) ? median(vals[rk SUBSEP "cpm"]) : ""
      rr = ((rk SUBSEP "rssp") in vals) ? median(vals[rk SUBSEP "rssp"]) : ""
      rl = ((rk SUBSEP "p50") in vals) ? median(vals[rk SUBSEP "p50"]) : ""
      for (s = 1; s <= ns; s++) {
        key = M[a] SUBSEP Q[b] SUBSEP P[p] SUBSEP S[s]
        if (!((key SUBSEP "cpm") in vals)) continue
        c = median(vals[key SUBSEP "cpm"]); r = median(vals[key SUBSEP "rssp"]); l = median(vals[key SUBSEP "p50"])
        printf "| %s | %s | %d | %s | %d | %d | %d | %.3f | %.5f | %s | %.0f | %.1f | %s | %.1f | %s | %.1f | %d |\n",
          M[a], (Q[b] == "flv" ? "HTTP-FLV" : "RTMP"), P[p], S[s], runs[key], median(vals[key SUBSEP "served"]),
          median(vals[key SUBSEP "fed"]), median(vals[key SUBSEP "mbpsp"]), c, (S[s] == ref ? "1" : ratio(c, rc)),
          median(vals[key SUBSEP "idle"]), r, (S[s] == ref ? "1" : ratio(r, rr)), l, (S[s] == ref ? "1" : ratio(l, rl)),
          median(vals[key SUBSEP "p99"]), median(vals[key SUBSEP "drop"])
      }
    }
  }' "$RESULTS"
