import Operations
import PythonRuntime
import TensorCore

/// The slice of NumPy scenarios use to make inputs: arrays, zeros, ones and dtypes.
extension TFRuntime {
  func registerNumpy() {
    var members: [String: PyValue] = [
      "array": function(
        "np.array",
        [
          .required("object"), .optional("dtype"), .optional("copy"), .optional("order"), .optional("subok"),
          .optional("ndmin"), .optional("like"),
        ]
      ) { bound, _ throws(RuntimeError) in
        .object(
          NDArray(
            try Conversion.numpyArray(
              bound["object"], dtype: try DTypeArgument.parse(bound["dtype"], argument: "dtype")),
            zeroDimensionalArray: true))
      },
      "asarray": function(
        "np.asarray",
        [
          .required("a"), .optional("dtype"), .optional("order"), .optional("device"), .optional("copy"),
          .optional("like"),
        ]
      ) { bound, _ throws(RuntimeError) in
        .object(
          NDArray(
            try Conversion.numpyArray(bound["a"], dtype: try DTypeArgument.parse(bound["dtype"], argument: "dtype")),
            zeroDimensionalArray: true))
      },
      "zeros": numpyFilled("np.zeros", value: 0),
      "ones": numpyFilled("np.ones", value: 1),
    ]
    for dtype in DType.modelled where dtype != .bool {
      members[dtype.name] = .object(NumpyDType(dtype))
    }
    members["bool_"] = .object(NumpyDType(.bool))
    members["nan"] = .float(.nan)
    members["inf"] = .float(.infinity)
    members["pi"] = .float(Double.pi)
    members["e"] = .float(2.718281828459045)
    members["bool"] = .object(NumpyDType(.bool))
    register(ModuleName.numpy, members)
  }

  private func numpyFilled(_ api: String, value: Double) -> PyValue {
    function(api, [.required("shape"), .optional("dtype"), .optional("order"), .optional("device"), .optional("like")])
    { bound, _ throws(RuntimeError) in
      guard let dims = try bound.shape("shape", allowUnknown: false)?.map({ $0! }) else {
        throw .typeError("expected a sequence of integers or a single integer, got 'None'")
      }
      let dtype = try DTypeArgument.parse(bound["dtype"], argument: "dtype") ?? .float64
      return .object(
        NDArray(
          try Conversion.kernel { () throws(TensorError) in try Tensor.filled(with: value, shape: dims, dtype: dtype) })
      )
    }
  }

  /// Registers every implemented module member.
  func registerAPI() {
    registerCoreOps()
    registerCompatV1()
    registerGradientAPI()
    registerOptimizers()
    registerKeras()
    registerNumpy()
    registerNumpyReductions()
    registerErrors()
    registerNN()
    registerModule()
    registerNameScopes()
  }
}
