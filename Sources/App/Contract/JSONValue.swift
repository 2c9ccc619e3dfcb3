import Foundation

/// A JSON value exactly as it was sent, for checking a request against the API's contract
/// before anything decodes it. Numbers keep their text, so `1e308` or a 40-digit integer is
/// judged as written rather than rounded; objects keep their order.
indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b || (Double(a) != nil && Double(a) == Double(b))
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    subscript(_ key: String) -> JSONValue? {
        if case .object(let members) = self { return members.first { $0.key == key }?.value }
        return nil
    }

    var string: String? { if case .string(let text) = self { text } else { nil } }
    var array: [JSONValue]? { if case .array(let items) = self { items } else { nil } }
}

/// A strict RFC 8259 parser: one value, no trailing text, no duplicate keys (which other
/// parsers resolve differently, so a check and a decoder could read different values), and
/// nesting at most `maxDepth` deep so a hostile body cannot exhaust the stack.
struct JSONParser {
    struct Failure: Error { let message: String }

    static let maxDepth = 32

    private let bytes: [UInt8]
    private var index = 0

    static func parse(_ data: some Collection<UInt8>) throws(Failure) -> JSONValue {
        let bytes = Array(data)
        // Refused rather than stored with U+FFFD in place of what was sent.
        guard String(validating: bytes, as: UTF8.self) != nil else { throw Failure(message: "the body is not UTF-8") }
        var parser = JSONParser(bytes: bytes)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw Failure(message: "text follows the JSON value") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipSpace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func expect(_ literal: String, _ value: JSONValue) throws(Failure) -> JSONValue {
        let end = index + literal.utf8.count
        guard end <= bytes.count, bytes[index..<end].elementsEqual(literal.utf8) else {
            throw Failure(message: "unexpected text at byte \(index)")
        }
        index = end
        return value
    }

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard depth < Self.maxDepth else { throw Failure(message: "nested more than \(Self.maxDepth) deep") }
        switch current {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case .some(let byte) where byte == UInt8(ascii: "-") || (0x30...0x39).contains(byte): return try number()
        default: throw Failure(message: "expected a value at byte \(index)")
        }
    }

    private mutating func object(depth: Int) throws(Failure) -> JSONValue {
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        var keys: Set<String> = []
        skipSpace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .object([])
        }
        while true {
            skipSpace()
            guard current == UInt8(ascii: "\"") else { throw Failure(message: "expected a member name at byte \(index)") }
            let key = try string()
            guard keys.insert(key).inserted else { throw Failure(message: "the member \"\(key.prefix(100))\" appears twice") }
            skipSpace()
            guard current == UInt8(ascii: ":") else { throw Failure(message: "expected : at byte \(index)") }
            index += 1
            skipSpace()
            members.append((key, try value(depth: depth + 1)))
            skipSpace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return .object(members)
            default: throw Failure(message: "expected , or } at byte \(index)")
            }
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> JSONValue {
        index += 1
        var items: [JSONValue] = []
        skipSpace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array([])
        }
        while true {
            skipSpace()
            items.append(try value(depth: depth + 1))
            skipSpace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(items)
            default: throw Failure(message: "expected , or ] at byte \(index)")
            }
        }
    }

    private mutating func number() throws(Failure) -> JSONValue {
        let start = index
        func digits() -> Int {
            let from = index
            while let byte = current, (0x30...0x39).contains(byte) { index += 1 }
            return index - from
        }
        if current == UInt8(ascii: "-") { index += 1 }
        if current == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            throw Failure(message: "malformed number at byte \(start)")
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw Failure(message: "malformed number at byte \(start)") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw Failure(message: "malformed number at byte \(start)") }
        }
        return .number(String(decoding: bytes[start..<index], as: UTF8.self))
    }

    private mutating func string() throws(Failure) -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        var run = index
        func flush() {
            if run < index { scalars.append(contentsOf: String(decoding: bytes[run..<index], as: UTF8.self).unicodeScalars) }
        }
        while true {
            guard let byte = current else { throw Failure(message: "a string is not closed") }
            if byte == UInt8(ascii: "\"") {
                flush()
                index += 1
                break
            }
            if byte < 0x20 { throw Failure(message: "a control character in a string at byte \(index)") }
            guard byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            flush()
            index += 1
            guard let escape = current else { throw Failure(message: "a string is not closed") }
            index += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800...0xDBFF).contains(code) {
                    guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                        throw Failure(message: "an unpaired surrogate in a string")
                    }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw Failure(message: "an unpaired surrogate in a string") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw Failure(message: "an unpaired surrogate in a string") }
                scalars.append(scalar)
            default: throw Failure(message: "an unknown escape in a string at byte \(index - 1)")
            }
            run = index
        }
        return String(scalars)
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        let digits = index + 4 <= bytes.count ? bytes[index..<index + 4] : []
        guard digits.count == 4, digits.allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }),
            let code = UInt32(String(decoding: digits, as: UTF8.self), radix: 16)
        else { throw Failure(message: "a malformed \\u escape at byte \(index)") }
        index += 4
        return code
    }
}
