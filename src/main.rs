//! The `lantern` command; everything lives in the library.

fn main() {
    std::process::exit(lantern::cli::main());
}
