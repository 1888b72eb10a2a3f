#!/bin/sh
# Renders the README's benchmark table from a results file of bench/run.sh (default: the latest,
# by name, in bench/results/), between the README's two bench-table markers.
#   bench/render.sh            print the block
#   bench/render.sh --write    put it into README.md
#   bench/render.sh --check    exit 1 when README.md's block differs (.ci/run runs this)
# Any of them takes a results file as a last argument instead of the latest.
set -eu
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd -P)
root=$(dirname -- "$here")
readme=$root/README.md
begin='<!-- bench-table: begin (rendered by bench/render.sh from a results file; not edited by hand) -->'
end='<!-- bench-table: end -->'

mode=print
case ${1:-} in
  --write | --check) mode=${1#--}; shift ;;
  -*) echo "render: unknown option '$1' (--write, --check)" >&2; exit 2 ;;
esac
file=${1:-$(ls "$here"/results/*-run.tsv 2>/dev/null | sort | tail -n 1)}
[ -n "$file" ] && [ -f "$file" ] || { echo "render: no results file of bench/run.sh in bench/results/" >&2; exit 2; }

render() {
  echo "$begin"
  awk -F'\t' -v file="${file#"$root"/}" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { f = $col["figure"]; value[f] = $col["value"]; unit[f] = $col["unit"]; ratio[f] = $col["ratio"]
      target[f] = $col["target"]; label[f] = $col["label"]; floor[f] = $col["floor"]
      started = $col["started"]; args = $col["args"]; commit = $col["commit"]; machine = $col["machine"]
      carnival = $col["carnival"]; before = $col["load_before"]; after = $col["load_after"] }
    function v(f) { return (f in value) ? value[f] " " unit[f] : "—" }
    function orig(f) { return (f in value) ? value[f] " " unit[f] : "not measured" }
    function row(f, o, jvm, c, against) {
      if (!(f in value)) return
      r = ratio[f] == "" ? "—" : ratio[f] "x " against
      if (against == "diff") r = sprintf("%+.1f %s", value[f] - value[floor[f]], unit[f])
      printf "| %s | %s | %s | %s | %s | %s | %s |\n", label[f], v(f), o == "" ? "—" : orig(o), jvm == "" ? "—" : v(jvm), c == "" ? "—" : v(c), r, target[f] == "" ? "—" : target[f]
    }
    END {
      gsub(/^[^ ]+\//, "", file)
      print "| measure | Carnival | original | JVM floor | C loop | Carnival'"'"'s ratio | target |"
      print "|---|---|---|---|---|---|---|"
      row("start_to_exit", "original_start_to_exit", "floor_ffm", "", "the JVM floor")
      row("start_to_exit_socket", "", "floor_ffm", "", "the JVM floor")
      row("restarts", "original_restarts", "jvm_floor_restarts", "c_loop", "the C loop")
      row("idle_rss", "", "floor_sleep_rss", "", "diff")
      row("replicas_running", "", "", "", "")
      row("replicas_rss", "", "", "", "")
      row("replicas_term", "", "", "", "")
      row("image_size", "", "", "", "")
      row("tarball_size", "", "", "", "")
      printf "\n- command: `bench/run.sh`, settings `%s`\n", args
      printf "- machine: %s\n", machine
      printf "- run: %s, commit `%s` (%s), load %s before and %s after\n", started, commit, carnival, before, after
      printf "- data: [`bench/results/%s`](bench/results/%s)\n", file, file
    }' "$file"
  echo "$end"
}

case $mode in
  print) render ;;
  check | write)
    grep -qxF "$begin" "$readme" && grep -qxF "$end" "$readme" \
      || { echo "render: README.md has no bench-table markers" >&2; exit 1; }
    table=$(mktemp)
    rendered=$(mktemp)
    trap 'rm -f "$table" "$rendered"' EXIT
    render > "$table"
    # The README with its block replaced by the rendering.
    awk -v b="$begin" -v e="$end" -v t="$table" '
      $0 == b { while ((getline line < t) > 0) print line; skip = 1; next }
      $0 == e { skip = 0; next }
      !skip' "$readme" > "$rendered"
    if [ "$mode" = write ]; then
      cat "$rendered" > "$readme"
    elif ! cmp -s "$readme" "$rendered"; then
      diff -u "$readme" "$rendered" >&2 || true
      echo "render: README.md's benchmark table is not what bench/render.sh makes of ${file#"$root"/}; run bench/render.sh --write" >&2
      exit 1
    fi
    ;;
esac
