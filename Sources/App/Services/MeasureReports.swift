import CAFCore
import Fluent
import Foundation

/// The measures a dashboard or the API shows: the reader's remit decides the scope, and
/// disclosure control applies to figures about records outside their own LA.
package enum MeasureReports {
    /// What the reader asked for, as typed; checked by `report`.
    package struct Filters: Sendable {
        /// YYYY-MM-DD, both days included; by default the twelve months to today.
        var from = ""
        var to = ""
        var localAuthorityID = ""
        var agencyType = ""
        var organisationID = ""
    }

    package struct Report: Sendable {
        let from: String
        let to: String
        let scope: MeasureData.Scope
        let tables: [MeasureTable]
        /// Small counts are hidden: the figures are about records outside the reader's LA.
        let disclosureControlled: Bool
    }

    /// Ten years: longer periods say nothing a dashboard can use, and each day is a bind of
    /// the actions query.
    static let maximumDays = 3653

    /// Whose measures the reader sees, as the policy says; none is a 403.
    static func remit(of signedIn: SignedIn, on db: any Database) async throws -> AccessPolicy.MeasureRemit {
        guard let remit = AccessPolicy.measureRemit(signedIn.actor) else {
            try await Access.refuse(
                "Measures are for coordinators, managers and analysts.", .viewMeasures, detail: "no-remit", by: signedIn, on: db)
        }
        return remit
    }

    package static func report(
        _ measures: [Measure], filters: Filters, by signedIn: SignedIn, now: Date = Date(), on db: any Database
    )
        async throws -> Report
    {
        let remit = try await self.remit(of: signedIn, on: db)
        let today = CalendarDate.iso(now)
        let to = filters.to.isEmpty ? today : filters.to
        let from =
            filters.from.isEmpty
            ? CalendarDate.iso(CalendarDays.calendar.date(byAdding: .year, value: -1, to: now)! + 86_400) : filters.from
        var problems: [FieldProblem] = []
        for (field, date) in [("from", from), ("to", to)] where CalendarDate.parse(date) == nil {
            problems.append(.init(field: field, message: "Enter the date as YYYY-MM-DD, for example 2026-04-01"))
        }
        if problems.isEmpty && from > to {
            problems.append(.init(field: "to", message: "The end of the period must be on or after its start"))
        }
        if problems.isEmpty && CalendarDays.between(CalendarDays.startOf(from)!, CalendarDays.startOf(to)!) >= maximumDays {
            problems.append(.init(field: "from", message: "The period can be at most 10 years long"))
        }
        var scope = MeasureData.Scope()
        if !filters.agencyType.isEmpty {
            if let agency = AgencyType(rawValue: filters.agencyType) {
                scope.agencyType = agency
            } else {
                problems.append(.init(field: "agencyType", message: "Choose an agency type from the list"))
            }
        }
        let requestedLA = UUID(uuidString: filters.localAuthorityID)
        if !filters.localAuthorityID.isEmpty && requestedLA == nil {
            problems.append(.init(field: "localAuthorityId", message: "Choose a local authority from the list"))
        }
        let requestedOrganisation = UUID(uuidString: filters.organisationID)
        if !filters.organisationID.isEmpty && requestedOrganisation == nil {
            problems.append(.init(field: "organisationId", message: "Choose an organisation from the list"))
        }
        guard problems.isEmpty else { throw AppError.invalid(problems) }

        switch remit {
        case .nation:
            scope.localAuthorityID = requestedLA
        case .localAuthority(let own):
            if let requestedLA, requestedLA != own {
                try await Access.refuse(
                    "You see the measures of your own local authority only.", .viewMeasures,
                    detail: "other-la=\(Audit.typed(requestedLA.uuidString))", by: signedIn, on: db)
            }
            scope.localAuthorityID = own
        case .organisation(let organisation, let own):
            if (requestedLA.map { $0 != own } ?? false) || (requestedOrganisation.map { $0 != organisation } ?? false) {
                try await Access.refuse(
                    "Managers see the measures of their own organisation only.", .viewMeasures, detail: "other-organisation",
                    by: signedIn, on: db)
            }
            scope.localAuthorityID = own
            scope.organisationID = organisation
        }
        if let requestedLA, try await LocalAuthority.find(requestedLA, on: db) == nil {
            throw AppError.notFound("local authority")
        }
        if let requestedOrganisation, scope.organisationID == nil {
            guard let organisation = try await Organisation.find(requestedOrganisation, on: db),
                scope.localAuthorityID.map({ $0 == organisation.$localAuthority.id }) ?? true
            else { throw AppError.notFound("organisation") }
            scope.organisationID = requestedOrganisation
        }

        let period = MeasurePeriod(from: CalendarDays.startOf(from)!, to: CalendarDays.endOf(to)!)
        let inputs = try await MeasureData.inputs(scope, period: period, now: now, for: measures, on: db)
        let controlled = AccessPolicy.needsDisclosureControl(signedIn.actor, recordsOf: scope.localAuthorityID)
        let tables = measures.map { controlled ? Disclosure.protect(inputs.table($0)) : inputs.table($0) }
        try await Audit.record(
            on: db, by: signedIn, .viewMeasures,
            detail: "measures=\(measures.map(\.rawValue).joined(separator: ",")) from=\(from) to=\(to)"
                + " la=\(Audit.typed(scope.localAuthorityID?.uuidString ?? "all")) agency=\(scope.agencyType?.rawValue ?? "all")"
                + " organisation=\(Audit.typed(scope.organisationID?.uuidString ?? "all"))")
        return Report(from: from, to: to, scope: scope, tables: tables, disclosureControlled: controlled)
    }
}

extension MeasureReports.Filters {
    /// Every figure the viewer may see, over the twelve months to today.
    package static var all: Self { Self() }
}
