#!/usr/bin/env bash
# apt-install.sh WHO PACKAGE... - installs Debian packages with apt-get,
# through sudo when not root; WHO names the caller in its messages.  With
# no package, says that everything is there and installs nothing.
set -euo pipefail
who=$1
shift
if [ $# -eq 0 ]; then
  echo "$who: everything is installed"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "$who: installing $*"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
