# Shared by bench/run.sh and bench/floor.sh (sourced, POSIX sh): timing helpers and the JVM floor.

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

# The JVM's own floor, with the launcher's flags but none of Carnival: two one-class programs in a
# jlink image of their own (java.base only), each with an AOT cache trained on exactly that run.
#   floor_hello   prints "hello"
#   floor_ffm     the same plus one FFM downcall (getpid) with the descriptor process control uses,
#                 so the JDK has to build its first downcall stub, as native process control must
#                 before it can spawn anything
#   floor_sleep   a JVM that only sleeps (15 s), for resident memory
# Needs JAVA_HOME at a JDK 25 (javac, jlink). Builds into $1.
floor_build() { # dir
  _out=$1
  _jdk=${JAVA_HOME:?set JAVA_HOME to a JDK 25}
  floor_flags="-XX:+UseSerialGC -Xms4m -Xmx64m -Xss256k -XX:TieredStopAtLevel=1 -XX:-UsePerfData -XX:TrimNativeHeapInterval=5000"
  rm -rf "$_out"
  mkdir -p "$_out/src/floor/floor" "$_out/classes"
  echo 'module floor {}' > "$_out/src/floor/module-info.java"
  cat > "$_out/src/floor/floor/Hello.java" <<'JAVA'
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
  "$_jdk/bin/javac" -d "$_out/classes/floor" "$_out/src/floor/module-info.java" "$_out/src/floor/floor/Hello.java"
  "$_jdk/bin/jlink" --module-path "$_out/classes" --add-modules floor --output "$_out/image" \
    --strip-debug --no-header-files --no-man-pages --generate-cds-archive >/dev/null 2>&1
  _run="$_out/image/bin/java $floor_flags --enable-native-access=floor"
  $_run -XX:AOTCacheOutput="$_out/hello.aot" -Xlog:aot=error,cds=error -m floor/floor.Hello >/dev/null 2>&1
  $_run -XX:AOTCacheOutput="$_out/ffm.aot" -Xlog:aot=error,cds=error -m floor/floor.Hello ffm >/dev/null 2>&1
  floor_hello="$_run -XX:AOTCache=$_out/hello.aot -m floor/floor.Hello"
  floor_ffm="$_run -XX:AOTCache=$_out/ffm.aot -m floor/floor.Hello ffm"
  floor_sleep="$_run -m floor/floor.Hello sleep"
}
