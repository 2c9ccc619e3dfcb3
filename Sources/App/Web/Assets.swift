import Crypto
import Foundation
import Vapor

/// The stylesheet and the scripts pages load. They travel in the App's resource bundle, so
/// `ecaf serve` styles its pages whatever folder it is started from, and are served under
/// names that carry a digest of their content: a browser may keep one for a year and still
/// never use an old copy after an upgrade.
struct Asset: Sendable {
    let body: Data
    let contentType: HTTPMediaType
    /// `/assets/ecaf-1a2b3c4d5e6f.css`: the file's name with the first 12 hex digits of its SHA-256.
    let path: String

    /// Loads one from the bundle's `Public` folder; a missing one stops the start, naming it.
    init(_ name: String, _ type: String, in folder: String, contentType: HTTPMediaType) {
        guard let url = Bundle.module.url(forResource: name, withExtension: type, subdirectory: "Public/\(folder)"),
            let body = try? Data(contentsOf: url)
        else { fatalError("Public/\(folder)/\(name).\(type) is missing from the App's resource bundle") }
        self.body = body
        self.contentType = contentType
        let digest = Hex.string(SHA256.hash(data: body)).prefix(12)
        path = "/assets/\(name)-\(digest).\(type)"
    }
}

enum Assets {
    static let stylesheet = Asset("ecaf", "css", in: "css", contentType: .css)
    static let script = Asset("activity", "js", in: "js", contentType: javaScript)
    /// The show-password button of every password field (`GOVUK.textInput`).
    static let passwordScript = Asset("password", "js", in: "js", contentType: javaScript)
    /// Asks the browser for a security key's answer (`SecurityKeyPrompt`).
    static let securityKeyScript = Asset("securitykey", "js", in: "js", contentType: javaScript)
    static let all = [stylesheet, script, passwordScript, securityKeyScript]

    private static var javaScript: HTTPMediaType {
        .init(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])
    }

    /// Serves each under its digest name, cacheable for a year (`SecurityHeaders` leaves
    /// `/assets/` out of its `no-store`).
    static func register(on routes: any RoutesBuilder) {
        for asset in all {
            routes.get(asset.path.split(separator: "/").map { PathComponent(stringLiteral: String($0)) }) { _ in
                var headers = HTTPHeaders()
                headers.contentType = asset.contentType
                headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=31536000, immutable")
                return Response(status: .ok, headers: headers, body: .init(data: asset.body))
            }
        }
    }
}
