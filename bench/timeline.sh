#!/bin/sh
# Where one start's time goes, from the JVM's own logs: a run of the carnival command with class
# loading and initialisation logged (nanosecond uptime), summarised in two lists:
#   1. every class made at run time instead of taken from the AOT cache (method handles and
#      pattern-switch classes the JDK spins, classes read from lib/modules), with when;
#   2. for each thread, every pause of more than GAP_MS (0.7) between two class initialisations:
#      time spent running (or waiting) after the first class named, before the second.
# The log itself slows the run by about a fifth. Not part of CI.
#   bench/timeline.sh [carnival arguments]     default: -c bench/out/one.toml (one `true` service)
set -eu

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P)
root=$(dirname -- "$here")
carnival=${CARNIVAL:-$root/carnival-dist/target/carnival/bin/carnival}
out=$here/out
gap=${GAP_MS:-0.7}
if [ ! -x "$carnival" ]; then
  echo "timeline: $carnival not found; build it first: ./mvnw -B -q package -DskipTests" >&2
  exit 2
fi
mkdir -p "$out"
if [ "$#" -eq 0 ]; then
  printf '[[service]]\nname = "s"\ncommand = "true"\nrestart = "no"\n' > "$out/one.toml"
  set -- -c "$out/one.toml"
fi
log=$out/timeline.log
CARNIVAL_JAVA_OPTS="${CARNIVAL_JAVA_OPTS:-} -Xlog:class+load=info,class+init=info:file=$log:uptimenanos" \
  "$carnival" "$@" > "$out/timeline.out" 2>&1 || true

echo "1. classes not from the AOT cache (ms since JVM start, class, source)"
awk '/ source: / && !/shared objects file/ {
  t = substr($1, 2) + 0; sub(/ns\]/, "", $1)
  printf "  %7.1f  %s  %s\n", t / 1e6, $2, $NF
}' "$log"
echo
echo "2. pauses over $gap ms between class initialisations, by thread"
awk -v gap="$gap" '/ Initializing / {
  t = substr($1, 2) + 0
  n = split($0, q, "\x27"); cls = q[2]
  th = $0; sub(/.*by thread "/, "", th); sub(/".*/, "", th)
  if (th in last && (t - last[th]) / 1e6 > gap)
    printf "  %7.1f +%5.1f  %-28s after %s, before %s\n", last[th] / 1e6, (t - last[th]) / 1e6, th, name[th], cls
  last[th] = t; name[th] = cls
}' "$log"
echo
echo "(run's own output: $out/timeline.out; full log: $log)"
