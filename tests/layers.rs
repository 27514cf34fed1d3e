#![cfg(not(target_arch = "wasm32"))]
//! The house rules, checked on the source text (the layer picture is at the top of
//! `src/lib.rs` and in the README's architecture section):
//! - `gan/`, `nn/` and `data/` never import a family (`toy2d`, `image`, `cycle`, `stack`, `eval`) or `wasm`;
//! - a family never imports another family;
//! - nothing but `src/wasm/` names `wasm_bindgen` or `js_sys`;
//! - `www/views/` and `www/core/` never touch the engine: they import only their own folders
//!   (views may use core's pure helpers), and name neither `Worker` nor the wasm builds;
//! - nothing under `scripts/` imports `tests/`;
//! - no source file is longer than 500 lines.

use std::fs;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const KERNEL: [&str; 3] = ["gan", "nn", "data"];
const FAMILIES: [&str; 5] = ["toy2d", "image", "cycle", "stack", "eval"];

/// Every file under `dir` (relative to the crate root) whose name ends with `ext`.
fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    fn walk(p: &Path, ext: &str, out: &mut Vec<PathBuf>) {
        for e in fs::read_dir(p).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(&path, ext, out);
            } else if path.to_string_lossy().ends_with(ext) {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(ROOT).join(dir), ext, &mut out);
    out.sort();
    out
}

/// The file's code: its lines with `//` comments removed (a doc comment may name anything).
fn code(path: &Path) -> String {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

fn rel(path: &Path) -> String {
    path.strip_prefix(ROOT)
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// The top-level module a file under src/ belongs to (`gan` for src/gan/run.rs).
fn module_of(path: &Path) -> String {
    let r = rel(path);
    let parts: Vec<&str> = r.split('/').collect();
    parts[1].trim_end_matches(".rs").to_string()
}

/// Whether `text` uses crate module `m` (`crate::m::`, `crate::m;`, `crate::{..m..}` is not
/// used in this crate).
fn uses(text: &str, m: &str) -> bool {
    [
        format!("crate::{m}::"),
        format!("crate::{m};"),
        format!("crate::{m} "),
        format!("super::super::{m}"),
    ]
    .iter()
    .any(|p| text.contains(p.as_str()))
}

#[test]
fn the_kernel_imports_no_family_and_families_import_no_other() {
    let mut broken = Vec::new();
    for path in files("src", ".rs") {
        let (m, text) = (module_of(&path), code(&path));
        if KERNEL.contains(&m.as_str()) {
            for f in FAMILIES.iter().chain(&["wasm"]) {
                if uses(&text, f) {
                    broken.push(format!("{} (kernel) imports {f}", rel(&path)));
                }
            }
        }
        if FAMILIES.contains(&m.as_str()) {
            for f in FAMILIES.iter().filter(|f| **f != m).chain(&["wasm"]) {
                if uses(&text, f) {
                    broken.push(format!("{} (family {m}) imports {f}", rel(&path)));
                }
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn only_the_boundary_names_wasm_bindgen_or_js_sys() {
    let offenders: Vec<String> = files("src", ".rs")
        .into_iter()
        .filter(|p| module_of(p) != "wasm")
        .filter(|p| {
            let t = code(p);
            t.contains("wasm_bindgen") || t.contains("js_sys")
        })
        .map(|p| rel(&p))
        .collect();
    assert!(offenders.is_empty(), "{offenders:?}");
}

/// The module specifiers a JavaScript file imports (static and dynamic).
fn js_imports(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("import") {
        let rest = &text[i..];
        let line = rest.lines().next().unwrap_or("");
        let stmt: String = if line.contains(" from ") || line.starts_with("import(") {
            line.to_string()
        } else {
            // A multi-line `import { … } from '…'`.
            rest.split(';').next().unwrap_or("").to_string()
        };
        for quote in ['\'', '"'] {
            let parts: Vec<&str> = stmt.split(quote).collect();
            if parts.len() >= 3 && (stmt.contains(" from ") || stmt.contains("import(")) {
                out.push(parts[1].to_string());
                break;
            }
        }
    }
    out
}

#[test]
fn views_and_core_never_touch_the_engine() {
    let mut broken = Vec::new();
    for (dir, allowed) in [
        ("www/core", &["./"][..]),
        ("www/views", &["./", "../core/"][..]),
    ] {
        for path in files(dir, ".js") {
            let text = fs::read_to_string(&path).unwrap();
            for spec in js_imports(&text) {
                if !allowed.iter().any(|a| spec.starts_with(a))
                    || spec.contains("..") && !spec.starts_with("../core/")
                {
                    broken.push(format!("{} imports {spec}", rel(&path)));
                }
            }
            for word in ["Worker", "pkg/", "gan_playground", "postMessage"] {
                if text.contains(word) {
                    broken.push(format!("{} names {word}", rel(&path)));
                }
            }
            if dir == "www/core" && text.contains("document") {
                broken.push(format!("{} touches the DOM", rel(&path)));
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
    // The check itself sees imports.
    assert_eq!(
        js_imports("import { a } from './x.js';\nconst m = await import('../y.js');"),
        ["./x.js", "../y.js"]
    );
}

#[test]
fn scripts_never_import_tests() {
    let offenders: Vec<String> = files("scripts", ".mjs")
        .into_iter()
        .filter(|p| {
            js_imports(&fs::read_to_string(p).unwrap())
                .iter()
                .any(|s| s.contains("tests/"))
        })
        .map(|p| rel(&p))
        .collect();
    assert!(offenders.is_empty(), "{offenders:?}");
}

#[test]
fn no_source_file_is_longer_than_500_lines() {
    let mut long = Vec::new();
    for (dir, ext) in [
        ("src", ".rs"),
        ("tests", ".rs"),
        ("tests", ".mjs"),
        ("www", ".js"),
        ("scripts", ".mjs"),
    ] {
        for path in files(dir, ext) {
            let n = fs::read_to_string(&path).unwrap().lines().count();
            if n > 500 {
                long.push(format!("{}: {n} lines", rel(&path)));
            }
        }
    }
    assert!(long.is_empty(), "{long:?}");
}
