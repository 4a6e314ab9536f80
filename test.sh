#!/usr/bin/env bash
# Set up (first time only) and run the whole test suite. Arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")"
scripts/setup.sh || exit 1
export QT_QPA_PLATFORM=offscreen
.venv/bin/python -m pytest "$@"
rc=$?
if [ $rc -eq 5 ]; then
  echo "test.sh: pytest collected no tests — that is a failure, not a pass" >&2
  exit 1
fi
exit $rc
