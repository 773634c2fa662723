#!/usr/bin/python3
"""End-to-end tests of `topoc check` and `topoc explain` options and exit codes.

Usage: check_cli_test.py TOPOC SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

TOPOC = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "topoc"
ROOT = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = os.path.join(ROOT, "tests", "check")


def topoc(*args, cwd=None, stdin=None):
    env = dict(os.environ, NO_COLOR="1")
    env.pop("TOPOC_PATH", None)
    p = subprocess.run([TOPOC, *args], cwd=cwd or CASES, input=stdin, capture_output=True,
                       env=env, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


class CheckCli(unittest.TestCase):
    def test_clean_file_exits_0_silently(self):
        rc, out, err = topoc("check", "ok-structure.topo")
        self.assertEqual((rc, out, err), (0, "", ""))

    def test_warnings_pass_unless_werror(self):
        rc, _, err = topoc("check", "W0302-unconsumed-stream.topo")
        self.assertEqual(rc, 0)
        self.assertIn("warning[W0302]", err)
        rc, _, err = topoc("check", "--werror", "W0302-unconsumed-stream.topo")
        self.assertEqual(rc, 1)
        self.assertIn("warning[W0302]", err)

    def test_errors_exit_1(self):
        rc, _, err = topoc("check", "E0201-unknown-component.topo")
        self.assertEqual(rc, 1)
        self.assertIn("error[E0201]", err)

    def test_several_files_in_one_run(self):
        rc, out, _ = topoc("check", "--format", "json", "E0201-unknown-component.topo",
                           "E0203-unknown-field.topo", "ok-config.topo")
        self.assertEqual(rc, 1)
        codes = [json.loads(line)["code"] for line in out.splitlines()]
        # Each file's own error, and E0210: all three name their topology `t`.
        self.assertEqual(codes, ["E0201", "E0210", "E0203", "E0210"])

    def test_json_goes_to_stdout_one_object_per_line(self):
        rc, out, err = topoc("check", "--format", "json", "E0401-config-type.topo")
        self.assertEqual(rc, 1)
        self.assertEqual(err, "")
        lines = out.splitlines()
        self.assertEqual(len(lines), 4)
        for line in lines:
            d = json.loads(line)
            self.assertEqual(set(d), {"level", "code", "message", "spans", "children", "rendered"})

    def test_stdin_filename(self):
        src = open(os.path.join(CASES, "E0203-unknown-field.topo"), "rb").read()
        rc, out, _ = topoc("check", "--format", "json", "--stdin-filename", "unsaved.topo", stdin=src)
        self.assertEqual(rc, 1)
        d = json.loads(out.splitlines()[0])
        self.assertEqual(d["code"], "E0203")
        self.assertEqual(d["spans"][0]["file_name"], "unsaved.topo")

    def test_stdin_imports_resolve_against_the_named_folder(self):
        src = b'import "lib/templates.topo"\ntopology t { spout s = word-spout\n bolt b = python "b.B" { input s shuffle } }\n'
        rc, out, err = topoc("check", "--stdin-filename", os.path.join(CASES, "buffer.topo"), stdin=src)
        self.assertEqual((rc, err), (0, ""))

    def test_stdlib_dir_option(self):
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "mine.topo"), "w") as f:
                f.write('template mine = python "m.Mine" { output (x) }\n')
            with open(os.path.join(tmp, "t.topo"), "w") as f:
                f.write('import "mine.topo"\ntopology t { spout s = mine\n bolt b = python "b.B" { input s shuffle } }\n')
            lib = os.path.join(tmp, "lib")
            os.mkdir(lib)
            os.rename(os.path.join(tmp, "mine.topo"), os.path.join(lib, "mine.topo"))
            rc, _, err = topoc("check", "t.topo", cwd=tmp)
            self.assertEqual(rc, 1)
            self.assertIn("E0101", err)
            rc, _, err = topoc("check", "--stdlib", lib, "t.topo", cwd=tmp)
            self.assertEqual((rc, err), (0, ""))

    def test_project_folder_and_default_project(self):
        project = os.path.join(CASES, "pyproject")
        rc, _, err = topoc("check", project)
        self.assertEqual(rc, 0)
        self.assertIn("W0304", err)
        self.assertIn("W0305", err)
        # From inside the project: the same diagnostics. Files under the
        # current folder are named relative to it, others in full.
        rc, _, err2 = topoc("check", cwd=os.path.join(project, "src"))
        shown = os.path.join(project, "topologies") + os.sep
        self.assertEqual((rc, err2), (0, err.replace("pyproject/topologies/", shown)))
        rc, _, err3 = topoc("check", cwd=project)
        self.assertEqual((rc, err3), (0, err.replace("pyproject/topologies/", "topologies/")))

    def test_usage_and_io_errors_exit_2(self):
        with tempfile.TemporaryDirectory() as tmp:
            rc, _, err = topoc("check", cwd=tmp)
            self.assertEqual(rc, 2)
            self.assertIn("no project found", err)
        rc, _, err = topoc("check", "does-not-exist.topo")
        self.assertEqual(rc, 2)
        rc, _, err = topoc("check", "--format", "xml", "ok-config.topo")
        self.assertEqual(rc, 2)
        self.assertIn("--format", err)

    def test_examples_check_clean(self):
        for name in ("wordcount", "sentences"):
            path = os.path.join(ROOT, "examples", name)
            if os.path.isdir(path):
                rc, out, err = topoc("check", cwd=path)
                self.assertEqual((name, rc, err), (name, 0, ""))


class ExplainCli(unittest.TestCase):
    def test_explain_prints_the_page(self):
        rc, out, _ = topoc("explain", "E0201", cwd="/")
        self.assertEqual(rc, 0)
        self.assertTrue(out.startswith("# E0201"))
        with open(os.path.join(ROOT, "docs/diagnostics/E0201.md")) as f:
            self.assertEqual(out, f.read())
        rc, out2, _ = topoc("explain", "e0201", cwd="/")
        self.assertEqual(out2, out)

    def test_unknown_code_exits_2(self):
        rc, out, err = topoc("explain", "E9999")
        self.assertEqual((rc, out), (2, ""))
        self.assertIn("unknown diagnostic code", err)

    def test_list(self):
        rc, out, _ = topoc("explain", "--list")
        self.assertEqual(rc, 0)
        self.assertIn("E0201  unknown component '{0}'", out)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
