#!/usr/bin/env bash
# Installs the system packages the build and the test suite need, only when some are missing (Debian/apt).
set -euo pipefail
packages=(libexpat1-dev libldap-dev libkrb5-dev libssl-dev libsqlite3-dev pkg-config openssl python3-venv slapd ldap-utils
  krb5-kdc krb5-admin-server krb5-user libsasl2-modules-gssapi-mit)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
