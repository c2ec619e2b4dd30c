#!/usr/bin/env bash
# Builds EGovEdge, publishes hub + edge, starts a throwaway PostgreSQL and runs every test project.
# The last line printed is "N passed, N failed" (", N skipped" only when something was skipped).
# Exit status is non-zero if a build/publish/test step failed, a test failed or was skipped,
# a test project printed no summary line, or no test passed at all.
#
# Works from any directory, with CI=true and without stdin. Leaves no process behind.
# Exported for the tests:
#   EGOV_TEST_PG       Npgsql connection string of the throwaway cluster (database egov_test)
#   EGOV_PUBLISH_DIR   <repo>/artifacts/publish (hub/EGovEdge.Hub.dll, edge/EGovEdge.Edge.dll)
# Optional: EGOV_TEST_HANG_TIMEOUT (default 10m), the per-test hang limit (dotnet test --blame-hang-timeout).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
exec </dev/null

export DEBIAN_FRONTEND=noninteractive
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The summary lines parsed below are the English ones.
export DOTNET_CLI_UI_LANGUAGE=en VSLANG=1033
# No MSBuild node reuse, no MSBuild server, no compiler server: nothing may outlive the script.
export MSBUILDDISABLENODEREUSE="${MSBUILDDISABLENODEREUSE:-1}"
export DOTNET_CLI_USE_MSBUILD_SERVER="${DOTNET_CLI_USE_MSBUILD_SERVER:-0}"
export UseSharedCompilation="${UseSharedCompilation:-false}"
if [ -z "${HOME:-}" ]; then
  HOME="$(getent passwd "$(id -u)" | cut -d: -f6)"
  export HOME
fi

HANG_TIMEOUT="${EGOV_TEST_HANG_TIMEOUT:-10m}" # dotnet test --blame-hang-timeout
PG_PORT_FIRST=54329
PG_PORT_LAST=54428

log() { printf '%s\n' "$*"; }
die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}
is_root() { [ "$(id -u)" -eq 0 ]; }

LOG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/egov-tests.XXXXXX")"

# ---------------------------------------------------------------------------------------------
# Cleanup: runs on every exit (success, failure, Ctrl-C, TERM). Quiet, so that the closing
# "N passed, N failed" line stays the last line of the output.
CHILD_PGID=""
PGBIN=""
PGROOT=""

kill_group() { # kill_group PGID: TERM, up to 10 s grace, then KILL
  local pgid="$1"
  kill -TERM -- "-$pgid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do
    kill -0 -- "-$pgid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -KILL -- "-$pgid" 2>/dev/null || true
}

as_pg() { # run a PostgreSQL binary as user postgres (initdb refuses to run as root)
  if is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

stop_postgres() {
  [ -n "$PGROOT" ] || return 0
  if [ -f "$PGROOT/data/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast -w -t 20 stop >/dev/null 2>&1 ||
      as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
    if [ -f "$PGROOT/data/postmaster.pid" ]; then
      local pid
      pid="$(head -n 1 "$PGROOT/data/postmaster.pid" 2>/dev/null || true)"
      case "$pid" in '' | *[!0-9]*) ;; *) kill -KILL "$pid" 2>/dev/null || true ;; esac
    fi
  fi
  rm -rf "$PGROOT"
  PGROOT=""
}

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  case "$rc" in
    130 | 143) printf 'Interrupted: stopping the running step and PostgreSQL.\n' >&2 ;;
  esac
  if [ -n "$CHILD_PGID" ]; then
    kill_group "$CHILD_PGID"
    CHILD_PGID=""
  fi
  stop_postgres
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs "$@" in its own session and waits for it, so that a signal to this script is handled
# at once and everything the command started (testhosts, servers it forgot, build nodes) is
# killed afterwards. Returns the command's exit status.
run_tracked() {
  local rc=0
  setsid -w "$@" </dev/null &
  CHILD_PGID=$!
  wait "$CHILD_PGID" || rc=$?
  kill_group "$CHILD_PGID"
  CHILD_PGID=""
  return "$rc"
}

port_in_use() { # port_in_use PORT: true if anything listens on it (any address)
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Htln "sport = :$port" 2>/dev/null)" ] && return 0
  fi
  if command -v timeout >/dev/null 2>&1; then
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null && return 0
  else
    bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null && return 0
  fi
  return 1
}

# ---------------------------------------------------------------------------------------------
# 1. System packages (only what is missing)
install_missing() {
  local need=()
  [ -x /usr/bin/chromium ] || need+=(chromium)
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
  if ! command -v fc-list >/dev/null 2>&1; then
    need+=(fontconfig fonts-noto-cjk)
  elif [ -z "$(fc-list :lang=zh 2>/dev/null || true)" ]; then
    need+=(fonts-noto-cjk)
  fi
  # GB/T 9704 printing: TrueType Song and Kai faces (PDFsharp cannot use the .ttc collections of fonts-noto-cjk).
  [ -f /usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf ] || need+=(fonts-arphic-gbsn00lp)
  [ -f /usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf ] || need+=(fonts-arphic-gkai00mp)
  command -v setsid >/dev/null 2>&1 || need+=(util-linux)
  command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)                # deploy/backup-*.sh (EGovEdge.Deploy.Tests)
  command -v pg_dump >/dev/null 2>&1 || need+=(postgresql-client)      # deploy/backup-hub.sh for a PostgreSQL hub
  [ "${#need[@]}" -gt 0 ] || return 0

  log "==> installing missing packages: ${need[*]}"
  local sudo=()
  if ! is_root; then
    command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to install: ${need[*]}"
    sudo=(sudo -n env DEBIAN_FRONTEND=noninteractive)
  fi
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 update -q
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${need[@]}"
}

# ---------------------------------------------------------------------------------------------
# 2. Throwaway PostgreSQL cluster (TOOLCHAIN.md §5), on a free port, 127.0.0.1 only
start_postgres() {
  PGBIN="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  [ -x "$PGBIN/initdb" ] || die "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin"
  if is_root; then
    id -u postgres >/dev/null 2>&1 || die "user 'postgres' is missing (reinstall package postgresql)"
  fi

  PGROOT="$(mktemp -d "${TMPDIR:-/tmp}/egov-pg.XXXXXX")"
  if is_root; then
    chown postgres:postgres "$PGROOT"
    if ! runuser -u postgres -- test -w "$PGROOT"; then
      # TMPDIR's parents are not traversable by postgres: fall back to /tmp
      rm -rf "$PGROOT"
      PGROOT="$(mktemp -d /tmp/egov-pg.XXXXXX)"
      chown postgres:postgres "$PGROOT"
    fi
  fi

  as_pg "$PGBIN/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$LOG_DIR/initdb.log" 2>&1 || {
    cat "$LOG_DIR/initdb.log" >&2
    die "initdb failed"
  }

  local port=$PG_PORT_FIRST attempts=0 started=""
  while [ "$port" -le "$PG_PORT_LAST" ]; do
    if port_in_use "$port"; then
      port=$((port + 1))
      continue
    fi
    attempts=$((attempts + 1))
    if as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $PGROOT -c fsync=off" start >/dev/null 2>&1; then
      started=1
      break
    fi
    # Someone may have taken the port between the check and the start: try the next one.
    [ "$attempts" -lt 5 ] || break
    port=$((port + 1))
  done
  if [ -z "$started" ]; then
    cat "$PGROOT/server.log" >&2 2>/dev/null || true
    die "could not start PostgreSQL on a free port in $PG_PORT_FIRST..$PG_PORT_LAST"
  fi

  as_pg "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE egov_test" || die "CREATE DATABASE egov_test failed"
  "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port" || die "pg_isready failed on port $port"

  export EGOV_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=egov_test"
  log "==> PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $PGROOT)"
  log "    EGOV_TEST_PG=$EGOV_TEST_PG"
}

# ---------------------------------------------------------------------------------------------
# 4./5. Test projects and result parsing
find_test_projects() { # prints tests/*/*.csproj named *Tests or EGovEdge.E2E, sorted
  local proj name dir
  for proj in tests/*/*.csproj; do
    [ -f "$proj" ] || continue
    dir="$(basename "$(dirname "$proj")")"
    name="$(basename "$proj" .csproj)"
    [ "$dir" = "EGovEdge.Benchmarks" ] && continue
    case "$name" in
      *Tests | EGovEdge.E2E) printf '%s\n' "$proj" ;;
    esac
  done | LC_ALL=C sort
}

# parse_summaries LOGFILE: one line per test assembly found in a dotnet test log:
#   <Passed!|Failed!|Aborted!> <passed> <failed> <skipped> <total> <assembly>
# It reads both closing formats of the VSTest console logger:
#  - verbosity minimal (TOOLCHAIN.md §3), one line per assembly:
#      Passed!  - Failed:     0, Passed:     4, Skipped:     0, Total:     4, Duration: 3 s - Tests.dll (net10.0)
#  - verbosity normal/detailed, a block after "Test run for /path/Tests.dll (.NETCoreApp,Version=v10.0)":
#      Test Run Successful.|Test Run Failed.|Test Run Aborted. (hang/crash: "Total tests: Unknown";
#      the run is reported as Aborted! with at least 1 failed)
#      Total tests: 6
#           Passed: 4
#           Failed: 1
#          Skipped: 1
#       Total time: 2.1 Seconds
# If both formats occur, only the one-line format is used (no double counting).
# print_failures LOG_DIR: each failed test's name and the first lines of its error message, so that the
# tail of the output (all a CI page may show) says what failed. At most 8 tests, 6 message lines each.
print_failures() {
  local shown=0 f
  for f in "$1"/*.log; do
    [ -f "$f" ] || continue
    awk -v max=8 -v shown="$shown" '
      /^[[:space:]]+Failed [^[:space:]]+ \[/ { if (shown >= max) exit; sub(/^[[:space:]]+/, ""); print "FAILED TEST: " $0; shown++; want = 1; n = 0; next }
      want && /^[[:space:]]*Error Message:/ { grab = 1; next }
      grab && /^[[:space:]]*(Stack Trace:|Standard Output Messages:)/ { grab = 0; want = 0; next }
      grab && n < 6 { line = $0; sub(/^[[:space:]]+/, "", line); if (length(line) > 300) line = substr(line, 1, 300) "..."; print "    " line; n++ }
    ' "$f" || true
    shown=$((shown + $(grep -cE '^[[:space:]]+Failed [^[:space:]]+ \[' "$f" || true)))
    [ "$shown" -lt 8 ] || break
  done
}

parse_summaries() {
  local line asm="?" fw in_block=0 status="" total="" passed="" failed="" skipped=""
  local -a lines=() blocks=()
  local re_line='(Passed|Failed)![[:space:]]+-[[:space:]]+Failed:[[:space:]]*([0-9]+),[[:space:]]*Passed:[[:space:]]*([0-9]+),[[:space:]]*Skipped:[[:space:]]*([0-9]+),[[:space:]]*Total:[[:space:]]*([0-9]+)(.*)$'
  local re_line_asm='[[:space:]]-[[:space:]]+([^[:space:]]+)[[:space:]]*(\(([^)]*)\))?[[:space:]]*$'
  local re_run='^Test run for (.*[/\\])?([^/\\]+)[[:space:]]+\(([^)]*)\)[[:space:]]*$'
  local re_count='^[[:space:]]*(Total tests|Passed|Failed|Skipped):[[:space:]]*([0-9]+|Unknown)[[:space:]]*$'
  while IFS= read -r line; do
    if [[ $line =~ $re_line ]]; then
      local l_asm="?" rest="${BASH_REMATCH[6]}"
      local l_status="${BASH_REMATCH[1]}!" l_f="${BASH_REMATCH[2]}" l_p="${BASH_REMATCH[3]}"
      local l_k="${BASH_REMATCH[4]}" l_t="${BASH_REMATCH[5]}"
      if [[ $rest =~ $re_line_asm ]]; then
        l_asm="${BASH_REMATCH[1]}"
        [ -z "${BASH_REMATCH[3]}" ] || l_asm="$l_asm(${BASH_REMATCH[3]})"
      fi
      lines+=("$l_status $((10#$l_p)) $((10#$l_f)) $((10#$l_k)) $((10#$l_t)) $l_asm")
    elif [[ $line =~ $re_run ]]; then
      asm="${BASH_REMATCH[2]}"
      fw="${BASH_REMATCH[3]}"
      [[ $fw =~ ^\.NETCoreApp,Version=v([0-9.]+)$ ]] && fw="net${BASH_REMATCH[1]}"
      asm="$asm($fw)"
    elif [[ $line =~ ^[[:space:]]*Test\ Run\ (Successful|Failed|Aborted) ]]; then
      in_block=1
      case "${BASH_REMATCH[1]}" in
        Successful) status="Passed!" ;;
        Failed) status="Failed!" ;;
        *) status="Aborted!" ;;
      esac
      total="" passed=0 failed=0 skipped=0
    elif [ "$in_block" -eq 1 ] && [[ $line =~ $re_count ]]; then
      local key="${BASH_REMATCH[1]}" n="${BASH_REMATCH[2]}"
      [ "$n" = "Unknown" ] && n="?" || n=$((10#$n))
      case "$key" in
        "Total tests") total="$n" ;;
        Passed) passed="$n" ;;
        Failed) failed="$n" ;;
        Skipped) skipped="$n" ;;
      esac
    elif [ "$in_block" -eq 1 ] && [[ $line =~ ^[[:space:]]*Total\ time: ]]; then
      if [ "$status" = "Aborted!" ]; then
        # hang (--blame-hang-timeout) or testhost crash: the test that was running counts as failed
        [ "$failed" != "?" ] || failed=0
        [ "$failed" -gt 0 ] || failed=1
        [ "$passed" != "?" ] || passed=0
        [ "$skipped" != "?" ] || skipped=0
      fi
      if [ -n "$total" ] && [ "$passed" != "?" ] && [ "$failed" != "?" ] && [ "$skipped" != "?" ]; then
        blocks+=("$status $passed $failed $skipped $total $asm")
      fi
      in_block=0
      asm="?"
    fi
    # strip ANSI colour codes and CRs before matching
  done < <(sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\r//g' "$1")
  if [ "${#lines[@]}" -gt 0 ]; then
    printf '%s\n' "${lines[@]}"
  elif [ "${#blocks[@]}" -gt 0 ]; then
    printf '%s\n' "${blocks[@]}"
  fi
}

# ---------------------------------------------------------------------------------------------
main() {
  log "==> EGovEdge tests in $ROOT (logs: $LOG_DIR)"
  install_missing
  command -v dotnet >/dev/null 2>&1 || die "dotnet is not on PATH"
  start_postgres

  # 3. build + publish
  log "==> dotnet build EGovEdge.sln -c Release"
  local rc=0
  run_tracked dotnet build EGovEdge.sln -c Release --nologo || rc=$?
  [ "$rc" -eq 0 ] || die "dotnet build EGovEdge.sln failed (exit $rc)"

  export EGOV_PUBLISH_DIR="$ROOT/artifacts/publish"
  run_tracked bash "$ROOT/deploy/publish.sh" "$EGOV_PUBLISH_DIR" || rc=$?
  [ "$rc" -eq 0 ] || die "deploy/publish.sh failed (exit $rc)"

  # 4. test projects, one after another
  local projects=()
  mapfile -t projects < <(find_test_projects)
  [ "${#projects[@]}" -gt 0 ] || log "WARNING: no test project found (tests/*/*.csproj named *Tests or EGovEdge.E2E)"

  local in_sln
  # shellcheck disable=SC1003 # turns backslashes into slashes
  in_sln="$(dotnet sln EGovEdge.sln list 2>/dev/null | tr '\\' '/' || true)"

  local proj name plog prc rows=() problems=()
  local sum_passed=0 sum_failed=0 sum_skipped=0
  for proj in "${projects[@]}"; do
    name="$(basename "$proj" .csproj)"
    plog="$LOG_DIR/$name.log"
    if ! grep -Fqx "$proj" <<<"$in_sln"; then
      # not in the solution, so the solution build did not build it
      log "==> dotnet build $proj -c Release   (not in EGovEdge.sln)"
      prc=0
      run_tracked dotnet build "$proj" -c Release --nologo || prc=$?
      if [ "$prc" -ne 0 ]; then
        problems+=("$name: dotnet build failed (exit $prc)")
        rows+=("$name|BUILD FAILED|-|-|-|-")
        continue
      fi
    fi

    log "==> dotnet test $proj   (log: $plog)"
    prc=0
    # shellcheck disable=SC2016 # $1..$3 expand in the inner bash
    run_tracked bash -c 'set -o pipefail; dotnet test "$1" -c Release --no-build --nologo \
        --logger "console;verbosity=normal" --blame-hang-timeout "$4" --blame-hang-dump-type none \
        --results-directory "$2" 2>&1 | tee "$3"' \
      _ "$proj" "$LOG_DIR/TestResults/$name" "$plog" "$HANG_TIMEOUT" || prc=$?

    local summaries=() s status p f k t asm
    mapfile -t summaries < <(parse_summaries "$plog")
    if [ "${#summaries[@]}" -eq 0 ]; then
      problems+=("$name: no test summary line (dotnet test exit $prc)")
      rows+=("$name|NO SUMMARY|-|-|-|-")
    fi
    for s in "${summaries[@]}"; do
      read -r status p f k t asm <<<"$s"
      sum_passed=$((sum_passed + p))
      sum_failed=$((sum_failed + f))
      sum_skipped=$((sum_skipped + k))
      rows+=("$asm|$status|$p|$f|$k|$t")
    done
    [ "$prc" -eq 0 ] || problems+=("$name: dotnet test exited $prc")
    if grep -q '^Aborted!' < <(printf '%s\n' "${summaries[@]}"); then
      problems+=("$name: test run aborted (hang after $HANG_TIMEOUT or testhost crash; see $plog)")
    fi
  done

  # Stop PostgreSQL now (quietly), so nothing is printed after the closing line.
  stop_postgres

  # 5. report
  log ""
  log "==> results (logs: $LOG_DIR)"
  local row
  printf '%-50s %-12s %7s %7s %8s %7s\n' "assembly" "result" "passed" "failed" "skipped" "total"
  for row in "${rows[@]}"; do
    IFS='|' read -r asm status p f k t <<<"$row"
    printf '%-50s %-12s %7s %7s %8s %7s\n' "$asm" "$status" "$p" "$f" "$k" "$t"
  done
  print_failures "$LOG_DIR"
  [ "$sum_failed" -eq 0 ] || problems+=("$sum_failed test(s) failed")
  [ "$sum_skipped" -eq 0 ] || problems+=("$sum_skipped test(s) skipped (skips are not allowed)")
  [ "$sum_passed" -gt 0 ] || problems+=("no test passed")
  local p_
  for p_ in "${problems[@]}"; do log "FAIL: $p_"; done

  local closing="$sum_passed passed, $sum_failed failed"
  [ "$sum_skipped" -eq 0 ] || closing="$closing, $sum_skipped skipped"
  log "$closing"
  [ "${#problems[@]}" -eq 0 ]
}

main "$@"
