#!/usr/bin/env bash
# Creates .venv with the Python test tools (slixmpp, pytest) when missing or out of date.
set -euo pipefail
venv=${VENV:-.venv}
req=Tests/Integration/requirements.txt
stamp="$venv/.requirements.stamp"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if [ ! -f "$stamp" ] || ! cmp -s "$req" "$stamp"; then
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
  cp "$req" "$stamp"
fi
