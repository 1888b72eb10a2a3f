#!/usr/bin/env bash
# Output throughput: 4 services each writing 1,000,000 lines as fast as they can, into a file,
# with output = "prefix" against output = "inherit". Checks that every prefixed line arrives
# whole and in order, and prints the wall times and their ratio (target: prefix <= 2x inherit).
#   bench/output.sh [lines-per-service]      # CARNIVAL=/path/to/bin/carnival to measure another build
# Writes bench/results/<time>-output.tsv.
set -euo pipefail
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd -P)
. "$here/lib.sh"
need_carnival
lines=${1:-1000000}
out=$root/bench/out/output
mkdir -p "$out"

config() { # mode
  for i in 0 1 2 3; do
    printf '[[service]]\nname = "w%d"\ncommand = "seq"\nargs = ["-f", "line-%%.0f", "1", "%d"]\noutput = "%s"\n\n' \
      "$i" "$lines" "$1"
  done > "$out/$1.toml"
}

run() { # mode -> seconds on stdout; carnival's stdout in $out/$mode.txt
  local start end
  start=$(date +%s%N)
  "$carnival" -l warn -c "$out/$1.toml" > "$out/$1.txt"
  end=$(date +%s%N)
  echo "scale=3; ($end - $start) / 1000000000" | bc
}

results_begin output "lines=$lines"
config inherit
config prefix
# Warm the page cache and the JIT paths once, then measure.
run inherit > /dev/null
t_inherit=$(run inherit)
t_prefix=$(run prefix)

# Every prefixed line must be whole and each service's numbers must come in order.
read -r seen bad < <(awk '
  { p = index($0, "[0] | line-")
    if (p == 0) { bad++; next }
    name = substr($0, 1, p - 1); n = substr($0, p + 11) + 0
    if (n != last[name] + 1) bad++
    last[name] = n; seen++ }
  END { printf "%d %d\n", seen, bad + 0 }' "$out/prefix.txt")
inherit_lines=$(wc -l < "$out/inherit.txt")
expected=$((4 * lines))

printf '%-52s %s\n' "measure" "result"
printf '%-52s %s\n' "----------------------------------------------------" "--------------------"
printf '%-52s %s s (%s lines)\n' "inherit: 4 x $lines lines into a file" "$t_inherit" "$inherit_lines"
printf '%-52s %s s (%s whole, in order; %s bad)\n' "prefix:  4 x $lines lines into a file" "$t_prefix" "$seen" "$bad"
printf '%-52s %sx\n' "ratio prefix / inherit" "$(echo "scale=2; $t_prefix / $t_inherit" | bc)"
[ "$seen" -eq "$expected" ] && [ "$bad" -eq 0 ] && [ "$inherit_lines" -eq "$expected" ] \
  || { echo "LINES LOST OR TORN (expected $expected)" >&2; exit 1; }
result output_inherit "inherit: 4 x $lines lines into a file" "$t_inherit" s "one run, after a warm-up"
result output_prefix "prefix: 4 x $lines lines into a file, every line whole" "$t_prefix" s "one run" \
  output_inherit "$(ratio "$t_prefix" "$t_inherit")" 2x
results_end
