#!/bin/sh
# What the JVM itself costs on this machine, with the launcher's flags but none of Carnival:
# the floor under the start-up and memory targets. Not part of CI.
#   bench/floor.sh [runs]       # runs: hyperfine runs per row (default 40)
# Needs JAVA_HOME pointing at a JDK 25 (javac, jlink), hyperfine and python3.
#
# It links two one-class modules into their own runtime images (java.base only) and measures:
#   1. start to exit of "hello" from a jlink image with an AOT cache trained on it;
#   2. the same program making one FFM downcall (getpid) with the descriptor process control
#      uses, so the JDK has to build its first downcall stub (what native process control needs
#      before it can spawn anything), again with an AOT cache trained on exactly that;
#   3. the resident memory of a JVM that only sleeps (VmRSS / RssAnon after 12 s), with the
#      default CDS archive, and with no class-data sharing at all.
set -eu

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P)
out=$here/out/floor
runs=${1:-40}
jdk=${JAVA_HOME:?set JAVA_HOME to a JDK 25}
flags="-XX:+UseSerialGC -Xms4m -Xmx64m -Xss256k -XX:TieredStopAtLevel=1 -XX:-UsePerfData -XX:TrimNativeHeapInterval=5000"

rm -rf "$out"
mkdir -p "$out/src/floor/floor" "$out/classes"
cat > "$out/src/floor/module-info.java" <<'JAVA'
module floor {}
JAVA
cat > "$out/src/floor/floor/Hello.java" <<'JAVA'
package floor;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

public final class Hello {
    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.out.println("hello");
            return;
        }
        if (args[0].equals("sleep")) {
            Thread.sleep(15_000);
            return;
        }
        Linker linker = Linker.nativeLinker();
        MemorySegment getpid = linker.defaultLookup().find("getpid").orElseThrow();
        MethodHandle call = linker.downcallHandle(
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.captureCallState("errno"));
        MemorySegment state = Arena.global().allocate(Linker.Option.captureStateLayout());
        System.out.println("hello from pid " + (long) call.invokeExact(getpid, state, 0L, 0L, 0L, 0L, 0L, 0L));
    }
}
JAVA
"$jdk/bin/javac" -d "$out/classes/floor" "$out/src/floor/module-info.java" "$out/src/floor/floor/Hello.java"
"$jdk/bin/jlink" --module-path "$out/classes" --add-modules floor --output "$out/image" \
  --strip-debug --no-header-files --no-man-pages --generate-cds-archive >/dev/null 2>&1
java=$out/image/bin/java
run="$java $flags --enable-native-access=floor"
$run -XX:AOTCacheOutput="$out/hello.aot" -Xlog:aot=error,cds=error -m floor/floor.Hello >/dev/null 2>&1
$run -XX:AOTCacheOutput="$out/ffm.aot" -Xlog:aot=error,cds=error -m floor/floor.Hello ffm >/dev/null 2>&1

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
ms() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f ms median (min %.1f)" % (r["median"]*1e3, r["min"]*1e3))' "$1"; }
hyperfine -N --warmup 5 --runs "$runs" --export-json "$out/hello.json" "$run -XX:AOTCache=$out/hello.aot -m floor/floor.Hello" >/dev/null 2>&1
echo "1. hello, jlink image + AOT cache:              $(ms "$out/hello.json")"
hyperfine -N --warmup 5 --runs "$runs" --export-json "$out/ffm.json" "$run -XX:AOTCache=$out/ffm.aot -m floor/floor.Hello ffm" >/dev/null 2>&1
echo "2. hello + one FFM downcall, + AOT cache:       $(ms "$out/ffm.json")"

rss() {
  # shellcheck disable=SC2086 # $1 holds flags
  $run $1 -m floor/floor.Hello sleep & pid=$!
  sleep 12
  echo "$(awk '$1 == "VmRSS:" || $1 == "RssAnon:" { printf "%s %.1f MiB  ", $1, $2 / 1024 }' "/proc/$pid/status")"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
echo "3. sleeping JVM, default CDS archive:           $(rss -Xshare:auto)"
echo "   sleeping JVM, no class-data sharing:         $(rss -Xshare:off)"
