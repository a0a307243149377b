//! Reading the 12 Step Meeting List plugin's CSV export (the layout of its `template.csv`).
//!
//! Column names are plain-language versions of the Meeting Guide keys (`End Time` is
//! `end_time`), so each row becomes a Meeting Guide-shaped object: `Address` is the whole
//! address, `Day` a weekday name, `Time` a 12- or 24-hour time, `Types` type names (or codes)
//! separated by commas. A meeting on several days is one row per day.

use serde_json::{Map, Value};

use super::Parsed;
use super::common::{Reader, TypeMapper};
use crate::render::i18n::capitalised;

pub(crate) fn parse(text: &str) -> Result<Parsed, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| format!("cannot read the header row: {e}"))?
        .iter()
        .map(key)
        .collect();
    for needed in ["name", "day", "time"] {
        if !headers.iter().any(|h| h == needed) {
            return Err(format!(
                "the header row has no `{}` column (found: {})",
                capitalised(needed),
                headers.join(", ")
            ));
        }
    }
    let mut parsed = Parsed::default();
    let types = TypeMapper::default();
    let mut r = Reader {
        types: &types,
        type_names: true,
        parsed: &mut parsed,
    };
    for (i, row) in rdr.records().enumerate() {
        // Row 1 is the header.
        let origin = format!("row {}", i + 2);
        let row = row.map_err(|e| format!("{origin}: {e}"))?;
        if row.iter().all(|c| c.is_empty()) {
            continue;
        }
        let mut obj = Map::new();
        for (h, v) in headers.iter().zip(row.iter()) {
            if v.is_empty() || h.is_empty() {
                continue;
            }
            let field = match h.as_str() {
                // The plugin's `Address` column holds the whole address.
                "address" if !headers.iter().any(|x| x == "city") => "formatted_address",
                "email" => "contact_1_email",
                "regions" => {
                    let parts: Vec<Value> = v
                        .split('>')
                        .map(|s| Value::from(s.trim()))
                        .filter(|s| s.as_str().is_some_and(|s| !s.is_empty()))
                        .collect();
                    obj.insert("regions".into(), Value::Array(parts));
                    continue;
                }
                other => other,
            };
            obj.insert(field.to_string(), Value::from(v));
        }
        r.read(&origin, &obj);
    }
    Ok(parsed)
}

/// `End Time` -> `end_time`.
fn key(header: &str) -> String {
    header
        .trim()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("_")
}
