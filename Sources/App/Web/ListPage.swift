import Vapor

/// One page of a list that grows with an LA (a caseload, an LA's episodes, actions due):
/// 25 rows, as GOV.UK's pagination shows them, numbered from 1.
struct ListPage: Sendable, Equatable {
    static let size = 25
    /// The deepest page anyone may ask for (100,000 rows in): past it a filter finds what
    /// paging would not, and an offset that deep costs the database every row it skips.
    static let last = 4_000
    static let first = ListPage(number: 1)

    let number: Int

    var offset: Int { (number - 1) * Self.size }

    private init(number: Int) { self.number = number }

    /// The page a request's `page` query parameter names, the first when it names none; a
    /// 422 naming `page` when it is not a whole number from 1 to `last`.
    init(_ req: Request) throws {
        number =
            try req.wholeNumber("page", in: 1...Self.last, else: "Enter a page number from 1 to \(Self.last)") ?? 1
    }
}

extension Request {
    /// The assessment version a page's query names (`version`, `from`, `to`): nil when it names
    /// none; a 422 naming it unless it is a whole number from 1 to 1,000, as the API's
    /// document says. (Read leniently, a typo showed the latest version as if asked for.)
    func assessmentVersion(_ name: String) throws -> Int? {
        try wholeNumber(name, in: 1...1_000, else: "Enter the version as a whole number from 1 to 1000")
    }

    /// The query parameter `name` as a whole number within `range`: nil only when the query
    /// does not name it; otherwise a 422 naming it with `message` unless it is one, written in
    /// no more digits than the range's end (so reading it never traps). Named as something
    /// else (`?version[x]=2`) is refused too: a lenient read took that for absent.
    fileprivate func wholeNumber(_ name: String, in range: ClosedRange<Int>, else message: String) throws -> Int? {
        let named = (url.query ?? "").split(separator: "&").contains { pair in
            let key = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            let decoded = key.removingPercentEncoding ?? key
            return decoded == name || decoded.hasPrefix(name + "[")
        }
        guard named else { return nil }
        guard let text = query[String.self, at: name], text.utf8.count <= String(range.upperBound).utf8.count,
            let number = Int(text), range.contains(number)
        else { throw AppError.invalid(field: name, message) }
        return number
    }
}
