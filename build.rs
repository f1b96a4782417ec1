//! One job: the unit tests that read the repository's test vectors (the AWS SigV4 and SigV4a
//! suites, through tests/common) are compiled where those files are — in the repository — and
//! not in the published crate, which leaves tests/ out (see `include` in Cargo.toml). No code
//! of the library depends on it. `.ci/crate-files` tests the unpacked crate in the repository's
//! target folder with `PRESIGN_PACKAGED=1`, so that cargo reruns this script on either side
//! instead of reusing the other side's answer.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(presign_vectors)");
    println!("cargo::rerun-if-changed=tests/common/mod.rs");
    println!("cargo::rerun-if-env-changed=PRESIGN_PACKAGED");
    let packaged = std::env::var_os("PRESIGN_PACKAGED").is_some();
    if !packaged && std::path::Path::new("tests/common/mod.rs").exists() {
        println!("cargo::rustc-cfg=presign_vectors");
    }
}
