import Foundation

/// A `--set PATH=VALUE` override: PATH like `dns.ttl_s` or `health_checks[0].interval_s`, VALUE as JSON
/// (a bare word that is not JSON is taken as a string, so `--set name=tuned` works).
public struct Override: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        case key(String)
        case index(Int)
    }
    public var text: String
    public var steps: [Step]
    public var value: JSON

    /// Parses `PATH=VALUE`; the error says what is wrong with it.
    public init(parsing text: String) throws(ConfigIssue) {
        self.text = text
        guard let eq = text.firstIndex(of: "=") else {
            throw ConfigIssue(path: "", message: "--set \(text): expected PATH=VALUE, for example --set dns.ttl_s=30")
        }
        let path = String(text[..<eq])
        let raw = String(text[text.index(after: eq)...])
        var steps: [Step] = []
        var rest = Substring(path)
        while !rest.isEmpty {
            if rest.first == "[" {
                guard let close = rest.firstIndex(of: "]"),
                    let i = Int(rest[rest.index(after: rest.startIndex)..<close]), i >= 0
                else {
                    throw ConfigIssue(
                        path: "",
                        message: "--set \(text): bad index in \"\(path)\"; write it like health_checks[0].interval_s")
                }
                steps.append(.index(i))
                rest = rest[rest.index(after: close)...]
                if rest.first == "." { rest = rest.dropFirst() }
            } else {
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                let key = String(rest[..<end])
                guard !key.isEmpty else {
                    throw ConfigIssue(path: "", message: "--set \(text): empty key in \"\(path)\"")
                }
                steps.append(.key(key))
                rest = rest[end...]
                if rest.first == "." { rest = rest.dropFirst() }
            }
        }
        guard !steps.isEmpty else { throw ConfigIssue(path: "", message: "--set \(text): the path is empty") }
        self.steps = steps
        do {
            value = try JSON.parse(Data(raw.utf8))
        } catch {
            // A bare word is a string; something that looks like JSON must be JSON.
            if let c = raw.first, "{[\"]}".contains(c) {
                let why =
                    error.issues.first.map { $0.message.replacingOccurrences(of: "malformed JSON: ", with: "") } ?? ""
                throw ConfigIssue(path: "", message: "--set \(text): the value is not valid JSON: \(why)")
            }
            value = .string(raw)
        }
    }
}

extension Override {
    /// `--year`'s override: a `year` section of its defaults (`year={}`), made without parsing.
    public static let yearSection = Override(text: "year={}", steps: [.key("year")], value: .object([:]))

    private init(text: String, steps: [Step], value: JSON) {
        self.text = text
        self.steps = steps
        self.value = value
    }
}

extension JSON {
    /// Sets the value at the override's path. Objects on the way are created where missing; an index
    /// must point into an existing array, or one past its end to append an entry.
    mutating func set(_ o: Override) throws(ConfigIssue) {
        try set(o.steps[...], o.value, done: "", text: o.text)
    }

    private mutating func set(_ steps: ArraySlice<Override.Step>, _ value: JSON, done: String, text: String)
        throws(ConfigIssue)
    {
        guard let step = steps.first else {
            self = value
            return
        }
        switch step {
        case .key(let k):
            var o: [String: JSON]
            switch self {
            case .object(let x): o = x
            case .null: o = [:]
            default:
                throw ConfigIssue(
                    path: done,
                    message: "--set \(text): \(done.isEmpty ? "the config" : done) is \(brief), not an object")
            }
            var child = o[k] ?? .null
            try child.set(steps.dropFirst(), value, done: done.isEmpty ? k : "\(done).\(k)", text: text)
            o[k] = child
            self = .object(o)
        case .index(let i):
            guard case .array(var a) = self else {
                if self == .null {
                    // A list the config leaves to its default: --set reaches only what the file holds.
                    throw ConfigIssue(
                        path: done,
                        message: "--set \(text): the config does not list \(done) (its default applies), "
                            + "so it has no entry \(i) to change; "
                            + "set the whole list instead, e.g. --set '\(done)=[…]' (docs/config.md gives its default)")
                }
                throw ConfigIssue(path: done, message: "--set \(text): \(done) is \(brief), not an array")
            }
            if i == a.count { a.append(.null) }  // one past the end appends an entry
            guard i < a.count else {
                throw ConfigIssue(
                    path: "\(done)[\(i)]",
                    message: "--set \(text): index \(i) "
                        + "is out of range; \(done) has \(a.count) \(a.count == 1 ? "entry" : "entries")")
            }
            try a[i].set(steps.dropFirst(), value, done: "\(done)[\(i)]", text: text)
            self = .array(a)
        }
    }
}

extension ConfigIssue: Error {}
