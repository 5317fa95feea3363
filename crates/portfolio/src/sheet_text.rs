//! Text in spreadsheet files: the guard against formula injection. A CSV field that starts
//! with `=`, `+`, `-`, `@`, tab or CR would run as a formula when a spreadsheet opens the
//! file, so exports prefix such text with `'` and imports take the prefix off again. The
//! escape is a bijection (text that already starts with `'` before one of those characters
//! gets one more), so every value survives the round trip unchanged.

const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn starts_with_trigger_or_quote(s: &str) -> bool {
    s.starts_with(TRIGGERS) || s.starts_with('\'')
}

/// The CSV form of a text value.
pub fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    let needs = s.starts_with(TRIGGERS)
        || s.strip_prefix('\'')
            .is_some_and(starts_with_trigger_or_quote);
    if needs {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// A text value read back from a CSV field.
pub fn unescape(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if starts_with_trigger_or_quote(rest) => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_escaped_and_come_back_unchanged() {
        for s in [
            "-20% churn",
            "=HYPERLINK(\"http://x\")",
            "+1",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "'=x",
            "''",
            "'plain",
            "plain",
            "",
            "'",
        ] {
            let e = escape(s);
            assert!(
                !e.starts_with(TRIGGERS),
                "{s:?} escaped to {e:?} still starts a formula"
            );
            assert_eq!(unescape(&e), s, "{s:?} did not survive");
        }
        assert_eq!(escape("-20% churn"), "'-20% churn");
        assert_eq!(escape("plain"), "plain");
    }
}
