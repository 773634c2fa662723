#!/usr/bin/python3
"""End-to-end tests of `topoc fmt`: in place, --check, --stdout, stdin,
folders, files that do not parse, exit codes.

Usage: fmt_cli_test.py TOPOC SOURCE_DIR
"""
import os
import subprocess
import sys
import tempfile
import unittest

TOPOC = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "topoc"
ROOT = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

MESSY = 'topology t{spout s=python "a.B"{output(x);parallelism 2}  // why\n}\n'
CLEAN = 'topology t {\n    spout s = python "a.B" { output (x) parallelism 2 }  // why\n}\n'


def topoc(*args, cwd=None, stdin=None):
    env = dict(os.environ, NO_COLOR="1")
    p = subprocess.run([TOPOC, *args], cwd=cwd, input=stdin, capture_output=True, env=env, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


class FmtCli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        os.makedirs(os.path.join(self.dir, "topologies", "sub"))
        with open(os.path.join(self.dir, "config.json"), "w") as f:
            f.write("{}\n")
        self.a = os.path.join(self.dir, "topologies", "a.topo")
        self.b = os.path.join(self.dir, "topologies", "sub", "b.topo")
        for p in (self.a, self.b):
            with open(p, "w") as f:
                f.write(MESSY)

    def tearDown(self):
        self.tmp.cleanup()

    def read(self, p):
        with open(p) as f:
            return f.read()

    def test_check_lists_and_changes_nothing(self):
        rc, out, err = topoc("fmt", "--check", os.path.join(self.dir, "topologies"))
        self.assertEqual(rc, 1)
        self.assertEqual(out.splitlines(), [self.a, self.b])
        self.assertEqual(self.read(self.a), MESSY)

    def test_in_place_then_check_passes(self):
        rc, out, err = topoc("fmt", self.dir)
        self.assertEqual((rc, out, err), (0, "", ""))
        self.assertEqual(self.read(self.a), CLEAN)
        self.assertEqual(self.read(self.b), CLEAN)
        mtime = os.stat(self.a).st_mtime_ns
        rc, out, _ = topoc("fmt", "--check", self.dir)
        self.assertEqual((rc, out), (0, ""))
        rc, _, _ = topoc("fmt", self.a)  # already formatted: not rewritten
        self.assertEqual(rc, 0)
        self.assertEqual(os.stat(self.a).st_mtime_ns, mtime)

    def test_no_arguments_formats_the_project(self):
        rc, _, _ = topoc("fmt", cwd=self.dir)
        self.assertEqual(rc, 0)
        self.assertEqual(self.read(self.a), CLEAN)
        self.assertEqual(self.read(self.b), MESSY)  # topologies/*.topo only, like topoc check

    def test_stdout_and_stdin(self):
        rc, out, _ = topoc("fmt", "--stdout", self.a)
        self.assertEqual((rc, out), (0, CLEAN))
        self.assertEqual(self.read(self.a), MESSY)
        rc, out, _ = topoc("fmt", "-", stdin=MESSY.encode())
        self.assertEqual((rc, out), (0, CLEAN))

    def test_syntax_errors_are_reported_and_the_file_left_alone(self):
        with open(self.a, "w") as f:
            f.write("topology t { spout = }\n")
        rc, out, err = topoc("fmt", self.a, self.b)
        self.assertEqual(rc, 1)
        self.assertIn("error[E0001]", err)
        self.assertEqual(self.read(self.a), "topology t { spout = }\n")
        self.assertEqual(self.read(self.b), CLEAN)  # the other file is still formatted

    def test_usage_errors(self):
        rc, _, err = topoc("fmt", os.path.join(self.dir, "nope.topo"))
        self.assertEqual(rc, 2)
        self.assertIn("no such file or folder", err)
        rc, _, err = topoc("fmt", "--check", "--stdout", self.a)
        self.assertEqual(rc, 2)
        with tempfile.TemporaryDirectory() as empty:
            rc, _, err = topoc("fmt", cwd=empty)
            self.assertEqual(rc, 2)
            self.assertIn("no project found", err)

    def test_repository_examples_and_stdlib_are_formatted(self):
        rc, out, err = topoc("fmt", "--check", os.path.join(ROOT, "examples"), os.path.join(ROOT, "stdlib"))
        self.assertEqual((rc, out, err), (0, "", ""))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
