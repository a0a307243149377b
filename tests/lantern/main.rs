//! Lantern's integration tests: one test binary, one module per area, fixture sites in
//! `tests/fixtures/<area>/<name>/`. Each test builds a site into a temporary folder and asserts
//! on the real output files.

mod build;
mod calendar;
mod cli;
mod clock;
mod common;
mod errors;
mod feeds;
mod finder;
mod import;
mod languages;
mod links;
mod new;
mod output;
mod pdf;
mod serve;
mod snapshots;
