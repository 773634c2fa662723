"""Runs a Python component: ``main("module.Class")`` or
``python -m streamparse.run module.Class``.

This is what topoc's generated launchers (``_topoc/<module.Class>.py``) call.
The class is imported, instantiated with no arguments and run; the process
then speaks multilang on stdin/stdout until Storm closes stdin. A class that
cannot be found or is not a spout or bolt ends the process with status 1 and
a message on stderr naming the problem.
"""

import importlib
import sys
import traceback

from .base import Component


def load_class(class_path):
    if not isinstance(class_path, str) or "." not in class_path:
        raise ValueError("expected 'module.Class', got %r" % (class_path,))
    module_name, _, class_name = class_path.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ValueError("cannot import module %r for %s: %s (sys.path: %s)"
                         % (module_name, class_path, exc, sys.path))
    try:
        cls = getattr(module, class_name)
    except AttributeError:
        raise ValueError("module %r has no class %r" % (module_name,
                                                         class_name))
    if not (isinstance(cls, type) and issubclass(cls, Component)):
        raise ValueError("%s is not a streamparse Spout or Bolt subclass"
                         % class_path)
    return cls


def main(class_path=None):
    if class_path is None:
        args = sys.argv[1:]
        if len(args) != 1 or args[0].startswith("-"):
            sys.stderr.write("usage: python -m streamparse.run module.Class\n")
            sys.exit(2)
        class_path = args[0]
    try:
        cls = load_class(class_path)
    except ValueError as exc:
        sys.stderr.write("streamparse: %s\n" % exc)
        sys.exit(1)
    except Exception:
        sys.stderr.write("streamparse: importing %s failed:\n%s"
                         % (class_path, traceback.format_exc()))
        sys.exit(1)
    try:
        component = cls()
    except Exception:
        sys.stderr.write("streamparse: creating %s failed:\n%s"
                         % (class_path, traceback.format_exc()))
        sys.exit(1)
    component.run()


if __name__ == "__main__":
    main()
