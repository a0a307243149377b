//! The finder's index (`find/index.json`) and pages, on the fixture whose answers the browser
//! tests in `tests/browser/` also rely on.

use crate::common::{build, fixture};

fn index() -> serde_json::Value {
    let site = build(&fixture("finder", "known"));
    serde_json::from_str(&site.read("find/index.json")).expect("index is JSON")
}

fn row<'a>(ix: &'a serde_json::Value, slug: &str) -> &'a serde_json::Value {
    ix["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m[0] == slug)
        .unwrap_or_else(|| panic!("{slug} missing"))
}

#[test]
fn index_has_every_meeting_in_compact_rows() {
    let ix = index();
    assert_eq!(ix["v"], 1);
    assert_eq!(ix["meetings"].as_array().unwrap().len(), 11);
    assert_eq!(
        ix["zones"],
        serde_json::json!(["America/Chicago", "Europe/London"])
    );

    let london = row(&ix, "sat-london");
    assert_eq!(london[1], "London Calling");
    assert_eq!(london[6], serde_json::json!([6]), "Saturday is day 6");
    assert_eq!(london[7], 600, "10:00 is minute 600");
    assert_eq!(london[9], 1, "Europe/London is the second zone");
    assert_eq!(london[10], 1, "online");
    assert_eq!(london[3], -1, "no location");

    let multi = row(&ix, "multi");
    assert_eq!(multi[6], serde_json::json!([1, 3, 5]));
    let loc = &ix["locations"][multi[3].as_u64().unwrap() as usize];
    assert_eq!(loc[0], "North Church");
    assert_eq!(loc[2], "Springfield");
    assert_eq!(loc[3], 39.84);

    assert_eq!(row(&ix, "tue-evening")[10], 2, "hybrid");
    assert_eq!(row(&ix, "thu-closed")[12], 1, "temporarily closed");
    // Notes are plain text, not Markdown or HTML.
    assert_eq!(row(&ix, "wed-night")[4], "We read “How It Works” together.");

    // Regions in tree order with their parent and URL key.
    let regions = ix["regions"].as_array().unwrap();
    let northside = regions.iter().position(|r| r[1] == "northside").unwrap();
    let springfield = regions.iter().position(|r| r[1] == "springfield").unwrap();
    assert_eq!(regions[northside][2], springfield);
    assert_eq!(row(&ix, "mon-noon")[11], northside);
    // Two regions share the name Downtown, so their keys are their whole paths.
    let keys: Vec<&str> = regions.iter().filter_map(|r| r[1].as_str()).collect();
    assert!(
        keys.contains(&"sangamon-county--springfield--downtown"),
        "{keys:?}"
    );
    assert!(
        keys.contains(&"peoria-county--peoria--downtown"),
        "{keys:?}"
    );
    assert!(!keys.contains(&"downtown"), "{keys:?}");
}

#[test]
fn home_and_find_pages_carry_the_finder_and_still_list_meetings() {
    let site = build(&fixture("finder", "known"));
    for page in ["index.html", "find/index.html"] {
        let html = site.read(page);
        // The form is there from the first paint (CSS hides it where scripting is off), so
        // nothing moves when the script arrives.
        assert!(html.contains("data-finder>"), "{page}");
        assert!(!html.contains("data-finder hidden"), "{page}");
        assert!(html.contains("/assets/finder.js"), "{page}");
        assert!(html.contains(r#"<option value="northside">"#), "{page}");
        assert!(html.contains(r#"value="in-person""#), "{page}");
        // The script settings are one JSON block that ends where its script element does.
        let marker = r#"id="finder-config">"#;
        let start = html.find(marker).expect("config") + marker.len();
        let len = html[start..].find("</script>").expect("end of config");
        let config: serde_json::Value =
            serde_json::from_str(&html[start..start + len]).expect("config is JSON");
        assert_eq!(config["index"], "/find/index.json");
        assert_eq!(config["strings"]["finder_today"], "Today");
    }
    // Without JavaScript the home page still lists every meeting.
    let home = site.read("index.html");
    for slug in ["mon-morning", "sat-london", "thu-closed", "multi"] {
        assert!(home.contains(&format!("/meetings/{slug}/")), "{slug}");
    }
    assert!(site.read("sitemap.xml").contains("/find/</loc>"));
}

#[test]
fn the_type_index_explains_every_type_the_example_uses() {
    let site = build(&crate::common::repo());
    let html = site.read("types/index.html");
    assert!(html.matches("<dt>").count() > 20);
    assert!(!html.contains("<dd></dd>"), "a type without an explanation");
    assert!(html.contains("Anyone may attend"), "Open is explained");
}
