# Shared by the bench/ scripts (sourced, POSIX sh): timing and /proc helpers, the JVM floor, and
# results files. Sets bench_dir (this directory) and root (the repository).
bench_dir=$(CDPATH='' cd -- "$(dirname -- "${0}")" && pwd -P)
root=$(dirname -- "$bench_dir")

now_ns() { date +%s%N; }
ms_since() { echo "$(( ($(now_ns) - $1) / 1000 ))" | awk '{ printf "%.1f\n", $1 / 1000 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# Appends the wall time of one run of a command (output discarded) to a file, in ms; fails loudly.
time_to() { # file command...
  _f=$1; shift
  _t=$(now_ns)
  "$@" > /dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }
  ms_since "$_t" >> "$_f"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

children() { pgrep -c -P "$1" || true; }
fail() { echo "bench: $1; see $2" >&2; exit 1; }
# The carnival command under test: CARNIVAL, else the build's image. Exits 2 when it is not built.
carnival=${CARNIVAL:-$root/carnival-dist/target/carnival/bin/carnival}
need_carnival() {
  if [ ! -x "$carnival" ]; then
    echo "bench: $carnival not found; build it first: ./mvnw -B -q package -DskipTests" >&2
    exit 2
  fi
}

# ---- Results: one TSV file per run in bench/results/, one row per figure, each row complete ----
# Columns: started script args commit machine carnival load_before load_after figure label value
# unit stat floor ratio target. "floor" names the figure of the same run that "ratio" (value over
# the floor's value) is taken against; "target" is the goal as text. bench/render.sh turns the
# latest run.sh file into the README's table.
results_columns='started	script	args	commit	machine	carnival	load_before	load_after	figure	label	value	unit	stat	floor	ratio	target'
results_begin() { # script args...
  results_script=$1; shift
  results_args=$*
  results_started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  results_commit=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
  # Changes to tracked files that make the image (all but bench/, docs/ and Markdown) make the
  # commit an approximation: say so.
  if [ -n "$(git -C "$root" status --porcelain --untracked-files=no -- . ':(exclude)bench' ':(exclude)docs' ':(exclude)*.md' 2>/dev/null)" ]; then
    results_commit="$results_commit+changes"
  fi
  _vm=$(systemd-detect-virt --vm 2>/dev/null || true)
  _ct=$(systemd-detect-virt --container 2>/dev/null || true)
  results_machine="$(uname -m), $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
  results_machine="$results_machine${_vm:+, VM: $_vm}${_ct:+, container: $_ct}, Linux $(uname -r)"
  results_carnival=$("$carnival" --version 2>/dev/null | head -n 1 || echo unknown)
  results_load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  results_rows=$(mktemp)
}
result() { # figure label value unit [stat floor ratio target]
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:-}" "${6:-}" "${7:-}" "${8:-}" >> "$results_rows"
}
# Writes the run's file (complete, then renamed into place) and prints its path.
results_end() {
  _load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  _dir=$bench_dir/results
  mkdir -p "$_dir"
  _file=$_dir/$(echo "$results_started" | tr -d ':')-$results_script.tsv
  {
    echo "$results_columns"
    awk -F'\t' -v OFS='\t' -v pre="$results_started	$results_script	$results_args	$results_commit	$results_machine	$results_carnival	$results_load_before	$_load_after" \
      '{ print pre, $0 }' "$results_rows"
  } > "$_file.tmp"
  mv "$_file.tmp" "$_file"
  rm -f "$results_rows"
  echo "results: ${_file#"$root"/}"
}

# The JVM's own floor, with the launcher's flags but none of Carnival: bench/floor/floor/Hello.java
# (its modes are described there) in a jlink image of its own (java.base only), with an AOT cache
# trained on each mode. Sets command lines:
#   floor_hello     prints "hello"
#   floor_ffm       the same plus one FFM downcall, as native process control needs before it spawns
#   floor_sleep     a JVM that only sleeps (15 s), for resident memory
#   floor_spawn     "$floor_spawn N": the C loop's N posix_spawnp + waitpid of `true` through FFM
#   floor_handoff   "$floor_handoff N": the same calls in the supervisor's thread shape
# Needs JAVA_HOME at a JDK 25 (javac, jlink). Builds into $1.
floor_build() { # dir
  _out=$1
  _jdk=${JAVA_HOME:?set JAVA_HOME to a JDK 25}
  floor_flags="-XX:+UseSerialGC -Xms4m -Xmx64m -Xss256k -XX:TieredStopAtLevel=1 -XX:-UsePerfData -XX:TrimNativeHeapInterval=5000"
  rm -rf "$_out"
  mkdir -p "$_out/classes"
  "$_jdk/bin/javac" -d "$_out/classes/floor" "$bench_dir/floor/module-info.java" "$bench_dir/floor/floor/Hello.java"
  "$_jdk/bin/jlink" --module-path "$_out/classes" --add-modules floor --output "$_out/image" \
    --strip-debug --no-header-files --no-man-pages --generate-cds-archive >/dev/null 2>&1
  _run="$_out/image/bin/java $floor_flags --enable-native-access=floor"
  $_run -XX:AOTCacheOutput="$_out/hello.aot" -Xlog:aot=error,cds=error -m floor/floor.Hello >/dev/null 2>&1
  $_run -XX:AOTCacheOutput="$_out/ffm.aot" -Xlog:aot=error,cds=error -m floor/floor.Hello ffm >/dev/null 2>&1
  floor_hello="$_run -XX:AOTCache=$_out/hello.aot -m floor/floor.Hello"
  floor_ffm="$_run -XX:AOTCache=$_out/ffm.aot -m floor/floor.Hello ffm"
  $_run -XX:AOTCacheOutput="$_out/spawn.aot" -Xlog:aot=error,cds=error -m floor/floor.Hello spawn 20 >/dev/null 2>&1
  floor_sleep="$_run -m floor/floor.Hello sleep"
  floor_spawn="$_run -XX:AOTCache=$_out/spawn.aot -m floor/floor.Hello spawn"
  $_run -XX:AOTCacheOutput="$_out/handoff.aot" -Xlog:aot=error,cds=error -m floor/floor.Hello handoff 20 >/dev/null 2>&1
  floor_handoff="$_run -XX:AOTCache=$_out/handoff.aot -m floor/floor.Hello handoff"
}
