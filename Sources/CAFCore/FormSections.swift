import Foundation

/// The national ethnicity categories (CAF-FORM.md), as stored.
public enum Ethnicity {
    public static let categories = [
        "White British", "White Irish", "Traveller of Irish Heritage", "Gypsy/Roma", "Any other White background",
        "White and Black Caribbean", "White and Black African", "White and Asian", "Any other mixed background", "Indian",
        "Pakistani", "Bangladeshi", "Any other Asian background", "Caribbean", "African", "Any other Black background",
        "Chinese", "Any other ethnic group", "Not given",
    ]
}

/// Section 1 beyond what the index already holds (name, date of birth, gender and
/// postcode come from the child's index record and are never asked again).
public struct IdentifyingDetails: Codable, Sendable, Hashable {
    public var alsoKnownAs = ""
    /// An unborn baby is recorded as "unborn baby of <mother's name>" with an expected date.
    public var unborn = false
    public var mothersName = ""
    public var expectedDeliveryDate = ""
    public var address = ""
    public var contactPhone = ""
    public var religion = ""
    public var ethnicity = ""
    /// Free text when the category is "Any other ethnic group".
    public var ethnicityOther = ""
    public var immigrationStatus = ""
    public var childFirstLanguage = ""
    public var parentFirstLanguage = ""
    public var disability: Bool? = nil
    public var disabilityDetails = ""
    public var interpreterRequired: Bool? = nil
    public var interpreterArranged: Bool? = nil
    public var specialRequirements = ""

    public init() {}

    enum CodingKeys: String, CodingKey {
        case alsoKnownAs, unborn, mothersName, expectedDeliveryDate, address, contactPhone, religion, ethnicity, ethnicityOther
        case immigrationStatus, childFirstLanguage, parentFirstLanguage, disability, disabilityDetails, interpreterRequired
        case interpreterArranged, specialRequirements
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) throws -> String { try c.decodeIfPresent(String.self, forKey: key) ?? "" }
        alsoKnownAs = try text(.alsoKnownAs)
        unborn = try c.decodeIfPresent(Bool.self, forKey: .unborn) ?? false
        mothersName = try text(.mothersName)
        expectedDeliveryDate = try text(.expectedDeliveryDate)
        address = try text(.address)
        contactPhone = try text(.contactPhone)
        religion = try text(.religion)
        ethnicity = try text(.ethnicity)
        ethnicityOther = try text(.ethnicityOther)
        immigrationStatus = try text(.immigrationStatus)
        childFirstLanguage = try text(.childFirstLanguage)
        parentFirstLanguage = try text(.parentFirstLanguage)
        disability = try c.decodeIfPresent(Bool.self, forKey: .disability)
        disabilityDetails = try text(.disabilityDetails)
        interpreterRequired = try c.decodeIfPresent(Bool.self, forKey: .interpreterRequired)
        interpreterArranged = try c.decodeIfPresent(Bool.self, forKey: .interpreterArranged)
        specialRequirements = try text(.specialRequirements)
    }

    /// "Unborn baby of <mother>" for an unborn child, else the index name.
    public func displayName(indexName: String) -> String {
        unborn && !mothersName.isEmpty ? "Unborn baby of \(mothersName)" : indexName
    }
}

/// Section 3: one parent or carer.
public struct ParentCarer: Codable, Sendable, Hashable {
    public var name: String
    public var phone: String
    public var relationship: String
    public var address: String
    public var postcode: String
    public var parentalResponsibility: Bool?

    public init(
        name: String, phone: String = "", relationship: String, address: String = "", postcode: String = "",
        parentalResponsibility: Bool? = nil
    ) {
        self.name = name
        self.phone = phone
        self.relationship = relationship
        self.address = address
        self.postcode = postcode
        self.parentalResponsibility = parentalResponsibility
    }

    enum CodingKeys: String, CodingKey { case name, phone, relationship, address, postcode, parentalResponsibility }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        phone = try c.decodeIfPresent(String.self, forKey: .phone) ?? ""
        relationship = try c.decodeIfPresent(String.self, forKey: .relationship) ?? ""
        address = try c.decodeIfPresent(String.self, forKey: .address) ?? ""
        postcode = try c.decodeIfPresent(String.self, forKey: .postcode) ?? ""
        parentalResponsibility = try c.decodeIfPresent(Bool.self, forKey: .parentalResponsibility)
    }
}

/// Section 4: the current family and home situation.
public struct FamilySituation: Codable, Sendable, Hashable {
    public var livesWith = ""
    public var doesNotLiveWith = ""
    public var siblings = ""
    public var otherSignificantAdults = ""

    public init() {}

    enum CodingKeys: String, CodingKey { case livesWith, doesNotLiveWith, siblings, otherSignificantAdults }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        livesWith = try c.decodeIfPresent(String.self, forKey: .livesWith) ?? ""
        doesNotLiveWith = try c.decodeIfPresent(String.self, forKey: .doesNotLiveWith) ?? ""
        siblings = try c.decodeIfPresent(String.self, forKey: .siblings) ?? ""
        otherSignificantAdults = try c.decodeIfPresent(String.self, forKey: .otherSignificantAdults) ?? ""
    }
}

/// Section 5: the person undertaking the assessment (pre-filled from their account).
public struct Assessor: Codable, Sendable, Hashable {
    public var name = ""
    public var phone = ""
    public var address = ""
    public var role = ""
    public var organisation = ""
    public var leadProfessionalName = ""
    public var leadProfessionalPhone = ""

    public init() {}

    enum CodingKeys: String, CodingKey {
        case name, phone, address, role, organisation, leadProfessionalName, leadProfessionalPhone
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) throws -> String { try c.decodeIfPresent(String.self, forKey: key) ?? "" }
        name = try text(.name)
        phone = try text(.phone)
        address = try text(.address)
        role = try text(.role)
        organisation = try text(.organisation)
        leadProfessionalName = try text(.leadProfessionalName)
        leadProfessionalPhone = try text(.leadProfessionalPhone)
    }
}

/// Section 6: a service already working with the child.
public struct ServiceInvolved: Codable, Sendable, Hashable {
    public var service: String
    public var contact: String

    public init(service: String, contact: String) {
        self.service = service
        self.contact = contact
    }

    enum CodingKeys: String, CodingKey { case service, contact }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        service = try c.decodeIfPresent(String.self, forKey: .service) ?? ""
        contact = try c.decodeIfPresent(String.self, forKey: .contact) ?? ""
    }
}
