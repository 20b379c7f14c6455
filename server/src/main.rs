//! The `hientruong` binary: serves the app, or creates the first administrator.

use anyhow::{bail, Context};
use hientruong::{Application, Settings};
use tracing_subscriber::EnvFilter;

const USAGE: &str = "usage:
  hientruong                                        serve the app (configuration from the environment)
  hientruong create-admin <username> <full name>    create an administrator; the password is read from
                                                    HIENTRUONG_ADMIN_PASSWORD or, if unset, the first line of stdin";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let settings = Settings::from_env()?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => {
            let application = Application::build(settings).await?;
            application.run().await?;
        }
        [command, username, name] if command == "create-admin" => {
            let password = match std::env::var("HIENTRUONG_ADMIN_PASSWORD") {
                Ok(password) => password,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line).context("reading the password from stdin")?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            let id = hientruong::admin::create_admin(&settings, username, name, &password).await?;
            println!("administrator {username} created (account {id})");
        }
        _ => bail!("{USAGE}"),
    }
    Ok(())
}
