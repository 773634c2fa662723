#!/usr/bin/env python3
"""Tests beside code (docs/internals.md): every non-test .cc of the source
folders has a `foo_test.cc` next to its `foo.cc`, unless
tests/untested_sources.txt lists it (`path  # reason`, one a line). A listed
file that is gone or now has its test fails too, so the list only shrinks.
cli/cmd_test.cc is `topoc test`, a subcommand: its test is cmd_test_test.cc.

    tests_beside_code_test.py SOURCE_DIR    check the tree
    tests_beside_code_test.py --self-test   check the checker on made-up trees

Exit status 0 when every source has its test or a reason, 1 with one line
per problem, 2 on usage errors.
"""

import os
import sys
import tempfile

NOT_SOURCES = {"tests", "bench", "fuzz"}  # suites and tools, tests themselves
LIST = "tests/untested_sources.txt"


def is_source(path, files):
    """A .cc that is not a test; cli/cmd_test.cc (`topoc test`) is one."""
    name = os.path.basename(path)
    if not name.endswith(".cc"):
        return False
    if not name.endswith("_test.cc"):
        return True
    return path.startswith("cli/cmd_") and path[:-len("_test.cc")] + ".cc" not in files


def check(root):
    files = set()
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root).replace(os.sep, "/")
        # build*/ at the top are build trees; nothing at the top is compiled.
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and not
                       (rel == "." and (d in NOT_SOURCES or d.startswith("build")))]
        if rel != ".":
            files.update(rel + "/" + f for f in filenames)
    listed = {}
    path = os.path.join(root, LIST)
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                entry, _, reason = line.partition("#")
                if entry.strip():
                    listed[entry.strip()] = (number, reason.strip())
    problems = []
    for src in sorted(f for f in files if is_source(f, files)):
        test = src[:-3] + "_test.cc"
        if test in files and src in listed:
            problems.append("%s:%d: %s has its test now (%s): remove it from the list"
                            % (LIST, listed[src][0], src, test))
        elif test not in files and src not in listed:
            problems.append("%s: no %s beside it; write one, or list the file with a reason in %s"
                            % (src, os.path.basename(test), LIST))
    for src, (number, reason) in sorted(listed.items()):
        if src not in files:
            problems.append("%s:%d: %s does not exist" % (LIST, number, src))
        elif not reason:
            problems.append("%s:%d: %s has no reason (`path  # reason`)" % (LIST, number, src))
    return problems


def self_test():
    cases = [
        ({"a/x.cc": "", "a/x_test.cc": "", "a/y.cc": "", LIST: "a/y.cc  # a table\n",
          "tests/t.cc": "", "build/g.cc": ""}, []),
        ({"a/x.cc": ""}, ["a/x.cc: no x_test.cc beside it"]),
        ({"cli/cmd_test.cc": "", "cli/cmd_run.cc": "", "cli/cmd_run_test.cc": ""},
         ["cli/cmd_test.cc: no cmd_test_test.cc beside it"]),
        ({"a/x.cc": "", "a/x_test.cc": "", LIST: "a/x.cc  # old\n"},
         [LIST + ":1: a/x.cc has its test now"]),
        ({LIST: "\n# heading\na/gone.cc  # moved\n"}, [LIST + ":3: a/gone.cc does not exist"]),
        ({"a/x.cc": "", LIST: "a/x.cc\n"}, [LIST + ":1: a/x.cc has no reason"]),
    ]
    failures = 0
    for files, expected in cases:
        with tempfile.TemporaryDirectory() as root:
            for p, text in files.items():
                os.makedirs(os.path.join(root, os.path.dirname(p)), exist_ok=True)
                with open(os.path.join(root, p), "w") as f:
                    f.write(text)
            got = check(root)
        if len(got) != len(expected) or not all(g.startswith(e) for g, e in zip(got, expected)):
            failures += 1
            print("self-test: for %s\n  expected %s\n  got      %s" % (sorted(files), expected, got))
    if failures:
        return 1
    print("tests beside code self-test: %d cases pass" % len(cases))
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        print("usage: tests_beside_code_test.py SOURCE_DIR | --self-test", file=sys.stderr)
        return 2
    problems = check(argv[1])
    for p in problems:
        print(p)
    if problems:
        print("%d source(s) without a test beside them (docs/internals.md)" % len(problems))
        return 1
    print("every source has its test beside it or a reason in " + LIST)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
