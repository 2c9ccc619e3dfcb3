import Foundation
import Vapor

/// The hand-written OpenAPI 3.1 document, served as it is. `OpenAPITests` prove that every
/// served API route, method and status appears in it.
enum OpenAPIDocument {
    static let data: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else { fatalError("openapi.json is missing from the App bundle") }
        return data
    }()

    static func response() -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
