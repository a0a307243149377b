//! The public URL layout. Calendar subscriptions and links depend on it: keep it stable.

use chrono::Weekday;

use crate::model::schedule::day_key;

pub fn meeting(slug: &str) -> String {
    format!("meetings/{slug}/")
}

pub fn day(d: Weekday) -> String {
    format!("days/{}/", day_key(d))
}

pub fn region(path: &str) -> String {
    format!("regions/{path}/")
}

pub fn location(slug: &str) -> String {
    format!("locations/{slug}/")
}

pub fn type_page(slug: &str) -> String {
    format!("types/{slug}/")
}

pub fn page(path: &str) -> String {
    format!("{path}/")
}

/// The file that serves a directory URL.
pub fn index_file(dir: &str) -> String {
    format!("{dir}index.html")
}
