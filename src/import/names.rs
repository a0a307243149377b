//! Unique names: the one rule for making a meeting slug, location slug or custom type code
//! that is taken into a free one.

/// The longest custom type code an import makes up.
pub(crate) const MAX_CUSTOM_CODE: usize = 10;

/// `base` if `taken` does not hold it, else the first free `base-2`, `base-3`, ...; a suffix
/// cuts `base` (at a character boundary, and without a dangling `-`) so the name stays within
/// `max` bytes.
pub(crate) fn unique_name(base: &str, max: usize, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| {
            let suffix = format!("-{n}");
            let mut b = base.to_string();
            while b.len() + suffix.len() > max {
                b.pop();
            }
            format!("{}{suffix}", b.trim_end_matches('-'))
        })
        .find(|name| !taken(name))
        .unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_names_count_up_and_stay_within_the_limit() {
        let taken = ["hall", "hall-2", "ABCDEFGHIJ", "ABCDEFGH-2"];
        let t = |n: &str| taken.contains(&n);
        assert_eq!(unique_name("church", 64, t), "church");
        assert_eq!(unique_name("hall", 64, t), "hall-3");
        assert_eq!(unique_name("ABCDEFGHIJ", 10, t), "ABCDEFGH-3");
        // Cut where the cut leaves a hyphen: no "a--2".
        assert_eq!(
            unique_name("abcdefg-hi", 10, |n| n == "abcdefg-hi"),
            "abcdefg-2"
        );
        // Never inside a character.
        let name = unique_name("ééééé", 10, |n| n == "ééééé");
        assert_eq!(name, "éééé-2");
    }
}
