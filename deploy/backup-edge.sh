#!/usr/bin/env bash
# Online backup of a township edge, safe while the edge runs and writes.
#
#   deploy/backup-edge.sh [--keep N] DATADIR DEST
#
# Writes DEST/edge-<code>-<UTC time>.tar.gz (mode 0600) holding
#   edge.db         a copy made with the SQLite online backup API in one read transaction (a consistent snapshot;
#                   never a file copy of the live WAL database), checked with PRAGMA integrity_check
#   hub-credential  the township's enrolled credential, if any (secret: keep backups as safe as the server)
#   keys/           the node's data-protection keys (sign-in tokens and cookies stay valid after a restore)
#   backup-info.txt node, store id, push/pull cursors and SQLite version of the snapshot
# and prints the archive's path on stdout. --keep N keeps the N newest backups of this township in DEST.
# Run it as root or as the service account (egov); the sqlite3 shell runs as the database's owner.
# Needs: sqlite3 (apt-get install sqlite3), tar, gzip. Exit codes: 0 done, 1 failed, 2 usage.
set -euo pipefail
umask 077
# shellcheck source=deploy/lib-backup.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib-backup.sh"

usage() {
  sed -n '2,16p' "$0" >&2
  exit 2
}

keep=0
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) [ $# -ge 2 ] || usage; keep="$2"; shift 2 ;;
    --keep=*) keep="${1#--keep=}"; shift ;;
    -h | --help) usage ;;
    -*) bk_die "unknown option $1 (try --help)" 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
[ "${#args[@]}" -eq 2 ] || usage
case "$keep" in '' | *[!0-9]*) bk_die "--keep needs a number" 2 ;; esac
DATADIR="$(readlink -f "${args[0]}")"
DEST="${args[1]}"
DB="$DATADIR/edge.db"
[ -f "$DB" ] || bk_die "$DB not found: is $DATADIR an edge's EGov:DataDir?" 2
bk_need sqlite3 sqlite3
bk_need tar tar
mkdir -p "$DEST"
chmod 700 "$DEST" 2>/dev/null || true
DEST="$(readlink -f "$DEST")"

bk_cleanup_on_exit
bk_workdir work "" "$DB"
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
bk_sqlite_backup "$DB" "$work/edge.db" "
  SELECT 'node_id=' || COALESCE((SELECT value FROM _sync_state WHERE key = 'node_id'), '');
  SELECT 'store_id=' || COALESCE((SELECT value FROM _sync_state WHERE key = 'store_id'), '');
  SELECT 'push_cursor=' || COALESCE((SELECT value FROM _sync_state WHERE key = 'push_cursor'), '0');
  SELECT 'pull_cursor=' || COALESCE((SELECT value FROM _sync_state WHERE key = 'pull_cursor'), '0');
  SELECT 'sqlite_version=' || sqlite_version();"
bk_sqlite_verify "$work/edge.db"
node="$(sed -n 's/^node_id=//p' "$work/edge.db.info")"
[ -n "$node" ] || bk_die "$DB holds no node id: not an edge database?"
{
  echo "kind=edge"
  echo "started_utc=$started"
  echo "finished_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "source=$DB"
  echo "host=$(hostname 2>/dev/null || echo unknown)"
  cat "$work/edge.db.info"
  echo "integrity_check=ok"
} >"$work/backup-info.txt"
rm -f "$work/edge.db.info"
bk_copy_extras "$DATADIR" "$work" hub-credential keys
archive="$(bk_archive "$work" "$DEST" "edge-$node-$(bk_stamp)")"
bk_log "backup of township $node: $archive ($(du -h "$archive" | cut -f1)), integrity_check ok"
bk_prune "$DEST" "edge-$node" "$keep"
printf '%s\n' "$archive"
