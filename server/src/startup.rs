//! Building and running the application: storage, catalogue, demo data, and the HTTP router.

use crate::account_mail::RelayedAccountMail;
use crate::blobs::{LocalBlobs, SharedBlobs};
use crate::clock::Clock;
use crate::config::Settings;
use crate::limits::{self, RateLimits};
use crate::notices::{self, Mailer};
use crate::page_cache::PageCache;
use crate::photos::UploadGate;
use crate::security::{self, SitePolicy};
use crate::split_code::SplitCode;
use crate::{
    app_shell, body_caps, client, delivery, demo, feeds, health, map_api, open311, page_cache, personal_data, photos,
    public_api, seed, staff_mail, storage,
};
use anyhow::Context;
use app::{shell, App};
use axum::extract::FromRef;
use axum::handler::Handler;
use axum::routing::get;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{file_and_error_handler_with_context, generate_route_list, AxumRouteListing, LeptosRoutes};
use services::case_index::{CaseIndex, LoadedFrom};
use services::ServerContext;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

/// The router's state: Leptos' options and what every request can reach.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub context: ServerContext,
    /// The site's public address, for links handed to other systems.
    pub public_url: String,
    /// Where photos are stored.
    pub blobs: SharedBlobs,
    /// What uploads may hold, and the photo decoders.
    pub uploads: Arc<UploadGate>,
    /// The server's side of Web Push: its key pair and who it says it is.
    pub push: Arc<crate::push::PushService>,
    /// Public pages rendered once and given to many visitors; `None` renders every request.
    pub page_cache: Option<Arc<PageCache>>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for ServerContext {
    fn from_ref(state: &AppState) -> Self {
        state.context.clone()
    }
}

/// A built application, bound to its port and ready to serve.
pub struct Application {
    listener: TcpListener,
    router: Router,
    context: ServerContext,
    rating_window: chrono::Duration,
    mailer: Option<Mailer>,
    job_interval: std::time::Duration,
    blobs: SharedBlobs,
    rate_limits: Option<Arc<RateLimits>>,
    /// The hour of the staff's digests, and the time the deadline jobs go by.
    digest_hour: u32,
    clock: Clock,
    push: Arc<crate::push::PushService>,
    page_cache: Option<Arc<PageCache>>,
}

impl Application {
    /// Opens the database, seeds the catalogue, loads the demo data asked for, and binds the
    /// address (port 0 picks a free one).
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let store = storage::connect(settings.database_url.expose()).await?;
        // Before serving, so that every event a case's next event chains from has its hash.
        let sealed = store.seal_event_chains().await.context("sealing the events' hash chains")?;
        if sealed > 0 {
            tracing::info!(sealed, "events stored before the hash chain existed are now sealed");
        }
        store.seed_catalogue(&seed::catalogue()?).await.context("seeding the catalogue")?;
        demo::load(store.as_ref(), settings.demo).await.context("loading demo data")?;
        let loading = std::time::Instant::now();
        let index = Arc::new(CaseIndex::load(store.as_ref()).await.context("loading the case index")?);
        let (cases, took_ms) = (index.len(), loading.elapsed().as_millis());
        match index.loaded_from() {
            LoadedFrom::Snapshot { caught_up } => {
                tracing::info!(cases, caught_up, took_ms, "case index read from its snapshot")
            }
            LoadedFrom::Database { snapshot_refused: None } => {
                tracing::info!(cases, took_ms, "case index read from the cases")
            }
            LoadedFrom::Database { snapshot_refused: Some(reason) } => {
                tracing::warn!(cases, took_ms, reason, "the case index's snapshot was not used; read from the cases")
            }
        }
        let push =
            Arc::new(crate::push::PushService::start(store.as_ref(), &settings).await.context("reading the push key")?);
        let mailer = match &settings.smtp_url {
            Some(url) => Some(
                Mailer::new(url.expose(), &settings.mail_from, &settings.public_url).context("HIENTRUONG_SMTP_URL")?,
            ),
            None => None,
        };
        let context = ServerContext {
            store,
            index,
            tile_url: settings.tile_url.clone(),
            screening: settings.screening,
            ranking_minimum: settings.ranking_minimum,
            sessions: settings.sessions,
            secure_cookies: settings.public_url.trim().to_ascii_lowercase().starts_with("https://"),
            rate_limits: settings.rate_limits.clone(),
            open_data_licence: settings.open_data_licence.clone(),
            retention: settings.retention,
            account_mail: mailer.clone().map(|mailer| {
                Arc::new(RelayedAccountMail::new(mailer)) as Arc<dyn services::account_links::AccountMail>
            }),
            escalation: settings.escalation,
            geocoder: match settings.geocoder_url.as_deref() {
                Some(url) => {
                    Some(Arc::new(crate::geocoder::Nominatim::new(url)?) as Arc<dyn services::places::Geocoder>)
                }
                None => None,
            },
        };
        let listener =
            TcpListener::bind(settings.site_addr).await.with_context(|| format!("binding {}", settings.site_addr))?;
        let mut leptos_options = settings.leptos_options();
        leptos_options.site_addr = listener.local_addr()?;
        let blobs: SharedBlobs = Arc::new(
            LocalBlobs::open(&settings.media_dir)
                .with_context(|| format!("opening the media folder {}", settings.media_dir.display()))?,
        );
        let page_cache = settings.page_cache.map(|lifetime| Arc::new(PageCache::new(lifetime)));
        let mut router = router(AppState {
            leptos_options,
            context: context.clone(),
            public_url: settings.public_url.clone(),
            blobs: blobs.clone(),
            uploads: Arc::new(UploadGate::new(settings.uploads)),
            push: push.clone(),
            page_cache: page_cache.clone(),
        });
        if let Some(limits) = &settings.rate_limits {
            // Outermost: a client past its limit is refused before any route reads its request.
            router = router.layer(axum::middleware::from_fn_with_state(limits.clone(), limits::guard));
        }
        // Outside the limits, which count by the client it names.
        let proxies = Arc::new(settings.trusted_proxies.clone());
        router = router.layer(axum::middleware::from_fn_with_state(proxies, client::identify));
        let rating_window = chrono::Duration::days(i64::from(settings.rating_window_days));
        Ok(Self {
            listener,
            router,
            context,
            rating_window,
            mailer,
            job_interval: settings.job_interval,
            blobs,
            rate_limits: settings.rate_limits.clone(),
            digest_hour: settings.digest_hour,
            clock: settings.clock.clone(),
            push,
            page_cache,
        })
    }

    /// The live case index the application started with.
    pub fn case_index(&self) -> &CaseIndex {
        &self.context.index
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Serves until the process is asked to stop, closing unrated cases as their window ends.
    pub async fn run(self) -> std::io::Result<()> {
        tracing::info!(address = %self.listener.local_addr()?, "serving");
        tokio::spawn(follow_case_changes(self.context.clone(), self.page_cache.clone()));
        tokio::spawn(close_unrated_cases(self.context.clone(), self.rating_window, self.job_interval));
        tokio::spawn(escalate_deadlines(self.context.clone(), self.job_interval, self.clock.clone()));
        tokio::spawn(sweep_unheld_photos(self.context.clone(), self.blobs.clone()));
        tokio::spawn(erase_expired_personal_data(self.context.clone()));
        tokio::spawn(index_for_search(self.context.clone()));
        tokio::spawn(purge_sessions(self.context.clone(), self.job_interval));
        tokio::spawn(crate::push::send_push_notices(self.context.store.clone(), self.push.clone(), self.job_interval));
        if let Some(mailer) = self.mailer.clone() {
            tokio::spawn(send_notices(self.context.clone(), mailer.clone(), self.job_interval));
            let (hour, clock) = (self.digest_hour, self.clock.clone());
            tokio::spawn(send_staff_mail(self.context.clone(), mailer, hour, clock, self.job_interval));
        }
        if let Some(limits) = self.rate_limits.clone() {
            tokio::spawn(forget_idle_clients(limits, self.job_interval));
        }
        // The peer's address is what rate limits count by.
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(delivery::without_nagle(self.listener), service).with_graceful_shutdown(shutdown_signal()).await
    }
}

/// The largest request body the server reads: a 10 MB area file or photo with its encoding.
/// Anything larger is refused with 413 before it is read, whatever the route.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;

/// The app's page routes, generated once per process. Generating them renders the app with
/// resource loading suppressed process-wide, so a page rendering meanwhile on another server of
/// the same process (as in the API tests) would wait forever for its data.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The HTTP routes: health, server functions and pages, then static files, all behind the security guard.
pub fn router(state: AppState) -> Router {
    let routes = page_routes();
    let page_cache = state.page_cache.clone();
    let provide = {
        let context = state.context.clone();
        move || {
            provide_context(context.clone());
            // The page's inline scripts carry the nonce the response's policy names.
            if let Some(nonce) = use_context::<axum::http::request::Parts>().as_ref().and_then(security::request_nonce)
            {
                provide_context(nonce);
            }
        }
    };
    let options = state.leptos_options.clone();
    let policy = Arc::new(SitePolicy::new(&state.public_url, state.leptos_options.site_addr, &state.context.tile_url));
    let pages = Router::new()
        .route("/healthz", get(health::healthz))
        .merge(open311::routes())
        .merge(public_api::routes())
        .merge(map_api::routes())
        .merge(personal_data::routes())
        .merge(feeds::routes())
        .merge(app_shell::routes())
        .merge(crate::push::routes())
        .leptos_routes_with_context(&state, routes, provide.clone(), move || shell(options.clone()));
    // Inside the security guard, whose nonce each answer from the cache carries.
    let pages = match &state.page_cache {
        Some(cache) => pages.layer(axum::middleware::from_fn_with_state(cache.clone(), page_cache::serve)),
        None => pages,
    };
    let not_found = file_and_error_handler_with_context::<AppState, _>(provide, shell).with_state(state.clone());
    let site = &state.leptos_options;
    let split = SplitCode::load(&site.site_root, &site.site_pkg_dir, app::pages::SPLIT_PAGES);
    let router = delivery::site_files(pages, &site.site_root, site.hash_files, not_found)
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_REQUEST_BYTES))
        // Server functions read their bodies through axum, whose own default is 2 MB.
        .layer(axum::extract::DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        // Each server function reads no more than its largest valid input needs.
        .layer(axum::middleware::from_fn(body_caps::cap))
        // Photo uploads read their bodies with the photo limit themselves, so that a refusal names the file.
        .merge(photos::routes())
        // Outermost but for tracing: cross-site requests are refused before any route reads them, and
        // every answer, a refusal or a static file included, carries the security headers.
        .layer(axum::middleware::from_fn_with_state(policy, security::guard))
        .layer(TraceLayer::new_for_http())
        .with_state(state);
    // Whatever route a change comes through, the public pages kept before it are not given again.
    let router = match &page_cache {
        Some(cache) => router.layer(axum::middleware::from_fn_with_state(cache.clone(), page_cache::note_changes)),
        None => router,
    };
    delivery::around(router, Arc::new(split))
}

/// Sends e-mail notices for public steps, including those of a downtime, retrying failed sends
/// after one job interval and doubling.
async fn send_notices(context: ServerContext, mailer: Mailer, every: std::time::Duration) {
    let retry_first = chrono::Duration::from_std(every).unwrap_or(chrono::Duration::minutes(1));
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        if let Err(error) = notices::deliver(context.store.as_ref(), &mailer, chrono::Utc::now(), retry_first).await {
            tracing::warn!(%error, "sending notices failed; will retry");
        }
    }
}

/// Mails the staff their escalation steps, the agencies' daily digests and the leaders' weekly
/// summary at `digest_hour` by `clock`, retrying failed sends after one job interval and doubling.
async fn send_staff_mail(
    context: ServerContext,
    mailer: Mailer,
    digest_hour: u32,
    clock: Clock,
    every: std::time::Duration,
) {
    let retry_first = chrono::Duration::from_std(every).unwrap_or(chrono::Duration::minutes(1));
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(error) = staff_mail::deliver(&context, &mailer, digest_hour, clock.now(), retry_first).await {
            tracing::warn!(%error, "sending the staff's mail failed; will retry");
        }
    }
}

/// Drops the rate limits' record of clients that have their whole allowance back.
async fn forget_idle_clients(limits: Arc<RateLimits>, every: std::time::Duration) {
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        limits.forget_idle();
    }
}

/// How often the case index reads the changes made by this server and any other.
const INDEX_REFRESH: std::time::Duration = std::time::Duration::from_millis(250);

/// Keeps the case index current, so maps and statistics show a change within a second, and saves
/// it now and then, so the next start reads one snapshot and the changes since.
async fn follow_case_changes(context: ServerContext, page_cache: Option<Arc<PageCache>>) {
    let saving = Arc::new(AtomicBool::new(false));
    let mut ticks = tokio::time::interval(INDEX_REFRESH);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match context.index.refresh(context.store.as_ref()).await {
            // A case changed, here or on another server: the public pages kept show it no longer.
            Ok(read) if read > 0 => page_cache.iter().for_each(|cache| cache.changed()),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "following case changes failed; will retry"),
        }
        if !saving.load(Ordering::Acquire) && context.index.snapshot_due().await {
            saving.store(true, Ordering::Release);
            let (context, saving) = (context.clone(), saving.clone());
            // Beside the refreshes: writing a large snapshot must not hold up following changes.
            tokio::spawn(async move {
                match context.index.save_snapshot(context.store.as_ref()).await {
                    Ok(bytes) => tracing::info!(bytes, "case index snapshot saved"),
                    Err(error) => tracing::warn!(%error, "saving the case index snapshot failed; will retry"),
                }
                saving.store(false, Ordering::Release);
            });
        }
    }
}

/// Closes resolved cases whose reporter did not rate them in time.
async fn close_unrated_cases(context: ServerContext, window: chrono::Duration, every: std::time::Duration) {
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        match services::changes::close_expired_ratings(context.store.as_ref(), window, chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(closed) => tracing::info!(closed, "closed cases whose rating window ended"),
            Err(error) => tracing::warn!(%error, "closing unrated cases failed; will retry"),
        }
    }
}

/// Cases indexed for search per transaction.
const SEARCH_BATCH: u32 = 250;

/// Transactions of search indexing per half second at most: 2,000 cases a second, far above a
/// province's daily rate, below a storm's peak.
const SEARCH_BATCHES_PER_TICK: usize = 4;

/// Keeps the search index current: a case is found within about a second of being stored, by
/// whichever server indexes it first.
async fn index_for_search(context: ServerContext) {
    let store = context.store.as_ref();
    // First the cases stored before (a database upgraded, or written while no server ran), page by page.
    let mut after = 0;
    loop {
        match store.index_cases_for_search(Some(after), SEARCH_BATCH).await {
            Ok((_, Some(last))) => after = last,
            Ok((_, None)) => break,
            Err(error) => {
                tracing::warn!(%error, "indexing stored cases for search failed; will retry");
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            }
        }
    }
    let mut ticks = tokio::time::interval(std::time::Duration::from_millis(500));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        // Small batches, each holding the database's write lock briefly, so that reports being
        // filed meanwhile wait for none of them for long; at most a few a tick, so that in a
        // burst filing comes first and indexing catches up once it has passed.
        let mut from = None;
        for _ in 0..SEARCH_BATCHES_PER_TICK {
            match store.index_cases_for_search(from, SEARCH_BATCH).await {
                Ok((indexed, Some(last))) if indexed == SEARCH_BATCH => from = Some(last),
                Ok(_) => break,
                Err(error) => {
                    tracing::warn!(%error, "indexing new cases for search failed; will retry");
                    break;
                }
            }
        }
    }
}

/// Takes the escalation steps of deadlines as they come due (see `services::escalation`), by `clock`.
async fn escalate_deadlines(context: ServerContext, every: std::time::Duration, clock: Clock) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let rules = context.escalation;
        match services::escalation::escalate_due(context.store.as_ref(), &rules, clock.now()).await {
            Ok(0) => {}
            Ok(taken) => tracing::info!(taken, "escalated deadlines"),
            Err(error) => tracing::warn!(%error, "escalating deadlines failed; will retry"),
        }
    }
}

/// Erases, every hour, the personal data past its retention (see `services::retention`).
async fn erase_expired_personal_data(context: ServerContext) {
    let mut ticks = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        ticks.tick().await;
        let policy = context.retention;
        match services::retention::erase_expired(context.store.as_ref(), &policy, chrono::Utc::now()).await {
            Ok(run) if run == services::retention::ErasureRun::default() => {}
            Ok(run) => tracing::info!(
                erasures = run.erasures,
                unattached_calls = run.unattached_calls,
                "erased personal data past its retention"
            ),
            Err(error) => tracing::warn!(%error, "erasing personal data past its retention failed; will retry"),
        }
    }
}

/// A day is ample to fill in a report after attaching its photos.
const UNHELD_PHOTO_AGE: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// Deletes, every hour, the photos uploaded for reports that were never submitted.
async fn sweep_unheld_photos(context: ServerContext, blobs: SharedBlobs) {
    let mut ticks = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        ticks.tick().await;
        match photos::sweep_unheld(context.store.as_ref(), &blobs, UNHELD_PHOTO_AGE).await {
            Ok(0) => {}
            Ok(swept) => tracing::info!(swept, "deleted photos no report took"),
            Err(error) => tracing::warn!(%error, "deleting unused photos failed; will retry"),
        }
    }
}

/// Deletes the sessions that have ended or been idle too long, and sign-in failures the throttle
/// no longer counts, so neither lingers in the database.
async fn purge_sessions(context: ServerContext, every: std::time::Duration) {
    let mut ticks = tokio::time::interval(every);
    let forgotten_after = services::login_throttle::LoginThrottle::default().window;
    loop {
        ticks.tick().await;
        let now = chrono::Utc::now();
        match context.store.purge_sessions(now).await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, "deleted ended sessions"),
            Err(error) => tracing::warn!(%error, "deleting ended sessions failed; will retry"),
        }
        match context.store.purge_login_failures(now - forgotten_after).await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, "deleted old sign-in failures"),
            Err(error) => tracing::warn!(%error, "deleting old sign-in failures failed; will retry"),
        }
    }
}

async fn shutdown_signal() {
    if let Err(error) = tokio::signal::ctrl_c().await {
        tracing::error!(%error, "could not listen for the stop signal");
        std::future::pending::<()>().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_split_page_is_a_route_of_the_app() {
        // The router writes a segment parameter as `{id}`; the split pages as `:id`.
        let routes: Vec<String> =
            page_routes().iter().map(|route| route.path().replace('{', ":").replace('}', "")).collect();
        for page in app::pages::SPLIT_PAGES {
            assert!(
                routes.iter().any(|route| route == page.path),
                "{} at {} is not a route: {routes:?}",
                page.route,
                page.path
            );
        }
    }
}
