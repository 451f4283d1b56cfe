"""Differential fuzzing of Lockstep against real TensorFlow.

Generates random programs over the op set Lockstep models (eager or graph mode), runs them
all in one real-TF process, runs the same programs through `lockstep run --json`, and
reports every program whose outcome differs: error type and message (TF's device prefix
and op-def tail normalized away), or output dtype, shape and values (within 1e-5).

    ~/tfvenv/bin/python Tools/tf_fuzz.py --mode eager --count 300 --seed 1 --lockstep .build/debug/lockstep
    ~/tfvenv/bin/python Tools/tf_fuzz.py --mode graph --count 300 --seed 2 --lockstep .build/debug/lockstep

Needs TensorFlow (tensorflow-cpu==2.21.0) in the running Python; Lockstep and CI do not.
"""
import argparse
import json
import math
import os
import random
import re
import subprocess
import tempfile

ATOMS = ["x", "y", "m", "v", "tf.constant([1.0, 2.0])", "tf.constant([[1, 2], [3, 4]])",
         "np.array([1.5, 2.5])", "np.array([[1.0], [2.0]])", "tf.zeros([2, 2])", "[1, 2]",
         "[[1.0, 2.0]]", "1", "2.5", "True", "-3", "tf.ones([2], dtype=tf.int32)",
         "tf.constant(4.0, dtype=tf.float64)"]
OPERATORS = ["+", "-", "*", "/", "//", "@"]
BINARY = ["tf.add", "tf.subtract", "tf.multiply", "tf.divide", "tf.matmul", "tf.maximum", "tf.minimum"]
UNARY = ["tf.reduce_sum({})", "tf.reduce_mean({})", "tf.reduce_max({})", "tf.reduce_min({}, axis=0)", "tf.negative({})", "tf.abs({})", "tf.exp({})",
         "tf.cast({}, tf.int32)", "tf.cast({}, tf.float64)", "tf.reshape({}, [-1])",
         "tf.reduce_sum({}, axis=0)", "tf.reduce_mean({}, axis=-1, keepdims=True)", "-{}",
         "tf.reshape({}, [2, -1])"]
EAGER_ONLY = ["np.array({})", "np.sum({})", "np.mean({}, axis=0)", "np.max({})", "float({})", "{}[0]", "{}[-1]", "{}[:1]", "abs({})"]


def expression(rng, mode, depth=0):
    roll = rng.random()
    atoms = ATOMS + (["p"] if mode == "graph" else ["np.float32(0.5)", "np.int32(3)"])
    if depth > 2 or roll < 0.3:
        return rng.choice(atoms)
    if roll < 0.55:
        return f"({expression(rng, mode, depth + 1)} {rng.choice(OPERATORS)} {expression(rng, mode, depth + 1)})"
    if roll < 0.75:
        return f"{rng.choice(BINARY)}({expression(rng, mode, depth + 1)}, {expression(rng, mode, depth + 1)})"
    unary = UNARY + (EAGER_ONLY if mode == "eager" else [])
    return rng.choice(unary).format(expression(rng, mode, depth + 1))


def program(rng, mode):
    setup = ["x = tf.constant([1.0, 2.0])", "y = 3", "m = tf.constant([[1.0, 2.0], [3.0, 4.0]])",
             "v = tf.Variable([0.5, 1.5])"]
    if mode == "graph":
        setup.append("p = tf.placeholder(tf.float32, shape=[None])")
        return setup + [f"r = {expression(rng, mode)}", "with tf.Session() as sess:",
                        "    sess.run(tf.global_variables_initializer())",
                        "    print(sess.run(r, feed_dict={p: [1.0, -1.0]}))"]
    lines = list(setup)
    for _ in range(rng.randint(1, 3)):
        lines += [f"r = {expression(rng, mode)}", "print(r)"]
    return lines


def run_in_tensorflow(programs, mode):
    import numpy as np
    import tensorflow as real_tf
    tf = real_tf.compat.v1 if mode == "graph" else real_tf
    if mode == "graph":
        tf.disable_v2_behavior()
    results = []
    for source in programs:
        if mode == "graph":
            tf.reset_default_graph()
        printed = []
        scope = {"__name__": "__main__", "print": lambda *a, **k: printed.extend(a), "tf": tf, "np": np}
        try:
            exec("\n".join(source), scope)
            values = []
            for value in printed:
                if isinstance(value, (real_tf.Tensor, real_tf.Variable)):
                    value = value.numpy()
                array = np.asarray(value)
                values.append([str(array.dtype), list(array.shape), [float(v) for v in array.reshape(-1)]])
            results.append({"outputs": values})
        except Exception as error:  # the outcome under test
            results.append({"error": [type(error).__name__, str(error)]})
    return results


def normalized(message):
    message = re.sub(r"^\{\{function_node [^}]*\}\} ", "", message)
    # Graph errors may carry the Python stack that built the failing node; Lockstep's do not.
    message = re.sub(r"Detected at node '[^']*' defined at \(most recent call last\):\n(?:.*\n)*?Node: '[^']*'\n", "", message)
    message = re.sub(r"\n\nOriginal stack trace for '[^']*':\n[\s\S]*$", "", message)
    message = message.replace(" name: ", "").replace("\n", " ").replace("\t", " ")
    return re.sub(r"; NodeDef: .*", "", message).strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["eager", "graph"], default="eager")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lockstep", default=".build/debug/lockstep")
    parser.add_argument("--show", type=int, default=10)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    programs = [program(rng, args.mode) for _ in range(args.count)]
    header = ["import numpy as np"] + (["import tensorflow.compat.v1 as tf", "tf.disable_v2_behavior()"]
                                       if args.mode == "graph" else ["import tensorflow as tf"])
    workspace = tempfile.mkdtemp(prefix="lockstep-fuzz-")
    os.makedirs(os.path.join(workspace, "Scenarios"))
    for index, source in enumerate(programs):
        body = "".join(f"  {line}\n" for line in header + source)
        with open(os.path.join(workspace, "Scenarios", f"p{index:04d}.yaml"), "w") as handle:
            handle.write(f"summary: fuzz {index}\nv1: |\n{body}v2: |\n{body}")
    report = os.path.join(workspace, "lockstep.json")
    subprocess.run([os.path.abspath(args.lockstep), "run", "--root", workspace, "--json", report],
                   capture_output=True)
    with open(report) as handle:
        data = json.load(handle)
    # `lockstep run --json` writes an object whose `scenarios` list holds one entry per scenario.
    entries = data["scenarios"] if isinstance(data, dict) else data
    ours = {entry["id"]: entry.get("v1", {"error": {"type": "missing", "message": "no v1 result"}})
            for entry in entries}
    theirs = run_in_tensorflow(programs, args.mode)
    mismatches = 0
    for index, (source, real) in enumerate(zip(programs, theirs)):
        mine = ours[f"p{index:04d}"]
        if "error" in real or "error" in mine:
            same = ("error" in real and "error" in mine and real["error"][0] == mine["error"]["type"]
                    and normalized(real["error"][1]) == normalized(mine["error"]["message"]))
        else:
            same = len(real["outputs"]) == len(mine["outputs"]) and all(
                o.get("dtype") == dtype and list(o.get("shape", [])) == shape and all(
                    (math.isnan(a) and math.isnan(float(b))) or a == float(b) or abs(a - float(b)) <= 1e-5 + 1e-5 * abs(a)
                    for a, b in zip(values, o["values"]))
                for (dtype, shape, values), o in zip(real["outputs"], mine["outputs"]))
        if not same:
            mismatches += 1
            if mismatches <= args.show:
                print(f"# program {index}: " + " / ".join(source[4:]))
                print(f"   TF:       {json.dumps(real)[:300]}")
                shown = {key: mine[key] for key in ("error", "outputs") if key in mine}
                print(f"   Lockstep: {json.dumps(shown)[:300]}")
    print(f"{mismatches} of {len(programs)} programs differ from real TensorFlow ({args.mode} mode)")


if __name__ == "__main__":
    main()
