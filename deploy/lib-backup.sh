# shellcheck shell=bash
# Shared by backup-edge.sh, backup-hub.sh, restore-edge.sh and restore-hub.sh (sourced, not run).
#
# SQLite databases are copied with the SQLite online backup API (the sqlite3 shell's `.backup`) inside one read
# transaction: a consistent snapshot of a database in WAL mode while the node keeps writing, never a file copy.
# The sqlite3 shell runs as the owner of the database, so that no -wal/-shm file ever ends up owned by root.

BK_SQLITE_TIMEOUT_MS=30000

bk_log() { printf '%s\n' "$*" >&2; }
bk_die() { # bk_die MESSAGE [EXIT_CODE]
  printf 'ERROR: %s\n' "$1" >&2
  exit "${2:-1}"
}

bk_need() { # bk_need COMMAND DEBIAN_PACKAGE
  command -v "$1" >/dev/null 2>&1 || bk_die "$1 is not installed (apt-get install $2)"
}

bk_stamp() { date -u +%Y%m%dT%H%M%SZ; }

bk_owner() { stat -c %U "$1"; }

# bk_as_owner FILE COMMAND...: runs COMMAND as the owner of FILE when we are root and FILE belongs to someone else
# (setpriv: no PAM session, works under NoNewPrivileges=).
bk_as_owner() {
  local file="$1" owner
  shift
  owner="$(bk_owner "$file")"
  if [ "$(id -u)" -eq 0 ] && [ "$owner" != root ] && [ "$owner" != UNKNOWN ]; then
    if command -v setpriv >/dev/null 2>&1; then
      setpriv --reuid="$(stat -c %u "$file")" --regid="$(stat -c %g "$file")" --init-groups -- "$@"
    else
      runuser -u "$owner" -- "$@"
    fi
  else
    "$@"
  fi
}

# The sqlite3 shell without ~/.sqliterc (it could change the output format).
BK_SQLITE=(sqlite3 -init /dev/null -batch)

# bk_sqlite_backup SOURCE_DB DEST_DB [SQL_FOR_INFO]: online backup of SOURCE_DB into DEST_DB (a new file).
# Everything runs in one read transaction, so SQL_FOR_INFO (written to DEST_DB.info) describes exactly the snapshot
# that was copied. The directory of DEST_DB must be writable by the owner of SOURCE_DB.
bk_sqlite_backup() {
  local src="$1" dest="$2" info_sql="${3:-SELECT 1 WHERE 0;}"
  [ -f "$src" ] || bk_die "$src does not exist"
  [ ! -e "$dest" ] || bk_die "$dest already exists"
  bk_as_owner "$src" "${BK_SQLITE[@]}" -bail "$src" \
    ".timeout $BK_SQLITE_TIMEOUT_MS" \
    "BEGIN;" \
    ".output $dest.info" \
    "$info_sql" \
    ".output stdout" \
    ".backup main '$dest'" \
    "COMMIT;" ||
    bk_die "the online backup of $src failed"
  [ -s "$dest" ] || bk_die "the online backup of $src wrote nothing"
}

# bk_sqlite_verify DB: PRAGMA integrity_check must answer exactly "ok".
bk_sqlite_verify() {
  local db="$1" result
  result="$(bk_as_owner "$db" "${BK_SQLITE[@]}" -bail "$db" ".timeout $BK_SQLITE_TIMEOUT_MS" "PRAGMA integrity_check;" 2>&1)" ||
    bk_die "cannot check $db: $result"
  [ "$result" = ok ] || bk_die "PRAGMA integrity_check of $db: $(printf '%s' "$result" | head -n 5)"
}

# bk_sqlite_value DB SQL: one value (first column of the first row), read-only.
bk_sqlite_value() {
  bk_as_owner "$1" "${BK_SQLITE[@]}" -readonly "$1" ".timeout $BK_SQLITE_TIMEOUT_MS" "$2"
}

# bk_workdir VAR PARENT OWNER_FILE: sets VAR to a new private temp dir under PARENT (default: $EGOV_BACKUP_TMPDIR,
# $TMPDIR or /var/tmp), owned by the owner of OWNER_FILE. Removed on exit once the caller ran bk_cleanup_on_exit.
BK_WORKDIRS=()
bk_workdir() {
  local dir
  dir="$(mktemp -d "${2:-${EGOV_BACKUP_TMPDIR:-${TMPDIR:-/var/tmp}}}/egov-backup.XXXXXX")"
  chmod 700 "$dir"
  if [ "$(id -u)" -eq 0 ] && [ -n "$3" ]; then chown "$(stat -c %u:%g "$3")" "$dir"; fi
  BK_WORKDIRS+=("$dir")
  printf -v "$1" '%s' "$dir"
}
bk_cleanup() {
  local d
  for d in "${BK_WORKDIRS[@]}"; do [ -n "$d" ] && rm -rf "$d"; done
  BK_WORKDIRS=()
}
bk_cleanup_on_exit() { trap 'bk_cleanup' EXIT; }

# bk_copy_extras DATADIR WORKDIR NAMES...: copies files/folders of the data dir that are not the database
# (credential, data-protection keys) when they exist.
bk_copy_extras() {
  local datadir="$1" work="$2" name
  shift 2
  for name in "$@"; do
    if [ -e "$datadir/$name" ]; then cp -a "$datadir/$name" "$work/$name"; fi
  done
}

# bk_archive WORKDIR DEST NAME: packs WORKDIR's content into DEST/NAME.tar.gz (mode 0600, written under a
# temporary name and renamed), checks the archive reads back, and prints its path.
bk_archive() {
  local work="$1" dest="$2" name="$3" final part n=1
  final="$dest/$name.tar.gz"
  while [ -e "$final" ]; do
    n=$((n + 1))
    final="$dest/$name-$n.tar.gz"
  done
  part="$final.partial"
  (umask 077 && tar -C "$work" --owner=0 --group=0 -czf "$part" .) || bk_die "cannot write $part"
  tar -tzf "$part" >/dev/null || bk_die "$part does not read back"
  chmod 600 "$part"
  sync -f "$part" 2>/dev/null || true
  mv -f "$part" "$final"
  printf '%s\n' "$final"
}

# bk_prune DEST PREFIX KEEP: keeps the KEEP newest DEST/PREFIX-*.tar.gz, removes older ones.
bk_prune() {
  local dest="$1" prefix="$2" keep="$3" f
  [ "$keep" -gt 0 ] || return 0
  # names carry a UTC stamp, so name order is time order
  find "$dest" -maxdepth 1 -type f -name "$prefix-[0-9]*.tar.gz" -printf '%f\n' | LC_ALL=C sort -r | tail -n +"$((keep + 1))" |
    while IFS= read -r f; do
      rm -f "$dest/$f"
      bk_log "removed old backup $dest/$f"
    done
}

# bk_extract ARCHIVE WORKDIR: unpacks a backup archive made by bk_archive.
bk_extract() {
  local archive="$1" work="$2"
  [ -f "$archive" ] || bk_die "$archive does not exist" 2
  tar -C "$work" -xzf "$archive" || bk_die "$archive cannot be unpacked"
}

# bk_in_use FILE: true if a process has FILE (or its -wal/-shm) open. Needs root to see other users' processes.
bk_in_use() {
  local file hit
  file="$(readlink -f "$1")"
  hit="$(find /proc/[0-9]*/fd -maxdepth 1 \( -lname "$file" -o -lname "$file-wal" -o -lname "$file-shm" \) -print -quit 2>/dev/null || true)"
  [ -n "$hit" ]
}

# bk_systemd_unit_active UNIT: true if systemd runs UNIT.
bk_systemd_unit_active() {
  command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ] && systemctl is-active --quiet "$1"
}

# bk_env_value KEY FILE: the value of KEY=VALUE in an environment file (parsed, never sourced; quotes removed).
bk_env_value() {
  local key="$1" file="$2" line k v
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line#"${line%%[![:space:]]*}"}"
    case "$line" in '' | '#'*) continue ;; esac
    k="${line%%=*}"
    v="${line#*=}"
    [ "$k" = "$key" ] || continue
    case "$v" in
      \"*\") v="${v#\"}" v="${v%\"}" ;;
      \'*\') v="${v#\'}" v="${v%\'}" ;;
    esac
    printf '%s\n' "$v"
  done <"$file" | tail -n 1
}

# bk_pg_env CONNECTION_STRING: exports PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE from an Npgsql
# connection string (Host=...;Port=...;Username=...;Password=...;Database=...).
bk_pg_env() {
  local cs="$1" part key value
  local IFS=';'
  for part in $cs; do
    key="${part%%=*}"
    value="${part#*=}"
    key="$(printf '%s' "$key" | tr -d '[:space:]' | tr '[:upper:]' '[:lower:]')"
    case "$key" in
      host | server) export PGHOST="$value" ;;
      port) export PGPORT="$value" ;;
      username | userid | user | uid) export PGUSER="$value" ;;
      password | pwd) export PGPASSWORD="$value" ;;
      database | db) export PGDATABASE="$value" ;;
      sslmode) PGSSLMODE="$(printf '%s' "$value" | tr '[:upper:]' '[:lower:]')" && export PGSSLMODE ;;
    esac
  done
  [ -n "${PGDATABASE:-}" ] || bk_die "the connection string names no Database"
}

# bk_service_stop UNIT: stops UNIT if systemd runs it; sets BK_STOPPED=UNIT so that bk_service_start starts it again.
BK_STOPPED=""
bk_service_stop() {
  local unit="$1"
  [ -n "$unit" ] || return 0
  if bk_systemd_unit_active "$unit"; then
    bk_log "stopping $unit"
    systemctl stop "$unit" || bk_die "systemctl stop $unit failed"
    BK_STOPPED="$unit"
  fi
}
bk_service_start() {
  [ -n "$BK_STOPPED" ] || return 0
  bk_log "starting $BK_STOPPED"
  systemctl start "$BK_STOPPED" || bk_die "systemctl start $BK_STOPPED failed: see journalctl -u $BK_STOPPED"
}

# bk_install_sqlite NEW_DB DATADIR NAME FIX_SQL: puts NEW_DB in place as DATADIR/NAME. The current NAME, NAME-wal and
# NAME-shm (the damaged database) are moved, never deleted, to DATADIR/damaged-<UTC time>/. FIX_SQL runs on the new
# copy before it goes in place. The result belongs to the owner of DATADIR, mode 0600, and passes integrity_check.
bk_install_sqlite() {
  local new="$1" datadir="$2" name="$3" fix_sql="$4" owner aside f staged
  owner="$(stat -c %u:%g "$datadir")"
  bk_in_use "$datadir/$name" && bk_die "$datadir/$name is open in a running process: stop the node first"
  staged="$datadir/.$name.restoring"
  rm -f "$staged" "$staged-wal" "$staged-shm" "$staged-journal"
  cp "$new" "$staged"
  chmod 600 "$staged"
  [ "$(id -u)" -ne 0 ] || chown "$owner" "$staged"
  if [ -n "$fix_sql" ]; then
    bk_as_owner "$staged" "${BK_SQLITE[@]}" -bail "$staged" ".timeout $BK_SQLITE_TIMEOUT_MS" "$fix_sql" >/dev/null ||
      bk_die "cannot prepare the restored database"
  fi
  bk_sqlite_verify "$staged"
  aside=""
  for f in "$name" "$name-wal" "$name-shm" "$name-journal"; do
    if [ -e "$datadir/$f" ]; then
      if [ -z "$aside" ]; then
        aside="$datadir/damaged-$(bk_stamp)"
        mkdir -p "$aside"
        chmod 700 "$aside"
        [ "$(id -u)" -ne 0 ] || chown "$owner" "$aside"
      fi
      mv "$datadir/$f" "$aside/$f"
    fi
  done
  [ -z "$aside" ] || bk_log "moved the previous database aside to $aside (delete it once the node is back in service)"
  mv "$staged" "$datadir/$name"
  sync -f "$datadir/$name" 2>/dev/null || true
}

# bk_restore_extras WORKDIR DATADIR NAMES...: copies credential/keys from the backup where the data dir has none
# (the ones in the data dir are newer: a credential rotated after the backup stays).
bk_restore_extras() {
  local work="$1" datadir="$2" name owner
  shift 2
  owner="$(stat -c %u:%g "$datadir")"
  for name in "$@"; do
    [ -e "$work/$name" ] || continue
    if [ -e "$datadir/$name" ]; then
      bk_log "kept the existing $datadir/$name"
      continue
    fi
    cp -a "$work/$name" "$datadir/$name"
    [ "$(id -u)" -ne 0 ] || chown -R "$owner" "$datadir/$name"
    chmod -R go-rwx "$datadir/$name"
    bk_log "restored $datadir/$name"
  done
}

# bk_target_datadir DIR: the data directory a restore writes into, created (mode 0700) when missing; prints its full path.
bk_target_datadir() {
  local dir="$1"
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir"
    chmod 700 "$dir"
    bk_log "created $dir (owner $(id -un); chown it to the service account if that is another)"
  fi
  readlink -f "$dir"
}

# bk_require_stopped DBFILE SERVICE_HINT: refuses to go on while a process holds the database open.
bk_require_stopped() {
  if bk_in_use "$1"; then
    bk_die "$1 is open in a running process: stop it ($2) and retry"
  fi
}
