import CAFCore
import Fluent
import Foundation

/// A child's index record: basic details only, searchable by every practitioner.
final class Child: Model, @unchecked Sendable {
    static let schema = "children"

    @ID(key: .id) var id: UUID?
    @Field(key: "given_name") var givenName: String
    @Field(key: "family_name") var familyName: String
    /// ISO 8601 calendar date (YYYY-MM-DD): the expected date of delivery while `unborn`.
    @Field(key: "date_of_birth") var dateOfBirth: String
    @Field(key: "unborn") var unborn: Bool
    @OptionalEnum(key: "gender") var gender: Gender?
    @OptionalField(key: "postcode") var postcode: String?
    /// The postcode's outward code ("CB4"), for searching by district.
    @OptionalField(key: "postcode_district") var postcodeDistrict: String?
    /// Validated NHS number (10 digits), when known.
    @OptionalField(key: "nhs_number") var nhsNumber: String?
    /// Validated Unique Pupil Number, when known.
    @OptionalField(key: "upn") var upn: String?
    /// Whereabouts: hidden when `shielded` from all but the LA's coordinators and safeguarding.
    @Field(key: "shielded") var shielded: Bool
    @OptionalField(key: "address") var address: String?
    @OptionalField(key: "school") var school: String?
    @OptionalField(key: "gp_practice") var gpPractice: String?
    @OptionalField(key: "contact_phone") var contactPhone: String?
    /// One more with each change to where the child lives: a change names the version it was
    /// made on.
    @Field(key: "whereabouts_version") var whereaboutsVersion: Int
    @OptionalParent(key: "whereabouts_updated_by_id") var whereaboutsUpdatedBy: Practitioner?
    @OptionalField(key: "whereabouts_updated_at") var whereaboutsUpdatedAt: Date?
    @Parent(key: "local_authority_id") var localAuthority: LocalAuthority
    @Parent(key: "registered_by_id") var registeredBy: Practitioner
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    /// Set when a coordinator merged this record into another of the same child.
    @OptionalParent(key: "merged_into_id") var mergedInto: Child?
    @OptionalField(key: "merged_at") var mergedAt: Date?
    @OptionalParent(key: "merged_by_id") var mergedBy: Practitioner?

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] {
        [
            $id, $givenName, $familyName, $dateOfBirth, $unborn, $gender, $postcode, $postcodeDistrict, $nhsNumber, $upn,
            $shielded, $address, $school, $gpPractice, $contactPhone, $whereaboutsVersion, $whereaboutsUpdatedBy,
            $whereaboutsUpdatedAt, $localAuthority, $registeredBy, $createdAt, $mergedInto, $mergedAt, $mergedBy,
        ]
    }
    init() {}
    init(_ registration: ChildRegistration, localAuthorityID: UUID, registeredByID: UUID) {
        self.givenName = registration.givenName
        self.familyName = registration.familyName
        self.dateOfBirth = registration.dateOfBirth
        self.unborn = registration.unborn
        self.gender = registration.gender
        setPostcode(registration.postcode)
        self.nhsNumber = registration.nhsNumber
        self.upn = registration.upn
        self.shielded = false
        self.whereaboutsVersion = 1
        self.$localAuthority.id = localAuthorityID
        self.$registeredBy.id = registeredByID
    }

    /// The record by its id, or 404; a record merged into another answers 410 naming it.
    /// Its LA is loaded only for the callers that show it.
    static func live(_ id: UUID, withLocalAuthority: Bool = false, on db: any Database) async throws -> Child {
        let query = Child.query(on: db).filter(\.$id == id)
        // The LA by a join, not a second statement: every read of a child asks (issue 16).
        guard let child = try await (withLocalAuthority ? query.join(parent: \.$localAuthority) : query).first() else {
            throw AppError.notFound("child")
        }
        if withLocalAuthority { child.$localAuthority.value = try child.joined(LocalAuthority.self) }
        if let survivor = child.$mergedInto.id {
            throw AppError(
                status: .gone, code: "child-merged",
                message: "This record was merged into another record of the same child: use that one", related: [survivor])
        }
        return child
    }

    var fullName: String { "\(givenName) \(familyName)" }

    /// The postcode with its district (outward code), which searches by district use.
    func setPostcode(_ postcode: String?) {
        self.postcode = postcode
        postcodeDistrict = postcode.flatMap { $0.split(separator: " ").first.map(String.init) }
    }
}
