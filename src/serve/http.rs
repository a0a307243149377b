//! The HTTP side of `lantern serve` (on `tiny_http`): the built site from memory with the same
//! URLs as the static output, the live-reload event stream, and the error overlay.
//!
//! Pages get a small script (serve mode only) that listens to `/__lantern/events` and reloads
//! when a newer build is ready. While the site is broken every page also gets an overlay with
//! the problems, rendered on the server so it shows even without JavaScript.

use std::collections::HashSet;
use std::io::{Cursor, Write};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use percent_encoding::percent_decode_str;
use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::rebuild::Files;
use crate::render::Body;

/// The path of the live-reload event stream.
pub(crate) const EVENTS_PATH: &str = "/__lantern/events";

/// What is being served: the last good files, and the problems while the site is broken.
pub(crate) struct Snapshot {
    pub(crate) files: Arc<Files>,
    /// `lantern check`-style text of the current problems.
    pub(crate) error: Option<String>,
    /// Counts builds (good or broken); pages reload when it moves past theirs.
    pub(crate) generation: u64,
    /// Paths of the whole-site feeds, which are rendered just after the pages: requests for
    /// them wait while `feeds_ready` is false rather than get the previous build's.
    pub(crate) feeds: Arc<HashSet<String>>,
    pub(crate) feeds_ready: bool,
}

/// State shared by the builder and the request threads.
pub(crate) struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    listeners: Mutex<Vec<Sender<u64>>>,
    /// Signalled when the feeds catch up with the pages.
    feeds_done: (Mutex<()>, Condvar),
}

impl Shared {
    pub(crate) fn new(
        files: Arc<Files>,
        error: Option<String>,
        feeds: Arc<HashSet<String>>,
    ) -> Self {
        Shared {
            snapshot: RwLock::new(Arc::new(Snapshot {
                files,
                error,
                generation: 1,
                feeds,
                feeds_ready: true,
            })),
            listeners: Mutex::new(Vec::new()),
            feeds_done: (Mutex::new(()), Condvar::new()),
        }
    }

    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Serves a new build and tells every open page to reload. `feeds_ready` is false when
    /// the feeds follow ([`Shared::publish_feeds`]). Returns how many pages were told.
    pub(crate) fn publish(
        &self,
        files: Arc<Files>,
        error: Option<String>,
        feeds_ready: bool,
    ) -> usize {
        let generation = {
            let mut guard = match self.snapshot.write() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            let generation = guard.generation + 1;
            *guard = Arc::new(Snapshot {
                files,
                error,
                generation,
                feeds: guard.feeds.clone(),
                feeds_ready,
            });
            generation
        };
        let mut listeners = match self.listeners.lock() {
            Ok(l) => l,
            Err(poisoned) => poisoned.into_inner(),
        };
        listeners.retain(|tx| tx.send(generation).is_ok());
        listeners.len()
    }

    /// Serves the build with its feeds rendered, without reloading pages again.
    pub(crate) fn publish_feeds(&self, files: Arc<Files>, feeds: Arc<HashSet<String>>) {
        {
            let mut guard = match self.snapshot.write() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            *guard = Arc::new(Snapshot {
                files,
                error: guard.error.clone(),
                generation: guard.generation,
                feeds,
                feeds_ready: true,
            });
        }
        let _lock = self.feeds_done.0.lock();
        self.feeds_done.1.notify_all();
    }

    /// The snapshot to answer `path` from: for a feed that is being rendered, the one with
    /// the feeds (waiting up to 10 s).
    fn snapshot_for(&self, path: &str) -> Arc<Snapshot> {
        let snap = self.snapshot();
        if snap.feeds_ready || !snap.feeds.contains(path) {
            return snap;
        }
        let guard = match self.feeds_done.0.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let _ = self
            .feeds_done
            .1
            .wait_timeout_while(guard, Duration::from_secs(10), |_| {
                !self.snapshot().feeds_ready
            });
        self.snapshot()
    }

    fn listen(&self) -> Receiver<u64> {
        let (tx, rx) = mpsc::channel();
        match self.listeners.lock() {
            Ok(mut l) => l.push(tx),
            Err(poisoned) => poisoned.into_inner().push(tx),
        }
        rx
    }
}

/// Answers requests until the server is dropped, one thread per request (the event stream
/// holds its connection open).
pub(crate) fn serve(server: tiny_http::Server, shared: Arc<Shared>) {
    for request in server.incoming_requests() {
        let shared = shared.clone();
        std::thread::spawn(move || handle(request, &shared));
    }
}

fn handle(request: Request, shared: &Shared) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(plain(405, "Only GET and HEAD are served.\n"));
        return;
    }
    let raw_path = request.url().split(['?', '#']).next().unwrap_or("/");
    if raw_path == EVENTS_PATH {
        events(request, shared);
        return;
    }
    let Some(path) = clean_path(raw_path) else {
        let _ = request.respond(plain(400, "Bad request: that path is outside the site.\n"));
        return;
    };
    let snap = shared.snapshot_for(&path);
    // For HEAD, tiny_http sends the headers (Content-Length included) and leaves the body out.
    let response = resolve(&snap, &path, raw_path);
    let _ = request.respond(response);
}

type Reply = Response<Cursor<Vec<u8>>>;

/// Finds the file for a URL path the way static hosts do: `dir/` serves `dir/index.html`,
/// `dir` redirects to `dir/`, misses get `404.html` with status 404.
fn resolve(snap: &Snapshot, path: &str, raw_path: &str) -> Reply {
    let key = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    if let Some(body) = snap.files.get(key.as_str())
        && let Some(bytes) = read(body)
    {
        return file(snap, 200, &key, bytes);
    }
    if !path.is_empty()
        && !path.ends_with('/')
        && snap
            .files
            .contains_key(format!("{path}/index.html").as_str())
    {
        let location = format!("{raw_path}/");
        return with_header(
            plain(301, "Moved to the folder's address.\n"),
            "Location",
            &location,
        );
    }
    if let Some(bytes) = snap.files.get("404.html").and_then(|b| read(b)) {
        return file(snap, 404, "404.html", bytes);
    }
    if snap.error.is_some() {
        let page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Lantern: the site has problems</title></head><body><h1>The site could not be built yet</h1></body></html>";
        return file(snap, 500, "index.html", page.as_bytes().to_vec());
    }
    plain(404, "Not found.\n")
}

fn read(body: &Body) -> Option<Vec<u8>> {
    body.to_bytes().ok()
}

fn file(snap: &Snapshot, status: u16, path: &str, mut bytes: Vec<u8>) -> Reply {
    let kind = content_type(path);
    if kind.starts_with("text/html") {
        bytes = inject(bytes, snap);
    }
    let r = Response::from_data(bytes).with_status_code(StatusCode(status));
    with_header(
        with_header(typed(r, kind), "Cache-Control", "no-store"),
        "X-Content-Type-Options",
        "nosniff",
    )
}

fn plain(status: u16, text: &str) -> Reply {
    let r = Response::from_data(text.as_bytes().to_vec()).with_status_code(StatusCode(status));
    with_header(
        typed(r, "text/plain; charset=utf-8"),
        "X-Content-Type-Options",
        "nosniff",
    )
}

/// Sets the Content-Type (tiny_http would otherwise add its own default beside it).
fn typed(r: Reply, kind: &str) -> Reply {
    with_header(r, "Content-Type", kind)
}

/// Adds a header; tiny_http refuses only non-ASCII values, which are left out.
fn with_header(r: Reply, name: &str, value: &str) -> Reply {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(h) => r.with_header(h),
        Err(()) => r,
    }
}

/// The URL path without its leading `/`, percent-decoded, or `None` when it could leave the
/// output folder (`..`, backslashes, NUL, a drive or absolute path once decoded).
pub(crate) fn clean_path(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix('/')?;
    let decoded = percent_decode_str(rest).decode_utf8().ok()?;
    if decoded.contains('\\') || decoded.contains('\0') || decoded.contains(':') {
        return None;
    }
    let mut parts = Vec::new();
    let segments: Vec<&str> = decoded.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            ".." | "." => return None,
            "" if i + 1 < segments.len() => return None,
            _ => parts.push(*seg),
        }
    }
    Some(parts.join("/"))
}

/// The Content-Type for an output file, by extension.
pub(crate) fn content_type(path: &str) -> &'static str {
    let ext = Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// Adds the live-reload script, and the error overlay while the site is broken, before
/// `</body>` (or at the end of a page without one).
fn inject(page: Vec<u8>, snap: &Snapshot) -> Vec<u8> {
    let mut extra = String::new();
    if let Some(error) = &snap.error {
        extra.push_str(&overlay(error));
    }
    extra.push_str(&format!(
        "<script>/* lantern serve: live reload */(function(){{if(!window.EventSource)return;var g={gen};var s=new EventSource(\"{EVENTS_PATH}\");s.addEventListener(\"build\",function(e){{if(Number(e.data)!==g){{s.close();location.reload();}}}});}})();</script>",
        gen = snap.generation
    ));
    let at = find_last_ci(&page, b"</body>").unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + extra.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

/// The error panel: fixed on top of the page, announced to screen readers.
pub(crate) fn overlay(error: &str) -> String {
    let mut escaped = Vec::new();
    let _ = tera::escape_html(error, &mut escaped);
    format!(
        "<div id=\"lantern-errors\" role=\"alert\" style=\"position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem;background:#fff4f4;color:#5a0000;border-top:4px solid #b00020;font:15px/1.45 ui-monospace,Menlo,Consolas,monospace;box-shadow:0 -2px 12px rgba(0,0,0,.35)\"><strong>Lantern: the site has problems. You are seeing the last good version; fix these and save:</strong><pre style=\"white-space:pre-wrap;margin:.5rem 0 0;font:inherit\">{}</pre></div>",
        String::from_utf8_lossy(&escaped)
    )
}

fn find_last_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// The server-sent event stream: the current build number at once, then every new one, and
/// a comment now and then so a closed tab is noticed and its thread ends.
fn events(request: Request, shared: &Shared) {
    let rx = shared.listen();
    let generation = shared.snapshot().generation;
    let mut w = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\nX-Accel-Buffering: no\r\n\r\n";
    if write!(
        w,
        "{head}retry: 500\n\nevent: build\ndata: {generation}\n\n"
    )
    .and_then(|()| w.flush())
    .is_err()
    {
        return;
    }
    loop {
        let msg = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(g) => format!("event: build\ndata: {g}\n\n"),
            Err(RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if w.write_all(msg.as_bytes())
            .and_then(|()| w.flush())
            .is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_site_are_refused() {
        assert_eq!(clean_path("/").as_deref(), Some(""));
        assert_eq!(clean_path("/meetings/x/").as_deref(), Some("meetings/x/"));
        assert_eq!(clean_path("/a%20b.css").as_deref(), Some("a b.css"));
        for bad in [
            "/../etc/passwd",
            "/meetings/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fx",
            "/..%2fx",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "//etc/passwd",
            "/./x",
            "/c:/windows",
            "/a%00b",
            "relative",
        ] {
            assert_eq!(clean_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn types_by_extension() {
        assert_eq!(content_type("calendar.ics"), "text/calendar; charset=utf-8");
        assert_eq!(content_type("meetings.json"), "application/json");
        assert_eq!(content_type("meetings.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("assets/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("logo.SVG"), "image/svg+xml");
    }

    #[test]
    fn injects_before_the_last_body_end() {
        let snap = Snapshot {
            files: Arc::new(Files::new()),
            error: Some("content/a.yaml:1:2: bad <thing>".into()),
            generation: 7,
            feeds: Arc::new(HashSet::new()),
            feeds_ready: true,
        };
        let out = String::from_utf8(inject(b"<p>x</p></BODY></html>".to_vec(), &snap)).unwrap();
        assert!(out.starts_with("<p>x</p><div id=\"lantern-errors\" role=\"alert\""));
        assert!(out.contains("content/a.yaml:1:2: bad &lt;thing&gt;"));
        assert!(out.contains("var g=7;"));
        assert!(out.ends_with("</script></BODY></html>"));
    }
}
