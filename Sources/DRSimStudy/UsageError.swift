/// A bad study option on the command line (`--vary`, `--precision`, a grid too large): what is wrong
/// and how to write it instead. The command line turns it into exit status 64.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
