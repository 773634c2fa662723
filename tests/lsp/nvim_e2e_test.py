#!/usr/bin/python3
"""End to end: a real LSP client (headless Neovim, Debian's `neovim`) attaches
to `topoc lsp` and reads diagnostics, hover and definition, fixes the file
and sees the diagnostics cleared, then shuts the server down.

Usage: nvim_e2e_test.py TOPOC
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

TOPOC = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "topoc"
HERE = os.path.dirname(os.path.abspath(__file__))

MAIN = """topology words {
    spout word-spout = python "spouts.words.WordSpout" {
        output (word)
    }
    /* \u00e9\U0001F600 */ spout other = python "spouts.words.WordSpout" { output (word) }

    bolt counter = python "bolts.Count" {
        input word-spot fields(word)
        parallelism 2
    }
    bolt sink = python "bolts.Count" { input other shuffle }
}
"""


class NeovimClient(unittest.TestCase):
    def test_neovim_reads_diagnostics_hover_definition(self):
        nvim = shutil.which("nvim")
        self.assertIsNotNone(nvim, "nvim is not installed (scripts/install-deps.sh installs Debian's neovim)")
        with tempfile.TemporaryDirectory() as tmp:
            project = os.path.realpath(tmp)
            os.makedirs(os.path.join(project, "topologies"))
            with open(os.path.join(project, "config.json"), "w") as f:
                f.write("{}\n")
            with open(os.path.join(project, "topologies", "main.topo"), "w", encoding="utf-8") as f:
                f.write(MAIN)
            result = os.path.join(project, "result.json")
            env = dict(os.environ, TOPOC=TOPOC, PROJECT=project, RESULT=result, HOME=project,
                       XDG_CONFIG_HOME=os.path.join(project, ".config"),
                       XDG_DATA_HOME=os.path.join(project, ".data"),
                       XDG_STATE_HOME=os.path.join(project, ".state"))
            p = subprocess.run([nvim, "--headless", "--clean", "-n", "-c",
                                "luafile " + os.path.join(HERE, "nvim_client.lua")],
                               env=env, capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
            self.assertTrue(os.path.exists(result),
                            "nvim wrote no result (exit %d): %s %s" % (p.returncode, p.stdout, p.stderr))
            with open(result) as f:
                r = json.load(f)
            self.assertNotIn("error", r, r.get("error"))
            self.assertEqual(p.returncode, 0, p.stderr)
            steps = r["steps"]

            diags = steps["diagnostics"]
            self.assertEqual(len(diags), 1, diags)
            d = diags[0]
            self.assertEqual(d["code"], "E0201")
            self.assertEqual(d["severity"], 1)  # vim.diagnostic.severity.ERROR
            self.assertEqual(d["source"], "topoc")
            self.assertEqual((d["lnum"], d["col"], d["end_col"]), (7, 14, 23))
            self.assertIn("unknown component 'word-spot'", d["message"])
            self.assertIn("did you mean 'word-spout'?", d["message"])
            self.assertTrue(d["href"].endswith("/E0201.md"), d["href"])

            self.assertIn("**bolt** `counter`", steps["hover"])
            self.assertIn("parallelism 2", steps["hover"])

            self.assertTrue(steps["cleared"], "the diagnostics were not cleared after the fix")
            self.assertIn("        input word-spout fields(word)", steps["text_after_fix"])
            uri = steps["uri"]
            self.assertEqual(steps["definition"]["uri"], uri)
            self.assertEqual(steps["definition"]["range"]["start"], {"line": 1, "character": 10})
            # `other` is declared after "/* é😀 */": UTF-16 column 20 (bytes: 23).
            self.assertEqual(steps["definition_utf16"]["range"]["start"], {"line": 4, "character": 20})
            self.assertEqual(steps["exit_code"], 0)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
