//! `lantern serve`: the editor's loop (see [`crate::serve`]).

use crate::diagnostics::Error;
use crate::serve::ServeOptions;

pub(crate) fn run(opts: &ServeOptions) -> Result<(), Error> {
    crate::serve::run(opts)
}
