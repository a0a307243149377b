//! Benchmark of `lantern serve`'s incremental rebuild (BENCHMARKS.md, "Serve: incremental
//! rebuild"). On a site made by `gen_site`:
//!
//! ```text
//! cargo run --release --example gen_site -- 10000 /tmp/big
//! cargo build --release
//! cargo run --release --example bench_serve -- /tmp/big target/release/lantern
//! ```
//!
//! 1. In process: time `Rebuilder::rebuild` after one meeting file changed (re-parse, validate,
//!    diff, re-render the pages, merge): "from the change event to the rebuilt pages being
//!    ready"; then, reported as a stage, the whole-site feeds that follow the reload.
//! 2. End to end: run `lantern serve`, listen to its live-reload event stream, save a meeting
//!    file and time until the reload event arrives (file watcher, 20 ms debounce, rebuild, SSE).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use lantern::serve::rebuild::Rebuilder;

// The binary's allocator, so the in-process times are the ones `lantern serve` has.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 21;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(
        args.next()
            .ok_or("usage: bench_serve SITE [LANTERN_BINARY]")?,
    );
    let binary = args.next();
    // RUNS meeting files spread over the site, in a fixed order.
    let mut all: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content/meetings"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .map(|e| e.into_path())
        .collect();
    all.sort();
    let step = (all.len() / RUNS).max(1);
    let files: Vec<PathBuf> = all.into_iter().step_by(step).take(RUNS).collect();
    let originals: Vec<String> = files
        .iter()
        .map(std::fs::read_to_string)
        .collect::<Result<_, _>>()?;

    let mut r = Rebuilder::new(&root, "http://127.0.0.1:1111/");
    let t = Instant::now();
    let first = r.rebuild(&[]).map_err(|d| d.to_string())?;
    r.rebuild_feeds().map_err(|d| d.to_string())?;
    println!(
        "full build in memory: {} meetings, {} files, {} ms",
        first.meetings,
        r.files().len(),
        t.elapsed().as_millis()
    );
    let mut times = Vec::new();
    let mut stage_times = Vec::new();
    let mut rendered = 0;
    let cpu_before = cpu_ticks();
    for (round, (f, text)) in files.iter().zip(&originals).enumerate() {
        std::fs::write(f, edit(text, &format!("Edited {round}")))?;
        let t = Instant::now();
        let done = r
            .rebuild(std::slice::from_ref(f))
            .map_err(|d| d.to_string())?;
        times.push(t.elapsed());
        rendered = done.rendered;
        let mut stages = done.stages;
        // The feeds follow the pages (serve reloads open pages in between).
        let feeds = r.rebuild_feeds().map_err(|d| d.to_string())?;
        stages.push(("feeds after reload", feeds.unwrap_or_default()));
        stage_times.push(stages);
        assert!(
            !done.full,
            "an edit of one meeting must not render the whole site"
        );
    }
    println!(
        "incremental rebuild after editing one meeting: median {:.1} ms (min {:.1}, max {:.1}; {} runs, {} outputs rendered of {})",
        ms(median(&mut times)),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len(),
        rendered,
        r.files().len()
    );
    if let (Some(a), Some(b)) = (cpu_before, cpu_ticks()) {
        // /proc/self/stat counts in clock ticks of 10 ms (CLK_TCK 100 on Linux).
        println!(
            "  CPU time (all threads, user+system) per rebuild: {:.1} ms",
            (b - a) as f64 * 10.0 / times.len() as f64
        );
    }
    let names: Vec<&str> = stage_times[0].iter().map(|(n, _)| *n).collect();
    let medians: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut v: Vec<Duration> = stage_times.iter().map(|s| s[i].1).collect();
            format!("{n} {:.1}", ms(median(&mut v)))
        })
        .collect();
    println!("  median per stage (ms): {}", medians.join(", "));
    for (f, text) in files.iter().zip(&originals) {
        std::fs::write(f, text)?;
    }

    if let Some(bin) = binary {
        end_to_end(Path::new(&bin), &root, &files, &originals)?;
    }
    Ok(())
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn end_to_end(
    bin: &Path,
    root: &Path,
    files: &[PathBuf],
    originals: &[String],
) -> Result<(), Box<dyn std::error::Error>> {
    let mut child = Server(
        Command::new(bin)
            .args(["serve", "--port", "0", "--site"])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?,
    );
    let out = child.0.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(out).lines();
    let url = loop {
        let line = lines.next().ok_or("serve exited")??;
        if let Some(u) = line.strip_prefix("Serving the site at ") {
            break u.trim().to_string();
        }
    };
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut sse = TcpStream::connect(&addr)?;
    write!(
        sse,
        "GET /__lantern/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )?;
    sse.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut events = BufReader::new(sse);
    let next_build = |events: &mut BufReader<TcpStream>| -> Result<(), Box<dyn std::error::Error>> {
        let mut line = String::new();
        loop {
            line.clear();
            if events.read_line(&mut line)? == 0 {
                return Err("event stream closed".into());
            }
            if line.starts_with("data:") {
                return Ok(());
            }
        }
    };
    next_build(&mut events)?;
    let mut times = Vec::new();
    for (round, (f, text)) in files.iter().zip(originals).enumerate() {
        // Let the previous save finish (its feeds render after the reload, ~0.25 s at this
        // size) so each save is its own burst, and drop any late event of the previous save
        // (a second batch when a save's events straddle the debounce).
        std::thread::sleep(Duration::from_millis(600));
        drain(&mut events)?;
        let t = Instant::now();
        std::fs::write(f, edit(text, &format!("Saved {round}")))?;
        next_build(&mut events)?;
        times.push(t.elapsed());
    }
    for (f, text) in files.iter().zip(originals) {
        std::fs::write(f, text)?;
    }
    println!(
        "save to reload event (watcher + 20 ms debounce + rebuild + SSE): median {:.1} ms (min {:.1}, max {:.1}; {} runs)",
        ms(median(&mut times)),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
    drop(lines);
    Ok(())
}

/// Reads whatever events are already waiting.
fn drain(events: &mut BufReader<TcpStream>) -> Result<(), Box<dyn std::error::Error>> {
    events
        .get_ref()
        .set_read_timeout(Some(Duration::from_millis(30)))?;
    let mut line = String::new();
    loop {
        line.clear();
        match events.read_line(&mut line) {
            Ok(0) => return Err("event stream closed".into()),
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                break;
            }
            Err(e) => return Err(e.into()),
        }
    }
    events
        .get_ref()
        .set_read_timeout(Some(Duration::from_secs(30)))?;
    Ok(())
}

/// This process's user + system CPU time in clock ticks, from /proc/self/stat (Linux).
fn cpu_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// Renames the file's (first) meeting: its page, list entry and every list it is on change.
fn edit(text: &str, tag: &str) -> String {
    text.replacen("name: ", &format!("name: {tag} "), 1)
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
