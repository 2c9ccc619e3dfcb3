import Fluent
import Foundation
import Testing

@testable import App

/// Each model lists its properties by hand, so Fluent does not reflect them for every row
/// (issue 16). A property declared and left out of the list would be neither read nor
/// written: each list must be exactly the declarations, in order.
@Suite struct ModelPropertyTests {
    static let models: [any Model.Type] = [
        APIToken.self, AccessRequest.self, Assessment.self, AssessmentPartRevision.self, AuditEvent.self, AuditSeal.self,
        BreakGlassGrant.self, Child.self, ChildAddress.self, ChildName.self, Consent.self, ConsentRefusalRecord.self,
        CredentialLink.self, DecisionNotToShare.self, Episode.self, EpisodeShare.self, Involvement.self,
        InvolvementDisclosure.self, LocalAuthority.self, NameProposal.self, Organisation.self, OutboxMessage.self,
        PageSession.self, PlanAction.self, Practitioner.self, PreAssessment.self, Referral.self, EpisodeReopening.self,
        RoleGrant.self, SafeguardingCall.self, ShieldOverride.self, FamilyMember.self, TACMeeting.self,
        TACInvitation.self, LeadProfessionalTerm.self, TimeRecord.self, EditingSession.self, DatabaseKind.self,
        SecurityKey.self,
    ]

    @Test(arguments: models.map { ModelType($0) })
    func theListIsExactlyTheDeclarations(_ type: ModelType) {
        let model = type.type.init()
        let declared = Mirror(reflecting: model).children.compactMap { $0.value as? any AnyProperty }
        #expect(
            model.properties.map { ObjectIdentifier($0 as AnyObject) } == declared.map { ObjectIdentifier($0 as AnyObject) },
            "\(type) lists \(model.properties.count) of \(declared.count) properties")
    }

    /// Every model is checked above.
    @Test func everyModelIsChecked() throws {
        let declared = try SourceFiles.swift(under: "App").flatMap { file in
            file.text.matches(of: /final class (\w+): Model\b/).map { String($0.output.1) }
        }
        #expect(Set(declared) == Set(Self.models.map { String(describing: $0) }))
        #expect(declared.count == Self.models.count)
    }

    struct ModelType: CustomTestStringConvertible, Sendable {
        let type: any Model.Type
        init(_ type: any Model.Type) { self.type = type }
        var testDescription: String { String(describing: type) }
    }
}
