//! Seeded mutation fuzz of the loader and validator, run by `scripts/test`.
//!
//! Takes the bundled example's records (content/site.yaml, every location and meeting),
//! breaks one file at a time the ways editors and attackers do (cut bytes, stray quotes,
//! colons, tabs, brackets, anchors and tags, multi-byte characters in times, control
//! escapes, lines duplicated, dropped or swapped, values of the wrong shape), and checks the
//! site each time. It fails when anything panics, or when the `lantern` binary, run on every
//! 25th mutation, exits with a code other than 0 (fine) or 1 (problems reported). The run is
//! repeatable: the same seed makes the same mutations. Reproduce with:
//!
//!     cargo run --example mutation_fuzz -- [--seed N] [--seconds S] [--site DIR] [--bin PATH]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// splitmix64: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[self.below(from.len())]
    }
}

/// Text that has broken Lantern or YAML readers before, or easily could.
const PIECES: &[&str] = &[
    "🕖",
    "7€",
    "€",
    "ä",
    "\u{200b}",
    "\u{202e}",
    ":",
    ": ",
    " #",
    "#",
    "\"",
    "'",
    "\t",
    "[",
    "]",
    "{",
    "}",
    "- ",
    "-",
    "&a ",
    "*a",
    "!!binary ",
    "!!str ",
    "<<: *a",
    "---\n",
    "...\n",
    "|\n",
    ">-\n",
    "\\0",
    "\\e",
    "\\x07",
    "\\u0000",
    "\n",
    "\n  ",
    "25:61",
    "24:00",
    "00:00",
    "-1",
    "99999999999999999999",
    "1e999",
    ".nan",
    "~",
    "null",
    "yes",
    "no",
    "[]",
    "{}",
    "\"\"",
    "monday",
    "[monday, monday, sunday]",
    "O",
    "[O, O]",
    "https://x.example/?a=1#b",
    "mailto:a@b",
    "=HYPERLINK(\"x\")",
    "../../etc/passwd",
    "/proc/self/environ",
    "<script>",
    "&amp;",
    "%00",
    "\u{feff}",
    "\r\n",
    "\r",
];

/// Values of the wrong shape for a field.
const SHAPES: &[&str] = &[
    "[a, b]", "{a: 1}", "- a\n- b", "\n  x: 1", "1", "true", "", "\"\"",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    for _ in 0..1 + rng.below(3) {
        let i = rng.below(lines.len());
        match rng.below(9) {
            // Insert a piece at a character boundary of a line.
            0 | 1 => {
                let line = &lines[i];
                let cuts: Vec<usize> = line
                    .char_indices()
                    .map(|(b, _)| b)
                    .chain([line.len()])
                    .collect();
                let at = *rng.pick(&cuts);
                let piece = *rng.pick(PIECES);
                lines[i] = format!("{}{piece}{}", &line[..at], &line[at..]);
            }
            // Replace a field's value.
            2 | 3 => {
                if let Some((key, _)) = lines[i].split_once(':') {
                    let value = if rng.below(2) == 0 {
                        *rng.pick(PIECES)
                    } else {
                        *rng.pick(SHAPES)
                    };
                    lines[i] = format!("{key}: {value}");
                }
            }
            4 => {
                lines.remove(i);
                if lines.is_empty() {
                    lines.push(String::new());
                }
            }
            5 => {
                let copy = lines[i].clone();
                lines.insert(i, copy);
            }
            6 => {
                let j = rng.below(lines.len());
                lines.swap(i, j);
            }
            // Cut the line short, at a character boundary.
            7 => {
                let n = lines[i].chars().count();
                let keep = rng.below(n + 1);
                lines[i] = lines[i].chars().take(keep).collect();
            }
            // Indent or dedent.
            _ => {
                lines[i] = match lines[i].strip_prefix("  ") {
                    Some(rest) => rest.to_string(),
                    None => format!("  {}", lines[i]),
                };
            }
        }
    }
    let mut out = lines.join("\n");
    if rng.below(4) != 0 {
        out.push('\n');
    }
    out
}

fn records(site: &Path) -> Vec<PathBuf> {
    let mut out = vec![site.join("content/site.yaml")];
    for dir in ["content/locations", "content/meetings"] {
        for e in walkdir::WalkDir::new(site.join(dir)).sort_by_file_name() {
            let Ok(e) = e else { continue };
            if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "yaml") {
                out.push(e.path().to_path_buf());
            }
        }
    }
    out
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    for e in walkdir::WalkDir::new(from) {
        let e = e?;
        let rel = e.path().strip_prefix(from).unwrap_or(e.path());
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest)?;
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &dest)?;
        }
    }
    Ok(())
}

struct Args {
    seed: u64,
    seconds: u64,
    site: PathBuf,
    bin: Option<PathBuf>,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        seed: 2026,
        seconds: 60,
        site: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        bin: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--seed" => a.seed = value.parse().map_err(|e| format!("--seed: {e}"))?,
            "--seconds" => a.seconds = value.parse().map_err(|e| format!("--seconds: {e}"))?,
            "--site" => a.site = PathBuf::from(value),
            "--bin" => a.bin = Some(PathBuf::from(value)),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

fn main() -> ExitCode {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("mutation_fuzz: {e}");
            return ExitCode::from(2);
        }
    };
    let work = match tempfile::tempdir() {
        Ok(w) => w,
        Err(e) => {
            eprintln!("mutation_fuzz: no temporary folder: {e}");
            return ExitCode::FAILURE;
        }
    };
    let site = work.path().join("site");
    if let Err(e) = copy_tree(&a.site.join("content"), &site.join("content")) {
        eprintln!("mutation_fuzz: cannot copy {}: {e}", a.site.display());
        return ExitCode::FAILURE;
    }
    let files = records(&site);
    let originals: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap_or_default())
        .collect();

    // A panic is caught and counted; its message is kept to show with the mutation.
    let last_panic: Arc<Mutex<Option<String>>> = Arc::default();
    {
        let last = last_panic.clone();
        std::panic::set_hook(Box::new(move |info| {
            if let Ok(mut l) = last.lock() {
                *l = Some(info.to_string());
            }
        }));
    }

    let mut rng = Rng(a.seed);
    let deadline = Instant::now() + Duration::from_secs(a.seconds);
    let (mut runs, mut failures, mut panics, mut fine, mut bad_codes) =
        (0u64, 0u64, 0u64, 0u64, 0u64);
    while Instant::now() < deadline {
        runs += 1;
        let which = rng.below(files.len());
        let text = mutate(&mut rng, &originals[which]);
        let shown = files[which]
            .strip_prefix(&site)
            .unwrap_or(&files[which])
            .display()
            .to_string();
        if std::fs::write(&files[which], &text).is_err() {
            eprintln!("mutation_fuzz: cannot write {shown}");
            return ExitCode::FAILURE;
        }
        match catch_unwind(AssertUnwindSafe(|| lantern::build::check(&site))) {
            Ok(Ok(_)) => fine += 1,
            Ok(Err(_)) => failures += 1,
            Err(_) => {
                panics += 1;
                let why = last_panic
                    .lock()
                    .ok()
                    .and_then(|mut l| l.take())
                    .unwrap_or_default();
                eprintln!(
                    "PANIC on mutation {runs} of {shown} (seed {}):\n{why}\n--- text ---\n{text}\n------------",
                    a.seed
                );
            }
        }
        if let Some(bin) = a.bin.as_ref().filter(|_| runs % 25 == 0) {
            match Command::new(bin)
                .arg("check")
                .arg("--site")
                .arg(&site)
                .output()
            {
                Ok(out) if matches!(out.status.code(), Some(0 | 1)) => {}
                Ok(out) => {
                    bad_codes += 1;
                    eprintln!(
                        "EXIT {:?} on mutation {runs} of {shown} (seed {}):\n{}\n--- text ---\n{text}\n------------",
                        out.status.code(),
                        a.seed,
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
                Err(e) => {
                    eprintln!("mutation_fuzz: cannot run {}: {e}", bin.display());
                    return ExitCode::FAILURE;
                }
            }
        }
        if std::fs::write(&files[which], &originals[which]).is_err() {
            eprintln!("mutation_fuzz: cannot restore {shown}");
            return ExitCode::FAILURE;
        }
    }
    println!(
        "mutation fuzz (seed {}, {} s): {runs} mutations of {} files; {fine} checked fine, {failures} reported problems, {panics} panics, {bad_codes} exit codes other than 0 and 1",
        a.seed,
        a.seconds,
        files.len()
    );
    if panics > 0 || bad_codes > 0 || runs < 100 {
        if runs < 100 {
            eprintln!("too few mutations ran to mean anything");
        }
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
