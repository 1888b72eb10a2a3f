#!/bin/sh
# What the JVM itself costs on this machine, with the launcher's flags but none of Carnival: the
# floor under the start-up and memory targets (bench/lib.sh builds it). bench/run.sh measures
# the same floor interleaved with Carnival and prints the ratios; this script prints it alone.
#   bench/floor.sh [runs]       # runs per row (default 40)
# Needs JAVA_HOME pointing at a JDK 25 (javac, jlink).
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P)
. "$here/lib.sh"
out=$here/out/floor
runs=${1:-40}
floor_build "$out"

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
: > "$out/hello.times"
: > "$out/ffm.times"
i=0
while [ "$i" -lt "$runs" ]; do
  # shellcheck disable=SC2086 # the floor_* variables hold command lines
  time_to "$out/hello.times" $floor_hello
  # shellcheck disable=SC2086
  time_to "$out/ffm.times" $floor_ffm
  i=$((i + 1))
done
echo "1. hello, jlink image + AOT cache:              $(median < "$out/hello.times") ms median of $runs"
echo "2. hello + one FFM downcall, + AOT cache:       $(median < "$out/ffm.times") ms median of $runs"
# shellcheck disable=SC2086
$floor_sleep & pid=$!
sleep 12
echo "3. sleeping JVM, 12 s in:                       VmRSS $(mib "$(status_kib "$pid" VmRSS)") MiB, RssAnon $(mib "$(status_kib "$pid" RssAnon)") MiB"
kill "$pid"; wait "$pid" 2>/dev/null || true
gcc -O2 -Wall -o "$out/spawn_loop" "$here/spawn_loop.c"
: > "$out/spawn.times"
: > "$out/c.times"
i=0
while [ "$i" -lt 5 ]; do
  # shellcheck disable=SC2086
  time_to "$out/spawn.times" $floor_spawn 1000
  "$out/spawn_loop" 1000 >> "$out/c.times"
  i=$((i + 1))
done
echo "4. 1000 posix_spawnp + waitpid of true, FFM:   $(median < "$out/spawn.times") ms start to exit (C loop $(median < "$out/c.times") ms), median of 5"
