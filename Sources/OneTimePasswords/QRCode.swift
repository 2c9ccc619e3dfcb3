import Foundation

/// A QR code (ISO/IEC 18004) for short text such as an `otpauth://` address: byte mode,
/// error correction level M, versions 1 to 10, the mask with the lowest penalty. Rendered
/// as SVG on the server, so enrolment needs no script and no third party.
public struct QRCode: Sendable {
    /// `modules[row][column]`, true for dark.
    public let modules: [[Bool]]
    public let version: Int
    public let mask: Int

    public var size: Int { modules.count }

    /// Level M block structure per version: (blocks, data codewords) groups and EC codewords a block.
    private static let blocks: [(groups: [(count: Int, data: Int)], ec: Int)] = [
        ([(1, 16)], 10), ([(1, 28)], 16), ([(1, 44)], 26), ([(2, 32)], 18), ([(2, 43)], 24),
        ([(4, 27)], 16), ([(4, 31)], 18), ([(2, 38), (2, 39)], 22), ([(3, 36), (2, 37)], 22), ([(4, 43), (1, 44)], 26),
    ]
    private static let alignment: [[Int]] = [
        [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
    ]

    /// Nil when the text is too long for version 10.
    public init?(_ text: String, mask forcedMask: Int? = nil) {
        let bytes = Array(text.utf8)
        guard
            let version = (1...10).first(where: { version in
                let capacity = Self.blocks[version - 1].groups.reduce(0) { $0 + $1.count * $1.data }
                return 4 + (version < 10 ? 8 : 16) + bytes.count * 8 <= capacity * 8
            })
        else { return nil }
        let codewords = Self.interleaved(Self.dataCodewords(bytes, version: version), version: version)
        var best: (penalty: Int, matrix: Matrix, mask: Int)? = nil
        for mask in forcedMask.map({ [$0] }) ?? Array(0..<8) {
            var matrix = Matrix(version: version)
            matrix.place(codewords)
            matrix.apply(mask: mask)
            matrix.drawFormat(mask: mask)
            let penalty = matrix.penalty()
            if best == nil || penalty < best!.penalty { best = (penalty, matrix, mask) }
        }
        modules = best!.matrix.dark
        self.version = version
        mask = best!.mask
    }

    /// Mode, count, bytes, terminator and pad codewords to the version's data capacity.
    static func dataCodewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        let capacity = blocks[version - 1].groups.reduce(0) { $0 + $1.count * $1.data }
        var bits: [Bool] = []
        func append(_ value: Int, _ length: Int) { for i in (0..<length).reversed() { bits.append((value >> i) & 1 == 1) } }
        append(0b0100, 4)
        append(bytes.count, version < 10 ? 8 : 16)
        for byte in bytes { append(Int(byte), 8) }
        append(0, min(4, capacity * 8 - bits.count))
        while bits.count % 8 != 0 { bits.append(false) }
        var result = stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<start + 8].reduce(UInt8(0)) { ($0 << 1) | ($1 ? 1 : 0) }
        }
        var pad: [UInt8] = [0xEC, 0x11]
        while result.count < capacity {
            result.append(pad[0])
            pad.swapAt(0, 1)
        }
        return result
    }

    /// Splits the data into blocks, adds each block's Reed–Solomon codewords, and interleaves.
    static func interleaved(_ data: [UInt8], version: Int) -> [UInt8] {
        let structure = blocks[version - 1]
        var dataBlocks: [[UInt8]] = []
        var offset = 0
        for group in structure.groups {
            for _ in 0..<group.count {
                dataBlocks.append(Array(data[offset..<offset + group.data]))
                offset += group.data
            }
        }
        let ecBlocks = dataBlocks.map { ReedSolomon.remainder($0, degree: structure.ec) }
        var result: [UInt8] = []
        for index in 0..<(dataBlocks.map(\.count).max() ?? 0) {
            for block in dataBlocks where index < block.count { result.append(block[index]) }
        }
        for index in 0..<structure.ec {
            for block in ecBlocks { result.append(block[index]) }
        }
        return result
    }

    /// The modules as SVG squares in a quiet zone of four modules, black on white as scanners
    /// expect, titled for screen readers.
    public func svg(title: String, scale: Int = 5) -> String {
        let quiet = 4, side = (size + 2 * quiet) * scale
        var path = ""
        for (row, line) in modules.enumerated() {
            for (column, dark) in line.enumerated() where dark {
                path += "M\((column + quiet) * scale) \((row + quiet) * scale)h\(scale)v\(scale)h-\(scale)z"
            }
        }
        let escaped = title.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        return """
            <svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="qr-title" width="\(side)" height="\(side)" \
            viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges"><title id="qr-title">\(escaped)</title>\
            <rect width="\(side)" height="\(side)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """
    }

    /// The module grid while it is being drawn: which modules are function patterns.
    struct Matrix {
        let version: Int
        let size: Int
        var dark: [[Bool]]
        var reserved: [[Bool]]

        init(version: Int) {
            self.version = version
            size = 17 + 4 * version
            dark = Array(repeating: Array(repeating: false, count: size), count: size)
            reserved = dark
            for (row, column) in [(0, 0), (0, size - 7), (size - 7, 0)] { finder(row, column) }
            for i in 8..<(size - 8) {
                set(6, i, i % 2 == 0)
                set(i, 6, i % 2 == 0)
            }
            let centres = QRCode.alignment[version - 1]
            let last = centres.count - 1
            for (i, row) in centres.enumerated() {
                // Not over the three finders; over the timing patterns is as the standard draws it.
                for (j, column) in centres.enumerated() where !(i == 0 && (j == 0 || j == last) || i == last && j == 0) {
                    alignmentPattern(row, column)
                }
            }
            set(size - 8, 8, true)  // the dark module
            drawFormat(mask: 0)  // reserves the format areas; redrawn once the mask is chosen
            if version >= 7 { drawVersion() }
        }

        mutating func set(_ row: Int, _ column: Int, _ value: Bool) {
            dark[row][column] = value
            reserved[row][column] = true
        }

        mutating func finder(_ top: Int, _ left: Int) {
            for row in -1...7 {
                for column in -1...7 {
                    let r = top + row, c = left + column
                    guard r >= 0, r < size, c >= 0, c < size else { continue }
                    let ring = max(abs(row - 3), abs(column - 3))
                    set(r, c, ring != 2 && ring != 4)
                }
            }
        }

        mutating func alignmentPattern(_ centreRow: Int, _ centreColumn: Int) {
            for row in -2...2 {
                for column in -2...2 { set(centreRow + row, centreColumn + column, max(abs(row), abs(column)) != 1) }
            }
        }

        /// Level M (bits 00) and the mask, BCH(15,5) protected and masked with 0x5412.
        mutating func drawFormat(mask: Int) {
            let data = mask  // level M's two bits are 00
            var remainder = data
            for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
            let bits = ((data << 10) | remainder) ^ 0x5412
            func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
            for i in 0...5 { set(i, 8, bit(i)) }
            set(7, 8, bit(6))
            set(8, 8, bit(7))
            set(8, 7, bit(8))
            for i in 9..<15 { set(8, 14 - i, bit(i)) }
            for i in 0..<8 { set(8, size - 1 - i, bit(i)) }
            for i in 8..<15 { set(size - 15 + i, 8, bit(i)) }
            set(size - 8, 8, true)
        }

        /// Versions 7 and up: the version number, BCH(18,6) protected, in two 6×3 blocks.
        mutating func drawVersion() {
            var remainder = version
            for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
            let bits = (version << 12) | remainder
            for i in 0..<18 {
                let value = (bits >> i) & 1 == 1
                set(size - 11 + i % 3, i / 3, value)
                set(i / 3, size - 11 + i % 3, value)
            }
        }

        /// Codeword bits in the standard zig-zag, two columns at a time from the bottom right.
        mutating func place(_ codewords: [UInt8]) {
            var index = 0
            let total = codewords.count * 8
            var right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                for vertical in 0..<size {
                    for offset in 0..<2 {
                        let column = right - offset
                        let upward = (right + 1) & 2 == 0
                        let row = upward ? size - 1 - vertical : vertical
                        guard !reserved[row][column] else { continue }
                        if index < total { dark[row][column] = (codewords[index >> 3] >> (7 - index & 7)) & 1 == 1 }
                        index += 1
                    }
                }
                right -= 2
            }
        }

        mutating func apply(mask: Int) {
            for row in 0..<size {
                for column in 0..<size where !reserved[row][column] {
                    let flip: Bool =
                        switch mask {
                        case 0: (row + column) % 2 == 0
                        case 1: row % 2 == 0
                        case 2: column % 3 == 0
                        case 3: (row + column) % 3 == 0
                        case 4: (row / 2 + column / 3) % 2 == 0
                        case 5: row * column % 2 + row * column % 3 == 0
                        case 6: (row * column % 2 + row * column % 3) % 2 == 0
                        default: ((row + column) % 2 + row * column % 3) % 2 == 0
                        }
                    if flip { dark[row][column].toggle() }
                }
            }
        }

        /// The standard's four penalty rules: runs, 2×2 blocks, finder-like patterns, balance.
        func penalty() -> Int {
            var score = 0
            let columns = (0..<size).map { column in (0..<size).map { dark[$0][column] } }
            for line in dark + columns {
                var run = 1
                for i in 1..<size {
                    if line[i] == line[i - 1] {
                        run += 1
                    } else {
                        if run >= 5 { score += run - 2 }
                        run = 1
                    }
                }
                if run >= 5 { score += run - 2 }
                let pattern: [Bool] = [true, false, true, true, true, false, true]
                for i in 0...(size - 7) where Array(line[i..<i + 7]) == pattern {
                    let before = i >= 4 && !line[(i - 4)..<i].contains(true)
                    let after = i + 11 <= size && !line[(i + 7)..<(i + 11)].contains(true)
                    if before || after { score += 40 }
                }
            }
            for row in 0..<(size - 1) {
                for column in 0..<(size - 1) {
                    let value = dark[row][column]
                    if dark[row][column + 1] == value && dark[row + 1][column] == value && dark[row + 1][column + 1] == value {
                        score += 3
                    }
                }
            }
            let darkCount = dark.reduce(0) { $0 + $1.filter { $0 }.count }
            score += abs(darkCount * 20 - size * size * 10) / (size * size) * 10
            return score
        }
    }
}

/// Reed–Solomon error correction over GF(256) with the QR polynomial x⁸+x⁴+x³+x²+1.
enum ReedSolomon {
    static let (exp, log): ([Int], [Int]) = {
        var exp = [Int](repeating: 0, count: 512), log = [Int](repeating: 0, count: 256)
        var value = 1
        for i in 0..<255 {
            exp[i] = value
            log[value] = i
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        for i in 255..<512 { exp[i] = exp[i - 255] }
        return (exp, log)
    }()

    static func multiply(_ a: Int, _ b: Int) -> Int { a == 0 || b == 0 ? 0 : exp[log[a] + log[b]] }

    /// The generator polynomial's coefficients, highest degree first, leading 1 dropped.
    static func generator(degree: Int) -> [Int] {
        var polynomial = [1]
        for i in 0..<degree {
            var next = [Int](repeating: 0, count: polynomial.count + 1)
            for (j, coefficient) in polynomial.enumerated() {
                next[j] ^= coefficient
                next[j + 1] ^= multiply(coefficient, exp[i])
            }
            polynomial = next
        }
        return Array(polynomial.dropFirst())
    }

    static func remainder(_ data: [UInt8], degree: Int) -> [UInt8] {
        let generator = generator(degree: degree)
        var remainder = [Int](repeating: 0, count: degree)
        for byte in data {
            let factor = Int(byte) ^ remainder[0]
            remainder.removeFirst()
            remainder.append(0)
            for i in 0..<degree { remainder[i] ^= multiply(generator[i], factor) }
        }
        return remainder.map(UInt8.init)
    }
}
