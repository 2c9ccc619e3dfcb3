import CAFCore
import Fluent

extension MeasuresPage {
    /// The filters' choices and the scope's name for the reader's remit: every LA for a
    /// national reader, the organisations of the LA in scope, or the reader's own organisation.
    mutating func readScope(for signedIn: SignedIn, on db: any Database) async throws {
        let remit = try await MeasureReports.remit(of: signedIn, on: db)
        let scopeLA = report?.scope.localAuthorityID ?? UUID(uuidString: filters.localAuthorityID)
        if remit == .nation {
            localAuthorities = try await LocalAuthority.query(on: db).sort(\.$name).all()
        }
        if case .organisation(let own, _) = remit {
            scopeName = try await Organisation.find(own, on: db)?.name ?? ""
        } else if let scopeLA {
            scopeName = try await LocalAuthority.find(scopeLA, on: db)?.name ?? ""
            organisations = try await Organisation.query(on: db).filter(\.$localAuthority.$id == scopeLA).sort(\.$name)
                .all()
        } else {
            scopeName = "All local authorities"
        }
    }
}
