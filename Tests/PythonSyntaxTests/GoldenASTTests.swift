import Testing

@testable import PythonSyntax

/// A program and the AST dump it must parse to, positions included.
struct GoldenCase: Sendable, CustomTestStringConvertible {
  let source: String
  let dump: String
  var testDescription: String { source.split(separator: "\n").first.map(String.init) ?? "" }
}

@Suite struct GoldenASTTests {
  static let cases: [GoldenCase] = [
    GoldenCase(
      source: "x = 1 + 2 * 3\n", dump: "(assign@1:1 (name x@1:1) (+ (int 1@1:5) (* (int 2@1:9) (int 3@1:13))))"),
    GoldenCase(
      source: "a, b = b, a\n",
      dump: "(assign@1:1 (tuple@1:1 (name a@1:1) (name b@1:4)) (tuple@1:8 (name b@1:8) (name a@1:11)))"),
    GoldenCase(source: "y = -x ** 2\n", dump: "(assign@1:1 (name y@1:1) (-@1:5 (** (name x@1:6) (int 2@1:11))))"),
    GoldenCase(source: "import tensorflow.compat.v1 as tf\n", dump: "(import@1:1 tensorflow.compat.v1 as tf)"),
    GoldenCase(
      source: "z = tf.add(x, y=2, name='z')\n",
      dump: "(assign@1:1 (name z@1:1) (call (. (name tf@1:5) add) (name x@1:12) y=(int 2@1:17) name=(str "
          + "\"z\"@1:25)))"),
    GoldenCase(
      source: "with s() as t:\n    r = t.run(z)[0:2]\n",
      dump:
        "(with@1:1 (call (name s@1:6)) as (name t@1:13) [(assign@2:5 (name r@2:5) ([] (call (. (name t@2:9) run) "
          + "(name z@2:15)) (slice@2:18 (int 0@2:18) (int 2@2:20) _)))])"
    ),
    GoldenCase(
      source: "for i, v in enumerate(xs):\n    if i < 2 <= v: continue\n    total += v\n",
      dump:
        "(for@1:1 (tuple@1:5 (name i@1:5) (name v@1:8)) (call (name enumerate@1:13) (name xs@1:23)) [(if@2:5 "
          + "(compare (name i@2:8) < (int 2@2:12) <= (name v@2:17)) [(continue@2:20)]) (+=@3:5 (name total@3:5) "
          + "(name v@3:14))])"
    ),
    GoldenCase(
      source: "def f(a, b=1.5):\n    return lambda c=a: c if b else None\n",
      dump:
        "(def@1:1 f (a b=(float 1.5@1:12)) [(return@2:5 (lambda@2:12 (c=(name a@2:21)) (if-expr (name b@2:29) (name "
          + "c@2:24) (None@2:36))))])"
    ),
    GoldenCase(
      source: "ys = [x * 2 for x in xs if x]\n",
      dump:
        "(assign@1:1 (name ys@1:1) (list-comp@1:6 (* (name x@1:7) (int 2@1:11)) for (name x@1:17) in (name xs@1:22) "
          + "if (name x@1:28)))"
    ),
    GoldenCase(
      source: "s = sum(v for k, v in d.items())\n",
      dump:
        "(assign@1:1 (name s@1:1) (call (name sum@1:5) (generator-comp@1:9 (name v@1:9) for (tuple@1:15 (name "
          + "k@1:15) (name v@1:18)) in (call (. (name d@1:23) items)))))"
    ),
    GoldenCase(
      source: "try:\n    f()\nexcept (A, B) as e:\n    raise\nelse:\n    pass\nfinally:\n    g()\n",
      dump:
        "(try@1:1 [(expr@2:5 (call (name f@2:5)))] (except (tuple@3:8 (name A@3:9) (name B@3:12)) as e "
          + "[(raise@4:5)]) else [(pass@6:5)] finally [(expr@8:5 (call (name g@8:5)))])"
    ),
    GoldenCase(
      source: "def f(a, /, b, *args, c, d=1, **kw):\n    global g\n    nonlocal n\n",
      dump: "(def@1:1 f (/a b *args kw:c kw:d=(int 1@1:28) **kw) [(global@2:5 g) (nonlocal@3:5 n)])"),
    GoldenCase(
      source: "f(x, *xs, k=1, **kw)\n",
      dump: "(expr@1:1 (call (name f@1:1) (name x@1:3) *(name xs@1:7) k=(int 1@1:13) **(name kw@1:18)))"),
    GoldenCase(
      source: "@d(1)\nclass C(A, B):\n    x = 1\n",
      dump:
        "(class@2:1 @(call (name d@1:2) (int 1@1:4)) C ((name A@2:9) (name B@2:12)) [(assign@3:5 (name x@3:5) (int "
          + "1@3:9))])"
    ),
    GoldenCase(
      source: "def g(xs):\n    x = yield\n    yield from xs\n",
      dump: "(def@1:1 g (xs) [(assign@2:5 (name x@2:5) (yield@2:9)) (expr@3:5 (yield-from@3:5 (name xs@3:16)))])"),
    GoldenCase(
      source: "raise E('m') from err\n",
      dump: "(raise@1:1 (call (name E@1:7) (str \"m\"@1:9)) from (name err@1:19))"),
  ]

  @Test("programs parse to the expected AST, with positions", arguments: cases)
  func golden(_ testCase: GoldenCase) throws {
    let program = try Parser.parse(testCase.source)
    #expect(program.map(\.dump).joined(separator: "\n") == testCase.dump)
  }
}
