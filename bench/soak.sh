#!/bin/sh
# Soak: a supervisor under steady churn for DURATION, sampled every 10 s; fails when its memory,
# threads, fds or CPU still grow after the first two minutes. Not part of CI.
#   mvn -B -q package -DskipTests      # from the repository root, once
#   bench/soak.sh DURATION             # e.g. 30m, 600s, 1h (a plain number is seconds)
# Needs python3 (the HTTP service and the status client) and pgrep.
#
# 20 services: crash loops (quiet and chatty, inherited and prefixed output), long runners,
# replicas, and a python3 HTTP server Carnival runs with an HTTP liveness probe against it. A
# client asks for the status (the `status --json` request, one connection each) every 200 ms and
# runs `carnival restart` every 2 s, alternating between a long runner and the HTTP server.
# Every 10 s the supervisor's VmRSS, RssAnon, Threads, open fds and CPU (percent of one core over
# the interval) go into bench/results/soak-<UTC time>.tsv. After the run a least-squares line is
# fitted to each series over the samples after the first two minutes; its rise over that window
# must stay under the limit printed beside it. Last, SIGTERM: exit code, time to exit, and how many
# processes carrying this run's marker are left.
set -eu

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P)
root=$(dirname -- "$here")
carnival=${CARNIVAL:-$root/carnival-dist/target/carnival/bin/carnival}
out=${SOAK_OUT:-$here/out/soak}
results=$here/results
warmup=${WARMUP:-120}
interval=10

case ${1:-} in
  *h) duration=$(( ${1%h} * 3600 )) ;;
  *m) duration=$(( ${1%m} * 60 )) ;;
  *s) duration=${1%s} ;;
  '' | *[!0-9]*) echo "usage: bench/soak.sh DURATION (e.g. 30m, 600s)" >&2; exit 2 ;;
  *) duration=$1 ;;
esac
if [ "$duration" -le $((warmup + 6 * interval)) ]; then
  echo "bench: DURATION must exceed the ${warmup} s warm-up by at least a minute" >&2
  exit 2
fi
if [ ! -x "$carnival" ]; then
  echo "bench: $carnival not found; build it first: mvn -B -q package -DskipTests" >&2
  exit 2
fi
mkdir -p "$out" "$results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
data=$results/soak-$stamp.tsv
sock=$out/c.sock
rm -f "$sock"

# Every process the supervisor starts inherits this; whatever still carries it afterwards is left over.
SOAK_MARKER=carnival-soak-$stamp-$$
export SOAK_MARKER

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
{
  echo '[global]'
  echo 'shutdown-timeout-ms = 10000'
  # Crash loops: exit 1 after a short run, restarted after 100 ms.
  for i in 1 2 3 4 5 6; do
    cat <<TOML
[[service]]
name = "crash$i"
command = "sh"
args = ["-c", "sleep 0.$i; exit 1"]
restart = "always"
restart-delay-ms = 100
TOML
  done
  # Chatty crash loops: a few lines each run, through the pump (prefix) and inherited.
  for i in 1 2 3; do
    cat <<TOML
[[service]]
name = "chatty$i"
command = "sh"
args = ["-c", "for n in 1 2 3 4 5; do echo chatty$i line \$n; done; echo oops >&2; sleep 0.5; exit 3"]
restart = "on-failure"
restart-delay-ms = 200
output = "prefix"
TOML
  done
  cat <<TOML
[[service]]
name = "chatty4"
command = "sh"
args = ["-c", "echo chatty4 inherited; sleep 1; exit 2"]
restart = "always"
restart-delay-ms = 300
TOML
  # Long runners, one with replicas; 'long1' is the client's restart target.
  for i in 1 2 3 4 5 6 7; do
    cat <<TOML
[[service]]
name = "long$i"
command = "sleep"
args = ["100000"]
restart = "always"
stop-timeout-ms = 2000
TOML
  done
  cat <<TOML
[[service]]
name = "pool"
command = "sleep"
args = ["100000"]
replicas = 4
restart = "always"
[[service]]
name = "clean"
command = "sh"
args = ["-c", "sleep 2"]
restart = "always"
restart-delay-ms = 500
[[service]]
name = "web"
command = "python3"
args = ["-m", "http.server", "$port", "--bind", "127.0.0.1"]
restart = "always"
restart-delay-ms = 500
output = "prefix"
[service.liveness]
http = "http://127.0.0.1:$port/"
period-ms = 1000
timeout-ms = 2000
initial-delay-ms = 2000
failure-threshold = 5
TOML
} > "$out/soak.toml"

"$carnival" check -c "$out/soak.toml" > /dev/null

CARNIVAL_CONTROL_SOCKET=$sock "$carnival" -c "$out/soak.toml" > "$out/supervisor.out" 2> "$out/supervisor.log" &
sup=$!
client=
cleanup() {
  [ -z "$client" ] || kill "$client" 2>/dev/null || true
  kill "$sup" 2>/dev/null || true
}
trap cleanup EXIT
i=0
while [ ! -S "$sock" ]; do
  i=$((i + 1)); [ $i -lt 1500 ] || { echo "bench: no control socket; see $out/supervisor.log" >&2; exit 1; }
  kill -0 $sup 2>/dev/null || { echo "bench: the supervisor exited; see $out/supervisor.log" >&2; exit 1; }
  sleep 0.02
done

# The client: a status request every 200 ms over the protocol (a fresh connection each, as the
# command makes), and the real `carnival restart` every 2 s. It counts what it did and what failed.
python3 - "$sock" "$carnival" "$out/client.counts" <<'PY' &
import os, signal, socket, subprocess, sys, threading, time
path, carnival, counts = sys.argv[1:4]
done = {"status": 0, "restarts": 0, "failures": 0}
last = [""]
lock = threading.Lock()
def count(what, failure=None):
    with lock:
        done[what] += 1
        if failure is not None:
            last[0] = failure
def save(*_):
    # No lock: the handler runs on the main thread, which may hold it; the counts are read whole.
    with open(counts + ".tmp", "w") as f:
        f.write(f"{done['status']} {done['restarts']} {done['failures']}\n{last[0]}\n")
    os.replace(counts + ".tmp", counts)
    os._exit(0)
signal.signal(signal.SIGTERM, save)
def restarts():
    # Its own thread: a command's JVM start must not hold up the status cadence.
    targets = ["long1", "web"]
    n = 0
    while True:
        t = time.monotonic()
        r = subprocess.run([carnival, "restart", targets[n % 2], "--socket", path],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        n += 1
        if r.returncode == 0:
            count("restarts")
        else:
            count("failures", f"restart exit {r.returncode}: {r.stderr.decode(errors='replace').strip()}")
        time.sleep(max(0, 2 - (time.monotonic() - t)))
threading.Thread(target=restarts, daemon=True).start()
while True:
    t = time.monotonic()
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(10)
            s.connect(path)
            s.sendall(b'{"op":"status"}\n')
            answer = s.makefile("rb").readline()
        if answer.startswith(b'{"ok":true'):
            count("status")
        else:
            count("failures", answer[:200].decode(errors="replace"))
    except OSError as e:
        count("failures", f"status: {e}")
    time.sleep(max(0, 0.2 - (time.monotonic() - t)))
PY
client=$!

hz=$(getconf CLK_TCK)
status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

printf 'seconds\tvmrss_kib\trssanon_kib\tthreads\tfds\tcpu_pct\n' > "$data"
start=$(date +%s)
prev_cpu=$(cpu_ticks $sup)
prev_t=$start
elapsed=0
echo "soak: $duration s, sampling every $interval s into $data"
while [ "$elapsed" -lt "$duration" ]; do
  sleep "$interval"
  kill -0 $sup 2>/dev/null || { echo "bench: the supervisor died after $elapsed s; see $out/supervisor.log" >&2; exit 1; }
  now=$(date +%s)
  cpu=$(cpu_ticks $sup)
  pct=$(awk -v c=$((cpu - prev_cpu)) -v hz="$hz" -v dt=$((now - prev_t)) 'BEGIN { printf "%.1f", 100 * c / hz / dt }')
  fds=$(ls /proc/$sup/fd | wc -l)
  elapsed=$((now - start))
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$elapsed" "$(status_kib $sup VmRSS)" "$(status_kib $sup RssAnon)" \
    "$(status_kib $sup Threads)" "$fds" "$pct" >> "$data"
  prev_cpu=$cpu; prev_t=$now
done

kill -TERM "$client"; wait "$client" || true; client=
read -r n_status n_restarts n_failures < "$out/client.counts"
last_failure=$(sed -n 2p "$out/client.counts")
crashes=$(grep -c '\] exited with code [1-9]' "$out/supervisor.log" || true)
spawns=$(grep -c '\] started with PID' "$out/supervisor.log" || true)

# Fitted rise over the post-warm-up window per series, against its limit: memory 2 MiB (or 3% of
# its mean), threads 2, fds 4 (pipes of processes starting at the sample), CPU 3 points.
verdict=$(awk -v w="$warmup" -F'\t' '
  NR == 1 { for (i = 2; i <= NF; i++) name[i] = $i; next }
  $1 + 0 >= w {
    n++; x = $1; sx += x; sxx += x * x
    for (i = 2; i <= NF; i++) { sy[i] += $i; sxy[i] += x * $i; if (n == 1) t0 = x; t1 = x }
  }
  END {
    if (n < 3) { print "FAIL too few samples after the warm-up"; exit }
    d = n * sxx - sx * sx; bad = 0
    for (i = 2; i <= 6; i++) {
      slope = (n * sxy[i] - sx * sy[i]) / d; rise = slope * (t1 - t0); mean = sy[i] / n
      limit = (i <= 3) ? ((mean * 0.03 > 2048) ? mean * 0.03 : 2048) : (i == 4 ? 2 : (i == 5 ? 4 : 3))
      ok = rise <= limit; if (!ok) bad = 1
      printf "  %-12s mean %10.1f  fitted rise %9.1f over %d s (limit %.1f) %s\n", name[i], mean, rise, t1 - t0, limit, ok ? "flat" : "GROWS"
    }
    print bad ? "FAIL" : "OK"
  }' "$data")

stop_start=$(date +%s%N)
kill -TERM $sup
code=0; wait $sup || code=$?
stop_ms=$(( ($(date +%s%N) - stop_start) / 1000000 ))
trap - EXIT
sleep 1
left=0
for e in /proc/[0-9]*/environ; do
  if { tr '\0' '\n' < "$e"; } 2>/dev/null | grep -qx "SOAK_MARKER=$SOAK_MARKER"; then
    p=${e#/proc/}; p=${p%/environ}
    [ "$p" = "$$" ] || left=$((left + 1))
  fi
done

{
  echo "# soak $stamp: $duration s on $(nproc) cores; $n_status status requests, $n_restarts restarts, $n_failures client failures${last_failure:+ (last: $last_failure)}"
  echo "# processes started: $spawns; crash exits: $crashes"
  echo "$verdict" | sed 's/^/# /'
  echo "# SIGTERM: exit $code after $stop_ms ms; processes left: $left"
} | tee -a "$data"

[ "$(echo "$verdict" | tail -n 1)" = "OK" ] && [ "$code" -eq 0 ] && [ "$left" -eq 0 ] && [ "$n_failures" -eq 0 ]
