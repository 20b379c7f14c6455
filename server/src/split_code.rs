//! The WebAssembly files each split page needs, read from the loader `--split` builds, so that a
//! page has the browser fetch them beside the main module rather than after it has started.

use app::pages::{route_matches, SplitPage};
use std::collections::HashMap;
use std::path::Path;

/// What the loader script of a split build is called in the site's package folder.
const LOADER_PREFIX: &str = "__wasm_split.";

/// For each split page, its files as a JSON list of addresses; empty for a build without a split.
#[derive(Debug, Default)]
pub struct SplitCode {
    pages: Vec<(&'static str, String)>,
    /// The loader's address: the main module's glue imports it, so a page fetches it beside the glue.
    loader: Option<String>,
}

impl SplitCode {
    /// Reads the loader in `site_root/pkg_dir`; a build without one splits nothing.
    pub fn load(site_root: &str, pkg_dir: &str, pages: &[SplitPage]) -> SplitCode {
        let folder = Path::new(site_root).join(pkg_dir);
        let loader = std::fs::read_dir(&folder).ok().and_then(|entries| {
            entries
                .flatten()
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .find(|name| name.starts_with(LOADER_PREFIX) && name.ends_with(".js"))
        });
        let Some(loader) = loader else { return SplitCode::default() };
        match std::fs::read_to_string(folder.join(&loader)) {
            Ok(script) => {
                let mut split = SplitCode::parse(&script, &format!("/{pkg_dir}/"), pages);
                // Built file names are letters, digits, `_`, `-` and `.`: nothing to escape in a script.
                let plain = |name: &str| {
                    name.bytes().all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-'))
                };
                split.loader = (plain(&loader) && plain(pkg_dir)).then(|| format!("/{pkg_dir}/{loader}"));
                split
            }
            Err(error) => {
                tracing::warn!(%error, loader, "the split loader could not be read; split pages will load their code late");
                SplitCode::default()
            }
        }
    }

    /// Reads the loader's modules: each `makeLoad` names one file and the chunks loaded with it.
    pub fn parse(script: &str, pkg_url: &str, pages: &[SplitPage]) -> SplitCode {
        let modules = loader_modules(script);
        let file_of = |name: &str| modules.get(name).map(|module| module.file);
        let mut split = SplitCode::default();
        for page in pages {
            // The build names a split point's loader after the function and a hash of where it is.
            let prefix = format!("__wasm_split_load_{}_", page.split);
            let Some((_, module)) = modules.iter().find(|(name, _)| name.starts_with(&prefix)) else {
                tracing::warn!(
                    route = page.route,
                    split = page.split,
                    "no split module for this page; it will load its code late"
                );
                continue;
            };
            let files = std::iter::once(module.file).chain(module.deps.iter().filter_map(|dep| file_of(dep)));
            // Built file names are letters, digits, `_`, `-` and `.`: nothing to escape in JSON.
            let addresses: Vec<String> = files.map(|file| format!("\"{pkg_url}{file}\"")).collect();
            split.pages.push((page.path, format!("[{}]", addresses.join(","))));
        }
        split
    }

    /// The address of the split build's loader script, if there is one.
    pub fn loader(&self) -> Option<&str> {
        self.loader.as_deref()
    }

    /// The files of the split page at `path` as a JSON list, if it is one.
    pub fn files_of(&self, path: &str) -> Option<&str> {
        self.pages.iter().find(|(pattern, _)| route_matches(pattern, path)).map(|(_, links)| links.as_str())
    }
}

/// A module of the loader: its file, and the names of the modules loaded before it.
struct LoaderModule<'a> {
    file: &'a str,
    deps: Vec<&'a str>,
}

/// Every `const NAME = makeLoad(() => { … new URL("./FILE" … }, [DEPS]);` of the loader, by name.
fn loader_modules(script: &str) -> HashMap<&str, LoaderModule<'_>> {
    let mut modules = HashMap::new();
    let mut rest = script;
    while let Some(at) = rest.find("makeLoad(") {
        let before = &rest[..at];
        let after = &rest[at..];
        rest = &after["makeLoad(".len()..];
        let Some(name) = before.rfind("const ").map(|start| &before[start + "const ".len()..]) else { continue };
        let Some(name) = name.split([' ', '=']).next().filter(|name| !name.is_empty()) else { continue };
        let Some(file) = between(after, "new URL(\"./", "\"") else { continue };
        let deps = between(after, "}\n, [", "]")
            .map(|list| list.split(',').map(str::trim).filter(|dep| !dep.is_empty()).collect())
            .unwrap_or_default();
        modules.insert(name, LoaderModule { file, deps });
    }
    modules
}

/// The text between the first `start` in `text` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let length = text[from..].find(end)?;
    Some(&text[from..from + length])
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOADER: &str = r#"import { initSync } from "./hientruong.abc.js";
/* public_pages_1, staff_pages_1, admin_pages_1 */
const __chunk_3 = makeLoad(() => {
    const src = fetch(new URL("./chunk_3.h3.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
const __chunk_7 = makeLoad(() => {
    const src = fetch(new URL("./chunk_7.h7.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
export const __wasm_split_load_staff_pages_1 = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_staff_pages_1.s1.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_3]));
export const __wasm_split_load_public_pages_1 = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_public_pages_1.c1.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_3, __chunk_7]));
export const __wasm_split_load_admin_pages_1 = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_admin_pages_1.o1.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []));
"#;

    const PAGES: &[SplitPage] = &[
        SplitPage { path: "/cases/:id", route: "Case", split: "public_pages" },
        SplitPage { path: "/staff/cases/:id", route: "StaffCase", split: "staff_pages" },
        SplitPage { path: "/admin", route: "Overview", split: "admin_pages" },
    ];

    fn hrefs(files: &str) -> Vec<String> {
        serde_json::from_str(files).expect("a JSON list")
    }

    #[test]
    fn a_split_page_names_its_own_module_and_every_chunk_loaded_with_it() {
        let split = SplitCode::parse(LOADER, "/pkg/", PAGES);
        let links = split.files_of("/cases/17").expect("a split page");
        assert_eq!(hrefs(links), ["/pkg/split_public_pages_1.c1.wasm", "/pkg/chunk_3.h3.wasm", "/pkg/chunk_7.h7.wasm"]);
        let staff = split.files_of("/staff/cases/17").expect("a split page");
        assert_eq!(hrefs(staff), ["/pkg/split_staff_pages_1.s1.wasm", "/pkg/chunk_3.h3.wasm"]);
        assert_eq!(hrefs(split.files_of("/admin").expect("a split page")), ["/pkg/split_admin_pages_1.o1.wasm"]);
    }

    #[test]
    fn pages_outside_the_split_and_paths_of_another_shape_name_nothing() {
        let split = SplitCode::parse(LOADER, "/pkg/", PAGES);
        for path in ["/", "/cases", "/cases/", "/cases/17/photos", "/staff/cases", "/admin/x"] {
            assert_eq!(split.files_of(path), None, "{path}");
        }
    }

    #[test]
    fn a_build_without_a_split_names_nothing() {
        let split = SplitCode::parse("", "/pkg/", PAGES);
        assert_eq!(split.files_of("/cases/17"), None);
        let missing = SplitCode::load("/nonexistent-site-root", "pkg", PAGES);
        assert_eq!(missing.files_of("/cases/17"), None);
        assert_eq!(missing.loader(), None);
    }

    #[test]
    fn a_built_loader_is_named_by_its_address() {
        let site = std::env::temp_dir().join(format!("hientruong-split-{}", std::process::id()));
        let pkg = site.join("pkg");
        std::fs::create_dir_all(&pkg).expect("a folder");
        std::fs::write(pkg.join("__wasm_split.h1.js"), LOADER).expect("a loader");
        let split = SplitCode::load(site.to_str().expect("a path"), "pkg", PAGES);
        std::fs::remove_dir_all(&site).expect("removed");
        assert_eq!(split.loader(), Some("/pkg/__wasm_split.h1.js"));
        assert_eq!(hrefs(split.files_of("/admin").expect("a split page")), ["/pkg/split_admin_pages_1.o1.wasm"]);
    }
}
