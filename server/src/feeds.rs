//! Atom feeds (RFC 4287): the newest screened cases, with the exports' filters, and one case's public timeline.

use crate::public_api::{export_filter, ExportParams};
use crate::rest::{ApiError, RequestLang};
use crate::startup::AppState;
use app::i18n::{change_label, status_label, Lang};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, SecondsFormat, Utc};
use services::store::{CaseFilter, ExportedCase};
use services::visibility::seen_case;

/// Entries a feed holds: the newest, as feed readers expect.
const FEED_ENTRIES: u32 = 50;

const FEED_TYPE: &str = "application/atom+xml; charset=utf-8";

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/cases.atom", get(cases_feed)).route("/api/v1/cases/{id}/timeline.atom", get(case_feed))
}

/// Text and attribute values with XML's five special characters escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all; free text has been cleaned of them already.
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn feed_head(title: &str, self_url: &str, alternate: &str, updated: DateTime<Utc>) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">\n\
         <id>{id}</id>\n<title>{title}</title>\n<updated>{updated}</updated>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{id}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{alternate}\"/>\n\
         <author><name>Hệ thống phản ánh hiện trường</name></author>\n",
        id = escape(self_url),
        title = escape(title),
        updated = time(updated),
        alternate = escape(alternate),
    )
}

/// When a case last changed in a way the public sees.
fn last_public_change(case: &ExportedCase) -> DateTime<Utc> {
    let published = case.published.as_ref();
    [
        published.and_then(|p| p.screened_at),
        published.and_then(|p| p.result_submitted_at),
        published.and_then(|p| p.resolved_at),
    ]
    .into_iter()
    .flatten()
    .fold(case.submitted_at, DateTime::max)
}

/// `GET /api/v1/cases.atom`: the newest screened cases, filtered as the exports are (`status`,
/// `category`, `agency`, `area`, `from`, `to`, `q`).
async fn cases_feed(
    State(state): State<AppState>,
    lang: RequestLang,
    Query(params): Query<ExportParams>,
    uri: axum::http::Uri,
) -> Result<Response, ApiError> {
    let lang = lang.lang();
    let filter = export_filter(&state.context, &params, lang).await?;
    let filter = CaseFilter { public_only: true, newest_first: true, ..filter };
    let store = state.context.store.as_ref();
    let unavailable = |error: services::store::StoreError| {
        tracing::error!(%error, "reading a feed failed");
        ApiError::unavailable(lang)
    };
    let cases = store.export_cases(&filter, i64::MAX, FEED_ENTRIES).await.map_err(unavailable)?;
    let categories = store.categories().await.map_err(unavailable)?;
    let public_url = state.public_url.trim_end_matches('/');
    let self_url = format!("{public_url}{uri}");
    let updated = cases.iter().map(last_public_change).max().unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let mut feed = feed_head("Phản ánh hiện trường", &self_url, &format!("{public_url}/map"), updated);
    for case in &cases {
        let Some(published) = &case.published else { continue };
        let link = format!("{public_url}/cases/{}", case.id);
        let category =
            categories.iter().find(|c| c.code == case.category).map_or(case.category.as_str(), |c| c.name_vi.as_str());
        feed.push_str(&format!(
            "<entry>\n<id>{link}</id>\n<title>#{id} · {title}</title>\n<updated>{updated}</updated>\n<published>{published_at}</published>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n<category term=\"{term}\" label=\"{label}\"/>\n\
             <summary>{status}: {description}</summary>\n</entry>\n",
            link = escape(&link),
            id = case.id,
            title = escape(&published.title),
            updated = time(last_public_change(case)),
            published_at = time(case.submitted_at),
            term = escape(&case.category),
            label = escape(category),
            status = escape(status_label(Lang::Vi, case.status)),
            description = escape(&published.description),
        ));
    }
    feed.push_str("</feed>\n");
    Ok(([(header::CONTENT_TYPE, FEED_TYPE)], feed).into_response())
}

/// `GET /api/v1/cases/N/timeline.atom`: the public steps of one screened case, newest first.
async fn case_feed(
    State(state): State<AppState>,
    lang: RequestLang,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let lang = lang.lang();
    let store = state.context.store.as_ref();
    let unavailable = |error: String| {
        tracing::error!(%error, "reading a case's feed failed");
        ApiError::unavailable(lang)
    };
    // The one visibility rule: a case the public may not see answers as a missing one.
    seen_case(store, id, None, None)
        .await
        .map_err(|e| unavailable(e.to_string()))?
        .ok_or_else(|| ApiError::not_found(lang))?;
    let case = store
        .public_case(id)
        .await
        .map_err(|e| unavailable(e.to_string()))?
        .ok_or_else(|| ApiError::not_found(lang))?;
    let public_url = state.public_url.trim_end_matches('/');
    let page = format!("{public_url}/cases/{id}");
    let self_url = format!("{public_url}/api/v1/cases/{id}/timeline.atom");
    let updated = case.timeline.iter().map(|e| e.occurred_at).max().unwrap_or(case.submitted_at);
    let mut feed = feed_head(&format!("#{id} · {}", case.title), &self_url, &page, updated);
    for (seq, event) in case.timeline.iter().enumerate().rev() {
        let mut summary = status_label(Lang::Vi, event.to_status).to_string();
        if let Some(agency) = &event.agency {
            summary.push_str(&format!(" · {agency}"));
        }
        if let Some(note) = &event.note {
            summary.push_str(&format!(": {note}"));
        }
        feed.push_str(&format!(
            "<entry>\n<id>{page}#{seq}</id>\n<title>{title}</title>\n<updated>{at}</updated>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{page}\"/>\n<summary>{summary}</summary>\n</entry>\n",
            page = escape(&page),
            title = escape(change_label(Lang::Vi, event.kind)),
            at = time(event.occurred_at),
            summary = escape(&summary),
        ));
    }
    feed.push_str("</feed>\n");
    Ok(([(header::CONTENT_TYPE, FEED_TYPE)], feed).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_special_characters_of_xml_are_escaped() {
        assert_eq!(escape("Rác <đổ> & \"bẩn\" 'quá'"), "Rác &lt;đổ&gt; &amp; &quot;bẩn&quot; &apos;quá&apos;");
        assert_eq!(escape("a\u{0007}b"), "ab");
    }
}
