//! The blob seam: where photo bytes live, under content-addressed keys, and the local-disk store.

use async_trait::async_trait;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::Arc;

/// The blob store as the server shares it.
pub type SharedBlobs = Arc<dyn BlobStore>;

/// Why a blob could not be stored or read. The text is for logs, never for users.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("blob storage failed: {0}")]
    Io(#[from] std::io::Error),
}

/// The key of `bytes`: their SHA-256 as 64 lowercase hex digits, so identical content is stored once.
pub fn content_key(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `key` has the shape [`content_key`] gives, so it can never name a path outside the store.
pub fn is_content_key(key: &str) -> bool {
    key.len() == 64 && key.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Immutable blobs by content key. Several servers need a store they all reach: an
/// S3-compatible object store behind this same trait (see the deployment guide).
#[async_trait]
pub trait BlobStore: Send + Sync + 'static {
    /// Stores `bytes` and answers their key; storing the same bytes again changes nothing.
    async fn put(&self, bytes: Vec<u8>) -> Result<String, BlobError>;

    /// The bytes under `key`, or `None` when there are none.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BlobError>;

    /// Whether a blob is stored under `key`.
    async fn contains(&self, key: &str) -> Result<bool, BlobError>;

    /// Removes the blob under `key`, if any.
    async fn delete(&self, key: &str) -> Result<(), BlobError>;
}

/// Blobs as files in one folder, spread over subfolders by the key's first two digits so no
/// folder grows too large.
pub struct LocalBlobs {
    root: PathBuf,
}

impl LocalBlobs {
    /// The store in `root`, creating the folder.
    pub fn open(root: impl Into<PathBuf>) -> std::io::Result<Self> {
        let root = root.into();
        std::fs::create_dir_all(&root)?;
        Ok(Self { root })
    }

    fn path(&self, key: &str) -> Option<PathBuf> {
        is_content_key(key).then(|| self.root.join(&key[..2]).join(key))
    }
}

#[async_trait]
impl BlobStore for LocalBlobs {
    async fn put(&self, bytes: Vec<u8>) -> Result<String, BlobError> {
        let key = content_key(&bytes);
        let folder = self.root.join(&key[..2]);
        let path = folder.join(&key);
        if tokio::fs::try_exists(&path).await? {
            return Ok(key);
        }
        tokio::fs::create_dir_all(&folder).await?;
        // Written under a unique temporary name and renamed into place, so a crash or a
        // concurrent upload of the same photo never leaves half a blob under its key.
        let temporary = folder.join(format!(".{key}.{}.partial", std::process::id() as u64 * 1_000_000 + nonce()));
        tokio::fs::write(&temporary, &bytes).await?;
        let file = tokio::fs::File::open(&temporary).await?;
        file.sync_all().await?;
        drop(file);
        tokio::fs::rename(&temporary, &path).await?;
        Ok(key)
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BlobError> {
        let Some(path) = self.path(key) else { return Ok(None) };
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    async fn contains(&self, key: &str) -> Result<bool, BlobError> {
        match self.path(key) {
            Some(path) => Ok(tokio::fs::try_exists(&path).await?),
            None => Ok(false),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        let Some(path) = self.path(key) else { return Ok(()) };
        match tokio::fs::remove_file(&path).await {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error.into()),
            _ => Ok(()),
        }
    }
}

/// A number that differs between concurrent writers in one process.
fn nonce() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed) % 1_000_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn blobs_are_stored_once_by_content_and_read_back() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let blobs = LocalBlobs::open(dir.path()).expect("open");
        let key = blobs.put(b"hello".to_vec()).await.expect("put");
        assert_eq!(key, content_key(b"hello"));
        assert_eq!(blobs.put(b"hello".to_vec()).await.expect("put again"), key);
        assert_eq!(blobs.get(&key).await.expect("get"), Some(b"hello".to_vec()));
        assert!(blobs.contains(&key).await.expect("contains"));
        blobs.delete(&key).await.expect("delete");
        assert_eq!(blobs.get(&key).await.expect("get"), None);
    }

    #[tokio::test]
    async fn keys_that_are_not_content_keys_name_nothing() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let blobs = LocalBlobs::open(dir.path()).expect("open");
        assert_eq!(blobs.get("../../etc/passwd").await.expect("get"), None);
        assert!(!blobs.contains("ab").await.expect("contains"));
    }
}
