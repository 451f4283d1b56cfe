#!/usr/bin/env python3
"""Differential fuzzer for Lockstep's Python interpreter against CPython.

Generates small random programs from a grammar of the Python subset scenarios use
(arithmetic on ints, floats, strings and bools, comparisons, containers and their methods,
functions with defaults and keyword arguments, loops, conditionals, exceptions, classes,
f-strings and common builtins), runs each with CPython and with `lockstep exec`, and compares
what they print (an uncaught error is compared as its last line, `Type: message`).

A program Lockstep refuses as `unsupported` (a feature it names and lacks) is counted apart
from real differences. Every difference is saved (with both outputs) to --save-dir.

Usage:
    python3 Tools/python_fuzz.py [--count 500] [--seed 1] [--lockstep .build/debug/lockstep]
                                 [--save-dir /tmp/python-fuzz] [--jobs 2]
Exit status: 0 when no program differs, 1 otherwise.
"""
import argparse
import concurrent.futures
import pathlib
import random
import re
import subprocess
import sys

NAMES = ["a", "b", "c", "d", "n", "x", "y", "z"]
BINARY = ["+", "-", "*", "/", "//", "%", "**"]
COMPARE = ["<", "<=", ">", ">=", "==", "!="]
EXCEPTIONS = ["ValueError", "TypeError", "ZeroDivisionError", "IndexError", "KeyError", "AttributeError"]


class Generator:
    """Builds one random program; `depth` bounds expression nesting."""

    def __init__(self, rng):
        self.rng = rng
        self.lines = []
        self.indent = 0
        self.functions = []

    def emit(self, line):
        self.lines.append("    " * self.indent + line)

    def choice(self, items):
        return self.rng.choice(items)

    def literal(self):
        kind = self.rng.randrange(7)
        if kind == 0:
            return str(self.rng.randint(-20, 20))
        if kind == 1:
            return repr(self.choice([0.5, 1.25, -2.0, 3.0, 0.1, 1e3, 2.5e-3, 7.0]))
        if kind == 2:
            return repr(self.choice(["", "ab", "xyz", "Hello", "a b"]))
        if kind == 3:
            return self.choice(["True", "False", "None"])
        if kind == 4:
            return "[" + ", ".join(str(self.rng.randint(-5, 9)) for _ in range(self.rng.randrange(4))) + "]"
        if kind == 5:
            return "(" + "".join(str(self.rng.randint(0, 9)) + ", " for _ in range(self.rng.randrange(3))) + ")"
        return "{" + ", ".join(f"{self.choice(['k', 'v', 'w'])!r}: {self.rng.randint(0, 9)}"
                               for _ in range(self.rng.randrange(3))) + "}"

    def expression(self, depth=0):
        if depth > 2:
            return self.choice([self.literal(), self.choice(NAMES)])
        kind = self.rng.randrange(14)
        sub = lambda: self.expression(depth + 1)
        if kind < 3:
            return self.literal()
        if kind < 5:
            return self.choice(NAMES)
        if kind == 5:
            op = self.choice(BINARY)
            right = str(self.rng.randint(0, 3)) if op == "**" else sub()
            return f"({sub()} {op} {right})"
        if kind == 6:
            return f"({sub()} {self.choice(COMPARE)} {sub()})"
        if kind == 7:
            return f"({sub()} {self.choice(['and', 'or'])} {sub()})"
        if kind == 8:
            return f"({sub()} if {sub()} else {sub()})"
        if kind == 9:
            builtin = self.choice(["len", "abs", "str", "repr", "bool", "int", "float", "sorted", "list",
                                   "min", "max", "sum", "round", "type"])
            return f"{builtin}({sub()})"
        if kind == 10:
            return f"{sub()}[{self.choice(['0', '-1', '1:', ':2', '::2', repr('k')])}]"
        if kind == 11:
            method = self.choice(["upper()", "split()", "count(1)", "index(2)", "get('k', 0)", "keys()",
                                  "items()", "strip()", "replace('a', 'b')", "startswith('a')", "copy()"])
            return f"({sub()}).{method}"
        if kind == 12 and self.functions:
            name, arity = self.choice(self.functions)
            args = [sub() for _ in range(self.rng.randint(max(0, arity - 1), arity))]
            return f"{name}({', '.join(args)})"
        # An f-string's fields hold only names and simple literals: 3.11 allows neither the
        # f-string's own quote nor a nested f-string inside a field.
        field = lambda: self.choice(NAMES) if self.rng.random() < 0.5 else str(self.rng.randint(-9, 9))
        return f'f"{{{field()}}}-{{{field()}!r:>6}}"' if self.rng.random() < 0.3 else f'f"{{{field()}}}-{{{field()}!r}}"'


    def statement(self, depth=0):
        kind = self.rng.randrange(12 if depth < 2 else 5)
        if kind < 3:
            self.emit(f"{self.choice(NAMES)} = {self.expression()}")
        elif kind < 5:
            self.emit(f"print({self.expression()})")
        elif kind == 5:
            self.emit(f"if {self.expression()}:")
            self.block(depth)
            if self.rng.random() < 0.5:
                self.emit("else:")
                self.block(depth)
        elif kind == 6:
            self.emit(f"for {self.choice(NAMES)} in {self.choice(['range(3)', '[1, 2, 3]', repr('ab'), 'range(-2, 4, 2)'])}:")
            self.block(depth)
        elif kind == 7:
            # A counter no other statement assigns, so the loop always ends.
            counter = f"w{len(self.lines)}"
            self.emit(f"{counter} = 0")
            self.emit(f"while {counter} < {self.rng.randint(1, 4)}:")
            self.indent += 1
            self.emit(f"{counter} += 1")
            self.statement(depth + 1)
            self.indent -= 1
        elif kind == 8:
            self.emit("try:")
            self.block(depth)
            exceptions = self.rng.sample(EXCEPTIONS, self.rng.randint(1, 2))
            handled = exceptions[0] if len(exceptions) == 1 else "(" + ", ".join(exceptions) + ")"
            self.emit(f"except {handled} as e:")
            self.indent += 1
            self.emit("print(type(e).__name__, e)")
            self.indent -= 1
        elif kind == 9:
            name = f"f{len(self.functions)}"
            arity = self.rng.randint(0, 2)
            params = ["p", "q"][:arity]
            if self.rng.random() < 0.5:
                params.append(f"r={self.literal()}")
            self.emit(f"def {name}({', '.join(params)}):")
            self.indent += 1
            self.statement(depth + 1)
            self.emit(f"return {self.choice(params[:arity] or ['None'])}")
            self.indent -= 1
            self.functions.append((name, arity))
        elif kind == 10:
            self.emit("class K:")
            self.indent += 1
            self.emit("scale = 2")
            self.emit("def __init__(self, v):")
            self.emit("    self.v = v")
            self.emit("def get(self):")
            self.emit("    return self.v * self.scale")
            self.emit("def __repr__(self):")
            self.emit("    return f'K({self.v!r})'")
            self.indent -= 1
            self.emit(f"{self.choice(NAMES)} = K({self.expression()})")
            self.emit(f"print({self.choice(NAMES)})")
        else:
            self.emit(f"{self.choice(NAMES)} = [{self.expression(1)} for {self.choice(NAMES)} in range(3)]")

    def block(self, depth):
        self.indent += 1
        for _ in range(self.rng.randint(1, 2)):
            self.statement(depth + 1)
        self.indent -= 1

    def program(self):
        for name in NAMES:
            self.emit(f"{name} = {self.literal()}")
        for _ in range(self.rng.randint(3, 8)):
            self.statement()
        return "\n".join(self.lines) + "\n"


def run_cpython(path):
    """CPython's output, or None when the program does not end within 20 s (huge numbers)."""
    try:
        result = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        return None
    output = result.stdout
    if result.returncode != 0:
        last = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "error"
        # CPython's traceback printer appends name suggestions; they are not in the message.
        last = re.sub(r"\. Did you mean: '[^']*'\?$", "", last)
        if output and not output.endswith("\n"):
            output += "\n"
        output += last + "\n"
    return output


def run_lockstep(lockstep, path):
    result = subprocess.run([lockstep, "exec", str(path)], capture_output=True, text=True, timeout=60)
    if result.returncode == 2:
        return "lockstep could not run the file: " + result.stderr
    return result.stdout


def check(args, index):
    rng = random.Random(args.seed * 1_000_003 + index)
    source = Generator(rng).program()
    path = pathlib.Path(args.save_dir) / f"program-{index}.py"
    path.write_text(source)
    expected = run_cpython(path)
    if expected is None:
        path.unlink()
        return "skipped", None
    actual = run_lockstep(args.lockstep, path)
    if expected == actual:
        path.unlink()
        return "same", None
    last = actual.strip().splitlines()[-1] if actual.strip() else ""
    if last.startswith("unsupported:"):
        path.unlink()
        return "unsupported", last
    path.with_suffix(".diff").write_text(f"--- CPython\n{expected}--- Lockstep\n{actual}")
    return "different", str(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lockstep", default=".build/debug/lockstep")
    parser.add_argument("--save-dir", default="/tmp/python-fuzz")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    pathlib.Path(args.save_dir).mkdir(parents=True, exist_ok=True)
    counts = {"same": 0, "unsupported": 0, "different": 0, "skipped": 0}
    features = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for outcome, detail in pool.map(lambda index: check(args, index), range(args.count)):
            counts[outcome] += 1
            if outcome == "unsupported":
                features[detail] = features.get(detail, 0) + 1
            elif outcome == "different":
                print(f"different: {detail} (see {pathlib.Path(detail).with_suffix('.diff')})")
    for feature, count in sorted(features.items(), key=lambda item: -item[1]):
        print(f"unsupported ({count}): {feature}")
    print(f"{args.count} programs (seed {args.seed}): {counts['same']} same, "
          f"{counts['unsupported']} unsupported by Lockstep, {counts['different']} different, "
          f"{counts['skipped']} skipped (CPython itself did not finish)")
    return 1 if counts["different"] else 0


if __name__ == "__main__":
    sys.exit(main())
