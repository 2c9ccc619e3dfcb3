import CAFCore
import Vapor

extension Request {
    /// The version of a record (an action, a meeting's record) `If-Match` names: nil without
    /// one (428); anything but a version in quotes is refused, naming it (422).
    func recordVersion() throws -> Int? {
        guard let header = headers.first(name: .ifMatch) else { return nil }
        guard header.utf8.count <= 200, let version = RecordVersion.parse(header) else {
            throw AppError.invalid(field: "If-Match", "Send If-Match as the version in quotes, as read: for example \"3\"")
        }
        return version
    }
}
