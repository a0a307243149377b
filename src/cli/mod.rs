//! The command line: raw arguments (clap) are kept apart from the validated options each verb
//! runs with. One file per verb.

mod build;
mod check;
mod import;
mod init;
mod new;
mod serve;

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::diagnostics::Error;

/// Exit codes: 0 success, 1 bad input or a failed build, 2 wrong usage (clap's own).
pub(crate) const EXIT_OK: i32 = 0;
pub(crate) const EXIT_INPUT: i32 = 1;

#[derive(Debug, Parser)]
#[command(
    name = "lantern",
    version,
    about = "Build a static recovery-meeting directory from YAML records and Markdown pages",
    long_about = None,
    propagate_version = true
)]
pub(crate) struct Args {
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// `--site`, the same for every verb that works on a site folder (flattened into each).
#[derive(Debug, clap::Args)]
pub(crate) struct SiteArgs {
    /// The site folder (the one containing content/)
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub(crate) site: PathBuf,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the site into the output folder (replaced only when the build succeeds)
    Build {
        #[command(flatten)]
        site: SiteArgs,
        // Help texts with `<...>` are attributes, not doc comments: rustdoc would read `<site>`
        // as an HTML tag.
        #[arg(
            long,
            value_name = "DIR",
            help = "Where to write the site [default: <site>/public]"
        )]
        output: Option<PathBuf>,
        /// Use this base URL instead of the one in content/site.yaml
        #[arg(long, value_name = "URL", value_parser = build::base_url)]
        base_url: Option<String>,
        /// Replace the output folder even if no earlier build wrote it (its files are deleted)
        #[arg(long)]
        force: bool,
    },
    /// Check every file and report all problems, writing nothing
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Import meetings from a Meeting Guide feed, a 12 Step Meeting List CSV or BMLT JSON
    // The site folder is where records are written, and import makes it: say so in its help.
    #[command(mut_arg("site", |a| {
        a.help("The site folder to write records into (created when missing)")
    }))]
    Import {
        /// What FILE is: meeting-guide (a saved meetings.json), tsml-csv (the 12 Step Meeting
        /// List plugin's CSV export) or bmlt (GetSearchResults JSON)
        #[arg(long, value_name = "SOURCE")]
        from: import::ImportFrom,
        /// The file to import
        file: PathBuf,
        #[command(flatten)]
        site: SiteArgs,
        /// Overwrite records that exist already
        #[arg(long)]
        force: bool,
    },
    /// Create a small working site in a new folder
    Init {
        /// The folder to create
        dir: PathBuf,
        /// The language of the starter site (en, es, fr or pt)
        #[arg(long, default_value = "en")]
        language: String,
    },
    /// Serve the site locally, rebuilding and reloading the browser on every change
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// The port to listen on (0 picks a free one)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; use your LAN address to preview on a phone
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
        bind: IpAddr,
        /// Open the site in the default web browser
        #[arg(long)]
        open: bool,
    },
    /// Write a new, commented meeting or location record to fill in
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum NewCommand {
    #[command(about = "A meeting, in content/meetings/<name>.yaml")]
    Meeting {
        /// The meeting's name, in quotes
        name: String,
        /// The weekday, e.g. monday
        #[arg(long)]
        day: Option<String>,
        /// The start time, 24-hour HH:MM
        #[arg(long)]
        time: Option<String>,
        /// Where it meets: a location's file name in content/locations/ (without .yaml)
        #[arg(long, value_name = "SLUG")]
        location: Option<String>,
        /// The link to join online
        #[arg(long, value_name = "URL")]
        online: Option<String>,
        #[command(flatten)]
        site: SiteArgs,
    },
    #[command(about = "A location, in content/locations/<name>.yaml")]
    Location {
        /// The location's name, in quotes
        name: String,
        #[command(flatten)]
        site: SiteArgs,
    },
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let args = Args::parse();
    let result = match args.command {
        Command::Build {
            site,
            output,
            base_url,
            force,
        } => build::run(build::options(site.site, output, base_url, force)),
        Command::Check { site } => check::run(&site.site),
        Command::Init { dir, language } => init::run(&dir, &language),
        Command::Serve {
            site,
            port,
            bind,
            open,
        } => serve::run(&crate::serve::ServeOptions {
            site: site.site,
            bind,
            port,
            open,
        }),
        Command::New { what } => match what {
            NewCommand::Meeting {
                name,
                day,
                time,
                location,
                online,
                site,
            } => new::run(
                &site.site,
                &new::NewRecord::Meeting {
                    name,
                    day,
                    time,
                    location,
                    online,
                },
            ),
            NewCommand::Location { name, site } => {
                new::run(&site.site, &new::NewRecord::Location { name })
            }
        },
        Command::Import {
            from,
            file,
            site,
            force,
        } => import::run(import::options(from, file, site.site, force)),
    };
    match result {
        Ok(()) => EXIT_OK,
        Err(e) => {
            report(&e);
            EXIT_INPUT
        }
    }
}

/// Prints an error to stderr: every diagnostic, then a summary.
pub(crate) fn report(e: &Error) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    match e {
        Error::Input(diags) => {
            let _ = write!(err, "{diags}");
            let _ = writeln!(err, "error: {}; nothing was written", diags.summary());
        }
        other => {
            let _ = writeln!(err, "error: {other}");
        }
    }
}
