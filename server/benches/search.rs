//! Search over a million synthetic cases with Vietnamese titles and descriptions, on SQLite and on
//! PostgreSQL: the index's build time and size, and 200 queries of 1 to 4 words, with and without
//! diacritics, through the store's search beside the same words through a `LIKE '%…%'` scan of the
//! same database in the same run.
//!
//! `cargo bench -p hientruong --bench search` (HIENTRUONG_BENCH_CASES sets the size, default
//! 1,000,000; the PostgreSQL half runs when `127.0.0.1:5432` answers).

use domain::search::{fold, SearchQuery};
use hientruong::synthetic::{self, Lcg, PROBLEMS, STREETS, WARDS};
use hientruong::{seed, storage};
use services::store::CaseSearch;
use sqlx::Connection;
use std::time::Instant;

#[path = "../tests/support/postgres.rs"]
mod postgres_support;

const QUERIES: usize = 200;
const RESULTS: u32 = 20;
const INDEX_BATCH: u32 = 5_000;

fn millis(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

fn percentile(samples: &[f64], p: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(at).copied().unwrap_or(f64::NAN)
}

/// 200 queries as people type them: 1 to 4 consecutive words of a title, a street or a ward, half
/// without diacritics, the last word sometimes cut short as while typing.
fn queries() -> Vec<String> {
    let mut random = Lcg(7_919);
    let phrases: Vec<String> = PROBLEMS
        .iter()
        .map(|p| p.to_string())
        .chain(STREETS.iter().map(|s| format!("đường {s}")))
        .chain(WARDS.iter().map(|w| w.to_string()))
        .collect();
    (0..QUERIES)
        .map(|n| {
            let pick = |random: &mut Lcg, len: usize| ((random.next_unit() * len as f64) as usize).min(len - 1);
            let phrase = &phrases[pick(&mut random, phrases.len())];
            let words: Vec<&str> = phrase.split(' ').collect();
            let length = 1 + pick(&mut random, 4.min(words.len()));
            let start = pick(&mut random, words.len() - length + 1);
            let mut query: Vec<String> = words[start..start + length].iter().map(|w| w.to_string()).collect();
            if random.next_unit() < 0.3 {
                if let Some(last) = query.last_mut() {
                    let kept: String = last.chars().take(2.max(last.chars().count() / 2)).collect();
                    *last = kept;
                }
            }
            let typed = query.join(" ");
            if n % 2 == 0 {
                fold(&typed)
            } else {
                typed
            }
        })
        .collect()
}

/// The bytes the search index can be told apart by: SQLite's whole database (the index's growth is
/// the difference before and after building it), PostgreSQL's search table with its index.
async fn measured_bytes(url: &str) -> anyhow::Result<i64> {
    if url.starts_with("sqlite:") {
        let mut connection = sqlx::SqliteConnection::connect(url).await?;
        let pages: i64 = sqlx::query_scalar("PRAGMA page_count").fetch_one(&mut connection).await?;
        let page_size: i64 = sqlx::query_scalar("PRAGMA page_size").fetch_one(&mut connection).await?;
        return Ok(pages * page_size);
    }
    let mut connection = sqlx::PgConnection::connect(url).await?;
    Ok(sqlx::query_scalar("SELECT pg_total_relation_size('case_search')").fetch_one(&mut connection).await?)
}

/// The same words through a scan: every word somewhere in the lower-cased title and description.
async fn like_scan(url: &str, typed: &str) -> anyhow::Result<(f64, usize)> {
    let words: Vec<String> = typed.split_whitespace().map(|w| format!("%{}%", w.to_lowercase())).collect();
    let conditions: Vec<String> =
        (1..=words.len()).map(|n| format!("LOWER(title || ' ' || description) LIKE ${n}")).collect();
    let sql = format!(
        "SELECT id FROM cases WHERE {} AND status <> 'submitted' ORDER BY submitted_at DESC LIMIT {RESULTS}",
        conditions.join(" AND ")
    );
    if url.starts_with("sqlite:") {
        let mut connection = sqlx::SqliteConnection::connect(url).await?;
        let mut query = sqlx::query_scalar::<_, i64>(&sql);
        for word in &words {
            query = query.bind(word);
        }
        let started = Instant::now();
        let found = query.fetch_all(&mut connection).await?;
        return Ok((millis(started), found.len()));
    }
    let mut connection = sqlx::PgConnection::connect(url).await?;
    let mut query = sqlx::query_scalar::<_, i64>(&sql);
    for word in &words {
        query = query.bind(word);
    }
    let started = Instant::now();
    let found = query.fetch_all(&mut connection).await?;
    Ok((millis(started), found.len()))
}

async fn run_backend(name: &str, url: &str, count: i64) -> anyhow::Result<()> {
    println!("\n## {name}: {count} cases");
    let store = storage::connect(url).await?;
    store.seed_catalogue(&seed::catalogue()?).await?;
    let started = Instant::now();
    synthetic::fill(url, store.as_ref(), count).await?;
    println!("bulk load: {:.1} s", started.elapsed().as_secs_f64());

    let bytes_before = measured_bytes(url).await?;
    let started = Instant::now();
    let mut after = 0;
    let mut indexed = 0u64;
    while let (n, Some(last)) = store.index_cases_for_search(Some(after), INDEX_BATCH).await? {
        indexed += u64::from(n);
        after = last;
    }
    let build = started.elapsed().as_secs_f64();
    let bytes = measured_bytes(url).await? - bytes_before;
    println!(
        "index build: {indexed} cases in {build:.1} s ({:.0} cases/s); index size {:.0} MB",
        indexed as f64 / build,
        bytes as f64 / 1_048_576.0
    );

    let queries = queries();
    let (mut searched, mut scanned) = (Vec::new(), Vec::new());
    let (mut found_search, mut found_scan) = (0usize, 0usize);
    for typed in &queries {
        let Ok(Some(SearchQuery::Words(words))) = SearchQuery::parse(typed) else { continue };
        let search =
            CaseSearch { words: &words, public_only: true, agency: None, held_back_areas: None, limit: RESULTS };
        let started = Instant::now();
        let found = store.search_cases(&search).await?;
        searched.push(millis(started));
        found_search += usize::from(!found.is_empty());
        let (ms, hits) = like_scan(url, typed).await?;
        scanned.push(ms);
        found_scan += usize::from(hits > 0);
    }
    println!("| {name} | queries | p50 ms | p95 ms | max ms | queries with results |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (label, samples, hits) in
        [("search (folded, prefixes)", &searched, found_search), ("LIKE '%…%' scan", &scanned, found_scan)]
    {
        println!(
            "| {label} | {} | {:.2} | {:.2} | {:.2} | {hits} |",
            samples.len(),
            percentile(samples, 0.5),
            percentile(samples, 0.95),
            percentile(samples, 1.0)
        );
    }
    println!("ratio of p95s, LIKE scan / search: {:.0}×", percentile(&scanned, 0.95) / percentile(&searched, 0.95));
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let count: i64 = std::env::var("HIENTRUONG_BENCH_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    println!("# Search benchmark: {count} synthetic cases, {QUERIES} queries of 1 to 4 words, {RESULTS} results each");
    let folder = tempfile::tempdir()?;
    let url = format!("sqlite://{}/search.db", folder.path().display());
    run_backend("SQLite", &url, count).await?;
    if let Some(database) = postgres_support::TemporaryDatabase::create().await {
        run_backend("PostgreSQL", &database.url, count).await?;
    }
    Ok(())
}
