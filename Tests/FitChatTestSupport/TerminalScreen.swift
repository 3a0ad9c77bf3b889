/// What a person would see on a terminal after a program's output: a grid of characters moved
/// through by the control sequences readline uses (CR, LF, BS, and CSI cursor moves and
/// erases). Colours and modes are ignored. Enough to check what is on screen, not a full VT100.
package struct TerminalScreen {
    package private(set) var lines: [[Character]] = [[]]
    private var row = 0
    private var column = 0
    private let width: Int

    package init(width: Int) {
        self.width = width
    }

    package init(width: Int, replaying output: String) {
        self.init(width: width)
        feed(output)
    }

    /// The screen as text: one line per row, trailing blanks removed.
    package var text: String {
        lines.map { String($0).replacing(/\ +$/, with: "") }.joined(separator: "\n")
    }

    /// The row the cursor is on, up to the cursor or its last visible character.
    package var cursorLine: String {
        let visible = String(lines[row]).replacing(/\ +$/, with: "")
        return visible.count >= column ? visible : String(lines[row].prefix(column)).padding(toLength: column, withPad: " ", startingAt: 0)
    }

    package mutating func feed(_ output: String) {
        var scalars = output.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            switch scalar {
            case "\r": column = 0
            case "\n": moveTo(row: row + 1)
            case "\u{8}": column = max(0, column - 1)
            case "\u{7}", "\u{1}", "\u{2}": break
            case "\u{1B}": escape(&scalars)
            default:
                if column >= width {
                    moveTo(row: row + 1)
                    column = 0
                }
                put(Character(scalar))
                column += 1
            }
        }
    }

    private mutating func escape(_ scalars: inout String.UnicodeScalarView.Iterator) {
        guard scalars.next() == "[" else { return }
        var parameters = ""
        while let scalar = scalars.next() {
            if scalar.properties.isAlphabetic || scalar == "@" || scalar == "~" {
                apply(scalar, parameters)
                return
            }
            parameters.unicodeScalars.append(scalar)
        }
    }

    private mutating func apply(_ command: Unicode.Scalar, _ parameters: String) {
        guard !parameters.hasPrefix("?") else { return }
        let numbers = parameters.split(separator: ";").map { Int($0) ?? 0 }
        let count = max(1, numbers.first ?? 1)
        switch command {
        case "A": row = max(0, row - count)
        case "B": moveTo(row: row + count)
        case "C": column = min(width - 1, column + count)
        case "D": column = max(0, column - count)
        case "G": column = min(width - 1, count - 1)
        case "H":
            moveTo(row: max(0, (numbers.first ?? 1) - 1))
            column = max(0, (numbers.count > 1 ? numbers[1] : 1) - 1)
        case "K":
            switch numbers.first ?? 0 {
            case 1: for index in 0..<min(column + 1, lines[row].count) { lines[row][index] = " " }
            case 2: lines[row] = []
            default: if column < lines[row].count { lines[row].removeSubrange(column...) }
            }
        case "J":
            if column < lines[row].count { lines[row].removeSubrange(column...) }
            lines.removeSubrange((row + 1)...)
        case "P":
            if column < lines[row].count { lines[row].removeSubrange(column..<min(lines[row].count, column + count)) }
        case "@":
            if column <= lines[row].count { lines[row].insert(contentsOf: repeatElement(" ", count: count), at: column) }
        default:
            break
        }
    }

    private mutating func moveTo(row target: Int) {
        row = target
        while lines.count <= row { lines.append([]) }
    }

    private mutating func put(_ character: Character) {
        while lines[row].count < column { lines[row].append(" ") }
        if column < lines[row].count { lines[row][column] = character } else { lines[row].append(character) }
    }
}
