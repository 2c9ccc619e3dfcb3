import CAFCore
import Fluent
import Foundation
import Vapor

/// Realistic CAF histories for the demo LAs, so the measures have something to show:
/// checklists, safeguarding calls, episodes, assessments and reviews with changing levels,
/// TAC meetings with attendance by agency, lead professionals of several agency types,
/// actions, closures, step-ups, re-referrals and practitioners' time. Made by generated staff
/// of generated organisations (never the demo personas), from a seeded generator, so the same
/// options give the same history.
struct DemoHistory {
    /// Organisations each demo LA gets for its history, with how many staff.
    static let services: [(suffix: String, agency: AgencyType, staff: Int)] = [
        ("Primary School", .education, 6), ("Academy", .education, 4), ("Children's Centre", .earlyYears, 3),
        ("Health Visiting Team", .health, 4), ("School Nursing", .health, 2), ("Police Early Intervention", .police, 2),
        ("Youth Service", .youthService, 2), ("Housing Support", .housing, 1), ("Family Support Charity", .voluntary, 2),
        ("Early Help Social Work", .socialCare, 2),
    ]
    static let givenNames = [
        "Olivia", "Noah", "Amelia", "Leo", "Isla", "Oscar", "Ava", "Arthur", "Mia", "Muhammad", "Ivy", "Harry", "Freya",
        "Jack", "Lily", "George", "Sophia", "Theo", "Grace", "Alfie", "Zara", "Kai", "Ruby", "Finley",
    ]
    static let familyNames = [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson", "Wright",
        "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Khan", "Lewis", "Clarke", "Jackson", "Wood",
    ]
    /// How often a lead professional comes from each agency: schools carry most.
    static let leadWeights: [AgencyType: Int] = [
        .education: 45, .earlyYears: 10, .health: 22, .youthService: 6, .voluntary: 6, .socialCare: 5, .housing: 3,
        .police: 3,
    ]
    /// How likely each agency is to come to a TAC meeting it is invited to, in percent.
    static let attendanceRates: [AgencyType: Int] = [
        .education: 90, .earlyYears: 85, .health: 70, .police: 45, .youthService: 75, .housing: 55, .voluntary: 80,
        .socialCare: 65,
    ]

    var random: SeededRandom
    let now: Date
    let years: Int
    /// What assessments are sealed with, as any other.
    let keys: SecretKeys

    struct Staff {
        let id: UUID
        let agency: AgencyType
        let organisationID: UUID
    }

    /// History staff never sign in: their password is random and thrown away.
    static func unusablePassword(_ app: Application) async throws -> String {
        try await Passwords.hash(Auth.randomToken(), pepper: try app.requirePepper())
    }

    /// Under `--demo`, a modest history the first time, so the dashboards have something to show.
    static func seedOnce(_ app: Application) async throws {
        guard try await Practitioner.query(on: app.db).filter(\.$email ~~ "history.demo.test").first() == nil else { return }
        _ = try await generate(
            episodes: 240, years: 2, passwordHash: try await unusablePassword(app), keys: try app.requireSecrets(), on: app.db)
    }

    /// Builds `episodes` CAF episodes over the last `years` years across the demo LAs.
    static func generate(
        episodes: Int, years: Int, seed: UInt64 = 2008, now: Date = Date(), passwordHash: String, keys: SecretKeys,
        on db: any Database
    ) async throws -> Int {
        var history = DemoHistory(random: SeededRandom(seed: seed), now: now, years: years, keys: keys)
        let authorities = try await LocalAuthority.query(on: db).filter(\.$name ~~ DemoData.localAuthorities.map(\.0)).all()
        var made = 0
        for (index, authority) in authorities.sorted(by: { $0.name < $1.name }).enumerated() {
            let staff = try await history.staff(of: authority, passwordHash: passwordHash, on: db)
            // The first LA is the larger, as Cambridgeshire is beside Suffolk's demo.
            let share = index == 0 ? (episodes * 3 + 4) / 5 : episodes - made
            made += try await history.episodes(share, in: authority, staff: staff, on: db)
        }
        return made
    }

    /// The LA's history staff, made once and found again on later runs.
    mutating func staff(of authority: LocalAuthority, passwordHash: String, on db: any Database) async throws -> [Staff] {
        var staff: [Staff] = []
        for service in Self.services {
            let name = "\(authority.name) \(service.suffix)"
            let organisation: Organisation
            if let existing = try await Organisation.query(on: db).filter(\.$name == name).first() {
                organisation = existing
            } else {
                organisation = Organisation(name: name, agencyType: service.agency, localAuthorityID: authority.id!)
                try await organisation.create(on: db)
            }
            for number in 1...service.staff {
                let email =
                    "\(service.suffix.lowercased().filter(\.isLetter)).\(number)@\(authority.name.lowercased()).history.demo.test"
                let practitioner: Practitioner
                if let existing = try await Practitioner.query(on: db).filter(\.$email == email).first() {
                    practitioner = existing
                } else {
                    practitioner = Practitioner(
                        email: email, name: "\(pick(Self.givenNames)) \(pick(Self.familyNames))",
                        jobTitle: service.agency.title + " practitioner", phone: "01632 960\(String(format: "%03d", number))",
                        passwordHash: passwordHash, roles: [.practitioner], organisationID: organisation.id)
                    try await practitioner.create(on: db)
                }
                staff.append(Staff(id: practitioner.id!, agency: service.agency, organisationID: organisation.id!))
            }
        }
        return staff
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }
    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }
    mutating func days(_ range: ClosedRange<Int>) -> TimeInterval { TimeInterval(Int.random(in: range, using: &random)) * 86_400 }

    mutating func weightedLead(_ staff: [Staff]) -> Staff {
        let total = Self.leadWeights.values.reduce(0, +)
        var roll = Int.random(in: 0..<total, using: &random)
        for (agency, weight) in Self.leadWeights.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            roll -= weight
            if roll < 0, let found = staff.filter({ $0.agency == agency }).randomElement(using: &random) { return found }
        }
        return pick(staff)
    }

    /// A level of need for each element the CAF looks at, and how it moved by the review.
    mutating func levels(reviewOf first: [String: LevelOfNeed]? = nil) -> [String: LevelOfNeed] {
        guard let first else {
            var levels: [String: LevelOfNeed] = [:]
            for element in CAFForm.elements {
                levels[element.code] =
                    chance(35) ? pick([.additional, .additional, .complex, .universal]) : pick([.noNeed, .universal])
            }
            return levels
        }
        return first.mapValues { level in
            guard let number = level.number else { return level }
            let moved = chance(55) ? number - 1 : chance(15) ? number + 1 : number
            return [.noNeed, .universal, .additional, .complex][max(0, min(3, moved))]
        }
    }

    func content(_ levels: [String: LevelOfNeed]) -> AssessmentContent {
        AssessmentContent(
            reasonForAssessment: "Demo history",
            elements: CAFForm.elements.map { ElementAssessment(code: $0.code, level: levels[$0.code]) })
    }

    mutating func episodes(_ count: Int, in authority: LocalAuthority, staff: [Staff], on db: any Database) async throws -> Int {
        let window = TimeInterval(years) * 365 * 86_400
        var batch = Batch()
        var made = 0
        while made < count {
            let author = pick(staff)
            let registration = ChildRegistration(
                givenName: pick(Self.givenNames), familyName: pick(Self.familyNames),
                dateOfBirth: CalendarDate.iso(now - days(400...6000)), gender: pick([.female, .male]), postcode: nil)
            let child = Child(registration, localAuthorityID: authority.id!, registeredByID: author.id)
            child.id = UUID()
            batch.children.append(child)
            batch.names.append(
                ChildName(
                    child: child, kind: .current, givenName: registration.givenName, familyName: registration.familyName,
                    recordedByID: author.id))
            // One CAF for most children; a new one after closure for some (re-referral).
            var opened = now - TimeInterval.random(in: 0...window, using: &random)
            repeat {
                let closedAt = try addEpisode(for: child, opened: opened, author: author, staff: staff, in: authority, to: &batch)
                made += 1
                guard let closedAt, chance(12) else { break }
                opened = closedAt + days(30...500)
            } while opened < now && made < count
            if batch.episodes.count >= 500 {
                try await batch.save(on: db)
                batch = Batch()
            }
        }
        try await batch.save(on: db)
        return made
    }

    /// One CAF from checklist to (perhaps) closure; returns when it closed.
    mutating func addEpisode(
        for child: Child, opened: Date, author: Staff, staff: [Staff], in authority: LocalAuthority, to batch: inout Batch
    ) throws -> Date? {
        // A checklist often comes first; some checklists end in no CAF at all.
        if chance(70) {
            let checklist = try PreAssessment(
                childID: child.id!, practitionerID: author.id, localAuthorityID: authority.id!,
                answers: ChecklistAnswers(
                    harmConcern: false, worriedOutcomes: [.enjoyingAndAchieving], familyAskedForHelp: true,
                    ownServiceCanMeet: false,
                    needsUnclearOrBroad: true, reason: "Demo history"), existingEpisodeID: nil, keys: keys)
            checklist.recordedAt = opened - 3600
            batch.checklists.append(checklist)
            if chance(40) {
                let other = try PreAssessment(
                    childID: child.id!, practitionerID: pick(staff).id, localAuthorityID: authority.id!,
                    answers: ChecklistAnswers(
                        harmConcern: false, worriedOutcomes: chance(50) ? [] : [.beingHealthy], ownServiceCanMeet: true,
                        reason: "Demo history"), existingEpisodeID: nil, keys: keys)
                other.recordedAt = opened - days(30...200)
                batch.checklists.append(other)
            }
        }
        if chance(3) {
            let concern = try PreAssessment(
                childID: child.id!, practitionerID: author.id, localAuthorityID: authority.id!,
                answers: ChecklistAnswers(harmConcern: true, reason: "Demo history"), existingEpisodeID: nil, keys: keys)
            concern.recordedAt = opened - days(1...20)
            batch.checklists.append(concern)
        }
        if chance(8) {
            var call = SafeguardingCallRecord(
                calledAt: opened - days(1...20), spokeTo: "Duty social worker", advice: pick(SafeguardingAdvice.allCases),
                adviceNote: "Demo history", reference: "DEMO")
            call.calledAt = min(call.calledAt, now)
            let made = SafeguardingCall(
                call, childID: child.id!, episodeID: nil, preAssessmentID: nil, callerID: author.id, localAuthority: authority)
            made.recordedAt = call.calledAt
            made.followUpSentAt = chance(85) ? call.calledAt + TimeInterval.random(in: 3600...(4 * 86_400), using: &random) : nil
            batch.calls.append(made)
        }
        let episode = Episode(childID: child.id!, localAuthorityID: authority.id!, authorID: author.id, openedAt: opened)
        episode.id = UUID()
        batch.episodes.append(episode)
        let team = [author] + (0..<Int.random(in: 2...4, using: &random)).map { _ in pick(staff) }
        batch.consents.append(
            Consent(
                episodeID: episode.id!,
                record: ConsentRecord(
                    givenBy: .parent, name: "Parent of \(child.givenName)", relationship: "Parent", method: .written,
                    scope: ConsentScope(store: true, shareWithAgencyTypes: Set(team.map(\.agency)))),
                recordedByID: author.id, recordedAt: opened))
        for member in Set(team.dropFirst().map(\.id)) {
            batch.shares.append(
                EpisodeShare(episodeID: episode.id!, practitionerID: member, sharedByID: author.id, sharedAt: opened))
        }
        func happened(_ date: Date) -> Date? { date < now ? date : nil }
        // Someone else's checklist later finds this CAF open; team members then join it.
        if chance(15), let found = happened(opened + days(5...60)) {
            let checklist = try PreAssessment(
                childID: child.id!, practitionerID: chance(60) ? pick(team).id : pick(staff).id, localAuthorityID: authority.id!,
                answers: ChecklistAnswers(
                    harmConcern: false, worriedOutcomes: [.stayingSafe], familyAskedForHelp: true, ownServiceCanMeet: false,
                    needsUnclearOrBroad: true, reason: "Demo history"), existingEpisodeID: episode.id, keys: keys)
            checklist.recordedAt = found
            batch.checklists.append(checklist)
        }

        // The assessment, written in active minutes on the form.
        let first = levels()
        let assessed = happened(opened + days(2...45))
        let assessment = try Assessment(
            episodeID: episode.id!, version: 1, authorID: author.id, content: content(first), keys: keys)
        if let assessed {
            assessment.status = .completed
            assessment.completedAt = assessed
            let session = EditingSession(
                episodeID: episode.id!, practitionerID: author.id, activity: .assessmentWriting, assessmentID: assessment.id,
                at: assessed - 3600)
            session.activeSeconds = Double(Int.random(in: 25...140, using: &random) * 60)
            batch.editing.append(session)
        }
        batch.assessments.append(assessment)
        guard let assessed else { return nil }

        // The team meets; a lead professional is agreed.
        guard let met = happened(assessed + days(3...30)) else { return nil }
        let meeting = TACMeeting(
            episodeID: episode.id!, plan: MeetingPlan(scheduledAt: met, place: "School"), createdByID: author.id)
        meeting.id = UUID()
        meeting.held = true
        meeting.recordedAt = met + 7200
        batch.meetings.append(meeting)
        for member in team {
            let invitation = TACInvitation()
            invitation.$meeting.id = meeting.id!
            invitation.$practitioner.id = member.id
            invitation.name = "Demo staff"
            invitation.agencyType = member.agency
            invitation.attendance =
                chance(Self.attendanceRates[member.agency] ?? 70) ? .attended : chance(60) ? .apologies : .didNotAttend
            batch.invitations.append(invitation)
        }
        let lead = weightedLead(team)
        let term = LeadProfessionalTerm()
        term.$episode.id = episode.id!
        term.$practitioner.id = lead.id
        term.organisation = ""
        term.agencyType = lead.agency
        term.basis = .agreedAtMeeting
        term.$meeting.id = meeting.id
        term.handoverNote = ""
        term.$assignedBy.id = author.id
        // Mostly agreed at the meeting; sometimes the coordinator assigns one later.
        term.startedAt = chance(75) ? met : min(met + days(3...40), now)
        if term.startedAt > met { term.basis = .assignedByCoordinator }
        batch.leads.append(term)
        episode.$leadProfessional.id = lead.id
        batch.editing.append(
            {
                let session = EditingSession(
                    episodeID: episode.id!, practitionerID: author.id, activity: .meetings, assessmentID: nil, at: met)
                session.activeSeconds = Double(Int.random(in: 10...45, using: &random) * 60)
                return session
            }())

        // The plan's actions: most done, some by their date, some overdue.
        for number in 1...Int.random(in: 2...4, using: &random) {
            let owner = pick(team)
            let due = met + days(14...90)
            let action = PlanAction(
                episodeID: episode.id!,
                planned: PlannedAction(
                    description: "Demo action \(number)", elementCodes: [], ownerEmail: "", ownerAgency: owner.agency.title,
                    dueOn: CalendarDate.iso(due)), ownerID: owner.id, createdByID: author.id)
            action.createdAt = met
            if let started = happened(met + days(1...20)) {
                action.status = .inProgress
                action.startedAt = started
                if let done = happened(due + days(-30...14)), done > started, chance(85) {
                    action.status = .done
                    action.completedAt = done
                }
            }
            batch.actions.append(action)
        }
        for member in team where chance(60) {
            batch.time.append(
                TimeRecord(
                    episodeID: episode.id!, practitionerID: member.id, activity: pick([.calls, .visits, .meetings, .admin]),
                    minutes: Int.random(in: 10...90, using: &random), on: CalendarDate.iso(min(met + days(0...30), now))))
        }

        // A review some months on, with levels mostly lower.
        var closeFrom = met + days(60...200)
        if let reviewed = happened(met + days(60...150)), chance(60) {
            let review = try Assessment(
                episodeID: episode.id!, version: 2, authorID: lead.id, content: content(levels(reviewOf: first)), keys: keys)
            review.status = .completed
            review.completedAt = reviewed
            batch.assessments.append(review)
            closeFrom = reviewed + days(7...60)
        }

        // Closure, for most of those old enough.
        guard let closed = happened(closeFrom), chance(80) else { return nil }
        let reason: ClosureReason =
            chance(55)
            ? .needsMet
            : chance(30) ? .singleService : chance(25) ? .stepUp : pick([.movedAway, .disengaged, .consentWithdrawn, .other])
        episode.status = .closed
        episode.closedAt = closed
        episode.closureReason = reason
        if reason == .stepUp {
            let referral = Referral(episode: episode, referredByID: lead.id, note: "Demo history", at: closed)
            if let decided = happened(closed + days(1...10)) {
                referral.decision = chance(75) ? .accepted : .returned
                referral.decidedAt = decided
                referral.decisionReason = "Demo history"
            }
            batch.referrals.append(referral)
        }
        return closed
    }
}
