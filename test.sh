#!/usr/bin/env bash
# Set up (first time only) and run the whole test suite. Arguments go to pytest.
#
# Two passes, each test once: the window tests and the rest in this machine's locale, then
# the part marked gb18030 (command line, import, export, store, aggregate; list in
# tests/conftest.py) under LC_ALL=zh_CN.GB18030, where Python's default encoding is GB18030
# as on Chinese Windows. Both with PYTHONWARNDEFAULTENCODING=1: our code opening a file or
# pipe without naming its encoding fails (pyproject.toml, filterwarnings).
set -uo pipefail
cd "$(dirname "$0")"
scripts/setup.sh || exit 1
export QT_QPA_PLATFORM=offscreen PYTHONWARNDEFAULTENCODING=1
GB18030_LOCALE=zh_CN.GB18030

if ! locale -a 2>/dev/null | grep -qix 'zh_CN.gb18030'; then
  echo "test.sh: the locale $GB18030_LOCALE is missing (scripts/setup.sh installs it as root):" >&2
  echo "test.sh: running every test in this locale instead" >&2
  .venv/bin/python -m pytest "$@"
  rc=$?
  [ $rc -eq 5 ] && echo "test.sh: pytest collected no tests — that is a failure, not a pass" >&2 && rc=1
  exit $rc
fi

NIANBAO_TEST_PASS=main .venv/bin/python -m pytest "$@"
main=$?
echo "test.sh: now the tests marked gb18030, under LC_ALL=$GB18030_LOCALE (as on Chinese Windows)"
LC_ALL=$GB18030_LOCALE NIANBAO_TEST_PASS=gb18030 .venv/bin/python -m pytest "$@"
gb=$?
# 5 = no test selected in that pass (e.g. ./test.sh tests/test_rules.py): fine if the other ran some
if [ $main -eq 5 ] && [ $gb -eq 5 ]; then
  echo "test.sh: pytest collected no tests — that is a failure, not a pass" >&2
  exit 1
fi
for rc in $main $gb; do
  if [ $rc -ne 0 ] && [ $rc -ne 5 ]; then
    echo "test.sh: FAILED (this locale: exit $main; $GB18030_LOCALE: exit $gb)" >&2
    exit $rc
  fi
done
exit 0
