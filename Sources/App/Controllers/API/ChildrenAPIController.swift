import CAFCore
import Vapor

struct ChildrenAPIController {
    /// POST /api/v1/child-searches: a POST so that names and identifiers never travel in a URL.
    func search(req: Request) async throws -> Response {
        let body = try await req.decodeJSON(ChildSearchRequest.self)
        let query = ChildIndex.Query(
            name: body.q ?? "", dateOfBirth: body.dob ?? "", bornTo: body.dobTo ?? "", postcode: body.postcode ?? "",
            identifier: body.identifier ?? "", page: body.page ?? 1)
        return try ChildSearchDTO(try await ChildIndex.search(query, by: try req.signedIn, on: req.db)).json()
    }

    /// POST /api/v1/children
    func create(req: Request) async throws -> Response {
        let body = try await req.decodeJSON(ChildCreateRequest.self)
        let date: String
        switch (body.dateOfBirth, body.expectedDeliveryDate) {
        case (let born?, nil): date = born
        case (nil, let due?): date = due
        case (nil, nil):
            throw AppError.invalid(
                field: "dateOfBirth", "Give the date of birth, or expectedDeliveryDate for an unborn baby")
        case (_?, _?):
            throw AppError.invalid(
                field: "expectedDeliveryDate", "Give the date of birth or the expected date of delivery, not both")
        }
        let child = try await ChildIndex.register(
            ChildRegistration(
                givenName: body.givenName ?? "", familyName: body.familyName, dateOfBirth: date, gender: body.gender,
                postcode: body.postcode, nhsNumber: body.nhsNumber, upn: body.upn, knownAs: body.knownAs,
                unborn: body.expectedDeliveryDate != nil),
            notADuplicate: body.notADuplicate ?? false, by: try req.signedIn, on: req.db)
        let response = try ChildDTO(child, shield: .open).json(.created)  // as the registrar typed it
        response.headers.replaceOrAdd(name: .location, value: APIURL.child(child.id!).path)
        return response
    }

    /// GET /api/v1/children/{id}
    func read(req: Request) async throws -> Response {
        try ChildRecordDTO(
            try await ChildIndex.read(
                try req.id("child"), by: try req.signedIn, on: req.db)
        ).json()
    }

    /// PUT /api/v1/children/{id}/whereabouts
    func updateWhereabouts(req: Request) async throws -> Response {
        let childID = try req.id("child")
        let body = try await req.decodeJSON(WhereaboutsRequest.self)
        let change = Whereabouts.Change(
            address: body.address ?? "", postcode: body.postcode ?? "", movedIn: body.movedIn ?? "", school: body.school ?? "",
            gpPractice: body.gpPractice ?? "", contactPhone: body.contactPhone ?? "")
        let signedIn = try req.signedIn
        let child = try await Whereabouts.update(childID, change, basedOn: try req.recordVersion(), by: signedIn, on: req.db)
        let response = try ChildRecordDTO(try await ChildIndex.read(childID, by: signedIn, on: req.db)).json()
        return response.tagged(child.whereaboutsVersion)
    }

    /// POST /api/v1/children/{id}/involvements: the signed-in practitioner's service.
    func recordInvolvement(req: Request) async throws -> Response {
        let body = try await req.decodeJSON(InvolvementRequest.self)
        let involvement = try await Involvements.record(
            .init(
                service: body.service, role: body.role, practitionerName: body.practitionerName, startedOn: body.startedOn,
                endedOn: body.endedOn ?? "", sensitive: body.sensitive),
            childID: try req.id("child"), by: try req.signedIn, on: req.db)
        try await involvement.$organisation.load(on: req.db)
        return try InvolvementDTO(involvement, shield: .open).json(.created)  // the caller's own service
    }

    /// GET /api/v1/involvements/{id}/disclosures: for the sensitive service's own staff.
    func disclosures(req: Request) async throws -> Response {
        try DisclosuresDTO(try await Involvements.disclosures(of: try req.id("involvement"), by: try req.signedIn, on: req.db))
            .json()
    }

    /// POST /api/v1/involvements/{id}/disclosures
    func disclose(req: Request) async throws -> Response {
        let body = try await req.decodeJSON(DisclosureRequest.self)
        let disclosed = try await Involvements.disclose(
            try req.id("involvement"), to: body.practitionerId, agreedBy: body.agreedBy, by: try req.signedIn, on: req.db)
        return try DisclosureDTO(disclosed.disclosure, shield: disclosed.shield).json(.created)
    }

    /// DELETE /api/v1/involvement-disclosures/{id}: withdrawn, kept on record.
    func withdrawDisclosure(req: Request) async throws -> Response {
        let withdrawn = try await Involvements.withdraw(try req.id("disclosure"), by: try req.signedIn, on: req.db)
        return try DisclosureDTO(withdrawn.disclosure, shield: withdrawn.shield).json()
    }

    /// PUT /api/v1/children/{id}/shield
    func shield(req: Request) async throws -> Response {
        let body = try await req.decodeJSON(ShieldRequest.self)
        let child = try await Shielding.set(
            body.shielded, childID: try req.id("child"), reason: body.reason, by: try req.signedIn, on: req.db)
        return try ChildDTO(child, shield: try await Shielding.shield(for: child, to: try req.signedIn, on: req.db)).json()
    }

    /// POST /api/v1/children/{id}/shield-overrides
    func overrideShield(req: Request) async throws -> Response {
        let body = try await req.decodeJSON(ShieldOverrideRequest.self)
        let override = try await Shielding.override(
            childID: try req.id("child"), reason: body.reason, by: try req.signedIn,
            on: req.db)
        return try EmergencyAccessDTO(try await EmergencyAccessReviews.loaded(ShieldOverride.self, override.id!, on: req.db))
            .json(.created)
    }

    /// GET /api/v1/shield-overrides: the coordinator's queue of overrides to review.
    func overrideQueue(req: Request) async throws -> Response {
        let overrides = try await EmergencyAccessReviews.queue(
            ShieldOverride.self, for: try req.signedIn, refusingOthers: true, on: req.db)
        return try EmergencyAccessQueueDTO(items: overrides.map(EmergencyAccessDTO.init)).json()
    }

    /// POST /api/v1/shield-overrides/{id}/review
    func reviewOverride(req: Request) async throws -> Response {
        let body = try await req.decodeJSON(BreakGlassReviewRequest.self)
        let override = try await EmergencyAccessReviews.review(
            ShieldOverride.self, try req.id("override"), note: body.note, by: try req.signedIn, on: req.db)
        return try EmergencyAccessDTO(override).json()
    }

    /// POST /api/v1/children/{id}/names
    func addName(req: Request) async throws -> Response {
        let childID = try req.id("child")
        let body = try await req.decodeJSON(ChildNameRequest.self)
        let change = try await ChildIndex.addName(
            body.kind, givenName: body.givenName, familyName: body.familyName, reason: body.reason ?? "", to: childID,
            by: try req.signedIn, on: req.db)
        switch change {
        case .recorded(let name): return try ChildNameDTO(name.indexName).json(.created)
        case .proposed(let proposal): return try NameProposalDTO(proposal).json(.accepted)
        }
    }

    /// POST /api/v1/children/{id}/decisions-not-to-share
    func recordDecisionNotToShare(req: Request) async throws -> Response {
        let body = try await req.decodeJSON(DecisionNotToShareRequest.self)
        let decision = try await SharingDecisions.record(
            .init(withheld: body.withheld, withheldFrom: body.withheldFrom, reason: body.reason), childID: try req.id("child"),
            by: try req.signedIn, on: req.db)
        return try DecisionNotToShareDTO(decision, shield: .open).json(.created)  // the decider's own record
    }

    /// GET /api/v1/decisions-not-to-share: the coordinator's list, with the last 30 days' count.
    func decisionsNotToShare(req: Request) async throws -> Response {
        let (decisions, recent) = try await SharingDecisions.forCoordinator(try req.signedIn, on: req.db)
        // The LA's coordinators see the whereabouts of its children.
        return try DecisionsNotToShareDTO(
            decisions: decisions.map { DecisionNotToShareDTO($0, shield: .open) }, lastThirtyDays: recent
        ).json()
    }

    /// GET /api/v1/name-proposals: the coordinator's queue of corrections to decide.
    func nameProposals(req: Request) async throws -> Response {
        let proposals = try await NameProposals.queue(for: try req.signedIn, refusingOthers: true, on: req.db)
        return try NameProposalQueueDTO(proposals: proposals.map(NameProposalDTO.init)).json()
    }

    /// POST /api/v1/name-proposals/{id}/decision
    func decideNameProposal(req: Request) async throws -> Response {
        let body = try await req.decodeJSON(NameProposalDecisionRequest.self)
        return try NameProposalDTO(
            try await NameProposals.decide(
                try req.id("proposal"), accept: body.decision == .accepted, note: body.note ?? "", by: try req.signedIn,
                on: req.db)
        ).json()
    }

    /// POST /api/v1/children/{id}/birth
    func recordBirth(req: Request) async throws -> Response {
        let body = try await req.decodeJSON(ChildBirthRequest.self)
        let signedIn = try req.signedIn
        let child = try await ChildIndex.recordBirth(
            of: try req.id("child"), dateOfBirth: body.dateOfBirth, givenName: body.givenName ?? "", by: signedIn, on: req.db)
        return try ChildDTO(child, shield: try await Shielding.shield(for: child, to: signedIn, on: req.db)).json()
    }

    /// POST /api/v1/children/{id}/merge
    func merge(req: Request) async throws -> Response {
        let body = try await req.decodeJSON(ChildMergeRequest.self)
        let child = try await ChildMerges.merge(
            body.duplicateId, into: try req.id("child"), reason: body.reason, by: try req.signedIn, on: req.db)
        return try ChildDTO(child, shield: try await Shielding.shield(for: child, to: try req.signedIn, on: req.db)).json()
    }

    /// POST /api/v1/children/{id}/episodes
    func openEpisode(req: Request) async throws -> Response {
        let childID = try req.id("child")
        let body = try await req.decodeJSON(EpisodeCreateRequest.self)
        let signedIn = try req.signedIn
        let episode = try await Episodes.open(
            childID: childID, consent: body.consent.record, stepDownNote: body.stepDownNote, by: signedIn,
            keys: try req.secrets, on: req.db)
        let (authorised, assessment) = try await Episodes.read(episode.id!, by: signedIn, on: req.db)
        let response = try EpisodeDTO.response(authorised, assessment, status: .created)
        response.headers.replaceOrAdd(name: .location, value: APIURL.episode(episode.id!).path)
        return response
    }

    /// POST /api/v1/children/{id}/consent-refusals: keeps only the refusal note.
    func refuseConsent(req: Request) async throws -> Response {
        let childID = try req.id("child")
        let body = try await req.decodeJSON(ConsentRefusalRequest.self)
        let refusal = try await Episodes.refuse(
            childID: childID, ConsentRefusal(givenBy: body.givenBy, name: body.name, note: body.note), by: try req.signedIn,
            on: req.db)
        return try ConsentRefusalDTO(refusal).json(.created)
    }
}

extension ChildrenAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post(APIURL.childSearch.pattern, use: search)
        routes.post(APIURL.children.pattern, use: create)
        routes.get(APIURL.child(.pattern).pattern, use: read)
        routes.post(APIURL.childNames(.pattern).pattern, use: addName)
        routes.get(APIURL.nameProposals.pattern, use: nameProposals)
        routes.post(APIURL.childDecisionsNotToShare(.pattern).pattern, use: recordDecisionNotToShare)
        routes.get(APIURL.decisionsNotToShare.pattern, use: decisionsNotToShare)
        routes.post(APIURL.nameProposalDecision(.pattern).pattern, use: decideNameProposal)
        routes.post(APIURL.childBirth(.pattern).pattern, use: recordBirth)
        routes.post(APIURL.childMerge(.pattern).pattern, use: merge)
        routes.put(APIURL.childWhereabouts(.pattern).pattern, use: updateWhereabouts)
        routes.post(APIURL.childInvolvements(.pattern).pattern, use: recordInvolvement)
        routes.get(APIURL.involvementDisclosures(.pattern).pattern, use: disclosures)
        routes.post(APIURL.involvementDisclosures(.pattern).pattern, use: disclose)
        routes.delete(APIURL.involvementDisclosure(.pattern).pattern, use: withdrawDisclosure)
        routes.put(APIURL.childShield(.pattern).pattern, use: shield)
        routes.post(APIURL.childShieldOverrides(.pattern).pattern, use: overrideShield)
        routes.get(APIURL.shieldOverrides.pattern, use: overrideQueue)
        routes.post(APIURL.shieldOverrideReview(.pattern).pattern, use: reviewOverride)
        routes.post(APIURL.childEpisodes(.pattern).pattern, use: openEpisode)
        routes.post(APIURL.consentRefusals(.pattern).pattern, use: refuseConsent)
    }
}
