//! The browser's protection, applied to every answer and every state-changing request: security
//! headers with a per-response script nonce, and the refusal of cross-site requests.
//!
//! Cross-site requests: a request that changes state (any method but GET, HEAD and OPTIONS) must
//! come from the site itself, as its `Origin` (else `Referer`) says, and carry the content type its
//! route documents: JSON for server functions, `application/octet-stream` (or an image type) for a
//! photo's bytes. A cross-site page can send neither without the browser asking first, which this
//! server never allows. Open311's `POST requests` is the one exception to the origin rule: its
//! callers are machines that send no `Origin`, and it is authorised by its `api_key` alone, never by
//! a session cookie, so a cross-site page gains nothing by sending it; it still must carry the
//! `application/x-www-form-urlencoded` body its specification defines.

use crate::rest::{ApiError, RequestLang};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::nonce::Nonce;
use std::net::SocketAddr;
use std::sync::Arc;

/// What the guard allows, from the site's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePolicy {
    /// The origins (`scheme://host[:port]`) the site is reached at.
    origins: Vec<String>,
    /// The origin of the map tiles, the only images from elsewhere.
    tile_source: Option<String>,
    /// Served over https: browsers are told to keep to it, and cookies are `Secure`.
    https: bool,
}

/// A year: browsers keep to https for this long after seeing the header once.
const HSTS: &str = "max-age=31536000; includeSubDomains";

impl SitePolicy {
    /// The site at `public_url`, bound to `bound`, drawing tiles from `tile_url`.
    pub fn new(public_url: &str, bound: SocketAddr, tile_url: &str) -> Self {
        let mut origins: Vec<String> = origin_of(public_url).into_iter().collect();
        let port = bound.port();
        origins.push(format!("http://{bound}"));
        // A server bound to every interface or to loopback is reached at these names on its own machine.
        if bound.ip().is_unspecified() || bound.ip().is_loopback() {
            origins.push(format!("http://127.0.0.1:{port}"));
            origins.push(format!("http://localhost:{port}"));
        }
        origins.dedup();
        Self {
            origins,
            tile_source: origin_of(&tile_url.replace("{s}", "*")),
            https: public_url.trim().to_ascii_lowercase().starts_with("https://"),
        }
    }

    /// The Content-Security-Policy of an answer whose inline scripts carry `nonce`. Scripts come
    /// from the site itself or carry the nonce, WebAssembly may be compiled, images come from the
    /// site and the tile server, and no other site may frame the page.
    pub fn content_security_policy(&self, nonce: &str) -> String {
        let tiles = self.tile_source.as_deref().map(|source| format!(" {source}")).unwrap_or_default();
        format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self' data: blob:{tiles}; connect-src 'self'; font-src 'self'; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        )
    }

    /// Whether `headers` say the request comes from the site itself.
    fn same_site(&self, headers: &HeaderMap) -> bool {
        let sender = headers
            .get(header::ORIGIN)
            .or_else(|| headers.get(header::REFERER))
            .and_then(|value| value.to_str().ok())
            .and_then(origin_of);
        sender.is_some_and(|sender| self.origins.contains(&sender))
    }
}

/// `scheme://host[:port]` of a URL, lower-cased; nothing when it is not an http(s) URL.
fn origin_of(url: &str) -> Option<String> {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default().to_ascii_lowercase();
    // Credentials in a URL are never part of its origin.
    let authority = authority.rsplit_once('@').map(|(_, host)| host.to_string()).unwrap_or(authority);
    if authority.is_empty() {
        return None;
    }
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let authority = authority.strip_suffix(default_port).unwrap_or(&authority);
    Some(format!("{scheme}://{authority}"))
}

/// The content types a state-changing request to `path` may carry.
fn accepted_content(path: &str) -> &'static [&'static str] {
    if path.starts_with("/open311/") {
        &["application/x-www-form-urlencoded"]
    } else if path == "/api/v1/photos" {
        &["application/octet-stream", "image/jpeg", "image/png", "image/webp", "image/heic", "image/heif"]
    } else {
        &["application/json"]
    }
}

/// Why a state-changing request is refused, if it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CrossSite {
    ContentType,
    Origin,
}

fn cross_site_refusal(policy: &SitePolicy, method: &Method, path: &str, headers: &HeaderMap) -> Option<CrossSite> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return None;
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
    if !content_type.is_some_and(|given| accepted_content(path).contains(&given.as_str())) {
        return Some(CrossSite::ContentType);
    }
    if !path.starts_with("/open311/") && !policy.same_site(headers) {
        return Some(CrossSite::Origin);
    }
    None
}

impl ApiError {
    /// A request refused as cross-site: 403, saying what it lacked.
    fn cross_site(lang: domain::lang::Lang, refusal: CrossSite) -> Self {
        let (header, message) = match refusal {
            CrossSite::ContentType => (
                "content-type",
                lang.pick(
                    "content-type: địa chỉ này không nhận kiểu nội dung đó; yêu cầu bị từ chối.",
                    "content-type: this address does not accept that content type; the request is refused.",
                ),
            ),
            CrossSite::Origin => (
                "origin",
                lang.pick(
                    "origin: yêu cầu không xuất phát từ chính trang này nên bị từ chối.",
                    "origin: the request does not come from this site itself, so it is refused.",
                ),
            ),
        };
        Self::refused_header(header, message)
    }
}

/// Refuses cross-site requests before anything reads them, and puts the security headers on every
/// answer. A page's inline scripts get the nonce its policy names.
pub async fn guard(State(policy): State<Arc<SitePolicy>>, mut request: Request<Body>, next: Next) -> Response {
    let nonce = Nonce::new();
    let mut response = match cross_site_refusal(&policy, request.method(), request.uri().path(), request.headers()) {
        Some(refusal) => {
            let lang = RequestLang::of(request.headers()).lang();
            tracing::info!(?refusal, path = request.uri().path(), "cross-site request refused");
            ApiError::cross_site(lang, refusal).into_response()
        }
        None => {
            request.extensions_mut().insert(nonce.clone());
            next.run(request).await
        }
    };
    let headers = response.headers_mut();
    if let Ok(policy_value) = HeaderValue::from_str(&policy.content_security_policy(&nonce)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy_value);
    }
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    if policy.https {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    response
}

/// The nonce the guard chose for the current request, for Leptos to put on the page's inline scripts.
pub fn request_nonce(parts: &axum::http::request::Parts) -> Option<Nonce> {
    parts.extensions.get::<Nonce>().cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> SitePolicy {
        SitePolicy::new(
            "https://phananh.quangbinh.gov.vn/",
            "0.0.0.0:3000".parse().expect("address"),
            "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
        )
    }

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(name, value)| (name.clone(), HeaderValue::from_static(value))).collect()
    }

    #[test]
    fn origins_are_compared_by_scheme_host_and_port() {
        assert_eq!(origin_of("https://Example.VN:443/a?b"), Some("https://example.vn".into()));
        assert_eq!(origin_of("http://127.0.0.1:3320/cases/1"), Some("http://127.0.0.1:3320".into()));
        assert_eq!(origin_of("http://user:pw@example.vn/"), Some("http://example.vn".into()));
        assert_eq!(origin_of("null"), None);
        assert_eq!(origin_of("file:///etc/passwd"), None);
        let policy = policy();
        assert_eq!(policy.tile_source.as_deref(), Some("https://*.tile.openstreetmap.org"));
        assert!(policy.https);
    }

    #[test]
    fn a_state_change_needs_the_documented_type_and_the_sites_origin() {
        let policy = policy();
        let post = Method::POST;
        let json_from = |origin| headers(&[(header::CONTENT_TYPE, "application/json"), (header::ORIGIN, origin)]);
        assert_eq!(
            cross_site_refusal(&policy, &post, "/api/login", &json_from("https://phananh.quangbinh.gov.vn")),
            None
        );
        assert_eq!(cross_site_refusal(&policy, &post, "/api/login", &json_from("http://localhost:3000")), None);
        assert_eq!(
            cross_site_refusal(&policy, &post, "/api/login", &json_from("https://evil.quangbinh.gov.vn")),
            Some(CrossSite::Origin)
        );
        let referred = headers(&[
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::REFERER, "https://phananh.quangbinh.gov.vn/login"),
        ]);
        assert_eq!(cross_site_refusal(&policy, &post, "/api/login", &referred), None);
        let plain =
            headers(&[(header::CONTENT_TYPE, "text/plain"), (header::ORIGIN, "https://phananh.quangbinh.gov.vn")]);
        assert_eq!(cross_site_refusal(&policy, &post, "/api/login", &plain), Some(CrossSite::ContentType));
        assert_eq!(cross_site_refusal(&policy, &post, "/api/login", &HeaderMap::new()), Some(CrossSite::ContentType));
        assert_eq!(
            cross_site_refusal(&policy, &post, "/api/login", &headers(&[(header::CONTENT_TYPE, "application/json")])),
            Some(CrossSite::Origin)
        );
        // Reading is never refused; Open311's key-authorised posts need their form type but no origin.
        assert_eq!(cross_site_refusal(&policy, &Method::GET, "/api/me", &HeaderMap::new()), None);
        let form = headers(&[(header::CONTENT_TYPE, "application/x-www-form-urlencoded")]);
        assert_eq!(cross_site_refusal(&policy, &post, "/open311/v2/requests.json", &form), None);
        assert_eq!(
            cross_site_refusal(
                &policy,
                &post,
                "/open311/v2/requests.json",
                &json_from("https://phananh.quangbinh.gov.vn")
            ),
            Some(CrossSite::ContentType)
        );
        let photo =
            headers(&[(header::CONTENT_TYPE, "application/octet-stream"), (header::ORIGIN, "http://127.0.0.1:3000")]);
        assert_eq!(cross_site_refusal(&policy, &post, "/api/v1/photos", &photo), None);
        assert_eq!(cross_site_refusal(&policy, &post, "/api/submit_case", &photo), Some(CrossSite::ContentType));
    }

    #[test]
    fn the_policy_names_the_nonce_the_tiles_and_no_inline_script() {
        let csp = policy().content_security_policy("abc123");
        assert!(csp.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"), "{csp}");
        assert!(csp.contains("https://*.tile.openstreetmap.org"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"), "{csp}");
    }
}
