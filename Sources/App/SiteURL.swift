import Foundation
import Vapor

/// Every page path, typed: routes register `pattern` and views link with `path`, so a
/// link can never point at a route that does not exist.
enum SiteURL: Hashable {
    case home
    case signIn
    case signOut
    case findChild
    case registerChild
    case child(UUID)
    case childAudit(UUID)
    case startEpisode(child: UUID)
    case checklist(child: UUID)
    case safeguarding(child: UUID)
    case safeguardingCall(UUID)
    case followUp(UUID)
    case episode(UUID)
    case shareEpisode(UUID)
    case episodeConsent(UUID)
    case startReview(UUID)
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
        case .signIn: ["sign-in"]
        case .signOut: ["sign-out"]
        case .findChild: ["children"]
        case .registerChild: ["children", "new"]
        case .child(let child): ["children", id(child)]
        case .childAudit(let child): ["children", id(child), "audit"]
        case .startEpisode(let child): ["children", id(child), "episodes", "new"]
        case .checklist(let child): ["children", id(child), "checklist"]
        case .safeguarding(let child): ["children", id(child), "safeguarding"]
        case .safeguardingCall(let call): ["safeguarding-calls", id(call)]
        case .followUp(let call): ["safeguarding-calls", id(call), "follow-up"]
        case .episode(let episode): ["episodes", id(episode)]
        case .shareEpisode(let episode): ["episodes", id(episode), "shares"]
        case .episodeConsent(let episode): ["episodes", id(episode), "consent"]
        case .startReview(let episode): ["episodes", id(episode), "reviews"]
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
    case child(UUID)
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
    case completeAssessment(UUID)
    case assessments(UUID)
    case comparison(UUID)
    case shares(UUID)
    case audit
    case openAPI

    var path: String { "/" + parts { $0.uuidString.lowercased() }.joined(separator: "/") }
    var pattern: [PathComponent] { parts { _ in ":id" }.map { PathComponent(stringLiteral: $0) } }
    /// The path as the OpenAPI document writes it, with `{id}`.
    var openAPIPath: String { "/" + parts { _ in "{id}" }.joined(separator: "/") }

    private func parts(_ id: (UUID) -> String) -> [String] {
        let base = ["api", "v1"]
        switch self {
        case .token: return base + ["auth", "token"]
        case .me: return base + ["me"]
        case .children: return base + ["children"]
        case .child(let child): return base + ["children", id(child)]
        case .childEpisodes(let child): return base + ["children", id(child), "episodes"]
        case .preAssessments(let child): return base + ["children", id(child), "pre-assessments"]
        case .consentRefusals(let child): return base + ["children", id(child), "consent-refusals"]
        case .consents(let episode): return base + ["episodes", id(episode), "consents"]
        case .safeguardingCalls(let child): return base + ["children", id(child), "safeguarding-calls"]
        case .calls: return base + ["safeguarding-calls"]
        case .call(let call): return base + ["safeguarding-calls", id(call)]
        case .callFollowUp(let call): return base + ["safeguarding-calls", id(call), "follow-up"]
        case .episodes: return base + ["episodes"]
        case .episode(let episode): return base + ["episodes", id(episode)]
        case .assessment(let episode): return base + ["episodes", id(episode), "assessment"]
        case .completeAssessment(let episode): return base + ["episodes", id(episode), "assessment", "complete"]
        case .assessments(let episode): return base + ["episodes", id(episode), "assessments"]
        case .comparison(let episode): return base + ["episodes", id(episode), "comparison"]
        case .shares(let episode): return base + ["episodes", id(episode), "shares"]
        case .audit: return base + ["audit"]
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
    func id(_ what: String) throws -> UUID {
        guard let text = parameters.get("id"), let id = UUID(uuidString: text) else { throw AppError.notFound(what) }
        return id
    }
}
