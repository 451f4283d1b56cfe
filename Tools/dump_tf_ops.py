"""Writes the op registry of the installed TensorFlow as Lockstep's op table.

Lockstep's op registry takes each op's input and output names, type attributes and allowed
dtypes from this table, so they are real TensorFlow's, not guesses.

Run it in a virtualenv with the TensorFlow version to describe, e.g.:
    pip install tensorflow-cpu==2.21.0 tf-keras==2.21.0
    python Tools/dump_tf_ops.py                      # writes Sources/Operations/Resources/ops-2.21.txt
    python Tools/dump_tf_ops.py path/to/ops.txt      # or there

Every op registered once `import tensorflow` has run is written (internal ones, with a
leading underscore, too): the names come from the C API's full op list
(`TF_GetAllOpList`), each OpDef from `op_def_registry.get(name)`. One op a line, sorted by
name (code-point order), four tab-separated fields; the header lines of the file give the
syntax. The file depends only on the TensorFlow build, so it is the same on every run.
"""
import json
import os
import sys

import numpy
import tensorflow as tf
from tensorflow.core.framework import op_def_pb2, types_pb2
from tensorflow.python.client import pywrap_tf_session as c_api
from tensorflow.python.framework import op_def_registry, tensor_util

VERSION = ".".join(tf.__version__.split(".")[:2])

HEADER = f"""\
# TensorFlow {VERSION} op registry, dumped by Tools/dump_tf_ops.py. One op a line:
# name <TAB> inputs <TAB> outputs <TAB> attrs
# inputs, outputs: comma-separated `name:TYPE`, in OpDef order; TYPE is a type attr's name (`T`),
#   a fixed dtype (`int32`, `resource`), or `[Tlist]` for a type-list attr; `*N` after it marks
#   a list of N (number attr N) tensors, `:ref` at the end a ref argument. `-` when there are none.
# attrs: `;`-separated, in OpDef order, each `name:kind[>=MIN][=ALLOWED|ALLOWED...][@DEFAULT]`:
#   kind: type, list(type), int, list(int), float, list(float), bool, list(bool), string,
#   list(string), shape, list(shape), tensor, list(tensor), func, list(func);
#   `>=MIN`: the int's minimum, or a list's minimum length;
#   `=A|B|...`: the values a type or string attr may take (no `=`: any);
#   `@DEFAULT`: its default (no `@`: the attr must be given).
# Values: dtypes as Python spells them (float32, float16, bfloat16, string, resource...);
#   ints and floats in decimal (floats: shortest float32 digits, `inf`, `nan`); bools true/false;
#   strings as JSON string literals (ASCII, with `,;|@=[]` also written as \\u escapes, so a
#   literal never holds a raw separator); lists `[a,b]` (`[]` empty); shapes `[2,None]`
#   (`None`: unknown size), `[]` a scalar, `None` unknown rank; tensors `dtype[shape]:[flat values]`;
#   funcs the function name as a string.
# tensorflow {tf.__version__}: {{count}} ops
"""

# Characters that separate fields, attrs, allowed values, defaults and list items.
SEPARATORS = {c: "\\u%04x" % ord(c) for c in ",;|@=[]"}


def dtype_name(enum):
    """Python's spelling of a DataType enum value (`float32`, not DT_FLOAT or half)."""
    try:
        return tf.dtypes.as_dtype(enum).name
    except (TypeError, ValueError):
        return types_pb2.DataType.Name(enum).removeprefix("DT_").lower()


def string(value):
    text = value.decode("utf-8") if isinstance(value, bytes) else value
    literal = json.dumps(text, ensure_ascii=True)
    return "".join(SEPARATORS.get(c, c) for c in literal)


def number(value):
    """A float attr (a float32) in its shortest float32 digits."""
    return str(numpy.float32(value))


def shape(proto):
    if proto.unknown_rank:
        return "None"
    return "[" + ",".join("None" if d.size < 0 else str(d.size) for d in proto.dim) + "]"


def tensor(proto):
    array = tensor_util.MakeNdarray(proto)
    flat = array.reshape(-1).tolist()
    if array.dtype.kind == "f":
        flat = [number(v) for v in flat]
    elif array.dtype.kind == "b":
        flat = ["true" if v else "false" for v in flat]
    elif array.dtype.kind in "SUO":
        flat = [string(v) for v in flat]
    else:
        flat = [str(v) for v in flat]
    return f"{dtype_name(proto.dtype)}{shape(proto.tensor_shape)}:[{','.join(flat)}]"


def scalar(kind, value):
    """One value of an attr of `kind` (not a list kind), from its AttrValue."""
    if kind == "type":
        return dtype_name(value.type)
    if kind == "int":
        return str(value.i)
    if kind == "float":
        return number(value.f)
    if kind == "bool":
        return "true" if value.b else "false"
    if kind == "string":
        return string(value.s)
    if kind == "shape":
        return shape(value.shape)
    if kind == "tensor":
        return tensor(value.tensor)
    if kind == "func":
        return string(value.func.name)
    raise ValueError(f"unknown attr kind {kind}")


def items(kind, values):
    """The items of a ListValue for attr kind `kind` (`type`, `int` ...) as written."""
    field = {"type": "type", "int": "i", "float": "f", "bool": "b", "string": "s",
             "shape": "shape", "tensor": "tensor", "func": "func"}[kind]
    entries = getattr(values, field)
    if kind == "type":
        return [dtype_name(t) for t in entries]
    if kind == "int":
        return [str(i) for i in entries]
    if kind == "float":
        return [number(f) for f in entries]
    if kind == "bool":
        return ["true" if b else "false" for b in entries]
    if kind == "string":
        return [string(s) for s in entries]
    if kind == "shape":
        return [shape(s) for s in entries]
    if kind == "tensor":
        return [tensor(t) for t in entries]
    return [string(f.name) for f in entries]


def value(kind, attr_value):
    if kind.startswith("list(") and kind.endswith(")"):
        return "[" + ",".join(items(kind[5:-1], attr_value.list)) + "]"
    return scalar(kind, attr_value)


def attr(definition):
    text = f"{definition.name}:{definition.type}"
    if definition.has_minimum:
        text += f">={definition.minimum}"
    if definition.HasField("allowed_values"):
        kind = definition.type[5:-1] if definition.type.startswith("list(") else definition.type
        allowed = items(kind, definition.allowed_values.list)
        if allowed:
            text += "=" + "|".join(allowed)
    if definition.HasField("default_value"):
        text += "@" + value(definition.type, definition.default_value)
    return text


def argument(arg):
    if arg.type_list_attr:
        kind = f"[{arg.type_list_attr}]"
    elif arg.type_attr:
        kind = arg.type_attr
    else:
        kind = dtype_name(arg.type)
    text = f"{arg.name}:{kind}"
    if arg.number_attr:
        text += f"*{arg.number_attr}"
    if arg.is_ref:
        text += ":ref"
    return text


def field(parts):
    return ",".join(parts) if parts else "-"


def line(op):
    return "\t".join([
        op.name,
        field([argument(a) for a in op.input_arg]),
        field([argument(a) for a in op.output_arg]),
        ";".join(attr(a) for a in op.attr) or "-",
    ])


def registered_names():
    buffer = c_api.TF_GetAllOpList()
    try:
        ops = op_def_pb2.OpList()
        ops.ParseFromString(c_api.TF_GetBuffer(buffer))
    finally:
        c_api.TF_DeleteBuffer(buffer)
    return sorted({op.name for op in ops.op})


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = argv[0] if argv else os.path.join(root, "Sources", "Operations", "Resources", f"ops-{VERSION}.txt")
    lines = []
    for name in registered_names():
        op = op_def_registry.get(name)
        if op is None:
            raise SystemExit(f"op {name} is in TF_GetAllOpList but op_def_registry.get has no OpDef for it")
        text = line(op)
        if "\n" in text or text.count("\t") != 3:
            raise SystemExit(f"op {name} does not fit on one line of four fields: {text!r}")
        lines.append(text)
    content = HEADER.format(count=len(lines)) + "\n".join(lines) + "\n"
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="ascii", newline="\n") as handle:
        handle.write(content)
    os.replace(temporary, path)
    print(f"wrote {path}: {len(lines)} ops, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
