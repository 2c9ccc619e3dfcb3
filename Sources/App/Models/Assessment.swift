import CAFCore
import Fluent
import Foundation

/// One version of an episode's assessment. A completed version is never changed again.
final class Assessment: Model, @unchecked Sendable {
    static let schema = "assessments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "episode_id") var episode: Episode
    @Field(key: "version") var version: Int
    @Enum(key: "status") var status: AssessmentStatus
    /// `AssessmentContent` as JSON (the form is data in CAFCore, so its shape lives there),
    /// sealed under the row's id: it holds the family's story, their health included.
    @Field(key: "content") var sealedContent: String
    /// `AssessmentContent.levelsText`, written with the content: what the measures read.
    @Field(key: "levels") var levels: String
    /// `AssessmentRevisions.stored`: how far each part has been edited.
    @Field(key: "revisions") var storedRevisions: String
    @Parent(key: "author_id") var author: Practitioner
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @OptionalField(key: "completed_at") var completedAt: Date?

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [
            $id, $episode, $version, $status, $sealedContent, $levels, $storedRevisions, $author, $createdAt, $updatedAt,
            $completedAt,
        ]
    }
    init() {}
    init(episodeID: UUID, version: Int, authorID: UUID, content: AssessmentContent, keys: SecretKeys) throws {
        self.id = UUID()
        self.$episode.id = episodeID
        self.version = version
        self.status = .draft
        self.$author.id = authorID
        self.storedRevisions = ""
        try setContent(content, keys: keys)
    }

    var revisions: AssessmentRevisions {
        get { AssessmentRevisions(version: version, stored: storedRevisions) }
        set { storedRevisions = newValue.stored }
    }

    func content(_ keys: SecretKeys) throws -> AssessmentContent {
        let json = try SealedColumn.assessmentContent.open(sealedContent, row: try requireID(), keys: keys)
        return try JSONDecoder().decode(AssessmentContent.self, from: Data(json.utf8))
    }

    func setContent(_ content: AssessmentContent, keys: SecretKeys) throws {
        let json = String(decoding: try JSONEncoder().encode(content), as: UTF8.self)
        sealedContent = try SealedColumn.assessmentContent.seal(json, row: try requireID(), keys: keys)
        levels = content.levelsText
    }
}
