import Foundation

/// The parts of the form that people edit on their own: each has its own revision, so two
/// practitioners writing different parts at once never conflict (health writes the child's
/// development while school writes the family's views).
public enum AssessmentPart: String, CaseIterable, Codable, Sendable {
    /// The child, family, assessor and services, and what led to the assessment.
    case details
    /// The parents and carers, each with parental responsibility.
    case parentsAndCarers = "parents-and-carers"
    /// The three domains of the assessment, one part each.
    case development
    case parenting
    case familyAndEnvironment = "family-and-environment"
    /// The child's and parents' views and the conclusions.
    case conclusions

    public var title: String {
        switch self {
        case .details: "Identifying details and assessment information"
        case .parentsAndCarers: "Parents and carers"
        case .development: CAFDomain.development.title
        case .parenting: "Parents and carers: parenting capacity"
        case .familyAndEnvironment: CAFDomain.family.title
        case .conclusions: "Views and conclusions"
        }
    }

    public init(_ domain: CAFDomain) {
        switch domain {
        case .development: self = .development
        case .parents: self = .parenting
        case .family: self = .familyAndEnvironment
        }
    }

    /// The part a field (named as the form names it) belongs to; nil for no field of the form.
    public static func of(field name: String) -> AssessmentPart? {
        if let dot = name.firstIndex(of: "."), elementPrefixes.contains(String(name[..<dot])) {
            return CAFForm.element(String(name[name.index(after: dot)...])).map { AssessmentPart($0.domain) }
        }
        if name.hasPrefix("parents[") { return .parentsAndCarers }
        if ["childViews", "parentViews", "conclusions"].contains(name) { return .conclusions }
        if ["peoplePresent", "reasonForAssessment"].contains(name) || name.hasPrefix("services[")
            || ["identifying.", "family.", "assessor."].contains(where: name.hasPrefix)
        {
            return .details
        }
        return nil
    }

    static let elementPrefixes: Set<String> = ["strengths", "needs", "level", "harm"]
}

/// How far each part has been edited: what a reader was shown, and what a writer must name
/// (the API's `ETag` and `If-Match`, the form's hidden field) so a change made on an older
/// revision overwrites nothing.
public struct AssessmentRevisions: Sendable, Hashable {
    /// The assessment version (a review is a new one): revisions of another never match.
    public let version: Int
    private var counts: [AssessmentPart: Int]

    public init(version: Int, counts: [AssessmentPart: Int] = [:]) {
        self.version = version
        self.counts = counts
    }

    /// A part never saved since the draft began is at revision 1.
    public subscript(part: AssessmentPart) -> Int {
        get { counts[part] ?? 1 }
        set { counts[part] = newValue }
    }

    /// `"v2-3.1.1.2.1.1"`: the version, then each part's revision in `AssessmentPart` order.
    public var etag: String {
        "\"v\(version)-" + AssessmentPart.allCases.map { String(self[$0]) }.joined(separator: ".") + "\""
    }

    /// Reads an `etag` back (weak or strong); nil when it is not one.
    public init?(etag: String) {
        var text = Substring(etag.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        guard text.count < 200, text.hasPrefix("\"v"), text.hasSuffix("\""), text.count > 3 else { return nil }
        let inner = text.dropFirst(2).dropLast()
        let halves = inner.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        let numbers = halves.count == 2 ? halves[1].split(separator: ".", omittingEmptySubsequences: false) : []
        guard let version = Int(halves[0]), version > 0, numbers.count == AssessmentPart.allCases.count else { return nil }
        var counts: [AssessmentPart: Int] = [:]
        for (part, number) in zip(AssessmentPart.allCases, numbers) {
            guard let count = Int(number), count > 0 else { return nil }
            counts[part] = count
        }
        self.init(version: version, counts: counts)
    }

    /// Equal when every part is at the same revision, whether a 1 is written or implied.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.etag == rhs.etag }
    public func hash(into hasher: inout Hasher) { hasher.combine(etag) }

    /// As stored: `details=3,parents-and-carers=1,…`; what cannot be read counts as 1.
    public var stored: String {
        AssessmentPart.allCases.map { "\($0.rawValue)=\(self[$0])" }.joined(separator: ",")
    }

    public init(version: Int, stored: String) {
        var counts: [AssessmentPart: Int] = [:]
        for pair in stored.split(separator: ",") {
            let halves = pair.split(separator: "=")
            if halves.count == 2, let part = AssessmentPart(rawValue: String(halves[0])), let count = Int(halves[1]) {
                counts[part] = count
            }
        }
        self.init(version: version, counts: counts)
    }
}

extension AssessmentContent {
    /// Every field of the form by the form's name ("needs.dev.emotional", "parents[0].name"),
    /// as text: yes/no answers are "yes", "no" or "", levels their wire value. What conflicts
    /// are found and merged on.
    public var fields: [String: String] {
        func yesNo(_ value: Bool?) -> String { value.map { $0 ? "yes" : "no" } ?? "" }
        var fields: [String: String] = [
            "peoplePresent": peoplePresent, "reasonForAssessment": reasonForAssessment, "childViews": childViews,
            "parentViews": parentViews, "conclusions": conclusions,
            "identifying.alsoKnownAs": identifying.alsoKnownAs, "identifying.unborn": identifying.unborn ? "yes" : "",
            "identifying.mothersName": identifying.mothersName,
            "identifying.expectedDeliveryDate": identifying.expectedDeliveryDate,
            "identifying.address": identifying.address, "identifying.contactPhone": identifying.contactPhone,
            "identifying.religion": identifying.religion, "identifying.ethnicity": identifying.ethnicity,
            "identifying.ethnicityOther": identifying.ethnicityOther,
            "identifying.immigrationStatus": identifying.immigrationStatus,
            "identifying.childFirstLanguage": identifying.childFirstLanguage,
            "identifying.parentFirstLanguage": identifying.parentFirstLanguage,
            "identifying.disability": yesNo(identifying.disability),
            "identifying.disabilityDetails": identifying.disabilityDetails,
            "identifying.interpreterRequired": yesNo(identifying.interpreterRequired),
            "identifying.interpreterArranged": yesNo(identifying.interpreterArranged),
            "identifying.specialRequirements": identifying.specialRequirements,
            "family.livesWith": family.livesWith, "family.doesNotLiveWith": family.doesNotLiveWith,
            "family.siblings": family.siblings, "family.otherSignificantAdults": family.otherSignificantAdults,
            "assessor.name": assessor.name, "assessor.role": assessor.role, "assessor.organisation": assessor.organisation,
            "assessor.phone": assessor.phone, "assessor.address": assessor.address,
            "assessor.leadProfessionalName": assessor.leadProfessionalName,
            "assessor.leadProfessionalPhone": assessor.leadProfessionalPhone,
        ]
        for element in allElements {
            fields["strengths.\(element.code)"] = element.strengths
            fields["needs.\(element.code)"] = element.needs
            fields["level.\(element.code)"] = element.level?.wireValue ?? ""
            fields["harm.\(element.code)"] = element.harmConcern ? "yes" : ""
        }
        for (index, parent) in parents.enumerated() {
            let prefix = "parents[\(index)]"
            fields["\(prefix).name"] = parent.name
            fields["\(prefix).phone"] = parent.phone
            fields["\(prefix).relationship"] = parent.relationship
            fields["\(prefix).address"] = parent.address
            fields["\(prefix).postcode"] = parent.postcode
            fields["\(prefix).parentalResponsibility"] = yesNo(parent.parentalResponsibility)
        }
        for (index, service) in services.enumerated() {
            fields["services[\(index)].service"] = service.service
            fields["services[\(index)].contact"] = service.contact
        }
        return fields
    }

    /// The content the form's fields describe: every element in form order, parents and
    /// services without the blank ones. Names no field of the form has are ignored.
    public init(fields: [String: String]) {
        func text(_ name: String) -> String { fields[name] ?? "" }
        func yesNo(_ name: String) -> Bool? { text(name) == "yes" ? true : text(name) == "no" ? false : nil }
        self.init(
            peoplePresent: text("peoplePresent"), reasonForAssessment: text("reasonForAssessment"),
            elements: CAFForm.elements.map { element in
                ElementAssessment(
                    code: element.code, strengths: text("strengths.\(element.code)"), needs: text("needs.\(element.code)"),
                    level: LevelOfNeed(wireValue: text("level.\(element.code)")),
                    harmConcern: text("harm.\(element.code)") == "yes")
            },
            childViews: text("childViews"), parentViews: text("parentViews"), conclusions: text("conclusions"))
        identifying.alsoKnownAs = text("identifying.alsoKnownAs")
        identifying.unborn = text("identifying.unborn") == "yes"
        identifying.mothersName = text("identifying.mothersName")
        identifying.expectedDeliveryDate = text("identifying.expectedDeliveryDate").trimmingCharacters(in: .whitespaces)
        identifying.address = text("identifying.address")
        identifying.contactPhone = text("identifying.contactPhone")
        identifying.religion = text("identifying.religion")
        identifying.ethnicity = text("identifying.ethnicity")
        identifying.ethnicityOther = text("identifying.ethnicityOther")
        identifying.immigrationStatus = text("identifying.immigrationStatus")
        identifying.childFirstLanguage = text("identifying.childFirstLanguage")
        identifying.parentFirstLanguage = text("identifying.parentFirstLanguage")
        identifying.disability = yesNo("identifying.disability")
        identifying.disabilityDetails = text("identifying.disabilityDetails")
        identifying.interpreterRequired = yesNo("identifying.interpreterRequired")
        identifying.interpreterArranged = yesNo("identifying.interpreterArranged")
        identifying.specialRequirements = text("identifying.specialRequirements")
        parents = (0..<Self.maxParents).map { index in
            let prefix = "parents[\(index)]"
            return ParentCarer(
                name: text("\(prefix).name"), phone: text("\(prefix).phone"), relationship: text("\(prefix).relationship"),
                address: text("\(prefix).address"), postcode: text("\(prefix).postcode"),
                parentalResponsibility: yesNo("\(prefix).parentalResponsibility"))
        }.filter { !($0.name + $0.relationship + $0.phone + $0.address).trimmingCharacters(in: .whitespaces).isEmpty }
        family.livesWith = text("family.livesWith")
        family.doesNotLiveWith = text("family.doesNotLiveWith")
        family.siblings = text("family.siblings")
        family.otherSignificantAdults = text("family.otherSignificantAdults")
        assessor.name = text("assessor.name")
        assessor.role = text("assessor.role")
        assessor.organisation = text("assessor.organisation")
        assessor.phone = text("assessor.phone")
        assessor.address = text("assessor.address")
        assessor.leadProfessionalName = text("assessor.leadProfessionalName")
        assessor.leadProfessionalPhone = text("assessor.leadProfessionalPhone")
        services = (0..<Self.maxServices).map {
            ServiceInvolved(service: text("services[\($0)].service"), contact: text("services[\($0)].contact"))
        }.filter { !$0.service.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// The most services one assessment records.
    public static let maxServices = 30

    /// One part's fields, blank ones left out so that "never written" and "cleared" compare
    /// equal.
    public func fields(of part: AssessmentPart) -> [String: String] {
        fields.filter { !$0.value.isEmpty && AssessmentPart.of(field: $0.key) == part }
    }

    /// What is written outside `part`, for a save of that part alone: refused, never dropped.
    public func problems(outside part: AssessmentPart) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        var elements: Set<String> = []
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) where !value.isEmpty {
            guard let other = AssessmentPart.of(field: name), other != part else { continue }
            if let dot = name.firstIndex(of: "."), AssessmentPart.elementPrefixes.contains(String(name[..<dot])) {
                let code = String(name[name.index(after: dot)...])
                if elements.insert(code).inserted {
                    problems.append(
                        .init(field: "elements", message: "Element “\(code)” belongs to “\(other.title)”: save it with that part")
                    )
                }
            } else {
                problems.append(.init(field: name, message: "“\(name)” belongs to “\(other.title)”: save it with that part"))
            }
        }
        return problems
    }

    /// This content with `part` as `other` has it, member by member: nothing else is touched
    /// (no list trimmed to the form's slots, no element reordered).
    public func replacing(_ part: AssessmentPart, from other: AssessmentContent) -> AssessmentContent {
        var result = self
        switch part {
        case .details:
            (result.identifying, result.family, result.assessor) = (other.identifying, other.family, other.assessor)
            (result.services, result.peoplePresent) = (other.services, other.peoplePresent)
            result.reasonForAssessment = other.reasonForAssessment
        case .parentsAndCarers:
            result.parents = other.parents
        case .development, .parenting, .familyAndEnvironment:
            func inPart(_ entry: ElementAssessment) -> Bool {
                CAFForm.element(entry.code).map { AssessmentPart($0.domain) } == part
            }
            result.elements = elements.filter { !inPart($0) } + other.elements.filter(inPart)
        case .conclusions:
            (result.childViews, result.parentViews, result.conclusions) = (other.childViews, other.parentViews, other.conclusions)
        }
        return result
    }
}

/// Two people's edits of one part made on the same revision, combined field by field: a
/// field only one of them changed takes that change; a field both changed differently is a
/// conflict, prefilled with both texts (theirs, then what this person typed) so nothing
/// typed is lost, or for a choice with this person's choice, for them to settle.
public struct AssessmentMerge: Sendable {
    public struct Conflict: Sendable, Hashable {
        public let field: String
        public let theirs: String
        public let mine: String
    }

    public let merged: AssessmentContent
    /// Part by part, then by field name.
    public let conflicts: [Conflict]

    /// `base` is what this person started from, `theirs` what is saved now.
    public init(base: AssessmentContent, mine: AssessmentContent, theirs: AssessmentContent) {
        let (was, ours, saved) = (base.fields, mine.fields, theirs.fields)
        var merged: [String: String] = [:]
        var conflicts: [Conflict] = []
        for name in Set(was.keys).union(ours.keys).union(saved.keys) {
            let (before, mine, theirs) = (was[name] ?? "", ours[name] ?? "", saved[name] ?? "")
            if mine == theirs || theirs == before {
                merged[name] = mine
            } else if mine == before {
                merged[name] = theirs
            } else {
                conflicts.append(Conflict(field: name, theirs: theirs, mine: mine))
                merged[name] = Self.combined(name, theirs: theirs, mine: mine)
            }
        }
        self.merged = AssessmentContent(fields: merged)
        func place(_ conflict: Conflict) -> Int {
            AssessmentPart.of(field: conflict.field).flatMap(AssessmentPart.allCases.firstIndex) ?? 0
        }
        self.conflicts = conflicts.sorted { (place($0), $0.field) < (place($1), $1.field) }
    }

    /// Text keeps both (one alone when it already holds the other); a choice keeps this person's.
    static func combined(_ name: String, theirs: String, mine: String) -> String {
        if isChoice(name) || theirs.isEmpty || mine.contains(theirs) { return mine }
        if mine.isEmpty || theirs.contains(mine) { return theirs }
        return theirs + "\n\n" + mine
    }

    /// Fields answered by choosing (a level, yes or no, an ethnicity), which cannot be joined.
    public static func isChoice(_ name: String) -> Bool {
        ["level.", "harm."].contains(where: name.hasPrefix) || name.hasSuffix("parentalResponsibility")
            || [
                "identifying.unborn", "identifying.ethnicity", "identifying.disability", "identifying.interpreterRequired",
                "identifying.interpreterArranged",
            ].contains(name)
    }
}
