//! Case-insensitive patterns with `*` wildcards, as both APIs use them in searches
//! (Kelvin query filters, UDM `query[prop]=value` and LDAP substring filters).

/// A compiled pattern: literal pieces separated by wildcards.
///
/// One piece means an exact (case-insensitive) match; with several pieces the first must be a
/// prefix, the last a suffix and the middle ones must appear in order in between.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pieces: Vec<String>,
}

impl Pattern {
    /// Compiles a pattern where every `*` is a wildcard.
    pub fn wildcard(pattern: &str) -> Self {
        Self::from_pieces(pattern.split('*').map(str::to_string).collect())
    }

    /// Builds a pattern from literal pieces (already unescaped); wildcards sit between them.
    pub fn from_pieces(pieces: Vec<String>) -> Self {
        let pieces = if pieces.is_empty() {
            vec![String::new()]
        } else {
            pieces.into_iter().map(|p| p.to_lowercase()).collect()
        };
        Self { pieces }
    }

    /// Case-insensitive match of a whole value.
    pub fn matches(&self, value: &str) -> bool {
        let value = value.to_lowercase();
        let n = self.pieces.len();
        if n == 1 {
            return value == self.pieces[0];
        }
        let first = &self.pieces[0];
        let last = &self.pieces[n - 1];
        if value.len() < first.len() + last.len()
            || !value.starts_with(first.as_str())
            || !value.ends_with(last.as_str())
        {
            return false;
        }
        let end = value.len() - last.len();
        let mut pos = first.len();
        for middle in &self.pieces[1..n - 1] {
            if middle.is_empty() {
                continue;
            }
            match value
                .get(pos..end)
                .and_then(|window| window.find(middle.as_str()))
            {
                Some(i) => pos += i + middle.len(),
                None => return false,
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    #[test]
    fn exact_and_wildcard_matches_are_case_insensitive() {
        assert!(Pattern::wildcard("Demo_Student").matches("demo_student"));
        assert!(!Pattern::wildcard("demo").matches("demo_student"));
        assert!(Pattern::wildcard("demo*").matches("DEMO_student"));
        assert!(Pattern::wildcard("*student").matches("demo_student"));
        assert!(Pattern::wildcard("*_stu*").matches("demo_student"));
        assert!(Pattern::wildcard("d*o*t").matches("demo_student"));
        assert!(!Pattern::wildcard("d*x*t").matches("demo_student"));
        assert!(Pattern::wildcard("*").matches(""));
        assert!(!Pattern::wildcard("ab*ba").matches("aba"));
        assert!(Pattern::wildcard("Mü*").matches("MÜLLER"));
    }
}
