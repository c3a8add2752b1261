#!/bin/bash
# Install what building, testing and the demo need (Debian 12).  Idempotent.
set -eu
pkgs="meson ninja-build pkg-config gcc clang check libsubunit-dev nettle-dev libpcap-dev
      samba smbclient tshark python3-impacket binutils iproute2
      abigail-tools doxygen g++ debhelper devscripts lintian dpkg-dev fakeroot valgrind gcovr"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  [ "$(id -u)" = 0 ] || { echo "run as root to install:$missing" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
