#!/usr/bin/env bash
# Output throughput: 4 services each writing 1,000,000 lines as fast as they can, into a file,
# with output = "inherit", "prefix", "raw" and "json" (ROUNDS rounds, alternated; medians). Checks
# that every captured line arrives whole and in order for its service, and prints the wall times
# and each mode's ratio to inherit (targets: prefix <= 2x, raw and json <= 1.5x), and the
# supervisor's own CPU time (user+sys of its threads, the services' not counted), which a machine
# busy with other work disturbs far less than the wall time. A fifth run, "inherit-json-bytes",
# has the services write json's bytes themselves (a json-shaped seq format, inherit): what the
# larger output costs with no supervisor work at all, json's floor.
#   bench/output.sh [lines-per-service]      # CARNIVAL=/path/to/bin/carnival to measure another build
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
carnival=${CARNIVAL:-$root/carnival-dist/target/carnival/bin/carnival}
[ -x "$carnival" ] || { echo "$carnival not found; build first: ./mvnw -B -q package -DskipTests" >&2; exit 1; }
lines=${1:-1000000}
rounds=${ROUNDS:-3}
out=$root/bench/out/output
mkdir -p "$out"
modes="inherit prefix raw json inherit-json-bytes"

config() { # mode
  for i in 0 1 2 3; do
    if [ "$1" = inherit-json-bytes ]; then
      format='{\\"time\\":\\"2026-12-07T01:02:03.456Z\\",\\"service\\":\\"w'$i'\\",\\"replica\\":0,\\"stream\\":\\"stdout\\",\\"line\\":\\"line-%%.0f\\"}'
      mode=inherit
    else
      format=line-%%.0f
      mode=$1
    fi
    printf '[[service]]\nname = "w%d"\ncommand = "seq"\nargs = ["-f", "'"$format"'", "1", "%d"]\noutput = "%s"\n\n' \
      "$i" "$lines" "$mode"
  done > "$out/$1.toml"
}

run() { # mode -> "wall-seconds cpu-seconds" on stdout; carnival's stdout in $out/$mode.txt
  # The CPU time is read from /proc once carnival has exited but before it is reaped: its own
  # utime+stime then hold all its threads', and none of the services' (those are cutime/cstime).
  python3 - "$carnival" "$out/$1.toml" "$out/$1.txt" <<'EOF'
import os, subprocess, sys, time
carnival, config, output = sys.argv[1:]
start = time.monotonic()
with open(output, "wb") as out:
    p = subprocess.Popen([carnival, "-l", "warn", "-c", config], stdout=out)
    os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)
    wall = time.monotonic() - start
    with open(f"/proc/{p.pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    if p.wait() != 0:
        sys.exit(f"carnival exited with {p.returncode}")
print(f"{wall:.3f} {(int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK'):.2f}")
EOF
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Every line whole, and each service's numbers in order: "seen bad" on stdout.
check() { # mode
  case $1 in
    # inherit: the services share Carnival's stdout and write it themselves; lines of different
    # services interleave mid-line (seq writes 4 KiB at a time), so only the count is checked.
    inherit | inherit-json-bytes) echo "$(wc -l < "$out/$1.txt") 0" ;;
    raw) awk '{ if ($0 !~ /^line-[0-9]+$/) bad++; seen++ } END { printf "%d %d\n", seen, bad + 0 }' "$out/$1.txt" ;;
    prefix) awk '
      { p = index($0, "[0] | line-")
        if (p == 0) { bad++; next }
        name = substr($0, 1, p - 1); n = substr($0, p + 11) + 0
        if (n != last[name] + 1) bad++
        last[name] = n; seen++ }
      END { printf "%d %d\n", seen, bad + 0 }' "$out/$1.txt" ;;
    json) awk '
      { if (!match($0, /^\{"time":"[0-9T:.Z-]+","service":"w[0-9]","replica":0,"stream":"stdout","line":"line-[0-9]+"\}$/)) { bad++; next }
        s = index($0, "\"service\":\""); name = substr($0, s + 11, 2)
        l = index($0, "\"line\":\"line-"); n = substr($0, l + 13) + 0
        if (n != last[name] + 1) bad++
        last[name] = n; seen++ }
      END { printf "%d %d\n", seen, bad + 0 }' "$out/$1.txt" ;;
  esac
}

for m in $modes; do config "$m"; done
# Warm the page cache and the JIT paths once, then measure, the modes alternating in each round.
run inherit > /dev/null
declare -A times cpus
for ((r = 1; r <= rounds; r++)); do
  for m in $modes; do
    read -r wall cpu < <(run "$m")
    times[$m]+="$wall "
    cpus[$m]+="$cpu "
  done
done

expected=$((4 * lines))
failed=0
printf '%-52s %s\n' "measure (median of $rounds)" "result"
printf '%-52s %s\n' "----------------------------------------------------" "--------------------"
for m in $modes; do
  t=$(printf '%s\n' ${times[$m]} | median)
  c=$(printf '%s\n' ${cpus[$m]} | median)
  read -r seen bad < <(check "$m")
  declare "t_${m//-/_}=$t"
  printf '%-52s %s s (%s lines whole and in order, %s bad; all: %s)\n' "$m: 4 x $lines lines into a file" "$t" "$seen" "$bad" "${times[$m]% }"
  printf '%-52s %s s (all: %s)\n' "$m: supervisor CPU, user+sys" "$c" "${cpus[$m]% }"
  { [ "$seen" -eq "$expected" ] && [ "$bad" -eq 0 ]; } || { echo "$m: LINES LOST OR TORN (expected $expected)" >&2; failed=1; }
done
for m in prefix raw json; do
  t=t_$m
  printf '%-52s %sx\n' "ratio $m / inherit" "$(echo "scale=2; ${!t} / $t_inherit" | bc)"
done
printf '%-52s %sx\n' "ratio inherit-json-bytes / inherit" "$(echo "scale=2; $t_inherit_json_bytes / $t_inherit" | bc)"
printf '%-52s %sx\n' "ratio json / inherit-json-bytes" "$(echo "scale=2; $t_json / $t_inherit_json_bytes" | bc)"
exit $failed
