#!/usr/bin/env bash
# Installs the Debian packages the tests and screenshots need, when missing:
# tmux (the real-terminal test), librsvg2-bin and fonts (SVG -> PNG screenshots),
# prosody (the XMPP server the XMPP presence tests start on loopback),
# redis-server (the store several Twilio relays share: its tests and `make bench` start one on loopback),
# npm (fetches Twilio's pinned OpenAPI package for the contract tests: scripts/twilio_spec.py),
# faketime (libfaketime: a desk process whose clock jumps forward and back, tests/e2e/backends/test_clock_jumps.py),
# chromium (the headless browser Playwright drives against `agent-desktop serve`, tests/e2e/config/test_serve_browser.py),
# baresip-core (the SIP softphone the desk drives over ctrl_tcp), espeak-ng (a caller's voice) and sox (makes and
# measures the caller's WAV): a call heard end to end, tests/e2e/voice/, sip-tester (SIPp: 50 calls at once at the
# mock's SIP side, benchmarks/bench_sipp.py),
# request-tracker5, rt5-db-sqlite and rt5-standalone (Request Tracker 5, a CRM backend the contract tier starts on
# loopback with a SQLite database of its own: tests/support/request_tracker.py; about 260 packages, mostly Perl).
set -euo pipefail
needed=()
command -v tmux >/dev/null || needed+=(tmux)
command -v rsvg-convert >/dev/null || needed+=(librsvg2-bin)
[ -e /usr/share/fonts/truetype/firacode ] || needed+=(fonts-firacode)
dpkg -s fonts-symbola >/dev/null 2>&1 || needed+=(fonts-symbola)
command -v prosody >/dev/null || needed+=(prosody)
command -v redis-server >/dev/null || needed+=(redis-server)
command -v npm >/dev/null || needed+=(npm)
command -v faketime >/dev/null || needed+=(faketime)
command -v chromium >/dev/null || needed+=(chromium)
command -v baresip >/dev/null || needed+=(baresip-core)
command -v espeak-ng >/dev/null || needed+=(espeak-ng)
command -v sox >/dev/null || needed+=(sox)
command -v sipp >/dev/null || needed+=(sip-tester)
for package in request-tracker5 rt5-db-sqlite rt5-standalone; do
    dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed' || needed+=("$package")
done
[ ${#needed[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${needed[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# RT's package would make and initialise a database of its own through dbconfig-common: the tests make theirs, so
# the package is told not to (its question answered before it is asked).
if [[ " ${needed[*]} " == *" request-tracker5 "* ]]; then
    echo "request-tracker5 request-tracker5/dbconfig-install boolean false" | $SUDO debconf-set-selections
fi
$SUDO apt-get update -qq -o DPkg::Lock::Timeout=600 >/dev/null
$SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${needed[@]}" >/dev/null
