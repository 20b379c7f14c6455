//! The command line: `serve` (the default), `create-admin`, `migrate`, `verify`, `backup` and `restore`; the configuration itself stays in the environment.

use clap::{Parser, Subcommand};

const ENVIRONMENT: &str = "\
Configuration comes from the environment, as in the README's Configuration table; the main variables:
  DATABASE_URL            sqlite://FILE or postgres://USER:PASSWORD@HOST/DB [default: sqlite://data/hientruong.db]
  LEPTOS_SITE_ADDR        the address to listen on [default: 127.0.0.1:3000]
  LEPTOS_SITE_ROOT        the built site [default: target/site]
  HIENTRUONG_PUBLIC_URL   the site's public address, for links in notices
  HIENTRUONG_SMTP_URL     smtp://[USER:PASSWORD@]HOST[:PORT] for e-mail notices; none are sent when unset
  HIENTRUONG_MEDIA_DIR    where photos are stored
  RUST_LOG                the log filter [default: info]";

/// Phản ánh hiện trường: citizens' field reports, from intake to the agency's result.
#[derive(Debug, Clone, PartialEq, Eq, Parser)]
#[command(name = "hientruong", version, after_help = ENVIRONMENT)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

impl Cli {
    /// What was asked for; serving when nothing was.
    pub fn command_or_serve(self) -> Command {
        self.command.unwrap_or(Command::Serve)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Serve the app (what happens when no command is given).
    Serve,
    /// Create an administrator account in the configured database.
    ///
    /// The password is read from HIENTRUONG_ADMIN_PASSWORD or, when that is unset, from the first line
    /// of standard input; never from the command line, where other users of the machine could see it.
    CreateAdmin {
        /// The administrator's username, such as quantri.
        username: String,
        /// The administrator's full name, such as "Nguyễn Văn An".
        full_name: String,
    },
    /// Bring the database at DATABASE_URL to the current schema and exit.
    ///
    /// For deployments that migrate once before rolling out servers; a server migrates on start too.
    Migrate,
    /// Check every case's hash chain of events and report the first broken link of each.
    ///
    /// Prints one line per case whose chain is broken (the case and the event) and exits with 1;
    /// otherwise prints "N cases, M events, all chains intact" and exits with 0.
    Verify,
    /// Write a consistent copy of the SQLite database and the photos into DIR, while the server runs.
    ///
    /// DIR must be missing or empty; it receives hientruong.db, media/ and manifest.json. PostgreSQL
    /// is backed up with pg_dump or WAL archiving instead (see docs/deploy.md).
    Backup {
        /// The folder to write the backup into, such as /var/backups/hientruong/2026-11-30.
        dir: std::path::PathBuf,
    },
    /// Bring a backup written by `backup` back into DATABASE_URL and HIENTRUONG_MEDIA_DIR.
    ///
    /// Stop the server first. The backup's checksum and integrity check must pass; a database that
    /// already holds anything is replaced only with --force.
    Restore {
        /// The backup folder, as `backup` wrote it.
        dir: std::path::PathBuf,
        /// Replace the database already at DATABASE_URL.
        #[arg(long)]
        force: bool,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::error::ErrorKind;
    use clap::CommandFactory;

    fn parsed(args: &[&str]) -> Result<Command, ErrorKind> {
        let args = std::iter::once("hientruong").chain(args.iter().copied());
        Cli::try_parse_from(args).map(Cli::command_or_serve).map_err(|error| error.kind())
    }

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn serving_is_the_default() {
        assert_eq!(parsed(&[]), Ok(Command::Serve));
        assert_eq!(parsed(&["serve"]), Ok(Command::Serve));
    }

    #[test]
    fn create_admin_takes_a_username_and_a_full_name() {
        let expected = Command::CreateAdmin { username: "quantri".into(), full_name: "Nguyễn Văn An".into() };
        assert_eq!(parsed(&["create-admin", "quantri", "Nguyễn Văn An"]), Ok(expected));
        assert_eq!(parsed(&["create-admin", "quantri"]), Err(ErrorKind::MissingRequiredArgument));
        assert_eq!(parsed(&["create-admin", "quantri", "An", "mật-khẩu"]), Err(ErrorKind::UnknownArgument));
        assert_eq!(parsed(&["create-admin", "--help"]), Err(ErrorKind::DisplayHelp));
    }

    #[test]
    fn migrate_takes_nothing() {
        assert_eq!(parsed(&["migrate"]), Ok(Command::Migrate));
        assert_eq!(parsed(&["migrate", "now"]), Err(ErrorKind::UnknownArgument));
    }

    #[test]
    fn verify_backup_and_restore() {
        assert_eq!(parsed(&["verify"]), Ok(Command::Verify));
        assert_eq!(parsed(&["verify", "7"]), Err(ErrorKind::UnknownArgument));
        assert_eq!(parsed(&["backup", "/b"]), Ok(Command::Backup { dir: "/b".into() }));
        assert_eq!(parsed(&["backup"]), Err(ErrorKind::MissingRequiredArgument));
        assert_eq!(parsed(&["restore", "/b"]), Ok(Command::Restore { dir: "/b".into(), force: false }));
        assert_eq!(parsed(&["restore", "--force", "/b"]), Ok(Command::Restore { dir: "/b".into(), force: true }));
        assert_eq!(parsed(&["restore"]), Err(ErrorKind::MissingRequiredArgument));
    }

    #[test]
    fn help_version_and_unknown_commands() {
        assert_eq!(parsed(&["--help"]), Err(ErrorKind::DisplayHelp));
        assert_eq!(parsed(&["--version"]), Err(ErrorKind::DisplayVersion));
        assert_eq!(parsed(&["-V"]), Err(ErrorKind::DisplayVersion));
        assert_eq!(parsed(&["seed"]), Err(ErrorKind::InvalidSubcommand));
        let help = Cli::command().render_long_help().to_string();
        for word in ["serve", "create-admin", "migrate", "verify", "backup", "restore", "DATABASE_URL"] {
            assert!(help.contains(word), "{word} in {help}");
        }
    }
}
