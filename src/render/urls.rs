//! The public URL layout. Calendar subscriptions and links depend on it: keep it stable.

use chrono::Weekday;

use crate::model::schedule::day_key;

pub(crate) fn meeting(slug: &str) -> String {
    format!("meetings/{slug}/")
}

pub(crate) fn day(d: Weekday) -> String {
    format!("days/{}/", day_key(d))
}

pub(crate) fn region(path: &str) -> String {
    format!("regions/{path}/")
}

pub(crate) fn location(slug: &str) -> String {
    format!("locations/{slug}/")
}

pub(crate) fn type_page(slug: &str) -> String {
    format!("types/{slug}/")
}

pub(crate) fn page(path: &str) -> String {
    format!("{path}/")
}

/// The printed schedule of the pages under `dir` (`""` for the whole site, or a region's).
pub(crate) fn schedule(dir: &str) -> String {
    format!("{dir}schedule.pdf")
}

/// The file that serves a directory URL.
pub(crate) fn index_file(dir: &str) -> String {
    format!("{dir}index.html")
}

/// A `tel:` URI for a dial-in string such as `+1 312 555 0100,,123456789#`.
pub(crate) fn tel(phone: &str) -> String {
    let mut out = String::from("tel:");
    for ch in phone.chars() {
        match ch {
            '0'..='9' | '+' | ',' | '*' | ';' | 'p' | 'w' => out.push(ch),
            '#' => out.push_str("%23"),
            _ => {}
        }
    }
    out
}
