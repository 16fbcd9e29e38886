#!/usr/bin/env bash
# End-to-end test of Fusion Lens installed from its VSIX into a real VS Code (code-server), driven by Chromium.
# Usage: bash test/e2e/run.sh            SKIP_APT=1 skips apt-get; E2E_PREPARE_ONLY=1 stops after installing code-server;
#                                        E2E_DRIVER=<script.mjs> drives the workbench with another script (e.g. test/e2e/wasmTiming.mjs).
# code-server lives in a cache folder (.e2e/) outside the project's npm deps and is reused by later runs.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${E2E_CACHE:-$ROOT/.e2e}
CS_VERSION=4.100.3          # newest code-server on Node 20 (= VS Code 1.100.3)
RG_PKG_VERSION=1.15.11      # @vscode/ripgrep version pinned by code-server 4.100.3
PORT=${PORT:-8137}
START=$SECONDS
step() { echo "=== [e2e $((SECONDS-START))s] $*"; }

CS_DIR=$CACHE/code-server-$CS_VERSION
CS="$CS_DIR/node_modules/.bin/code-server"
mkdir -p "$CACHE"

if [ -z "${SKIP_APT:-}" ] && { ! command -v chromium >/dev/null || ! command -v rg >/dev/null || [ ! -x "$CS" ]; }; then
  step "apt: chromium + native build deps for code-server"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    chromium libkrb5-dev pkg-config ripgrep build-essential python3 curl >/dev/null
fi

if [ ! -x "$CS" ] || [ ! -f "$CS_DIR/.complete" ]; then
  step "install code-server@$CS_VERSION into $CS_DIR (once; kept between runs)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"/{home,tmp,npm-cache,rg}
  # node-gyp would download Node headers from nodejs.org (unreachable): use the system ones.
  [ -f /usr/include/node/node.h ] || { echo "ERROR: /usr/include/node headers missing"; exit 1; }
  # @vscode/ripgrep's postinstall downloads from GitHub; seed its cache with Debian's rg instead.
  mkdir -p "$CS_DIR/tmp/vscode-ripgrep-cache-$RG_PKG_VERSION"
  cp "$(command -v rg)" "$CS_DIR/rg/rg"
  tar czf "$CS_DIR/tmp/vscode-ripgrep-cache-$RG_PKG_VERSION/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$CS_DIR/rg" rg
  echo '{"private":true}' > "$CS_DIR/package.json"
  ( cd "$CS_DIR" && HOME=$CS_DIR/home TMPDIR=$CS_DIR/tmp npm_config_cache=$CS_DIR/npm-cache \
      npm_config_nodedir=/usr npm_config_unsafe_perm=true npm_config_yes=true \
      npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false \
      npm install --no-save "code-server@$CS_VERSION" > "$CS_DIR/install.log" 2>&1 ) \
    || { tail -40 "$CS_DIR/install.log"; exit 1; }
  touch "$CS_DIR/.complete"
fi
step "code-server $("$CS" --version --config /dev/null 2>/dev/null | head -1)"
[ -n "${E2E_PREPARE_ONLY:-}" ] && exit 0

# Per-run state lives in .e2e/run (fresh each time); screenshots go to .e2e/run/screenshots unless E2E_OUT is set.
W=$CACHE/run
OUT=${E2E_OUT:-$W/screenshots}
rm -rf "$W"; mkdir -p "$W"/{home,tmp,ud/User,ext,ws} "$OUT"
export HOME=$W/home XDG_CONFIG_HOME=$W/home/.config XDG_DATA_HOME=$W/home/.local/share XDG_CACHE_HOME=$W/home/.cache TMPDIR=$W/tmp

step "package the VSIX (npm run package)"
cd "$ROOT"
npm run --silent package > "$W/package.log" 2>&1 || { tail -40 "$W/package.log"; exit 1; }
VSIX=$ROOT/fusion-lens.vsix
echo "VSIX $(du -h "$VSIX" | cut -f1) ($(stat -c %s "$VSIX") bytes)"

CSARGS=(--config "$W/cs-config.yaml" --user-data-dir "$W/ud" --extensions-dir "$W/ext")
step "install the VSIX into code-server"
"$CS" "${CSARGS[@]}" --install-extension "$VSIX" > "$W/install-ext.log" 2>&1 || { cat "$W/install-ext.log"; exit 1; }
"$CS" "${CSARGS[@]}" --list-extensions --show-versions

# Settings that keep modal UI away, plus the dimensions the symbolic input spec takes.
cat > "$W/ud/User/settings.json" <<'JSON'
{
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.tips.enabled": false,
  "extensions.ignoreRecommendations": true,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "workbench.enableExperiments": false,
  "editor.hover.delay": 150,
  "editor.minimap.enabled": false,
  "files.simpleDialog.enable": true,
  "git.openRepositoryInParentFolders": "never",
  "window.dialogStyle": "custom",
  "fusionLens.dimensions": { "B": 4, "H": 256, "W": 256 },
  "fusionLens.seed": 7
}
JSON
cp "$ROOT"/examples/*.py "$W/ws/"
cp "$ROOT"/test/fixtures/onnx/example_fpn_segmenter.onnx "$W/ws/"
# An image to feed the models; a checkpoint for AttentionFusionNet, added by the driver once the seeded runs are done.
cp "$ROOT"/media/icon.png "$W/ws/sample.png"

step "start code-server on 127.0.0.1:$PORT"
"$CS" "${CSARGS[@]}" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust "$W/ws" > "$W/code-server.log" 2>&1 &
CS_PID=$!
trap 'kill $CS_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.5; done

step "drive the workbench with Chromium (screenshots: $OUT)"
set +e
timeout 1200 node "${E2E_DRIVER:-$ROOT/test/e2e/driveWorkbench.mjs}" "http://127.0.0.1:$PORT/?folder=$W/ws" "$OUT" "$W/ws"
RC=$?
set -e
LOG=$(ls "$W"/ud/logs/*/exthost*/*/*Fusion\ Lens.log 2>/dev/null | head -1 || true)
if [ -n "$LOG" ]; then
  step "extension log ($LOG)"
  cat "$LOG"
  cp "$LOG" "$OUT/fusion-lens.log"
fi
step "done rc=$RC; screenshots in $OUT"
exit $RC
