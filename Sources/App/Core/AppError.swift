import CAFCore
import Vapor

/// The one error type of the app. The API renders it as `{"error": {code, message, field}}`,
/// pages as a GOV.UK-style error page or error summary.
package struct AppError: Error, AbortError {
    package let status: HTTPResponseStatus
    let code: String
    let message: String
    /// Every field problem, for 422s; the first one's field is the API's `field`.
    var problems: [FieldProblem] = []
    /// For a refused episode access: why, so a page can offer the way forward (asking to join).
    var denial: AccessDenial? = nil
    /// Records the error is about, such as the children a registration may duplicate.
    var related: [UUID] = []
    /// For a stale edit (412): who saved which part since the writer read it.
    var changes: [AssessmentConflict.Change] = []
    /// Headers the answer needs, such as a 405's `Allow`.
    package var headers: HTTPHeaders = [:]

    package var reason: String { message }

    /// The same problems reported against the form field a page asked with; `hiding` text the
    /// page never showed (an e-mail address looked up from an id) is replaced in the messages.
    func renaming(_ field: String, to name: String, hiding hidden: (text: String, shown: String)? = nil) -> AppError {
        var renamed = self
        renamed.problems = problems.map { problem in
            let message = hidden.map { problem.message.replacingOccurrences(of: $0.text, with: $0.shown) } ?? problem.message
            return FieldProblem(field: problem.field == field ? name : problem.field, message: message)
        }
        return renamed
    }
    var field: String? { problems.first?.field }

    static func invalid(_ problems: [FieldProblem]) -> AppError {
        AppError(
            status: .unprocessableEntity, code: "invalid", message: problems.first?.message ?? "Check the details entered",
            problems: problems)
    }

    package static func invalid(field: String, _ message: String) -> AppError {
        invalid([FieldProblem(field: field, message: message)])
    }

    static func notFound(_ what: String) -> AppError {
        AppError(status: .notFound, code: "not-found", message: "No \(what) with that id exists")
    }

    static func forbidden(_ message: String, denial: AccessDenial? = nil) -> AppError {
        AppError(status: .forbidden, code: "forbidden", message: message, denial: denial)
    }

    /// A one-time link that was used, expired, replaced, or never existed: all alike.
    static let linkUnusable = AppError(
        status: .gone, code: "link-unusable", message: "This link has expired or has already been used")

    static let unauthenticated = AppError(
        status: .unauthorized, code: "unauthenticated", message: "Sign in first: send a bearer token from POST /api/v1/auth/token"
    )

    static let unsupportedMediaType = AppError(
        status: .unsupportedMediaType, code: "unsupported-media-type", message: "Send the request body as application/json")

    static let assessmentChanged = AppError(
        status: .conflict, code: "assessment-changed",
        message: "This draft was changed or completed by someone else while you completed it: open it again to see it")

    static let revisionRequired = AppError(
        status: .preconditionRequired, code: "if-match-required",
        message:
            "Send If-Match with the ETag of the assessment as you read it (GET …/assessment), so that nothing saved since is overwritten"
    )

    static let versionRequired = AppError(
        status: .preconditionRequired, code: "if-match-required",
        message:
            "Send If-Match with the version you read (as its ETag, such as \"3\"), so that nothing changed since is overwritten")

    /// A record (an action, a meeting's record) changed by someone else since the writer read
    /// it (412): who and when, not what (reading it again is a read of the child's record,
    /// audited).
    static func stale(_ record: String, by person: Practitioner?, at date: Date?, now version: Int) -> AppError {
        let when = date.map { " at \(Format.dateTime($0))" } ?? ""
        var error = AppError(
            status: .preconditionFailed, code: "edit-conflict",
            message:
                "\(person?.name ?? "Someone else") changed this \(record)\(when) since you read it. Nothing you sent was saved: read it again and send your change on what it says now"
        )
        error.headers.replaceOrAdd(name: .eTag, value: RecordVersion.etag(version))
        return error
    }

    static let closedMeanwhile = AppError(
        status: .conflict, code: "episode-closed",
        message: "This episode was closed while you were writing, so nothing was saved; ask its coordinator if it should reopen")

    static let conflictCompleted = AppError(
        status: .conflict, code: "assessment-completed",
        message: "This assessment is completed and can no longer be changed; start a review to make a new version")
}

/// A save made on revisions of parts someone else has saved since, which this writer changed
/// too (412): who saved what, and for the page, what the writer started from and what is saved
/// now (as their shield lets them see both), to merge from.
struct AssessmentConflict: Error {
    struct Change: Sendable {
        let part: AssessmentPart
        let revision: Int
        /// Nil for a revision saved before revisions were kept.
        let savedBy: String?
        let savedAt: Date?
    }

    let changes: [Change]
    let revisions: AssessmentRevisions
    let base: AssessmentContent
    let saved: AssessmentContent

    var appError: AppError {
        let who = changes.map { "\($0.part.title) (\($0.savedBy ?? "someone else"))" }.joined(separator: "; ")
        var error = AppError(
            status: .preconditionFailed, code: "edit-conflict",
            message:
                "Since you read this assessment, these parts were saved by someone else: \(who). Nothing you sent was saved: read it again, make your changes on what is saved now, and send them with its new ETag"
        )
        error.changes = changes
        error.headers.replaceOrAdd(name: .eTag, value: revisions.etag)
        return error
    }
}
