import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238: RFC 4226's HOTP over 30-second steps), as every
/// authenticator app computes them: HMAC-SHA1, six digits, a 160-bit secret.
public enum TOTP {
    public static let period: Int64 = 30
    /// Codes from one step either side of now are accepted, for clocks that drift.
    public static let window: Int64 = 1

    public enum Algorithm: Sendable { case sha1, sha256, sha512 }

    public static func step(at date: Date) -> Int64 { Int64(floor(date.timeIntervalSince1970)) / period }

    public static func code(secret: [UInt8], step: Int64, digits: Int = 6, algorithm: Algorithm = .sha1) -> String {
        let key = SymmetricKey(data: secret)
        let counter = withUnsafeBytes(of: UInt64(step).bigEndian) { Data($0) }
        let mac: [UInt8] =
            switch algorithm {
            case .sha1: Array(HMAC<Insecure.SHA1>.authenticationCode(for: counter, using: key))
            case .sha256: Array(HMAC<SHA256>.authenticationCode(for: counter, using: key))
            case .sha512: Array(HMAC<SHA512>.authenticationCode(for: counter, using: key))
            }
        // RFC 4226 §5.3 dynamic truncation.
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary =
            (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let text = String(binary % modulus)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The step whose code this is, within `window` steps of `date`, or nil.
    public static func matchingStep(_ code: String, secret: [UInt8], at date: Date) -> Int64? {
        let typed = code.filter { !$0.isWhitespace && $0 != "-" }
        guard typed.count == 6, typed.allSatisfy(\.isASCII), typed.allSatisfy(\.isNumber) else { return nil }
        let now = step(at: date)
        return (now - window...now + window).first { Self.code(secret: secret, step: $0) == typed }
    }

    public static func newSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// The `otpauth://` address an authenticator app reads from the QR code.
    public static func uri(secret: [UInt8], account: String, issuer: String = "eCAF") -> String {
        let label =
            "\(issuer):\(account)".addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "@.-_")))
            ?? account
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(issuer)&algorithm=SHA1&digits=6&period=30"
    }
}

/// RFC 4648 base32 without padding: how authenticator apps take a secret typed by hand.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    public static func encode(_ bytes: [UInt8]) -> String {
        var output = "", buffer = 0, bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return output
    }

    public static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = [], buffer = 0, bits = 0
        for character in text.uppercased() where character != "=" && !character.isWhitespace {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | value
            bits += 5
            if bits >= 8 {
                output.append(UInt8((buffer >> (bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return output
    }
}
