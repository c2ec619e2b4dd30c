#!/usr/bin/env bash
# Self-contained installation packages of the hub and the edge: no .NET runtime needed on the target machine.
#
#   deploy/package.sh [linux-x64|win-x64|all] [OUTPUT_ROOT]      (default: all, <repo>/artifacts/packages)
#
# For each runtime (RID) and app it writes
#   OUTPUT_ROOT/<rid>/hub/  and  OUTPUT_ROOT/<rid>/edge/     one folder: the native launcher (EGovEdge.Hub[.exe],
#                                                            EGovEdge.Edge[.exe]), the runtime, wwwroot, and deploy/
#                                                            with the config template, service definition and scripts
#   OUTPUT_ROOT/egovedge-<app>-<version>-<rid>.tar.gz        (linux-x64)  or  .zip (win-x64), holding that folder
#                                                            as <app>/ (tar -C /opt/egov -xzf ... gives /opt/egov/edge,
#                                                            the path the systemd units use); plus SHA256SUMS
#
# The runtime packs (Microsoft.NETCore.App.Runtime.<rid>, Microsoft.AspNetCore.App.Runtime.<rid>,
# Microsoft.NETCore.App.Host.<rid>) are restored from the NuGet feed like any package. Builds go to a private
# artifacts path, so this never touches the bin/ and obj/ folders of a developer's build.
# deploy/publish.sh (framework-dependent, for the demo and the tests) is a different thing and stays as it is.
#
# Environment: EGOV_VERSION (default: git describe, else "dev"), EGOV_PACKAGE_BUILD_DIR (default OUTPUT_ROOT/.build).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 2
}

target="${1:-all}"
case "$target" in
  linux-x64) rids=(linux-x64) ;;
  win-x64) rids=(win-x64) ;;
  all) rids=(linux-x64 win-x64) ;;
  -h | --help)
    sed -n '2,18p' "$0"
    exit 0
    ;;
  *) die "unknown target '$target': linux-x64, win-x64 or all" ;;
esac

out="${2:-$ROOT/artifacts/packages}"
mkdir -p "$out"
OUT="$(cd "$out" && pwd)"
BUILD="${EGOV_PACKAGE_BUILD_DIR:-$OUT/.build}"
mkdir -p "$BUILD"
BUILD="$(cd "$BUILD" && pwd)"
cd "$ROOT"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_CLI_UI_LANGUAGE="${DOTNET_CLI_UI_LANGUAGE:-en}"
# No MSBuild node reuse / build server: nothing may outlive the script.
export MSBUILDDISABLENODEREUSE="${MSBUILDDISABLENODEREUSE:-1}"
export DOTNET_CLI_USE_MSBUILD_SERVER="${DOTNET_CLI_USE_MSBUILD_SERVER:-0}"
export UseSharedCompilation="${UseSharedCompilation:-false}"

command -v dotnet >/dev/null 2>&1 || die "dotnet is not on PATH"
command -v tar >/dev/null 2>&1 || die "tar is missing"

version="${EGOV_VERSION:-}"
if [ -z "$version" ]; then
  version="$(git -C "$ROOT" describe --tags --always --dirty 2>/dev/null || true)"
  version="${version:-dev}"
fi
version="${version//\//-}"

make_zip() { # make_zip ZIPFILE DIR_PARENT DIR_NAME
  local zipfile="$1" parent="$2" name="$3"
  rm -f "$zipfile"
  if command -v zip >/dev/null 2>&1; then
    (cd "$parent" && zip -qr -X "$zipfile" "$name")
  elif command -v python3 >/dev/null 2>&1; then
    python3 - "$zipfile" "$parent" "$name" <<'PY'
import os, sys, zipfile
zf, parent, name = sys.argv[1:4]
with zipfile.ZipFile(zf, "w", zipfile.ZIP_DEFLATED) as z:
    for d, _, files in os.walk(os.path.join(parent, name)):
        for f in sorted(files):
            p = os.path.join(d, f)
            z.write(p, os.path.relpath(p, parent))
PY
  else
    die "neither zip nor python3 is available to write $zipfile (apt-get install zip)"
  fi
}

# package RID APP PROJECT EXE
package() {
  local rid="$1" app="$2" project="$3" exe="$4"
  local dest="$OUT/$rid/$app" started=$SECONDS
  echo "==> $app for $rid: dotnet publish $project -r $rid --self-contained"
  rm -rf "$dest"
  # Single folder (not single-file): the content root keeps wwwroot/ and appsettings.json next to the launcher.
  dotnet publish "$project" -c Release -r "$rid" --self-contained true -o "$dest" --nologo \
    --artifacts-path "$BUILD" \
    -p:PublishSingleFile=false -p:PublishTrimmed=false -p:PublishReadyToRun=false \
    -p:GenerateDocumentationFile=false

  [ -f "$dest/$exe" ] || die "$dest/$exe was not produced"
  [ -d "$dest/wwwroot" ] || die "$dest/wwwroot is missing"

  # Config template, service definition, backup/restore scripts.
  local d="$dest/deploy"
  mkdir -p "$d"
  cp deploy/config/"$app".env.example "$d/"
  if [ "$rid" = win-x64 ]; then
    if [ "$app" = edge ]; then cp deploy/windows/install-edge-service.ps1 "$d/"; fi
  else
    if [ "$app" = edge ]; then
      cp deploy/systemd/egov-edge@.service deploy/systemd/egov-edge-backup@.service deploy/systemd/egov-edge-backup@.timer "$d/"
    else
      cp deploy/systemd/egov-hub.service deploy/systemd/egov-hub-backup.service deploy/systemd/egov-hub-backup.timer "$d/"
    fi
    cp deploy/lib-backup.sh deploy/backup-"$app".sh deploy/restore-"$app".sh "$d/"
    chmod 755 "$d"/*.sh "$dest/$exe"
  fi
  {
    echo "EGovEdge $app $version for $rid (self-contained: no .NET runtime needed)"
    echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) from $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "Installation: see 'Operating in production' in the project README; templates and service files are in deploy/."
  } >"$dest/PACKAGE.txt"

  # Archive: one top-level folder named like the app, as installed: /opt/egov/edge, C:\EGovEdge\edge.
  local base="egovedge-$app-$version-$rid" archive
  if [ "$rid" = win-x64 ]; then
    archive="$OUT/$base.zip"
    make_zip "$archive" "$OUT/$rid" "$app"
  else
    archive="$OUT/$base.tar.gz"
    tar -C "$OUT/$rid" --owner=0 --group=0 -czf "$archive" "$app"
  fi
  echo "    $dest ($(du -sh "$dest" | cut -f1)), $(basename "$archive") ($(du -h "$archive" | cut -f1)), $((SECONDS - started)) s"
}

for rid in "${rids[@]}"; do
  exe_suffix=""
  [ "$rid" = win-x64 ] && exe_suffix=".exe"
  # Older archives of this RID would be confusing next to the new ones.
  rm -f "$OUT"/egovedge-hub-*-"$rid".* "$OUT"/egovedge-edge-*-"$rid".*
  package "$rid" hub hub/EGovEdge.Hub "EGovEdge.Hub$exe_suffix"
  package "$rid" edge edge/EGovEdge.Edge "EGovEdge.Edge$exe_suffix"
done

(cd "$OUT" && find . -maxdepth 1 -name 'egovedge-*' -type f \( -name '*.tar.gz' -o -name '*.zip' \) -printf '%f\n' |
  LC_ALL=C sort | xargs -r sha256sum >SHA256SUMS)
echo "Packages in $OUT:"
(cd "$OUT" && cat SHA256SUMS)
