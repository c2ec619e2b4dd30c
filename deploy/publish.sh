#!/usr/bin/env bash
# Publishes the hub and the edge web apps (Release) the way the demo and the E2E tests run them:
# `dotnet <out>/hub/EGovEdge.Hub.dll` and `dotnet <out>/edge/EGovEdge.Edge.dll`.
# The published output carries the Blazor static-asset manifest, so it works in Production.
#
# Usage: deploy/publish.sh [OUTPUT_ROOT]      (default: <repo>/artifacts/publish)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

out="${1:-$ROOT/artifacts/publish}"
mkdir -p "$out"
OUT="$(cd "$out" && pwd)" # absolute, relative paths are taken from the caller's directory
cd "$ROOT"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_CLI_UI_LANGUAGE="${DOTNET_CLI_UI_LANGUAGE:-en}"
# No MSBuild node reuse / build server: nothing may outlive the script.
export MSBUILDDISABLENODEREUSE="${MSBUILDDISABLENODEREUSE:-1}"
export DOTNET_CLI_USE_MSBUILD_SERVER="${DOTNET_CLI_USE_MSBUILD_SERVER:-0}"

publish() {
  local project="$1" dest="$OUT/$2" staging="$OUT/.$2.new"
  echo "==> dotnet publish $project -c Release -o $dest"
  # Publish into a fresh staging folder (no stale files) and swap it in only when the publish succeeded,
  # so a failed build never leaves the previous working output half-deleted.
  rm -rf "$staging"
  dotnet publish "$project" -c Release -o "$staging" --nologo
  rm -rf "$dest.old"
  if [ -d "$dest" ]; then mv "$dest" "$dest.old"; fi
  mv "$staging" "$dest"
  rm -rf "$dest.old"
}

publish hub/EGovEdge.Hub hub
publish edge/EGovEdge.Edge edge

echo "Published to $OUT (hub/EGovEdge.Hub.dll, edge/EGovEdge.Edge.dll)"
