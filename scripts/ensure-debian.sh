#!/usr/bin/env bash
# Makes sure a server program from Debian's packages is installed (PostgreSQL, Redis), for the
# tests and the scaled mode that run their own throw-away or local server. Installs from the
# system's package manager only; never starts or uses the system's own service.
#   ensure-debian.sh PACKAGE 'PROGRAM-GLOB' 'WHAT NEEDS IT'
set -euo pipefail
package=$1 program=$2 purpose=$3

found() { compgen -G "$program" >/dev/null; }

if found; then
  echo "$package: $(compgen -G "$program" | tail -1)"
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "$package is missing: installing Debian's $package package with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  "$(dirname "$0")/apt-update-once.sh" && apt-get install -y --no-install-recommends "$package" || true
  if found; then
    exit 0
  fi
fi

cat >&2 <<MSG
$purpose need Debian's $package package ($program), and it is missing. Install it with:
    sudo apt-get update && sudo apt-get install -y $package
MSG
exit 1
