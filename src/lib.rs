//! Lantern turns a folder of YAML meeting records and Markdown pages into a static
//! recovery-meeting directory.
//!
//! The build is a pipeline with one module per stage:
//! `load` (read and parse files) -> `validate` (check records, build the `model`) ->
//! `render` (a pure function from the model to output files) -> `write` (the only stage that
//! touches the output folder). `build` runs the stages in order; `cli` holds one file per verb.
//!
//! Only what the `lantern` binary, the integration tests (`tests/lantern`) and the examples
//! (`examples/`) use is `pub`: [`build::build`], [`build::check`], [`build::load_site`],
//! the [`model`],
//! [`render::render`], [`render::Output`], [`render::Theme`], [`render::ical`],
//! [`render::csv::COLUMNS`], [`write::write`], [`serve::rebuild::Rebuilder`],
//! [`diagnostics::Error`] and [`cli::main`]. Everything else is `pub(crate)`, so the
//! compiler's dead-code warnings see it.

// The internal docs are the ones read (`cargo doc --document-private-items`, run by
// scripts/test), and there a public item's link to an internal one resolves; the pub API only
// serves the crate's own binary, tests and examples.
#![allow(rustdoc::private_intra_doc_links)]

pub mod build;
pub mod cli;
pub mod diagnostics;
pub(crate) mod import;
pub(crate) mod load;
pub mod model;
pub mod render;
pub mod serve;
pub(crate) mod timings;
pub(crate) mod validate;
pub mod write;
