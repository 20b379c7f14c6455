//! How responses travel to the browser: sockets without Nagle's delay, compression the client
//! accepts, built assets served from disk, and the cache headers that let a return visit skip them.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderValue, Method, Response, StatusCode};
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::serve::{ListenerExt, TapIo};
use axum::Router;
use sha2::{Digest, Sha256};
use std::convert::Infallible;
use std::path::Path;
use tokio::net::{TcpListener, TcpStream};
use tower::Service;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
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
const LARGEST_PAGE: usize = 16 * 1024 * 1024;

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

fn precompressed(folder: impl AsRef<Path>) -> ServeDir {
    ServeDir::new(folder).precompressed_br().precompressed_gzip()
}

/// Compresses what is not compressed yet (pages, JSON, exports), and lets pages be revalidated
/// with an ETag instead of downloaded again.
pub fn around(router: Router) -> Router {
    router.layer(axum::middleware::from_fn(validate_pages)).layer(compression())
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
    CompressionLayer::new().br(true).gzip(true).no_deflate().no_zstd().compress_when(worth_compressing)
}

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
/// from the page as rendered for this request.
async fn validate_pages(request: Request, next: Next) -> Response<Body> {
    let is_get = request.method() == Method::GET;
    let known = request.headers().get(IF_NONE_MATCH).cloned();
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
    // A 304 makes the browser keep its copy of the page, scripts and their nonce with it, but take
    // the new response's headers: a policy naming this response's nonce would then block them.
    let policy_names_nonce = parts
        .headers
        .get(CONTENT_SECURITY_POLICY)
        .and_then(|policy| policy.to_str().ok())
        .is_some_and(|policy| policy.contains("'nonce-"));
    let tag = if policy_names_nonce { None } else { page_tag(&page) };
    let Some(tag) = tag else { return Response::from_parts(parts, Body::from(page)) };
    if known.as_ref().is_some_and(|known| matches_tag(known, &tag)) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(CONTENT_LENGTH);
        parts.headers.remove(CONTENT_TYPE);
        parts.headers.insert(ETAG, tag);
        return Response::from_parts(parts, Body::empty());
    }
    parts.headers.insert(ETAG, tag);
    Response::from_parts(parts, Body::from(page))
}

/// A weak tag: the page's meaning is the same whether it travels compressed or not. Every render
/// puts a fresh nonce on the page's scripts; it is left out, or no page would ever match.
fn page_tag(page: &[u8]) -> Option<HeaderValue> {
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
    let hex: String = digest[..16].iter().map(|byte| format!("{byte:02x}")).collect();
    HeaderValue::from_str(&format!("W/\"{hex}\"")).ok()
}

/// The nonce Leptos put on the page's first script, with its quotes.
fn page_nonce(page: &[u8]) -> Option<&[u8]> {
    const ATTRIBUTE: &[u8] = b"nonce=\"";
    let start = find(page, ATTRIBUTE)? + ATTRIBUTE.len() - 1;
    let length = page[start + 1..].iter().position(|&byte| byte == b'"')? + 2;
    Some(&page[start..start + length])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

fn matches_tag(if_none_match: &HeaderValue, tag: &HeaderValue) -> bool {
    let Ok(listed) = if_none_match.to_str() else { return false };
    let Ok(tag) = tag.to_str() else { return false };
    let opaque = |value: &str| value.trim().trim_start_matches("W/").to_owned();
    listed.split(',').any(|candidate| candidate.trim() == "*" || opaque(candidate) == opaque(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_tag_matches_itself_weakly_or_strongly_and_not_another_page() {
        let tag = page_tag(b"<html>one</html>").unwrap();
        let strong = HeaderValue::from_str(tag.to_str().unwrap().trim_start_matches("W/")).unwrap();
        assert!(matches_tag(&tag, &tag));
        assert!(matches_tag(&strong, &tag));
        let listed = HeaderValue::from_str(&format!("\"other\", {}", tag.to_str().unwrap())).unwrap();
        assert!(matches_tag(&listed, &tag));
        assert!(!matches_tag(&page_tag(b"<html>two</html>").unwrap(), &tag));
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
