"""`pip install` of stdlib/python into a fresh virtualenv, offline."""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from tests.harness import PACKAGE_ROOT, StormTestCase

# Debian's python3-wheel-whl (scripts/install-deps.sh) puts wheel's wheel
# here; setuptools < 70 needs `wheel` to build wheels.
DEBIAN_WHEELS = "/usr/share/python-wheels"


def _run(args, **kwargs):
    return subprocess.run(args, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True,
                          timeout=300, **kwargs)


class InstallTest(StormTestCase, unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="streamparse-venv-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        venv = os.path.join(self.dir, "venv")
        r = _run([sys.executable, "-m", "venv", venv])
        if r.returncode != 0:
            self.skipTest("cannot create a virtualenv with %s (venv/ensurepip "
                          "unavailable):\n%s" % (sys.executable, r.stdout))
        self.python = os.path.join(venv, "bin", "python")
        if _run([self.python, "-m", "pip", "--version"]).returncode != 0:
            self.skipTest("the new virtualenv has no pip (ensurepip "
                          "unavailable)")

    def test_offline_install_and_run(self):
        if _run([self.python, "-c", "import wheel"]).returncode != 0:
            r = _run([self.python, "-m", "pip", "install", "--no-index",
                      "--find-links", DEBIAN_WHEELS, "wheel"])
            self.assertEqual(r.returncode, 0,
                             "the virtualenv lacks `wheel` and it could not "
                             "be installed offline from %s (Debian package "
                             "python3-wheel-whl):\n%s" % (DEBIAN_WHEELS,
                                                          r.stdout))
        # Build from a copy so the source tree gets no build/ or egg-info.
        src = os.path.join(self.dir, "src")
        shutil.copytree(PACKAGE_ROOT, src, ignore=shutil.ignore_patterns(
            "tests", "build", "*.egg-info", "__pycache__"))
        r = _run([self.python, "-m", "pip", "install", "--no-index",
                  "--no-build-isolation", src])
        self.assertEqual(r.returncode, 0, r.stdout)
        r = _run([self.python, "-c",
                  "import streamparse, streamparse.bolt, streamparse.spout, "
                  "streamparse.ipc, streamparse.base, streamparse.run; "
                  "print(streamparse.__file__)"], cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertTrue(r.stdout.strip().startswith(
            os.path.join(self.dir, "venv")), r.stdout)
        # The installed copy runs a component (no source tree on the path).
        s = self.storm("fixture_components.EchoBolt", python=self.python,
                       use_source=False)
        s.tuple("t1", ["installed"])
        self.assertEqual(s.recv()["tuple"], ["installed"])
        s.send([1])
        self.assertEqual(s.recv()["msg"], "ids installed [1]")
        self.assertEqual(s.recv(), {"command": "ack", "id": "t1"})
        self.assertEqual(s.finish(), 0)


if __name__ == "__main__":
    unittest.main()
