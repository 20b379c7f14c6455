//! How responses travel: compressed when the client accepts it, pages revalidated by ETag,
//! built assets served precompressed with their cache headers.

use crate::helpers::{spawn_app, spawn_app_configured};
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, ETAG, IF_NONE_MATCH, VARY};

#[tokio::test]
async fn a_page_is_compressed_for_a_client_that_accepts_it_and_revalidated_by_its_etag() {
    let app = spawn_app().await;
    // A page rendered whole before it is sent (SsrMode::Async) is the same on every render; a
    // streamed page may place its data differently from one render to the next, and then misses.
    let url = format!("{}/stats?from=2026-01-01&to=2026-03-31", app.address);
    let plain = app.client.get(&url).send().await.expect("page");
    assert_eq!(plain.status().as_u16(), 200);
    assert!(plain.headers().get(CONTENT_ENCODING).is_none(), "{:?}", plain.headers());
    let compressed = app.client.get(&url).header(ACCEPT_ENCODING, "br, gzip").send().await.expect("page");
    assert_eq!(compressed.headers()[CONTENT_ENCODING], "br");
    assert_eq!(compressed.headers()[CACHE_CONTROL], "no-cache");
    let varies: Vec<_> = compressed.headers().get_all(VARY).iter().collect();
    assert_eq!(varies, ["accept-encoding"], "said once, by whichever layer says it first");
    let tag = compressed.headers()[ETAG].clone();
    assert!(tag.to_str().expect("ascii").starts_with("W/\""), "{tag:?}");

    let again = app.client.get(&url).header(IF_NONE_MATCH, tag.clone()).send().await.expect("page");
    assert_eq!(again.status().as_u16(), 304);
    assert_eq!(again.headers()[ETAG], tag);
    let policy = |headers: &reqwest::header::HeaderMap| {
        headers.get("content-security-policy").and_then(|p| p.to_str().ok()).map(str::to_string)
    };
    assert!(policy(compressed.headers()).is_some_and(|p| p.contains("'nonce-")), "the page's scripts carry a nonce");
    assert_eq!(
        policy(again.headers()),
        policy(compressed.headers()),
        "the 304's policy names the nonce of the page the browser keeps"
    );
    assert!(again.bytes().await.expect("body").is_empty());

    let stale = app.client.get(&url).header(IF_NONE_MATCH, "W/\"stale\"").send().await.expect("page");
    assert_eq!(stale.status().as_u16(), 200);
    assert!(!stale.bytes().await.expect("body").is_empty());
}

#[tokio::test]
async fn json_is_compressed_with_gzip_for_a_client_that_accepts_only_gzip() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/api/v1/stats?from=2026-01-01&to=2026-12-31", app.address))
        .header(ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .expect("stats");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()[CONTENT_ENCODING], "gzip");
    assert!(response.headers()[VARY].to_str().expect("ascii").contains("accept-encoding"));
}

#[tokio::test]
async fn a_compressed_export_arrives_whole_as_browsers_download_it() {
    use std::io::Read as _;
    let app = spawn_app().await;
    let plain = app.get("/api/v1/cases.csv").await.bytes().await.expect("the plain export");
    for path in ["/api/v1/cases.csv", "/api/v1/cases.geojson"] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .header(ACCEPT_ENCODING, "gzip")
            .send()
            .await
            .expect("export");
        assert_eq!(response.headers()[CONTENT_ENCODING], "gzip", "{path}");
        // A stream cut short by its server fails here, as the browser's download did.
        let compressed = response.bytes().await.unwrap_or_else(|e| panic!("{path} arrived whole: {e}"));
        let mut text = Vec::new();
        flate2::read::GzDecoder::new(compressed.as_ref()).read_to_end(&mut text).expect("a whole gzip stream");
        if path.ends_with(".csv") {
            assert_eq!(text, plain.as_ref(), "the same rows as uncompressed");
        } else {
            assert!(text.ends_with(b"]}"), "the collection is closed");
        }
    }
}

#[tokio::test]
async fn built_assets_are_served_precompressed_and_public_files_cached_for_a_day() {
    let site = tempfile::tempdir().expect("site folder");
    std::fs::create_dir_all(site.path().join("pkg")).expect("pkg folder");
    std::fs::write(site.path().join("pkg/hientruong.js"), "export function hydrate() {}\n".repeat(40)).expect("js");
    std::fs::write(site.path().join("pkg/hientruong.js.br"), b"brotli bytes").expect("js.br");
    std::fs::write(site.path().join("favicon.svg"), "<svg/>").expect("icon");
    let root = site.path().display().to_string();
    let app = spawn_app_configured(|settings| settings.site_root = root).await;

    let script = app
        .client
        .get(format!("{}/pkg/hientruong.js", app.address))
        .header(ACCEPT_ENCODING, "gzip, br")
        .send()
        .await
        .expect("script");
    assert_eq!(script.status().as_u16(), 200);
    assert_eq!(script.headers()[CONTENT_ENCODING], "br");
    assert_eq!(script.headers()[VARY], "accept-encoding");
    // The test binary has no hash file beside it, so the script's name carries no hash.
    assert_eq!(script.headers()[CACHE_CONTROL], "no-cache");
    assert_eq!(script.bytes().await.expect("body").as_ref(), b"brotli bytes");

    let icon = app.client.get(format!("{}/favicon.svg", app.address)).send().await.expect("icon");
    assert_eq!(icon.status().as_u16(), 200);
    assert_eq!(icon.headers()[CACHE_CONTROL], "public, max-age=86400");
    assert_eq!(icon.headers()[VARY], "accept-encoding");

    let missing = app.client.get(format!("{}/pkg/missing.js", app.address)).send().await.expect("missing");
    assert_eq!(missing.status().as_u16(), 404);
    assert!(missing.headers().get(CACHE_CONTROL).is_none());
    let unknown_page = app.client.get(format!("{}/no-such-page", app.address)).send().await.expect("page");
    assert_eq!(unknown_page.status().as_u16(), 404);
}

/// A page's body with its scripts' nonce taken out, and that nonce, which its policy must name.
async fn page_and_nonce(app: &crate::helpers::TestApp, path: &str) -> (String, String) {
    let response = app.get(path).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    let policy = response.headers()["content-security-policy"].to_str().expect("ascii").to_string();
    let nonce = policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce").to_string();
    let body = response.text().await.expect("html");
    assert!(body.contains(&format!("nonce=\"{nonce}\"")), "the page's scripts carry its policy's nonce");
    (body.replace(&nonce, "NONCE"), nonce)
}

#[tokio::test]
async fn a_public_page_is_given_again_with_a_fresh_nonce_until_a_change_it_would_show() {
    use app::cases::ChangeRequest;
    use domain::case::ActorRole;
    let app = spawn_app_configured(|settings| settings.page_cache = Some(std::time::Duration::from_secs(600))).await;
    let coordinator = app.signed_in("dieuphoi.cache", ActorRole::Coordinator, None).await;
    let id = app.submit_case_as(&crate::helpers::valid_report("key-page-cache-1"), "").await;
    let path = format!("/cases/{id}");
    assert_eq!(app.get(&path).await.status().as_u16(), 404, "hidden before screening");
    app.change_ok(&coordinator, id, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;

    let (first, first_nonce) = page_and_nonce(&app, &path).await;
    let (second, second_nonce) = page_and_nonce(&app, &path).await;
    assert_ne!(first_nonce, second_nonce, "every answer has a nonce of its own");
    assert_eq!(first, second);

    let note = "Đội thu gom đã đến hiện trường lúc 9 giờ";
    assert!(!first.contains(note));
    app.change_ok(&coordinator, id, 2, &ChangeRequest::AddNote { text: note.into(), public: true }).await;
    let (after, _) = page_and_nonce(&app, &path).await;
    assert!(after.contains(note), "a change shows at once, though the page was kept for ten minutes");

    // Someone signed in is never given the anonymous page, nor is the anonymous page theirs.
    let signed_in = app.get_as(&path, &coordinator).await.text().await.expect("html");
    assert!(signed_in.contains("href=\"/staff/screening\""), "the coordinator's own navigation");
    assert!(!after.contains("href=\"/staff/screening\""), "no staff navigation for the public");
    let (anonymous_again, _) = page_and_nonce(&app, &path).await;
    assert_eq!(anonymous_again, after);
}
