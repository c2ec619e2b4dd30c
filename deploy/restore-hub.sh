#!/usr/bin/env bash
# Restores the county hub from a backup made by deploy/backup-hub.sh.
#
#   deploy/restore-hub.sh [--verify-only] [--env FILE] [--service UNIT | --no-service] BACKUP.tar.gz DATADIR
#
#   --verify-only   unpack and check the backup (integrity_check / pg_restore --list), change nothing
#   --env FILE      the hub's environment file (e.g. /etc/egov/hub.env): for PostgreSQL, the database to restore
#                   into is EGov__Database__ConnectionString (else this process's environment)
#   --service UNIT  the systemd unit to stop before and start after (default: egov-hub.service, when systemd
#                   runs it); --no-service leaves services alone (the hub must not be running)
#
# SQLite: the current hub.db, -wal, -shm go to DATADIR/damaged-<time>/ (never deleted), the backup's hub.db takes
# their place (owner of DATADIR, mode 0600) and is checked. PostgreSQL: the current database is first dumped to
# DATADIR/damaged-<time>.dump if it still can be, then pg_restore --clean --if-exists --single-transaction
# replaces the hub's tables with the backup's. keys/ is restored only where DATADIR has none.
#
# The hub's sequence is moved far ahead, so that townships whose cursor is beyond the backup still receive
# everything written from now on. What townships sent after the backup was taken is NOT in a restored hub: the
# townships still hold it; find it with `EGovEdge.Edge sync verify` on each township (see the README).
set -euo pipefail
umask 077
# shellcheck source=deploy/lib-backup.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib-backup.sh"

usage() {
  sed -n '2,21p' "$0" >&2
  exit 2
}

SEQ_GAP=1000000000
verify_only=0
service=egov-hub.service
envfile=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --verify-only) verify_only=1; shift ;;
    --env) [ $# -ge 2 ] || usage; envfile="$2"; shift 2 ;;
    --env=*) envfile="${1#--env=}"; shift ;;
    --service) [ $# -ge 2 ] || usage; service="$2"; shift 2 ;;
    --service=*) service="${1#--service=}"; shift ;;
    --no-service) service=""; shift ;;
    -h | --help) usage ;;
    -*) bk_die "unknown option $1 (try --help)" 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
if [ "$verify_only" -eq 1 ]; then [ "${#args[@]}" -ge 1 ] || usage; else [ "${#args[@]}" -eq 2 ] || usage; fi
[ -z "$envfile" ] || [ -f "$envfile" ] || bk_die "$envfile not found" 2
BACKUP="$(readlink -f "${args[0]}")"
bk_need tar tar
bk_cleanup_on_exit

bk_workdir work "" ""
bk_extract "$BACKUP" "$work"
if [ -f "$work/hub.db" ]; then
  kind=sqlite
  bk_need sqlite3 sqlite3
  bk_sqlite_verify "$work/hub.db"
  bk_log "backup $BACKUP: SQLite hub database, integrity_check ok"
elif [ -f "$work/hub.dump" ]; then
  kind=postgres
  bk_need pg_restore postgresql-client
  bk_need psql postgresql-client
  pg_restore --list "$work/hub.dump" >/dev/null || bk_die "$BACKUP: pg_restore cannot read hub.dump"
  bk_log "backup $BACKUP: PostgreSQL dump, pg_restore --list ok"
else
  bk_die "$BACKUP holds neither hub.db nor hub.dump: not a hub backup"
fi
[ ! -f "$work/backup-info.txt" ] || sed 's/^/    /' "$work/backup-info.txt" >&2
if [ "$verify_only" -eq 1 ]; then
  echo "ok hub $kind"
  exit 0
fi

DATADIR="$(bk_target_datadir "${args[1]}")"
bk_service_stop "$service"

if [ "$kind" = sqlite ]; then
  bk_require_stopped "$DATADIR/hub.db" "systemctl stop egov-hub"
  bk_install_sqlite "$work/hub.db" "$DATADIR" hub.db "
    BEGIN IMMEDIATE;
    INSERT INTO sqlite_sequence (name, seq) SELECT 'hub_log', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'hub_log');
    UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT MAX(hub_seq) FROM hub_log), 0)) + $SEQ_GAP WHERE name = 'hub_log';
    COMMIT;"
  target="$DATADIR/hub.db"
else
  cs="${EGov__Database__ConnectionString:-}"
  if [ -n "$envfile" ]; then
    v="$(bk_env_value EGov__Database__ConnectionString "$envfile")"
    [ -z "$v" ] || cs="$v"
  fi
  [ -n "$cs" ] || bk_die "EGov__Database__ConnectionString is not set (give --env /etc/egov/hub.env)" 2
  bk_pg_env "$cs"
  aside="$DATADIR/damaged-$(bk_stamp).dump"
  if pg_dump --format=custom --no-owner --no-privileges --file="$aside" 2>/dev/null; then
    bk_log "dumped the current database $PGDATABASE to $aside (delete it once the hub is back in service)"
  else
    rm -f "$aside"
    bk_log "WARNING: the current database $PGDATABASE could not be dumped before the restore (continuing)"
  fi
  pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
    --dbname="$PGDATABASE" "$work/hub.dump" || bk_die "pg_restore into $PGDATABASE failed (nothing was changed)"
  psql -X -q -v ON_ERROR_STOP=1 -d "$PGDATABASE" -c "
    SELECT setval(pg_get_serial_sequence('hub_log', 'hub_seq'),
                  GREATEST((SELECT COALESCE(MAX(hub_seq), 0) FROM hub_log), 1) + $SEQ_GAP, false);" >/dev/null ||
    bk_die "could not move the hub sequence ahead"
  target="database $PGDATABASE on ${PGHOST:-localhost}:${PGPORT:-5432}"
fi
bk_restore_extras "$work" "$DATADIR" keys
bk_log "restored the hub into $target"
bk_service_start
cat >&2 <<NEXT
Next: check the townships page (/townships) as they sync again, and run on each township
    EGovEdge.Edge sync verify --EGov:DataDir=/var/lib/egov/<code>
Rows listed "missing at hub" were sent after this backup was taken and are held by that township only.
NEXT
echo "ok hub $target"
