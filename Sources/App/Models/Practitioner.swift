import CAFCore
import Fluent
import Foundation
import SQLKit

/// Anyone who signs in: practitioners, managers, coordinators, safeguarding, admins, analysts.
package final class Practitioner: Model, @unchecked Sendable {
    package static let schema = "practitioners"

    @ID(key: .id) package var id: UUID?
    @Field(key: "email") package var email: String
    @Field(key: "name") var name: String
    @Field(key: "job_title") var jobTitle: String
    @Field(key: "phone") var phone: String
    @Field(key: "password_hash") var passwordHash: String
    /// Comma-separated `Role` raw values; see `Set<Role>(storage:)`.
    @Field(key: "roles") var roleStorage: String
    /// Nil for national users (a national analyst) who belong to no LA organisation.
    @OptionalParent(key: "organisation_id") var organisation: Organisation?
    @Field(key: "disabled") var disabled: Bool
    /// Base32 TOTP secret once two-factor sign-in is set up; nil before.
    @OptionalField(key: "totp_secret") var totpSecret: String?
    /// The last 30-second step a code was accepted for: a code never works twice.
    @OptionalField(key: "totp_last_step") var totpLastStep: Int64?
    /// When the credentials last changed (a second factor reset): sessions begun before end.
    @OptionalField(key: "credentials_changed_at") var credentialsChangedAt: Date?
    /// When the holder last chose their own password; nil until they follow their new
    /// account's link. Nobody signs in, or is granted a role, before then.
    @OptionalField(key: "password_set_at") var passwordSetAt: Date?
    /// When an administrator reset the second factor, until its holder sets one up again from
    /// the link: meanwhile neither the password nor the mailbox alone sets one up.
    @OptionalField(key: "two_factor_reset_at") var twoFactorResetAt: Date?
    /// How many security keys they have (`security_keys`), kept with each added or removed.
    @Field(key: "security_key_count") var securityKeyCount: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    /// One more with each change an administrator makes: a change names the version it was
    /// made on.
    @Field(key: "version") var version: Int
    @OptionalParent(key: "updated_by_id") var updatedBy: Practitioner?
    @OptionalField(key: "updated_at") var updatedAt: Date?

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    package var properties: [any AnyProperty] {
        [
            $id, $email, $name, $jobTitle, $phone, $passwordHash, $roleStorage, $organisation, $disabled, $totpSecret,
            $totpLastStep, $credentialsChangedAt, $passwordSetAt, $twoFactorResetAt, $securityKeyCount, $createdAt, $version,
            $updatedBy, $updatedAt,
        ]
    }
    package init() {}
    init(
        id: UUID? = nil, email: String, name: String, jobTitle: String, phone: String, passwordHash: String,
        roles: Set<Role>, organisationID: UUID?
    ) {
        self.id = id
        self.email = email.lowercased()
        self.name = name
        self.jobTitle = jobTitle
        self.phone = phone
        self.passwordHash = passwordHash
        self.roleStorage = roles.storage
        self.$organisation.id = organisationID
        self.disabled = false
        self.securityKeyCount = 0
        self.version = 1
    }

    var roles: Set<Role> { Set(storage: roleStorage) }

    /// Signing in asks for a second factor: an authenticator app's code or a security key.
    var hasSecondFactor: Bool { totpSecret != nil || hasSecurityKeys }

    /// Signing in on the pages asks for a key and takes no code.
    var hasSecurityKeys: Bool { securityKeyCount > 0 }
}

extension Practitioner {
    /// The practitioners the condition picks, each with their organisation loaded, in one
    /// statement where Fluent's eager load takes two. Every request signs in through it, and
    /// every episode's team is loaded through it (issue 16).
    static func withOrganisation(where condition: SQLQueryString, on db: any Database) async throws -> [Practitioner] {
        try await db.sql.raw(
            """
            SELECT practitioners.*, organisations.name AS organisation_name,
                organisations.agency_type AS organisation_agency_type,
                organisations.local_authority_id AS organisation_local_authority_id,
                organisations.version AS organisation_version, organisations.updated_by_id AS organisation_updated_by_id,
                organisations.updated_at AS organisation_updated_at
            FROM practitioners LEFT JOIN organisations ON organisations.id = practitioners.organisation_id
            WHERE \(condition)
            """
        ).all().map { row in
            let practitioner = try row.decode(fluentModel: Practitioner.self)
            let organisation = try practitioner.$organisation.id.map { id in
                let organisation = Organisation(
                    id: id, name: try row.decode(column: "organisation_name", as: String.self),
                    agencyType: try row.decode(column: "organisation_agency_type", as: AgencyType.self),
                    localAuthorityID: try row.decode(column: "organisation_local_authority_id", as: UUID.self))
                organisation.$id.exists = true
                organisation.version = try row.decode(column: "organisation_version", as: Int.self)
                organisation.$updatedBy.id = try row.decode(column: "organisation_updated_by_id", as: UUID?.self)
                organisation.updatedAt = try row.decode(column: "organisation_updated_at", as: Date?.self)
                return organisation
            }
            practitioner.$organisation.value = .some(organisation)
            return practitioner
        }
    }

    /// These practitioners, each with their organisation, by id.
    static func withOrganisation(_ ids: Set<UUID>, on db: any Database) async throws -> [UUID: Practitioner] {
        guard !ids.isEmpty else { return [:] }
        let people = try await withOrganisation(
            where: "practitioners.id IN \(SQLGroupExpression(ids.map { SQLBind($0) }))", on: db)
        return Dictionary(uniqueKeysWithValues: people.map { ($0.id!, $0) })
    }
}

extension Practitioner {
    /// The enabled accounts of an LA whose stored roles include any of `roles`, found by the
    /// database rather than by reading every account of the LA. It only narrows: the caller
    /// asks `AccessPolicy`, as an account may act with fewer roles than it holds. Roles are
    /// stored sorted and comma-separated (`Set<Role>.storage`), so each is matched whole.
    static func enabled(in la: UUID, holdingAnyOf roles: [Role], on db: any Database) async throws -> [Practitioner] {
        let holds: [SQLQueryString] = roles.map { role in
            "(',' || \(ident: Practitioner.schema).\(ident: "roles") || ',') LIKE \(bind: "%,\(role.rawValue),%")"
        }
        return try await query(on: db).join(Organisation.self, on: \Practitioner.$organisation.$id == \Organisation.$id)
            .filter(Organisation.self, \.$localAuthority.$id == la).filter(\.$disabled == false)
            .filter(.sql(embed: "(" + holds.joined(separator: " OR ") + ")")).all()
    }
}
