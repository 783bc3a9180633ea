#!/usr/bin/env bash
# Install the real Mermaid renderer for notesync's tests: mermaid-cli (mmdc, pinned in
# package.json / package-lock.json) driving Debian's headless /usr/bin/chromium.
#
# Idempotent; meant to run as root (CI and the dev machines are root, no sudo). Run from anywhere:
#     bash tests/mermaid/install.sh
# Puppeteer never downloads a browser here (PUPPETEER_SKIP_DOWNLOAD=1): it is pointed at
# /usr/bin/chromium by tests/mermaid/puppeteer-config.json.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CHROMIUM=/usr/bin/chromium
MMDC="$HERE/node_modules/.bin/mmdc"

export DEBIAN_FRONTEND=noninteractive
export PUPPETEER_SKIP_DOWNLOAD=1

say() { printf '[mermaid-install] %s\n' "$*"; }
die() { printf '[mermaid-install] ERROR: %s\n' "$*" >&2; exit 1; }

APT_UPDATED=0
apt_install() {
    [ "$(id -u)" -eq 0 ] || die "need root to apt-get install $* (no sudo is used)"
    if [ "$APT_UPDATED" -eq 0 ]; then
        say "apt-get update"
        apt-get update -q || die "apt-get update failed"
        APT_UPDATED=1
    fi
    say "apt-get install -y $*"
    apt-get install -y -q "$@" || die "apt-get install $* failed"
}

# 1. Node.js + npm (the project's machines ship Node 20; Debian's own nodejs 18.19+ also satisfies
#    mermaid-cli 11 and puppeteer 24).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    say "node/npm not found"
    apt_install nodejs npm
fi
say "node $(node --version), npm $(npm --version)"

# 2. Debian's Chromium.
if [ -x "$CHROMIUM" ]; then
    say "chromium present: $CHROMIUM"
else
    say "chromium missing: installing Debian's chromium package"
    apt_install chromium
    [ -x "$CHROMIUM" ] || die "$CHROMIUM still missing after apt-get install chromium"
fi
# The Debian launcher script may print a harmless '[: ...: unexpected operator' line (its /dev/shm check).
say "$("$CHROMIUM" --version 2>/dev/null || true)"

# 3. mermaid-cli from the lock file. Re-run npm ci when mmdc is missing or the lock file changed
#    after the last install (npm keeps its own copy in node_modules/.package-lock.json).
if [ ! -x "$MMDC" ] || [ "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]; then
    say "PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix $HERE"
    npm ci --prefix "$HERE" --no-audit --no-fund || die "npm ci failed"
    [ -x "$MMDC" ] || die "npm ci finished but $MMDC is missing"
else
    say "mmdc already installed: $MMDC"
fi
say "mmdc $("$MMDC" --version)"

# 4. Smoke test: one real render, so a broken browser/puppeteer pairing fails here, loudly.
SMOKE="$(mktemp -d)"
trap 'rm -rf "$SMOKE"' EXIT
printf 'flowchart LR\n  A["smoke (ok)"] --> B\n' >"$SMOKE/smoke.mmd"
say "smoke render"
if ! "$MMDC" -q -p "$HERE/puppeteer-config.json" -i "$SMOKE/smoke.mmd" -o "$SMOKE/smoke.svg"; then
    die "mmdc smoke render failed"
fi
grep -q 'smoke (ok)' "$SMOKE/smoke.svg" || die "smoke SVG lacks its label"
say "ok: mermaid renderer ready"
