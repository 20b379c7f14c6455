//! The installed app's service worker as this build serves it: the build's version and the app shell it caches.

use crate::startup::AppState;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The site's own files the app needs offline besides the built ones in `/pkg`: the report form's
/// page, the drafts script, the manifests and icons, Leaflet, and the page shown for a page never
/// seen. Files a build lacks are left out.
const SHELL_FILES: &[&str] = &[
    "offline.html",
    "drafts.js",
    "sw-push.js",
    "push.js",
    "manifest.vi.webmanifest",
    "manifest.en.webmanifest",
    "favicon.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/icon.svg",
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/images/marker-icon.png",
    "vendor/leaflet/images/marker-icon-2x.png",
    "vendor/leaflet/images/marker-shadow.png",
    "vendor/leaflet/images/layers.png",
    "vendor/leaflet/images/layers-2x.png",
];

/// A worker as written for one site folder.
type WrittenWorker = (PathBuf, Arc<String>);

/// The worker written once per process and site folder: the files it names do not change while the server runs.
#[derive(Clone, Default)]
pub struct WorkerScript(Arc<Mutex<Option<WrittenWorker>>>);

impl WorkerScript {
    fn for_site(&self, site_root: &Path) -> std::io::Result<Arc<String>> {
        let mut kept = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((root, script)) = kept.as_ref() {
            if root == site_root {
                return Ok(script.clone());
            }
        }
        let script = Arc::new(write_worker(site_root)?);
        *kept = Some((site_root.to_path_buf(), script.clone()));
        Ok(script)
    }
}

/// `GET /sw.js`: the service worker, revalidated on every check so a deployment reaches installed apps.
pub fn routes() -> Router<AppState> {
    let worker = WorkerScript::default();
    Router::new().route("/sw.js", get(move |state: State<AppState>| serve_worker(state, worker.clone())))
}

async fn serve_worker(State(state): State<AppState>, worker: WorkerScript) -> Response {
    let site_root = PathBuf::from(state.leptos_options.site_root.as_ref());
    match tokio::task::spawn_blocking(move || worker.for_site(&site_root)).await {
        Ok(Ok(script)) => (
            [
                (CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8")),
                (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            ],
            script.as_str().to_owned(),
        )
            .into_response(),
        Ok(Err(error)) => {
            tracing::warn!(%error, "the service worker could not be written");
            StatusCode::NOT_FOUND.into_response()
        }
        Err(error) => {
            tracing::warn!(%error, "writing the service worker stopped");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The worker's template (`sw.js` in the site folder) with the build's version and shell filled in.
fn write_worker(site_root: &Path) -> std::io::Result<String> {
    let template = std::fs::read_to_string(site_root.join("sw.js"))?;
    let shell = shell_files(site_root)?;
    let version = build_version(site_root, &shell)?;
    let mut paths = vec!["/".to_string()];
    paths.extend(shell.iter().map(|file| format!("/{file}")));
    let listed = serde_json::to_string(&paths).map_err(std::io::Error::other)?;
    Ok(template.replace("'__HIENTRUONG_BUILD__'", &format!("'{version}'")).replace("__HIENTRUONG_SHELL__", &listed))
}

/// How `cargo leptos build --split` names the WebAssembly of the pages loaded on first visit.
const SPLIT_CHUNK_PREFIX: &str = "chunk_";

/// The shell's files that exist in this site folder, as paths relative to it: the fixed list, then
/// every built file in `pkg` (not its compressed copies, which the server picks by itself), except
/// the chunks split off for the staff's pages: a citizen's phone would otherwise download hundreds
/// of kilobytes of code it never runs when the app installs.
fn shell_files(site_root: &Path) -> std::io::Result<Vec<String>> {
    let mut files: Vec<String> =
        SHELL_FILES.iter().filter(|file| site_root.join(file).is_file()).map(|file| file.to_string()).collect();
    let mut built = Vec::new();
    if let Ok(entries) = std::fs::read_dir(site_root.join("pkg")) {
        for entry in entries {
            let name = entry?.file_name().to_string_lossy().into_owned();
            let compressed_copy = name.ends_with(".br") || name.ends_with(".gz");
            let split_chunk = name.starts_with(SPLIT_CHUNK_PREFIX);
            if !compressed_copy && !split_chunk && [".js", ".wasm", ".css"].iter().any(|kind| name.ends_with(kind)) {
                built.push(format!("pkg/{name}"));
            }
        }
    }
    built.sort();
    files.extend(built);
    Ok(files)
}

/// A version that changes whenever any file of the shell does: a hash of each file's name, size and
/// time of change. The template itself counts too, so a new worker replaces the old.
fn build_version(site_root: &Path, shell: &[String]) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    for file in shell.iter().map(String::as_str).chain(["sw.js"]) {
        let meta = std::fs::metadata(site_root.join(file))?;
        let changed = meta.modified()?.duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
        hasher.update(file.as_bytes());
        hasher.update(meta.len().to_le_bytes());
        hasher.update(changed.to_le_bytes());
    }
    Ok(hasher.finalize()[..8].iter().map(|byte| format!("{byte:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let root = tempfile::tempdir().expect("a folder");
        std::fs::write(
            root.path().join("sw.js"),
            "const BUILD = '__HIENTRUONG_BUILD__';\nconst SHELL = __HIENTRUONG_SHELL__;\n",
        )
        .expect("template");
        std::fs::write(root.path().join("drafts.js"), "drafts").expect("drafts");
        std::fs::create_dir(root.path().join("pkg")).expect("pkg");
        for file in [
            "app.1a2b.js",
            "app.1a2b.wasm",
            "app.1a2b.wasm.br",
            "app.1a2b.css",
            "app.1a2b.css.gz",
            "chunk_7.3c4d.wasm",
            "chunk_7.3c4d.wasm.br",
        ] {
            std::fs::write(root.path().join("pkg").join(file), file).expect("built file");
        }
        root
    }

    #[test]
    fn the_worker_names_the_shell_that_exists_without_compressed_copies_or_staff_chunks() {
        let root = site();
        let script = write_worker(root.path()).expect("a worker");
        assert!(
            script.contains(
                r#"const SHELL = ["/","/drafts.js","/pkg/app.1a2b.css","/pkg/app.1a2b.js","/pkg/app.1a2b.wasm"];"#
            ),
            "{script}"
        );
        assert!(!script.contains("__HIENTRUONG"), "{script}");
    }

    #[test]
    fn a_changed_build_is_a_new_version() {
        let root = site();
        let before = write_worker(root.path()).expect("a worker");
        std::fs::write(root.path().join("pkg").join("app.1a2b.wasm"), "a new build, longer").expect("rebuilt");
        let after = write_worker(root.path()).expect("a worker");
        let version = |script: &str| script.lines().next().map(str::to_string);
        assert_ne!(version(&before), version(&after));
        assert_eq!(before.lines().nth(1), after.lines().nth(1), "the same files");
    }

    #[test]
    fn a_site_without_the_template_has_no_worker() {
        let root = tempfile::tempdir().expect("a folder");
        assert!(write_worker(root.path()).is_err());
    }
}
