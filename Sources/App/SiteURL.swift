import CAFCore
import Foundation
import Vapor

/// Every page path, typed: routes register `pattern` and views link with `path`, so a
/// link can never point at a route that does not exist.
enum SiteURL: Hashable {
    case home
    /// One of the worktray's lists, paged; nil in the route pattern.
    case worktrayList(WorktrayList?)
    case signIn
    case signInCode
    /// The second step of signing in with a security key: where the key's answer is posted.
    case signInSecurityKey
    case twoFactor
    case securityKeys
    case removeSecurityKey(UUID)
    case signOut
    case credentialLink
    case forgotPassword
    case changePassword
    case sessions
    case findChild
    case registerChild
    case child(UUID)
    case childAudit(UUID)
    case childWhereabouts(UUID)
    case childInvolvements(UUID)
    case involvementDisclosures(UUID)
    case withdrawDisclosure(UUID)
    case childBirth(UUID)
    case childNames(UUID)
    case nameProposal(UUID)
    case childDecisionsNotToShare(UUID)
    case decisionsNotToShare
    case childMerge(UUID)
    case childShield(UUID)
    case shieldOverride(UUID)
    case shieldOverrideReview(UUID)
    case startEpisode(child: UUID)
    case checklist(child: UUID)
    case safeguarding(child: UUID)
    case safeguardingCall(UUID)
    case followUp(UUID)
    case episode(UUID)
    case shareEpisode(UUID)
    case episodeConsent(UUID)
    case startReview(UUID)
    case team(UUID)
    case familyMembers(UUID)
    case meetings(UUID)
    case meeting(UUID)
    case leadProfessional(UUID)
    case plan(UUID)
    case planActions(UUID)
    case planReview(UUID)
    case action(UUID)
    case closeEpisode(UUID)
    case reopenEpisode(UUID)
    case referral(UUID)
    case printEpisode(UUID)
    case requestAccess(UUID)
    case accessRequest(UUID)
    case takeBreakGlass(UUID)
    case breakGlassGrant(UUID)
    case admin
    case adminDisable(UUID)
    case adminAccount(UUID)
    case adminOrganisationPage(UUID)
    case adminRoleGrant(UUID)
    case measures
    case measuresCSV
    case episodeTime(UUID)
    case editingPing(UUID)
    case comparison(UUID)
    case editAssessment(episode: UUID)
    case assessment(episode: UUID)
    case health
    case ready

    var path: String { "/" + parts { $0.uuidString.lowercased() }.joined(separator: "/") }

    /// The route pattern: each id becomes the `:id` parameter.
    var pattern: [PathComponent] { parts { _ in ":id" }.map { PathComponent(stringLiteral: $0) } }

    private func parts(_ id: (UUID) -> String) -> [String] {
        switch self {
        case .home: []
        case .worktrayList(let list): ["worktray", list?.rawValue ?? ":list"]
        case .signIn: ["sign-in"]
        case .signInCode: ["sign-in", "code"]
        case .signInSecurityKey: ["sign-in", "security-key"]
        case .twoFactor: ["two-factor"]
        case .securityKeys: ["account", "security-keys"]
        case .removeSecurityKey(let key): ["account", "security-keys", id(key), "remove"]
        case .signOut: ["sign-out"]
        case .credentialLink: ["account", "link"]
        case .forgotPassword: ["account", "forgot-password"]
        case .changePassword: ["account", "password"]
        case .sessions: ["account", "sessions"]
        case .findChild: ["children"]
        case .registerChild: ["children", "new"]
        case .child(let child): ["children", id(child)]
        case .childAudit(let child): ["children", id(child), "audit"]
        case .childWhereabouts(let child): ["children", id(child), "whereabouts"]
        case .childInvolvements(let child): ["children", id(child), "involvements"]
        case .involvementDisclosures(let involvement): ["involvements", id(involvement), "disclosures"]
        case .withdrawDisclosure(let disclosure): ["involvement-disclosures", id(disclosure), "withdraw"]
        case .childBirth(let child): ["children", id(child), "birth"]
        case .childNames(let child): ["children", id(child), "names"]
        case .nameProposal(let proposal): ["name-proposals", id(proposal)]
        case .childDecisionsNotToShare(let child): ["children", id(child), "decisions-not-to-share"]
        case .decisionsNotToShare: ["decisions-not-to-share"]
        case .measures: ["measures"]
        case .measuresCSV: ["measures", "csv"]
        case .episodeTime(let episode): ["episodes", id(episode), "time"]
        case .editingPing(let session): ["editing-sessions", id(session), "ping"]
        case .childMerge(let child): ["children", id(child), "merge"]
        case .childShield(let child): ["children", id(child), "shield"]
        case .shieldOverride(let child): ["children", id(child), "shield-override"]
        case .shieldOverrideReview(let override): ["shield-overrides", id(override)]
        case .startEpisode(let child): ["children", id(child), "episodes", "new"]
        case .checklist(let child): ["children", id(child), "checklist"]
        case .safeguarding(let child): ["children", id(child), "safeguarding"]
        case .safeguardingCall(let call): ["safeguarding-calls", id(call)]
        case .followUp(let call): ["safeguarding-calls", id(call), "follow-up"]
        case .episode(let episode): ["episodes", id(episode)]
        case .shareEpisode(let episode): ["episodes", id(episode), "shares"]
        case .episodeConsent(let episode): ["episodes", id(episode), "consent"]
        case .startReview(let episode): ["episodes", id(episode), "reviews"]
        case .team(let episode): ["episodes", id(episode), "team"]
        case .familyMembers(let episode): ["episodes", id(episode), "family-members"]
        case .meetings(let episode): ["episodes", id(episode), "meetings"]
        case .meeting(let meeting): ["meetings", id(meeting)]
        case .leadProfessional(let episode): ["episodes", id(episode), "lead-professional"]
        case .plan(let episode): ["episodes", id(episode), "plan"]
        case .planActions(let episode): ["episodes", id(episode), "plan", "actions"]
        case .planReview(let episode): ["episodes", id(episode), "plan", "review"]
        case .action(let action): ["actions", id(action)]
        case .closeEpisode(let episode): ["episodes", id(episode), "close"]
        case .reopenEpisode(let episode): ["episodes", id(episode), "reopen"]
        case .referral(let referral): ["referrals", id(referral)]
        case .printEpisode(let episode): ["episodes", id(episode), "print"]
        case .requestAccess(let episode): ["episodes", id(episode), "access-requests"]
        case .accessRequest(let request): ["access-requests", id(request)]
        case .takeBreakGlass(let episode): ["episodes", id(episode), "break-glass"]
        case .breakGlassGrant(let grant): ["break-glass", id(grant)]
        case .admin: ["admin"]
        case .adminDisable(let practitioner): ["admin", "practitioners", id(practitioner), "status"]
        case .adminAccount(let practitioner): ["admin", "practitioners", id(practitioner)]
        case .adminOrganisationPage(let organisation): ["admin", "organisations", id(organisation)]
        case .adminRoleGrant(let grant): ["admin", "role-grants", id(grant)]
        case .comparison(let episode): ["episodes", id(episode), "comparison"]
        case .editAssessment(let episode): ["episodes", id(episode), "assessment", "edit"]
        case .assessment(let episode): ["episodes", id(episode), "assessment"]
        case .health: ["health"]
        case .ready: ["ready"]
        }
    }
}

/// Every JSON API path (PRODUCT.md's API outline), typed the same way.
enum APIURL: Hashable {
    case token
    case me
    case children
    case childSearch
    case child(UUID)
    case childNames(UUID)
    case nameProposals
    case nameProposalDecision(UUID)
    case childDecisionsNotToShare(UUID)
    case decisionsNotToShare
    case childBirth(UUID)
    case childMerge(UUID)
    case childWhereabouts(UUID)
    case childInvolvements(UUID)
    case involvementDisclosures(UUID)
    case involvementDisclosure(UUID)
    case childShield(UUID)
    case childShieldOverrides(UUID)
    case shieldOverrides
    case shieldOverrideReview(UUID)
    case childEpisodes(UUID)
    case preAssessments(UUID)
    case consentRefusals(UUID)
    case consents(UUID)
    case safeguardingCalls(UUID)
    case calls
    case call(UUID)
    case callFollowUp(UUID)
    case episodes
    case episode(UUID)
    case assessment(UUID)
    case assessmentPart(UUID, AssessmentPart?)
    case completeAssessment(UUID)
    case assessments(UUID)
    case comparison(UUID)
    case shares(UUID)
    case familyMembers(UUID)
    case meetings(UUID)
    case meetingAttendance(episode: UUID, meeting: UUID)
    case leadProfessional(UUID)
    case team(UUID)
    case actions(UUID)
    case action(episode: UUID, action: UUID)
    case planReview(UUID)
    case close(UUID)
    case reopen(UUID)
    case timeEntries(UUID)
    case referrals
    case referralDecision(UUID)
    case episodeAccessRequests(UUID)
    case accessRequests
    case accessRequestDecision(UUID)
    case episodeBreakGlass(UUID)
    case breakGlassQueue
    case breakGlassReview(UUID)
    case adminAccounts
    case adminOrganisations
    case adminOrganisation(UUID)
    case adminPractitioners
    case adminPractitioner(UUID)
    case adminRoleGrants
    case adminRoleGrantDecision(UUID)
    case audit
    case measures
    /// One measure; nil stands for the route pattern's `:measure`.
    case measure(Measure?)
    case openAPI

    var path: String { "/" + parts { id, _ in id.uuidString.lowercased() }.joined(separator: "/") }
    /// The route pattern: each id becomes a named parameter (`:id`, `:meetingId`).
    var pattern: [PathComponent] { parts { _, name in ":\(name)" }.map { PathComponent(stringLiteral: $0) } }

    private func parts(_ id: (UUID, String) -> String) -> [String] {
        let base = ["api", "v1"]
        switch self {
        case .token: return base + ["auth", "token"]
        case .me: return base + ["me"]
        case .children: return base + ["children"]
        case .childSearch: return base + ["child-searches"]
        case .child(let child): return base + ["children", id(child, "id")]
        case .childNames(let child): return base + ["children", id(child, "id"), "names"]
        case .nameProposals: return base + ["name-proposals"]
        case .childDecisionsNotToShare(let child): return base + ["children", id(child, "id"), "decisions-not-to-share"]
        case .decisionsNotToShare: return base + ["decisions-not-to-share"]
        case .nameProposalDecision(let proposal): return base + ["name-proposals", id(proposal, "id"), "decision"]
        case .childBirth(let child): return base + ["children", id(child, "id"), "birth"]
        case .childMerge(let child): return base + ["children", id(child, "id"), "merge"]
        case .childWhereabouts(let child): return base + ["children", id(child, "id"), "whereabouts"]
        case .childInvolvements(let child): return base + ["children", id(child, "id"), "involvements"]
        case .involvementDisclosures(let involvement): return base + ["involvements", id(involvement, "id"), "disclosures"]
        case .involvementDisclosure(let disclosure): return base + ["involvement-disclosures", id(disclosure, "id")]
        case .childShield(let child): return base + ["children", id(child, "id"), "shield"]
        case .childShieldOverrides(let child): return base + ["children", id(child, "id"), "shield-overrides"]
        case .shieldOverrides: return base + ["shield-overrides"]
        case .shieldOverrideReview(let override): return base + ["shield-overrides", id(override, "id"), "review"]
        case .childEpisodes(let child): return base + ["children", id(child, "id"), "episodes"]
        case .preAssessments(let child): return base + ["children", id(child, "id"), "pre-assessments"]
        case .consentRefusals(let child): return base + ["children", id(child, "id"), "consent-refusals"]
        case .consents(let episode): return base + ["episodes", id(episode, "id"), "consents"]
        case .safeguardingCalls(let child): return base + ["children", id(child, "id"), "safeguarding-calls"]
        case .calls: return base + ["safeguarding-calls"]
        case .call(let call): return base + ["safeguarding-calls", id(call, "id")]
        case .callFollowUp(let call): return base + ["safeguarding-calls", id(call, "id"), "follow-up"]
        case .episodes: return base + ["episodes"]
        case .episode(let episode): return base + ["episodes", id(episode, "id")]
        case .assessment(let episode): return base + ["episodes", id(episode, "id"), "assessment"]
        case .assessmentPart(let episode, let part):
            return base + ["episodes", id(episode, "id"), "assessment", "parts", part?.rawValue ?? ":part"]
        case .completeAssessment(let episode): return base + ["episodes", id(episode, "id"), "assessment", "complete"]
        case .assessments(let episode): return base + ["episodes", id(episode, "id"), "assessments"]
        case .comparison(let episode): return base + ["episodes", id(episode, "id"), "comparison"]
        case .shares(let episode): return base + ["episodes", id(episode, "id"), "shares"]
        case .familyMembers(let episode): return base + ["episodes", id(episode, "id"), "family-members"]
        case .meetings(let episode): return base + ["episodes", id(episode, "id"), "meetings"]
        case .meetingAttendance(let episode, let meeting):
            return base + ["episodes", id(episode, "id"), "meetings", id(meeting, "meetingId"), "attendance"]
        case .leadProfessional(let episode): return base + ["episodes", id(episode, "id"), "lead-professional"]
        case .team(let episode): return base + ["episodes", id(episode, "id"), "team"]
        case .actions(let episode): return base + ["episodes", id(episode, "id"), "actions"]
        case .action(let episode, let action): return base + ["episodes", id(episode, "id"), "actions", id(action, "actionId")]
        case .planReview(let episode): return base + ["episodes", id(episode, "id"), "plan-review"]
        case .close(let episode): return base + ["episodes", id(episode, "id"), "close"]
        case .reopen(let episode): return base + ["episodes", id(episode, "id"), "reopen"]
        case .timeEntries(let episode): return base + ["episodes", id(episode, "id"), "time-entries"]
        case .referrals: return base + ["referrals"]
        case .episodeAccessRequests(let episode): return base + ["episodes", id(episode, "id"), "access-requests"]
        case .accessRequests: return base + ["access-requests"]
        case .episodeBreakGlass(let episode): return base + ["episodes", id(episode, "id"), "break-glass"]
        case .breakGlassQueue: return base + ["break-glass"]
        case .adminAccounts: return base + ["admin", "accounts"]
        case .adminOrganisations: return base + ["admin", "organisations"]
        case .adminOrganisation(let organisation): return base + ["admin", "organisations", id(organisation, "id")]
        case .adminPractitioners: return base + ["admin", "practitioners"]
        case .adminPractitioner(let practitioner): return base + ["admin", "practitioners", id(practitioner, "id")]
        case .breakGlassReview(let grant): return base + ["break-glass", id(grant, "id"), "review"]
        case .adminRoleGrants: return base + ["admin", "role-grants"]
        case .adminRoleGrantDecision(let grant): return base + ["admin", "role-grants", id(grant, "id"), "decision"]
        case .accessRequestDecision(let request): return base + ["access-requests", id(request, "id"), "decision"]
        case .referralDecision(let referral): return base + ["referrals", id(referral, "id"), "decision"]
        case .audit: return base + ["audit"]
        case .measures: return base + ["measures"]
        case .measure(let measure): return base + ["measures", measure?.rawValue ?? ":measure"]
        case .openAPI: return base + ["openapi.json"]
        }
    }
}

extension UUID {
    /// Stands in for an id when only a route pattern is wanted.
    static let pattern = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
}

extension Request {
    /// The `:id` path parameter; a malformed id is an unknown one.
    func id(_ what: String, parameter: String = "id") throws -> UUID {
        guard let text = parameters.get(parameter), let id = UUID(uuidString: text) else { throw AppError.notFound(what) }
        return id
    }
}
