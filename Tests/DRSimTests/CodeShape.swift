import Foundation

/// The shape of the declarations in Swift source: how long each function is, how many parameters it takes, and how many
/// stored properties each type holds. It reads the text, not a syntax tree: comments and string literals are blanked
/// first, so that the braces and parentheses left are the code's own, and then declarations are found by their
/// keywords. That is enough for the house rules in CONTRIBUTING.md; it does not see functions declared by macros.
struct CodeShape {
    struct Function: CustomStringConvertible {
        var file: String
        var line: Int
        var name: String
        /// From the line of `func` (or `init`, `subscript`) to the line of the closing brace, both counted.
        var lines: Int
        var parameters: Int
        /// An initialiser whose body only assigns each parameter to the property of its name.
        var memberwise: Bool
        var description: String { "\(file):\(line): \(name)" }
    }

    struct TypeDeclaration: CustomStringConvertible {
        var file: String
        var line: Int
        var name: String
        /// Instance properties that hold storage (`static` ones and computed ones are not counted).
        var storedProperties: Int
        var description: String { "\(file):\(line): \(name)" }
    }

    var functions: [Function] = []
    var types: [TypeDeclaration] = []

    init(file: String, text: String) {
        let code = Self.blanked(Array(text.utf8))
        var lineOf = [Int](repeating: 0, count: code.count + 1)
        var line = 1
        for (i, c) in code.enumerated() {
            lineOf[i] = line
            if c == UInt8(ascii: "\n") { line += 1 }
        }
        lineOf[code.count] = line
        let reader = Reader(code: code, lineOf: lineOf, file: file)
        functions = reader.functions()
        types = reader.types()
    }

    /// The source with every comment and string literal replaced by spaces, newlines kept.
    static func blanked(_ s: [UInt8]) -> [UInt8] {
        var out = s
        var i = 0
        func blank(_ a: Int, _ b: Int) {
            for k in a..<min(b, out.count) where out[k] != UInt8(ascii: "\n") { out[k] = UInt8(ascii: " ") }
        }
        let slash = UInt8(ascii: "/")
        let star = UInt8(ascii: "*")
        func at(_ k: Int, _ a: UInt8, _ b: UInt8) -> Bool { k + 1 < s.count && s[k] == a && s[k + 1] == b }
        while i < s.count {
            if at(i, slash, slash) {
                var j = i
                while j < s.count && s[j] != UInt8(ascii: "\n") { j += 1 }
                blank(i, j)
                i = j
            } else if at(i, slash, star) {
                var depth = 0
                var j = i
                repeat {
                    if at(j, slash, star) {
                        depth += 1
                        j += 2
                    } else if at(j, star, slash) {
                        depth -= 1
                        j += 2
                    } else {
                        j += 1
                    }
                } while depth > 0 && j < s.count
                blank(i, j)
                i = j
            } else if s[i] == UInt8(ascii: "\"") || (s[i] == UInt8(ascii: "#") && rawStringStarts(s, at: i)) {
                let j = stringEnd(s, from: i)
                blank(i, j)
                i = j
            } else {
                i += 1
            }
        }
        return out
    }

    /// Whether `#`s at `i` open a raw string literal.
    static func rawStringStarts(_ s: [UInt8], at i: Int) -> Bool {
        var j = i
        while j < s.count && s[j] == UInt8(ascii: "#") { j += 1 }
        return j < s.count && s[j] == UInt8(ascii: "\"")
    }

    /// The index just past the string literal starting at `start` (plain, multi-line or raw, with interpolations).
    static func stringEnd(_ s: [UInt8], from start: Int) -> Int {
        var hashes = 0
        var i = start
        while i < s.count && s[i] == UInt8(ascii: "#") {
            hashes += 1
            i += 1
        }
        let quote = UInt8(ascii: "\"")
        let multi = i + 2 < s.count && s[i + 1] == quote && s[i + 2] == quote
        i += multi ? 3 : 1
        let closing =
            [UInt8](repeating: quote, count: multi ? 3 : 1) + [UInt8](repeating: UInt8(ascii: "#"), count: hashes)
        while i < s.count {
            if s[i] == UInt8(ascii: "\\") {
                var k = i + 1
                var h = 0
                while h < hashes && k < s.count && s[k] == UInt8(ascii: "#") {
                    h += 1
                    k += 1
                }
                if h == hashes && k < s.count && s[k] == UInt8(ascii: "(") {
                    i = interpolationEnd(s, from: k)
                } else {
                    i = k + 1
                }
            } else if s[i] == quote && i + closing.count <= s.count && s[i..<(i + closing.count)].elementsEqual(closing)
            {
                return i + closing.count
            } else if !multi && s[i] == UInt8(ascii: "\n") {
                return i
            } else {
                i += 1
            }
        }
        return s.count
    }

    /// The index just past the `)` that closes the interpolation whose `(` is at `open`.
    static func interpolationEnd(_ s: [UInt8], from open: Int) -> Int {
        var depth = 0
        var i = open
        while i < s.count {
            let c = s[i]
            if c == UInt8(ascii: "\"") {
                i = stringEnd(s, from: i)
                continue
            }
            if c == UInt8(ascii: "(") { depth += 1 }
            if c == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 { return i + 1 }
            }
            i += 1
        }
        return s.count
    }
}

/// Finds declarations in blanked code.
private struct Reader {
    let code: [UInt8]
    let lineOf: [Int]
    let file: String

    func isWordByte(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95
    }

    /// The positions where `word` stands as a whole word.
    func occurrences(of word: String) -> [Int] {
        let w = Array(word.utf8)
        var found: [Int] = []
        var i = 0
        while i + w.count <= code.count {
            if code[i] == w[0] && code[i..<(i + w.count)].elementsEqual(w)
                && (i == 0 || !isWordByte(code[i - 1]))
                && (i + w.count == code.count || !isWordByte(code[i + w.count]))
            {
                found.append(i)
                i += w.count
            } else {
                i += 1
            }
        }
        return found
    }

    func skipSpaces(_ i: Int) -> Int {
        var j = i
        while j < code.count && (code[j] == 32 || code[j] == 10 || code[j] == 9) { j += 1 }
        return j
    }

    /// The index of the bracket that closes the one at `open` (`(`, `[`, `{` or `<`), counting brackets of its kind
    /// only (with comments and strings blanked, braces and parentheses balance; `->` is an arrow, not a bracket).
    func matching(_ open: Int) -> Int? {
        let opener = code[open]
        let closer: UInt8 = opener == 40 ? 41 : opener == 91 ? 93 : opener == 123 ? 125 : 62
        var depth = 0
        var i = open
        while i < code.count {
            let c = code[i]
            if c == UInt8(ascii: "-") && i + 1 < code.count && code[i + 1] == UInt8(ascii: ">") {
                i += 2
                continue
            }
            if c == opener { depth += 1 }
            if c == closer {
                depth -= 1
                if depth == 0 { return i }
            }
            i += 1
        }
        return nil
    }

    func text(_ a: Int, _ b: Int) -> String { String(decoding: code[a..<b], as: UTF8.self) }

    /// The commas at the top level of code[a..<b].
    func topLevelCommas(_ a: Int, _ b: Int) -> Int {
        var depth = 0
        var commas = 0
        var i = a
        while i < b {
            let c = code[i]
            if c == UInt8(ascii: "-") && i + 1 < b && code[i + 1] == UInt8(ascii: ">") {
                i += 2
                continue
            }
            if c == 40 || c == 91 || c == 123 || c == 60 { depth += 1 }
            if c == 41 || c == 93 || c == 125 || c == 62 { depth -= 1 }
            if c == UInt8(ascii: ","), depth == 0 { commas += 1 }
            i += 1
        }
        return commas
    }

    func functions() -> [CodeShape.Function] {
        var found: [CodeShape.Function] = []
        for keyword in ["func", "init", "subscript"] {
            for start in occurrences(of: keyword) {
                if let f = function(at: start, keyword: keyword) { found.append(f) }
            }
        }
        return found.sorted { ($0.line, $0.name) < ($1.line, $1.name) }
    }

    func function(at start: Int, keyword: String) -> CodeShape.Function? {
        var i = skipSpaces(start + keyword.utf8.count)
        var name = keyword
        if keyword == "func" {
            let nameStart = i
            while i < code.count && code[i] != UInt8(ascii: "(") && code[i] != UInt8(ascii: "<") && code[i] != 32 {
                i += 1
            }
            name = text(nameStart, i)
            i = skipSpaces(i)
        } else if i < code.count && (code[i] == UInt8(ascii: "?") || code[i] == UInt8(ascii: "!")) {
            i += 1
        }
        if i < code.count && code[i] == UInt8(ascii: "<"), let close = matching(i) { i = skipSpaces(close + 1) }
        guard i < code.count, code[i] == UInt8(ascii: "("), let close = matching(i) else { return nil }
        let inner = text(i + 1, close).trimmingCharacters(in: .whitespacesAndNewlines)
        let parameters = inner.isEmpty ? 0 : topLevelCommas(i + 1, close) + 1
        guard let (open, end) = body(after: close + 1) else { return nil }
        return CodeShape.Function(
            file: file, line: lineOf[start], name: name, lines: lineOf[end] - lineOf[start] + 1,
            parameters: parameters,
            memberwise: keyword == "init" && assignments(open + 1, end) == parameters)
    }

    /// The braces of the body that follows a signature, if it has one (a protocol's requirement has none).
    func body(after i: Int) -> (Int, Int)? {
        var j = i
        while j < code.count {
            let c = code[j]
            if c == UInt8(ascii: "{") { return matching(j).map { (j, $0) } }
            if c == UInt8(ascii: "}") || c == UInt8(ascii: ";") { return nil }
            if c == UInt8(ascii: "(") || c == UInt8(ascii: "[") || c == UInt8(ascii: "<") {
                guard let close = matching(j) else { return nil }
                j = close + 1
                continue
            }
            if c == 10 {
                let next = skipSpaces(j)
                let rest = text(next, min(next + 12, code.count))
                let continues = ["throws", "rethrows", "async", "->", "where", "{"].contains { rest.hasPrefix($0) }
                if !continues && !text(j, next).isEmpty && !lineContinues(before: j) { return nil }
            }
            j += 1
        }
        return nil
    }

    /// Whether the line ending at `newline` ends in the middle of a signature (after `->`, `,`, `:` or `&`).
    func lineContinues(before newline: Int) -> Bool {
        var k = newline - 1
        while k >= 0 && (code[k] == 32 || code[k] == 9) { k -= 1 }
        guard k >= 0 else { return false }
        return [UInt8(ascii: ">"), UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "&")].contains(code[k])
    }

    /// How many statements code[a..<b] has if each is `self.x = x`; nil if any is something else.
    func assignments(_ a: Int, _ b: Int) -> Int? {
        let statements = text(a, b).split { $0 == "\n" || $0 == ";" }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let memberwise = statements.allSatisfy { s in
            let parts = s.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return parts.count == 2 && parts[0] == "self." + parts[1]
        }
        return memberwise ? statements.count : nil
    }

    func types() -> [CodeShape.TypeDeclaration] {
        var found: [CodeShape.TypeDeclaration] = []
        for keyword in ["struct", "class", "actor"] {
            for start in occurrences(of: keyword) {
                var i = skipSpaces(start + keyword.utf8.count)
                let nameStart = i
                while i < code.count && isWordByte(code[i]) { i += 1 }
                let name = text(nameStart, i)
                // `class func`, `class var` and the like are not type declarations.
                guard !name.isEmpty,
                    !["func", "var", "let", "subscript", "override", "final", "private", "public"].contains(name),
                    let (open, close) = body(after: i)
                else { continue }
                found.append(
                    CodeShape.TypeDeclaration(
                        file: file, line: lineOf[start], name: name,
                        storedProperties: storedProperties(open + 1, close)))
            }
        }
        return found.sorted { $0.line < $1.line }
    }

    /// A `var` or `let` with its attributes and modifiers; what it declares is the capture.
    static var storedPattern: Regex<(Substring, Substring)> {
        #/
        ^\s* (?:@\w+(?:\([^)]*\))?\s+)*
        (?:(?:public|private|internal|fileprivate|open|final|lazy|weak|unowned|nonisolated
            |(?:public|private|internal|fileprivate)\(set\)|nonisolated\(unsafe\))\s+)*
        (?:var|let)\s+(.*)$
        /#
    }

    /// The stored instance properties declared directly in the type body code[a..<b].
    func storedProperties(_ a: Int, _ b: Int) -> Int {
        var count = 0
        var depth = 0
        var lineStart = a
        var i = a
        while i <= b {
            if i == b || code[i] == 10 {
                if depth == 0 { count += storedNames(inLine: text(lineStart, i)) }
                lineStart = i + 1
            } else if code[i] == UInt8(ascii: "{") {
                if depth == 0 {
                    count += storedNames(inLine: text(lineStart, i) + "{" + text(i + 1, min(b, lineEnd(i))))
                }
                depth += 1
                if depth == 1 { lineStart = b }
            } else if code[i] == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 { lineStart = i + 1 }
            }
            i += 1
        }
        return count
    }

    func lineEnd(_ i: Int) -> Int {
        var j = i
        while j < code.count && code[j] != 10 { j += 1 }
        return j
    }

    /// How many stored properties one line of a type body declares: 0 for a computed or static property.
    func storedNames(inLine line: String) -> Int {
        // Swift's Regex is slow in a debug build: look for the keywords first.
        guard line.contains("var ") || line.contains("let "),
            line.contains(" var ") || line.contains(" let ")
                || line.hasPrefix("var ") || line.hasPrefix("let "),
            let m = try? Self.storedPattern.wholeMatch(in: line)
        else { return 0 }
        let declared = String(m.1)
        guard let brace = declared.firstIndex(of: "{") else { return names(in: declared) }
        let before = declared[..<brace]
        let after = declared[declared.index(after: brace)...].trimmingCharacters(in: .whitespaces)
        if before.contains("=") || after.hasPrefix("willSet") || after.hasPrefix("didSet") {
            return names(in: String(before))
        }
        return 0
    }

    /// The names a declaration such as `a, b: Int` or `x = 1, y = [1, 2]` declares.
    func names(in declared: String) -> Int {
        var depth = 0
        var commas = 0
        for c in declared {
            if "([{<".contains(c) { depth += 1 }
            if ")]}>".contains(c) { depth -= 1 }
            if c == ",", depth == 0 { commas += 1 }
        }
        return commas + 1
    }
}
