import Foundation

/// What one viewer may see of where a child can be found. From anyone the policy does not let
/// see a shielded child's whereabouts (`AccessPolicy.maySeeWhereabouts`), every surface withholds
/// the child's and family's addresses and phones, the school and GP, and who works with the
/// child beyond their name, job and kind of agency: their organisation, e-mail and phone, the
/// services involved and where meetings are held. Each surface asks one `Shield` for the viewer.
public struct Shield: Sendable, Hashable {
    public let hidesWhereabouts: Bool

    public init(hidesWhereabouts: Bool) {
        self.hidesWhereabouts = hidesWhereabouts
    }

    /// Nothing withheld: the child is not shielded, or the viewer may see the whereabouts.
    public static let open = Shield(hidesWhereabouts: false)
    /// Everything withheld: where no decision was found, the shield fails closed.
    public static let closed = Shield(hidesWhereabouts: true)

    /// Shown in place of a withheld value, so no one mistakes it for a blank.
    public static let withheld = "Withheld: the child’s whereabouts are shielded"

    /// A free-text value (a meeting place, an organisation's name) as this viewer sees it.
    public func text(_ value: String) -> String {
        hidesWhereabouts ? Self.withheld : value
    }

    /// The assessment as this viewer may see it: the fields that say where the child and family
    /// are, and who serves them, emptied.
    public func content(_ content: AssessmentContent) -> AssessmentContent {
        guard hidesWhereabouts else { return content }
        var shown = content
        shown.identifying.address = ""
        shown.identifying.contactPhone = ""
        shown.parents = content.parents.map { parent in
            var shown = parent
            (shown.phone, shown.address, shown.postcode) = ("", "", "")
            return shown
        }
        shown.assessor.address = ""
        shown.assessor.phone = ""
        shown.assessor.organisation = ""
        shown.assessor.leadProfessionalPhone = ""
        shown.services = []
        return shown
    }

    /// What an edit by this viewer saves: what they could not see is kept from the stored
    /// version, never blanked or overwritten by them. A parent's withheld details follow the
    /// parent matched by name and relationship, or else by name alone, where exactly one stored
    /// parent matches; a parent new to the list keeps what the viewer typed. A stored parent
    /// with withheld details that the edit renames or removes cannot be told from a replaced
    /// one, so the save is refused with a problem naming them, rather than guessing.
    public func saving(_ edited: AssessmentContent, over stored: AssessmentContent) -> (
        content: AssessmentContent, problem: FieldProblem?
    ) {
        guard hidesWhereabouts else { return (edited, nil) }
        var saved = edited
        saved.identifying.address = stored.identifying.address
        saved.identifying.contactPhone = stored.identifying.contactPhone
        saved.assessor.address = stored.assessor.address
        saved.assessor.phone = stored.assessor.phone
        saved.assessor.organisation = stored.assessor.organisation
        saved.assessor.leadProfessionalPhone = stored.assessor.leadProfessionalPhone
        saved.services = stored.services
        func key(_ text: String) -> String { text.trimmingCharacters(in: .whitespaces).lowercased() }
        var match: [Int: Int] = [:]
        var unmatched = Set(stored.parents.indices)
        let passes: [(ParentCarer, ParentCarer) -> Bool] = [
            { key($0.name) == key($1.name) && key($0.relationship) == key($1.relationship) },
            { key($0.name) == key($1.name) },
        ]
        for same in passes {
            for (index, parent) in edited.parents.enumerated() where match[index] == nil {
                let hits = unmatched.filter { same(parent, stored.parents[$0]) }
                if hits.count == 1, let hit = hits.first {
                    match[index] = hit
                    unmatched.remove(hit)
                }
            }
        }
        if let lost = unmatched.sorted().map({ stored.parents[$0] }).first(where: {
            !($0.phone + $0.address + $0.postcode).isEmpty
        }) {
            let who = lost.name.isEmpty ? "A parent or carer" : lost.name
            return (
                stored,
                FieldProblem(
                    field: "parents",
                    message:
                        "\(who)’s contact details are withheld from you, so they cannot be renamed or removed here: ask the coordinator"
                )
            )
        }
        saved.parents = edited.parents.enumerated().map { index, parent in
            guard let was = match[index].map({ stored.parents[$0] }) else { return parent }
            var kept = parent
            (kept.phone, kept.address, kept.postcode) = (was.phone, was.address, was.postcode)
            return kept
        }
        return (saved, nil)
    }
}
