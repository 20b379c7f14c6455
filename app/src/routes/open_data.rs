//! The open data's data dictionary at `/open-data`: every export column, how each published figure
//! is recomputed from them, the licence, and the downloads.

use crate::error::AppError;
use crate::i18n::{column_doc, figure_rules, open_data_tr, ColumnDoc, Lang, OpenDataKey};
use crate::lang::use_lang;
use domain::open_data::{ExportColumn, Licence};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use leptos_meta::Title;

/// The licence the open data is published under, as the server is configured. Public: the
/// exports state it to anyone.
#[server(prefix = "/api", endpoint = "open_data/licence", input = GetUrl, output = crate::codec::JsonText)]
pub async fn open_data_licence() -> Result<Licence, AppError> {
    let context = crate::request::context()?;
    Ok(context.open_data_licence)
}

/// One row of the dictionary's column table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentedColumn {
    pub name: &'static str,
    pub doc: ColumnDoc,
}

/// The columns the page documents, in the exports' order: built from the one list the CSV header
/// is built from.
pub fn documented_columns(lang: Lang) -> Vec<DocumentedColumn> {
    ExportColumn::ALL
        .iter()
        .map(|column| DocumentedColumn { name: column.name(), doc: column_doc(lang, *column) })
        .collect()
}

#[component]
pub fn OpenDataPage() -> impl IntoView {
    let lang = use_lang();
    let t = move |key| open_data_tr(lang.get(), key);
    let licence = Resource::new(|| (), |_| open_data_licence());
    // Read once: a title that reads a signal can be asked for after the page was disposed.
    let title = open_data_tr(lang.get_untracked(), OpenDataKey::Heading);
    view! {
        <Title text=title/>
        <article class="guide open-data">
            <h1>{move || t(OpenDataKey::Heading)}</h1>
            <p>{move || t(OpenDataKey::Intro)}</p>
            <h2>{move || t(OpenDataKey::DownloadsHeading)}</h2>
            <p>
                {move || t(OpenDataKey::DownloadAll)} ": "
                <a href="/api/v1/cases.csv" rel="external" download="">"CSV"</a>
                " · "
                <a href="/api/v1/cases.geojson" rel="external" download="">"GeoJSON"</a>
            </p>
            <p>{move || t(OpenDataKey::FiltersNote)}</p>
            <h2>{move || t(OpenDataKey::LicenceHeading)}</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    licence.await.ok().map(|licence| view! {
                        <p class="licence">
                            {move || t(OpenDataKey::LicenceText)} " "
                            <a href=licence.url.clone() rel="license">{licence.id.clone()}</a>
                            " (" {licence.url.clone()} ")."
                        </p>
                    })
                })}
            </Suspense>
            <p>{move || t(OpenDataKey::LicenceInExports)}</p>
            <h2>{move || t(OpenDataKey::FormatHeading)}</h2>
            <p>{move || t(OpenDataKey::CsvFormat)}</p>
            <p>{move || t(OpenDataKey::GeoJsonFormat)}</p>
            <p>{move || t(OpenDataKey::HeldBackNote)}</p>
            <table class="data-dictionary">
                <caption>{move || t(OpenDataKey::ColumnsCaption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || t(OpenDataKey::ColumnName)}</th>
                        <th scope="col">{move || t(OpenDataKey::ColumnMeaning)}</th>
                        <th scope="col">{move || t(OpenDataKey::ColumnFormat)}</th>
                        <th scope="col">{move || t(OpenDataKey::ColumnEmpty)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        documented_columns(lang.get())
                            .into_iter()
                            .map(|column| view! {
                                <tr>
                                    <th scope="row"><code>{column.name}</code></th>
                                    <td>{column.doc.meaning}</td>
                                    <td>{column.doc.format}</td>
                                    <td>{column.doc.empty}</td>
                                </tr>
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
            <h2>{move || t(OpenDataKey::FiguresHeading)}</h2>
            <p>{move || t(OpenDataKey::FiguresIntro)}</p>
            <table class="figure-rules">
                <caption>{move || t(OpenDataKey::FiguresCaption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || t(OpenDataKey::Figure)}</th>
                        <th scope="col">{move || t(OpenDataKey::Rule)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        figure_rules(lang.get())
                            .into_iter()
                            .map(|(figure, rule)| view! {
                                <tr>
                                    <th scope="row"><code>{figure}</code></th>
                                    <td>{rule}</td>
                                </tr>
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dictionary_lists_exactly_the_columns_of_the_csv_header() {
        for lang in [Lang::Vi, Lang::En] {
            let listed: Vec<&str> = documented_columns(lang).iter().map(|c| c.name).collect();
            assert_eq!(listed.join(","), ExportColumn::csv_header(), "{lang:?}");
        }
    }

    #[test]
    fn every_column_is_explained_in_both_languages() {
        for column in ExportColumn::ALL {
            let (vi, en) = (column_doc(Lang::Vi, column), column_doc(Lang::En, column));
            for doc in [vi, en] {
                assert!(!doc.meaning.is_empty() && !doc.format.is_empty() && !doc.empty.is_empty(), "{column:?}");
            }
            assert_ne!(vi.meaning, en.meaning, "{column:?} is translated");
        }
    }

    #[test]
    fn every_figure_the_test_recomputes_has_a_rule() {
        let figures: Vec<&str> = figure_rules(Lang::En).iter().map(|(figure, _)| *figure).collect();
        for figure in
            ["received", "accepted", "rejected", "rejected_by_reason", "handled", "on_time", "late", "ratings"]
        {
            assert!(figures.contains(&figure), "{figure}");
        }
        assert_eq!(figure_rules(Lang::Vi).len(), figures.len());
    }
}
