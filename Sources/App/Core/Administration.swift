import CAFCore
import Fluent
import Vapor

/// Accounts created outside the demo. Outside `--demo` no account exists until
/// `ecaf create-admin` makes the first LA administrator.
enum Administration {
    struct NewAdmin {
        var email: String
        var name: String
        var authority: String
        var organisation: String
        var password: String
    }

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
        problems += PasswordPolicy.problems(admin.password, email: email, name: admin.name)
        if try await Practitioner.query(on: app.db).filter(\.$email == email).first() != nil {
            problems.append(.init(field: "email", message: "An account with that e-mail address already exists"))
        }
        guard problems.isEmpty else { throw AppError.invalid(problems) }
        let hash = try await app.password.async.hash(admin.password)
        return try await app.db.transaction { db in
            let authority =
                try await LocalAuthority.query(on: db).filter(\.$name == admin.authority).first()
                ?? LocalAuthority(name: admin.authority)
            if authority.id == nil { try await authority.create(on: db) }
            let organisation =
                try await Organisation.query(on: db).filter(\.$name == admin.organisation)
                .filter(\.$localAuthority.$id == authority.id!).first()
                ?? Organisation(name: admin.organisation, agencyType: .other, localAuthorityID: authority.id!)
            if organisation.id == nil { try await organisation.create(on: db) }
            let practitioner = Practitioner(
                email: email, name: admin.name, jobTitle: "LA administrator", phone: "", passwordHash: hash, roles: [.laAdmin],
                organisationID: organisation.id)
            try await practitioner.create(on: db)
            try await Audit.record(on: db, by: nil, email: "command-line", .createAccount, detail: "la-admin \(email)")
            return practitioner
        }
    }
}
