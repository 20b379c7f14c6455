//! The `hientruong` binary: serves the app, creates the first administrator, migrates, verifies, backs up or restores the database.

use anyhow::Context;
use clap::Parser;
use hientruong::cli::{Cli, Command};
use hientruong::{storage, Application, Settings};
use tracing_subscriber::EnvFilter;

// Rendering a page makes and frees many small strings across threads, where glibc's allocator
// spent a fifth of the server's time; mimalloc keeps them per thread.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // Before the configuration is read, so that --help and --version work whatever the environment holds.
    let command = Cli::parse().command_or_serve();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let settings = Settings::from_env()?;
    match command {
        Command::Serve => {
            let application = Application::build(settings).await?;
            application.run().await?;
        }
        Command::CreateAdmin { username, full_name } => {
            let password = admin_password()?;
            let id = hientruong::admin::create_admin(&settings, &username, &full_name, &password).await?;
            println!("administrator {username} created (account {id})");
        }
        Command::Migrate => {
            // Opening the store applies every migration it does not have yet.
            let store = storage::connect(settings.database_url.expose()).await.context("migrating the database")?;
            let sealed = store.seal_event_chains().await.context("sealing the events' hash chains")?;
            if sealed > 0 {
                println!("{sealed} events stored before the hash chain existed are now sealed");
            }
            println!("the database schema is up to date");
        }
        Command::Verify => {
            let store = storage::connect(settings.database_url.expose()).await?;
            let summary = services::chain::verify_chains(store.as_ref(), |broken| println!("{broken}")).await?;
            if summary.broken > 0 {
                anyhow::bail!(
                    "{} of {} cases have a broken chain of events ({} events read)",
                    summary.broken,
                    summary.cases,
                    summary.events
                );
            }
            println!("{} cases, {} events, all chains intact", summary.cases, summary.events);
        }
        Command::Backup { dir } => {
            let manifest = hientruong::backup::backup(&settings, &dir).await?;
            println!(
                "backup written to {}: {} cases, {} events, {} photos ({} files, {} bytes of media), taken at {}",
                dir.display(),
                manifest.counts.cases,
                manifest.counts.events,
                manifest.counts.photos,
                manifest.media.files,
                manifest.media.bytes,
                manifest.taken_at.to_rfc3339()
            );
        }
        Command::Restore { dir, force } => {
            let restored = hientruong::backup::restore(&settings, &dir, force).await?;
            println!(
                "restored the backup taken at {}: {} cases, {} events, {} photos; {} media files copied; integrity check: {}",
                restored.manifest.taken_at.to_rfc3339(),
                restored.counts.cases,
                restored.counts.events,
                restored.counts.photos,
                restored.media_copied,
                restored.integrity
            );
            anyhow::ensure!(restored.integrity == "ok", "the restored database fails its integrity check");
        }
    }
    Ok(())
}

/// `HIENTRUONG_ADMIN_PASSWORD`, else the first line of standard input.
fn admin_password() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("HIENTRUONG_ADMIN_PASSWORD") {
        return Ok(password);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).context("reading the password from stdin")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
