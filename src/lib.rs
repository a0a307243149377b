//! Lantern turns a folder of YAML meeting records and Markdown pages into a static
//! recovery-meeting directory.
//!
//! The build is a pipeline with one module per stage:
//! `load` (read and parse files) -> `validate` (check records, build the `model`) ->
//! `render` (a pure function from the model to output files) -> `write` (the only stage that
//! touches the output folder). `build` runs the stages in order; `cli` holds one file per verb.

pub mod build;
pub mod cli;
pub mod diagnostics;
pub mod import;
pub mod load;
pub mod model;
pub mod render;
pub mod serve;
pub mod timings;
pub mod validate;
pub mod write;
