//! Web Push as RFC 8030 carries it: the server's VAPID identity (RFC 8292), messages encrypted for one browser (RFC 8291, the aes128gcm coding of RFC 8188), and their delivery to a push service.

use aes_gcm::aead::Aead;
use aes_gcm::{Aes128Gcm, KeyInit, Nonce};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use hkdf::Hkdf;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use rand_core::{OsRng, RngCore};
use sha2::Sha256;

/// The length of an uncompressed P-256 public key: `0x04`, then x and y.
pub const PUBLIC_KEY_BYTES: usize = 65;
/// The length of a browser's authentication secret (RFC 8291 §3.2).
pub const AUTH_SECRET_BYTES: usize = 16;
/// The record size the header announces: one record holds any message a push service takes.
const RECORD_SIZE: u32 = 4096;
/// The header of an aes128gcm body with the sender's key as its key id: salt, record size, key id
/// length, key id.
const HEADER_BYTES: usize = 16 + 4 + 1 + PUBLIC_KEY_BYTES;
/// The largest plaintext one message carries: push services need take no body over 4096 bytes
/// (RFC 8030 §7.2), and the header, the padding delimiter and the AEAD tag come out of them.
pub const MAX_PLAINTEXT: usize = RECORD_SIZE as usize - HEADER_BYTES - 1 - 16;
/// How long a VAPID token stays valid; RFC 8292 allows at most 24 hours.
const TOKEN_LIFETIME: chrono::Duration = chrono::Duration::hours(12);

/// What could not be done with a key or a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PushError {
    #[error("not a P-256 private key")]
    PrivateKey,
    #[error("not an uncompressed P-256 public key")]
    PublicKey,
    #[error("the authentication secret is not 16 bytes")]
    AuthSecret,
    #[error("the message is longer than {MAX_PLAINTEXT} bytes")]
    TooLong,
    #[error("the endpoint is not an http(s) URL")]
    Endpoint,
    #[error("encryption failed")]
    Encryption,
}

/// `bytes` as unpadded base64url, the encoding Web Push uses throughout.
pub fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Unpadded (or padded) base64url as bytes; `None` when it is not base64url.
pub fn from_base64url(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()
}

/// The server's application server key pair (VAPID): it signs every request to a push service,
/// and browsers subscribe with its public half. `Debug` never shows the private half.
#[derive(Clone)]
pub struct VapidKey {
    secret: SecretKey,
}

impl std::fmt::Debug for VapidKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "VapidKey({})", self.public_key())
    }
}

impl VapidKey {
    /// A new key pair from the operating system's randomness.
    pub fn generate() -> Self {
        Self { secret: SecretKey::random(&mut OsRng) }
    }

    /// The key pair whose private key is `text`, as [`VapidKey::private_key`] wrote it.
    pub fn from_private_key(text: &str) -> Result<Self, PushError> {
        let bytes = from_base64url(text).filter(|bytes| bytes.len() == 32).ok_or(PushError::PrivateKey)?;
        Ok(Self { secret: SecretKey::from_slice(&bytes).map_err(|_| PushError::PrivateKey)? })
    }

    /// The private key, base64url: what the database keeps.
    pub fn private_key(&self) -> String {
        base64url(&self.secret.to_bytes())
    }

    /// The public key, uncompressed and base64url: what browsers subscribe with and the `k` of
    /// every request.
    pub fn public_key(&self) -> String {
        base64url(self.secret.public_key().to_encoded_point(false).as_bytes())
    }

    /// The `Authorization` header of a request to `endpoint` at `now`: `vapid t=<JWT>, k=<key>`,
    /// the JWT (ES256) naming the endpoint's origin as its audience, `subject` (a `mailto:` or
    /// https URL) as whom the push service may contact, and an expiry 12 hours on.
    pub fn authorization(&self, endpoint: &str, subject: &str, now: DateTime<Utc>) -> Result<String, PushError> {
        let token = self.token(&audience(endpoint)?, subject, now + TOKEN_LIFETIME);
        Ok(format!("vapid t={token}, k={}", self.public_key()))
    }

    fn token(&self, audience: &str, subject: &str, expires: DateTime<Utc>) -> String {
        let header = base64url(br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims = serde_json::json!({ "aud": audience, "exp": expires.timestamp(), "sub": subject });
        let input = format!("{header}.{}", base64url(claims.to_string().as_bytes()));
        let signature: Signature = SigningKey::from(&self.secret).sign(input.as_bytes());
        format!("{input}.{}", base64url(&signature.to_bytes()))
    }
}

/// The origin of `endpoint` (`scheme://host[:port]`), which a VAPID token names as its audience.
pub fn audience(endpoint: &str) -> Result<String, PushError> {
    let url = reqwest::Url::parse(endpoint).map_err(|_| PushError::Endpoint)?;
    if !matches!(url.scheme(), "https" | "http") || url.host_str().is_none() {
        return Err(PushError::Endpoint);
    }
    Ok(url.origin().ascii_serialization())
}

/// `plaintext` encrypted for the browser whose public key is `ua_public` (65 bytes) and whose
/// authentication secret is `auth_secret` (16 bytes): one aes128gcm record, under a fresh salt
/// and a fresh key pair of the sender's.
pub fn encrypt(plaintext: &[u8], ua_public: &[u8], auth_secret: &[u8]) -> Result<Vec<u8>, PushError> {
    let mut salt = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    encrypt_with(plaintext, ua_public, auth_secret, &SecretKey::random(&mut OsRng), &salt)
}

/// [`encrypt`] with the sender's key pair and the salt given: RFC 8291 §3.4 and §4.
fn encrypt_with(
    plaintext: &[u8],
    ua_public: &[u8],
    auth_secret: &[u8],
    as_secret: &SecretKey,
    salt: &[u8; 16],
) -> Result<Vec<u8>, PushError> {
    if plaintext.len() > MAX_PLAINTEXT {
        return Err(PushError::TooLong);
    }
    if ua_public.len() != PUBLIC_KEY_BYTES || ua_public.first() != Some(&0x04) {
        return Err(PushError::PublicKey);
    }
    if auth_secret.len() != AUTH_SECRET_BYTES {
        return Err(PushError::AuthSecret);
    }
    let ua_key = PublicKey::from_sec1_bytes(ua_public).map_err(|_| PushError::PublicKey)?;
    let as_public = as_secret.public_key().to_encoded_point(false);
    let shared = p256::ecdh::diffie_hellman(as_secret.to_nonzero_scalar(), ua_key.as_affine());

    // The input keying material binds the shared secret to the browser's secret and both keys.
    let mut key_info = b"WebPush: info\0".to_vec();
    key_info.extend_from_slice(ua_public);
    key_info.extend_from_slice(as_public.as_bytes());
    let mut ikm = [0u8; 32];
    Hkdf::<Sha256>::new(Some(auth_secret), shared.raw_secret_bytes())
        .expand(&key_info, &mut ikm)
        .map_err(|_| PushError::Encryption)?;

    let prk = Hkdf::<Sha256>::new(Some(salt), &ikm);
    let mut cek = [0u8; 16];
    prk.expand(b"Content-Encoding: aes128gcm\0", &mut cek).map_err(|_| PushError::Encryption)?;
    let mut nonce = [0u8; 12];
    prk.expand(b"Content-Encoding: nonce\0", &mut nonce).map_err(|_| PushError::Encryption)?;

    // One record, the last: the plaintext and its delimiter, with no padding.
    let mut record = Vec::with_capacity(plaintext.len() + 1);
    record.extend_from_slice(plaintext);
    record.push(0x02);
    let cipher = Aes128Gcm::new_from_slice(&cek).map_err(|_| PushError::Encryption)?;
    let sealed = cipher.encrypt(Nonce::from_slice(&nonce), record.as_slice()).map_err(|_| PushError::Encryption)?;

    let mut body = Vec::with_capacity(HEADER_BYTES + sealed.len());
    body.extend_from_slice(salt);
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(PUBLIC_KEY_BYTES as u8);
    body.extend_from_slice(as_public.as_bytes());
    body.extend_from_slice(&sealed);
    Ok(body)
}

/// How soon a push service should deliver a message (RFC 8030 §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Low,
    Normal,
    High,
}

impl Urgency {
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Low => "low",
            Urgency::Normal => "normal",
            Urgency::High => "high",
        }
    }
}

/// One message to one browser.
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
    pub endpoint: &'a str,
    /// The browser's public key and authentication secret, decoded.
    pub ua_public: &'a [u8],
    pub auth_secret: &'a [u8],
    pub payload: &'a [u8],
    /// How long the push service keeps the message for a browser that is not reachable.
    pub ttl_seconds: u32,
    pub urgency: Urgency,
    /// A message with the same topic still waiting at the push service is replaced by this one
    /// (at most 32 characters of the base64url alphabet).
    pub topic: Option<&'a str>,
}

/// How the push service answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Taken for delivery.
    Accepted,
    /// The subscription no longer exists (404 or 410): it is to be forgotten.
    Gone,
    /// Refused for good (a malformed or unauthorised request): trying again would change nothing.
    Refused(u16),
    /// Not taken now (unreachable, slow, overloaded, 429 or 5xx): to be tried again later.
    Later(String),
}

/// Sends `message` to its push service, signed with `key` on behalf of `subject`.
pub async fn send(
    client: &reqwest::Client,
    key: &VapidKey,
    subject: &str,
    message: &Message<'_>,
    now: DateTime<Utc>,
) -> Delivery {
    let prepared = encrypt(message.payload, message.ua_public, message.auth_secret)
        .and_then(|body| Ok((body, key.authorization(message.endpoint, subject, now)?)));
    let (body, authorization) = match prepared {
        Ok(prepared) => prepared,
        Err(error) => {
            tracing::warn!(%error, "a push message could not be prepared");
            return Delivery::Refused(0);
        }
    };
    let mut request = client
        .post(message.endpoint)
        .header(reqwest::header::AUTHORIZATION, authorization)
        .header(reqwest::header::CONTENT_ENCODING, "aes128gcm")
        .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
        .header("TTL", message.ttl_seconds.to_string())
        .header("Urgency", message.urgency.as_str());
    if let Some(topic) = message.topic {
        request = request.header("Topic", topic);
    }
    match request.body(body).send().await {
        Ok(response) => match response.status().as_u16() {
            200..=299 => Delivery::Accepted,
            404 | 410 => Delivery::Gone,
            429 | 500..=599 => Delivery::Later(format!("the push service answered {}", response.status())),
            other => Delivery::Refused(other),
        },
        Err(error) => Delivery::Later(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Verifier;
    use p256::ecdsa::VerifyingKey;

    fn bytes(text: &str) -> Vec<u8> {
        from_base64url(text).expect("base64url")
    }

    // RFC 8291, Appendix A.
    const PLAINTEXT: &str = "When I grow up, I want to be a watermelon";
    const AS_PRIVATE: &str = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    const AS_PUBLIC: &str = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    const UA_PUBLIC: &str = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    const SALT: &str = "DGv6ra1nlYgDCS1FRnbzlw";
    const AUTH_SECRET: &str = "BTBZMqHH6r4Tts7J_aSIgg";
    const BODY: &str = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    #[test]
    fn the_rfc_8291_example_encrypts_to_its_exact_body() {
        let sender = VapidKey::from_private_key(AS_PRIVATE).expect("the example's private key");
        assert_eq!(sender.public_key(), AS_PUBLIC, "the example's key pair");
        let salt: [u8; 16] = bytes(SALT).try_into().expect("16 bytes");
        let body = encrypt_with(PLAINTEXT.as_bytes(), &bytes(UA_PUBLIC), &bytes(AUTH_SECRET), &sender.secret, &salt)
            .expect("encrypts");
        assert_eq!(base64url(&body), BODY);
    }

    #[test]
    fn fresh_salts_and_keys_make_every_message_differ() {
        let (ua, auth) = (bytes(UA_PUBLIC), bytes(AUTH_SECRET));
        let first = encrypt(b"{}", &ua, &auth).expect("encrypts");
        let second = encrypt(b"{}", &ua, &auth).expect("encrypts");
        assert_eq!(first.len(), HEADER_BYTES + 2 + 1 + 16, "header, plaintext, delimiter, tag");
        assert_ne!(first[..16], second[..16], "a new salt each time");
        assert_ne!(first[21..HEADER_BYTES], second[21..HEADER_BYTES], "a new sender key each time");
    }

    #[test]
    fn bad_keys_and_long_messages_are_refused() {
        let (ua, auth) = (bytes(UA_PUBLIC), bytes(AUTH_SECRET));
        assert_eq!(encrypt(b"x", &ua[..64], &auth), Err(PushError::PublicKey));
        let mut off_curve = ua.clone();
        off_curve[64] ^= 1;
        assert_eq!(encrypt(b"x", &off_curve, &auth), Err(PushError::PublicKey));
        assert_eq!(encrypt(b"x", &ua, &auth[..15]), Err(PushError::AuthSecret));
        assert_eq!(encrypt(&vec![b'x'; MAX_PLAINTEXT + 1], &ua, &auth), Err(PushError::TooLong));
        let longest = encrypt(&vec![b'x'; MAX_PLAINTEXT], &ua, &auth).expect("the longest fits");
        assert_eq!(longest.len(), RECORD_SIZE as usize, "the longest message fills one record exactly");
        assert_eq!(VapidKey::from_private_key("not a key").map(|_| ()), Err(PushError::PrivateKey));
    }

    #[test]
    fn a_stored_key_comes_back_the_same() {
        let key = VapidKey::generate();
        let again = VapidKey::from_private_key(&key.private_key()).expect("reads back");
        assert_eq!(again.public_key(), key.public_key());
        assert_eq!(bytes(&key.public_key()).len(), PUBLIC_KEY_BYTES);
        assert!(!format!("{key:?}").contains(&key.private_key()), "Debug hides the private key");
    }

    #[test]
    fn the_vapid_token_names_the_origin_expires_within_a_day_and_verifies_with_its_key() {
        let key = VapidKey::generate();
        let now = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).expect("a time");
        let header = key
            .authorization("https://push.example.net:8443/wpush/v2/abc?x=1", "mailto:ops@example.vn", now)
            .expect("signs");
        let (token, k) =
            header.strip_prefix("vapid t=").and_then(|rest| rest.split_once(", k=")).expect("vapid t=…, k=…");
        assert_eq!(k, key.public_key());
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3, "header, claims, signature");
        let jwt_header: serde_json::Value = serde_json::from_slice(&bytes(parts[0])).expect("JSON");
        assert_eq!(jwt_header["alg"], "ES256");
        let claims: serde_json::Value = serde_json::from_slice(&bytes(parts[1])).expect("JSON");
        assert_eq!(claims["aud"], "https://push.example.net:8443");
        assert_eq!(claims["sub"], "mailto:ops@example.vn");
        let exp = claims["exp"].as_i64().expect("exp");
        assert!(exp > now.timestamp() && exp <= now.timestamp() + 24 * 3600, "{exp}");
        let verifying = VerifyingKey::from_sec1_bytes(&bytes(k)).expect("k is the public key");
        let signature = Signature::from_slice(&bytes(parts[2])).expect("r and s, 64 bytes");
        verifying.verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &signature).expect("the signature holds");
        assert!(
            verifying.verify(format!("{}.{}x", parts[0], parts[1]).as_bytes(), &signature).is_err(),
            "and holds for that token only"
        );
    }

    #[test]
    fn the_audience_is_the_endpoints_origin() {
        assert_eq!(audience("https://fcm.googleapis.com/fcm/send/abc").as_deref(), Ok("https://fcm.googleapis.com"));
        assert_eq!(audience("https://push.example.net:443/x").as_deref(), Ok("https://push.example.net"));
        assert_eq!(audience("http://127.0.0.1:9000/push").as_deref(), Ok("http://127.0.0.1:9000"));
        assert_eq!(audience("ftp://example.net/x"), Err(PushError::Endpoint));
        assert_eq!(audience("not a url"), Err(PushError::Endpoint));
    }
}
