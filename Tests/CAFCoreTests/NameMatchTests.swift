import Testing

@testable import CAFCore

@Suite struct NameMatchTests {
    func score(_ query: String, _ name: String) -> Double? {
        NameMatch.score(terms: NameMatch.terms(query), name: name)
    }

    @Test func keysFoldCaseAccentsAndPunctuation() {
        #expect(NameMatch.key("  Zoë O'Brien-Smith ") == "zoe obrien smith")
        #expect(NameMatch.terms("Jo*  SMITH") == ["jo*", "smith"])
        #expect(NameMatch.terms("John A. Smith") == ["john", "smith"])  // initials are left out
        #expect(NameMatch.terms("j*") == [])
    }

    @Test func exactBeatsPrefixBeatsTypo() throws {
        let exact = try #require(score("jayden smith", "Jayden Smith"))
        let prefix = try #require(score("jay smi", "Jayden Smith"))
        let typo = try #require(score("jaydon smiht", "Jayden Smith"))
        #expect(exact == 1)
        #expect(exact > prefix && prefix > typo && typo > 0)
    }

    @Test func typosAreForgivenInProportion() {
        #expect(score("jon", "John Smith") != nil)  // one letter missing
        #expect(score("smtih", "John Smith") != nil)  // two letters swapped
        #expect(score("katherine", "Catherine Jones") != nil)
        #expect(score("bob", "John Smith") == nil)
        #expect(score("williams", "Jayden Smith") == nil)
    }

    @Test func everyTermMustMatchSomeWord() {
        #expect(score("john smith", "John Smith") == 1)
        #expect(score("smith john", "John Smith") == 1)
        #expect(score("john brown", "John Smith") == nil)
    }

    @Test func wildcardsStandForAnyRunOfLetters() {
        #expect(NameMatch.wildcard("sm*th", matches: "smith"))
        #expect(NameMatch.wildcard("sm*th", matches: "smyth"))
        #expect(NameMatch.wildcard("*son", matches: "jackson"))
        #expect(NameMatch.wildcard("ja*", matches: "jayden"))
        #expect(NameMatch.wildcard("m*d*n", matches: "madison"))
        #expect(!NameMatch.wildcard("sm*th", matches: "smiths"))
        #expect(!NameMatch.wildcard("*son", matches: "sonia"))
        #expect(score("sm*th", "Amy Smyth") != nil)
    }

    @Test func editDistanceCountsASwapAsOneSlip() {
        #expect(NameMatch.editDistance("smith", "smith") == 0)
        #expect(NameMatch.editDistance("smith", "smtih") == 1)
        #expect(NameMatch.editDistance("jon", "john") == 1)
        #expect(NameMatch.editDistance("kitten", "sitting") == 3)
        #expect(NameMatch.editDistance("", "abc") == 3)
    }

    @Test func trigramSimilarityMatchesPgTrgm() {
        // pg_trgm: similarity('smith', 'smyth') = 0.333333 (3 shared of 9), and 1 for equal words.
        #expect(NameMatch.trigramSimilarity("smith", "smith") == 1)
        #expect(NameMatch.trigramSimilarity("smith", "smyth") == 3.0 / 9.0)
    }

    @Test func indexLookupsMarkWhereWordsStartAndEnd() {
        #expect(NameMatch.marked("jon") == ["_jo", "jon", "on_"])
        #expect(NameMatch.marked("a") == ["_a_"])
        #expect(NameMatch.wildcardFragments("sm*th") == ["_sm", "th_"])
        #expect(NameMatch.wildcardFragments("jo*") == ["_jo"])
        #expect(NameMatch.wildcardFragments("*son") == ["son_"])
        #expect(NameMatch.wildcardFragments("m*d*n").isEmpty)
    }
}
