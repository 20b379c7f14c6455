//! `hientruong backup` and `restore`: a consistent copy of the SQLite database and the photos, taken while the server runs, and brought back.
//!
//! A backup folder holds `hientruong.db` (a snapshot made by `VACUUM INTO`, which reads the
//! database in one read transaction, so it is consistent while the server keeps writing), `media/`
//! (the photo blobs, copied after the snapshot, so every photo the snapshot names is in it) and
//! `manifest.json` (when, what, how many, and the snapshot's SHA-256), written last: a folder
//! without a manifest is an unfinished backup and `restore` refuses it.
//! PostgreSQL is backed up with its own tools (`pg_dump`, or base backups with WAL archiving for
//! point-in-time recovery), as the deployment guide describes.

use crate::config::Settings;
use anyhow::{bail, ensure, Context};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The snapshot's file name inside a backup folder.
pub const DATABASE_FILE: &str = "hientruong.db";
/// The manifest's file name inside a backup folder.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The photos' folder inside a backup folder.
pub const MEDIA_FOLDER: &str = "media";

const POSTGRES: &str = "DATABASE_URL names a PostgreSQL database: back it up with PostgreSQL's own tools \
(pg_dump for a logical copy, or pg_basebackup with WAL archiving for point-in-time recovery) as \
docs/deploy.md describes, and copy the photos folder (HIENTRUONG_MEDIA_DIR) after the database; \
`hientruong backup` and `restore` handle SQLite only";

/// What a backup holds, written as `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The layout of the folder; a later layout gets a new number.
    pub format: u32,
    /// When the snapshot was taken.
    pub taken_at: DateTime<Utc>,
    /// The release that took it.
    pub version: String,
    pub database: DatabaseCopy,
    pub counts: Counts,
    pub media: MediaCopy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseCopy {
    pub file: String,
    pub bytes: u64,
    /// SHA-256 of the file, so a copy damaged in storage or transit is refused before it is restored.
    pub sha256: String,
}

/// Rows in the snapshot, for a person comparing a restore with what they expect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub cases: u64,
    pub events: u64,
    pub accounts: u64,
    pub photos: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaCopy {
    pub files: u64,
    pub bytes: u64,
}

/// The SQLite file `url` names; an error saying what to do instead for PostgreSQL.
fn sqlite_file(url: &str) -> anyhow::Result<PathBuf> {
    if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        bail!(POSTGRES);
    }
    ensure!(url.starts_with("sqlite:"), "DATABASE_URL must start with sqlite: or postgres:");
    ensure!(!url.contains(":memory:"), "an in-memory database has nothing to back up or restore");
    let options = SqliteConnectOptions::from_str(url).context("reading DATABASE_URL")?;
    Ok(options.get_filename().to_path_buf())
}

async fn open_read_only(file: &Path) -> anyhow::Result<SqliteConnection> {
    SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .busy_timeout(std::time::Duration::from_secs(30))
        .connect()
        .await
        .with_context(|| format!("opening {}", file.display()))
}

/// Writes a backup of the configured database and photos into `dir`, which must be missing or empty.
pub async fn backup(settings: &Settings, dir: &Path) -> anyhow::Result<Manifest> {
    let source = sqlite_file(settings.database_url.expose())?;
    ensure!(source.is_file(), "there is no database at {}", source.display());
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
        ensure!(entries.next().is_none(), "{} is not empty: a backup goes into a new or empty folder", dir.display());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;

    // The snapshot: one read transaction over the live database, which the server's writers do
    // not wait for (WAL mode), and which holds every transaction committed before it began.
    let copy = dir.join(DATABASE_FILE);
    let taken_at = Utc::now();
    let mut connection = open_read_only(&source).await?;
    sqlx::query("VACUUM INTO $1")
        .bind(copy.to_string_lossy().into_owned())
        .execute(&mut connection)
        .await
        .context("copying the database (VACUUM INTO)")?;
    connection.close().await.ok();
    // VACUUM INTO leaves syncing its output to the caller.
    sync_file(&copy)?;
    let counts = count_rows(&copy).await?;
    let database = DatabaseCopy {
        file: DATABASE_FILE.into(),
        bytes: std::fs::metadata(&copy)?.len(),
        sha256: file_sha256(&copy)?,
    };

    // Photos after the snapshot: blobs are written before any row names them and never rewritten,
    // so every photo the snapshot names is already on disk.
    let media = copy_media(&settings.media_dir, &dir.join(MEDIA_FOLDER), false)?;

    let manifest = Manifest { format: 1, taken_at, version: env!("CARGO_PKG_VERSION").into(), database, counts, media };
    let temporary = dir.join(format!(".{MANIFEST_FILE}.partial"));
    std::fs::write(&temporary, serde_json::to_vec_pretty(&manifest)?)?;
    sync_file(&temporary)?;
    std::fs::rename(&temporary, dir.join(MANIFEST_FILE))?;
    sync_folder(dir)?;
    Ok(manifest)
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub manifest: Manifest,
    /// What `PRAGMA integrity_check` answered on the restored database: `ok` or the damage found.
    pub integrity: String,
    pub counts: Counts,
    /// Photos copied into the media folder (those already there are kept).
    pub media_copied: u64,
}

/// Brings the backup in `dir` back into the configured database and media folder. The server must
/// be stopped. A database that already holds anything is overwritten only with `force`.
pub async fn restore(settings: &Settings, dir: &Path, force: bool) -> anyhow::Result<Restored> {
    let url = settings.database_url.expose();
    let target = sqlite_file(url)?;
    let manifest_path = dir.join(MANIFEST_FILE);
    let manifest: Manifest = serde_json::from_slice(
        &std::fs::read(&manifest_path)
            .with_context(|| format!("{} is missing: not a finished backup", manifest_path.display()))?,
    )
    .with_context(|| format!("reading {}", manifest_path.display()))?;
    ensure!(manifest.format == 1, "this backup has layout {}, which this release does not know", manifest.format);
    let copy = dir.join(&manifest.database.file);
    ensure!(
        file_sha256(&copy)? == manifest.database.sha256,
        "{} does not match the SHA-256 its manifest recorded: the backup is damaged",
        copy.display()
    );
    let integrity = integrity_check(&copy).await?;
    ensure!(integrity == "ok", "the backup's database fails its integrity check: {integrity}");

    let occupied = std::fs::metadata(&target).map(|m| m.len() > 0).unwrap_or(false);
    ensure!(
        !occupied || force,
        "{} already holds a database; restoring would replace it: stop the server and add --force to do so",
        target.display()
    );
    if let Some(folder) = target.parent().filter(|f| !f.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
    }
    // Copied beside the target and renamed over it, so the target is at every moment either the old
    // database or the whole new one.
    let temporary = sibling(&target, ".restoring");
    std::fs::copy(&copy, &temporary).with_context(|| format!("copying the backup to {}", temporary.display()))?;
    sync_file(&temporary)?;
    // The old database's write-ahead log and index belong to the old file: left beside the new one,
    // SQLite would replay them into it.
    for leftover in [sibling(&target, "-wal"), sibling(&target, "-shm")] {
        match std::fs::remove_file(&leftover) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                return Err(error).with_context(|| format!("removing {}", leftover.display()))
            }
            _ => {}
        }
    }
    std::fs::rename(&temporary, &target).with_context(|| format!("moving the backup into {}", target.display()))?;
    if let Some(folder) = target.parent().filter(|f| !f.as_os_str().is_empty()) {
        sync_folder(folder)?;
    }

    // Opening the store brings a backup from an older release to the current schema.
    let store = crate::storage::sqlite::SqliteStore::open(url).await.context("opening the restored database")?;
    store.close().await;
    let integrity = integrity_check(&target).await?;
    let counts = count_rows(&target).await?;
    let media_copied = copy_media(&dir.join(MEDIA_FOLDER), &settings.media_dir, true)?.files;
    Ok(Restored { manifest, integrity, counts, media_copied })
}

/// `PRAGMA integrity_check`'s answer for the database in `file`, its lines joined.
pub async fn integrity_check(file: &Path) -> anyhow::Result<String> {
    let mut connection = open_read_only(file).await?;
    let lines: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut connection)
        .await
        .with_context(|| format!("checking {}", file.display()))?;
    connection.close().await.ok();
    Ok(lines.join("; "))
}

async fn count_rows(file: &Path) -> anyhow::Result<Counts> {
    let mut connection = open_read_only(file).await?;
    let counts = Counts {
        cases: count(&mut connection, "cases").await?,
        events: count(&mut connection, "case_events").await?,
        accounts: count(&mut connection, "accounts").await?,
        photos: count(&mut connection, "photos").await?,
    };
    connection.close().await.ok();
    Ok(counts)
}

async fn count(connection: &mut SqliteConnection, table: &str) -> anyhow::Result<u64> {
    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(connection)
        .await
        .with_context(|| format!("counting {table}"))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Copies the blobs of the media folder `from` (subfolders of content-addressed files) into `to`,
/// leaving out unfinished uploads (hidden `.partial` files). With `keep_existing`, a blob already in
/// `to` stays as it is: its name is its content's hash, so it is the same blob.
fn copy_media(from: &Path, to: &Path, keep_existing: bool) -> anyhow::Result<MediaCopy> {
    let mut copied = MediaCopy::default();
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    if !from.is_dir() {
        return Ok(copied);
    }
    for folder in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let folder = folder?;
        if !folder.file_type()?.is_dir() || folder.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let into = to.join(folder.file_name());
        std::fs::create_dir_all(&into)?;
        for blob in std::fs::read_dir(folder.path())? {
            let blob = blob?;
            let name = blob.file_name();
            if !blob.file_type()?.is_file() || !crate::blobs::is_content_key(&name.to_string_lossy()) {
                continue;
            }
            let destination = into.join(&name);
            if keep_existing && destination.exists() {
                continue;
            }
            copied.bytes += std::fs::copy(blob.path(), &destination)
                .with_context(|| format!("copying {}", blob.path().display()))?;
            sync_file(&destination)?;
            copied.files += 1;
        }
        sync_folder(&into)?;
    }
    Ok(copied)
}

/// `file` with `suffix` appended to its name: `hientruong.db` and `-wal` give `hientruong.db-wal`.
fn sibling(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn file_sha256(file: &Path) -> anyhow::Result<String> {
    let mut reader = std::fs::File::open(file).with_context(|| format!("reading {}", file.display()))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 1 << 20];
    loop {
        let read = reader.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

fn sync_file(file: &Path) -> anyhow::Result<()> {
    std::fs::File::open(file).and_then(|f| f.sync_all()).with_context(|| format!("writing {} to disk", file.display()))
}

/// Makes a folder's new entries durable (a renamed file is only safe once its folder is synced).
fn sync_folder(folder: &Path) -> anyhow::Result<()> {
    std::fs::File::open(folder)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("writing {} to disk", folder.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_urls_are_pointed_at_their_own_tools() {
        let error = sqlite_file("postgres://hientruong@db/hientruong").expect_err("refused").to_string();
        assert!(error.contains("pg_dump") && error.contains("docs/deploy.md"), "{error}");
        assert!(sqlite_file("sqlite::memory:").is_err());
        assert_eq!(sqlite_file("sqlite://data/hientruong.db").expect("a file"), PathBuf::from("data/hientruong.db"));
    }

    #[test]
    fn siblings_append_to_the_name() {
        assert_eq!(sibling(Path::new("/x/hientruong.db"), "-wal"), PathBuf::from("/x/hientruong.db-wal"));
    }
}
