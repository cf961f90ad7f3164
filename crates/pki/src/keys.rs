//! Private keys: generate, import (PKCS#8 plain and encrypted, PKCS#1 RSA, SEC1 EC; PEM or DER),
//! export (encrypted PKCS#8 by default, PBES2 with scrypt or PBKDF2-SHA256 and AES-256-CBC),
//! public keys as SPKI, and signing (RSA PKCS#1 v1.5, ECDSA P-256 / P-384).
//!
//! Key material never appears in an error message: errors say what failed, never with what.

use pkcs8::der::Decode as _;
use pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use rand_core::{CryptoRng, RngCore};
use serde::Serialize;
use sha2::{Digest, Sha256, Sha384, Sha512};
use zeroize::Zeroizing;

/// Key algorithms certwright generates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum KeyAlgorithm {
    /// RSA, 2048-bit modulus.
    #[serde(rename = "RSA-2048")]
    Rsa2048,
    /// RSA, 3072-bit modulus.
    #[serde(rename = "RSA-3072")]
    Rsa3072,
    /// RSA, 4096-bit modulus.
    #[serde(rename = "RSA-4096")]
    Rsa4096,
    /// ECDSA on NIST P-256.
    #[serde(rename = "P-256")]
    P256,
    /// ECDSA on NIST P-384.
    #[serde(rename = "P-384")]
    P384,
}

impl KeyAlgorithm {
    /// Parses `RSA-2048`, `RSA-3072`, `RSA-4096`, `P-256`, `P-384` (also `EC-P256` style names).
    pub fn parse(name: &str) -> Result<Self, KeyError> {
        Ok(match name.to_ascii_uppercase().replace(['_', ' '], "-").as_str() {
            "RSA-2048" | "RSA2048" => KeyAlgorithm::Rsa2048,
            "RSA-3072" | "RSA3072" => KeyAlgorithm::Rsa3072,
            "RSA-4096" | "RSA4096" => KeyAlgorithm::Rsa4096,
            "P-256" | "P256" | "EC-P-256" | "EC-P256" | "PRIME256V1" | "SECP256R1" => KeyAlgorithm::P256,
            "P-384" | "P384" | "EC-P-384" | "EC-P384" | "SECP384R1" => KeyAlgorithm::P384,
            _ => return Err(KeyError::Unsupported(format!("key algorithm `{name}` (use RSA-2048, RSA-3072, RSA-4096, P-256 or P-384)"))),
        })
    }
}

/// Digest used for signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
pub enum HashAlgorithm {
    /// SHA-256 (the default).
    #[default]
    #[serde(rename = "SHA-256")]
    Sha256,
    /// SHA-384.
    #[serde(rename = "SHA-384")]
    Sha384,
    /// SHA-512.
    #[serde(rename = "SHA-512")]
    Sha512,
}

impl HashAlgorithm {
    fn digest(self, msg: &[u8]) -> Vec<u8> {
        match self {
            HashAlgorithm::Sha256 => Sha256::digest(msg).to_vec(),
            HashAlgorithm::Sha384 => Sha384::digest(msg).to_vec(),
            HashAlgorithm::Sha512 => Sha512::digest(msg).to_vec(),
        }
    }
}

/// Why a key operation failed. Never carries key material or passwords.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The input is not a private key in any supported encoding.
    #[error("not a private key: {0}")]
    Malformed(String),
    /// An encrypted key needs a password and none was given.
    #[error("the key is encrypted: a password is needed")]
    PasswordRequired,
    /// The password does not decrypt the key.
    #[error("wrong password (or a damaged encrypted key)")]
    WrongPassword,
    /// A valid key of an algorithm or format certwright does not handle.
    #[error("unsupported {0}")]
    Unsupported(String),
    /// Encoding or signing failed.
    #[error("{0}")]
    Failed(String),
}

/// Password-based key derivation for encrypted PKCS#8 export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kdf {
    /// scrypt with N = 2^log_n, r = 8, p = 1 (log_n 15: 32 MiB, what OpenSSL 3 uses by default for scrypt).
    Scrypt {
        /// log2 of the CPU/memory cost N.
        log_n: u8,
    },
    /// PBKDF2 with HMAC-SHA-256.
    Pbkdf2Sha256 {
        /// Iteration count (OWASP 2023: 600,000).
        iterations: u32,
    },
}

impl Default for Kdf {
    fn default() -> Self {
        Kdf::Scrypt { log_n: 15 }
    }
}

/// A private key held in memory.
#[derive(Clone)]
pub enum PrivateKey {
    /// RSA.
    Rsa(Box<rsa::RsaPrivateKey>),
    /// ECDSA P-256.
    P256(p256::SecretKey),
    /// ECDSA P-384.
    P384(p384::SecretKey),
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material, not even in debug output.
        write!(f, "PrivateKey({})", self.describe())
    }
}

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_EC: &str = "1.2.840.10045.2.1";
const OID_P256: &str = "1.2.840.10045.3.1.7";
const OID_P384: &str = "1.3.132.0.34";

impl PrivateKey {
    /// Generates a key. RSA generation is slow (about a second for 2048 bits in wasm); the
    /// browser prefers WebCrypto and uses this as the fallback.
    pub fn generate(algorithm: KeyAlgorithm, rng: &mut (impl CryptoRng + RngCore)) -> Result<Self, KeyError> {
        let bits = match algorithm {
            KeyAlgorithm::Rsa2048 => 2048,
            KeyAlgorithm::Rsa3072 => 3072,
            KeyAlgorithm::Rsa4096 => 4096,
            KeyAlgorithm::P256 => return Ok(PrivateKey::P256(p256::SecretKey::random(rng))),
            KeyAlgorithm::P384 => return Ok(PrivateKey::P384(p384::SecretKey::random(rng))),
        };
        rsa::RsaPrivateKey::new(rng, bits)
            .map(|k| PrivateKey::Rsa(Box::new(k)))
            .map_err(|e| KeyError::Failed(format!("RSA key generation failed: {e}")))
    }

    /// Imports a key from PEM text or DER bytes: PKCS#8 (`PRIVATE KEY`), encrypted PKCS#8
    /// (`ENCRYPTED PRIVATE KEY`, needs `password`), PKCS#1 (`RSA PRIVATE KEY`) or SEC1
    /// (`EC PRIVATE KEY`).
    pub fn import(input: &[u8], password: Option<&str>) -> Result<Self, KeyError> {
        if super::pem::looks_like_pem(input) {
            let text = std::str::from_utf8(input).map_err(|_| KeyError::Malformed("the PEM text is not valid UTF-8".into()))?;
            if text.contains("Proc-Type: 4,ENCRYPTED") {
                return Err(KeyError::Unsupported(
                    "legacy OpenSSL PEM encryption (Proc-Type: 4,ENCRYPTED); convert it with `openssl pkcs8 -topk8`".into(),
                ));
            }
            let mut blocks = super::pem::split(text);
            // Messages from `pem` never quote a private-key block; the ones below do not either.
            let Some(i) = blocks.iter().position(|b| super::pem::is_private_key_label(&b.label)) else {
                return Err(KeyError::Malformed(match blocks.iter().find_map(|b| b.der.as_ref().err().map(|e| (b.position, e))) {
                    // A damaged block may be the key (its BEGIN line, say): say why it failed.
                    Some((position, e)) => format!("no usable PRIVATE KEY block in the PEM text ({position}: {e})"),
                    None => "no PRIVATE KEY block in the PEM text".into(),
                }));
            };
            let block = blocks.swap_remove(i);
            let der = Zeroizing::new(block.der.map_err(KeyError::Malformed)?);
            return match block.label.as_str() {
                "PRIVATE KEY" => Self::from_pkcs8(&der),
                "ENCRYPTED PRIVATE KEY" => Self::from_encrypted_pkcs8(&der, password),
                "RSA PRIVATE KEY" => Self::from_pkcs1(&der),
                "EC PRIVATE KEY" => Self::from_sec1(&der),
                "OPENSSH PRIVATE KEY" => {
                    Err(KeyError::Unsupported("OpenSSH private key format; convert it with `ssh-keygen -p -m PKCS8 -f FILE`".into()))
                }
                _ => Err(KeyError::Unsupported(
                    "private key PEM type (use PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)".into(),
                )),
            };
        }
        // DER: try each structure in turn.
        Self::from_pkcs8(input)
            .or_else(|e| match Self::from_encrypted_pkcs8(input, password) {
                Err(KeyError::Malformed(_)) => Err(e),
                other => other,
            })
            .or_else(|e| Self::from_pkcs1(input).map_err(|_| e))
            .or_else(|e| Self::from_sec1(input).map_err(|_| e))
    }

    pub(super) fn from_pkcs8(der: &[u8]) -> Result<Self, KeyError> {
        let info = pkcs8::PrivateKeyInfo::from_der(der).map_err(|e| KeyError::Malformed(format!("PKCS#8: {e}")))?;
        let oid = info.algorithm.oid.to_string();
        match oid.as_str() {
            OID_RSA => rsa::RsaPrivateKey::from_pkcs8_der(der)
                .map(|k| PrivateKey::Rsa(Box::new(k)))
                .map_err(|e| KeyError::Malformed(format!("PKCS#8 RSA key: {e}"))),
            OID_EC => {
                let curve = info.algorithm.parameters_oid().map(|o| o.to_string()).unwrap_or_default();
                match curve.as_str() {
                    OID_P256 => p256::SecretKey::from_pkcs8_der(der).map(PrivateKey::P256),
                    OID_P384 => p384::SecretKey::from_pkcs8_der(der).map(PrivateKey::P384),
                    _ => {
                        return Err(KeyError::Unsupported(format!(
                            "EC curve {}",
                            super::oids::curve(&curve).map_or(curve.as_str(), |c| c.0)
                        )))
                    }
                }
                .map_err(|e| KeyError::Malformed(format!("PKCS#8 EC key: {e}")))
            }
            other => Err(KeyError::Unsupported(format!(
                "key algorithm {} (RSA, P-256 and P-384 are supported)",
                super::oids::key_algorithm(other).unwrap_or(other)
            ))),
        }
    }

    /// Imports PKCS#8 made by a trusted generator (WebCrypto). EC keys take the private scalar
    /// directly instead of re-deriving and comparing the embedded public key, which costs a
    /// scalar multiplication (most of the time of a P-256 generation in wasm).
    pub fn from_generated_pkcs8(der: &[u8]) -> Result<Self, KeyError> {
        let info = pkcs8::PrivateKeyInfo::from_der(der).map_err(|e| KeyError::Malformed(format!("PKCS#8: {e}")))?;
        if info.algorithm.oid.to_string() != OID_EC {
            return Self::from_pkcs8(der);
        }
        let curve = info.algorithm.parameters_oid().map(|o| o.to_string()).unwrap_or_default();
        let ec = sec1::EcPrivateKey::from_der(info.private_key).map_err(|e| KeyError::Malformed(format!("PKCS#8 EC key: {e}")))?;
        match curve.as_str() {
            OID_P256 => p256::SecretKey::from_slice(ec.private_key).map(PrivateKey::P256),
            OID_P384 => p384::SecretKey::from_slice(ec.private_key).map(PrivateKey::P384),
            _ => return Self::from_pkcs8(der),
        }
        .map_err(|_| KeyError::Malformed("PKCS#8 EC key: invalid private scalar".into()))
    }

    fn from_encrypted_pkcs8(der: &[u8], password: Option<&str>) -> Result<Self, KeyError> {
        let enc = pkcs8::EncryptedPrivateKeyInfo::from_der(der).map_err(|e| KeyError::Malformed(format!("encrypted PKCS#8: {e}")))?;
        let password = password.filter(|p| !p.is_empty()).ok_or(KeyError::PasswordRequired)?;
        let doc = enc.decrypt(password).map_err(|e| match e {
            pkcs8::Error::EncryptedPrivateKey(pkcs8::pkcs5::Error::DecryptFailed) => KeyError::WrongPassword,
            pkcs8::Error::EncryptedPrivateKey(pkcs8::pkcs5::Error::UnsupportedAlgorithm { oid }) => {
                KeyError::Unsupported(format!("key encryption algorithm {oid}"))
            }
            _ => KeyError::WrongPassword,
        })?;
        Self::from_pkcs8(doc.as_bytes())
    }

    fn from_pkcs1(der: &[u8]) -> Result<Self, KeyError> {
        use rsa::pkcs1::DecodeRsaPrivateKey;
        rsa::RsaPrivateKey::from_pkcs1_der(der)
            .map(|k| PrivateKey::Rsa(Box::new(k)))
            .map_err(|e| KeyError::Malformed(format!("PKCS#1 RSA key: {e}")))
    }

    fn from_sec1(der: &[u8]) -> Result<Self, KeyError> {
        let ec = sec1::EcPrivateKey::from_der(der).map_err(|e| KeyError::Malformed(format!("SEC1 EC key: {e}")))?;
        let curve = ec.parameters.and_then(|p| p.named_curve()).map(|o| o.to_string());
        match curve.as_deref() {
            Some(OID_P256) => p256::SecretKey::from_sec1_der(der).map(PrivateKey::P256),
            Some(OID_P384) => p384::SecretKey::from_sec1_der(der).map(PrivateKey::P384),
            // Without parameters the curve follows from the key length.
            None if ec.private_key.len() == 32 => p256::SecretKey::from_slice(ec.private_key).map(PrivateKey::P256),
            None if ec.private_key.len() == 48 => p384::SecretKey::from_slice(ec.private_key).map(PrivateKey::P384),
            Some(other) => return Err(KeyError::Unsupported(format!("EC curve {}", super::oids::curve(other).map_or(other, |c| c.0)))),
            None => return Err(KeyError::Malformed("SEC1 EC key without a named curve".into())),
        }
        .map_err(|_| KeyError::Malformed("SEC1 EC key: invalid private scalar".into()))
    }

    /// Algorithm family and size, for profile checks.
    pub fn facts(&self) -> super::KeyFacts {
        match self {
            PrivateKey::Rsa(k) => {
                super::KeyFacts { algorithm: "RSA".into(), bits: (rsa::traits::PublicKeyParts::size(k.as_ref()) * 8) as u32 }
            }
            PrivateKey::P256(_) => super::KeyFacts { algorithm: "EC".into(), bits: 256 },
            PrivateKey::P384(_) => super::KeyFacts { algorithm: "EC".into(), bits: 384 },
        }
    }

    /// `RSA-2048`, `P-256`, … (for display; says nothing secret).
    pub fn describe(&self) -> String {
        match self {
            PrivateKey::Rsa(k) => format!("RSA-{}", rsa::traits::PublicKeyParts::size(k.as_ref()) * 8),
            PrivateKey::P256(_) => "P-256".into(),
            PrivateKey::P384(_) => "P-384".into(),
        }
    }

    /// Unencrypted PKCS#8 DER (zeroized on drop).
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        let doc = match self {
            PrivateKey::Rsa(k) => k.to_pkcs8_der(),
            PrivateKey::P256(k) => k.to_pkcs8_der(),
            PrivateKey::P384(k) => k.to_pkcs8_der(),
        }
        .map_err(|e| KeyError::Failed(format!("PKCS#8 encoding failed: {e}")))?;
        Ok(Zeroizing::new(doc.as_bytes().to_vec()))
    }

    /// Unencrypted PKCS#8 PEM. Only for an explicit, confirmed user action.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, KeyError> {
        let der = self.to_pkcs8_der()?;
        Ok(Zeroizing::new(super::pem::encode("PRIVATE KEY", &der)))
    }

    /// Encrypted PKCS#8 (PBES2: scrypt or PBKDF2-SHA256, AES-256-CBC) as DER.
    pub fn to_encrypted_pkcs8_der(&self, password: &str, kdf: Kdf, rng: &mut (impl CryptoRng + RngCore)) -> Result<Vec<u8>, KeyError> {
        if password.is_empty() {
            return Err(KeyError::Failed("an empty password cannot protect a key".into()));
        }
        let der = self.to_pkcs8_der()?;
        let info = pkcs8::PrivateKeyInfo::from_der(&der).map_err(|e| KeyError::Failed(format!("PKCS#8 encoding failed: {e}")))?;
        let mut salt = [0u8; 16];
        let mut iv = [0u8; 16];
        rng.fill_bytes(&mut salt);
        rng.fill_bytes(&mut iv);
        let params = match kdf {
            Kdf::Scrypt { log_n } => {
                let p = pkcs8::pkcs5::scrypt::Params::new(log_n, 8, 1, 32)
                    .map_err(|_| KeyError::Failed(format!("invalid scrypt cost 2^{log_n}")))?;
                pkcs8::pkcs5::pbes2::Parameters::scrypt_aes256cbc(p, &salt, &iv)
            }
            Kdf::Pbkdf2Sha256 { iterations } => pkcs8::pkcs5::pbes2::Parameters::pbkdf2_sha256_aes256cbc(iterations, &salt, &iv),
        }
        .map_err(|e| KeyError::Failed(format!("encryption parameters: {e}")))?;
        let doc = info.encrypt_with_params(params, password).map_err(|e| KeyError::Failed(format!("encryption failed: {e}")))?;
        Ok(doc.as_bytes().to_vec())
    }

    /// Encrypted PKCS#8 PEM (`ENCRYPTED PRIVATE KEY`).
    pub fn to_encrypted_pkcs8_pem(&self, password: &str, kdf: Kdf, rng: &mut (impl CryptoRng + RngCore)) -> Result<String, KeyError> {
        Ok(super::pem::encode("ENCRYPTED PRIVATE KEY", &self.to_encrypted_pkcs8_der(password, kdf, rng)?))
    }

    /// SubjectPublicKeyInfo DER of the public key.
    pub fn public_key_der(&self) -> Result<Vec<u8>, KeyError> {
        match self {
            PrivateKey::Rsa(k) => k.to_public_key().to_public_key_der(),
            PrivateKey::P256(k) => k.public_key().to_public_key_der(),
            PrivateKey::P384(k) => k.public_key().to_public_key_der(),
        }
        .map(|d| d.as_bytes().to_vec())
        .map_err(|e| KeyError::Failed(format!("public key encoding failed: {e}")))
    }

    /// SubjectPublicKeyInfo PEM (`PUBLIC KEY`).
    pub fn public_key_pem(&self) -> Result<String, KeyError> {
        Ok(super::pem::encode("PUBLIC KEY", &self.public_key_der()?))
    }

    /// Signs `message` (RSA PKCS#1 v1.5, or DER-encoded ECDSA per RFC 6979).
    pub fn sign(&self, hash: HashAlgorithm, message: &[u8]) -> Result<Vec<u8>, KeyError> {
        let digest = hash.digest(message);
        let fail = |e: &dyn std::fmt::Display| KeyError::Failed(format!("signing failed: {e}"));
        match self {
            PrivateKey::Rsa(k) => {
                let scheme = match hash {
                    HashAlgorithm::Sha256 => rsa::Pkcs1v15Sign::new::<Sha256>(),
                    HashAlgorithm::Sha384 => rsa::Pkcs1v15Sign::new::<Sha384>(),
                    HashAlgorithm::Sha512 => rsa::Pkcs1v15Sign::new::<Sha512>(),
                };
                k.sign(scheme, &digest).map_err(|e| fail(&e))
            }
            PrivateKey::P256(k) => {
                use p256::ecdsa::signature::hazmat::PrehashSigner;
                let sig: p256::ecdsa::Signature = p256::ecdsa::SigningKey::from(k).sign_prehash(&digest).map_err(|e| fail(&e))?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
            PrivateKey::P384(k) => {
                use p384::ecdsa::signature::hazmat::PrehashSigner;
                let sig: p384::ecdsa::Signature = p384::ecdsa::SigningKey::from(k).sign_prehash(&digest).map_err(|e| fail(&e))?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ec_keys_round_trip_through_every_encoding() {
        let mut rng = rand_core::OsRng;
        for alg in [KeyAlgorithm::P256, KeyAlgorithm::P384] {
            let key = PrivateKey::generate(alg, &mut rng).unwrap();
            let spki = key.public_key_der().unwrap();
            let plain = key.to_pkcs8_pem().unwrap();
            assert_eq!(PrivateKey::import(plain.as_bytes(), None).unwrap().public_key_der().unwrap(), spki);
            let enc = key.to_encrypted_pkcs8_pem("correct horse", Kdf::Pbkdf2Sha256 { iterations: 1000 }, &mut rng).unwrap();
            assert!(!enc.contains(&plain[30..60]), "the encrypted export does not carry the plain key");
            assert_eq!(PrivateKey::import(enc.as_bytes(), Some("correct horse")).unwrap().public_key_der().unwrap(), spki);
            assert_eq!(PrivateKey::import(enc.as_bytes(), Some("wrong")).unwrap_err(), KeyError::WrongPassword);
            assert_eq!(PrivateKey::import(enc.as_bytes(), None).unwrap_err(), KeyError::PasswordRequired);
            let der = key.to_pkcs8_der().unwrap();
            assert_eq!(PrivateKey::import(&der, None).unwrap().public_key_der().unwrap(), spki);
            assert_eq!(PrivateKey::from_generated_pkcs8(&der).unwrap().public_key_der().unwrap(), spki);
        }
    }

    #[test]
    fn debug_output_never_shows_key_material() {
        let key = PrivateKey::generate(KeyAlgorithm::P256, &mut rand_core::OsRng).unwrap();
        assert_eq!(format!("{key:?}"), "PrivateKey(P-256)");
    }

    #[test]
    fn garbage_is_a_clear_error() {
        assert!(matches!(PrivateKey::import(b"hello", None), Err(KeyError::Malformed(_))));
        assert!(
            matches!(PrivateKey::import(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", None), Err(KeyError::Malformed(m)) if m.contains("no PRIVATE KEY block"))
        );
        assert!(KeyAlgorithm::parse("DSA-1024").is_err());
        assert_eq!(KeyAlgorithm::parse("p-256").unwrap(), KeyAlgorithm::P256);
    }
}
