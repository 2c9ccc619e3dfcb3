/// The part of CBOR (RFC 8949) that WebAuthn uses: an authenticator's attestation object and
/// its COSE public key. Definite lengths only, as CTAP2's canonical form requires; every
/// length is checked against the bytes left and nesting is bounded, so hostile input ends in
/// `WebAuthnError.malformed`, never a crash or a huge allocation.
public enum CBOR: Equatable, Sendable {
    case unsigned(UInt64)
    /// A negative integer, as its value (-1 - n on the wire).
    case negative(Int64)
    case bytes([UInt8])
    case text(String)
    case array([CBOR])
    case map([MapEntry])
    case bool(Bool)
    case null

    public struct MapEntry: Equatable, Sendable {
        public let key: CBOR
        public let value: CBOR
    }

    /// The value a map holds under an integer or text key.
    public subscript(_ key: CBOR) -> CBOR? {
        guard case .map(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    static let deepest = 8

    /// One item from the start of `bytes`, and how many bytes it took.
    public static func decodePrefix(_ bytes: ArraySlice<UInt8>) throws -> (CBOR, Int) {
        var reader = Reader(bytes: bytes)
        let item = try reader.item(depth: 0)
        return (item, reader.index - bytes.startIndex)
    }

    /// Exactly one item, with nothing after it.
    public static func decode(_ bytes: [UInt8]) throws -> CBOR {
        let (item, used) = try decodePrefix(bytes[...])
        guard used == bytes.count else { throw WebAuthnError.malformed("bytes follow the CBOR item") }
        return item
    }

    private struct Reader {
        let bytes: ArraySlice<UInt8>
        var index: Int

        init(bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            index = bytes.startIndex
        }

        var left: Int { bytes.endIndex - index }

        mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
            guard count >= 0, count <= left else { throw WebAuthnError.malformed("a CBOR item runs past its end") }
            defer { index += count }
            return bytes[index..<index + count]
        }

        mutating func argument(_ info: UInt8) throws -> UInt64 {
            switch info {
            case 0..<24: return UInt64(info)
            case 24...27:
                return try take(1 << Int(info - 24)).reduce(0) { $0 << 8 | UInt64($1) }
            default: throw WebAuthnError.malformed("an indefinite or reserved CBOR length")
            }
        }

        /// A length that fits in what is left: a count of items needs at least a byte each.
        mutating func length(_ info: UInt8) throws -> Int {
            let value = try argument(info)
            guard value <= UInt64(left) else { throw WebAuthnError.malformed("a CBOR length past the end") }
            return Int(value)
        }

        mutating func item(depth: Int) throws -> CBOR {
            guard depth < CBOR.deepest else { throw WebAuthnError.malformed("CBOR nested too deeply") }
            let initial = try take(1).first!
            let info = initial & 0x1F
            switch initial >> 5 {
            case 0: return .unsigned(try argument(info))
            case 1:
                let n = try argument(info)
                guard n <= UInt64(Int64.max) else { throw WebAuthnError.malformed("a CBOR negative integer too large") }
                return .negative(-1 - Int64(n))
            case 2: return .bytes(Array(try take(try length(info))))
            case 3:
                guard let text = String(validating: try take(try length(info)), as: UTF8.self) else {
                    throw WebAuthnError.malformed("CBOR text that is not UTF-8")
                }
                return .text(text)
            case 4:
                let count = try length(info)
                return .array(try (0..<count).map { _ in try item(depth: depth + 1) })
            case 5:
                let count = try length(info)
                var entries: [MapEntry] = []
                for _ in 0..<count {
                    let key = try item(depth: depth + 1)
                    guard !entries.contains(where: { $0.key == key }) else {
                        throw WebAuthnError.malformed("a CBOR map with a key twice")
                    }
                    entries.append(MapEntry(key: key, value: try item(depth: depth + 1)))
                }
                return .map(entries)
            case 7:
                switch info {
                case 20: return .bool(false)
                case 21: return .bool(true)
                case 22: return .null
                default: throw WebAuthnError.malformed("a CBOR simple value or float WebAuthn does not use")
                }
            default: throw WebAuthnError.malformed("a CBOR tag WebAuthn does not use")
            }
        }
    }
}
