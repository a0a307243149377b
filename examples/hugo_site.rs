//! Writes a Hugo site with the same meetings as a Lantern site, for the side-by-side benchmark
//! in `scripts/bench` (Hugo is what a group would pick instead of Lantern).
//!
//! cargo run --release --example hugo_site -- /dev/shm/site-10k /dev/shm/hugo-10k
//!
//! The meetings are read through Lantern's own loader, so both tools get exactly the same data.
//! The Hugo side is what a careful Hugo user would write for a meeting list, kept minimal: one
//! page per meeting (name, days, time, place, address, online link, types, region, notes as
//! Markdown), a page per day, region, type and location listing its meetings (Hugo taxonomies),
//! the taxonomy indexes, and a home page linking the days. No feeds, no sitemap: Lantern writes
//! calendar feeds, the Meeting Guide JSON, a CSV and a sitemap on top, which Hugo is spared.

use std::fs;
use std::path::Path;

use lantern::model::schedule::day_key;
use serde_json::json;

const CONFIG: &str = r#"baseURL = "https://bench.example.org/"
title = "Synthetic Intergroup"
languageCode = "en"
disableKinds = ["rss", "sitemap", "robotsTXT"]
[taxonomies]
day = "days"
region = "regions"
type = "types"
location = "locations"
[markup.goldmark.renderer]
unsafe = false
"#;

const BASEOF: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"#;

const SINGLE: &str = r#"{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p>{{ delimit .Params.days ", " }} {{ .Params.time }}–{{ .Params.end_time }} ({{ .Params.timezone }})</p>
{{ with .Params.place }}<p>{{ . }}{{ with $.Params.address }}<br>{{ . }}{{ end }}</p>{{ end }}
{{ with .Params.online }}<p><a href="{{ . }}">Join online</a></p>{{ end }}
<ul>{{ range .GetTerms "types" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<p>{{ range .GetTerms "regions" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ .Content }}
</article>{{ end }}
"#;

const LIST: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1>
<p>{{ len .Pages }} meetings</p>
<ul>{{ range .Pages.ByParam "minute" }}<li><a href="{{ .RelPermalink }}">{{ .Params.time }} {{ .Title }}</a>{{ with .Params.place }} · {{ . }}{{ end }}</li>{{ end }}</ul>
{{ end }}
"#;

const TERMS: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
"#;

const HOME: &str = r#"{{ define "main" }}<h1>{{ .Site.Title }}</h1>
<ul>{{ range .Site.Taxonomies.days.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(from), Some(to)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: hugo_site <lantern-site> <hugo-site>");
        std::process::exit(2);
    };
    let site = lantern::build::load_site(Path::new(from), None).map_err(|e| e.to_string())?;
    let root = Path::new(to);
    if root.exists() {
        fs::remove_dir_all(root)?;
    }
    let layouts = root.join("layouts/_default");
    fs::create_dir_all(&layouts)?;
    fs::write(root.join("hugo.toml"), CONFIG)?;
    fs::write(layouts.join("baseof.html"), BASEOF)?;
    fs::write(layouts.join("single.html"), SINGLE)?;
    fs::write(layouts.join("list.html"), LIST)?;
    fs::write(layouts.join("terms.html"), TERMS)?;
    fs::write(root.join("layouts/index.html"), HOME)?;
    let dir = root.join("content/meetings");
    fs::create_dir_all(&dir)?;
    for m in &site.meetings {
        let place = site.place_of(m);
        let front = json!({
            "title": m.name,
            "days": m.days.iter().map(|d| day_key(*d)).collect::<Vec<_>>(),
            "time": m.time.format("%H:%M").to_string(),
            "minute": m.time.format("%H%M").to_string(),
            "end_time": m.end_time.format("%H:%M").to_string(),
            "timezone": m.timezone.name(),
            "types": m.types,
            "regions": m.region,
            "locations": place.map(|l| vec![l.name.clone()]).unwrap_or_default(),
            "place": place.map(|l| l.name.clone()),
            "address": place.map(|l| l.formatted_address()),
            "online": m.online.as_ref().and_then(|o| o.url.clone()),
        });
        // JSON front matter: no quoting rules to get wrong.
        let text = format!(
            "{}\n\n{}\n",
            serde_json::to_string_pretty(&front)?,
            m.notes.as_deref().unwrap_or_default()
        );
        fs::write(dir.join(format!("{}.md", m.slug)), text)?;
    }
    println!(
        "wrote {} meetings as a Hugo site to {}",
        site.meetings.len(),
        root.display()
    );
    Ok(())
}
