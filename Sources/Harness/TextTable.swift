/// Plain-text tables with aligned columns.
struct TextTable {
  var header: [String]
  var rows: [[String]] = []

  /// The table, each column padded to its widest cell, lines indented by `indent`.
  func rendered(indent: String = "  ") -> String {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
    return all.map { row in
      let cells = row.enumerated().map { column, cell in
        column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
      }
      return indent + cells.joined(separator: "  ")
    }.joined(separator: "\n")
  }
}
