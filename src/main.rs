//! The `lantern` command; everything lives in the library.

/// mimalloc instead of the system allocator: a build makes and frees millions of small
/// strings on two threads at once, and glibc's allocator spent about a tenth of the CPU time
/// of a 100,000-meeting build on that (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(lantern::cli::main());
}
