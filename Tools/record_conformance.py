#!/usr/bin/env python3
"""Records CPython's output for the conformance corpus of Lockstep's interpreter.

Each file Tests/PythonRuntimeTests/Conformance/<topic>.txt holds programs in this format:

    === name
    <program source>
    --- output
    <the stdout CPython gives; an uncaught exception is the last line `TypeName: message`>

A program whose header says `=== name [lockstep-only]` is not run here: its expected output is
written by hand (Lockstep refuses what CPython would allow, e.g. sandbox escapes).

Usage: python3 Tools/record_conformance.py [files...]   (default: every topic file)
"""
import contextlib
import io
import pathlib
import sys

CORPUS = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "PythonRuntimeTests" / "Conformance"


def parse(text):
    """Yields (header, source, output) for each program of a topic file."""
    programs = []
    header, source, output, part = None, [], [], None
    for line in text.split("\n"):
        if line.startswith("=== "):
            if header is not None:
                programs.append((header, source, output))
            header, source, output, part = line, [], [], "source"
        elif line == "--- output" and part == "source":
            part = "output"
        elif part == "source":
            source.append(line)
        elif part == "output":
            output.append(line)
    if header is not None:
        programs.append((header, source, output))
    return programs


def run(source, name):
    """CPython's stdout for a program, with an uncaught exception as its last line."""
    buffer = io.StringIO()
    error = None
    with contextlib.redirect_stdout(buffer):
        try:
            exec(compile(source, name, "exec"), {"__name__": "__main__"})
        except BaseException as e:  # noqa: BLE001 - every exception is part of the record
            # A SyntaxError's str adds "(file, line N)"; Lockstep reports the place separately.
            message = e.msg if isinstance(e, SyntaxError) else e
            error = f"{type(e).__name__}: {message}"
    out = buffer.getvalue()
    if error is not None:
        if out and not out.endswith("\n"):
            out += "\n"
        out += error + "\n"
    return out.rstrip("\n").split("\n") if out.strip("\n") else []


def record(path):
    programs = parse(path.read_text())
    lines = []
    for header, source, output in programs:
        while source and source[-1] == "":
            source.pop()
        if "[lockstep-only]" not in header:
            output = run("\n".join(source) + "\n", f"{path.stem}:{header[4:]}")
        while output and output[-1] == "":
            output.pop()
        lines += [header, *source, "--- output", *output]
    path.write_text("\n".join(lines) + "\n")
    return len(programs)


def main():
    paths = [pathlib.Path(p) for p in sys.argv[1:]] or sorted(CORPUS.glob("*.txt"))
    total = sum(record(path) for path in paths)
    print(f"recorded {total} programs in {len(paths)} files")


if __name__ == "__main__":
    main()
