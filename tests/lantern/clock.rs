//! `lantern check` warns about meetings whose local time a daylight-saving change skips (a
//! gap) or repeats (an overlap), from the feeds' anchor (2026) to 2040; the build goes on.

use crate::common::{lantern, stderr, stdout};
use crate::errors::site_of;

const SITE: &str =
    "title: T\nbase_url: https://example.org/\ntimezone: Europe/London\nservice_area: London, UK\n";

fn meeting(name: &str, day: &str, time: &str, tz: &str, extra: &str) -> String {
    format!(
        "name: {name}\nday: {day}\ntime: \"{time}\"\ntimezone: {tz}\nonline:\n  url: https://meet.example.net/j/1\n{extra}"
    )
}

#[test]
fn a_meeting_in_the_spring_gap_and_the_autumn_overlap_is_warned_about_twice() {
    let site = site_of(&[
        ("content/site.yaml", SITE),
        (
            "content/meetings/night-owls.yaml",
            &meeting("Night Owls", "sunday", "01:30", "Europe/London", ""),
        ),
    ]);
    let out = lantern(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "content/meetings/night-owls.yaml:3:7: warning: 01:30 on Sundays does not exist in Europe/London on 2026-03-29, 2027-03-28 and 13 more to 2040: the clocks go forward from 01:00 to 02:00\n  \
         hint: calendar apps differ on those nights: RFC 5545 3.3.5 reads the time with the offset before the change, so 02:30, as Google Calendar, Apple Calendar and Outlook typically show it; 3.3.10 says to leave the meeting out; ical.js and vobject show it an hour early, and libical shows the week after an hour late; tell members in `notes`, add those dates to `skip`, or move the meeting out of 01:00-02:00\n\
         content/meetings/night-owls.yaml:3:7: warning: 01:30 on Sundays happens twice in Europe/London on 2026-10-25, 2027-10-31 and 13 more to 2040: the clocks go back from 02:00 to 01:00\n  \
         hint: calendar apps differ on those nights: RFC 5545 3.3.5 means the first 01:30, before the clocks go back, and most apps show that; libical and ical.js (Thunderbird, Evolution, GNOME Calendar) show the second, an hour later; tell members in `notes`, or move the meeting out of 01:00-02:00\n"
    );
    assert_eq!(
        stdout(&out),
        "No problems found: 1 meeting, 0 locations, 0 pages; 2 warnings.\n"
    );
    // A warning, not an error: the site builds, with its feed.
    let out = lantern(site.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(site.path().join("public/calendar.ics").is_file());
}

#[test]
fn an_overlap_across_midnight_and_a_half_hour_gap_name_their_own_dates() {
    let site = site_of(&[
        ("content/site.yaml", SITE),
        (
            // Santiago goes back from Sunday 00:00 to Saturday 23:00 on the first Sunday of
            // April; the meeting reopens in 2040, so only that year's night is left.
            "content/meetings/lifeline.yaml",
            &meeting(
                "Lifeline",
                "saturday",
                "23:30",
                "America/Santiago",
                "status: temporarily-closed\nclosed_until: 2040-01-01\n",
            ),
        ),
        (
            // Lord Howe goes forward from 02:00 to 02:30 on the first Sunday of October;
            // two of those nights are skipped.
            "content/meetings/lagoon.yaml",
            &meeting(
                "Lagoon",
                "sunday",
                "02:15",
                "Australia/Lord_Howe",
                "skip: [2026-10-04, 2027-10-03]\nmonthly: [1]\n",
            ),
        ),
        (
            // An hour later, or on another day, is in no gap or overlap.
            "content/meetings/fine.yaml",
            &meeting("Fine", "saturday", "02:30", "Europe/London", ""),
        ),
    ]);
    let out = lantern(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("warning:")).collect();
    assert_eq!(
        lines,
        [
            "content/meetings/lagoon.yaml:3:7: warning: 02:15 on Sundays does not exist in Australia/Lord_Howe on 2028-10-01, 2029-10-07 and 11 more to 2040: the clocks go forward from 02:00 to 02:30",
            "content/meetings/lifeline.yaml:3:7: warning: 23:30 on Saturdays happens twice in America/Santiago on 2040-04-07: the clocks go back from 00:00 to 23:00",
        ]
    );
    assert!(err.contains("so 02:45, as Google Calendar"), "{err}");
    assert!(err.contains("vobject show it 30 minutes early"), "{err}");
    assert!(err.contains("show the second, an hour later"), "{err}");
}
