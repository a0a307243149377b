//! `lantern serve`: the real binary on a free loopback port, fetched over plain HTTP while the
//! test edits, breaks and repairs the site's files.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::{copy_tree, fixture, lantern, stderr};

/// How long a change may take to show before a test fails.
const WAIT: Duration = Duration::from_secs(10);

/// A running `lantern serve` on a copy of the `build/small` fixture; killed when dropped.
struct Server {
    child: Child,
    addr: String,
    root: PathBuf,
    output: Arc<Mutex<String>>,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

impl Server {
    fn start() -> Server {
        Server::start_with(|_| {})
    }

    /// Starts on a copy of the fixture that `prepare` may change first.
    fn start_with(prepare: impl FnOnce(&Path)) -> Server {
        Server::spawn(prepare, false)
    }

    /// Started as the README says: `cd my-site && lantern serve`, with no `--site`.
    fn start_in_site_folder() -> Server {
        Server::spawn(|_| {}, true)
    }

    fn spawn(prepare: impl FnOnce(&Path), in_site_folder: bool) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_tree(&fixture("build", "small"), &root);
        prepare(&root);
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_lantern"));
        cmd.args(["serve", "--port", "0"]);
        if in_site_folder {
            cmd.current_dir(&root);
        } else {
            cmd.arg("--site").arg(&root);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("lantern serve starts");
        let output = Arc::new(Mutex::new(String::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let output = output.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let mut o = output.lock().unwrap();
                    o.push_str(&line);
                    o.push('\n');
                }
            });
        }
        let mut server = Server {
            child,
            addr: String::new(),
            root,
            output,
            _dir: dir,
        };
        let start = Instant::now();
        loop {
            let out = server.output.lock().unwrap().clone();
            if let Some(rest) = out.split("Serving the site at http://").nth(1) {
                server.addr = rest.split('/').next().unwrap().to_string();
                break;
            }
            assert!(
                start.elapsed() < WAIT,
                "serve did not start; it printed:\n{out}"
            );
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("serve exited with {status}:\n{out}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Sends a raw request target exactly as given (no client-side clean-up of `..`).
    fn get(&self, target: &str) -> Reply {
        self.request("GET", target)
    }

    fn request(&self, method: &str, target: &str) -> Reply {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(WAIT)).unwrap();
        write!(
            s,
            "{method} {target} HTTP/1.0\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("no status in {head:?}"));
        Reply {
            status,
            head: head.to_string(),
            body: body.to_string(),
        }
    }

    /// Fetches `target` until `ok` holds for the reply (bounded), and returns that reply.
    fn wait_for(&self, target: &str, what: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
        let start = Instant::now();
        loop {
            let r = self.get(target);
            if ok(&r) {
                return r;
            }
            if start.elapsed() > WAIT {
                panic!(
                    "{target}: {what} did not happen within {WAIT:?}; last status {}; serve printed:\n{}",
                    r.status,
                    self.output.lock().unwrap()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Writes a file the way editors do: a temporary file renamed over the original.
fn save(path: &Path, text: &str) {
    let tmp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[test]
fn serves_the_static_urls_with_content_types_and_404() {
    let s = Server::start();
    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("Monday Night"));
    // The live-reload script is there in serve mode, before </body>.
    let script = home.body.find("/__lantern/events").expect("reload script");
    assert!(script < home.body.rfind("</body>").unwrap());
    assert!(!home.body.contains("role=\"alert\""));

    let page = s.get("/meetings/monday-night/");
    assert_eq!(page.status, 200);
    // Base URL is the local server, so canonical links work locally.
    assert!(
        page.body
            .contains(&format!("http://{}/meetings/monday-night/", s.addr)),
        "{}",
        page.body
    );
    let redirect = s.get("/meetings/monday-night");
    assert_eq!(redirect.status, 301);
    assert_eq!(
        redirect.header("location").as_deref(),
        Some("/meetings/monday-night/")
    );

    let css = s.get("/assets/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(
        css.header("content-type").as_deref(),
        Some("text/css; charset=utf-8")
    );
    // The calendar feed of the whole site, as calendar apps expect it.
    let ics = s.get("/calendar.ics");
    assert_eq!(ics.status, 200);
    assert_eq!(
        ics.header("content-type").as_deref(),
        Some("text/calendar; charset=utf-8")
    );
    assert!(ics.body.starts_with("BEGIN:VCALENDAR"), "{}", ics.body);
    let sitemap = s.get("/sitemap.xml?x=1");
    assert_eq!(sitemap.status, 200);
    assert!(sitemap.body.contains("<urlset"));

    let missing = s.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"), "{}", missing.body);
    assert_eq!(
        missing.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );

    // Static files of every kind, with their types (added while serving).
    let stat = s.path("content/static");
    std::fs::write(
        stat.join("extra.ics"),
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    std::fs::write(stat.join("extra.json"), "{\"ok\":true}").unwrap();
    std::fs::write(
        stat.join("logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    let ics = s.wait_for("/extra.ics", "the new static file", |r| r.status == 200);
    assert_eq!(
        ics.header("content-type").as_deref(),
        Some("text/calendar; charset=utf-8")
    );
    let json = s.wait_for("/extra.json", "the new static file", |r| r.status == 200);
    assert_eq!(
        json.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(json.body, "{\"ok\":true}");
    let svg = s.wait_for("/logo.svg", "the new static file", |r| r.status == 200);
    assert_eq!(svg.header("content-type").as_deref(), Some("image/svg+xml"));
    let txt = s.get("/files/hello.txt");
    assert_eq!(txt.status, 200);
    assert_eq!(
        txt.header("content-type").as_deref(),
        Some("text/plain; charset=utf-8")
    );
}

#[test]
fn refuses_paths_outside_the_output() {
    let s = Server::start();
    std::fs::write(s.root.join("secret.txt"), "TOP SECRET").unwrap();
    for target in [
        "/../secret.txt",
        "/../../secret.txt",
        "/meetings/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2fsecret.txt",
        "/..%5csecret.txt",
        "/files\\..\\..\\secret.txt",
        "//etc/passwd",
    ] {
        let r = s.get(target);
        assert!(
            r.status == 400 || r.status == 404,
            "{target} gave {}",
            r.status
        );
        assert!(!r.body.contains("TOP SECRET"), "{target} leaked");
    }
    assert_eq!(s.get("/../secret.txt").status, 400);
}

#[test]
fn edits_rebuild_and_notify_open_pages() {
    let s = Server::start();
    // An open page: the event stream gives the current build, then each new one.
    let mut events = TcpStream::connect(&s.addr).unwrap();
    events.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        events,
        "GET /__lantern/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        s.addr
    )
    .unwrap();
    let mut events = BufReader::new(events);
    let mut next_build = || -> u64 {
        let mut line = String::new();
        loop {
            line.clear();
            assert!(events.read_line(&mut line).unwrap() > 0, "stream closed");
            if let Some(n) = line.strip_prefix("data: ") {
                return n.trim().parse().unwrap();
            }
        }
    };
    let first = next_build();

    let file = s.path("content/meetings/monday-night.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    save(&file, &text.replace("Monday Night", "Monday Evening Hope"));
    assert!(next_build() > first);
    let page = s.wait_for("/meetings/monday-night/", "the new name", |r| {
        r.body.contains("Monday Evening Hope")
    });
    assert_eq!(page.status, 200);
    // Lists that show the meeting are rebuilt too, and the feeds (rendered just after the
    // pages: a request for one waits for it rather than get the old one).
    for list in ["/", "/days/monday/", "/locations/hall/", "/meetings.json"] {
        let r = s.get(list);
        assert_eq!(r.status, 200, "{list}");
        assert!(r.body.contains("Monday Evening Hope"), "{list} is stale");
    }
    let json = s.get("/meetings.json");
    assert_eq!(
        json.header("content-type").as_deref(),
        Some("application/json")
    );

    // "Suggest a change" points at the meeting's own source file (edit_url in site.yaml).
    assert!(
        page.body.contains(
            "href=\"https://git.example.org/repo/edit/main/content/meetings/monday-night.yaml\""
        ),
        "{}",
        page.body
    );
}

#[test]
fn a_broken_file_shows_the_check_message_and_keeps_the_last_good_site() {
    let s = Server::start();
    let file = s.path("content/meetings/monday-night.yaml");
    let good = std::fs::read_to_string(&file).unwrap();

    // Half-typed YAML and an unknown type, in two files.
    save(
        &file,
        "name: Monday Night\nday: monday\ntime: \"19:00\nlocation: hall\n",
    );
    let other = s.path("content/meetings/online-only.yaml");
    let other_good = std::fs::read_to_string(&other).unwrap();
    save(&other, &other_good.replace("types: [O]", "types: [O, ZZZ]"));

    let check = lantern(
        Path::new("."),
        &["check", "--site", s.root.to_str().unwrap()],
    );
    assert!(!check.status.success());
    let expected: Vec<String> = stderr(&check)
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.starts_with("error:"))
        .map(str::to_string)
        .collect();
    assert!(expected.len() >= 2, "{}", stderr(&check));
    assert!(expected[0].contains("monday-night.yaml:"), "{expected:?}");

    let broken = s.wait_for("/", "the error overlay", |r| {
        expected.iter().all(|l| r.body.contains(&html_escape(l)))
    });
    assert_eq!(broken.status, 200);
    assert!(broken.body.contains("role=\"alert\""));
    // The last good site is still served, overlay and all.
    assert!(broken.body.contains("Monday Night"));
    let page = s.get("/meetings/monday-night/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("role=\"alert\""));
    // The terminal shows the same lines.
    let printed = s.output.lock().unwrap().clone();
    for l in &expected {
        assert!(printed.contains(l.as_str()), "{l} not printed:\n{printed}");
    }

    // The next good saves clear it.
    save(&file, &good);
    save(&other, &other_good);
    s.wait_for("/", "the overlay to go away", |r| {
        !r.body.contains("role=\"alert\"")
    });

    // A template error is reported the same way, then cleared.
    let tpl = s.path("themes/default/templates/404.html");
    std::fs::create_dir_all(tpl.parent().unwrap()).unwrap();
    save(
        &tpl,
        "{% extends \"base.html\" %}{% block content %}{{ no_such_variable }}{% endblock %}",
    );
    let r = s.wait_for("/", "the template error", |r| {
        r.body.contains("role=\"alert\"") && r.body.contains("404.html")
    });
    assert!(r.body.contains("template error"), "{}", r.body);
    save(
        &tpl,
        "{% extends \"base.html\" %}{% block content %}<p>Nothing here, friend.</p>{% endblock %}",
    );
    let r = s.wait_for("/gone/", "the custom 404 page", |r| {
        r.body.contains("Nothing here, friend.")
    });
    assert_eq!(r.status, 404);
    assert!(!r.body.contains("role=\"alert\""));
}

#[test]
fn created_renamed_deleted_and_swap_files() {
    let s = Server::start();
    let meetings = s.path("content/meetings");
    let text = "name: Tuesday Daybreak\nday: tuesday\ntime: \"06:30\"\nlocation: hall\n";
    std::fs::write(meetings.join("tuesday-daybreak.yaml"), text).unwrap();
    s.wait_for("/meetings/tuesday-daybreak/", "the new page", |r| {
        r.status == 200 && r.body.contains("Tuesday Daybreak")
    });

    std::fs::rename(
        meetings.join("tuesday-daybreak.yaml"),
        meetings.join("tuesday-sunrise.yaml"),
    )
    .unwrap();
    s.wait_for("/meetings/tuesday-sunrise/", "the renamed page", |r| {
        r.status == 200
    });
    assert_eq!(s.get("/meetings/tuesday-daybreak/").status, 404);

    // A whole folder moved in and out.
    std::fs::create_dir_all(s.path("incoming")).unwrap();
    std::fs::write(
        s.path("incoming/wed.yaml"),
        "name: Wednesday Noon\nday: wednesday\ntime: \"12:00\"\nlocation: hall\n",
    )
    .unwrap();
    std::fs::rename(s.path("incoming"), meetings.join("incoming")).unwrap();
    s.wait_for("/meetings/wed/", "a page from a moved-in folder", |r| {
        r.status == 200
    });
    std::fs::rename(meetings.join("incoming"), s.path("outgoing")).unwrap();
    s.wait_for("/meetings/wed/", "the moved-out page to go", |r| {
        r.status == 404
    });

    // Swap and backup files are never records, even when they are not valid YAML.
    std::fs::write(meetings.join(".tuesday-sunrise.yaml.swp"), "\0\0garbage: [").unwrap();
    std::fs::write(meetings.join("tuesday-sunrise.yaml~"), "name: [").unwrap();
    std::fs::write(meetings.join("#tuesday-sunrise.yaml#"), "name: [").unwrap();
    std::fs::remove_file(meetings.join("tuesday-sunrise.yaml")).unwrap();
    let r = s.wait_for(
        "/meetings/tuesday-sunrise/",
        "the deleted page to go",
        |r| r.status == 404,
    );
    assert!(!r.body.contains("role=\"alert\""), "{}", r.body);
    assert!(!s.get("/").body.contains("role=\"alert\""));
}

#[test]
fn a_site_broken_at_start_is_served_once_fixed() {
    let s = Server::start_with(|root| {
        let f = root.join("content/site.yaml");
        let text = std::fs::read_to_string(&f).unwrap();
        std::fs::write(
            &f,
            text.replace("timezone:", "timezone: Mars/Olympus_Mons\nx_timezone:"),
        )
        .unwrap();
    });
    let r = s.get("/");
    assert_eq!(r.status, 500);
    assert!(r.body.contains("role=\"alert\""), "{}", r.body);
    assert!(r.body.contains("site.yaml:"), "{}", r.body);
    // The reload script is there, so the page recovers by itself.
    assert!(r.body.contains("/__lantern/events"));

    let f = s.path("content/site.yaml");
    copy_tree(
        &fixture("build", "small").join("content"),
        &s.path("content"),
    );
    let fixed = s.wait_for("/", "the site after the fix", |r| r.status == 200);
    assert!(!fixed.body.contains("role=\"alert\""));
    assert!(std::fs::read_to_string(f).unwrap().contains("timezone:"));
}

#[test]
fn started_in_the_site_folder_it_rebuilds_on_every_save() {
    let s = Server::start_in_site_folder();
    assert!(s.get("/").body.contains("Monday Night"));
    let file = s.path("content/meetings/monday-night.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    save(&file, &text.replace("Monday Night", "Monday Relative Hope"));
    s.wait_for("/meetings/monday-night/", "the new name", |r| {
        r.body.contains("Monday Relative Hope")
    });
    // Problems are shown from where the command runs: `content/...`, not an absolute path.
    save(&file, &text.replace("day: monday", "day: mondy"));
    let start = Instant::now();
    loop {
        let out = s.output.lock().unwrap().clone();
        if out.contains("content/meetings/monday-night.yaml:") {
            assert!(!out.contains(&s.root.display().to_string()), "{out}");
            break;
        }
        assert!(start.elapsed() < WAIT, "no problem reported:\n{out}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn head_has_the_length_csv_its_type_and_nothing_is_sniffed() {
    let s = Server::start();
    let get = s.get("/meetings.csv");
    assert_eq!(get.status, 200);
    assert_eq!(
        get.header("content-type").as_deref(),
        Some("text/csv; charset=utf-8")
    );
    for path in ["/", "/meetings.csv", "/calendar.ics", "/nowhere/"] {
        let r = s.get(path);
        assert_eq!(
            r.header("x-content-type-options").as_deref(),
            Some("nosniff"),
            "{path}"
        );
    }
    let head = s.request("HEAD", "/meetings.csv");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(get.body.len().to_string()),
        "{}",
        head.head
    );
}

/// Vim saves by renaming the file aside (`file~`), writing a new one and deleting the old.
/// While a visitor reloads the page, it must never be missing.
#[test]
fn pages_never_disappear_while_an_editor_saves_by_renaming() {
    let s = Server::start();
    let file = s.path("content/meetings/monday-night.yaml");
    let backup = s.path("content/meetings/monday-night.yaml~");
    let text = std::fs::read_to_string(&file).unwrap();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let editor = {
        let stop = stop.clone();
        let (file, backup, text) = (file.clone(), backup.clone(), text.clone());
        std::thread::spawn(move || {
            for i in 0..40 {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                std::fs::rename(&file, &backup).unwrap();
                std::thread::sleep(Duration::from_millis(2));
                std::fs::write(
                    &file,
                    text.replace("Monday Night", &format!("Monday Night {i}")),
                )
                .unwrap();
                std::fs::remove_file(&backup).unwrap();
                std::thread::sleep(Duration::from_millis(25));
            }
        })
    };
    let mut missing = 0;
    let mut requests = 0;
    while !editor.is_finished() {
        requests += 1;
        if s.get("/meetings/monday-night/").status != 200 {
            missing += 1;
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    editor.join().unwrap();
    assert!(requests > 20, "only {requests} requests were made");
    assert_eq!(missing, 0, "{missing} of {requests} requests found no page");
}

#[test]
fn a_bilingual_site_rebuilds_each_language_on_a_save() {
    let s = Server::start_with(|root| {
        let site = root.join("content/site.yaml");
        let text = std::fs::read_to_string(&site).unwrap();
        std::fs::write(&site, format!("{text}languages: [en, es]\n")).unwrap();
        let file = root.join("content/meetings/monday-night.yaml");
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(
            &file,
            text.replacen(
                "name: Monday Night\n",
                "name:\n  en: Monday Night\n  es: Lunes de Noche\n",
                1,
            ),
        )
        .unwrap();
    });
    let es = s.get("/es/meetings/monday-night/");
    assert_eq!(es.status, 200);
    assert!(es.body.contains("Lunes de Noche"), "{}", es.body);
    let file = s.path("content/meetings/monday-night.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    save(
        &file,
        &text.replace("Lunes de Noche", "Esperanza del Lunes"),
    );
    s.wait_for("/es/meetings/monday-night/", "the new Spanish name", |r| {
        r.body.contains("Esperanza del Lunes")
    });
    // Every Spanish list with the meeting follows; the English edition keeps its own name.
    for list in ["/es/", "/es/days/monday/", "/es/locations/hall/"] {
        let r = s.get(list);
        assert_eq!(r.status, 200, "{list}");
        assert!(r.body.contains("Esperanza del Lunes"), "{list} is stale");
    }
    for list in ["/", "/days/monday/", "/meetings/monday-night/"] {
        let r = s.get(list);
        assert!(r.body.contains("Monday Night"), "{list}");
        assert!(
            !r.body.contains("Esperanza"),
            "{list} shows the Spanish name"
        );
    }
}
