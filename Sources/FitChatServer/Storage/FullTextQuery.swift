/// A user's search text as words, safe to hand to a full-text engine: no operator in the
/// input can change the query's meaning or make it fail to parse.
struct FullTextQuery {
    let words: [String]

    init(_ text: String) {
        words = text.split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// Every word must match, each as a prefix: `"deploy"* "fail"*`.
    var fts5: String? {
        words.isEmpty ? nil : words.map { "\"\($0)\"*" }.joined(separator: " ")
    }

    /// The same for PostgreSQL's `to_tsquery`: `'deploy':* & 'fail':*`.
    var tsquery: String? {
        words.isEmpty ? nil : words.map { "'\($0)':*" }.joined(separator: " & ")
    }
}
