//! `lantern serve`: build the site in memory, serve it on loopback, rebuild on every change
//! and reload the open pages.
//!
//! Three parts: `rebuild` (the incremental build, keeping the last good site), `http` (the
//! server, live-reload events and the error overlay) and `watch` (debounced file events). The
//! main thread waits for changes and rebuilds; request threads only read the current snapshot.

pub(crate) mod http;
pub mod rebuild;
pub(crate) mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::diagnostics::{Diagnostics, Error, display_path};
use http::Shared;
use rebuild::Rebuilder;

/// Validated options of `lantern serve`.
#[derive(Clone, Debug)]
pub(crate) struct ServeOptions {
    pub(crate) site: PathBuf,
    pub(crate) bind: IpAddr,
    /// 0 picks a free port.
    pub(crate) port: u16,
    pub(crate) open: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            site: PathBuf::from("."),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            open: false,
        }
    }
}

/// Serves the site until the process is stopped (Ctrl+C).
pub(crate) fn run(opts: &ServeOptions) -> Result<(), Error> {
    let server = tiny_http::Server::http(SocketAddr::new(opts.bind, opts.port)).map_err(|e| {
        Error::hinted(
            format!("cannot listen on {}: {e}", SocketAddr::new(opts.bind, opts.port)),
            format!(
                "another program may use port {}; pick another with --port, or --port 0 for any free one",
                opts.port
            ),
        )
    })?;
    let port = server.server_addr().to_ip().map_or(opts.port, |a| a.port());
    let url = local_url(opts.bind, port);

    let mut watcher = watch::Watcher::new(&opts.site)?;
    let mut rebuilder = Rebuilder::new(&opts.site, &url);
    let start = Instant::now();
    let first = rebuilder.rebuild(&[]).and_then(|done| {
        rebuilder.rebuild_feeds()?;
        Ok(done)
    });
    let error = match &first {
        Ok(done) => {
            println!(
                "Built {} meetings: {} files in {} ms",
                done.meetings,
                rebuilder.files().len(),
                start.elapsed().as_millis()
            );
            None
        }
        Err(d) => Some(report(d)),
    };
    let shared = Arc::new(Shared::new(
        rebuilder.files(),
        error,
        rebuilder.feed_paths(),
    ));
    {
        let shared = shared.clone();
        std::thread::spawn(move || http::serve(server, shared));
    }

    println!("Serving the site at {url}");
    if !opts.bind.is_loopback() {
        println!(
            "  (listening on {}: other devices on your network can see it)",
            opts.bind
        );
    }
    println!(
        "Watching {}/content and {}/themes; press Ctrl+C to stop.",
        display_path(&opts.site),
        display_path(&opts.site)
    );
    if opts.open
        && let Err(e) = opener::open_browser(&url)
    {
        println!("Could not open a browser ({e}); open {url} yourself.");
    }

    while let Some(batch) = watcher.next_batch() {
        let started = Instant::now();
        let paths = if batch.rescan {
            Vec::new()
        } else {
            batch.paths
        };
        match guarded(&mut rebuilder, &opts.site, &url, |r| r.rebuild(&paths)) {
            Ok(done) if done.unchanged => {}
            Ok(done) => {
                let was_broken = shared.snapshot().error.is_some();
                // Pages first, so open pages reload at once; the feeds follow.
                let pages = shared.publish(rebuilder.files(), None, false);
                if was_broken {
                    println!("Fixed: the site builds again.");
                }
                println!(
                    "Rebuilt in {} ms: {} of {} files rendered{}, {} open page{} reloaded",
                    started.elapsed().as_millis(),
                    done.rendered,
                    done.files,
                    if done.full { " (full)" } else { "" },
                    pages,
                    if pages == 1 { "" } else { "s" },
                );
            }
            Err(d) => {
                let text = report(&d);
                shared.publish(rebuilder.files(), Some(text), true);
            }
        }
        // The feeds of the last good build, unless more changes are already waiting: then
        // those go first, and the feeds follow the last of them.
        if !watcher.has_batch() {
            match guarded(&mut rebuilder, &opts.site, &url, Rebuilder::rebuild_feeds) {
                Ok(Some(_)) => shared.publish_feeds(rebuilder.files(), rebuilder.feed_paths()),
                Ok(None) => {}
                Err(d) => {
                    let text = report(&d);
                    shared.publish(rebuilder.files(), Some(text), true);
                }
            }
        }
    }
    Err(Error::Other("the file watcher stopped".into()))
}

/// Runs one rebuild step so that a bug in Lantern (a panic) cannot take the server down: the
/// last good site stays served, the problem is shown like any other, and the next change
/// rebuilds from scratch with a fresh rebuilder (the old one may be half-updated).
fn guarded<T>(
    rebuilder: &mut Rebuilder,
    site: &std::path::Path,
    url: &str,
    step: impl FnOnce(&mut Rebuilder) -> Result<T, Diagnostics>,
) -> Result<T, Diagnostics> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| step(rebuilder))) {
        Ok(result) => result,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let files = rebuilder.files();
            *rebuilder = Rebuilder::new(site, url);
            rebuilder.keep_serving(files);
            Err(Diagnostics(vec![
                crate::diagnostics::Diagnostic::new(
                    "(lantern)",
                    crate::diagnostics::Pos::default(),
                    format!("internal error while rebuilding: {what}"),
                )
                .with_hint(
                    "this is a bug in Lantern, not in your files; please report it with the file you last saved. The last good version is still served",
                ),
            ]))
        }
    }
}

/// Prints problems as `lantern check` does and returns the same text for the overlay.
fn report(d: &Diagnostics) -> String {
    let text = format!("{d}error: {}", d.summary());
    eprintln!("{text}; still serving the last good version");
    text
}

/// The URL to open: the bound address, or loopback when bound to every interface.
fn local_url(bind: IpAddr, port: u16) -> String {
    let host = if bind.is_unspecified() {
        match bind {
            IpAddr::V4(_) => "127.0.0.1".to_string(),
            IpAddr::V6(_) => "[::1]".to_string(),
        }
    } else {
        match bind {
            IpAddr::V4(a) => a.to_string(),
            IpAddr::V6(a) => format!("[{a}]"),
        }
    };
    format!("http://{host}:{port}/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Body;
    use rebuild::Files;

    #[test]
    fn a_panicking_rebuild_keeps_the_last_good_site_and_reports_a_bug() {
        let site = std::path::Path::new("no-such-site");
        let mut rebuilder = Rebuilder::new(site, "http://127.0.0.1:1/");
        let mut files = Files::new();
        files.insert("index.html".into(), Arc::new(Body::Bytes(b"good".to_vec())));
        rebuilder.keep_serving(Arc::new(files));
        let outcome: Result<(), Diagnostics> =
            guarded(&mut rebuilder, site, "http://127.0.0.1:1/", |_| {
                panic!("index out of range")
            });
        let problems = outcome.expect_err("a panic is reported as a problem");
        let text = problems.to_string();
        assert!(
            text.contains("internal error while rebuilding: index out of range"),
            "{text}"
        );
        assert!(text.contains("bug in Lantern"), "{text}");
        assert!(rebuilder.files().contains_key("index.html"));
    }
}
