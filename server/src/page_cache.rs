//! Public pages rendered once and kept for a second: in a burst, a thousand visitors to the map,
//! a case or the statistics cost the server one render each second, not a thousand.
//!
//! A page is kept only when every anonymous visitor would get the same one: one of the pages
//! every visitor sees alike ([`app::pages::SHARED_PAGES`]), asked for without a session or any
//! cookie but the language, answered 200 as HTML and setting no cookie. A kept page is told
//! apart by its address and language. It is given again only while it is younger than the
//! cache's lifetime and nothing has been written since it was rendered: any request that changes
//! something through this server, and any change the case index reads from the database (written
//! here or by another server), makes every kept page old. Each answer still carries its own
//! script nonce: the kept page is cut at its nonce and joined again with the new one. A page is
//! rendered by one request at a time: those that arrive meanwhile wait for that render.

use app::i18n::Lang;
use app::pages::{route_matches, SHARED_PAGES};
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, Method, Response, StatusCode};
use axum::middleware::Next;
use axum::response::IntoResponse;
use leptos::nonce::Nonce;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a page is given again: what "within a second" means for the public pages, whose map
/// and statistics already follow the database a quarter of a second behind.
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(1);
/// Pages kept at most: every public page in both languages, with room for the map's and the
/// statistics' filters. Past it, a page is rendered for each request until older ones expire,
/// so a client asking for endless distinct addresses cannot grow the server's memory.
const CAPACITY: usize = 512;
/// Addresses longer than any filter the public pages take are rendered, not kept.
const LONGEST_KEPT_ADDRESS: usize = 512;
/// A page larger than this is rendered for each request; the largest public page is far below it.
const LARGEST_KEPT_PAGE: usize = 1024 * 1024;
/// The bytes all kept pages may hold together (public pages are 8 to 15 kB as rendered).
const MOST_KEPT_BYTES: usize = 32 * 1024 * 1024;

/// What a page is kept under: its address and language.
type PageKey = (String, Lang);

/// The pages kept, the renders under way, and the count of changes that tells a kept page is old.
pub struct PageCache {
    lifetime: Duration,
    changes: AtomicU64,
    kept: Mutex<HashMap<PageKey, KeptPage>>,
    /// One render per page at a time: the requests for a page that arrive while it renders wait
    /// for that render instead of each rendering it too, as a burst would at every expiry.
    rendering: Mutex<HashMap<PageKey, Arc<Render>>>,
}

/// A render under way, and how its waiters learn it is over.
struct Render {
    /// The count of changes when it began: a render begun before a change is not waited for.
    changes: u64,
    over: tokio::sync::Notify,
}

/// The longest a request waits for another's render of its page before rendering it itself.
const LONGEST_WAIT_FOR_RENDER: Duration = Duration::from_secs(2);

/// A page as rendered, cut where its nonce was.
struct KeptPage {
    rendered_at: Instant,
    /// The count of changes when the render began: a change since makes the page old.
    changes: u64,
    headers: HeaderMap,
    pieces: Vec<Bytes>,
}

impl PageCache {
    /// A cache giving pages again for `lifetime`.
    pub fn new(lifetime: Duration) -> Self {
        Self {
            lifetime,
            changes: AtomicU64::new(0),
            kept: Mutex::new(HashMap::new()),
            rendering: Mutex::new(HashMap::new()),
        }
    }

    /// Something shown on a public page may have changed: no page kept so far is given again.
    pub fn changed(&self) {
        self.changes.fetch_add(1, Ordering::AcqRel);
    }

    /// How many pages are kept, current or not.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PageKey, KeptPage>> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn is_current(&self, page: &KeptPage, now: Instant) -> bool {
        page.changes == self.changes.load(Ordering::Acquire) && now.duration_since(page.rendered_at) < self.lifetime
    }

    /// The kept page for `key` with `nonce` on its scripts, if it is current.
    fn current(&self, key: &PageKey, nonce: &str) -> Option<Response<Body>> {
        // The pieces are shared bytes: taking them is cheap, and the join runs without the lock.
        let (pieces, headers) = {
            let kept = self.lock();
            let page = kept.get(key).filter(|page| self.is_current(page, Instant::now()))?;
            (page.pieces.clone(), page.headers.clone())
        };
        let mut response = Response::new(Body::from(join_at_nonce(&pieces, nonce)));
        *response.headers_mut() = headers;
        Some(response)
    }

    /// Keeps `page` unless the cache is full of current pages.
    fn keep(&self, key: PageKey, page: KeptPage) {
        let mut kept = self.lock();
        kept.remove(&key);
        let full = |kept: &HashMap<PageKey, KeptPage>| {
            kept.len() >= CAPACITY || kept.values().map(KeptPage::bytes).sum::<usize>() + page.bytes() > MOST_KEPT_BYTES
        };
        if full(&kept) {
            let now = Instant::now();
            kept.retain(|_, page| self.is_current(page, now));
            if full(&kept) {
                return;
            }
        }
        kept.insert(key, page);
    }

    fn renders(&self) -> std::sync::MutexGuard<'_, HashMap<PageKey, Arc<Render>>> {
        self.rendering.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The render of `key` begun since the last change, if one is under way; otherwise this
    /// request's own, registered so that the others wait for it.
    fn claim(self: &Arc<Self>, key: &PageKey) -> Claim {
        let changes = self.changes.load(Ordering::Acquire);
        let mut renders = self.renders();
        match renders.get(key) {
            Some(render) if render.changes == changes => Claim::Wait(render.clone()),
            _ => {
                let render = Arc::new(Render { changes, over: tokio::sync::Notify::new() });
                renders.insert(key.clone(), render.clone());
                Claim::Render(RenderGuard { cache: self.clone(), key: key.clone(), render })
            }
        }
    }

    /// Waits until `render` of `key` is over, or for [`LONGEST_WAIT_FOR_RENDER`] at most.
    async fn wait_for(&self, key: &PageKey, render: &Arc<Render>) {
        let over = render.over.notified();
        tokio::pin!(over);
        // Registered before looking: a render that ends after the look wakes this waiter.
        over.as_mut().enable();
        let under_way = self.renders().get(key).is_some_and(|current| Arc::ptr_eq(current, render));
        if under_way {
            let _ = tokio::time::timeout(LONGEST_WAIT_FOR_RENDER, over).await;
        }
    }

    /// The page for `key` with `nonce` on its scripts: the kept one when it is current, else one
    /// rendered by `render` (or by the request already rendering it), kept when it may be.
    async fn answer(
        self: &Arc<Self>,
        key: PageKey,
        nonce: &str,
        render: impl std::future::Future<Output = Response<Body>>,
    ) -> Response<Body> {
        if let Some(kept) = self.current(&key, nonce) {
            return kept;
        }
        let guard = match self.claim(&key) {
            Claim::Render(guard) => Some(guard),
            Claim::Wait(other) => {
                self.wait_for(&key, &other).await;
                if let Some(kept) = self.current(&key, nonce) {
                    return kept;
                }
                // That render could not be kept (an error, a cookie) or came before a change:
                // render this one alongside the others, not one after another.
                None
            }
        };
        let changes = guard.as_ref().map_or_else(|| self.changes.load(Ordering::Acquire), |guard| guard.render.changes);
        let rendered_at = Instant::now();
        let response = self.keep_if_shared(key, nonce, changes, rendered_at, render.await).await;
        drop(guard);
        response
    }

    /// Keeps `response` for `key` if it is a whole page every visitor may be given; answers it.
    async fn keep_if_shared(
        &self,
        key: PageKey,
        nonce: &str,
        changes: u64,
        rendered_at: Instant,
        response: Response<Body>,
    ) -> Response<Body> {
        let is_html = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("text/html"));
        if response.status() != StatusCode::OK || !is_html || response.headers().contains_key(SET_COOKIE) {
            return response;
        }
        let (parts, body) = response.into_parts();
        let page = match to_bytes(body, crate::delivery::LARGEST_PAGE).await {
            Ok(page) => page,
            Err(error) => {
                tracing::warn!(%error, "a public page could not be read whole");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        };
        if page.len() <= LARGEST_KEPT_PAGE {
            let headers = parts.headers.clone();
            self.keep(key, KeptPage { rendered_at, changes, headers, pieces: cut_at_nonce(&page, nonce) });
        }
        Response::from_parts(parts, Body::from(page))
    }
}

/// Whether a request renders its page or waits for the render under way.
enum Claim {
    Render(RenderGuard),
    Wait(Arc<Render>),
}

/// A request's render of a page; when it ends (kept, refused, or dropped with a closed connection),
/// the render is taken off the list and its waiters are woken.
struct RenderGuard {
    cache: Arc<PageCache>,
    key: PageKey,
    render: Arc<Render>,
}

impl Drop for RenderGuard {
    fn drop(&mut self) {
        let mut renders = self.cache.renders();
        if renders.get(&self.key).is_some_and(|current| Arc::ptr_eq(current, &self.render)) {
            renders.remove(&self.key);
        }
        drop(renders);
        self.render.over.notify_waiters();
    }
}

impl KeptPage {
    fn bytes(&self) -> usize {
        self.pieces.iter().map(Bytes::len).sum()
    }
}

/// What a request to a shared page is kept under, or `None` when it may differ by visitor.
fn key_of(request: &Request) -> Option<PageKey> {
    if request.method() != Method::GET || request.headers().contains_key(AUTHORIZATION) {
        return None;
    }
    let address = request.uri().path_and_query()?.as_str();
    if address.len() > LONGEST_KEPT_ADDRESS || !is_shared_page(request.uri().path()) {
        return None;
    }
    let cookies: Vec<&str> =
        request.headers().get_all(COOKIE).iter().map(|value| value.to_str().ok()).collect::<Option<_>>()?;
    let only_language = cookies
        .iter()
        .flat_map(|value| value.split(';'))
        .filter(|pair| !pair.trim().is_empty())
        .all(|pair| pair.trim().split_once('=').is_some_and(|(name, _)| name == app::i18n::LANG_COOKIE));
    if !only_language {
        return None;
    }
    // The page's language is its cookie's alone, as the page itself reads it.
    Some((address.to_string(), Lang::requested(cookies, None).unwrap_or_default()))
}

/// Whether `path` is one of the pages every anonymous visitor sees alike.
fn is_shared_page(path: &str) -> bool {
    SHARED_PAGES.iter().any(|pattern| route_matches(pattern, path))
}

/// `pieces` joined with `nonce` between each two.
fn join_at_nonce(pieces: &[Bytes], nonce: &str) -> Bytes {
    let length = pieces.iter().map(Bytes::len).sum::<usize>() + nonce.len() * pieces.len().saturating_sub(1);
    let mut joined = Vec::with_capacity(length);
    for (at, piece) in pieces.iter().enumerate() {
        if at > 0 {
            joined.extend_from_slice(nonce.as_bytes());
        }
        joined.extend_from_slice(piece);
    }
    Bytes::from(joined)
}

/// `page` cut at every occurrence of `nonce`.
fn cut_at_nonce(page: &Bytes, nonce: &str) -> Vec<Bytes> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for at in memchr::memmem::find_iter(page, nonce.as_bytes()) {
        pieces.push(page.slice(start..at));
        start = at + nonce.len();
    }
    pieces.push(page.slice(start..));
    pieces
}

/// Answers a shared page from the cache when it can, and keeps what it renders when it may.
/// Runs inside the security guard, whose nonce for this request it puts on the page.
pub async fn serve(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response<Body> {
    let nonce = request.extensions().get::<Nonce>().cloned();
    let (Some(key), Some(nonce)) = (key_of(&request), nonce) else { return next.run(request).await };
    cache.answer(key, &nonce, next.run(request)).await
}

/// Marks every kept page old once a request that may have changed something has succeeded:
/// anything but a read, answered without an error.
pub async fn note_changes(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response<Body> {
    let reads = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let response = next.run(request).await;
    if !reads && !response.status().is_client_error() && !response.status().is_server_error() {
        cache.changed();
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request as HttpRequest;

    fn get(address: &str, cookie: Option<&str>) -> Request {
        let mut request = HttpRequest::get(address);
        if let Some(cookie) = cookie {
            request = request.header(COOKIE, cookie);
        }
        request.body(Body::empty()).expect("a request")
    }

    #[test]
    fn public_pages_asked_without_a_session_are_kept_by_address_and_language() {
        assert_eq!(key_of(&get("/map?agency=X", None)), Some(("/map?agency=X".to_string(), Lang::Vi)));
        assert_eq!(key_of(&get("/cases/12", Some("lang=en"))), Some(("/cases/12".to_string(), Lang::En)));
        assert_eq!(key_of(&get("/", Some("lang=vi; "))), Some(("/".to_string(), Lang::Vi)));
    }

    #[test]
    fn pages_that_may_differ_by_visitor_are_never_kept() {
        assert_eq!(key_of(&get("/map", Some("lang=en; hientruong_session=abc"))), None, "a session");
        assert_eq!(key_of(&get("/cases/12", Some("hientruong_device=abc"))), None, "a device that supported");
        assert_eq!(key_of(&get("/receipt/secret-token", None)), None, "a receipt");
        assert_eq!(key_of(&get("/staff/screening", None)), None, "a staff page");
        assert_eq!(key_of(&get("/my/reports", None)), None, "a citizen's own page");
        assert_eq!(key_of(&get("/cases/12/extra", None)), None, "another shape");
        let long = format!("/map?q={}", "x".repeat(LONGEST_KEPT_ADDRESS));
        assert_eq!(key_of(&get(&long, None)), None, "an address too long");
        let post = HttpRequest::post("/map").body(Body::empty()).expect("a request");
        assert_eq!(key_of(&post), None, "not a read");
        let with_key =
            HttpRequest::get("/map").header(AUTHORIZATION, "Bearer k").body(Body::empty()).expect("a request");
        assert_eq!(key_of(&with_key), None, "an API key");
    }

    #[test]
    fn a_page_cut_at_its_nonce_is_joined_again_with_another() {
        let page = Bytes::from_static(b"<script nonce=\"AAAA\">x</script><script nonce=\"AAAA\"></script>");
        let pieces = cut_at_nonce(&page, "AAAA");
        assert_eq!(pieces.len(), 3);
        assert_eq!(
            join_at_nonce(&pieces, "BBBBBB"),
            Bytes::from_static(b"<script nonce=\"BBBBBB\">x</script><script nonce=\"BBBBBB\"></script>")
        );
        assert_eq!(join_at_nonce(&cut_at_nonce(&Bytes::from_static(b"plain"), "AAAA"), "B"), "plain");
    }

    fn kept(changes: u64, rendered_at: Instant) -> KeptPage {
        KeptPage { rendered_at, changes, headers: HeaderMap::new(), pieces: vec![Bytes::from_static(b"page")] }
    }

    #[test]
    fn a_kept_page_is_given_until_a_change_or_its_lifetime_ends() {
        let cache = PageCache::new(Duration::from_secs(60));
        let key = ("/map".to_string(), Lang::Vi);
        cache.keep(key.clone(), kept(0, Instant::now()));
        assert!(cache.current(&key, "n").is_some());
        assert!(cache.current(&("/map".to_string(), Lang::En), "n").is_none(), "another language");
        cache.changed();
        assert!(cache.current(&key, "n").is_none(), "a change since the render");
        let short = PageCache::new(Duration::from_millis(1));
        short.keep(key.clone(), kept(0, Instant::now() - Duration::from_millis(5)));
        assert!(short.current(&key, "n").is_none(), "older than the lifetime");
    }

    #[test]
    fn kept_pages_together_hold_a_bounded_number_of_bytes() {
        let cache = PageCache::new(Duration::from_secs(60));
        let large = |changes| KeptPage {
            pieces: vec![Bytes::from(vec![b'x'; LARGEST_KEPT_PAGE])],
            ..kept(changes, Instant::now())
        };
        for page in 0..MOST_KEPT_BYTES / LARGEST_KEPT_PAGE + 5 {
            cache.keep((format!("/cases/{page}"), Lang::Vi), large(0));
        }
        assert_eq!(cache.len(), MOST_KEPT_BYTES / LARGEST_KEPT_PAGE);
        cache.keep(("/cases/0".to_string(), Lang::Vi), large(0));
        assert_eq!(cache.len(), MOST_KEPT_BYTES / LARGEST_KEPT_PAGE, "a page kept again replaces itself");
    }

    #[test]
    fn a_full_cache_makes_room_only_by_dropping_pages_no_longer_current() {
        let cache = PageCache::new(Duration::from_secs(60));
        for page in 0..CAPACITY {
            cache.keep((format!("/cases/{page}"), Lang::Vi), kept(0, Instant::now()));
        }
        cache.keep(("/cases/new".to_string(), Lang::Vi), kept(0, Instant::now()));
        assert_eq!(cache.len(), CAPACITY);
        assert!(cache.current(&("/cases/new".to_string(), Lang::Vi), "n").is_none(), "no room among current pages");
        cache.changed();
        cache.keep(("/cases/new".to_string(), Lang::Vi), kept(1, Instant::now()));
        assert_eq!(cache.len(), 1, "every page older than the change dropped");
        assert!(cache.current(&("/cases/new".to_string(), Lang::Vi), "n").is_some());
    }

    fn html(nonce: &str, status: StatusCode) -> Response<Body> {
        let mut response = Response::new(Body::from(format!("<script nonce=\"{nonce}\">page</script>")));
        *response.status_mut() = status;
        response.headers_mut().insert(CONTENT_TYPE, axum::http::HeaderValue::from_static("text/html; charset=utf-8"));
        response
    }

    /// `visitors` requests for one page at once, each rendering (when it does) in 50 ms a page
    /// answered with `status`; answers each one's nonce and body, and how many renders ran.
    async fn burst(cache: &Arc<PageCache>, visitors: usize, status: StatusCode) -> (Vec<(String, String)>, u64) {
        let renders = Arc::new(AtomicU64::new(0));
        let mut answers = Vec::new();
        for visitor in 0..visitors {
            let (cache, renders) = (cache.clone(), renders.clone());
            answers.push(tokio::spawn(async move {
                let nonce = format!("nonce{visitor:03}");
                let render = {
                    let nonce = nonce.clone();
                    async move {
                        renders.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        html(&nonce, status)
                    }
                };
                let response = cache.answer(("/map".to_string(), Lang::Vi), &nonce, render).await;
                let body = to_bytes(response.into_body(), 1024).await.expect("a body");
                (nonce, String::from_utf8(body.to_vec()).expect("text"))
            }));
        }
        let mut bodies = Vec::new();
        for answer in answers {
            bodies.push(answer.await.expect("answered"));
        }
        (bodies, renders.load(Ordering::SeqCst))
    }

    #[tokio::test]
    async fn requests_arriving_while_a_page_renders_wait_for_that_render() {
        let cache = Arc::new(PageCache::new(Duration::from_secs(60)));
        let (answers, renders) = burst(&cache, 32, StatusCode::OK).await;
        assert_eq!(renders, 1, "one render for the whole burst");
        for (nonce, body) in answers {
            assert_eq!(body, format!("<script nonce=\"{nonce}\">page</script>"), "each with its own nonce");
        }
    }

    #[tokio::test]
    async fn a_render_that_cannot_be_kept_leaves_each_waiter_to_render_its_own() {
        let cache = Arc::new(PageCache::new(Duration::from_secs(60)));
        let (answers, renders) = burst(&cache, 8, StatusCode::NOT_FOUND).await;
        assert_eq!(renders, 8);
        assert!(answers.iter().all(|(nonce, body)| body.contains(nonce.as_str())));
        assert!(cache.is_empty(), "a missing page is never kept");
    }

    #[tokio::test]
    async fn a_render_cut_short_wakes_its_waiters_at_once() {
        let cache = Arc::new(PageCache::new(Duration::from_secs(60)));
        let key = ("/map".to_string(), Lang::Vi);
        let abandoned = {
            let (cache, key) = (cache.clone(), key.clone());
            tokio::spawn(async move { cache.answer(key, "first", std::future::pending()).await })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        let started = Instant::now();
        let waiter = {
            let cache = cache.clone();
            tokio::spawn(async move { cache.answer(key, "second", async { html("second", StatusCode::OK) }).await })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        // The visitor whose page was rendering closed the connection.
        abandoned.abort();
        let response = waiter.await.expect("answered");
        assert!(started.elapsed() < LONGEST_WAIT_FOR_RENDER, "woken by the abandoned render, not by the wait's end");
        let body = to_bytes(response.into_body(), 1024).await.expect("a body");
        assert_eq!(body, "<script nonce=\"second\">page</script>");
    }
}
