/// The national Common Assessment Framework form as data: the one definition that the
/// form pages, the API, validation, the print view and the measures all read.
/// Element codes are stored and sent over the API: never rename one once it has landed.
public enum CAFDomain: String, CaseIterable, Codable, Sendable {
    case development = "dev"
    case parents = "parents"
    case family = "family"

    public var title: String {
        switch self {
        case .development: "Development of the unborn baby, infant, child or young person"
        case .parents: "Parents and carers"
        case .family: "Family and environmental factors"
        }
    }
}

public struct CAFElement: Sendable, Hashable {
    public let code: String
    public let domain: CAFDomain
    public let name: String
    /// A plain-English hint so the form is usable without training.
    public let prompt: String
}

public enum CAFForm {
    public static let elements: [CAFElement] = [
        .init(
            code: "dev.health.general", domain: .development, name: "Health: general health",
            prompt: "Are they generally well? Think of illness, conditions, medication, appointments kept and missed."),
        .init(
            code: "dev.health.physical", domain: .development, name: "Health: physical development",
            prompt: "Are they growing and moving as expected for their age — weight, height, coordination, sleep?"),
        .init(
            code: "dev.health.speech", domain: .development,
            name: "Health: speech, language and communications development",
            prompt: "Can they understand others and make themselves understood, in their first language and in English?"),
        .init(
            code: "dev.emotional", domain: .development, name: "Emotional and social development",
            prompt: "How do they feel and show feelings? Are they anxious, withdrawn, happy, able to cope with change?"),
        .init(
            code: "dev.behaviour", domain: .development, name: "Behavioural development",
            prompt: "How do they behave at home, at school and out and about? Is anything getting in the way?"),
        .init(
            code: "dev.identity", domain: .development,
            name: "Identity, including self-esteem, self-image and social presentation",
            prompt: "How do they see themselves — culture, faith, appearance, confidence? How do others see them?"),
        .init(
            code: "dev.relationships", domain: .development, name: "Family and social relationships",
            prompt: "Who are they close to — family, friends, adults they trust? Are any relationships a worry?"),
        .init(
            code: "dev.selfcare", domain: .development, name: "Self-care skills and independence",
            prompt: "Can they do the everyday things expected at their age — dressing, eating, getting to school, managing money?"
        ),
        .init(
            code: "dev.learning.understanding", domain: .development,
            name: "Learning: understanding, reasoning and problem solving",
            prompt: "How do they take in new ideas, solve problems and make sense of the world?"),
        .init(
            code: "dev.learning.participation", domain: .development,
            name: "Learning: participation in learning, education and employment",
            prompt: "Do they attend and take part — nursery, school, college, training or work? Any exclusions?"),
        .init(
            code: "dev.learning.progress", domain: .development, name: "Learning: progress and achievement in learning",
            prompt: "Are they making the progress expected? Any special educational needs, identified or suspected?"),
        .init(
            code: "dev.learning.aspirations", domain: .development, name: "Learning: aspirations",
            prompt: "What do they hope for and want to be good at? Does anyone encourage them?"),
        .init(
            code: "parents.basic-care", domain: .parents, name: "Basic care, ensuring safety and protection",
            prompt: "Are food, warmth, hygiene, health care and safety from harm provided reliably?"),
        .init(
            code: "parents.warmth", domain: .parents, name: "Emotional warmth and stability",
            prompt: "Does the child feel loved and secure? Are carers and routines stable, or is there much change?"),
        .init(
            code: "parents.guidance", domain: .parents, name: "Guidance, boundaries and stimulation",
            prompt: "Are there clear, fair boundaries? Do carers play, read and talk with the child and encourage learning?"),
        .init(
            code: "family.functioning", domain: .family, name: "Family history, functioning and well-being",
            prompt: "What is happening in the family — illness, loss, conflict, parents' own health or difficulties?"),
        .init(
            code: "family.wider", domain: .family, name: "Wider family",
            prompt: "Who else in the family helps or could help — grandparents, aunts, uncles, family friends?"),
        .init(
            code: "family.housing", domain: .family, name: "Housing, employment and financial considerations",
            prompt: "Is the home safe, warm and settled? Is money, debt or work putting the family under strain?"),
        .init(
            code: "family.community", domain: .family,
            name: "Social and community elements and resources, including education",
            prompt: "What support is there nearby — groups, faith communities, clubs, services? Do they feel part of it?"),
    ]

    public static let codes: Set<String> = Set(elements.map(\.code))

    public static func element(_ code: String) -> CAFElement? {
        elements.first { $0.code == code }
    }

    public static func elements(in domain: CAFDomain) -> [CAFElement] {
        elements.filter { $0.domain == domain }
    }

    /// Shown to the person consenting (CAF-FORM.md section 11).
    public static let consentStatement =
        "What I have said is written down here so that the people who help me (or my child) can understand what is needed without asking the same questions again. It will be kept securely and shared only with the people and services listed, unless someone is at risk of serious harm. I can ask to see it, ask for it to be corrected, and change my mind about sharing at any time."
}
