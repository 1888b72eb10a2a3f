#!/bin/sh
# Control-plane benchmark (not part of CI):
#   1. `carnival status` round trip (client start to table printed) against `carnival --version`
#   2. 1000 status requests in a row over one connection
#   3. 100 clients at once (each one connection, 10 status requests), and meanwhile a
#      `carnival restart` of a service: its time against the same restart on an idle supervisor
#   4. start-to-exit and idle VmRSS without http-listen, against BASE=<another carnival launcher>
#      (e.g. an image built from the commit before the control plane), when given
#   mvn -B -q package -DskipTests    # from the repository root, once
#   bench/control.sh [rounds]        # rounds: alternated runs of row 1 (default 21)
# Needs python3 (the load clients of rows 2 and 3 speak the socket protocol directly).
set -eu

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P)
root=$(dirname -- "$here")
carnival=${CARNIVAL:-$root/carnival-dist/target/carnival/bin/carnival}
out=$here/out/control
rounds=${1:-21}
mkdir -p "$out"
rm -f "$out/c.sock"

. "$here/lib.sh"

cat > "$out/idle.toml" <<'TOML'
[[service]]
name = "web"
command = "sleep"
args = ["3600"]
replicas = 10
stop-timeout-ms = 2000
[[service]]
name = "worker"
command = "sleep"
args = ["3600"]
TOML

CARNIVAL_CONTROL_SOCKET=$out/c.sock "$carnival" -c "$out/idle.toml" 2> "$out/supervisor.log" &
sup=$!
trap 'kill $sup 2>/dev/null || true' EXIT
i=0
while [ ! -S "$out/c.sock" ]; do i=$((i + 1)); [ $i -lt 500 ] || { echo "bench: no socket" >&2; exit 1; }; sleep 0.02; done
"$carnival" status --socket "$out/c.sock" > /dev/null
"$carnival" --version > /dev/null

# ---- 1: round trip, alternated with --version so load drifts hit both alike ----
: > "$out/version.times"; : > "$out/status.times"
i=0
while [ $i -lt "$rounds" ]; do
  time_to "$out/version.times" "$carnival" --version
  time_to "$out/status.times" "$carnival" status --socket "$out/c.sock"
  i=$((i + 1))
done
v=$(median < "$out/version.times"); s=$(median < "$out/status.times")
echo "1. --version median $v ms; status median $s ms; ratio $(ratio "$s" "$v") (target <= 1.3)"

# ---- 2 and 3: load through the protocol itself ----
python3 - "$out/c.sock" "$carnival" <<'PY'
import socket, subprocess, sys, threading, time
path, carnival = sys.argv[1], sys.argv[2]
REQ = b'{"op":"status"}\n'

def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(path); return s, s.makefile('rb')

def ask(s, f, n):
    for _ in range(n):
        s.sendall(REQ)
        line = f.readline()
        assert line.startswith(b'{"ok":true'), line

s, f = conn()
t = time.perf_counter(); ask(s, f, 1000); dt = time.perf_counter() - t
print(f"2. 1000 status requests over one connection: {dt * 1000:.0f} ms ({dt * 1e6 / 1000:.0f} us per request)")
s.close()

def restart_ms():
    t = time.perf_counter()
    subprocess.run([carnival, "restart", "worker", "--socket", path], check=True)
    return (time.perf_counter() - t) * 1000

idle = sorted(restart_ms() for _ in range(5))[2]
errors = []
def client():
    try:
        c, cf = conn(); ask(c, cf, 10); c.close()
    except Exception as e:
        errors.append(e)
threads = [threading.Thread(target=client) for _ in range(100)]
t = time.perf_counter()
for th in threads: th.start()
loaded = restart_ms()
for th in threads: th.join()
dt = time.perf_counter() - t
print(f"3. 100 clients x 10 requests at once: all answered in {dt * 1000:.0f} ms, {len(errors)} errors; "
      f"`carnival restart worker` meanwhile {loaded:.0f} ms vs {idle:.0f} ms idle (median of 5)")
PY
restarts=$("$carnival" status --json --socket "$out/c.sock" | python3 -c 'import json,sys; print([r["restarts"] for r in json.load(sys.stdin)["replicas"] if r["service"] == "worker"])')
echo "   worker restarts seen by status afterwards: $restarts (6 asked for)"
kill -TERM $sup; wait $sup || true
trap - EXIT

# ---- 4: start-to-exit and idle memory without http-listen ----
cat > "$out/one.toml" <<'TOML'
[[service]]
name = "s"
command = "true"
TOML
startexit() {
  : > "$out/se.times"; i=0
  while [ $i -lt "$rounds" ]; do time_to "$out/se.times" "$1" -c "$out/one.toml"; i=$((i + 1)); done
  median < "$out/se.times"
}
idle_rss() {
  "$1" -c "$out/idle.toml" 2> /dev/null & p=$!
  sleep 5
  r=$(status_kib $p VmRSS); a=$(status_kib $p RssAnon); kill -TERM $p; wait $p || true
  echo "$(mib "$r") ($(mib "$a")) MiB"
}
echo "4. this image: start-to-exit median $(startexit "$carnival") ms, idle (11 replicas) VmRSS (RssAnon) $(idle_rss "$carnival")"
if [ -n "${BASE:-}" ]; then
  echo "   BASE:       start-to-exit median $(startexit "$BASE") ms, idle (11 replicas) VmRSS (RssAnon) $(idle_rss "$BASE")"
fi
