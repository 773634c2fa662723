#!/usr/bin/env python3
"""Tests beside code (docs/internals.md), checked over the source tree.

Every non-test .cc under the source folders (SOURCE_DIRS) must have its unit
test beside it: `foo.cc` and `foo_test.cc` in the same folder. A file with no
logic of its own (a data table, libfmt's compiled part, test data) is listed
instead in tests/untested_sources.txt, one `path  # reason` per line; `#`
lines are comments. An entry without a reason, for a file that does not
exist, or for a file that now has its test fails the check, so the list
only holds what is still true.

    tests_beside_code_test.py SOURCE_DIR      check the tree
    tests_beside_code_test.py --self-test     check the checker on made-up trees

Exit status 0 when every file is tested or listed, 1 with one line per
problem, 2 on usage errors.
"""

import os
import sys
import tempfile

# The folders of topoc's own C++ (the layers of tests/include_rules_test.py);
# bench/, fuzz/ and tests/ are tests and tools themselves.
SOURCE_DIRS = ["support", "compiler", "thrift", "backends", "import", "config",
               "runtime", "deploy", "lsp", "cli"]
EXCEPTIONS = os.path.join("tests", "untested_sources.txt")


def read_exceptions(root):
    """{path: reason} from the exceptions list, and the problems in it."""
    listed, problems = {}, []
    path = os.path.join(root, EXCEPTIONS)
    if not os.path.exists(path):
        return listed, problems
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            source, _, reason = text.partition("#")
            source, reason = source.strip(), reason.strip()
            where = f"{EXCEPTIONS}:{number}"
            if not reason:
                problems.append(f"{where}: '{source}' needs a reason: `{source}  # why it has no test`")
            # Listed twice (two branches each adding it) is harmless.
            listed.setdefault(source, reason)
    return listed, problems


def sources(root):
    """Every non-test .cc under SOURCE_DIRS, as a /-separated relative path."""
    for top in SOURCE_DIRS:
        for folder, dirs, files in os.walk(os.path.join(root, top)):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.endswith(".cc") and not name.endswith("_test.cc"):
                    yield os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")


def check(root):
    listed, problems = read_exceptions(root)
    seen = set()
    for source in sources(root):
        seen.add(source)
        has_test = os.path.exists(os.path.join(root, source[:-3] + "_test.cc"))
        if has_test and source in listed:
            problems.append(f"{source}: has its test now; remove it from {EXCEPTIONS}")
        elif not has_test and source not in listed:
            problems.append(f"{source}: no {os.path.basename(source)[:-3]}_test.cc beside it; write one, "
                            f"or list the file in {EXCEPTIONS} with the reason it needs none")
    for source in sorted(set(listed) - seen):
        problems.append(f"{EXCEPTIONS}: '{source}' is not a source file of {', '.join(SOURCE_DIRS)}; "
                        "remove it from the list")
    return problems


def self_test():
    failures = []

    def expect(files, want, exceptions=None):
        with tempfile.TemporaryDirectory() as root:
            for path, text in files.items():
                os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
                with open(os.path.join(root, path), "w", encoding="utf-8") as f:
                    f.write(text)
            if exceptions is not None:
                os.makedirs(os.path.join(root, "tests"), exist_ok=True)
                with open(os.path.join(root, EXCEPTIONS), "w", encoding="utf-8") as f:
                    f.write(exceptions)
            got = check(root)
            if len(got) != len(want) or any(w not in g for g, w in zip(got, want)):
                failures.append(f"files {sorted(files)}: got {got}, want {want}")

    expect({"compiler/a.cc": "", "compiler/a_test.cc": ""}, [])
    expect({"compiler/a.cc": ""}, ["compiler/a.cc: no a_test.cc beside it"])
    # A test elsewhere does not count: it must sit beside its code.
    expect({"compiler/x/a.cc": "", "compiler/a_test.cc": ""}, ["compiler/x/a.cc: no a_test.cc"])
    expect({"compiler/a.cc": ""}, [], "# heading\n\ncompiler/a.cc  # a data table\n")
    expect({"compiler/a.cc": ""}, ["needs a reason"], "compiler/a.cc\n")
    expect({"compiler/a.cc": "", "compiler/a_test.cc": ""}, ["has its test now"], "compiler/a.cc  # x\n")
    expect({}, ["'cli/gone.cc' is not a source file"], "cli/gone.cc  # x\n")
    expect({"compiler/a.cc": ""}, [], "compiler/a.cc  # x\ncompiler/a.cc  # listed by another branch too\n")
    # Folders outside SOURCE_DIRS, and headers, are not checked.
    expect({"bench/b.cc": "", "fuzz/f.cc": "", "compiler/a.h": ""}, [])
    for failure in failures:
        print(f"self-test: {failure}")
    return 1 if failures else 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        print("usage: tests_beside_code_test.py SOURCE_DIR | --self-test", file=sys.stderr)
        return 2
    problems = check(argv[1])
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
