#!/usr/bin/env bash
# Set up (first time only) and start nianbao. Arguments are passed to the `nianbao` command.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
exec .venv/bin/nianbao "$@"
