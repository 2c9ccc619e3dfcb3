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
    /// `AssessmentContent` as JSON: the form is data in CAFCore, so its shape lives there.
    @Field(key: "content") var contentJSON: String
    /// `AssessmentContent.levelsText`, written with the content: what the measures read.
    @Field(key: "levels") var levels: String
    @Parent(key: "author_id") var author: Practitioner
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @OptionalField(key: "completed_at") var completedAt: Date?

    init() {}
    init(episodeID: UUID, version: Int, authorID: UUID, content: AssessmentContent) throws {
        self.$episode.id = episodeID
        self.version = version
        self.status = .draft
        self.$author.id = authorID
        try setContent(content)
    }

    func content() throws -> AssessmentContent {
        try JSONDecoder().decode(AssessmentContent.self, from: Data(contentJSON.utf8))
    }

    func setContent(_ content: AssessmentContent) throws {
        contentJSON = String(decoding: try JSONEncoder().encode(content), as: UTF8.self)
        levels = content.levelsText
    }
}
