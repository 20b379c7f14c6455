//! The `hientruong` binary: serves the app.

use hientruong::{Application, Settings};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let settings = Settings::from_env()?;
    let application = Application::build(settings).await?;
    application.run().await?;
    Ok(())
}
