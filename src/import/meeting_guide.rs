//! Reading a saved Meeting Guide feed (`meetings.json`): a JSON array of meeting objects.

use serde_json::Value;

use super::Parsed;
use super::common::{Reader, TypeMapper};

pub(crate) fn parse(text: &str) -> Result<Parsed, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Array(items) = v else {
        return Err("the feed must be a JSON array of meetings ([{...}, ...])".into());
    };
    let mut parsed = Parsed::default();
    let types = TypeMapper::default();
    let mut r = Reader {
        types: &types,
        type_names: false,
        parsed: &mut parsed,
    };
    for (i, item) in items.iter().enumerate() {
        let origin = format!("meeting {}", i + 1);
        match item {
            Value::Object(obj) => r.read(&origin, obj),
            other => r.parsed.notes.push(super::Note {
                origin,
                message: format!(
                    "not a meeting object ({}): skipped",
                    super::common::short(other)
                ),
            }),
        }
    }
    Ok(parsed)
}
