//! Configuration from the environment, with defaults that run the app on one machine.

use crate::client::TrustedProxies;
use crate::clock::Clock;
use crate::demo::DemoDataset;
use crate::limits::RateLimits;
use crate::photos::UploadLimits;
use anyhow::Context;
use domain::open_data::Licence;
use leptos::config::LeptosOptions;
use services::retention::RetentionPolicy;
use services::{ScreeningRules, SessionRules};
use std::net::SocketAddr;
use std::sync::Arc;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/hientruong.db";
pub const DEFAULT_TILE_URL: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

/// A setting that may carry a password: `Debug` prints `[redacted]`, so neither a printed
/// configuration nor a log line holding one shows it. Only `expose` hands out the value.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The value itself, for the one place that needs it (a connection, a login).
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> std::fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret<String> {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret<String> {
    fn from(value: &str) -> Self {
        Self(value.to_string())
    }
}

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `sqlite://…` or `postgres://user:password@host/db`.
    pub database_url: Secret<String>,
    pub site_addr: SocketAddr,
    /// The folder with the compiled site (`pkg/`, `vendor/`, public assets).
    pub site_root: String,
    pub tile_url: String,
    pub demo: DemoDataset,
    /// Days a reporter has to rate a result before the case closes on its own.
    pub rating_window_days: u32,
    /// `smtp://…` of the relay that carries e-mail notices; none sent when unset.
    pub smtp_url: Option<Secret<String>>,
    /// A Nominatim-compatible service the map's search box also asks for places; none when unset.
    pub geocoder_url: Option<String>,
    /// When a deadline's reminder and leader steps come, in working days.
    pub escalation: domain::escalation::EscalationRules,
    pub mail_from: String,
    /// The address people reach the site at, for links in notices.
    pub public_url: String,
    /// How screening finds possible duplicates.
    pub screening: ScreeningRules,
    /// How often background jobs (notices, closing unrated cases) look for work.
    pub job_interval: std::time::Duration,
    /// Handled cases an agency needs in a period before the statistics rank it.
    pub ranking_minimum: u64,
    /// The folder photos are stored in (content-addressed files).
    pub media_dir: std::path::PathBuf,
    /// How long a public page, once rendered, is given to other anonymous visitors; `None`
    /// renders every request.
    pub page_cache: Option<std::time::Duration>,
    /// How often one client may act; `None` leaves every action unlimited.
    pub rate_limits: Option<Arc<RateLimits>>,
    /// Proxies whose `X-Forwarded-For` names the client that limits and quotas count by.
    pub trusted_proxies: TrustedProxies,
    /// What photos uploaded and not yet taken by a report may hold, and how many decode at once.
    pub uploads: UploadLimits,
    /// How long sessions last, unused and at most.
    pub sessions: SessionRules,
    /// The licence the open data is published under, stated in every export.
    pub open_data_licence: Licence,
    /// How long personal data is kept after a case is closed or rejected.
    pub retention: RetentionPolicy,
    // Staff digests and escalation mail.
    /// The hour (0 to 23, province time) of the agencies' daily digests and the leaders' weekly summary.
    pub digest_hour: u32,
    /// The time the deadline jobs go by: the system's, except in tests (see [`Clock`]).
    pub clock: Clock,
    // Push notices.
    /// Whom push services may contact about this server (the VAPID `sub`): a `mailto:` or https
    /// URL; `None` takes the public address when it is https, else the sender of the site's mail.
    pub push_contact: Option<String>,
    /// Whether subscriptions may name plain-http endpoints on this machine's loopback, as a test's
    /// own push service is: never in production.
    pub push_loopback_http: bool,
}

/// Where photos go unless `HIENTRUONG_MEDIA_DIR` says otherwise: a `media` folder beside a SQLite
/// database file, else `data/media`.
pub fn default_media_dir(database_url: &str) -> std::path::PathBuf {
    let file = database_url.strip_prefix("sqlite://").map(|rest| rest.split('?').next().unwrap_or(rest));
    match file.and_then(|file| std::path::Path::new(file).parent()) {
        Some(folder) if !folder.as_os_str().is_empty() && !database_url.contains(":memory:") => folder.join("media"),
        _ => std::path::PathBuf::from("data/media"),
    }
}

const MB: u64 = 1024 * 1024;

/// A rate over fewer handled cases says too little to rank an agency by.
pub const DEFAULT_RANKING_MINIMUM: u64 = 5;

pub const DEFAULT_MAIL_FROM: &str = "Phản ánh hiện trường <no-reply@localhost>";

impl Settings {
    /// Defaults for `database_url`: a free local port, no demo data, no e-mail.
    pub fn local(database_url: &str) -> Self {
        Self {
            database_url: database_url.into(),
            site_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            site_root: "target/site".into(),
            tile_url: DEFAULT_TILE_URL.into(),
            demo: DemoDataset::Off,
            rating_window_days: 7,
            smtp_url: None,
            geocoder_url: None,
            escalation: Default::default(),
            mail_from: DEFAULT_MAIL_FROM.into(),
            public_url: "http://127.0.0.1:3000".into(),
            job_interval: std::time::Duration::from_secs(30),
            screening: ScreeningRules::default(),
            ranking_minimum: DEFAULT_RANKING_MINIMUM,
            media_dir: default_media_dir(database_url),
            // A local server serves its own tests and one developer: limits are asked for explicitly.
            rate_limits: None,
            page_cache: Some(crate::page_cache::DEFAULT_LIFETIME),
            trusted_proxies: TrustedProxies::default(),
            uploads: UploadLimits::default(),
            sessions: SessionRules::default(),
            open_data_licence: Licence::default(),
            retention: RetentionPolicy::default(),
            digest_hour: domain::digest::DEFAULT_DIGEST_HOUR,
            clock: Clock::system(),
            push_contact: None,
            push_loopback_http: false,
        }
    }

    /// Reads `DATABASE_URL`, `LEPTOS_SITE_ADDR`, `LEPTOS_SITE_ROOT`, `HIENTRUONG_TILE_URL`, `HIENTRUONG_DEMO`,
    /// `HIENTRUONG_MEDIA_DIR`, `HIENTRUONG_OPEN_DATA_LICENCE` (an SPDX identifier, with
    /// `HIENTRUONG_OPEN_DATA_LICENCE_URL` for one the server does not know) and the other
    /// `HIENTRUONG_*` settings.
    pub fn from_env() -> anyhow::Result<Self> {
        let var = |name: &str, default: &str| {
            std::env::var(name).ok().filter(|v| !v.trim().is_empty()).unwrap_or_else(|| default.to_string())
        };
        let database_url = var("DATABASE_URL", DEFAULT_DATABASE_URL);
        let defaults = UploadLimits::default();
        let count = |name: &str, default: u64, what: &str| {
            var(name, &default.to_string())
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .with_context(|| format!("{name} must be a whole number of {what} above zero"))
        };
        let uploads = UploadLimits {
            unattached_per_client: count("HIENTRUONG_UNATTACHED_PER_CLIENT", defaults.unattached_per_client, "photos")?,
            unattached_total: count("HIENTRUONG_UNATTACHED_TOTAL", defaults.unattached_total, "photos")?,
            budget_bytes: count("HIENTRUONG_UPLOAD_BUDGET_MB", defaults.budget_bytes / MB, "megabytes")?
                .checked_mul(MB)
                .context("HIENTRUONG_UPLOAD_BUDGET_MB is too large")?,
            ..defaults
        };
        let licence_url = std::env::var("HIENTRUONG_OPEN_DATA_LICENCE_URL").ok();
        let open_data_licence =
            Licence::parse(&var("HIENTRUONG_OPEN_DATA_LICENCE", Licence::DEFAULT_ID), licence_url.as_deref())
                .context("HIENTRUONG_OPEN_DATA_LICENCE and HIENTRUONG_OPEN_DATA_LICENCE_URL")?;
        Ok(Self {
            open_data_licence,
            rate_limits: crate::limits::from_env()?.map(Arc::new),
            page_cache: match var("HIENTRUONG_PAGE_CACHE", "on").trim() {
                "on" => Some(crate::page_cache::DEFAULT_LIFETIME),
                "off" => None,
                other => anyhow::bail!("HIENTRUONG_PAGE_CACHE must be on or off, not {other:?}"),
            },
            trusted_proxies: TrustedProxies::parse(&var("HIENTRUONG_TRUSTED_PROXIES", ""))
                .context("HIENTRUONG_TRUSTED_PROXIES must be a comma-separated list of IP addresses")?,
            uploads,
            media_dir: std::env::var("HIENTRUONG_MEDIA_DIR")
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map(std::path::PathBuf::from)
                .unwrap_or_else(|| default_media_dir(&database_url)),
            database_url: database_url.into(),
            site_addr: var("LEPTOS_SITE_ADDR", "127.0.0.1:3000")
                .parse()
                .context("LEPTOS_SITE_ADDR must be an address such as 127.0.0.1:3000")?,
            site_root: var("LEPTOS_SITE_ROOT", "target/site"),
            tile_url: var("HIENTRUONG_TILE_URL", DEFAULT_TILE_URL),
            demo: DemoDataset::parse(&var("HIENTRUONG_DEMO", "off"))?,
            rating_window_days: var("HIENTRUONG_RATING_DAYS", "7")
                .parse()
                .context("HIENTRUONG_RATING_DAYS must be a whole number of days")?,
            smtp_url: std::env::var("HIENTRUONG_SMTP_URL").ok().filter(|v| !v.trim().is_empty()).map(Secret::new),
            geocoder_url: std::env::var("HIENTRUONG_GEOCODER_URL").ok().filter(|v| !v.trim().is_empty()),
            escalation: domain::escalation::EscalationRules {
                reminder_days_before: var("HIENTRUONG_REMINDER_DAYS_BEFORE", "1")
                    .trim()
                    .parse::<u16>()
                    .ok()
                    .filter(|days| (1..=20).contains(days))
                    .context("HIENTRUONG_REMINDER_DAYS_BEFORE must be a whole number of working days from 1 to 20")?,
                leader_days_after: var("HIENTRUONG_LEADER_DAYS_AFTER", "2")
                    .trim()
                    .parse::<u16>()
                    .ok()
                    .filter(|days| (1..=60).contains(days))
                    .context("HIENTRUONG_LEADER_DAYS_AFTER must be a whole number of working days from 1 to 60")?,
            },
            mail_from: var("HIENTRUONG_MAIL_FROM", DEFAULT_MAIL_FROM),
            retention: RetentionPolicy {
                contacts: chrono::Months::new(
                    var("HIENTRUONG_CONTACT_RETENTION_MONTHS", "12")
                        .trim()
                        .parse::<u32>()
                        .ok()
                        .filter(|months| (1..=120).contains(months))
                        .context(
                            "HIENTRUONG_CONTACT_RETENTION_MONTHS must be a whole number of months from 1 to 120",
                        )?,
                ),
                inappropriate_photos: chrono::Duration::days(
                    var("HIENTRUONG_INAPPROPRIATE_PHOTO_DAYS", "30")
                        .trim()
                        .parse::<u32>()
                        .ok()
                        .filter(|days| (1..=3650).contains(days))
                        .map(i64::from)
                        .context("HIENTRUONG_INAPPROPRIATE_PHOTO_DAYS must be a whole number of days from 1 to 3650")?,
                ),
            },
            public_url: var("HIENTRUONG_PUBLIC_URL", "http://127.0.0.1:3000"),
            job_interval: std::time::Duration::from_secs(
                var("HIENTRUONG_JOB_INTERVAL_SECONDS", "30")
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|seconds| (1..=3600).contains(seconds))
                    .context("HIENTRUONG_JOB_INTERVAL_SECONDS must be a whole number of seconds from 1 to 3600")?,
            ),
            ranking_minimum: var("HIENTRUONG_RANKING_MINIMUM", &DEFAULT_RANKING_MINIMUM.to_string())
                .parse()
                .context("HIENTRUONG_RANKING_MINIMUM must be a whole number of handled cases")?,
            sessions: {
                let defaults = SessionRules::default();
                let span = |name: &str, default: chrono::Duration, unit: fn(i64) -> chrono::Duration, what: &str| {
                    match std::env::var(name).ok().filter(|v| !v.trim().is_empty()) {
                        None => Ok(default),
                        Some(value) => value
                            .trim()
                            .parse::<u32>()
                            .ok()
                            .filter(|n| *n > 0)
                            .map(|n| unit(i64::from(n)))
                            .with_context(|| format!("{name} must be a whole number of {what} above zero")),
                    }
                };
                SessionRules {
                    citizen_idle: span(
                        "HIENTRUONG_CITIZEN_IDLE_DAYS",
                        defaults.citizen_idle,
                        chrono::Duration::days,
                        "days",
                    )?,
                    staff_idle: span(
                        "HIENTRUONG_STAFF_IDLE_HOURS",
                        defaults.staff_idle,
                        chrono::Duration::hours,
                        "hours",
                    )?,
                    citizen_lifetime: span(
                        "HIENTRUONG_CITIZEN_SESSION_DAYS",
                        defaults.citizen_lifetime,
                        chrono::Duration::days,
                        "days",
                    )?,
                    staff_lifetime: span(
                        "HIENTRUONG_STAFF_SESSION_DAYS",
                        defaults.staff_lifetime,
                        chrono::Duration::days,
                        "days",
                    )?,
                }
            },
            screening: ScreeningRules {
                duplicate_radius_metres: var("HIENTRUONG_DUPLICATE_METRES", "150")
                    .parse()
                    .context("HIENTRUONG_DUPLICATE_METRES must be a number of metres")?,
                duplicate_window_days: var("HIENTRUONG_DUPLICATE_DAYS", "30")
                    .parse()
                    .context("HIENTRUONG_DUPLICATE_DAYS must be a whole number of days")?,
            },
            digest_hour: var("HIENTRUONG_DIGEST_HOUR", &domain::digest::DEFAULT_DIGEST_HOUR.to_string())
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|hour| *hour <= 23)
                .context("HIENTRUONG_DIGEST_HOUR must be a whole hour from 0 to 23")?,
            clock: Clock::system(),
            push_contact: match std::env::var("HIENTRUONG_PUSH_CONTACT").ok().filter(|v| !v.trim().is_empty()) {
                Some(contact) if contact.trim().starts_with("mailto:") || contact.trim().starts_with("https://") => {
                    Some(contact.trim().to_string())
                }
                Some(_) => anyhow::bail!("HIENTRUONG_PUSH_CONTACT must be a mailto: or https:// URL"),
                None => None,
            },
            push_loopback_http: match var("HIENTRUONG_PUSH_LOOPBACK_HTTP", "false").trim() {
                "true" | "1" => true,
                "false" | "0" => false,
                other => anyhow::bail!("HIENTRUONG_PUSH_LOOPBACK_HTTP must be true or false, not {other:?}"),
            },
        })
    }

    /// Leptos' own options for these settings.
    pub fn leptos_options(&self) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name("hientruong")
            .site_root(self.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(self.site_addr)
            .hash_files(crate::delivery::assets_are_hashed("hash.txt"))
            .build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_shows_no_password() {
        let settings = Settings {
            smtp_url: Some("smtp://relay:smtp-pass-42@mail.example:25".into()),
            ..Settings::local("postgres://hientruong:db-pass-17@db.example:5432/hientruong")
        };
        for shown in [format!("{settings:?}"), format!("{settings:#?}")] {
            assert!(!shown.contains("db-pass-17"), "{shown}");
            assert!(!shown.contains("smtp-pass-42"), "{shown}");
            assert!(shown.contains("[redacted]"), "{shown}");
        }
        assert_eq!(settings.database_url.expose(), "postgres://hientruong:db-pass-17@db.example:5432/hientruong");
        assert_eq!(
            settings.smtp_url.as_ref().map(|url| url.expose().as_str()),
            Some("smtp://relay:smtp-pass-42@mail.example:25")
        );
    }

    #[test]
    fn a_secret_stays_hidden_inside_other_values() {
        let secret = Secret::new("hunter2".to_string());
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(&secret)), "Some([redacted])");
    }
}
