"""Runs a scenario's two programs in real TensorFlow and prints what it does with them.

This is how each bundled scenario's `expect` was set: real TensorFlow is the judge. It needs
TensorFlow (not needed by Lockstep or its CI):

    python -m venv ~/tfvenv && ~/tfvenv/bin/pip install tensorflow-cpu==2.21.0 tf-keras==2.21.0 pyyaml
    ~/tfvenv/bin/python Tools/tf_oracle.py Scenarios/article/*.yaml

With `--lockstep-json FILE` (written by `lockstep run --json FILE`) it also checks that
Lockstep's verdicts, outcomes and numbers are the ones real TensorFlow produced.
`--self-test` checks the comparison rules below (needs neither TensorFlow nor PyYAML);
`--jobs N` runs N programs at once (default 2).

Each program runs in its own process (disable_v2_behavior is process-wide). Outputs are the
`outputs:` names at the end of the program, else every value passed to print(), named as
Lockstep names them (`print[i]` for a call with one value, `print[i][j]` for several).

Outputs are compared with exactly Lockstep's rules (Sources/Harness/Comparator.swift,
Scenario.swift, ScenarioLoader.swift, ScenarioRunner.swift): text exactly; tensors by dtype,
then shape, then element by element: NaNs must match in position, infinities in position and
sign, integers and bools exactly (whatever the tolerance), floats with
|a - b| <= atol + rtol*|b| (b the right-hand side). The tolerance of an output is its
per-output tolerance, else the scenario's, else the dtype default. v1 is compared with v2
for the verdict; real TF (left) with Lockstep (right) for the `--lockstep-json` check, as
Lockstep compares a baseline (left) with the current run (right).

Exit status: 0 when every verdict is as expected and (with --lockstep-json) Lockstep agrees
with real TF everywhere; 1 otherwise; 2 on bad usage.
"""
import json
import math
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

CHILD = r'''
import builtins, json, math, sys
import numpy as np
printed = []
real_print = builtins.print
def recording_print(*args, **kwargs):
    printed.append(list(args))
    real_print(*args, **kwargs)
def encode(value):
    # Same shapes as `lockstep run --json` outputs (Sources/Harness/JSONReport.swift), and the
    # same kinds as ProgramRunner.outputValue (Sources/TFModel/Program.swift).
    try:
        import tensorflow as tf
        if isinstance(value, (tf.Tensor, tf.Variable)):
            try:
                value = value.numpy()
            except Exception:
                return {"dtype": "text", "value": "<graph tensor, never run in a session> " + str(value)}
    except ImportError:
        pass
    if isinstance(value, (bool, int, float, np.generic, np.ndarray, list, tuple)):
        try:
            array = np.asarray(value)
        except Exception:
            array = None
        if array is not None and array.dtype.kind in "fiub":
            values = array.reshape(-1).tolist()
            if array.dtype.kind == "f":
                values = [v if math.isfinite(v) else repr(v) for v in values]
            return {"dtype": str(array.dtype), "shape": list(array.shape), "values": values}
        if isinstance(value, (list, tuple)):
            return {"dtype": "text", "value": repr(value)}
    return {"dtype": "text", "value": str(value)}
scope = {"__name__": "__main__", "print": recording_print}
result = {}
try:
    exec(compile(sys.argv[1], "<program>", "exec"), scope)
    names = json.loads(sys.argv[2])
    if names is None:
        result["print_calls"] = [[encode(v) for v in args] for args in printed]
    else:
        outputs = []
        for n in names:
            if n not in scope:
                raise NameError("output '%s' is not defined at the end of the program" % n)
            outputs.append(dict(encode(scope[n]), name=n))
        result["outputs"] = outputs
except Exception as error:
    result["error"] = {"type": type(error).__name__, "message": str(error)}
sys.stderr.write("@@RESULT@@" + json.dumps(result) + "\n")
'''

# --- Lockstep's comparison rules, as pure functions --------------------------------------

# Sources/TensorCore/DType.swift:6: `isFloatingPoint` is float32 and float64 only. Every other
# dtype (bool, int32, int64 in Lockstep; also float16 etc. should real TF produce them) is
# compared exactly (Sources/Harness/Comparator.swift:95 `let exact = !a.dtype.isFloatingPoint`).
FLOATING = ("float32", "float64")

# Sources/Harness/Scenario.swift:63-70 (`Scenario.defaultTolerance`):
#   case .float32: Tolerance(rtol: 1.3e-6, atol: 1e-5)
#   case .float64: Tolerance(rtol: 1e-7, atol: 1e-7)
#   default: Tolerance(rtol: 0, atol: 0)
DEFAULT_TOLERANCES = {"float32": (1.3e-6, 1e-5), "float64": (1e-7, 1e-7)}


def default_tolerance(dtype):
    return DEFAULT_TOLERANCES.get(dtype, (0.0, 0.0))


class Tolerances:
    """A scenario's tolerances: `scenario` for every output (or None), `per_output` by name."""

    def __init__(self, scenario=None, per_output=None):
        self.scenario = scenario
        self.per_output = dict(per_output or {})

    def for_output(self, name, dtype):
        # Sources/Harness/Scenario.swift:59-61:
        #   outputTolerances[output] ?? tolerance ?? Self.defaultTolerance(dtype)
        if name in self.per_output:
            return self.per_output[name]
        if self.scenario is not None:
            return self.scenario
        return default_tolerance(dtype)


def parse_pair(node):
    """`{rtol: …, atol: …}` (Sources/Harness/ScenarioLoader.swift:253-269): both keys, nothing
    else, each a non-negative finite number."""
    if not isinstance(node, dict):
        raise ValueError("a tolerance must be {rtol: …, atol: …}")
    values = {}
    for key, value in node.items():
        if key not in ("rtol", "atol"):
            raise ValueError(f"unknown tolerance key '{key}' (use rtol and atol)")
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not (math.isfinite(number) and number >= 0):
            raise ValueError(f"'{key}' must be a non-negative number")
        values[key] = number
    if "rtol" not in values or "atol" not in values:
        raise ValueError("a tolerance needs both rtol and atol")
    return (values["rtol"], values["atol"])


def parse_tolerances(node, outputs):
    """The scenario's `tolerance:` node (Sources/Harness/ScenarioLoader.swift:231-251):
    `{rtol, atol}` for every output, or `{default: {rtol, atol}, <output>: {rtol, atol}}`."""
    if node is None:
        return Tolerances()
    if not isinstance(node, dict):
        raise ValueError("'tolerance' must be {rtol: …, atol: …} or {default: {rtol, atol}, <output>: {rtol, atol}}")
    if "rtol" in node or "atol" in node:
        return Tolerances(parse_pair(node))
    scenario, per_output = None, {}
    for name, value in node.items():
        if name == "default":
            scenario = parse_pair(value)
        else:
            if outputs is not None and name not in outputs:
                raise ValueError(f"tolerance for '{name}', which is not in 'outputs' ({', '.join(outputs)})")
            per_output[name] = parse_pair(value)
    return Tolerances(scenario, per_output)


def element(value, dtype):
    """One JSON element as a Python number: bools and integers exact, floats as floats
    (non-finite ones arrive as strings: "nan", "-nan", "inf", "-inf")."""
    if dtype == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value in ("True", "False", "true", "false"):
            return value in ("True", "true")
        raise ValueError(f"not a bool: {value!r}")
    if dtype.startswith("int") or dtype.startswith("uint"):
        if isinstance(value, bool):
            raise ValueError(f"not an integer: {value!r}")
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise ValueError(f"not an integer: {value!r}")
    if isinstance(value, bool):
        raise ValueError(f"not a float: {value!r}")
    return float(value)


def normalize(output):
    """An output in `lockstep run --json` form (also the child's) as ("text", text) or
    ("tensor", dtype, shape, values)."""
    if output["dtype"] == "text":
        return ("text", output["value"])
    dtype = output["dtype"]
    shape = list(output.get("shape", []))
    values = [element(v, dtype) for v in output.get("values", [])]
    if len(values) != math.prod(shape):
        raise ValueError(f"{len(values)} values for shape {shape}")
    return ("tensor", dtype, shape, values)


def describe(value):
    if value[0] == "text":
        return f"the text {value[1]!r}"
    return f"a {value[1]} tensor of shape {tuple(value[2])}"


def is_nan(x):
    return isinstance(x, float) and math.isnan(x)


def is_inf(x):
    return isinstance(x, float) and math.isinf(x)


def element_matches(p, q, exact, tolerance):
    """Sources/Harness/Comparator.swift:105-122, for one element."""
    if is_nan(p) or is_nan(q):
        return is_nan(p) and is_nan(q)
    if is_inf(p) or is_inf(q):
        return p == q
    if exact:
        return p == q
    rtol, atol = tolerance
    return abs(p - q) <= atol + rtol * abs(q)


def compare(name, lhs, rhs, tolerances, sides=("v1", "v2")):
    """Why two normalized values of output `name` do not match, or None when they do
    (Sources/Harness/Comparator.swift:67-85)."""
    if lhs is None:
        return f"missing on {sides[0]}"
    if rhs is None:
        return f"missing on {sides[1]}"
    if lhs[0] == "text" and rhs[0] == "text":
        return None if lhs[1] == rhs[1] else f"text differs: {lhs[1]!r} / {rhs[1]!r}"
    if lhs[0] != rhs[0]:
        return f"{sides[0]} has {describe(lhs)}, {sides[1]} has {describe(rhs)}"
    _, dtype, shape, xs = lhs
    _, other_dtype, other_shape, ys = rhs
    tolerance = tolerances.for_output(name, dtype)
    if dtype != other_dtype:
        return f"dtype {dtype} / {other_dtype}"
    if shape != other_shape:
        return f"shape {tuple(shape)} / {tuple(other_shape)}"
    exact = dtype not in FLOATING
    bad = [i for i, (p, q) in enumerate(zip(xs, ys)) if not element_matches(p, q, exact, tolerance)]
    if not bad:
        return None
    i = bad[0]
    rule = "exactly" if exact else f"rtol={tolerance[0]:g} atol={tolerance[1]:g}"
    return f"{len(bad)} of {len(xs)} elements differ ({rule}); first at flat index {i}: {xs[i]!r} / {ys[i]!r}"


def compare_outputs(lhs, rhs, tolerances, sides=("v1", "v2")):
    """[(name, failure or None)], paired by name in the left side's order, then any only on
    the right (Sources/Harness/ScenarioRunner.swift:41-49). lhs/rhs: [(name, normalized)]."""
    names = [name for name, _ in lhs]
    names += [name for name, _ in rhs if name not in names]
    left, right = dict(lhs), dict(rhs)
    return [(name, compare(name, left.get(name), right.get(name), tolerances, sides)) for name in names]


def printed_outputs(calls):
    """Values passed to print(), one list per call, named as Lockstep names them
    (Sources/TFModel/Program.swift:145-149): `print[i]` for a call with one value,
    `print[i][j]` for a call with several; a call with none still takes its number."""
    result = []
    for call, values in enumerate(calls):
        for index, value in enumerate(values):
            result.append((f"print[{call}]" if len(values) == 1 else f"print[{call}][{index}]", value))
    return result


def side_outputs(result):
    """A side's completed outputs as [(name, normalized)]: named `outputs` (the child's, or
    Lockstep's JSON, whose `printed` is the printed text), else the child's `print_calls`."""
    if "outputs" in result:
        return [(output["name"], normalize(output)) for output in result["outputs"]]
    return [(name, normalize(value)) for name, value in printed_outputs(result["print_calls"])]


def verdict(v1, v2, tolerances):
    """(verdict, comparisons, note) as Lockstep decides it (Sources/Harness/ScenarioRunner.swift:19-30)."""
    if "error" in v1 or "error" in v2:
        return "error", [], None
    comparisons = compare_outputs(side_outputs(v1), side_outputs(v2), tolerances)
    if not comparisons:
        return "error", [], "the run compared nothing (no printed value, no `outputs`)"
    return ("equivalent" if all(f is None for _, f in comparisons) else "differ"), comparisons, None


def scenario_id(path):
    """The scenario's id: its path under the last `Scenarios/`, without `.yaml`."""
    tail = path.replace("\\", "/").split("Scenarios/")[-1]
    return tail[:-len(".yaml")] if tail.endswith(".yaml") else tail


def same_file(a, b):
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def scenario_outputs(node):
    """`outputs:` as ScenarioLoader reads it: one string or a list of strings."""
    if node is None:
        return None
    names = [node] if isinstance(node, str) else list(node)
    if not names or not all(isinstance(n, str) for n in names) or len(set(names)) != len(names):
        raise ValueError("'outputs' must be a non-empty list of distinct names")
    return names


# --- Running programs in real TensorFlow ----------------------------------------------------

def run(program, outputs):
    try:
        process = subprocess.run([sys.executable, "-c", CHILD, program, json.dumps(outputs)],
                                 capture_output=True, text=True, timeout=900,
                                 env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"})
    except subprocess.TimeoutExpired:
        return {"error": {"type": "<oracle: timed out>", "message": "no result after 900 s"}, "crashed": True}
    for line in process.stderr.splitlines():
        if line.startswith("@@RESULT@@"):
            return json.loads(line[len("@@RESULT@@"):])
    return {"error": {"type": "<oracle: program crashed>", "message": process.stderr[-3000:]}, "crashed": True}


def load_scenario(path):
    import yaml
    with open(path) as handle:
        # BaseLoader keeps every scalar a string, as Yams hands them to ScenarioLoader
        # (`1e-6` stays "1e-6"; `outputs: [yes]` stays "yes").
        scenario = yaml.load(handle, Loader=yaml.BaseLoader)
    outputs = scenario_outputs(scenario.get("outputs"))
    return scenario, outputs, parse_tolerances(scenario.get("tolerance"), outputs)


def summarize(result):
    return json.dumps({k: v for k, v in result.items() if k != "crashed"})[:400]


def check_lockstep(scenario_path, real_verdict, results, tolerances, entries):
    """Compares real TF's outcomes with Lockstep's from `lockstep run --json`: the verdict,
    error types, and every output with the scenario's tolerances. Returns the disagreements."""
    entry = next((e for e in entries if same_file(e.get("path", ""), scenario_path)), None)
    if entry is None:
        entry = next((e for e in entries if e.get("id") == scenario_id(scenario_path)), None)
    if entry is None:
        return ["lockstep: no result for this scenario in the JSON file"]
    if "v1" not in entry:
        return [f"lockstep could not load the scenario: {entry.get('error')}"]
    problems = []
    if entry["verdict"] != real_verdict:
        problems.append(f"lockstep verdict {entry['verdict']}, real TF {real_verdict}")
    else:
        print(f"    lockstep verdict matches: {real_verdict}")
    for problem in entry.get("problems", []):
        problems.append(f"lockstep problem: {problem}")
    for side in ("v1", "v2"):
        real, ours = results[side], entry[side]
        if "error" in real or "error" in ours:
            same = "error" in real and "error" in ours and real["error"]["type"] == ours["error"]["type"]
            line = f"{side}: real {real.get('error', {}).get('type', 'outputs')} / lockstep {ours.get('error', {}).get('type', 'outputs')}"
            if same:
                print(f"    {side} error type matches: {real['error']['type']}")
            else:
                problems.append(line + f" ({str(ours.get('error', real.get('error')))[:300]})")
            continue
        comparisons = compare_outputs(side_outputs(real), side_outputs(ours), tolerances, sides=("real TF", "lockstep"))
        for name, failure in comparisons:
            if failure is None:
                print(f"    {side} {name}: lockstep matches real TF")
            else:
                problems.append(f"{side} {name}: {failure}")
    return problems


def main(argv):
    lockstep = None
    jobs = 2
    paths = []
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--self-test":
            return self_test()
        if arg in ("--lockstep-json", "--jobs") and not args:
            print(f"{arg} needs a value", file=sys.stderr)
            return 2
        if arg == "--lockstep-json":
            with open(args.pop(0)) as handle:
                lockstep = json.load(handle)
            # Since format 1 the document is {"summary": …, "scenarios": [...]}.
            if isinstance(lockstep, dict):
                lockstep = lockstep["scenarios"]
        elif arg == "--jobs":
            jobs = max(1, int(args.pop(0)))
        elif arg.startswith("--"):
            print(f"unknown option {arg}", file=sys.stderr)
            return 2
        else:
            paths.append(arg)
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2

    scenarios = [(path, *load_scenario(path)) for path in paths]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [{side: pool.submit(run, scenario[side], outputs) for side in ("v1", "v2")}
                   for _, scenario, outputs, _ in scenarios]
        failures = []
        for (path, scenario, outputs, tolerances), future in zip(scenarios, futures):
            results = {side: f.result() for side, f in future.items()}
            real, comparisons, note = verdict(results["v1"], results["v2"], tolerances)
            expect = scenario.get("expect", "equivalent")
            mark = "ok " if real == expect else "MISMATCH"
            print(f"{mark} {path}: real TF says {real}, scenario expects {expect}" + (f" ({note})" if note else ""))
            if real != expect:
                failures.append(f"{path}: real TF says {real}, scenario expects {expect}")
            for side in ("v1", "v2"):
                print(f"    {side}: {summarize(results[side])}")
                if results[side].get("crashed"):
                    failures.append(f"{path}: {side} {results[side]['error']['type']}")
            for name, failure in comparisons:
                if failure is not None:
                    print(f"    v1/v2 {name}: {failure}")
            if lockstep is not None:
                for problem in check_lockstep(path, real, results, tolerances, lockstep):
                    print(f"    LOCKSTEP DIFFERS: {problem}")
                    failures.append(f"{path}: {problem}")
    print()
    if failures:
        print(f"{len(failures)} disagreement(s) in {len(scenarios)} scenario(s):")
        for failure in failures:
            print(f"  {failure}")
        return 1
    what = "every verdict as expected" + (", Lockstep agrees with real TF everywhere" if lockstep is not None else "")
    print(f"{len(scenarios)} scenario(s): {what}")
    return 0


# --- Self-test (pure functions only: no TensorFlow, no PyYAML) -----------------------------

def self_test():
    checks = []

    def check(what, got, want):
        checks.append((what, got == want, got, want))

    def t(dtype, values, shape=None):
        return normalize({"dtype": dtype, "shape": [len(values)] if shape is None else shape, "values": values})

    none = Tolerances()

    def ok(a, b, tolerances=none, name="out"):
        return compare(name, a, b, tolerances) is None

    # Bools: exact; JSON true/false, Python True/False and (old child output) "False" all read.
    check("bool equal", ok(t("bool", [True, False]), t("bool", [True, False])), True)
    check("bool differ", ok(t("bool", [True, False]), t("bool", [True, True])), False)
    check("bool differ despite huge tolerance", ok(t("bool", [False]), t("bool", [True]), Tolerances((1.0, 1.0))), False)
    check("bool from strings", t("bool", ["False", "true"]), ("tensor", "bool", [2], [False, True]))
    check("bool vs int32 is a dtype mismatch", ok(t("bool", [True]), t("int32", [1])), False)
    # Integers: exact, as integers (2**53 + 1 and 2**53 are the same float, not the same int64).
    check("int64 above 2**53 differ", ok(t("int64", [2**53 + 1]), t("int64", [2**53])), False)
    check("int64 equal", ok(t("int64", [-2**63, 2**63 - 1]), t("int64", [-2**63, 2**63 - 1])), True)
    check("int32 off by one despite scenario tolerance", ok(t("int32", [1]), t("int32", [2]), Tolerances((0.5, 1.0))), False)
    check("int32 off by one despite per-output tolerance", ok(t("int32", [1]), t("int32", [2]), Tolerances(None, {"out": (0.5, 1.0)})), False)
    check("int32 vs int64", ok(t("int32", [1]), t("int64", [1])), False)
    check("int from a float JSON number", t("int32", [3.0]), ("tensor", "int32", [1], [3]))
    # Dtype defaults: float32 rtol 1.3e-6 atol 1e-5, float64 1e-7 / 1e-7.
    check("float32 default tolerance passes 5e-6", ok(t("float32", [1.0]), t("float32", [1.000005])), True)
    check("float32 default tolerance fails 2e-5", ok(t("float32", [1.0]), t("float32", [1.00002])), False)
    check("float64 default tolerance fails 5e-6", ok(t("float64", [1.0]), t("float64", [1.000005])), False)
    check("float64 default tolerance passes 1e-7", ok(t("float64", [1.0]), t("float64", [1.0000001])), True)
    check("float16 is exact (not floating point in Lockstep)", ok(t("float16", [1.0]), t("float16", [1.0009765625])), False)
    # Scenario-level and per-output tolerances, parsed as ScenarioLoader does (strings from YAML).
    scenario = parse_tolerances({"rtol": "0", "atol": "0"}, ["epsilon"])
    check("scenario tolerance 0 overrides float64 default", ok(t("float64", [1e-8]), t("float64", [1e-7]), scenario, "epsilon"), False)
    mixed = parse_tolerances({"default": {"rtol": "0", "atol": "0"}, "loss": {"rtol": "0", "atol": "1e-1"}}, ["loss", "acc"])
    check("per-output tolerance applies to its output", ok(t("float32", [1.0]), t("float32", [1.05]), mixed, "loss"), True)
    check("scenario default applies to the others", ok(t("float32", [1.0]), t("float32", [1.000001]), mixed, "acc"), False)
    only = parse_tolerances({"loss": {"rtol": "0", "atol": "1e-1"}}, None)
    check("dtype default for outputs without one", only.for_output("acc", "float32"), (1.3e-6, 1e-5))
    check("per-output tolerance on a print output", ok(t("float32", [1.0]), t("float32", [1.05]), parse_tolerances({"print[0]": {"rtol": "0.1", "atol": "0"}}, None), "print[0]"), True)
    check("whole-scenario form", parse_tolerances({"rtol": "1e-6", "atol": "2e-6"}, None).scenario, (1e-6, 2e-6))
    for bad in ({"rtol": "1e-6"}, {"rtol": "-1", "atol": "0"}, {"rtol": "x", "atol": "0"}, {"default": {"rtol": "0", "atol": "0", "eps": "1"}}):
        try:
            parse_tolerances(bad, ["out"])
            check(f"rejects {bad}", "accepted", "ValueError")
        except ValueError:
            check(f"rejects {bad}", "ValueError", "ValueError")
    try:
        parse_tolerances({"other": {"rtol": "0", "atol": "0"}}, ["out"])
        check("rejects a tolerance for an unknown output", "accepted", "ValueError")
    except ValueError:
        check("rejects a tolerance for an unknown output", "ValueError", "ValueError")
    # |a - b| <= atol + rtol*|b|: b is the right-hand side.
    check("rtol scales |rhs|: 1 vs 2 at rtol 0.5", ok(t("float64", [1.0]), t("float64", [2.0]), Tolerances((0.5, 0.0))), True)
    check("rtol scales |rhs|: 2 vs 1 at rtol 0.5", ok(t("float64", [2.0]), t("float64", [1.0]), Tolerances((0.5, 0.0))), False)
    # NaN and infinities: NaN matches NaN only; infinities match in position and sign.
    check("nan vs nan", ok(t("float32", ["nan"]), t("float32", [float("nan")])), True)
    check("-nan vs nan", ok(t("float32", ["-nan"]), t("float32", ["nan"])), True)
    check("nan vs number despite huge tolerance", ok(t("float32", ["nan"]), t("float32", [1.0]), Tolerances((1e9, 1e9))), False)
    check("inf vs inf", ok(t("float64", ["inf"]), t("float64", [float("inf")])), True)
    check("inf vs -inf", ok(t("float64", ["inf"]), t("float64", ["-inf"])), False)
    check("inf vs 1e308 despite huge tolerance", ok(t("float64", ["inf"]), t("float64", [1e308]), Tolerances((1e9, 1e9))), False)
    check("nan positions must agree", ok(t("float32", [1.0, "nan"]), t("float32", ["nan", 1.0])), False)
    # Kinds, shapes, text, missing outputs.
    check("shape mismatch", ok(t("float32", [1.0, 2.0], [2]), t("float32", [1.0, 2.0], [1, 2])), False)
    check("scalar shape", t("float32", [2], []), ("tensor", "float32", [], [2.0]))
    check("text equal", ok(normalize({"dtype": "text", "value": "a"}), normalize({"dtype": "text", "value": "a"})), True)
    check("text differ", ok(normalize({"dtype": "text", "value": "a"}), normalize({"dtype": "text", "value": "a "})), False)
    check("text vs tensor", ok(normalize({"dtype": "text", "value": "1"}), t("int64", [1])), False)
    check("missing on the right", compare("x", t("int64", [1]), None, none), "missing on v2")
    pairs = compare_outputs([("a", t("int64", [1])), ("b", t("int64", [1]))], [("b", t("int64", [2])), ("c", t("int64", [1]))], none)
    check("pairing order and failures", [(n, f is None) for n, f in pairs], [("a", False), ("b", False), ("c", False)])
    # Printed values are named as Lockstep names them.
    check("print names", [n for n, _ in printed_outputs([["x"], [], ["y", "z"], ["w"]])], ["print[0]", "print[2][0]", "print[2][1]", "print[3]"])
    # Verdicts.
    v_a = {"outputs": [{"name": "flag", "dtype": "bool", "shape": [], "values": [True]}]}
    v_b = {"outputs": [{"name": "flag", "dtype": "bool", "shape": [], "values": [False]}]}
    check("verdict differ on a bool output", verdict(v_a, v_b, none)[0], "differ")
    check("verdict equivalent", verdict(v_a, v_a, none)[0], "equivalent")
    check("verdict error when a side raises", verdict(v_a, {"error": {"type": "TypeError", "message": ""}}, none)[0], "error")
    check("verdict error when nothing is compared", verdict({"print_calls": [[]]}, {"print_calls": []}, none)[0], "error")
    lockstep_side = {"outputs": [{"name": "print[0]", "dtype": "float32", "shape": [2], "values": [1, "nan"]}], "printed": "[ 1. nan]\n"}
    child_side = {"print_calls": [[{"dtype": "float32", "shape": [2], "values": [1.0, "nan"]}]]}
    check("Lockstep JSON (printed text) vs child print calls", compare_outputs(side_outputs(child_side), side_outputs(lockstep_side), none), [("print[0]", None)])
    check("scenario id", scenario_id("/x/Scenarios/basics/a-b.yaml"), "basics/a-b")

    for what, passed, got, want in checks:
        print(f"{'ok  ' if passed else 'FAIL'} {what}" + ("" if passed else f": got {got!r}, want {want!r}"))
    failed = sum(not passed for _, passed, _, _ in checks)
    print(f"self-test: {len(checks) - failed} of {len(checks)} checks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
