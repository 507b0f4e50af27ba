#!/usr/bin/env bash
# Installs the system packages the build and the test suite need, only when some are missing (Debian/apt).
set -euo pipefail
packages=(libexpat1-dev libldap-dev libkrb5-dev libssl-dev libsqlite3-dev pkg-config openssl python3-venv slapd ldap-utils
  krb5-kdc krb5-admin-server krb5-user libsasl2-modules-gssapi-mit
  prosody ejabberd)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # prosody and ejabberd are only run by the s2s interop tests, as the tests' own processes on loopback: keep the
  # packages from starting system services (which would take ports 5222/5269/5280) while they install.
  policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    trap '$SUDO rm -f "$policy"' EXIT
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
    $SUDO chmod 755 "$policy"
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
