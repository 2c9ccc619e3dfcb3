import CAFCore
import Fluent
import SQLKit
import Vapor

/// Accounts created outside the demo. Outside `--demo` no account exists until
/// `ecaf create-admin` makes an LA's first two administrators.
enum Administration {
    struct NewAdmin {
        var email: String
        var name: String
        var authority: String
        var organisation: String
    }

    /// Makes one of an LA's first two administrators, who chooses their own password from
    /// the link e-mailed to them: whoever runs the command never knows it.
    static func createAdmin(_ admin: NewAdmin, on app: Application) async throws -> Practitioner {
        let email = admin.email.trimmingCharacters(in: .whitespaces).lowercased()
        var problems: [FieldProblem] = []
        if email.split(separator: "@").count != 2 || !email.contains(".") {
            problems.append(.init(field: "email", message: "Enter a real e-mail address"))
        }
        for (field, value) in [("name", admin.name), ("authority", admin.authority), ("organisation", admin.organisation)]
        where value.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.init(field: field, message: "Enter the \(field)"))
        }
        if try await Practitioner.query(on: app.db).filter(\.$email == email).first() != nil {
            problems.append(.init(field: "email", message: "An account with that e-mail address already exists"))
        }
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        let mail = app.mail
        return try await app.db.writeTransaction { db in
            let authority =
                try await LocalAuthority.query(on: db).filter(\.$name == admin.authority).first()
                ?? LocalAuthority(name: admin.authority)
            if authority.id == nil { try await authority.create(on: db) }
            let organisation =
                try await Organisation.query(on: db).filter(\.$name == admin.organisation)
                .filter(\.$localAuthority.$id == authority.id!).first()
                ?? Organisation(name: admin.organisation, agencyType: .other, localAuthorityID: authority.id!)
            if organisation.id == nil { try await organisation.create(on: db) }
            // The command line makes an LA's first two administrators, who then approve each
            // other's grants; any more are asked for on the admin page and approved there.
            guard try await enabledAdministrators(in: authority.id!, on: db) < 2 else {
                throw AppError.invalid(
                    field: "authority",
                    "\(admin.authority) has two administrators already: ask one of them to add another, and the other to approve it"
                )
            }
            let practitioner = Practitioner(
                email: email, name: admin.name, jobTitle: "LA administrator", phone: "", passwordHash: Passwords.unset,
                roles: [.laAdmin], organisationID: organisation.id)
            try await practitioner.create(on: db)
            try await CredentialLinks.send(.newAccount, to: practitioner, mail: mail, on: db)
            try await Audit.record(
                on: db, by: nil, email: "command-line", .administerAccounts, detail: "la-admin \(Audit.typed(email))")
            return practitioner
        }
    }
}

extension Administration {
    /// The LA this administrator manages, or a 403.
    static func authority(of signedIn: SignedIn, on db: any Database) async throws -> UUID {
        guard let la = signedIn.actor.localAuthorityID, AccessPolicy.mayAdminister(signedIn.actor, localAuthorityID: la) else {
            try await Access.refuse(
                "Only LA administrators manage accounts and organisations.", .administerAccounts, detail: "not-administrator",
                by: signedIn, on: db)
        }
        return la
    }

    static func organisations(by signedIn: SignedIn, on db: any Database) async throws -> [Organisation] {
        let la = try await authority(of: signedIn, on: db)
        return try await Organisation.query(on: db).filter(\.$localAuthority.$id == la).sort(\.$name).all()
    }

    static func practitioners(by signedIn: SignedIn, on db: any Database) async throws -> [Practitioner] {
        let ids = try await organisations(by: signedIn, on: db).compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        return try await Practitioner.query(on: db).filter(\.$organisation.$id ~~ ids).with(\.$organisation).sort(\.$name).all()
    }

    static func createOrganisation(name: String, agency: AgencyType, by signedIn: SignedIn, on db: any Database) async throws
        -> Organisation
    {
        let la = try await authority(of: signedIn, on: db)
        let clean = name.trimmingCharacters(in: .whitespaces)
        guard !clean.isEmpty else { throw AppError.invalid(field: "name", "Enter the organisation’s name") }
        if try await Organisation.query(on: db).filter(\.$name == clean).filter(\.$localAuthority.$id == la).first() != nil {
            throw AppError.invalid(field: "name", "Your local authority already has an organisation called \(clean)")
        }
        return try await db.writeTransaction { db in
            let organisation = Organisation(name: clean, agencyType: agency, localAuthorityID: la)
            try await organisation.create(on: db)
            try await Audit.record(on: db, by: signedIn, .administerAccounts, detail: "organisation \(Audit.typed(clean))")
            return organisation
        }
    }

    /// Renames an organisation of the administrator's LA or changes its agency type (which
    /// decides what consent lets its staff see).
    static func updateOrganisation(
        _ id: UUID, name: String?, agency: AgencyType?, basedOn: Int?, by signedIn: SignedIn, on db: any Database
    ) async throws -> Organisation {
        let la = try await authority(of: signedIn, on: db)
        guard let found = try await Organisation.find(id, on: db), found.$localAuthority.id == la else {
            throw AppError.notFound("organisation in your local authority")
        }
        let clean = name?.trimmingCharacters(in: .whitespaces)
        if let clean {
            guard !clean.isEmpty else { throw AppError.invalid(field: "name", "Enter the organisation’s name") }
            if let other = try await Organisation.query(on: db).filter(\.$name == clean).filter(\.$localAuthority.$id == la)
                .first(),
                other.id != id
            {
                throw AppError.invalid(field: "name", "Your local authority already has an organisation called \(clean)")
            }
        }
        guard let basedOn else { throw AppError.versionRequired }
        return try await db.writeTransaction { db in
            try await StateChange.lock(Organisation.schema, id: id, on: db)
            guard let organisation = try await Organisation.query(on: db).filter(\.$id == id).with(\.$updatedBy).first()
            else { throw AppError.notFound("organisation in your local authority") }
            guard organisation.version == basedOn else {
                throw AppError.stale(
                    "organisation", by: organisation.updatedBy, at: organisation.updatedAt, now: organisation.version)
            }
            let before = "\(organisation.name) (\(organisation.agencyType.rawValue))"
            if let clean { organisation.name = clean }
            if let agency { organisation.agencyType = agency }
            (organisation.version, organisation.$updatedBy.id) = (organisation.version + 1, signedIn.id)
            organisation.updatedAt = Date()
            try await organisation.save(on: db)
            try await Audit.record(
                on: db, by: signedIn, .administerAccounts,
                detail:
                    "organisation \(Audit.typed(before)) now \(Audit.typed(organisation.name)) (\(organisation.agencyType.rawValue))"
            )
            return organisation
        }
    }

    struct NewPractitioner {
        var email: String
        var name: String
        var jobTitle: String
        var phone: String
        var roles: Set<Role>
        var organisationID: UUID?
    }

    static func createPractitioner(_ new: NewPractitioner, by signedIn: SignedIn, on app: Application) async throws
        -> Practitioner
    {
        let la = try await authority(of: signedIn, on: app.db)
        let email = new.email.trimmingCharacters(in: .whitespaces).lowercased()
        var problems: [FieldProblem] = []
        if email.split(separator: "@").count != 2 || !email.contains(".") {
            problems.append(.init(field: "email", message: "Enter a real e-mail address"))
        } else if try await Practitioner.query(on: app.db).filter(\.$email == email).first() != nil {
            problems.append(.init(field: "email", message: "An account with that e-mail address already exists"))
        }
        if new.name.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.init(field: "name", message: "Enter their name"))
        }
        if new.roles.isEmpty { problems.append(.init(field: "roles", message: "Choose at least one role")) }
        if let problem = AccessPolicy.rolesProblem(new.roles) { problems.append(problem) }
        var organisation: Organisation? = nil
        if let id = new.organisationID { organisation = try await Organisation.find(id, on: app.db) }
        if organisation == nil || organisation?.$localAuthority.id != la {
            problems.append(.init(field: "organisationId", message: "Choose one of your local authority’s organisations"))
        }
        guard problems.isEmpty, let organisation else { throw AppError.invalid(problems) }
        let mail = app.mail
        // Roles a second administrator must approve wait on the queue; the account starts
        // with the rest (perhaps none).
        let waiting = AccessPolicy.rolesNeedingApproval(from: [], to: new.roles)
        return try await app.db.writeTransaction { db in
            // No password until the holder chooses one from the link only they receive.
            let practitioner = Practitioner(
                email: email, name: new.name, jobTitle: new.jobTitle, phone: new.phone, passwordHash: Passwords.unset,
                roles: new.roles.subtracting(waiting), organisationID: organisation.id)
            try await practitioner.create(on: db)
            try await CredentialLinks.send(.newAccount, to: practitioner, mail: mail, on: db)
            try await Audit.record(on: db, by: signedIn, .administerAccounts, detail: "practitioner \(Audit.typed(email))")
            if !waiting.isEmpty { try await requestRoles(new.roles, for: practitioner, in: la, by: signedIn, on: db) }
            return practitioner
        }
    }

    /// What an administrator may change about an account; nil leaves a field as it is.
    struct AccountChange: Sendable {
        var name: String? = nil
        var jobTitle: String? = nil
        var phone: String? = nil
        var roles: Set<Role>? = nil
        var organisationID: UUID? = nil
        var disabled: Bool? = nil
        /// For a lost phone: the holder is e-mailed a link to set two-factor up again.
        var resetTwoFactor = false
        /// For a new account whose link lapsed before its holder used it: a fresh one.
        var resendNewAccountLink = false
    }

    /// Changes an account of the administrator's own LA. Disabling or resetting two-factor
    /// ends its sessions and tokens at once: every request reloads the account, and its API
    /// tokens are deleted too. A change names the version it was made on (`basedOn`; nil:
    /// 428): one made on an older version changes nothing (412).
    static func update(
        _ id: UUID, _ change: AccountChange, basedOn: Int?, by signedIn: SignedIn, mail: MailSettings,
        on db: any Database
    ) async throws -> Practitioner {
        let la = try await authority(of: signedIn, on: db)
        guard let practitioner = try await Practitioner.query(on: db).filter(\.$id == id).with(\.$organisation).first(),
            practitioner.organisation?.$localAuthority.id == la
        else { throw AppError.notFound("practitioner in your local authority") }
        var problems: [FieldProblem] = []
        let name = change.name?.trimmingCharacters(in: .whitespaces)
        if name?.isEmpty == true { problems.append(.init(field: "name", message: "Enter their name")) }
        if change.roles?.isEmpty == true { problems.append(.init(field: "roles", message: "Choose at least one role")) }
        if let roles = change.roles, let problem = AccessPolicy.rolesProblem(roles) { problems.append(problem) }
        var organisation: Organisation? = nil
        if let organisationID = change.organisationID {
            organisation = try await Organisation.find(organisationID, on: db)
            if organisation?.$localAuthority.id != la {
                problems.append(.init(field: "organisationId", message: "Choose one of your local authority’s organisations"))
            }
        }
        // Disabling or demoting an administrator must leave two enabled, or nobody could
        // approve a grant again: counted in the change's transaction, below.
        let isAdministrator = AccessPolicy.isAdministrator(practitioner.roles) && !practitioner.disabled
        let removesAdministrator =
            isAdministrator && (change.disabled == true || change.roles.map { !AccessPolicy.isAdministrator($0) } == true)
        if practitioner.id == signedIn.id {
            if change.disabled == true {
                problems.append(.init(field: "disabled", message: "You cannot disable your own account"))
            }
            if let roles = change.roles, !AccessPolicy.isAdministrator(roles) {
                problems.append(.init(field: "roles", message: "You cannot take away your own administrator role"))
            }
        }
        // Not for an account that has (or had, until a reset) a second factor: the mailbox
        // alone must not take it. Security keys count as one.
        // As read; `hold` refuses the change if it is not so when the change is made.
        let hasSecondFactor = practitioner.hasSecondFactor || practitioner.twoFactorResetAt != nil
        if change.resendNewAccountLink && hasSecondFactor {
            problems.append(
                .init(
                    field: "resendNewAccountLink",
                    message:
                        "\(practitioner.name) has or had two-factor sign-in: reset it, and they set it up again from their link"
                ))
        }
        // A reset again sends a new link, when the last one lapsed.
        if change.resetTwoFactor && !hasSecondFactor {
            problems.append(
                .init(
                    field: "resetTwoFactor",
                    message: "\(practitioner.name) has no two-factor sign-in to reset: send a new account link instead"))
        }
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        guard let basedOn else { throw AppError.versionRequired }
        let newOrganisation = organisation
        return try await db.writeTransaction { db in
            if removesAdministrator { try await holdAdministrators(of: la, on: db) }
            try await hold(practitioner, basedOn: basedOn, on: db)
            if removesAdministrator {
                try await requireTwoAdministrators(in: la, field: change.disabled == true ? "disabled" : "roles", on: db)
            }
            (practitioner.version, practitioner.$updatedBy.id) = (basedOn + 1, signedIn.id)
            practitioner.updatedAt = Date()
            var changed: [String] = []
            if let name, name != practitioner.name { (practitioner.name, changed) = (name, changed + ["name"]) }
            if let jobTitle = change.jobTitle, jobTitle != practitioner.jobTitle {
                (practitioner.jobTitle, changed) = (jobTitle, changed + ["job title"])
            }
            if let phone = change.phone, phone != practitioner.phone {
                (practitioner.phone, changed) = (phone, changed + ["phone"])
            }
            // A grant waiting on the roles or organisation that change now is overtaken: the
            // second administrator would otherwise approve what no longer stands.
            let current = AccessPolicy.effectiveRoles(practitioner.roles)
            if let roles = change.roles, roles != practitioner.roles {
                try await withdrawPendingGrants(for: practitioner, note: "Overtaken by a later change", on: db)
                if AccessPolicy.rolesNeedingApproval(from: current, to: roles).isEmpty {
                    (practitioner.roleStorage, changed) = (roles.storage, changed + ["roles \(roles.storage)"])
                } else {
                    try await requestRoles(roles, for: practitioner, in: la, by: signedIn, on: db)
                }
            }
            if let organisation = newOrganisation, organisation.id != practitioner.$organisation.id {
                if change.roles == nil {
                    try await withdrawPendingGrants(
                        for: practitioner, note: "Overtaken by a move to another organisation", on: db)
                }
                practitioner.$organisation.id = organisation.id
                practitioner.$organisation.value = organisation
                changed.append("organisation \(Audit.typed(organisation.name))")
            }
            if let disabled = change.disabled, disabled != practitioner.disabled {
                (practitioner.disabled, changed) = (disabled, changed + [disabled ? "disable" : "enable"])
            }
            if change.resetTwoFactor {
                // A lost key is a lost factor too: every key goes with the app's secret.
                try await SecurityKey.query(on: db).filter(\.$practitioner.$id == id).delete()
                (practitioner.totpSecret, practitioner.totpLastStep, practitioner.securityKeyCount) = (nil, nil, 0)
                practitioner.credentialsChangedAt = Date()
                practitioner.twoFactorResetAt = practitioner.credentialsChangedAt
                changed.append("reset two-factor")
            }
            // A new account link starts the account again: any password it had stops working.
            if change.resendNewAccountLink {
                (practitioner.passwordHash, practitioner.passwordSetAt) = (Passwords.unset, nil)
                practitioner.credentialsChangedAt = Date()
            }
            try await practitioner.save(on: db)
            // Every token and unused link ends first; then the one new link goes out.
            if practitioner.disabled || change.resetTwoFactor || change.resendNewAccountLink {
                try await APIToken.query(on: db).filter(\.$practitioner.$id == id).delete()
                // A reset's own link survives a disabling: the reset still waits for it.
                try await CredentialLinks.withdraw(
                    for: practitioner, except: change.resetTwoFactor ? nil : .resetTwoFactor, on: db)
            }
            if change.resetTwoFactor { try await CredentialLinks.send(.resetTwoFactor, to: practitioner, mail: mail, on: db) }
            if change.resendNewAccountLink {
                try await CredentialLinks.send(.newAccount, to: practitioner, mail: mail, on: db)
                changed.append("new account link sent")
            }
            try await Audit.record(
                on: db, by: signedIn, .administerAccounts,
                detail: "\(Audit.typed(practitioner.email)): \(changed.joined(separator: ", "))")
            return practitioner
        }
    }
}

extension Administration {
    /// Holds an account for a change decided on `read`: its row first (before its role
    /// grants, as every change to it does), then finds it as `read` had it. A change by another
    /// administrator since (412 naming them), or by its holder (a second factor set up, a
    /// password chosen), changes nothing.
    private static func hold(_ read: Practitioner, basedOn: Int, on db: any Database) async throws {
        let id = try read.requireID()
        try await StateChange.lock(Practitioner.schema, id: id, on: db)
        guard let now = try await Practitioner.query(on: db).filter(\.$id == id).with(\.$updatedBy).first() else {
            throw AppError.notFound("practitioner in your local authority")
        }
        guard now.version == basedOn else {
            throw AppError.stale("account", by: now.updatedBy, at: now.updatedAt, now: now.version)
        }
        guard
            now.roleStorage == read.roleStorage && now.disabled == read.disabled && now.totpSecret == read.totpSecret
                && now.securityKeyCount == read.securityKeyCount
                && now.twoFactorResetAt == read.twoFactorResetAt && now.passwordSetAt == read.passwordSetAt
                && now.$organisation.id == read.$organisation.id
        else { throw AppError.stale("account", by: now, at: nil, now: now.version) }
    }

    /// Takes the LA's turn for a change that may remove an administrator, before it holds any
    /// account: an account's update also holds its writer's row (for the key to who changed it),
    /// so two administrators disabling each other deadlocked when each held a row first.
    static func holdAdministrators(of la: UUID, on db: any Database) async throws {
        try await StateChange.lock(LocalAuthority.schema, id: la, on: db)
    }

    /// Refuses a change that would leave the LA fewer than two enabled administrators, so that
    /// no one could approve a grant: counted after `holdAdministrators`, so two administrators
    /// disabling each other at once cannot both pass.
    static func requireTwoAdministrators(in la: UUID, field: String, on db: any Database) async throws {
        if AccessPolicy.leavesTooFewAdministrators(
            enabledAdministrators: try await enabledAdministrators(in: la, on: db), removesOne: true)
        {
            throw AppError.invalid(
                field: field, "Your local authority needs two enabled administrators: add another before this one stops")
        }
    }
}
