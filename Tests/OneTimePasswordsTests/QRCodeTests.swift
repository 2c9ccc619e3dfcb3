import Crypto
import Foundation
import Testing

@testable import OneTimePasswords

/// The encoder against matrices from the Python `qrcode` library (byte mode, level M, the
/// same mask): version 1 in full, larger versions (alignment patterns, version information,
/// several blocks, the 16-bit count of version 10) by the SHA-256 of their rows.
@Suite struct QRCodeTests {
    func rows(_ code: QRCode) -> [String] {
        code.modules.map { row in String(row.map { $0 ? "#" : "." }) }
    }

    @Test func version1MatchesModuleForModule() throws {
        let code = try #require(QRCode("eCAF", mask: 2))
        #expect(code.version == 1)
        #expect(
            rows(code) == [
                "#######..#.##.#######", "#.....#...#.#.#.....#", "#.###.#.###.#.#.###.#", "#.###.#.##..#.#.###.#",
                "#.###.#.#..##.#.###.#", "#.....#.##..#.#.....#", "#######.#.#.#.#######", "........##.##........",
                "#.#####..##.#.#####..", "#....#.#.#..#..#..#..", ".#.#..#....#.#..##.#.", ".#..#..........#####.",
                "#.....##...#.#..#.##.", "........#.#####...#.#", "#######...#.#.##.###.", "#.....#.#######..##..",
                "#.###.#.##..#..#..##.", "#.###.#.##..#..#.##..", "#.###.#.####.#..#....", "#.....#..#.....##.#..",
                "#######.####.#..#.##.",
            ])
    }

    @Test func largerVersionsMatchByDigest() throws {
        let uri =
            "otpauth://totp/eCAF%3Aamy@demo.test?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=eCAF&algorithm=SHA1&digits=6&period=30"
        let cases: [(text: String, mask: Int, version: Int, digest: String)] = [
            ("https://ecaf.example/", 0, 2, "31808df341fefdb352f0a22d572eddd1536c93c8888a2bd8d0b9b2b88af6e8b5"),
            (uri, 5, 7, "5cc6332ce64689c03a1e3795e06f4edc9ca3d778b98b6ba28705b825cda055cb"),
            (uri + "xx", 3, 8, "cd5e61007b4ad8607ff48a358b120b96f47ab4f8c6493f5f34bf001141dcd00f"),
            (uri + String(repeating: "x", count: 60), 6, 10, "0d22bd48620f1dfd5195d0c7fe60db4718154f9f47f2c896eff24672c14688a5"),
        ]
        for test in cases {
            let code = try #require(QRCode(test.text, mask: test.mask))
            #expect(code.version == test.version)
            let digest = SHA256.hash(data: Data(rows(code).joined(separator: "\n").utf8)).map { String(format: "%02x", $0) }
                .joined()
            #expect(digest == test.digest, "version \(test.version)")
        }
    }

    @Test func textTooLongForVersion10IsRefused() {
        #expect(QRCode(String(repeating: "x", count: 213)) != nil)
        #expect(QRCode(String(repeating: "x", count: 214)) == nil)
    }

    @Test func theSVGIsTitledAndDrawsEveryDarkModule() throws {
        let code = try #require(QRCode("eCAF"))
        let svg = code.svg(title: "QR code <for> amy")
        #expect(svg.contains("<title id=\"qr-title\">QR code &lt;for> amy</title>"))
        let dark = code.modules.joined().filter { $0 }.count
        #expect(svg.components(separatedBy: "h5v5h-5z").count - 1 == dark)
    }
}
