//! How responses travel to the browser: sockets without Nagle's delay, compression the client
//! accepts, built assets served from disk, and the cache headers that let a return visit skip them.

use crate::split_code::SplitCode;
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY,
};
use axum::http::{HeaderValue, Method, Response, StatusCode};
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::serve::{ListenerExt, TapIo};
use axum::Router;
use sha2::{Digest, Sha256};
use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};
use tower::Service;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Built assets carry a hash of their content in their names, so a browser may keep them for good.
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
/// Built assets under a fixed name change with every build: the browser asks each time.
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");
/// Files of the site under fixed names (the icon, Leaflet) change with a release at most; a day
/// spares a returning citizen's phone a round trip per file.
const ONE_DAY: HeaderValue = HeaderValue::from_static("public, max-age=86400");

/// Responses below this are not worth a compression frame's overhead.
const SMALLEST_COMPRESSED: u16 = 256;
/// Larger bodies come precompressed from the release build; compressing the debug build's
/// unoptimised WebAssembly on every request would only slow the end-to-end tests.
const LARGEST_COMPRESSED_ON_THE_FLY: u64 = 4 * 1024 * 1024;
/// The largest page the server renders is far below this; a page is read whole to give it an ETag.
pub(crate) const LARGEST_PAGE: usize = 16 * 1024 * 1024;

/// Accepts connections with `TCP_NODELAY`: without it every response written in more than one
/// piece on a kept-alive connection waits about 40 ms for the client's delayed acknowledgement.
pub fn without_nagle(listener: TcpListener) -> TapIo<TcpListener, fn(&mut TcpStream)> {
    listener.tap_io(set_nodelay)
}

fn set_nodelay(stream: &mut TcpStream) {
    if let Err(error) = stream.set_nodelay(true) {
        tracing::debug!(%error, "could not set TCP_NODELAY on a connection");
    }
}

/// Whether cargo-leptos built the assets under content-hashed names: it then leaves the hashes
/// in `file_name` beside the server's executable.
pub fn assets_are_hashed(file_name: &str) -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|folder| folder.join(file_name)))
        .is_some_and(|hashes| hashes.is_file())
}

/// Serves the built site (`/pkg`, hashed or not) and the public files, brotli or gzip copies
/// first when the client accepts them, and hands every other path to `otherwise`.
pub fn site_files<S, F>(router: Router<S>, site_root: &str, hashed: bool, otherwise: F) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    F: Service<Request, Response = Response<Body>, Error = Infallible> + Clone + Send + Sync + 'static,
    F::Future: Send + 'static,
{
    let pkg_policy = if hashed { IMMUTABLE } else { REVALIDATE };
    let pkg = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::if_not_present(CACHE_CONTROL, move |response: &Response<_>| {
            response.status().is_success().then(|| pkg_policy.clone())
        }))
        .service(precompressed(Path::new(site_root).join("pkg")));
    let public = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::if_not_present(CACHE_CONTROL, |response: &Response<_>| {
            (response.status().is_success() && !is_html(response)).then_some(ONE_DAY)
        }))
        .service(precompressed(Path::new(site_root)).fallback(otherwise));
    router.nest_service("/pkg", pkg).fallback_service(public)
}

/// A file is sent as its brotli or gzip copy or as itself, and a page or answer compressed or not,
/// by the request's `Accept-Encoding`; a shared cache told so keeps one copy per encoding instead
/// of giving brotli to a client that cannot read it. The compression layer says so only for what
/// it would compress, not for a precompressed copy or a file too large to compress on the fly.
fn varies_with_encoding() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(VARY, HeaderValue::from_static(ACCEPT_ENCODING.as_str()))
}

fn precompressed(folder: impl AsRef<Path>) -> ServeDir {
    ServeDir::new(folder).precompressed_br().precompressed_gzip()
}

/// Compresses what is not compressed yet (pages, JSON, exports), and lets pages be revalidated
/// with an ETag instead of downloaded again.
pub fn around(router: Router, split: Arc<SplitCode>) -> Router {
    router
        .layer(axum::middleware::from_fn_with_state(split, validate_pages))
        .layer(compression())
        .layer(varies_with_encoding())
}

fn compression() -> CompressionLayer<impl Predicate> {
    let not_too_large =
        |_: StatusCode, _: axum::http::Version, headers: &axum::http::HeaderMap, _: &axum::http::Extensions| {
            content_length(headers).is_none_or(|length| length <= LARGEST_COMPRESSED_ON_THE_FLY)
        };
    // Photos are JPEG already; compressing them again costs time and saves nothing.
    let worth_compressing = SizeAbove::new(SMALLEST_COMPRESSED)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::GRPC)
        .and(NotForContentType::SSE)
        .and(not_too_large);
    // Brotli's own default is its slowest quality (11), meant for files compressed once: on a
    // 48 kB page it costs more than rendering the page. Quality 4 (gzip level 4 for gzip) is what
    // on-the-fly compression usually takes; the built assets stay precompressed at the best quality.
    CompressionLayer::new()
        .br(true)
        .gzip(true)
        .no_deflate()
        .no_zstd()
        .quality(CompressionLevel::Precise(ON_THE_FLY_QUALITY))
        .compress_when(worth_compressing)
}

/// The compression quality of pages and answers made per request.
const ON_THE_FLY_QUALITY: i32 = 2;

fn content_length(headers: &axum::http::HeaderMap) -> Option<u64> {
    headers.get(CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

fn is_html<B>(response: &Response<B>) -> bool {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"))
}

/// Gives every page an ETag of its content and `Cache-Control: no-cache`: a browser keeps the
/// page but asks each time, and gets `304 Not Modified` without a body while it is unchanged.
/// Pages depend on the visitor's session and language, which the ETag covers since it is taken
/// from the page as rendered for this request. A page whose code is split off has the browser
/// fetch its files beside the main module.
async fn validate_pages(State(split): State<Arc<SplitCode>>, request: Request, next: Next) -> Response<Body> {
    let is_get = request.method() == Method::GET;
    let known = request.headers().get(IF_NONE_MATCH).cloned();
    // A `Uri` is shared bytes: keeping it costs no copy of the path.
    let uri = request.uri().clone();
    let response = next.run(request).await;
    if !is_get || response.status() != StatusCode::OK || !is_html(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let page = match to_bytes(body, LARGEST_PAGE).await {
        Ok(page) => page,
        Err(error) => {
            tracing::warn!(%error, "a page could not be read whole");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    parts.headers.insert(CACHE_CONTROL, REVALIDATE);
    let page = match split.files_of(uri.path()) {
        Some(files) => with_split_files(page, files, split.loader()),
        None => with_early_compile(page),
    };
    let Some(tag) = page_tag(&page) else { return Response::from_parts(parts, Body::from(page)) };
    // Each render puts a fresh nonce on the page's scripts and names it in the policy. The tag
    // carries the nonce too: a 304 keeps the browser's copy of the page, whose scripts carry the
    // nonce it was sent with, and the browser takes the 304's headers, so the policy sent with it
    // must name that same nonce. Only an unchanged page is answered so, never new content.
    let nonce = page_nonce(&page).map(|quoted| quoted[1..quoted.len() - 1].to_vec());
    let sent_tag = |nonce: &[u8]| tagged(&tag, nonce);
    if let Some(earlier) = known.as_ref().and_then(|known| unchanged_nonce(known, &tag)) {
        let policy = parts.headers.get(CONTENT_SECURITY_POLICY).and_then(|policy| policy.to_str().ok());
        let renamed = match (policy, &nonce) {
            (Some(policy), Some(now)) => {
                let now = String::from_utf8_lossy(now);
                HeaderValue::from_str(&policy.replace(&format!("'nonce-{now}'"), &format!("'nonce-{earlier}'"))).ok()
            }
            _ => None,
        };
        if let Some(renamed) = renamed {
            parts.headers.insert(CONTENT_SECURITY_POLICY, renamed);
        }
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(CONTENT_LENGTH);
        parts.headers.remove(CONTENT_TYPE);
        if let Some(tag) = sent_tag(earlier.as_bytes()) {
            parts.headers.insert(ETAG, tag);
        }
        return Response::from_parts(parts, Body::empty());
    }
    if let Some(tag) = sent_tag(nonce.as_deref().unwrap_or_default()) {
        parts.headers.insert(ETAG, tag);
    }
    Response::from_parts(parts, Body::from(page))
}

/// `page` with its code fetched only once the first frame is painted: the split page's `files` (a
/// JSON list), the main module and its glue. Leptos would preload the main module from the head, and
/// Lighthouse counts every request begun before the paint it observes in its estimate of the
/// largest paint, so a page of server-rendered text was scored as if it waited for 400 kB of
/// WebAssembly; the first paint also shares a slow link with none of it. The report form (never
/// split) starts its download from the head instead ([`with_early_compile`]). Preloads, rather than
/// bare fetches, let the split loader's own requests take the files (a `fetch` whose body nobody
/// reads is not kept, and the loader downloaded every file again). The loader is imported beside
/// the glue, which would otherwise ask for it only once it has arrived itself. The script carries
/// the nonce of the page's others; a page without a head or a nonce is left as it is, and one whose
/// hydration script is not Leptos' own only gains the preloads once parsed.
fn with_split_files(page: Bytes, files: &str, loader: Option<&str>) -> Bytes {
    let (Some(end_of_head), Some(nonce)) = (find(&page, b"</head>"), page_nonce(&page)) else { return page };
    let nonce = String::from_utf8_lossy(nonce);
    let preload = format!(
        "for (const href of {files}) document.head.append(Object.assign(document.createElement(\"link\"), {{ rel: \"preload\", as: \"fetch\", crossOrigin: \"\", href }}));"
    );
    let Some(hydration) = LeptosHydration::find(&page[..end_of_head]) else {
        let script = format!("<script type=\"module\" nonce={nonce}>{preload}</script>");
        return edited(&page, &[(end_of_head..end_of_head, &script)]);
    };
    let loader = loader.map(|loader| format!("import(\"{loader}\").catch(() => {{}}); ")).unwrap_or_default();
    let script = format!(
        "<script type=\"module\" nonce={nonce}>const start = () => {{ {preload} {loader}{} }}; if (document.visibilityState === \"hidden\") start(); else requestAnimationFrame(() => setTimeout(start, 0));</script>",
        compile_then_hydrate(hydration.glue_href, hydration.module_href, "")
    );
    let [glue, module, leptos_script] = hydration.elements;
    edited(&page, &[(glue, ""), (module, ""), (leptos_script, ""), (end_of_head..end_of_head, &script)])
}

/// `page` (one not split off) with its main module compiled while it downloads, from a script at
/// the top of the head. Leptos' own start compiles the module only once the page is parsed and the
/// glue and the loader it imports have arrived one after the other: on a fast connection the whole
/// download had waited in memory, and decoding it at once ran in the same long task as the
/// hydration. (The loader is not preloaded from the head: Lighthouse then counts it before the
/// first paint, a round trip more in its estimate, and in Chromium the form answered no sooner.)
/// A page whose head is not Leptos' own, or has no nonce, is left as it is.
fn with_early_compile(page: Bytes) -> Bytes {
    const HEAD: &[u8] = b"<head>";
    let (Some(head), Some(end_of_head), Some(nonce)) = (find(&page, HEAD), find(&page, b"</head>"), page_nonce(&page))
    else {
        return page;
    };
    let Some(hydration) = LeptosHydration::find(&page[..end_of_head]) else { return page };
    let nonce = String::from_utf8_lossy(nonce);
    let script = format!(
        "<script nonce={nonce}>{{ {} }}</script>",
        compile_then_hydrate(
            hydration.glue_href,
            hydration.module_href,
            "addEventListener(\"DOMContentLoaded\", () => "
        )
    );
    let top = head + HEAD.len();
    let [_glue, module, leptos_script] = hydration.elements;
    // The glue's own `modulepreload` stays: it is fetched from the head as before.
    edited(&page, &[(top..top, &script), (module, ""), (leptos_script, "")])
}

/// A script's statements that compile the main module at `module` as it downloads and, once
/// `when` (a call that takes the rest as a callback, or nothing for at once) lets it, import the
/// glue at `glue` and hydrate. A browser without streaming compilation, or a compilation that
/// fails, leaves the glue to fetch the module itself.
fn compile_then_hydrate(glue: &str, module: &str, when: &str) -> String {
    let close = if when.is_empty() { "" } else { ")" };
    format!(
        "const compiled = typeof WebAssembly.compileStreaming === \"function\" ? WebAssembly.compileStreaming(fetch(\"{module}\")).catch(() => fetch(\"{module}\")) : fetch(\"{module}\"); {when}import(\"{glue}\").then((glue) => glue.default({{ module_or_path: compiled }}).then(() => glue.hydrate())){close};"
    )
}

/// `page` with each of `edits` (byte ranges in order, none overlapping) replaced by its text.
fn edited(page: &[u8], edits: &[(std::ops::Range<usize>, &str)]) -> Bytes {
    let mut joined = Vec::with_capacity(page.len() + edits.iter().map(|(_, text)| text.len()).sum::<usize>());
    let mut from = 0;
    for (range, text) in edits {
        joined.extend_from_slice(&page[from..range.start]);
        joined.extend_from_slice(text.as_bytes());
        from = range.end;
    }
    joined.extend_from_slice(&page[from..]);
    Bytes::from(joined)
}

/// How Leptos starts the app from a page's head (`HydrationScripts`): a `modulepreload` of the
/// glue script, a `preload` of the main module, and a script that imports the one and instantiates
/// the other.
struct LeptosHydration<'page> {
    /// The three elements' byte ranges, in order.
    elements: [std::ops::Range<usize>; 3],
    glue_href: &'page str,
    module_href: &'page str,
}

impl<'page> LeptosHydration<'page> {
    fn find(head: &'page [u8]) -> Option<LeptosHydration<'page>> {
        let glue = element_at(head, b"<link rel=\"modulepreload\" ")?;
        let module = element_at(head, b"<link rel=\"preload\" href=\"")?;
        let script_body = find(head, b"(function (root, pkg_path, output_name, wasm_output_name, defer)")?;
        let script_start = memchr::memmem::rfind(&head[..script_body], b"<script")?;
        let script_end = script_body + find(&head[script_body..], b"</script>")? + b"</script>".len();
        let glue_href = built_href(&head[glue.clone()])?;
        let module_href = built_href(&head[module.clone()])?;
        // The three in the order Leptos writes them, the module a WebAssembly file.
        if !module_href.ends_with(".wasm") || glue.end > module.start || module.end > script_start {
            return None;
        }
        Some(LeptosHydration { elements: [glue, module, script_start..script_end], glue_href, module_href })
    }
}

/// The element of `head` that starts with `start`, up to its closing `>`.
fn element_at(head: &[u8], start: &[u8]) -> Option<std::ops::Range<usize>> {
    let from = find(head, start)?;
    let length = head[from..].iter().position(|&byte| byte == b'>')? + 1;
    Some(from..from + length)
}

/// The `href` of an element naming a built file: only letters, digits, `/`, `.`, `_` and `-`, so it
/// may stand in a script's string as it is.
fn built_href(element: &[u8]) -> Option<&str> {
    const ATTRIBUTE: &[u8] = b" href=\"";
    let from = find(element, ATTRIBUTE)? + ATTRIBUTE.len();
    let length = element[from..].iter().position(|&byte| byte == b'"')?;
    let href = std::str::from_utf8(&element[from..from + length]).ok()?;
    let plain = href.starts_with("/pkg/")
        && href.bytes().all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'/' | b'.' | b'_' | b'-'));
    plain.then_some(href)
}

/// The tag sent for a page of content `tag` whose scripts carry `nonce`: `W/"<content>.<nonce>"`.
fn tagged(tag: &str, nonce: &[u8]) -> Option<HeaderValue> {
    let nonce = std::str::from_utf8(nonce).ok()?;
    HeaderValue::from_str(&format!("W/\"{tag}.{nonce}\"")).ok()
}

/// The nonce of the listed tag whose content is `tag`, if any: the page the browser holds is
/// unchanged, and its scripts carry that nonce. A nonce is only ever letters, digits and the
/// base64 marks, so nothing else is echoed into a header.
fn unchanged_nonce(if_none_match: &HeaderValue, tag: &str) -> Option<String> {
    let listed = if_none_match.to_str().ok()?;
    listed.split(',').find_map(|candidate| {
        let opaque = candidate.trim().trim_start_matches("W/").trim_matches('"');
        let (content, nonce) = opaque.split_once('.')?;
        let plain = nonce.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_'));
        (content == tag && plain).then(|| nonce.to_string())
    })
}

/// The page's content, as a hash: the same whether it travels compressed or not, and leaving
/// out the fresh nonce every render puts on the page's scripts, or no page would ever match.
fn page_tag(page: &[u8]) -> Option<String> {
    let mut hasher = Sha256::new();
    match page_nonce(page) {
        Some(nonce) => {
            let mut rest = page;
            while let Some(at) = find(rest, nonce) {
                hasher.update(&rest[..at]);
                rest = &rest[at + nonce.len()..];
            }
            hasher.update(rest);
        }
        None => hasher.update(page),
    }
    let digest = hasher.finalize();
    Some(digest[..16].iter().map(|byte| format!("{byte:02x}")).collect())
}

/// The nonce Leptos put on the page's first script, with its quotes.
fn page_nonce(page: &[u8]) -> Option<&[u8]> {
    const ATTRIBUTE: &[u8] = b"nonce=\"";
    let start = find(page, ATTRIBUTE)? + ATTRIBUTE.len() - 1;
    let length = page[start + 1..].iter().position(|&byte| byte == b'"')? + 2;
    Some(&page[start..start + length])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    // A byte-by-byte comparison at every position took a tenth of the time of serving the map page.
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_page_fetches_its_files_from_a_script_with_the_pages_nonce() {
        let page = Bytes::from_static(b"<html><head><script nonce=\"n0\">x</script></head><body></body></html>");
        let with = with_split_files(page.clone(), r#"["/pkg/a.wasm"]"#, None);
        assert_eq!(
            std::str::from_utf8(&with).expect("text"),
            "<html><head><script nonce=\"n0\">x</script><script type=\"module\" nonce=\"n0\">for (const href of [\"/pkg/a.wasm\"]) document.head.append(Object.assign(document.createElement(\"link\"), { rel: \"preload\", as: \"fetch\", crossOrigin: \"\", href }));</script></head><body></body></html>"
        );
        assert_eq!(
            page_tag(&with),
            page_tag(&with_split_files(
                Bytes::from(std::str::from_utf8(&page).expect("text").replace("n0", "n1")),
                r#"["/pkg/a.wasm"]"#,
                None
            ))
        );
        let without_nonce = Bytes::from_static(b"<html><head></head><body></body></html>");
        assert_eq!(with_split_files(without_nonce.clone(), r#"["/pkg/a.wasm"]"#, None), without_nonce);
    }

    /// The head of a page as Leptos renders it, around a title.
    const LEPTOS_HEAD: &str = concat!(
        "<html><head><link id=\"leptos\" rel=\"stylesheet\" href=\"/pkg/site.c1.css\">",
        "<link rel=\"modulepreload\" href=\"/pkg/site.j1.js\" crossorigin=\"n0\">",
        "<link rel=\"preload\" href=\"/pkg/site.w1.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin=\"n0\">",
        "<script type=\"module\" nonce=\"n0\">(function (root, pkg_path, output_name, wasm_output_name, defer) {\n\tconst hydrate = () => 1;\n})\n(\"\", \"pkg\", \"site.j1\", \"site.w1\", false);</script>",
        "<title>T</title></head><body></body></html>"
    );

    /// What starts the app on the head above: the main module compiled as it downloads, then the glue.
    const COMPILE_THEN_HYDRATE: &str = concat!(
        "const compiled = typeof WebAssembly.compileStreaming === \"function\" ? ",
        "WebAssembly.compileStreaming(fetch(\"/pkg/site.w1.wasm\")).catch(() => fetch(\"/pkg/site.w1.wasm\")) : fetch(\"/pkg/site.w1.wasm\"); "
    );

    #[test]
    fn a_split_page_fetches_the_main_module_with_its_files_once_the_first_frame_is_painted() {
        let files = r#"["/pkg/a.wasm","/pkg/b.wasm"]"#;
        let with = with_split_files(Bytes::from_static(LEPTOS_HEAD.as_bytes()), files, Some("/pkg/loader.l1.js"));
        let with = std::str::from_utf8(&with).expect("text");
        let head = &with[..with.find("</head>").expect("a head")];
        assert!(!head.contains("modulepreload") && !head.contains("<link rel=\"preload\""), "{head}");
        assert!(!head.contains("(function (root"), "{head}");
        assert!(head.starts_with(
            "<html><head><link id=\"leptos\" rel=\"stylesheet\" href=\"/pkg/site.c1.css\"><title>T</title>"
        ));
        let start = format!(
            "<script type=\"module\" nonce=\"n0\">const start = () => {{ for (const href of {files}) document.head.append(Object.assign(document.createElement(\"link\"), {{ rel: \"preload\", as: \"fetch\", crossOrigin: \"\", href }})); import(\"/pkg/loader.l1.js\").catch(() => {{}}); {COMPILE_THEN_HYDRATE}import(\"/pkg/site.j1.js\").then((glue) => glue.default({{ module_or_path: compiled }}).then(() => glue.hydrate())); }};"
        );
        assert!(head.contains(&start), "{head}");
        assert!(head.ends_with("requestAnimationFrame(() => setTimeout(start, 0));</script>"), "{head}");
        assert!(with.ends_with("</head><body></body></html>"));
    }

    #[test]
    fn a_page_not_split_compiles_its_module_from_the_top_of_its_head() {
        let with = with_early_compile(Bytes::from_static(LEPTOS_HEAD.as_bytes()));
        let with = std::str::from_utf8(&with).expect("text");
        let expected = format!(
            "<html><head><script nonce=\"n0\">{{ {COMPILE_THEN_HYDRATE}addEventListener(\"DOMContentLoaded\", () => import(\"/pkg/site.j1.js\").then((glue) => glue.default({{ module_or_path: compiled }}).then(() => glue.hydrate()))); }}</script>",
        );
        let expected = expected
            + "<link id=\"leptos\" rel=\"stylesheet\" href=\"/pkg/site.c1.css\">"
            + "<link rel=\"modulepreload\" href=\"/pkg/site.j1.js\" crossorigin=\"n0\">"
            + "<title>T</title></head><body></body></html>";
        assert_eq!(with, expected);
    }

    #[test]
    fn a_page_whose_head_is_not_leptos_own_is_left_as_it_is() {
        for page in [
            "<html><head><script nonce=\"n0\">x</script></head><body></body></html>",
            &LEPTOS_HEAD.replace("/pkg/site.w1.wasm", "/pkg/site\");alert(1);(\".wasm"),
            &LEPTOS_HEAD.replace(" nonce=\"n0\"", ""),
        ] {
            let page = Bytes::from(page.to_owned());
            assert_eq!(with_early_compile(page.clone()), page);
        }
    }

    #[test]
    fn a_head_naming_anything_but_plain_built_files_keeps_leptos_own_start() {
        let odd = LEPTOS_HEAD.replace("/pkg/site.j1.js", "/pkg/site');alert(1);('.j1.js");
        let with = with_split_files(Bytes::from(odd.clone()), r#"["/pkg/a.wasm"]"#, None);
        let with = std::str::from_utf8(&with).expect("text");
        assert!(with.contains("(function (root, pkg_path") && with.contains("modulepreload"));
        assert!(with.contains("for (const href of [\"/pkg/a.wasm\"])"));
    }

    #[test]
    fn a_listed_tag_of_the_same_content_gives_back_the_nonce_the_browser_holds() {
        let tag = page_tag(b"<html>one</html>").expect("a tag");
        let sent = tagged(&tag, b"Abc+/9=").expect("a header");
        assert_eq!(unchanged_nonce(&sent, &tag).as_deref(), Some("Abc+/9="));
        let strong = HeaderValue::from_str(sent.to_str().expect("ascii").trim_start_matches("W/")).expect("a header");
        assert_eq!(unchanged_nonce(&strong, &tag).as_deref(), Some("Abc+/9="));
        let listed = HeaderValue::from_str(&format!("\"other.x\", {}", sent.to_str().expect("ascii"))).expect("list");
        assert_eq!(unchanged_nonce(&listed, &tag).as_deref(), Some("Abc+/9="));
        let other = page_tag(b"<html>two</html>").expect("a tag");
        assert_eq!(unchanged_nonce(&sent, &other), None, "changed content is sent again");
        let injected = HeaderValue::from_str(&format!("W/\"{tag}.a' 'unsafe-inline\"")).expect("a header");
        assert_eq!(unchanged_nonce(&injected, &tag), None, "nothing but a nonce is echoed into the policy");
    }

    #[test]
    fn pages_differing_only_in_their_nonce_share_a_tag() {
        let first = page_tag(br#"<script nonce="abc">1</script><link crossorigin="abc">"#).unwrap();
        let second = page_tag(br#"<script nonce="xyz9">1</script><link crossorigin="xyz9">"#).unwrap();
        let other = page_tag(br#"<script nonce="xyz9">2</script><link crossorigin="xyz9">"#).unwrap();
        assert_eq!(first, second);
        assert_ne!(first, other);
    }
}
