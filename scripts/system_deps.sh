#!/usr/bin/env bash
# The Debian packages Mist needs beside Python and npm packages. To run (no argument or
# `run`): Pango, HarfBuzz's subsetter and fonts with Cyrillic (WeasyPrint's PDFs), and
# pip and npm when the machine has none. To test (`test`), also Debian's chromium
# (browser tests), poppler-utils (pdftoppm looks at generated PDFs) and gettext
# (msgfmt, msgen). Installs what is missing when run as root;
# otherwise prints the one command to run and fails. A machine that has everything
# pays one dpkg-query call.
set -euo pipefail

packages=(fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
[ "${1:-run}" = test ] && packages+=(chromium poppler-utils gettext)
command -v npm >/dev/null 2>&1 || packages+=(npm)
command -v uv >/dev/null 2>&1 || [ -x "$HOME/.local/bin/uv" ] \
  || python3 -m pip --version >/dev/null 2>&1 || packages+=(python3-pip)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps: not a Debian system; install the equivalents of: ${packages[*]}" >&2
  exit 0
fi

installed=" $({ dpkg-query -W -f='${db:Status-Status} ${Package}\n' "${packages[@]}" \
  2>/dev/null || true; } | sed -n 's/^installed //p' | tr '\n' ' ') "
missing=()
for name in "${packages[@]}"; do
  [[ "$installed" == *" $name "* ]] || missing+=("$name")
done
[ ${#missing[@]} -eq 0 ] && exit 0

install="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages; run: sudo sh -c '$install'" >&2
  exit 1
fi
echo "== installing Debian packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
