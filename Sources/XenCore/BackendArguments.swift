// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// A backend's command line, as the DomD init passes it from the image config
/// (`DomDServices` writes it): one parser per backend, over the shared
/// `ArgumentReader`, with one error type and a usage text.
/// `BackendProcess.commandLine` runs it and reports errors the same way for
/// every backend.
public protocol BackendCommandLine {
    /// The usage text printed after an argument error and for `--help`.
    static var usage: String { get }
    /// Parses `arguments` (without the program name).
    static func parse(_ arguments: [String]) throws(BackendArgumentError) -> Self
}

/// What is wrong with a backend's command line. Each case carries the
/// argument at fault; the description is the line the backend prints before
/// its usage text (exit status 2).
public enum BackendArgumentError: Error, Equatable, CustomStringConvertible {
    /// `--help` or `-h`: not a mistake; the backend prints its usage and exits 0.
    case helpRequested
    /// An option this backend does not know.
    case unknownOption(String)
    /// `option` without its value (`value` nil) or with a value that is not `expected`.
    case invalidValue(option: String, value: String?, expected: String)
    /// Something given twice that may be given once (an option value, a binding).
    case givenTwice(String)
    /// A word where the backend takes no (more) positional arguments.
    case unexpectedArgument(String, reason: String)
    /// Something the backend cannot run without.
    case missing(String)
    /// An option the backend knows but refuses, and why (`reason` reads after the option).
    case refused(option: String, reason: String)

    public var description: String {
        switch self {
        case .helpRequested: return "help requested"
        case .unknownOption(let option): return "unknown option " + Self.quoted(option)
        case .invalidValue(let option, nil, let expected): return option + " needs " + expected
        case .invalidValue(let option, let value?, let expected):
            return option + " needs " + expected + ", not " + Self.quoted(value)
        case .givenTwice(let what): return what + " is given twice"
        case .unexpectedArgument(let word, let reason): return "unexpected argument " + Self.quoted(word) + ": " + reason
        case .missing(let what): return "missing " + what
        case .refused(let option, let reason): return option + " " + reason
        }
    }

    /// `'text'`, control bytes escaped, long text cut (an argument is not trusted to be printable).
    static func quoted(_ text: String) -> String { "'" + XenLog.escaped(text, limit: 200) + "'" }
}

/// Reads a backend's arguments word by word: the part every backend parser
/// shares (values after options, numbers, domain ids, `--help`).
public struct ArgumentReader {
    /// The arguments, without the program name.
    public let arguments: [String]
    private var index = 0

    public init(_ arguments: [String]) { self.arguments = arguments }

    /// The next word, nil after the last. `--help` and `-h` throw `.helpRequested`.
    public mutating func next() throws(BackendArgumentError) -> String? {
        guard index < arguments.count else { return nil }
        let word = arguments[index]
        index += 1
        if word.bytesEqual("--help") || word.bytesEqual("-h") { throw .helpRequested }
        return word
    }

    /// The word after `option`: present and not empty, or `.invalidValue`.
    public mutating func value(of option: String, expected: String) throws(BackendArgumentError) -> String {
        guard index < arguments.count, !arguments[index].isEmpty else {
            throw .invalidValue(option: option, value: nil, expected: expected)
        }
        index += 1
        return arguments[index - 1]
    }

    /// The `count` words after `option`, each present and not empty.
    public mutating func values(of option: String, count: Int, expected: String) throws(BackendArgumentError) -> [String] {
        var result: [String] = []
        for _ in 0..<count { result.append(try value(of: option, expected: expected)) }
        return result
    }

    /// The unsigned decimal number after `option`, within `range`.
    public mutating func number(of option: String, in range: ClosedRange<UInt32>,
                                expected: String) throws(BackendArgumentError) -> UInt32 {
        let text = try value(of: option, expected: expected)
        guard let number = XenPath.parseUInt32(text), range.contains(number) else {
            throw .invalidValue(option: option, value: text, expected: expected)
        }
        return number
    }

    /// The domain id after `option` (`--domain N`, N below 32752).
    public mutating func domain(of option: String) throws(BackendArgumentError) -> DomainID {
        let expected = "a domain id below 32752"
        let text = try value(of: option, expected: expected)
        guard let domain = XenPath.parseDomain(text) else { throw .invalidValue(option: option, value: text, expected: expected) }
        return domain
    }

    /// `word` as a positional argument: `.unknownOption` if it looks like an option.
    public func positional(_ word: String) throws(BackendArgumentError) -> String {
        if word.bytesHavePrefix("-") { throw .unknownOption(word) }
        return word
    }
}
