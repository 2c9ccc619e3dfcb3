import CAFCore
import Fluent
import Foundation
import Vapor

extension DemoHistory {
    /// Rows are gathered per batch and written together, which is what makes 100,000
    /// episodes take minutes rather than hours.
    struct Batch {
        var children: [Child] = []
        var names: [ChildName] = []
        var checklists: [PreAssessment] = []
        var calls: [SafeguardingCall] = []
        var episodes: [Episode] = []
        var consents: [Consent] = []
        var shares: [EpisodeShare] = []
        var assessments: [Assessment] = []
        var meetings: [TACMeeting] = []
        var invitations: [TACInvitation] = []
        var leads: [LeadProfessionalTerm] = []
        var actions: [PlanAction] = []
        var referrals: [Referral] = []
        var time: [TimeRecord] = []
        var editing: [EditingSession] = []

        func save(on db: any Database) async throws {
            try await db.writeTransaction { db in
                try await Self.create(children, on: db)
                try await Self.create(names, on: db)
                try await Self.create(episodes, on: db)
                try await Self.create(checklists, on: db)
                try await Self.create(calls, on: db)
                try await Self.create(consents, on: db)
                try await Self.create(shares, on: db)
                try await Self.create(assessments, on: db)
                try await Self.create(meetings, on: db)
                try await Self.create(invitations, on: db)
                try await Self.create(leads, on: db)
                try await Self.create(actions, on: db)
                try await Self.create(referrals, on: db)
                try await Self.create(time, on: db)
                try await Self.create(editing, on: db)
            }
        }

        /// In slices, so no statement carries more binds than a database takes.
        static func create<M: Model>(_ models: [M], on db: any Database) async throws {
            for start in stride(from: 0, to: models.count, by: 400) {
                try await Array(models[start..<min(start + 400, models.count)]).create(on: db)
            }
        }
    }
}
