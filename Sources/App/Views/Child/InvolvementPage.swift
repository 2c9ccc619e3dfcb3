import CAFCore
import Plot

/// Record that the practitioner's own service is working with the child.
struct InvolvementPage {
    let child: Child
    let signedIn: SignedIn
    var typed: [String: String] = [:]
    var problems: [FieldProblem] = []

    func render(_ context: PageContext) -> HTML {
        func problem(_ field: String) -> FieldProblem? { problems.first { $0.field == field } }
        func value(_ field: String) -> String { typed[field] ?? "" }
        return Layout.page(
            "Record a service’s involvement", context, hasErrors: !problems.isEmpty, back: .child(child.id!),
            GOVUK.errorSummary(problems),
            .span(.class("govuk-caption-l"), .text(child.fullName)),
            .h1(.class("govuk-heading-l"), .text("Record that your service is involved")),
            .p(
                .class("govuk-body"),
                .text(
                    "Recorded for \(signedIn.organisation?.name ?? "your organisation"). Other practitioners see it on the child’s record, unless the service is sensitive."
                )),
            GOVUK.postForm(
                action: .childInvolvements(child.id!), csrf: context.csrf,
                GOVUK.textInput(
                    label: "Service", name: "service", value: value("service"), hint: "For example, School nursing",
                    error: problem("service")),
                GOVUK.textInput(
                    label: "What the service does for the child", name: "role", value: value("role"), error: problem("role")),
                GOVUK.textInput(
                    label: "Who works with the child", name: "practitionerName",
                    value: typed["practitionerName"] ?? signedIn.practitioner.name, error: problem("practitionerName")),
                GOVUK.dateInput(
                    legend: "Started", name: "startedOn", day: value("startedOn-day"), month: value("startedOn-month"),
                    year: value("startedOn-year"), error: problem("startedOn")),
                GOVUK.dateInput(
                    legend: "Ended", name: "endedOn", day: value("endedOn-day"), month: value("endedOn-month"),
                    year: value("endedOn-year"), hint: "Leave blank while the service is still involved",
                    error: problem("endedOn")),
                GOVUK.choices(
                    legend: "Is this a sensitive service?", name: "sensitive",
                    options: [.init(value: "", label: "No")]
                        + SensitiveService.allCases.map {
                            .init(value: $0.rawValue, label: "\($0.title): shown only to your service and those it names")
                        },
                    selected: [value("sensitive")], error: problem("sensitive")),
                GOVUK.button("Record the involvement")
            )
        )
    }
}
