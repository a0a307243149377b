//! Cargo build script: rebuild when the default theme or the starter site of `lantern init`
//! changes. Both are embedded with `include_dir!`, which cannot tell cargo about the files it
//! reads on stable Rust, so without this an edited template, `finder.js` or starter page would
//! leave a stale binary (and stale test results).

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=src/cli/init_site");
}
