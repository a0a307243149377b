//! Cargo build script: rebuild when the default theme changes. The theme is embedded with
//! `include_dir!`, which cannot tell cargo about the files it reads on stable Rust, so without
//! this an edited template or `finder.js` would leave a stale binary (and stale test results).

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
