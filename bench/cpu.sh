#!/bin/sh
# CPU time of a start, by thread, for one image or several compared: what a loaded machine distorts
# least (wall time there is noise; CPU time moves much less). Each round runs every image once, in
# turn, under `perf record -e task-clock` (a sample per 0.1 ms of CPU); the table gives each
# thread's median over the rounds in ms, by thread name (as the kernel keeps it: 15 characters),
# and the median of the totals (threads under 0.5 ms in every image left out). The whole process tree counts: the services' own processes show
# under their names. Needs perf. Not part of CI, and writes no results file: a diagnostic.
#   bench/cpu.sh [rounds] [image...]   default: 11 rounds of carnival-dist/target/carnival
# CONFIG= the config to run (default bench/out/one.toml, a single `true` service, as timeline.sh).
# The run must end by itself (a config whose services all finish); its output goes to /dev/null.
set -eu

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P)
root=$(dirname -- "$here")
out=$here/out
rounds=${1:-11}
[ "$#" -gt 0 ] && shift
[ "$#" -gt 0 ] || set -- "$root/carnival-dist/target/carnival"
command -v perf > /dev/null || { echo "cpu: perf not found" >&2; exit 2; }
for image in "$@"; do
  [ -x "$image/bin/carnival" ] || { echo "cpu: $image/bin/carnival not found" >&2; exit 2; }
done
mkdir -p "$out"
config=${CONFIG:-$out/one.toml}
if [ -z "${CONFIG:-}" ]; then
  printf '[[service]]\nname = "s"\ncommand = "true"\nrestart = "no"\n' > "$config"
fi
samples=$out/cpu.samples
data=$out/cpu.perf
: > "$samples"
n=0
while [ "$n" -lt "$rounds" ]; do
  n=$((n + 1))
  i=0
  for image in "$@"; do
    i=$((i + 1))
    perf record -q -e task-clock -c 100000 -o "$data" "$image/bin/carnival" -c "$config" > /dev/null 2>&1 || true
    perf report -i "$data" --sort comm --stdio -q -n 2> /dev/null |
      awk -v img="$i" -v run="$n" 'NF >= 3 { c = $3; for (k = 4; k <= NF; k++) c = c "_" $k; print img, run, c, $2 / 10 }' >> "$samples"
  done
done
rm -f "$data" "$data.old"

echo "CPU ms by thread, median of $rounds rounds ($config)"
i=0
for image in "$@"; do
  i=$((i + 1))
  echo "  [$i] $image"
done
awk -v images="$#" '
  function median(list,   a, m, k, j, t) {
    m = split(list, a, " ")
    for (k = 2; k <= m; k++) { t = a[k]; for (j = k - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return m == 0 ? 0 : (m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2)
  }
  { v[$1, $3] = v[$1, $3] " " $4; tot[$1, $2] += $4; seen[$3] = 1 }
  END {
    printf "  %-16s", "thread"; for (i = 1; i <= images; i++) printf " %9s", "[" i "]"; printf "\n"
    for (i = 1; i <= images; i++) { l = ""; for (k in tot) { split(k, p, SUBSEP); if (p[1] == i) l = l " " tot[k] }; t[i] = median(l) }
    printf "  %-16s", "total"; for (i = 1; i <= images; i++) printf " %9.1f", t[i]; printf "\n"
    for (c in seen) { m = 0; for (i = 1; i <= images; i++) if (median(v[i, c]) > m) m = median(v[i, c]); if (m >= 0.5) order[c] = m }
    while (1) { best = ""; for (c in order) if (best == "" || order[c] > order[best]) best = c; if (best == "") break
      printf "  %-16s", best; for (i = 1; i <= images; i++) printf " %9.1f", median(v[i, best]); printf "\n"; delete order[best] }
  }' "$samples"
