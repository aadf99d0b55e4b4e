//! Fuzzy matching for pickers (contacts, search), over nucleo-matcher.
//!
//! Smart case (a needle with a capital letter matches case exactly, otherwise case is ignored)
//! and smart normalisation (a plain Latin needle matches accented text: "mlr" finds
//! "Müller", "sodergren" finds "Södergren"). Each space-separated word of the needle must match
//! on its own, in any order: "berg anna" finds "Anna Berg".
use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// A reusable matcher (keeps its scratch memory between calls).
pub struct Fuzzy {
    matcher: Matcher,
    buf: Vec<char>,
}

impl Default for Fuzzy {
    fn default() -> Self {
        Fuzzy::new()
    }
}

impl std::fmt::Debug for Fuzzy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fuzzy")
    }
}

fn pattern(needle: &str) -> Pattern {
    // `Pattern::new` takes the text literally: '!', '^', '$' and '\'' have no special meaning.
    Pattern::new(
        needle,
        CaseMatching::Smart,
        Normalization::Smart,
        AtomKind::Fuzzy,
    )
}

impl Fuzzy {
    pub fn new() -> Fuzzy {
        Fuzzy {
            matcher: Matcher::new(Config::DEFAULT),
            buf: Vec::new(),
        }
    }

    /// How well `needle` matches `haystack` (higher is better), None when it does not.
    /// An empty (or all-space) needle matches everything with score 0.
    pub fn score(&mut self, needle: &str, haystack: &str) -> Option<u32> {
        let p = pattern(needle);
        p.score(Utf32Str::new(haystack, &mut self.buf), &mut self.matcher)
    }

    /// The score and the matched character positions in `haystack` (char indices, sorted,
    /// unique), for highlighting; None when it does not match.
    pub fn indices(&mut self, needle: &str, haystack: &str) -> Option<(u32, Vec<u32>)> {
        let p = pattern(needle);
        let mut idx = Vec::new();
        let score = p.indices(
            Utf32Str::new(haystack, &mut self.buf),
            &mut self.matcher,
            &mut idx,
        )?;
        idx.sort_unstable();
        idx.dedup();
        Some((score, idx))
    }

    /// The items that match, best first. Equal scores: the shorter text first, then the input
    /// order, so the result is stable.
    pub fn rank<I, S>(
        &mut self,
        needle: &str,
        items: impl IntoIterator<Item = (I, S)>,
    ) -> Vec<(I, u32)>
    where
        S: AsRef<str>,
    {
        let p = pattern(needle);
        let mut scored: Vec<(u32, usize, usize, I)> = Vec::new();
        for (pos, (id, text)) in items.into_iter().enumerate() {
            let text = text.as_ref();
            if let Some(s) = p.score(Utf32Str::new(text, &mut self.buf), &mut self.matcher) {
                scored.push((s, text.chars().count(), pos, id));
            }
        }
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        scored.into_iter().map(|(s, _, _, id)| (id, s)).collect()
    }

    /// Like [`rank`](Self::rank), at most `limit` ids.
    pub fn best<I, S>(
        &mut self,
        needle: &str,
        items: impl IntoIterator<Item = (I, S)>,
        limit: usize,
    ) -> Vec<I>
    where
        S: AsRef<str>,
    {
        self.rank(needle, items)
            .into_iter()
            .take(limit)
            .map(|(id, _)| id)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn smart_normalisation_and_case() {
        let mut f = Fuzzy::new();
        assert!(f.score("mlr", "Müller").is_some());
        assert!(f.score("muller", "Müller").is_some());
        assert!(f.score("sodergren", "Åsa Södergren").is_some());
        assert!(f.score("anna", "Anna Berg").is_some());
        assert!(
            f.score("ANNA", "Anna Berg").is_none(),
            "capitals match exactly"
        );
        assert!(f.score("Anna", "Anna Berg").is_some());
        assert!(
            f.score("berg anna", "Anna Berg").is_some(),
            "words in any order"
        );
        assert!(f.score("xyz", "Anna Berg").is_none());
        assert!(f.score("annab", "Anna").is_none());
        assert_eq!(f.score("", "Anna"), Some(0));
        assert_eq!(f.score("   ", "Anna"), Some(0));
        // '!' and '^' are plain characters, not nucleo syntax
        assert!(f.score("!x", "Anna").is_none());
        assert!(f.score("^a", "^abc").is_some());
    }

    #[test]
    fn indices_for_highlighting() {
        let mut f = Fuzzy::new();
        let (score, idx) = f.indices("mlr", "Karl Müller").unwrap();
        assert_eq!(Some(score), f.score("mlr", "Karl Müller"));
        let hay: Vec<char> = "Karl Müller".chars().collect();
        let picked: String = idx.iter().map(|&i| hay[i as usize]).collect();
        assert_eq!(picked.to_lowercase(), "mlr");
        let (_, idx) = f.indices("berg anna", "Anna Berg").unwrap();
        assert_eq!(idx, vec![0, 1, 2, 3, 5, 6, 7, 8]);
        assert!(f.indices("xyz", "Anna").is_none());
    }

    #[test]
    fn ranking_puts_best_first() {
        let mut f = Fuzzy::new();
        let items = vec![
            (1, "Annika Svensson"),
            (2, "Hans Andersson"),
            (3, "Anna Berg"),
            (4, "Bob"),
            (5, "Anna"),
        ];
        let r = f.rank("anna", items.clone());
        let ids: Vec<i32> = r.iter().map(|(id, _)| *id).collect();
        assert!(!ids.contains(&4), "Bob does not match: {ids:?}");
        // exact word matches beat scattered ones; the shorter of equal scores first
        assert_eq!(&ids[..2], &[5, 3], "{r:?}");
        assert!(
            r.windows(2).all(|w| w[0].1 >= w[1].1),
            "sorted by score: {r:?}"
        );
        assert_eq!(f.best("anna", items.clone(), 1), vec![5]);
        assert_eq!(f.rank("zzz", items).len(), 0);
    }

    #[test]
    fn ranking_finds_accented_names() {
        let mut f = Fuzzy::new();
        let items = [
            (10, "Karl Müller"),
            (11, "Mats Lindström"),
            (12, "Maria Lopez"),
        ];
        // both have m..l..r (Mats Lindström at word starts, so it ranks first); Lopez has no r
        let r = f.best("mlr", items, 10);
        assert_eq!(r, vec![11, 10]);
        let r = f.best("muller", items, 10);
        assert_eq!(r, vec![10]);
        let r = f.best("lindstrom", items, 10);
        assert_eq!(r, vec![11]);
    }

    proptest! {
        #[test]
        fn never_panics(needle in "\\PC{0,20}", hay in "\\PC{0,60}") {
            let mut f = Fuzzy::new();
            let _ = f.score(&needle, &hay);
            let r = f.rank(&needle, vec![(0, hay.as_str()), (1, needle.as_str())]);
            prop_assert!(r.len() <= 2);
        }

        #[test]
        fn a_text_matches_itself(text in "[a-zA-ZåäöÅÄÖü ]{1,30}") {
            let mut f = Fuzzy::new();
            prop_assert!(f.score(&text, &text).is_some());
        }
    }
}
