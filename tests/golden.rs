//! Golden outputs: the CSVs of one small scenario (`tests/golden/small-center/`), compared byte
//! for byte, so that any change of outputs between versions — intended or not — shows up in
//! review as a diff of these files.
//!
//! After a deliberate change of outputs, rewrite them with
//! `HOTLINE_UPDATE_GOLDEN=1 cargo test --locked golden` and give the reason in the commit.

use std::path::{Path, PathBuf};

use crate::support::hotline;

/// The golden scenario's folder: `scenario.toml` and the expected `simulate/` and `staff/`
/// outputs.
fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/small-center")
}

/// The CSV files in `dir`, sorted by name.
fn csv_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".csv"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Compares every CSV `got` holds with `want` (same set of files, same bytes), or with
/// `HOTLINE_UPDATE_GOLDEN=1` replaces `want`'s CSVs by `got`'s.
fn compare_or_update(got: &Path, want: &Path) {
    if std::env::var("HOTLINE_UPDATE_GOLDEN").as_deref() == Ok("1") {
        std::fs::create_dir_all(want).unwrap();
        for old in csv_files(want) {
            std::fs::remove_file(want.join(old)).unwrap();
        }
        for new in csv_files(got) {
            std::fs::copy(got.join(&new), want.join(&new)).unwrap();
        }
        eprintln!("HOTLINE_UPDATE_GOLDEN=1: rewrote {}", want.display());
        return;
    }
    let hint = "if the change is intended, run `HOTLINE_UPDATE_GOLDEN=1 cargo test --locked \
                golden` and say why in the commit";
    assert_eq!(
        csv_files(got),
        csv_files(want),
        "the CSV files written differ from {}; {hint}",
        want.display()
    );
    for name in csv_files(want) {
        let (g, w) = (
            std::fs::read_to_string(got.join(&name)).unwrap(),
            std::fs::read_to_string(want.join(&name)).unwrap(),
        );
        if g != w {
            let (line, (gl, wl)) = g
                .lines()
                .zip(w.lines())
                .enumerate()
                .find(|(_, (a, b))| a != b)
                .map_or(
                    (g.lines().count().min(w.lines().count()), ("", "")),
                    |(i, p)| (i, p),
                );
            panic!(
                "{name} differs from {} at line {}:\n  golden: {wl}\n  now:    {gl}\n{hint}",
                want.join(&name).display(),
                line + 1
            );
        }
    }
}

/// Runs `hotline ARGS… --out OUT`, asserting success.
fn run(args: &[&str], scenario: &Path, out: &Path) {
    let o = hotline()
        .args(&args[..1])
        .arg(scenario)
        .args(&args[1..])
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn simulate_and_staff_outputs_equal_the_golden_files() {
    let scenario = golden_dir().join("scenario.toml");
    let out = tempfile::tempdir().unwrap();
    let sim = out.path().join("simulate");
    run(&["simulate", "--no-charts"], &scenario, &sim);
    compare_or_update(&sim, &golden_dir().join("simulate"));
    let staff = out.path().join("staff");
    run(&["staff", "--no-charts"], &scenario, &staff);
    compare_or_update(&staff, &golden_dir().join("staff"));
}
