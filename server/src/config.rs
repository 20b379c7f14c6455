//! Configuration from the environment, with defaults that run the app on one machine.

use crate::demo::DemoDataset;
use anyhow::Context;
use leptos::config::LeptosOptions;
use services::ScreeningRules;
use std::net::SocketAddr;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/hientruong.db";
pub const DEFAULT_TILE_URL: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub site_addr: SocketAddr,
    /// The folder with the compiled site (`pkg/`, `vendor/`, public assets).
    pub site_root: String,
    pub tile_url: String,
    pub demo: DemoDataset,
    /// Days a reporter has to rate a result before the case closes on its own.
    pub rating_window_days: u32,
    /// `smtp://…` of the relay that carries e-mail notices; none sent when unset.
    pub smtp_url: Option<String>,
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

/// A rate over fewer handled cases says too little to rank an agency by.
pub const DEFAULT_RANKING_MINIMUM: u64 = 5;

pub const DEFAULT_MAIL_FROM: &str = "Phản ánh hiện trường <no-reply@localhost>";

impl Settings {
    /// Defaults for `database_url`: a free local port, no demo data, no e-mail.
    pub fn local(database_url: &str) -> Self {
        Self {
            database_url: database_url.to_string(),
            site_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            site_root: "target/site".into(),
            tile_url: DEFAULT_TILE_URL.into(),
            demo: DemoDataset::Off,
            rating_window_days: 7,
            smtp_url: None,
            mail_from: DEFAULT_MAIL_FROM.into(),
            public_url: "http://127.0.0.1:3000".into(),
            job_interval: std::time::Duration::from_secs(30),
            screening: ScreeningRules::default(),
            ranking_minimum: DEFAULT_RANKING_MINIMUM,
            media_dir: default_media_dir(database_url),
        }
    }

    /// Reads `DATABASE_URL`, `LEPTOS_SITE_ADDR`, `LEPTOS_SITE_ROOT`, `HIENTRUONG_TILE_URL`, `HIENTRUONG_DEMO`,
    /// `HIENTRUONG_MEDIA_DIR` and the other `HIENTRUONG_*` settings.
    pub fn from_env() -> anyhow::Result<Self> {
        let var = |name: &str, default: &str| {
            std::env::var(name).ok().filter(|v| !v.trim().is_empty()).unwrap_or_else(|| default.to_string())
        };
        let database_url = var("DATABASE_URL", DEFAULT_DATABASE_URL);
        Ok(Self {
            media_dir: std::env::var("HIENTRUONG_MEDIA_DIR")
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map(std::path::PathBuf::from)
                .unwrap_or_else(|| default_media_dir(&database_url)),
            database_url,
            site_addr: var("LEPTOS_SITE_ADDR", "127.0.0.1:3000")
                .parse()
                .context("LEPTOS_SITE_ADDR must be an address such as 127.0.0.1:3000")?,
            site_root: var("LEPTOS_SITE_ROOT", "target/site"),
            tile_url: var("HIENTRUONG_TILE_URL", DEFAULT_TILE_URL),
            demo: DemoDataset::parse(&var("HIENTRUONG_DEMO", "off"))?,
            rating_window_days: var("HIENTRUONG_RATING_DAYS", "7")
                .parse()
                .context("HIENTRUONG_RATING_DAYS must be a whole number of days")?,
            smtp_url: std::env::var("HIENTRUONG_SMTP_URL").ok().filter(|v| !v.trim().is_empty()),
            mail_from: var("HIENTRUONG_MAIL_FROM", DEFAULT_MAIL_FROM),
            public_url: var("HIENTRUONG_PUBLIC_URL", "http://127.0.0.1:3000"),
            job_interval: std::time::Duration::from_secs(30),
            ranking_minimum: var("HIENTRUONG_RANKING_MINIMUM", &DEFAULT_RANKING_MINIMUM.to_string())
                .parse()
                .context("HIENTRUONG_RANKING_MINIMUM must be a whole number of handled cases")?,
            screening: ScreeningRules {
                duplicate_radius_metres: var("HIENTRUONG_DUPLICATE_METRES", "150")
                    .parse()
                    .context("HIENTRUONG_DUPLICATE_METRES must be a number of metres")?,
                duplicate_window_days: var("HIENTRUONG_DUPLICATE_DAYS", "30")
                    .parse()
                    .context("HIENTRUONG_DUPLICATE_DAYS must be a whole number of days")?,
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
            .build()
    }
}
