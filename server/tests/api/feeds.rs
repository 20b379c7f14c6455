//! Atom feeds: the newest screened cases with the exports' filters, and one case's public timeline,
//! each a well-formed Atom 1.0 document holding the elements RFC 4287 requires.

use crate::helpers::{spawn_app, valid_report, TestApp};
use app::cases::ChangeRequest;
use domain::case::ActorRole;
use serde_json::json;

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The Atom child `name` of `node`.
fn child<'a, 'input>(node: roxmltree::Node<'a, 'input>, name: &str) -> Option<roxmltree::Node<'a, 'input>> {
    node.children().find(|c| c.tag_name().name() == name && c.tag_name().namespace() == Some(ATOM))
}

/// The feed at `path`, checked against RFC 4287's required elements; answers each entry's title and link.
async fn feed(app: &TestApp, path: &str) -> Vec<(String, String)> {
    let response = app.get(path).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    assert_eq!(response.headers()["content-type"], "application/atom+xml; charset=utf-8");
    let text = response.text().await.expect("body");
    let document = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path} is not XML: {e}\n{text}"));
    let root = document.root_element();
    assert_eq!((root.tag_name().namespace(), root.tag_name().name()), (Some(ATOM), "feed"));
    for required in ["id", "title", "updated", "author"] {
        assert!(child(root, required).is_some(), "{path}: a feed has its {required}");
    }
    let updated = child(root, "updated").and_then(|n| n.text()).expect("updated");
    assert!(chrono::DateTime::parse_from_rfc3339(updated).is_ok(), "{updated}");
    root.children()
        .filter(|c| c.tag_name().name() == "entry")
        .map(|entry| {
            for required in ["id", "title", "updated"] {
                assert!(child(entry, required).is_some(), "{path}: an entry has its {required}");
            }
            let title = child(entry, "title").and_then(|n| n.text()).unwrap_or_default().to_string();
            let link = child(entry, "link").and_then(|n| n.attribute("href")).unwrap_or_default().to_string();
            (title, link)
        })
        .collect()
}

#[tokio::test]
async fn feeds_list_screened_cases_newest_first_with_filters_and_a_case_s_public_steps() {
    let app = spawn_app().await;
    let coordinator = app.signed_in("dieuphoi", ActorRole::Coordinator, None).await;
    let mut first = valid_report("key-feed-01");
    first["title"] = json!("Rác <đổ> trộm & bốc mùi ở bờ sông");
    let first = app.submit_case_as(&first, "").await;
    app.change_ok(&coordinator, first, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    let mut second = valid_report("key-feed-02");
    second["title"] = json!("Cây xanh gãy cành trên phố Mẹ Suốt");
    let second = app.submit_case_as(&second, "").await;
    app.change_ok(&coordinator, second, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    let unscreened = app.submit_case_as(&valid_report("key-feed-03"), "").await;

    let entries = feed(&app, "/api/v1/cases.atom").await;
    let ids: Vec<String> =
        entries.iter().map(|(_, link)| link.rsplit('/').next().unwrap_or_default().to_string()).collect();
    assert_eq!(ids, vec![second.to_string(), first.to_string()], "screened cases only, the newest first");
    assert_eq!(entries[1].0, format!("#{first} · Rác <đổ> trộm & bốc mùi ở bờ sông"), "text survives escaping");
    assert!(!ids.contains(&unscreened.to_string()));

    let filtered = feed(&app, "/api/v1/cases.atom?category=environment&area=dong-hoi&status=assigned").await;
    assert_eq!(filtered.len(), 2);
    let none = feed(&app, "/api/v1/cases.atom?status=closed").await;
    assert!(none.is_empty());
    let refused = app.get("/api/v1/cases.atom?status=flying").await;
    assert_eq!(refused.status().as_u16(), 422, "filters are refused by name as in the exports");

    let timeline = feed(&app, &format!("/api/v1/cases/{first}/timeline.atom")).await;
    let titles: Vec<&str> = timeline.iter().map(|(title, _)| title.as_str()).collect();
    assert_eq!(titles.len(), 2, "submitted and accepted: {titles:?}");
    assert_eq!(app.get(&format!("/api/v1/cases/{unscreened}/timeline.atom")).await.status().as_u16(), 404);
    assert_eq!(app.get("/api/v1/cases/999999/timeline.atom").await.status().as_u16(), 404);
}
