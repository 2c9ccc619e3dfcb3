import Foundation

extension AccessPolicy {
    /// An involvement with a service shows to everyone who uses the index, unless the service
    /// is sensitive: then only to that service's own staff and to those the service has
    /// disclosed it to. Opening a CAF, joining its team or typing a consent opens nothing.
    public static func maySeeInvolvement(
        _ actor: Actor, serviceOrganisationID: UUID, sensitive: SensitiveService?, disclosedToActor: Bool
    ) -> Bool {
        guard mayUseIndex(actor) else { return false }
        guard sensitive != nil else { return true }
        return actor.organisationID == serviceOrganisationID || disclosedToActor
    }

    /// Only the service's own staff say who outside it may see a sensitive involvement, and
    /// withdraw that.
    public static func mayDiscloseInvolvement(_ actor: Actor, serviceOrganisationID: UUID) -> Bool {
        mayUseIndex(actor) && actor.organisationID == serviceOrganisationID
    }

    /// Who could be told of a sensitive involvement: someone on the child's team, outside the
    /// service (whose staff see it anyway), who works with children. Least access: those the
    /// service is asked about, never anyone in the country.
    public static func mayBeToldOfInvolvement(_ recipient: Actor, serviceOrganisationID: UUID, onChildsTeam: Bool) -> Bool {
        onChildsTeam && mayUseIndex(recipient) && recipient.organisationID != serviceOrganisationID
    }

    /// A sensitive involvement is disclosed only to someone who may be told of it, on the word
    /// the service may act on: for sexual health the young person's own, for the others the
    /// service's or the young person's.
    public static func disclosureProblem(
        _ service: SensitiveService, agreedBy: DisclosureAgreement, to recipient: Actor, serviceOrganisationID: UUID,
        onChildsTeam: Bool
    ) -> FieldProblem? {
        guard mayBeToldOfInvolvement(recipient, serviceOrganisationID: serviceOrganisationID, onChildsTeam: onChildsTeam)
        else {
            return .init(
                field: "practitionerId",
                message:
                    "Choose someone on the child’s team, outside your service, who works with children: your own staff already see it"
            )
        }
        guard service.agreements.contains(agreedBy) else {
            return .init(field: "agreedBy", message: "\(service.title) services disclose only with the young person’s agreement")
        }
        return nil
    }
}
