#!/usr/bin/env bash
# Restores a township edge from a backup made by deploy/backup-edge.sh.
#
#   deploy/restore-edge.sh [--verify-only] [--service UNIT | --no-service] [--force] BACKUP.tar.gz DATADIR
#
#   --verify-only   unpack and check the backup (PRAGMA integrity_check), print what it holds, change nothing
#   --service UNIT  the systemd unit to stop before and start after (default: egov-edge@<code>.service, when
#                   systemd runs it); --no-service leaves services alone (the edge must not be running)
#   --force         restore even if DATADIR holds a database of another township
#
# Procedure: check the backup; stop the edge; move the current (damaged) edge.db, -wal and -shm to
# DATADIR/damaged-<time>/ (never deleted); put the backup's database in place, owned by DATADIR's owner, mode 0600;
# restore hub-credential and keys/ only where DATADIR has none (a credential rotated since the backup stays);
# check it; start the edge.
#
# A backup is older than the edge it replaces. The restored database is prepared so that the hub re-synchronises it:
#   - its change log continues at a number far above anything the township sent before, so that changes made after
#     the restore are never mistaken by the hub for ones it already has (changes in the backup that the hub
#     already received are answered "duplicate" and not applied twice);
#   - its next pull also asks for the township's own versions, so whatever the township wrote and synced after the
#     backup was taken comes back from the hub.
# Changes made after the backup that never reached the hub are lost with the damaged database (see the README).
# Let the restored edge complete one sync before staff use it again (EGovEdge.Edge sync status / sync run).
set -euo pipefail
umask 077
# shellcheck source=deploy/lib-backup.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib-backup.sh"

usage() {
  sed -n '2,24p' "$0" >&2
  exit 2
}

verify_only=0
service=auto
force=0
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --verify-only) verify_only=1; shift ;;
    --service) [ $# -ge 2 ] || usage; service="$2"; shift 2 ;;
    --service=*) service="${1#--service=}"; shift ;;
    --no-service) service=""; shift ;;
    --force) force=1; shift ;;
    -h | --help) usage ;;
    -*) bk_die "unknown option $1 (try --help)" 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
if [ "$verify_only" -eq 1 ]; then [ "${#args[@]}" -ge 1 ] || usage; else [ "${#args[@]}" -eq 2 ] || usage; fi
BACKUP="$(readlink -f "${args[0]}")"
bk_need sqlite3 sqlite3
bk_need tar tar
bk_cleanup_on_exit

bk_workdir work "" ""
bk_extract "$BACKUP" "$work"
[ -f "$work/edge.db" ] || bk_die "$BACKUP holds no edge.db: not an edge backup"
bk_sqlite_verify "$work/edge.db"
node="$(bk_sqlite_value "$work/edge.db" "SELECT value FROM _sync_state WHERE key = 'node_id'")"
[ -n "$node" ] || bk_die "$BACKUP: the database holds no node id"
bk_log "backup $BACKUP: township $node, integrity_check ok"
[ ! -f "$work/backup-info.txt" ] || sed 's/^/    /' "$work/backup-info.txt" >&2
if [ "$verify_only" -eq 1 ]; then
  echo "ok $node"
  exit 0
fi

DATADIR="$(bk_target_datadir "${args[1]}")"
if [ -f "$DATADIR/edge.db" ] && [ "$force" -eq 0 ]; then
  current="$(bk_sqlite_value "$DATADIR/edge.db" "SELECT value FROM _sync_state WHERE key = 'node_id'" 2>/dev/null || true)"
  if [ -n "$current" ] && [ "$current" != "$node" ]; then
    bk_die "$DATADIR/edge.db belongs to township '$current', the backup to '$node' (--force to restore anyway)" 2
  fi
fi

[ "$service" != auto ] || service="egov-edge@$node.service"
bk_service_stop "$service"
bk_require_stopped "$DATADIR/edge.db" "systemctl stop egov-edge@$node"

bk_install_sqlite "$work/edge.db" "$DATADIR" edge.db "
  BEGIN IMMEDIATE;
  INSERT INTO sqlite_sequence (name, seq) SELECT '_sync_log', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = '_sync_log');
  UPDATE sqlite_sequence SET seq = seq + 1000000000 WHERE name = '_sync_log';
  DELETE FROM _sync_state WHERE key = 'initial_pull_done';
  INSERT INTO _sync_state (key, value) VALUES ('restored_utc', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
  COMMIT;"
bk_restore_extras "$work" "$DATADIR" hub-credential keys
bk_log "restored township $node into $DATADIR/edge.db (integrity_check ok)"
bk_service_start
cat >&2 <<NEXT
Next: let the edge sync once before staff use it, then compare it with the hub:
    EGovEdge.Edge sync status --EGov:DataDir=$DATADIR
    EGovEdge.Edge sync verify --EGov:DataDir=$DATADIR
(run them as the service account; if the hub answers 401 the credential was rotated or revoked since the backup:
 start the edge once with a new EGov__EnrollmentCode from the hub.)
NEXT
echo "ok $node $DATADIR/edge.db"
