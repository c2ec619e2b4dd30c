#!/usr/bin/env bash
# Online backup of the county hub, safe while the hub runs and writes.
#
#   deploy/backup-hub.sh [--env FILE] [--keep N] DATADIR DEST
#
# The database is the one the hub uses: EGov__Database__Provider / EGov__Database__ConnectionString from the
# environment file given with --env (e.g. /etc/egov/hub.env), else from this process's environment, else SQLite.
#   SQLite      DATADIR/hub.db copied with the SQLite online backup API in one read transaction, checked with
#               PRAGMA integrity_check                                                   -> hub.db in the archive
#   PostgreSQL  pg_dump -Fc (one consistent snapshot; the hub keeps running), checked with pg_restore --list
#                                                                                        -> hub.dump in the archive
# Writes DEST/hub-<UTC time>.tar.gz (mode 0600) with the database, DATADIR/keys/ (data-protection keys) and
# backup-info.txt, and prints its path on stdout. --keep N keeps the N newest hub backups in DEST.
# Needs: sqlite3 (apt-get install sqlite3) or pg_dump/pg_restore of the server's major version or newer
# (apt-get install postgresql-client), tar, gzip. Exit codes: 0 done, 1 failed, 2 usage.
set -euo pipefail
umask 077
# shellcheck source=deploy/lib-backup.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib-backup.sh"

usage() {
  sed -n '2,17p' "$0" >&2
  exit 2
}

keep=0
envfile=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) [ $# -ge 2 ] || usage; keep="$2"; shift 2 ;;
    --keep=*) keep="${1#--keep=}"; shift ;;
    --env) [ $# -ge 2 ] || usage; envfile="$2"; shift 2 ;;
    --env=*) envfile="${1#--env=}"; shift ;;
    -h | --help) usage ;;
    -*) bk_die "unknown option $1 (try --help)" 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
[ "${#args[@]}" -eq 2 ] || usage
case "$keep" in '' | *[!0-9]*) bk_die "--keep needs a number" 2 ;; esac
[ -z "$envfile" ] || [ -f "$envfile" ] || bk_die "$envfile not found" 2
DATADIR="$(readlink -f "${args[0]}")"
DEST="${args[1]}"
[ -d "$DATADIR" ] || bk_die "$DATADIR is not a folder: give the hub's EGov:DataDir" 2

provider="${EGov__Database__Provider:-sqlite}"
cs="${EGov__Database__ConnectionString:-}"
if [ -n "$envfile" ]; then
  v="$(bk_env_value EGov__Database__Provider "$envfile")"
  [ -z "$v" ] || provider="$v"
  v="$(bk_env_value EGov__Database__ConnectionString "$envfile")"
  [ -z "$v" ] || cs="$v"
fi
provider="$(printf '%s' "$provider" | tr '[:upper:]' '[:lower:]')"
bk_need tar tar
mkdir -p "$DEST"
chmod 700 "$DEST" 2>/dev/null || true
DEST="$(readlink -f "$DEST")"
bk_cleanup_on_exit
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

case "$provider" in
  sqlite)
    DB="$DATADIR/hub.db"
    [ -f "$DB" ] || bk_die "$DB not found: is $DATADIR the hub's EGov:DataDir?" 2
    bk_need sqlite3 sqlite3
    bk_workdir work "" "$DB"
    bk_sqlite_backup "$DB" "$work/hub.db" "
      SELECT 'hub_seq=' || COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'hub_log'), 0);
      SELECT 'townships=' || (SELECT COUNT(*) FROM hub_nodes);
      SELECT 'sqlite_version=' || sqlite_version();"
    bk_sqlite_verify "$work/hub.db"
    info="$(cat "$work/hub.db.info")"
    rm -f "$work/hub.db.info"
    what="hub.db"
    ;;
  postgres | postgresql)
    [ -n "$cs" ] || bk_die "EGov__Database__ConnectionString is not set (give --env /etc/egov/hub.env)" 2
    bk_need pg_dump postgresql-client
    bk_need pg_restore postgresql-client
    bk_pg_env "$cs"
    bk_workdir work "" ""
    pg_dump --format=custom --no-owner --no-privileges --file="$work/hub.dump" ||
      bk_die "pg_dump of database $PGDATABASE on ${PGHOST:-localhost}:${PGPORT:-5432} failed"
    listing="$(pg_restore --list "$work/hub.dump")" || bk_die "pg_restore --list cannot read the dump"
    grep -q 'TABLE DATA [^ ]* hub_log ' <<<"$listing" || bk_die "the dump holds no hub_log table: is $PGDATABASE the hub's database?"
    info="$(printf 'database=%s\nserver=%s:%s\npg_dump=%s\ntoc_entries=%s' "$PGDATABASE" "${PGHOST:-localhost}" "${PGPORT:-5432}" \
      "$(pg_dump --version)" "$(grep -cv '^;' <<<"$listing")")"
    what="hub.dump"
    ;;
  *) bk_die "EGov__Database__Provider '$provider' is neither sqlite nor postgres" 2 ;;
esac

{
  echo "kind=hub"
  echo "provider=$provider"
  echo "started_utc=$started"
  echo "finished_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "datadir=$DATADIR"
  echo "host=$(hostname 2>/dev/null || echo unknown)"
  printf '%s\n' "$info"
  if [ "$what" = hub.db ]; then echo "integrity_check=ok"; else echo "pg_restore_list=ok"; fi
} >"$work/backup-info.txt"
bk_copy_extras "$DATADIR" "$work" keys
archive="$(bk_archive "$work" "$DEST" "hub-$(bk_stamp)")"
bk_log "backup of the hub ($provider): $archive ($(du -h "$archive" | cut -f1)), $what verified"
bk_prune "$DEST" hub "$keep"
printf '%s\n' "$archive"
