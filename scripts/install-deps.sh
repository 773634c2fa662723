#!/usr/bin/env bash
# Installs everything topoc needs to build, test and run, from Debian 12 packages.
# Idempotent: installs only what is missing; runs `apt-get update` at most once.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  antlr4 libantlr4-runtime-dev
  thrift-compiler libthrift-dev libboost-dev
  libfmt-dev nlohmann-json3-dev doctest-dev libcli11-dev libzip-dev zip unzip
  python3 python3-yaml python3-venv python3-pip python3-wheel-whl python3-msgpack python3-pytest
  clojure graphviz perl
  openssh-server openssh-client
  clang libclang-rt-14-dev ccache
  libgoogle-perftools-dev
  neovim
  libcpp-httplib-dev chromium
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
