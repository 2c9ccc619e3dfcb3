import CAFCore
import Vapor

/// What `If-Match` names, read in one place for every versioned write.
extension Request {
    /// The revisions `If-Match` names: nil without one (428); anything but an ETag of ours is
    /// refused, naming it (422), as a record's version is.
    func assessmentRevisions() throws -> AssessmentRevisions? {
        guard let header = headers.first(name: .ifMatch) else { return nil }
        guard header.utf8.count <= 200, let revisions = AssessmentRevisions(etag: header) else {
            throw AppError.invalid(
                field: "If-Match", "Send If-Match as the ETag the assessment was read with, for example \"v1-1.1.1.1.1.1\"")
        }
        return revisions
    }

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

extension Response {
    /// The answer with a record's version as its ETag, for the writer's next If-Match.
    func tagged(_ version: Int) -> Response {
        headers.replaceOrAdd(name: .eTag, value: RecordVersion.etag(version))
        return self
    }
}
