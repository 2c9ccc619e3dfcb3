/// Lower-case hexadecimal, as digests are stored and shown. Written out by hand: every
/// request digests its token, and `String(format:)` a byte at a time cost a tenth of a
/// refused request's time (issue 16).
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func string(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
