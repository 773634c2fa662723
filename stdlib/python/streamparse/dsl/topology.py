"""The recorders behind streamparse.Topology and Component.spec()."""

import os
import sys

_HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class TopologyError(ValueError):
    """A topology streamparse would refuse (a spout given inputs, an input
    that is no component, an unknown grouping, ...); ``where`` is the
    file:line of the spec at fault, when known."""

    def __init__(self, message, where=None):
        ValueError.__init__(self, message)
        self.where = where


def _caller():
    """file:line of the first frame outside the streamparse package."""
    frame = sys._getframe(1)
    while frame is not None:
        path = os.path.abspath(frame.f_code.co_filename)
        if not path.startswith(_HERE + os.sep):
            return "%s:%d" % (frame.f_code.co_filename, frame.f_lineno)
        frame = frame.f_back
    return "?"


class Stream(object):
    """An output stream: ``Stream(fields=["word"], name="default",
    direct=False)``."""

    def __init__(self, fields=None, name="default", direct=False):
        if fields is None:
            fields = []
        if isinstance(fields, str):
            fields = [fields]
        fields = list(fields)
        for f in fields:
            if not isinstance(f, str):
                raise TopologyError("Stream fields must be strings, not %r" % (f,))
        if not isinstance(name, str) or not name:
            raise TopologyError("a Stream's name must be a non-empty string, not %r" % (name,))
        self.fields = fields
        self.name = name
        self.direct = bool(direct)

    def __repr__(self):
        return "Stream(fields=%r, name=%r, direct=%r)" % (self.fields, self.name, self.direct)


class _Grouping(object):
    def __init__(self, kind, fields=None, java_class=None, args=None):
        self.kind = kind
        self.fields = fields or []
        self.java_class = java_class
        self.args = args or []

    def to_json(self):
        out = {"kind": self.kind}
        if self.kind == "fields":
            out["fields"] = list(self.fields)
        if self.kind == "custom":
            out["class"] = self.java_class
            out["args"] = [_java_arg(a) for a in self.args]
        return out

    def __repr__(self):
        return "Grouping(%s)" % self.kind


class Grouping(object):
    """Stream groupings: the constants SHUFFLE, GLOBAL, ALL, NONE, DIRECT,
    LOCAL_OR_SHUFFLE and ``Grouping.fields("f", ...)``,
    ``Grouping.custom_object(java_class_name, arg_list)``."""

    SHUFFLE = _Grouping("shuffle")
    GLOBAL = _Grouping("global")
    ALL = _Grouping("all")
    NONE = _Grouping("none")
    DIRECT = _Grouping("direct")
    LOCAL_OR_SHUFFLE = _Grouping("local-or-shuffle")

    @classmethod
    def fields(cls, *fields):
        if len(fields) == 1 and isinstance(fields[0], (list, tuple)):
            fields = fields[0]
        fields = list(fields)
        if not fields:
            return cls.GLOBAL  # as in Storm: no fields is the global grouping
        for f in fields:
            if not isinstance(f, str):
                raise TopologyError("Grouping.fields takes field names, not %r" % (f,))
        return _Grouping("fields", fields=fields)

    @classmethod
    def custom_object(cls, java_class_name, arg_list=None):
        if not isinstance(java_class_name, str) or not java_class_name:
            raise TopologyError("Grouping.custom_object needs a Java class name")
        return _Grouping("custom", java_class=java_class_name, args=list(arg_list or []))

    @classmethod
    def custom_serialized(cls, java_serialized):
        raise TopologyError("Grouping.custom_serialized (a serialized Java object) cannot be "
                            "written in .topo; use Grouping.custom_object(class, args)")


def _java_arg(value):
    """A Java constructor argument typed as streamparse types it."""
    if isinstance(value, bool):
        return {"type": "bool", "value": value}
    if isinstance(value, int):
        if -2 ** 31 <= value < 2 ** 31:
            return {"type": "int", "value": value}
        if -2 ** 63 <= value < 2 ** 63:
            return {"type": "long", "value": value}
        raise TopologyError("the Java argument %d does not fit a long" % value)
    if isinstance(value, float):
        return {"type": "double", "value": value}
    if isinstance(value, str):
        return {"type": "string", "value": value}
    raise TopologyError("Java arguments are int, float, str or bool; %r (%s) cannot be "
                        "written in .topo" % (value, type(value).__name__))


def _outputs(outputs):
    """Class-level ``outputs``: strings (fields of the default stream) and
    Stream objects."""
    streams = []
    default_fields = []
    for item in outputs or []:
        if isinstance(item, str):
            default_fields.append(item)
        elif isinstance(item, Stream):
            streams.append(item)
        else:
            raise TopologyError("outputs holds field names and Stream objects, not %r" % (item,))
    if default_fields:
        if any(s.name == "default" for s in streams):
            raise TopologyError("outputs declares the default stream twice (as strings and as a Stream)")
        streams.insert(0, Stream(default_fields))
    seen = set()
    for s in streams:
        if s.name in seen:
            raise TopologyError("outputs declares stream %r twice" % s.name)
        seen.add(s.name)
    return [{"stream": s.name, "fields": list(s.fields), "direct": s.direct} for s in streams]


class _StreamRef(object):
    """``spec["stream"]``: one stream of a component, as an input."""

    def __init__(self, spec, stream):
        self.spec = spec
        self.stream = stream


class ComponentSpec(object):
    """What ``X.spec(...)`` returns: one component of a topology."""

    def __init__(self, role, kind, name=None, inputs=None, par=None, config=None,
                 outputs=None, **what):
        self.where = _caller()
        if name is not None and (not isinstance(name, str) or not name):
            raise TopologyError("name must be a non-empty string, not %r" % (name,))
        if role == "spout" and inputs:
            raise TopologyError("a spout takes no inputs")
        if par is None:
            par = 1
        if isinstance(par, bool) or not isinstance(par, int) or par < 1:
            raise TopologyError("par must be a positive integer, not %r" % (par,))
        if config is None:
            config = {}
        if not isinstance(config, dict):
            raise TopologyError("config must be a dict, not %r" % (config,))
        self.role = role
        self.kind = kind
        self.name = name
        self.par = par
        self.config = dict(config)
        self.outputs = _outputs(outputs)
        self.what = what
        self.inputs = self._inputs(inputs)

    def __getitem__(self, stream):
        if not isinstance(stream, str):
            raise TopologyError("a stream is named by a string, not %r" % (stream,))
        if not any(o["stream"] == stream for o in self.outputs):
            raise TopologyError("%s has no stream %r (its streams: %s)" % (
                self.name or "this component", stream,
                ", ".join(o["stream"] for o in self.outputs) or "none"))
        return _StreamRef(self, stream)

    @staticmethod
    def _inputs(inputs):
        if inputs is None:
            return []
        if isinstance(inputs, dict):
            pairs = list(inputs.items())
        elif isinstance(inputs, (list, tuple)):
            pairs = [(i, Grouping.SHUFFLE) for i in inputs]
        else:
            raise TopologyError("inputs must be a list or a dict, not %r" % (inputs,))
        out = []
        for source, grouping in pairs:
            if isinstance(source, ComponentSpec):
                source = _StreamRef(source, "default")
            if not isinstance(source, _StreamRef):
                raise TopologyError("an input is a component spec or spec[\"stream\"], not %r" % (source,))
            if not isinstance(grouping, _Grouping):
                raise TopologyError("%r is not a grouping (use Grouping.SHUFFLE, Grouping.fields(...), ...)"
                                    % (grouping,))
            out.append((source, grouping))
        return out


def _check_outputs_arg(cls, outputs):
    if outputs is None:
        outputs = getattr(cls, "outputs", None)
    if isinstance(outputs, str):
        outputs = [outputs]
    return outputs


def python_spec(cls, name=None, inputs=None, par=None, config=None):
    """Component.spec() for Python spouts and bolts."""
    from ..spout import Spout
    role = "spout" if issubclass(cls, Spout) else "bolt"
    return ComponentSpec(role, "python", name=name, inputs=inputs, par=par, config=config,
                         outputs=_check_outputs_arg(cls, None),
                         python_class="%s.%s" % (cls.__module__, cls.__name__))


class _ShellComponent(object):
    outputs = None

    command = None
    script = None

    @classmethod
    def _shell(cls, role, command, script, name, inputs, par, config, outputs):
        # A subclass may set command, script and outputs as class attributes.
        if command is None:
            command = cls.command
        if script is None:
            script = cls.script
        if not isinstance(command, str) or not command:
            raise TopologyError("%s.spec needs command=\"...\"" % cls.__name__)
        if script is not None and not isinstance(script, str):
            raise TopologyError("script must be a string, not %r" % (script,))
        argv = [command] + ([script] if script else [])
        return ComponentSpec(role, "shell", name=name, inputs=inputs, par=par, config=config,
                             outputs=_check_outputs_arg(cls, outputs), command=argv)


class ShellSpout(_ShellComponent):
    """A multilang spout run by ``command script``."""

    @classmethod
    def spec(cls, name=None, command=None, script=None, par=None, config=None, outputs=None):
        return cls._shell("spout", command, script, name, None, par, config, outputs)


class ShellBolt(_ShellComponent):
    """A multilang bolt run by ``command script``."""

    @classmethod
    def spec(cls, name=None, command=None, script=None, inputs=None, par=None, config=None,
             outputs=None):
        return cls._shell("bolt", command, script, name, inputs, par, config, outputs)


class _JavaComponent(object):
    outputs = None

    full_class_name = None
    args_list = None

    @classmethod
    def _java(cls, role, full_class_name, args_list, name, inputs, par, config, outputs,
              serialized_java):
        if serialized_java is not None:
            raise TopologyError("serialized_java (a serialized Java object) cannot be written in "
                                ".topo; give full_class_name and args_list")
        if full_class_name is None:
            full_class_name = cls.full_class_name
        if args_list is None:
            args_list = cls.args_list
        if not isinstance(full_class_name, str) or not full_class_name:
            raise TopologyError("%s.spec needs full_class_name=\"...\"" % cls.__name__)
        args = [_java_arg(a) for a in (args_list or [])]
        return ComponentSpec(role, "java", name=name, inputs=inputs, par=par, config=config,
                             outputs=_check_outputs_arg(cls, outputs),
                             java_class=full_class_name, java_args=args)


class JavaSpout(_JavaComponent):
    """A spout written in Java: ``JavaSpout.spec(full_class_name=..., args_list=[...])``."""

    @classmethod
    def spec(cls, name=None, serialized_java=None, full_class_name=None, args_list=None, par=None,
             config=None, outputs=None):
        return cls._java("spout", full_class_name, args_list, name, None, par, config, outputs,
                         serialized_java)


class JavaBolt(_JavaComponent):
    """A bolt written in Java."""

    @classmethod
    def spec(cls, name=None, serialized_java=None, full_class_name=None, args_list=None,
             inputs=None, par=None, config=None, outputs=None):
        return cls._java("bolt", full_class_name, args_list, name, inputs, par, config, outputs,
                         serialized_java)


class Topology(object):
    """Subclass it and assign component specs to class attributes; the
    attribute names are the component ids unless ``name=`` says otherwise.
    A class attribute ``config`` (a dict) is the topology's config."""

    config = {}

    @classmethod
    def _specs(cls):
        """[(id, spec)] in definition order, base classes first."""
        seen = {}
        for klass in reversed(cls.__mro__):
            for attr, value in vars(klass).items():
                if isinstance(value, ComponentSpec):
                    seen[attr] = value
        out = []
        for attr, spec in seen.items():
            out.append((spec.name or attr, spec))
        return out

    @classmethod
    def to_json(cls):
        specs = cls._specs()
        ids = {}
        for cid, spec in specs:
            if id(spec) in ids:
                raise TopologyError("the same spec is assigned to '%s' and '%s'"
                                    % (ids[id(spec)], cid), spec.where)
            ids[id(spec)] = cid
        names = set()
        components = []
        for cid, spec in specs:
            if cid in names:
                raise TopologyError("two components are named '%s'" % cid, spec.where)
            names.add(cid)
            inputs = []
            for ref, grouping in spec.inputs:
                if id(ref.spec) not in ids:
                    raise TopologyError("'%s' subscribes to a component that is not part of "
                                        "topology %s (assign its spec to a class attribute)"
                                        % (cid, cls.__name__), spec.where)
                inputs.append({"source": ids[id(ref.spec)], "stream": ref.stream,
                               "grouping": grouping.to_json()})
            c = {"id": cid, "role": spec.role, "kind": spec.kind, "where": spec.where,
                 "outputs": spec.outputs, "inputs": inputs, "parallelism": spec.par,
                 "config": spec.config}
            c.update(spec.what)
            components.append(c)
        # Spouts first, then bolts, each in definition order.
        components.sort(key=lambda c: 0 if c["role"] == "spout" else 1)
        config = cls.config
        if not isinstance(config, dict):
            raise TopologyError("%s.config must be a dict, not %r" % (cls.__name__, config))
        return {"class": cls.__name__, "config": dict(config), "components": components}
