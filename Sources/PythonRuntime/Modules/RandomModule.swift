import Foundation

extension StandardLibrary {
  /// `random`: CPython's Mersenne Twister and its algorithms, so that a seeded program draws
  /// the same numbers as under CPython. Unseeded use is unsupported: the sandbox has no
  /// entropy source to match.
  static let randomModule = ModuleDefinition(
    "random",
    publicNames: """
      BPF LOG4 NV_MAGICCONST RECIP_BPF Random SG_MAGICCONST SystemRandom TWOPI betavariate choice choices \
      expovariate gammavariate gauss getrandbits getstate lognormvariate normalvariate paretovariate randbytes \
      randint random randrange sample seed setstate shuffle triangular uniform vonmisesvariate weibullvariate
      """
  ) { interpreter in RandomFunctions.members(interpreter) }
}

/// The generator behind `random`'s functions or one `random.Random` instance; nil until seeded.
final class RandomState {
  var generator: MersenneTwister?

  /// The state of a `random.Random` instance.
  static func of(_ instance: PyInstance) throws(RuntimeError) -> RandomState {
    try instance.state { RandomState() }
  }

  /// The seeded generator.
  func seeded() throws(RuntimeError) -> MersenneTwister {
    guard let generator else {
      throw .unsupported("random numbers without random.seed(n) (the sandbox has no entropy source)")
    }
    return generator
  }
}

/// `random.Random`'s methods, which the module's functions call on a shared state.
enum RandomFunctions {
  typealias Method = (RandomState, Arguments, CallContext) throws(RuntimeError) -> PyValue

  /// The module's functions, on one shared state, and the `Random` class.
  static func members(_ interpreter: Interpreter) -> [String: PyValue] {
    let shared = RandomState()
    var members: [String: PyValue] = [:]
    for (name, method) in methods {
      members[name] = Native.function(name) { arguments, context throws(RuntimeError) in
        try method(shared, arguments, context)
      }
    }
    var randomClass = NativeClass("Random", module: "random")
    for (name, method) in methods { randomClass.methods[name] = onInstance(method) }
    randomClass.methods["__init__"] = initializer()
    members["Random"] = randomClass.make(interpreter).value
    return members
  }

  /// `Random(x)`: a generator of its own, seeded with `x`.
  static func initializer() -> NativeMethod {
    let method: NativeMethod = { instance, arguments, context throws(RuntimeError) in
      let state = RandomState()
      instance.native = state
      return try seed(state, arguments, context)
    }
    return method
  }

  /// A method that runs on a `random.Random` instance's own state.
  static func onInstance(_ method: @escaping Method) -> NativeMethod {
    let wrapped: NativeMethod = {
      (instance: PyInstance, arguments: Arguments, context: CallContext) throws(RuntimeError) -> PyValue in
      try method(try RandomState.of(instance), arguments, context)
    }
    return wrapped
  }

  /// Binds arguments as CPython binds a `Random` method's (its messages count `self`).
  private static func bind(_ name: String, _ arguments: Arguments, _ signature: [Arguments.Parameter])
    throws(RuntimeError) -> BoundArguments
  {
    try Arguments([.none] + arguments.positional, keywords: arguments.keywords)
      .bind("Random.\(name)", [.required("self")] + signature)
  }

  static var methods: [String: Method] {
    [
      "seed": seed,
      "random": { state, arguments, _ throws(RuntimeError) in
        _ = try bind("random", arguments, [])
        return .float(try state.seeded().random())
      },
      "getrandbits": { state, arguments, _ throws(RuntimeError) in
        let k = try Native.integer(try bind("getrandbits", arguments, [.required("k")])["k"])
        guard k >= 0 else { throw .valueError("number of bits must be non-negative") }
        guard k < 64 else { throw .unsupported("integers beyond 64 bits") }
        return .int(try state.seeded().bits(k))
      },
      "randrange": { state, arguments, _ throws(RuntimeError) in
        let bound = try bind(
          "randrange", arguments, [.required("start"), .optional("stop"), .optional("step", .int(1))])
        return .int(try randrange(try state.seeded(), bound["start"], bound["stop"], bound["step"]))
      },
      "randint": { state, arguments, _ throws(RuntimeError) in
        let bound = try bind("randint", arguments, [.required("a"), .required("b")])
        let b = try index(bound["b"], "stop")
        return .int(try randrange(try state.seeded(), bound["a"], .int(b + 1), .int(1)))
      },
      "choice": { state, arguments, context throws(RuntimeError) in
        let sequence = try bind("choice", arguments, [.required("seq")])["seq"]
        let count = try length(sequence, context)
        guard count > 0 else { throw .exception("IndexError", "Cannot choose from an empty sequence") }
        return try context.interpreter.item(sequence, .int(try state.seeded().below(count)), at: context.location)
      },
      "shuffle": { state, arguments, context throws(RuntimeError) in
        let sequence = try bind("shuffle", arguments, [.required("x")])["x"]
        let generator = try state.seeded()
        let interpreter = context.interpreter
        for i in stride(from: try length(sequence, context) - 1, to: 0, by: -1) {
          let j = generator.below(i + 1)
          let (a, b) = (
            try interpreter.item(sequence, .int(j), at: context.location),
            try interpreter.item(sequence, .int(i), at: context.location)
          )
          try interpreter.setItem(sequence, .int(i), a, at: context.location)
          try interpreter.setItem(sequence, .int(j), b, at: context.location)
        }
        return .none
      },
      "sample": { state, arguments, context throws(RuntimeError) in
        let bound = try bind("sample", arguments, [.required("population"), .required("k"), .optional("counts")])
        guard bound["counts"].isNone else { throw .unsupported("random.sample(counts=…)") }
        return .list(PyList(try sample(try state.seeded(), bound["population"], bound["k"], context)))
      },
      "choices": { state, arguments, context throws(RuntimeError) in
        let bound = try bind(
          "choices", arguments,
          [.required("population"), .optional("weights"), .optional("cum_weights"), .optional("k", .int(1))])
        return .list(PyList(try choices(try state.seeded(), bound, context)))
      },
      "uniform": { state, arguments, context throws(RuntimeError) in
        let bound = try bind("uniform", arguments, [.required("a"), .required("b")])
        let (a, b) = (try Native.real(bound["a"], context), try Native.real(bound["b"], context))
        return .float(a + (b - a) * (try state.seeded().random()))
      },
      "triangular": { state, arguments, context throws(RuntimeError) in
        let bound = try bind(
          "triangular", arguments,
          [.optional("low", .float(0)), .optional("high", .float(1)), .optional("mode")])
        var (low, high) = (try Native.real(bound["low"], context), try Native.real(bound["high"], context))
        var u = try state.seeded().random()
        guard high != low else { return .float(low) }
        var c = bound["mode"].isNone ? 0.5 : (try Native.real(bound["mode"], context) - low) / (high - low)
        if u > c {
          u = 1 - u
          c = 1 - c
          swap(&low, &high)
        }
        return .float(low + (high - low) * (u * c).squareRoot())
      },
      "gauss": { state, arguments, context throws(RuntimeError) in
        let (mu, sigma) = try location(
          bind("gauss", arguments, [.optional("mu", .float(0)), .optional("sigma", .float(1))]), context)
        let generator = try state.seeded()
        var z: Double
        if let next = generator.gaussNext {
          z = next
          generator.gaussNext = nil
        } else {
          let angle = generator.random() * 2 * Double.pi
          let radius = (-2.0 * Foundation.log(1.0 - generator.random())).squareRoot()
          z = Foundation.cos(angle) * radius
          generator.gaussNext = Foundation.sin(angle) * radius
        }
        return .float(mu + z * sigma)
      },
      "normalvariate": { state, arguments, context throws(RuntimeError) in
        let (mu, sigma) = try location(
          bind("normalvariate", arguments, [.optional("mu", .float(0)), .optional("sigma", .float(1))]), context)
        return .float(mu + normal(try state.seeded()) * sigma)
      },
      "lognormvariate": { state, arguments, context throws(RuntimeError) in
        let (mu, sigma) = try location(
          bind("lognormvariate", arguments, [.required("mu"), .required("sigma")]), context)
        return .float(Foundation.exp(mu + normal(try state.seeded()) * sigma))
      },
      "expovariate": { state, arguments, context throws(RuntimeError) in
        let lambd = try Native.real(try bind("expovariate", arguments, [.required("lambd")])["lambd"], context)
        let u = try state.seeded().random()
        guard lambd != 0 else { throw .exception("ZeroDivisionError", "float division by zero") }
        return .float(-Foundation.log(1.0 - u) / lambd)
      },
    ]
  }

  /// `seed(a=None, version=2)`: ints (by magnitude) and bools; no seed, strings and floats
  /// would need entropy or CPython's hashing and are unsupported.
  static func seed(_ state: RandomState, _ arguments: Arguments, _ context: CallContext) throws(RuntimeError)
    -> PyValue
  {
    let bound = try bind("seed", arguments, [.optional("a"), .optional("version", .int(2))])
    let magnitude: UInt64
    switch bound["a"] {
    case let .int(n): magnitude = UInt64(n.magnitude)
    case let .bool(b): magnitude = b ? 1 : 0
    case .none: throw .unsupported("random.seed() without a seed (the sandbox has no entropy source)")
    case .float, .string: throw .unsupported("random.seed() with a \(bound["a"].typeName) seed")
    default:
      throw .typeError("The only supported seed types are: None,\nint, float, str, bytes, and bytearray.")
    }
    if let generator = state.generator {
      generator.reseed(magnitude)
    } else {
      state.generator = MersenneTwister(seed: magnitude)
    }
    return .none
  }
}
