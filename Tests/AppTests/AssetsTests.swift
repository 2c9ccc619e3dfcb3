import Foundation
import Testing
import VaporTesting

@testable import App

/// Issue 14, item 9: started from any folder but the project's, `ecaf serve` served every page
/// unstyled (it looked for `Public/` in the working directory and said nothing). The stylesheet
/// and script now travel in the binary's resources, under names carrying their digest.
@Suite struct AssetsTests {
    /// The file as it is in the sources, to compare with what is served.
    func source(_ path: String) throws -> Data {
        try Data(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../Sources/App/Resources/Public/\(path)").standardized)
    }

    @Test func pagesLoadTheStylesheetAndScriptFromTheBinaryUnderTheirDigest() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let page = try await world.send(.GET, SiteURL.signIn.path, contentType: nil)
            #expect(page.body.string.contains(#"href="\#(Assets.stylesheet.path)""#))
            for (asset, file, type) in [
                (Assets.stylesheet, "css/ecaf.css", "text/css"), (Assets.script, "js/activity.js", "text/javascript"),
            ] {
                #expect(asset.path.range(of: #"^/assets/[a-z]+-[0-9a-f]{12}\.(css|js)$"#, options: .regularExpression) != nil)
                let served = try await world.send(.GET, asset.path, contentType: nil)
                #expect(served.status == .ok)
                #expect(served.headers.contentType?.description.hasPrefix(type) == true, "\(file)")
                #expect(served.headers.first(name: .cacheControl) == "public, max-age=31536000, immutable")
                #expect(Data(buffer: served.body) == (try source(file)), "\(file) served as it is")
            }
            // Nothing is read from the working directory any more, and an old name is not served.
            #expect(try await world.send(.GET, "/css/ecaf.css", contentType: nil).status == .notFound)
            #expect(try await world.send(.GET, "/assets/ecaf-000000000000.css", contentType: nil).status == .notFound)
        }
    }
}
