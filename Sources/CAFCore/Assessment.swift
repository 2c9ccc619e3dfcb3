import Foundation

/// What a practitioner writes about one element of the form.
public struct ElementAssessment: Codable, Sendable, Hashable {
    public var code: String
    public var strengths: String
    public var needs: String
    public var level: LevelOfNeed?
    /// A concern of significant harm is not a level: it stops the form and opens the
    /// phone-first safeguarding path.
    public var harmConcern: Bool

    public init(code: String, strengths: String = "", needs: String = "", level: LevelOfNeed? = nil, harmConcern: Bool = false) {
        self.code = code
        self.strengths = strengths
        self.needs = needs
        self.level = level
        self.harmConcern = harmConcern
    }

    enum CodingKeys: String, CodingKey { case code, strengths, needs, level, harmConcern }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(String.self, forKey: .code)
        strengths = try c.decodeIfPresent(String.self, forKey: .strengths) ?? ""
        needs = try c.decodeIfPresent(String.self, forKey: .needs) ?? ""
        level = try c.decodeIfPresent(LevelOfNeed.self, forKey: .level)
        harmConcern = try c.decodeIfPresent(Bool.self, forKey: .harmConcern) ?? false
    }
}

/// The written content of one assessment version: every section of the national form
/// except consent (a record of its own) and agreed actions (the episode's action plan).
public struct AssessmentContent: Codable, Sendable, Hashable {
    public var identifying = IdentifyingDetails()
    public var parents: [ParentCarer] = []
    public var family = FamilySituation()
    public var assessor = Assessor()
    public var services: [ServiceInvolved] = []
    public var peoplePresent: String
    public var reasonForAssessment: String
    public var elements: [ElementAssessment]
    public var childViews: String
    public var parentViews: String
    public var conclusions: String

    public init(
        peoplePresent: String = "", reasonForAssessment: String = "", elements: [ElementAssessment] = [],
        childViews: String = "", parentViews: String = "", conclusions: String = ""
    ) {
        self.peoplePresent = peoplePresent
        self.reasonForAssessment = reasonForAssessment
        self.elements = elements
        self.childViews = childViews
        self.parentViews = parentViews
        self.conclusions = conclusions
    }

    enum CodingKeys: String, CodingKey {
        case identifying, parents, family, assessor, services
        case peoplePresent, reasonForAssessment, elements, childViews, parentViews, conclusions
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        identifying = try c.decodeIfPresent(IdentifyingDetails.self, forKey: .identifying) ?? IdentifyingDetails()
        parents = try c.decodeIfPresent([ParentCarer].self, forKey: .parents) ?? []
        family = try c.decodeIfPresent(FamilySituation.self, forKey: .family) ?? FamilySituation()
        assessor = try c.decodeIfPresent(Assessor.self, forKey: .assessor) ?? Assessor()
        services = try c.decodeIfPresent([ServiceInvolved].self, forKey: .services) ?? []
        peoplePresent = try c.decodeIfPresent(String.self, forKey: .peoplePresent) ?? ""
        reasonForAssessment = try c.decodeIfPresent(String.self, forKey: .reasonForAssessment) ?? ""
        elements = try c.decodeIfPresent([ElementAssessment].self, forKey: .elements) ?? []
        childViews = try c.decodeIfPresent(String.self, forKey: .childViews) ?? ""
        parentViews = try c.decodeIfPresent(String.self, forKey: .parentViews) ?? ""
        conclusions = try c.decodeIfPresent(String.self, forKey: .conclusions) ?? ""
    }

    /// The most parents and carers one assessment records.
    public static let maxParents = 6

    /// The entry for an element, blank when nothing has been written yet.
    public func element(_ code: String) -> ElementAssessment {
        elements.first { $0.code == code } ?? ElementAssessment(code: code)
    }

    /// Every form element in form order, so views and exports never miss one.
    public var allElements: [ElementAssessment] {
        CAFForm.elements.map { element($0.code) }
    }

    /// Problems that stop a draft being saved at all: unknown or repeated element codes,
    /// and text beyond the limits.
    public func draftProblems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        var seen: Set<String> = []
        for (index, entry) in elements.enumerated() {
            let field = "elements[\(index)].code"
            if !CAFForm.codes.contains(entry.code) {
                problems.append(.init(field: field, message: "“\(entry.code)” is not an element of the CAF form"))
            } else if !seen.insert(entry.code).inserted {
                problems.append(.init(field: field, message: "Element “\(entry.code)” appears more than once"))
            }
            for (name, text) in [("strengths", entry.strengths), ("needs", entry.needs)]
            where text.count > AssessmentContent.maxText {
                problems.append(
                    .init(
                        field: "elements[\(index)].\(name)",
                        message: "Keep \(name) to \(AssessmentContent.maxText) characters or fewer"))
            }
        }
        for (name, text) in narrative where text.count > AssessmentContent.maxText {
            problems.append(.init(field: name, message: "Keep this to \(AssessmentContent.maxText) characters or fewer"))
        }
        let ethnicity = identifying.ethnicity
        if !ethnicity.isEmpty && !Ethnicity.categories.contains(ethnicity) {
            problems.append(.init(field: "identifying.ethnicity", message: "Choose an ethnicity from the national list"))
        }
        if identifying.unborn && !identifying.expectedDeliveryDate.isEmpty
            && CalendarDate.parse(identifying.expectedDeliveryDate) == nil
        {
            problems.append(
                .init(field: "identifying.expectedDeliveryDate", message: "Enter the expected date of delivery as a real date"))
        }
        if parents.count > Self.maxParents {
            problems.append(.init(field: "parents", message: "Record at most \(Self.maxParents) parents or carers"))
        }
        if services.count > 30 { problems.append(.init(field: "services", message: "Record at most 30 services")) }
        return problems
    }

    /// Problems that stop completion: every element needs an explicit level (or "not
    /// assessed"), and the reason for the assessment must be written.
    public func completionProblems() -> [FieldProblem] {
        var problems = draftProblems()
        if identifying.ethnicity.isEmpty {
            problems.append(.init(field: "identifying.ethnicity", message: "Choose the child’s ethnicity, or “Not given”"))
        }
        if identifying.childFirstLanguage.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.init(field: "identifying.childFirstLanguage", message: "Enter the child’s first language"))
        }
        if identifying.unborn && (identifying.mothersName.isEmpty || identifying.expectedDeliveryDate.isEmpty) {
            problems.append(
                .init(
                    field: "identifying.mothersName", message: "For an unborn baby, enter the mother’s name and the expected date"
                ))
        }
        if !parents.contains(where: { !$0.name.isEmpty && !$0.relationship.isEmpty }) {
            problems.append(
                .init(field: "parents[0].name", message: "Enter at least one parent or carer with their relationship"))
        }
        for (index, parent) in parents.enumerated() where !parent.name.isEmpty && parent.parentalResponsibility == nil {
            problems.append(
                .init(
                    field: "parents[\(index)].parentalResponsibility",
                    message: "Say whether \(parent.name) has parental responsibility"))
        }
        if assessor.name.isEmpty || assessor.organisation.isEmpty {
            problems.append(.init(field: "assessor.name", message: "Enter who undertook the assessment and their organisation"))
        }
        if reasonForAssessment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(.init(field: "reasonForAssessment", message: "Enter what has led to this assessment"))
        }
        for element in CAFForm.elements where self.element(element.code).level == nil {
            problems.append(
                .init(
                    field: "level.\(element.code)",
                    message: "Choose a level of need for “\(element.name)”, or “Not assessed”"))
        }
        return problems
    }

    /// Elements flagged as a concern of significant harm.
    public var harmConcerns: [String] { elements.filter(\.harmConcern).map(\.code) }

    public static let maxText = 10_000

    private var narrative: [(String, String)] {
        [
            ("peoplePresent", peoplePresent), ("reasonForAssessment", reasonForAssessment),
            ("childViews", childViews), ("parentViews", parentViews), ("conclusions", conclusions),
            ("family.livesWith", family.livesWith), ("family.siblings", family.siblings),
            ("identifying.specialRequirements", identifying.specialRequirements),
        ]
    }
}

/// One problem with one field, named the way the API and the form name it.
public struct FieldProblem: Sendable, Hashable, Error {
    public let field: String
    public let message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Input that breaks one or more rules, each named by field.
public struct Invalid: Error, Sendable {
    public let problems: [FieldProblem]
    public init(problems: [FieldProblem]) { self.problems = problems }
}

public enum AssessmentStatus: String, Codable, Sendable {
    case draft, completed
}
