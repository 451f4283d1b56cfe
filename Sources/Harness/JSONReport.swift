import Foundation
import TFModel
import TensorCore

/// The `--json` output: per scenario, the verdict, each side's outputs or error, and the
/// baseline status.
public enum JSONReport {
  /// Writes the items as a JSON document.
  public static func write(_ items: [RunSession.Item], to path: String) throws {
    let document: [[String: Any]] = items.map { item in
      switch item {
      case let .invalid(error):
        return ["path": error.path, "error": error.description]
      case let .ran(result):
        return [
          "id": result.scenario.id,
          "path": result.scenario.path,
          "profile": result.profile.version,
          "expect": result.scenario.expect.rawValue,
          "verdict": result.verdict.rawValue,
          "passed": result.passed,
          "problems": result.problems,
          "baseline": Report.shortBaseline(result.baseline),
          "v1": side(result.v1),
          "v2": side(result.v2),
        ]
      }
    }
    let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
    try data.write(to: URL(fileURLWithPath: path), options: .atomic)
  }

  private static func side(_ result: ProgramResult) -> [String: Any] {
    var entry = outcome(result)
    entry["printed"] = result.printed
    entry["defaults"] = result.defaultedCalls.map { call -> [String: Any] in
      ["api": call.api, "line": call.location.line, "column": call.location.column, "arguments": call.arguments]
    }
    return entry
  }

  private static func outcome(_ result: ProgramResult) -> [String: Any] {
    switch result.outcome {
    case let .failed(error):
      return [
        "error": [
          "type": error.type, "message": error.message,
          "location": error.rendered.split(separator: "\n").first.map(String.init) ?? "",
        ]
      ]
    case let .completed(outputs):
      return [
        "outputs": outputs.map { output -> [String: Any] in
          switch output.value {
          case let .text(text):
            return ["name": output.name, "dtype": "text", "value": text]
          case let .tensor(tensor):
            // Non-finite floats are written as strings ("nan", "inf"), which JSON cannot hold as numbers.
            let values: [Any] = (0..<tensor.scalarCount).map { index -> Any in
              switch tensor.dtype {
              case .bool: return tensor.int64Value(at: index) != 0
              case .string: return tensor.strings[index]
              case let dtype where dtype.isFloatingPoint:
                let value = tensor.doubleValue(at: index)
                return value.isFinite ? value : BaselineFormat.element(tensor, index)
              default: return Int(tensor.int64Value(at: index))
              }
            }
            return ["name": output.name, "dtype": tensor.dtype.name, "shape": tensor.shape, "values": values]
          }
        }
      ]
    }
  }
}
