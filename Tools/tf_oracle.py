"""Runs a scenario's two programs in real TensorFlow and prints what it does with them.

This is how each bundled scenario's `expect` was set: real TensorFlow is the judge. It needs
TensorFlow (not needed by Lockstep or its CI):

    python -m venv ~/tfvenv && ~/tfvenv/bin/pip install tensorflow-cpu==2.21.0 tf-keras==2.21.0 pyyaml
    ~/tfvenv/bin/python Tools/tf_oracle.py Scenarios/article/*.yaml

With `--lockstep-json FILE` (written by `lockstep run --json FILE`) it also checks that
Lockstep's outcomes and numbers are the ones real TensorFlow produced.

Each program runs in its own process (disable_v2_behavior is process-wide). Outputs are the
`outputs:` names at the end of the program, else every value passed to print(), in order.
The verdict uses the same rule as Lockstep: |a - b| <= atol + rtol*|b| with the scenario's
tolerance or the dtype defaults.
"""
import json
import subprocess
import sys

import yaml

CHILD = r'''
import builtins, json, sys
import numpy as np
printed = []
real_print = builtins.print
def recording_print(*args, **kwargs):
    printed.extend(args)
    real_print(*args, **kwargs)
def encode(value):
    try:
        import tensorflow as tf
        if isinstance(value, (tf.Tensor, tf.Variable)):
            value = value.numpy()
    except Exception as error:
        return {"text": "<graph tensor> " + str(value)}
    if isinstance(value, (bool, int, float, np.generic, np.ndarray, list, tuple)):
        try:
            array = np.asarray(value)
            if array.dtype.kind in "fiub":
                return {"dtype": str(array.dtype), "shape": list(array.shape),
                        "values": [repr(v) for v in array.reshape(-1).tolist()]}
        except Exception:
            pass
    return {"text": str(value)}
scope = {"__name__": "__main__", "print": recording_print}
result = {}
try:
    exec(compile(sys.argv[1], "<program>", "exec"), scope)
    names = json.loads(sys.argv[2])
    if names is None:
        result["outputs"] = [["print[%d]" % i, encode(v)] for i, v in enumerate(printed)]
    else:
        result["outputs"] = [[n, encode(scope[n])] for n in names]
except Exception as error:
    result["error"] = {"type": type(error).__name__, "message": str(error)}
sys.stderr.write("@@RESULT@@" + json.dumps(result) + "\n")
'''

DEFAULTS = {"float32": (1.3e-6, 1e-5), "float64": (1e-7, 1e-7)}


def run(program, outputs):
    process = subprocess.run([sys.executable, "-c", CHILD, program, json.dumps(outputs)],
                             capture_output=True, text=True, env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"})
    for line in process.stderr.splitlines():
        if line.startswith("@@RESULT@@"):
            return json.loads(line[len("@@RESULT@@"):]), process.stdout
    raise SystemExit("program crashed:\n" + process.stderr[-3000:])


def close(a, b, tolerance):
    if "text" in a or "text" in b:
        return a == b
    if a["dtype"] != b["dtype"] or a["shape"] != b["shape"]:
        return False
    rtol, atol = tolerance or DEFAULTS.get(a["dtype"], (0.0, 0.0))
    import math
    for x, y in zip(map(float, a["values"]), map(float, b["values"])):
        if math.isnan(x) or math.isnan(y):
            if not (math.isnan(x) and math.isnan(y)):
                return False
        elif math.isinf(x) or math.isinf(y):
            if x != y:
                return False
        elif abs(x - y) > atol + rtol * abs(y):
            return False
    return True


def check_lockstep(path, results, lockstep):
    """Compares real TF's outcomes with those in `lockstep run --json` output, exactly for
    errors (type) and within the scenario tolerance for values."""
    entry = next((e for e in lockstep if e.get("path", "").endswith(path.split("Scenarios/")[-1])), None)
    if entry is None:
        print("    lockstep: no result for this scenario in the JSON file")
        return
    for side in ("v1", "v2"):
        real, ours = results[side], entry[side]
        if "error" in real or "error" in ours:
            same = "error" in real and "error" in ours and real["error"]["type"] == ours["error"]["type"]
            print(f"    {side} lockstep {'matches' if same else 'DIFFERS'}: real {real.get('error', 'outputs')} / lockstep {ours.get('error', 'outputs')}"[:300])
            continue
        ours_by_name = {o["name"]: o for o in ours["outputs"]}
        for name, value in real["outputs"]:
            mine = ours_by_name.get(name)
            if mine is None:
                print(f"    {side} {name}: lockstep has no such output")
                continue
            converted = {"dtype": mine["dtype"], "shape": mine.get("shape", []), "values": [repr(v) if not isinstance(v, str) else v for v in mine.get("values", [])]} if mine["dtype"] != "text" else {"text": mine["value"]}
            ok = close(value, converted, None)
            print(f"    {side} {name}: lockstep {'matches' if ok else 'DIFFERS'} real TF" + ("" if ok else f": real {value} lockstep {converted}"))


def main(paths):
    lockstep = None
    if paths and paths[0] == "--lockstep-json":
        with open(paths[1]) as handle:
            lockstep = json.load(handle)
        paths = paths[2:]
    for path in paths:
        with open(path) as handle:
            scenario = yaml.safe_load(handle)
        outputs = scenario.get("outputs")
        tolerance = scenario.get("tolerance")
        # PyYAML reads `1e-6` (no dot) as a string, hence float().
        if tolerance and "rtol" in tolerance:
            tolerance = (float(tolerance["rtol"]), float(tolerance["atol"]))
        elif tolerance and "default" in tolerance:
            tolerance = (float(tolerance["default"]["rtol"]), float(tolerance["default"]["atol"]))
        else:
            tolerance = None
        results = {}
        for side in ("v1", "v2"):
            results[side], stdout = run(scenario[side], outputs)
        if any("error" in r for r in results.values()):
            verdict = "error"
        else:
            a = dict(results["v1"]["outputs"])
            b = dict(results["v2"]["outputs"])
            same = a.keys() == b.keys() and all(close(a[k], b[k], tolerance) for k in a)
            verdict = "equivalent" if same else "differ"
        expect = scenario.get("expect", "equivalent")
        mark = "ok " if verdict == expect else "MISMATCH"
        print(f"{mark} {path}: real TF says {verdict}, scenario expects {expect}")
        for side in ("v1", "v2"):
            print(f"    {side}: {json.dumps(results[side])[:400]}")
        if lockstep is not None:
            check_lockstep(path, results, lockstep)


if __name__ == "__main__":
    main(sys.argv[1:])
