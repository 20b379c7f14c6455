//! Search text folded the way people type Vietnamese: without diacritics, `đ` as `d`, in any case, composed or decomposed alike.

use crate::text::nfkd;
use crate::validation::Reason;
use serde::{Deserialize, Serialize};

/// Folds `text` for search: lower case, every diacritic dropped (Unicode compatibility decomposition, then the
/// combining marks removed), `đ` and `Đ` as `d` (a letter of its own that decomposition keeps),
/// and anything but letters and digits as a single space between words.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in nfkd(text).chars() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if c.is_alphanumeric() {
            if pending_space && !folded.is_empty() {
                folded.push(' ');
            }
            pending_space = false;
            folded.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    folded
}

/// The marks Vietnamese (and the Latin script generally) decomposes into: Unicode's combining
/// diacritical marks and their extensions.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

/// What a person typed in a search box, read: a case number goes straight to that case; words
/// match whole words of the text, the last one (the word being typed) the start of a word, so
/// results come while typing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchQuery {
    /// `#316` or `316`.
    CaseNumber(i64),
    /// Folded words: each but the last a whole word of the case, the last the start of one.
    Words(Vec<String>),
}

impl SearchQuery {
    /// The longest query read, in characters.
    pub const MAX_CHARS: usize = 200;
    /// The most words a query matches on; more add cost and hardly narrow the answer.
    pub const MAX_WORDS: usize = 8;

    /// Reads `raw`; `Ok(None)` when it holds nothing to search for.
    pub fn parse(raw: &str) -> Result<Option<Self>, Reason> {
        if raw.chars().count() > Self::MAX_CHARS {
            return Err(Reason::TooLong { max: Self::MAX_CHARS });
        }
        let trimmed = raw.trim();
        let number = trimmed.strip_prefix('#').unwrap_or(trimmed).trim();
        if !number.is_empty() && number.len() <= 18 && number.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(number.parse().ok().filter(|n| *n > 0).map(SearchQuery::CaseNumber));
        }
        let words: Vec<String> = fold(trimmed).split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect();
        if words.is_empty() {
            return Ok(None);
        }
        let mut distinct: Vec<String> = Vec::with_capacity(words.len());
        for word in words {
            if !distinct.contains(&word) {
                distinct.push(word);
            }
        }
        distinct.truncate(Self::MAX_WORDS);
        Ok(Some(SearchQuery::Words(distinct)))
    }
}

/// The words a list filter (an export, the map, a queue, the Open311 list) matches cases by: a case
/// number is a word of the case's text too, so it keeps that case and whatever mentions it.
pub fn filter_words(raw: &str) -> Result<Vec<String>, Reason> {
    Ok(match SearchQuery::parse(raw)? {
        Some(SearchQuery::Words(words)) => words,
        Some(SearchQuery::CaseNumber(id)) => vec![id.to_string()],
        None => Vec::new(),
    })
}

/// Whether every one of `words` (folded) starts some word of `text` once folded: how a name is
/// matched while it is typed.
pub fn matches_words(text: &str, words: &[String]) -> bool {
    let folded = fold(text);
    let text_words: Vec<&str> = folded.split(' ').collect();
    !words.is_empty() && words.iter().all(|word| text_words.iter().any(|w| w.starts_with(word.as_str())))
}

/// `text` cut into pieces, each marked whether it is a word the search matched: one of `words`
/// (folded) as a whole word, or the start of a word for the last of them, the word being typed,
/// as the search itself matches. The pieces joined are `text` unchanged, for showing what matched.
pub fn highlight(text: &str, words: &[String]) -> Vec<(String, bool)> {
    let Some((typing, whole)) = words.split_last() else { return vec![(text.to_string(), false)] };
    let matched = |word: &str| {
        let folded = fold(word);
        !folded.is_empty() && (whole.contains(&folded) || folded.starts_with(typing.as_str()))
    };
    let mut pieces: Vec<(String, bool)> = Vec::new();
    let mut push = |piece: &str, is_match: bool| match pieces.last_mut() {
        Some((last, last_match)) if *last_match == is_match && !is_match => last.push_str(piece),
        _ => pieces.push((piece.to_string(), is_match)),
    };
    let in_word = |c: char| c.is_alphanumeric() || is_combining_mark(c);
    let mut start = 0;
    let mut word_start = None;
    for (at, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (word_start, at < text.len() && in_word(c)) {
            (None, true) => {
                push(&text[start..at], false);
                word_start = Some(at);
            }
            (Some(from), false) => {
                push(&text[from..at], matched(&text[from..at]));
                start = at;
                word_start = None;
            }
            _ => {}
        }
    }
    push(&text[start..], false);
    pieces.retain(|(piece, _)| !piece.is_empty());
    pieces
}

/// The folded text a case is found by: its number, title, description, address, and the names of
/// its category and area.
pub fn case_document(id: i64, title: &str, description: &str, address: Option<&str>, names: &[&str]) -> String {
    let mut text = format!("{id} {title} {description}");
    if let Some(address) = address {
        text.push(' ');
        text.push_str(address);
    }
    for name in names {
        text.push(' ');
        text.push_str(name);
    }
    fold(&text)
}

/// How well a case's folded search text `document` matches `words` (which it holds, since the search
/// matched it): BM25's measure of each word's occurrences, saturating as they repeat and diluted by a
/// longer text, summed over the words; the last word (the one being typed) counts the words it starts.
/// BM25 would also weigh each word by its rarity across all cases; that weight is left out, since
/// finding it means counting every case holding the word, which costs more than the whole search.
pub fn relevance(document: &str, words: &[String]) -> f64 {
    /// BM25's usual constants: how soon repeats stop adding, and how much length dilutes.
    const SATURATION: f64 = 1.2;
    const LENGTH_WEIGHT: f64 = 0.75;
    /// The length, in words, of a typical report's text with its names.
    const TYPICAL_WORDS: f64 = 40.0;
    let Some((typing, whole)) = words.split_last() else { return 0.0 };
    let mut occurrences = vec![0u32; words.len()];
    let mut length = 0u32;
    for word in document.split(' ').filter(|w| !w.is_empty()) {
        length += 1;
        if let Some(at) = whole.iter().position(|w| w == word) {
            occurrences[at] += 1;
        }
        if word.starts_with(typing.as_str()) {
            occurrences[whole.len()] += 1;
        }
    }
    let dilution = SATURATION * (1.0 - LENGTH_WEIGHT + LENGTH_WEIGHT * f64::from(length) / TYPICAL_WORDS);
    occurrences.iter().map(|&count| f64::from(count) / (f64::from(count) + dilution)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn vietnamese_folds_to_what_people_type_without_diacritics() {
        assert_eq!(fold("Đường Trần Hưng Đạo"), "duong tran hung dao");
        assert_eq!(fold("Thành phố Đồng Hới"), "thanh pho dong hoi");
        assert_eq!(fold("ĐÈN ĐƯỜNG hỏng, ổ gà!"), "den duong hong o ga");
        assert_eq!(fold("  Nguyễn   Thị-Lan "), "nguyen thi lan");
        assert_eq!(fold("Số 25/7 Lý Thường Kiệt"), "so 25 7 ly thuong kiet");
        assert_eq!(fold("ＨＯＡ 𝑨n"), "hoa an", "full-width and styled letters are the plain ones");
    }

    #[test]
    fn composed_and_decomposed_text_fold_alike() {
        let composed = "Phường Đồng Phú, ngập nước";
        let decomposed: String = composed.nfd().collect();
        assert_ne!(composed, decomposed);
        assert_eq!(fold(composed), fold(&decomposed));
    }

    #[test]
    fn a_number_goes_to_its_case_and_words_are_folded_once_each() {
        assert_eq!(SearchQuery::parse("#316"), Ok(Some(SearchQuery::CaseNumber(316))));
        assert_eq!(SearchQuery::parse(" 316 "), Ok(Some(SearchQuery::CaseNumber(316))));
        assert_eq!(
            SearchQuery::parse("Đồng hới dong"),
            Ok(Some(SearchQuery::Words(vec!["dong".into(), "hoi".into()])))
        );
        assert_eq!(SearchQuery::parse("  ?! "), Ok(None));
        assert_eq!(SearchQuery::parse("#0"), Ok(None));
        assert_eq!(SearchQuery::parse(&"a".repeat(201)), Err(Reason::TooLong { max: 200 }));
        let many = "một hai ba bốn năm sáu bảy tám chín mười";
        assert!(matches!(SearchQuery::parse(many), Ok(Some(SearchQuery::Words(words))) if words.len() == 8));
    }

    #[test]
    fn a_filter_matches_a_number_as_a_word_and_refuses_what_a_search_refuses() {
        assert_eq!(filter_words("#316"), Ok(vec!["316".to_string()]));
        assert_eq!(filter_words("Đồng Hới"), Ok(vec!["dong".to_string(), "hoi".to_string()]));
        assert_eq!(filter_words(" "), Ok(Vec::new()));
        assert_eq!(filter_words(&"a".repeat(201)), Err(Reason::TooLong { max: 200 }));
    }

    #[test]
    fn a_name_is_matched_by_the_starts_of_its_words() {
        let words = |raw: &str| match SearchQuery::parse(raw) {
            Ok(Some(SearchQuery::Words(words))) => words,
            other => panic!("{other:?}"),
        };
        assert!(matches_words("Thành phố Đồng Hới", &words("dong hoi")));
        assert!(!matches_words("Thành phố Đồng Hới", &words("tp dong")));
        assert!(matches_words("Phường Đồng Phú", &words("phu dong")));
        assert!(!matches_words("Phường Đồng Phú", &words("dong hoi")));
    }

    #[test]
    fn a_case_is_found_by_its_number_and_its_names() {
        let document =
            case_document(42, "Ổ gà", "Mặt đường hư hỏng nặng", Some("Quảng Trường"), &["Giao thông", "Đồng Hới"]);
        assert_eq!(document, "42 o ga mat duong hu hong nang quang truong giao thong dong hoi");
    }

    proptest! {
        #[test]
        fn folding_is_idempotent_and_leaves_only_lowercase_words(text in "\\PC{0,60}") {
            let once = fold(&text);
            prop_assert_eq!(fold(&once), once.clone());
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
            prop_assert!(once.chars().all(|c| c == ' ' || c.is_alphanumeric()));
            prop_assert_eq!(once.to_lowercase(), once.clone());
            prop_assert!(!once.contains(['đ', 'Đ']));
        }
    }

    #[test]
    fn highlighting_marks_whole_words_and_the_word_being_typed_and_keeps_the_text() {
        let words = |q: &str| match SearchQuery::parse(q) {
            Ok(Some(SearchQuery::Words(words))) => words,
            other => panic!("{other:?}"),
        };
        let text = "Ổ gà trên đường Trần Hưng Đạo, phường Đồng Phú";
        let pieces = highlight(text, &words("duong tran hu"));
        assert_eq!(pieces.iter().map(|(p, _)| p.as_str()).collect::<String>(), text, "nothing lost");
        let marked: Vec<&str> = pieces.iter().filter(|(_, m)| *m).map(|(p, _)| p.as_str()).collect();
        assert_eq!(marked, vec!["đường", "Trần", "Hưng"]);
        // A word before the last must match whole: "tra" does not mark "Trần".
        let marked = highlight(text, &words("tra dong"));
        assert_eq!(marked.iter().filter(|(_, m)| *m).map(|(p, _)| p.as_str()).collect::<Vec<_>>(), vec!["Đồng"]);
        // Decomposed text is marked as composed text is.
        let decomposed = crate::text::nfkd("Đồng Hới");
        let marked = highlight(&decomposed, &words("dong hoi"));
        assert_eq!(marked.iter().filter(|(_, m)| *m).count(), 2);
        assert_eq!(highlight("abc", &[]), vec![("abc".to_string(), false)]);
    }

    #[test]
    fn relevance_rises_with_repeats_of_the_words_and_falls_with_length() {
        let words = |q: &str| match SearchQuery::parse(q) {
            Ok(Some(SearchQuery::Words(words))) => words,
            other => panic!("{other:?}"),
        };
        let query = words("den duong");
        let once = relevance("den hong tren duong tran hung dao", &query);
        let twice = relevance("den duong hong tren duong tran hung dao", &query);
        assert!(twice > once, "{twice} > {once}");
        let longer = relevance("den hong tren duong tran hung dao tai so 12 nguoi dan di lai rat kho khan", &query);
        assert!(once > longer, "{once} > {longer}");
        let typed = relevance("den duong hong", &words("den duo"));
        assert!(typed > 0.0 && (typed - relevance("den duong hong", &query)).abs() < 1e-9, "the last word as a prefix");
        assert_eq!(
            relevance("den tran", &words("tra den")),
            relevance("den xyz", &words("tra den")),
            "earlier words match whole"
        );
        assert_eq!(relevance("anything", &[]), 0.0);
    }
}
