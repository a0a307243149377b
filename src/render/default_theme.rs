//! The default theme's files, compiled into the binary: its templates and static files for
//! [`super::theme`], its translations for [`super::i18n`]. One copy of the files, shared by
//! both, so neither module depends on the other for them.

use include_dir::{Dir, include_dir};

pub(crate) static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");
