import CAFCore
import Fluent
import Foundation

/// One revision of one part of a draft assessment, as it was saved: what a stale edit of
/// the part is merged from, and who changed it since.
final class AssessmentPartRevision: Model, @unchecked Sendable {
    static let schema = "assessment_part_revisions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "assessment_id") var assessment: Assessment
    @Enum(key: "part") var part: AssessmentPart
    @Field(key: "revision") var revision: Int
    /// The part's fields (`AssessmentContent.fields(of:)`) as JSON, sealed under the row's id.
    @Field(key: "content") var sealedContent: String
    @Parent(key: "saved_by_id") var savedBy: Practitioner
    @Field(key: "saved_at") var savedAt: Date

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] { [$id, $assessment, $part, $revision, $sealedContent, $savedBy, $savedAt] }
    init() {}
    init(
        assessmentID: UUID, part: AssessmentPart, revision: Int, content: AssessmentContent, savedByID: UUID, savedAt: Date,
        keys: SecretKeys
    ) throws {
        let id = UUID()
        self.id = id
        self.$assessment.id = assessmentID
        self.part = part
        self.revision = revision
        let json = String(decoding: try JSONEncoder().encode(content.fields(of: part)), as: UTF8.self)
        self.sealedContent = try SealedColumn.partRevision.seal(json, row: id, keys: keys)
        self.$savedBy.id = savedByID
        self.savedAt = savedAt
    }

    /// The part's fields as they were saved.
    func fields(_ keys: SecretKeys) throws -> [String: String] {
        let json = try SealedColumn.partRevision.open(sealedContent, row: try requireID(), keys: keys)
        return try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
    }
}
