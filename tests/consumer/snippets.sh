#!/bin/bash
# The documentation's C code is compiled, tested code:
#   tests/consumer/snippets.sh SRCDIR
# Every ```c block of the pages below must appear verbatim (whitespace and
# #include lines aside) in tests/consumer/guide_example.c, which run.sh
# builds against the installed library and runs.  Edit a snippet in both
# places, or this fails.
# Prints "snippets: N passed, M failed".
set -u
src=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
python3 - "$src" <<'PY'
import re, sys, os
src = sys.argv[1]
pages = ["doc/guide.md", "doc/nbss.md", "doc/message.md", "doc/commands.md",
         "doc/errors.md", "doc/transactions.md", "doc/formats.md", "README.md"]
norm = lambda t: re.sub(r"\s+", " ", t).strip()
code = norm(open(os.path.join(src, "tests/consumer/guide_example.c")).read())
passed = failed = 0
for page in pages:
    path = os.path.join(src, page)
    if not os.path.exists(path):
        continue
    text = open(path).read()
    for n, m in enumerate(re.finditer(r"^```c\n(.*?)^```", text, re.S | re.M), 1):
        lines = [l for l in m.group(1).split("\n") if not l.startswith("#include")]
        snippet = norm("\n".join(lines))
        line = text[:m.start()].count("\n") + 1
        if snippet and snippet in code:
            passed += 1
        else:
            failed += 1
            print(f"FAIL: {page}:{line}: C block {n} is not in tests/consumer/guide_example.c")
print(f"snippets: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
