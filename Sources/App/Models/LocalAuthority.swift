import Fluent
import Foundation

final class LocalAuthority: Model, @unchecked Sendable {
    static let schema = "local_authorities"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String

    init() {}
    init(id: UUID? = nil, name: String) {
        self.id = id
        self.name = name
    }
}
