#!/bin/sh
# Control-plane benchmark (not part of CI):
#   1. `carnival status` round trip (client start to table printed) against `carnival --version`
#   2. 1000 status requests in a row over one connection
#   3. 100 clients at once (each one connection, 10 status requests), and meanwhile a
#      `carnival restart` of a service: its time against the same restart on an idle supervisor
#   4. start-to-exit and idle VmRSS without http-listen, against BASE=<another carnival launcher>
#      (e.g. an image built from the commit before the control plane), when given
#   ./mvnw -B -q package -DskipTests # from the repository root, once
#   bench/control.sh [rounds]        # rounds: alternated runs of row 1 (default 21)
# Needs python3 (the load clients of rows 2 and 3 speak the socket protocol directly).
# Writes bench/results/<time>-control.tsv.
set -eu

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd -P)
. "$here/lib.sh"
out=$here/out/control
rounds=${1:-21}
need_carnival
mkdir -p "$out"
rm -f "$out/c.sock"
results_begin control "rounds=$rounds${BASE:+ base=$BASE}"

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
result version "\`carnival --version\`" "$v" ms "median of $rounds, alternated"
result status_round_trip "\`carnival status\`, client start to table printed" "$s" ms "median of $rounds, alternated" version "$(ratio "$s" "$v")" 1.3x

# ---- 2 and 3: load through the protocol itself ----
python3 - "$out/c.sock" "$carnival" "$out/load.tsv" <<'PY'
import socket, subprocess, sys, threading, time
path, carnival, figures = sys.argv[1], sys.argv[2], open(sys.argv[3], "w")
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
figures.write(f"status_requests\t1000 status requests over one connection\t{dt * 1000:.0f}\tms\n")
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
figures.write(f"clients_all_answered\t100 clients x 10 status requests at once: all answered in\t{dt * 1000:.0f}\tms\n")
figures.write(f"clients_errors\t100 clients x 10 status requests at once: errors\t{len(errors)}\t\n")
figures.write(f"restart_idle\t`carnival restart worker` on an idle supervisor\t{idle:.0f}\tms\tmedian of 5\n")
figures.write(f"restart_loaded\t`carnival restart worker` while 100 clients ask\t{loaded:.0f}\tms\tone run\trestart_idle\t{loaded / idle:.2f}\n")
figures.close()
PY
while IFS='	' read -r f l val u st fl ra; do result "$f" "$l" "$val" "$u" "${st:-}" "${fl:-}" "${ra:-}"; done < "$out/load.tsv"
restarts=$("$carnival" status --json --socket "$out/c.sock" | python3 -c 'import json,sys; print(sum(r["restarts"] for r in json.load(sys.stdin)["replicas"] if r["service"] == "worker"))')
echo "   worker restarts seen by status afterwards: $restarts (6 asked for)"
result worker_restarts "worker restarts seen by status afterwards (6 asked for)" "$restarts" ""
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
  echo "$(mib "$r") $(mib "$a")"
}
se=$(startexit "$carnival"); idle=$(idle_rss "$carnival")
echo "4. this image: start-to-exit median $se ms, idle (11 replicas) VmRSS (RssAnon) ${idle% *} (${idle#* }) MiB"
result start_to_exit "start to exit, one \`true\` service, no http-listen" "$se" ms "median of $rounds"
result idle11_rss "idle, 11 replicas, 5 s in: VmRSS" "${idle% *}" MiB
result idle11_anon "idle, 11 replicas, 5 s in: RssAnon" "${idle#* }" MiB
if [ -n "${BASE:-}" ]; then
  se=$(startexit "$BASE"); idle=$(idle_rss "$BASE")
  echo "   BASE:       start-to-exit median $se ms, idle (11 replicas) VmRSS (RssAnon) ${idle% *} (${idle#* }) MiB"
  result base_start_to_exit "BASE: start to exit, one \`true\` service" "$se" ms "median of $rounds"
  result base_idle11_rss "BASE: idle, 11 replicas, 5 s in: VmRSS" "${idle% *}" MiB
  result base_idle11_anon "BASE: idle, 11 replicas, 5 s in: RssAnon" "${idle#* }" MiB
fi
results_end
