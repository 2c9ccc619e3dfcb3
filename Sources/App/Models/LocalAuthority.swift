import Fluent
import Foundation

final class LocalAuthority: Model, @unchecked Sendable {
    static let schema = "local_authorities"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    /// Children's social care, during the day and out of hours: the first thing the
    /// phone-first safeguarding path shows.
    @Field(key: "social_care_day_phone") var socialCareDayPhone: String
    @Field(key: "social_care_out_of_hours_phone") var socialCareOutOfHoursPhone: String
    /// Hours after a safeguarding call by which the written follow-up is due.
    @Field(key: "follow_up_hours") var followUpHours: Int

    /// Listed, not reflected: Fluent would reflect them for every row (issue 16).
    /// `ModelPropertyTests` holds the list to the declarations.
    var properties: [any AnyProperty] { [$id, $name, $socialCareDayPhone, $socialCareOutOfHoursPhone, $followUpHours] }
    init() {}
    init(id: UUID? = nil, name: String, dayPhone: String = "", outOfHoursPhone: String = "", followUpHours: Int = 48) {
        self.id = id
        self.name = name
        self.socialCareDayPhone = dayPhone
        self.socialCareOutOfHoursPhone = outOfHoursPhone
        self.followUpHours = followUpHours
    }
}
