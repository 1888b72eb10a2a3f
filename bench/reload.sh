#!/bin/sh
# Live reconfiguration benchmark (not part of CI):
#   1. 1000 replicas in 10 services (9 of 111, one of 1); the 1-replica service's args change:
#      `carnival reload` client time, against `carnival restart` of that service alone (its own
#      stop and start), and the other 999 pids compared before and after
#   2. a rolling restart (`carnival restart --rolling`) of 10 replicas gated on readiness: the
#      ready count sampled every 20 ms (target: never below 9), and the total against 10 x one
#      replica's replacement (stop + start + ready, measured as the rolling restart of a
#      1-replica service of the same shape)
#   ./mvnw -B -q package -DskipTests # from the repository root, once
#   bench/reload.sh
# Needs python3 (the replicas of row 2 and the sampler). Writes bench/results/<time>-reload.tsv.
set -eu

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd -P)
. "$here/lib.sh"
out=$here/out/reload
need_carnival
mkdir -p "$out"
rm -f "$out/c.sock"
results_begin reload ""

big() { # the args of service "one"
  i=1
  while [ $i -le 9 ]; do
    printf '[[service]]\nname = "s%d"\ncommand = "sleep"\nargs = ["3600"]\nreplicas = 111\nstop-timeout-ms = 2000\n' $i
    i=$((i + 1))
  done
  printf '[[service]]\nname = "one"\ncommand = "sleep"\nargs = ["%s"]\nstop-timeout-ms = 2000\n' "$1"
}

start() { # config
  rm -f "$out/c.sock"
  CARNIVAL_CONTROL_SOCKET=$out/c.sock "$carnival" -c "$1" 2> "$out/supervisor.log" &
  sup=$!
  i=0
  while [ ! -S "$out/c.sock" ]; do i=$((i + 1)); [ $i -lt 1000 ] || fail "no socket" "$out/supervisor.log"; sleep 0.02; done
}
stop_supervisor() { kill "$sup"; wait "$sup" || true; }
trap 'kill $sup 2>/dev/null || true' EXIT

# pid list "service/replica pid" of the running replicas, sorted
pids() { "$carnival" status --json --socket "$out/c.sock" | python3 -c '
import json, sys
for r in json.load(sys.stdin)["replicas"]:
    if r["pid"] is not None: print("%s/%s %s" % (r["service"], r["replica"], r["pid"]))' | sort; }
await_running() { # count
  i=0
  until [ "$(pids | wc -l)" -eq "$1" ]; do i=$((i + 1)); [ $i -lt 3000 ] || fail "not $1 running" "$out/supervisor.log"; sleep 0.05; done
}

# ---- 1: one service's args among 1000 replicas ----
big 3600 > "$out/big.toml"
start "$out/big.toml"
await_running 1000
pids > "$out/before.pids"
t=$(now_ns); "$carnival" restart one --socket "$out/c.sock"; restart_ms=$(ms_since "$t")
await_running 1000
pids > "$out/before.pids"
big 3601 > "$out/big.toml.tmp"; mv "$out/big.toml.tmp" "$out/big.toml"
t=$(now_ns); "$carnival" reload --socket "$out/c.sock" > "$out/reload.out"; reload_ms=$(ms_since "$t")
await_running 1000
pids > "$out/after.pids"
kept=$(grep -v '^one/' "$out/before.pids" | grep -cxFf - "$out/after.pids" || true)
one_changed=$(grep '^one/' "$out/before.pids" | grep -cxFf - "$out/after.pids" || true)
[ "$one_changed" -eq 0 ] || fail "one's pid did not change" "$out/reload.out"
stop_supervisor
echo "1. reload of one 1-replica service among 1000 replicas: $reload_ms ms (restart of that service alone: $restart_ms ms); other pids unchanged: $kept of 999"
result reload_one_of_1000 "\`carnival reload\`, one 1-replica service's args changed, 1000 replicas" "$reload_ms" ms "one run" restart_one "$(ratio "$reload_ms" "$restart_ms")" "<= 500 ms + its stop"
result restart_one "\`carnival restart one\` (its stop and start)" "$restart_ms" ms "one run"
result unchanged_pids "pids of the other 999 replicas unchanged" "$kept" replicas "compared" "" "" "999"

# ---- 2: rolling restart of 10 replicas gated on readiness ----
cat > "$out/server.py" <<'PY'
import os, socket, time
time.sleep(0.3)  # start-up before it listens: what readiness waits for
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 19000 + int(os.environ["CARNIVAL_REPLICA_ID"]))); s.listen()
while True:
    s.accept()[0].close()
PY
rolling() { # name replicas
  printf '[[service]]\nname = "%s"\ncommand = "python3"\nargs = ["%s"]\nreplicas = %d\nstop-timeout-ms = 2000\n' "$1" "$out/server.py" "$2"
  # A tcp probe names one address for every replica; each replica listens on its own port, so
  # the check connects to the replica's own port (bash's /dev/tcp) from an exec probe.
  printf '[service.readiness]\nexec = ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/$((19000 + CARNIVAL_REPLICA_ID))"]\nperiod-ms = 50\ntimeout-ms = 1000\n'
}
rolling web 10 > "$out/roll.toml"
start "$out/roll.toml"
python3 - "$carnival" "$out/c.sock" "$out/roll.tsv" <<'PY'
import json, socket, subprocess, sys, threading, time
carnival, sock, figures = sys.argv[1], sys.argv[2], open(sys.argv[3], "w")
def connect():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(sock); return s, s.makefile("rb")
def ready(conn):
    s, f = conn
    s.sendall(b'{"op":"status"}\n')
    return sum(1 for r in json.loads(f.readline())["status"]["replicas"] if r["ready"])
main = connect()
deadline = time.time() + 60
while ready(main) < 10:
    assert time.time() < deadline, "never 10 ready"
    time.sleep(0.05)
# One replica's replacement, alone: restart web/0 and wait until it is ready again.
t = time.perf_counter()
subprocess.run([carnival, "restart", "web/0", "--socket", sock], check=True)
while ready(main) < 10:
    time.sleep(0.005)
one = time.perf_counter() - t
samples, low, done = [], 10, threading.Event()
def sample():
    global low
    conn = connect()
    while not done.is_set():
        n = ready(conn); samples.append(n); low = min(low, n)
        time.sleep(0.02)
th = threading.Thread(target=sample); th.start()
t = time.perf_counter()
subprocess.run([carnival, "restart", "--rolling", "web", "--socket", sock], check=True)
total = time.perf_counter() - t
done.set(); th.join()
print(f"2. rolling restart of 10: {total*1000:.0f} ms; one replica's replacement {one*1000:.0f} ms "
      f"(10x = {one*10000:.0f} ms, ratio {total/(one*10):.2f}); fewest ready in {len(samples)} samples: {low}")
figures.write(f"rolling_total\t{total*1000:.0f}\n{one*1000:.0f}\n{low}\n{len(samples)}\n")
PY
stop_supervisor
{ read -r _ total; read -r one; read -r low; read -r n; } < "$out/roll.tsv"
result rolling_restart_10 "\`carnival restart --rolling\` of 10 replicas gated on readiness" "$total" ms "one run" replace_one "$(ratio "$total" "$((one * 10))")" "within 20% of 10x"
result replace_one "one replica replaced (stop, start, ready)" "$one" ms "one run"
result rolling_fewest_ready "fewest ready replicas at any 20 ms status sample during it" "$low" replicas "$n samples" "" "" ">= 9"
results_end
