"""python -m streamparse.dsl.record TOPOLOGY.py SRC_DIR OUT.json [SHOWN_AS]

Runs a streamparse 3.x/4.x topology module with SRC_DIR first on sys.path
and writes the Topology subclass it defines, recorded, as JSON to OUT.json
(for ``topoc import``). Exit 0 on success; 1 with the traceback when the
module fails to import, or with a message when it defines no topology, two
of them, or one streamparse would refuse. Messages name the file SHOWN_AS
(default: TOPOLOGY.py as given).
"""

import importlib.util
import json
import os
import sys
import traceback


def _shown(where, path, shown):
    """file:line with the topology file named as SHOWN_AS."""
    name, _, line = where.rpartition(":")
    if name and os.path.abspath(name) == os.path.abspath(path):
        return "%s:%s" % (shown, line)
    return where


def _user_frame(tb, path, shown):
    """file:line of the innermost frame outside the streamparse package."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
    where = shown
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if not os.path.abspath(name).startswith(here) and not name.startswith("<frozen"):
            where = _shown("%s:%d" % (name, tb.tb_lineno), path, shown)
        tb = tb.tb_next
    return where


def main(argv):
    if len(argv) not in (4, 5):
        sys.stderr.write(__doc__)
        return 2
    path, src, out = argv[1], argv[2], argv[3]
    shown = argv[4] if len(argv) == 5 else path
    if os.path.isdir(src):
        sys.path.insert(0, os.path.abspath(src))
    from streamparse.dsl.topology import Topology, TopologyError

    name = os.path.splitext(os.path.basename(path))[0]
    try:
        spec = importlib.util.spec_from_file_location("_topoc_import_" + name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    except TopologyError as e:  # a spec streamparse would refuse: where it is
        sys.stderr.write("%s: error: %s\n" % (_user_frame(e.__traceback__, path, shown), e))
        return 1
    except BaseException as e:  # the user's module: show what it raised
        sys.stderr.write("%s: error: importing the topology failed:\n" % shown)
        tb = e.__traceback__
        # Drop this file's and importlib's frames: the user's come first.
        while tb is not None and (tb.tb_frame.f_code.co_filename == __file__
                                  or tb.tb_frame.f_code.co_filename.startswith("<frozen")):
            tb = tb.tb_next
        sys.stderr.write("Traceback (most recent call last):\n")
        sys.stderr.write("".join(traceback.format_list(traceback.extract_tb(tb))))
        sys.stderr.write("".join(traceback.format_exception_only(type(e), e)))
        return 1
    found = [v for v in vars(module).values()
             if isinstance(v, type) and issubclass(v, Topology) and v is not Topology
             and v.__module__ == module.__name__]
    if not found:
        sys.stderr.write("%s: error: no streamparse Topology subclass is defined here\n" % shown)
        return 1
    if len(found) > 1:
        sys.stderr.write("%s: error: %d Topology subclasses (%s); a file holds one topology, "
                         "named after the file\n" % (shown, len(found),
                                                      ", ".join(t.__name__ for t in found)))
        return 1
    try:
        data = found[0].to_json()
        for c in data["components"]:
            cls = c.get("python_class", "")
            if cls.startswith(module.__name__ + "."):
                raise TopologyError(
                    "the class of '%s' (%s) is defined in the topology file; components run "
                    "from src/, so move it to a module there"
                    % (c["id"], cls[len(module.__name__) + 1:]), c["where"])
        text = json.dumps(data, allow_nan=False)
    except TopologyError as e:
        sys.stderr.write("%s: error: %s\n" % (_shown(e.where, path, shown) if e.where else shown, e))
        return 1
    except (TypeError, ValueError) as e:
        sys.stderr.write("%s: error: the topology's config is not JSON: %s\n" % (shown, e))
        return 1
    with open(out, "w") as fh:
        fh.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
