import Foundation

/// How well a searched-for name matches a child's name. Both databases find candidates with
/// their own index; this one scoring ranks them, so results are the same on each.
///
/// Every term typed must match some word of the name: exactly, as the start of the word,
/// through a `*` wildcard, or fuzzily (one or two letters wrong, or similar trigrams).
public enum NameMatch {
    /// Lower case, accents folded, apostrophes dropped (O'Brien is "obrien"), hyphens and
    /// spaces as word breaks; the form kept in the index's `name_key` and used for every comparison.
    public static func key(_ name: String) -> String {
        let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        let words = folded.lowercased().filter { $0 != "'" && $0 != "’" }.split { !($0.isLetter || $0 == "*") }
        return words.joined(separator: " ")
    }

    /// The search's terms, in key form, at most five. Single letters (initials) are left out:
    /// too short to look up, and a name is found without them.
    public static func terms(_ query: String) -> [String] {
        Array(key(query).split(separator: " ").map(String.init).filter { $0.filter(\.isLetter).count >= 2 }.prefix(5))
    }

    /// The trigrams of a term with its ends marked by `_`, as the SQLite index stores words.
    public static func marked(_ term: String) -> [String] {
        let letters = Array("_\(term)_")
        var seen: Set<String> = []
        return (0...(letters.count - 3)).map { String(letters[$0..<($0 + 3)]) }.filter { seen.insert($0).inserted }
    }

    /// A wildcard term's fixed parts, marked with `_` where they touch the word's start or end.
    /// Only parts of three or more characters can be looked up in a trigram index.
    public static func wildcardFragments(_ term: String) -> [String] {
        let parts = term.split(separator: "*", omittingEmptySubsequences: false)
        return parts.enumerated().map { index, part in
            (index == 0 ? "_" : "") + part + (index == parts.count - 1 ? "_" : "")
        }.filter { $0.count >= 3 }
    }

    /// 1 for an exact match of every term down to 0 for no match. Nil unless every term matches.
    public static func score(terms: [String], name: String) -> Double? {
        score(terms: terms, key: key(name))
    }

    /// The same, for a name already in key form (as the index stores it).
    public static func score(terms: [String], key: String) -> Double? {
        var scorer = Scorer(terms: terms)
        return scorer.score(key: key)
    }

    /// Scores many names against one search, remembering each word's scores: among a
    /// search's candidates the same few words (Smith, Oliver) come up again and again.
    public struct Scorer {
        let terms: [String]
        var known: [Substring: [Double?]] = [:]

        public init(terms: [String]) { self.terms = terms }

        public mutating func score(key: String) -> Double? {
            let words = key.split(separator: " ")
            guard !terms.isEmpty, !words.isEmpty else { return nil }
            let perWord = words.map { word in
                if let scores = known[word] { return scores }
                let scores = terms.map { NameMatch.score(term: $0, word: String(word)) }
                known[word] = scores
                return scores
            }
            var total = 0.0
            for index in terms.indices {
                guard let best = perWord.compactMap({ $0[index] }).max() else { return nil }
                total += best
            }
            return total / Double(terms.count)
        }
    }

    static func score(term: String, word: String) -> Double? {
        if term == word { return 1 }
        if term.contains("*") { return wildcard(term, matches: word) ? 0.85 : nil }
        if word.hasPrefix(term) { return 0.7 + 0.2 * Double(term.count) / Double(word.count) }
        let distance = editDistance(term, word)
        let allowed = term.count <= 4 ? 1 : 2
        let similarity = trigramSimilarity(term, word)
        guard distance <= allowed || similarity >= 0.45 else { return nil }
        return 0.6 * max(similarity, 1 - Double(distance) / Double(max(term.count, word.count)))
    }

    /// `*` stands for any run of letters, anywhere in the term.
    static func wildcard(_ pattern: String, matches word: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(word)
        for (index, part) in parts.enumerated() {
            if index == 0 {
                guard rest.hasPrefix(part) else { return false }
                rest = rest.dropFirst(part.count)
            } else if index == parts.count - 1 {
                return part.isEmpty || (rest.hasSuffix(part))
            } else if let found = rest.range(of: part) {
                rest = rest[found.upperBound...]
            } else {
                return false
            }
        }
        return rest.isEmpty
    }

    /// pg_trgm's similarity: shared trigrams of the padded words over all their trigrams.
    static func trigramSimilarity(_ a: String, _ b: String) -> Double {
        let left = trigrams(a), right = trigrams(b)
        let union = left.union(right).count
        return union == 0 ? 0 : Double(left.intersection(right).count) / Double(union)
    }

    static func trigrams(_ word: String) -> Set<String> {
        let padded = Array("  \(word) ")
        guard padded.count >= 3 else { return [] }
        return Set((0...(padded.count - 3)).map { String(padded[$0..<($0 + 3)]) })
    }

    /// Damerau–Levenshtein (optimal string alignment): a swapped pair of letters is one slip.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
