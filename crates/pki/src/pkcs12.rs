//! PKCS#12 (RFC 7292, `.p12` / `.pfx`): a private key with its certificate and chain, under a
//! password.
//!
//! **Export** ([`export_pkcs12`]) writes one of two profiles:
//! - [`Pkcs12Profile::Modern`]: key and certificates under PBES2 (PBKDF2-HMAC-SHA-256,
//!   AES-256-CBC), HMAC-SHA-256 MAC. What `openssl pkcs12 -export` writes by default since 3.0.
//! - [`Pkcs12Profile::Legacy`]: the key under pbeWithSHAAnd3-KeyTripleDES-CBC, the certificates
//!   under pbeWithSHAAnd40BitRC2-CBC or 3DES ([`LegacyCertCipher`]), HMAC-SHA-1 MAC. What
//!   `openssl pkcs12 -export -legacy` writes; for Windows Server 2016, Java 8 and appliances
//!   that read nothing newer.
//!
//! Both set a friendly name (when given) and a `localKeyId` (SHA-1 of the certificate, as openssl
//! does) on the key bag and on the leaf's certificate bag, so tools pair them.
//!
//! **Import** ([`import_pkcs12`]) reads both profiles and what openssl writes with its options
//! (`-legacy`, `-descert`, `-keypbe`/`-certpbe` with PBES2 ciphers or the PKCS#12 PBE ones,
//! `-nomac`, `-macalg`): MACs with SHA-1/224/256/384/512, PBES2 with PBKDF2 (HMAC-SHA-1/224/
//! 256/384/512) or scrypt and AES-CBC or DES-EDE3-CBC, PKCS#12 PBE with 3DES (2- and 3-key) or
//! RC2 (40- and 128-bit), plain and shrouded key bags, nested SafeContents. It returns the key,
//! the certificates leaf first and then its chain, and the friendly name.
//!
//! Not supported (refused with a clear error): public-key integrity / privacy mode (signed or
//! enveloped content), RC4 and PBES1 ciphers, PBMAC1 (openssl 3.4's `-pbmac1_pbkdf2`), BER
//! indefinite-length encodings (macOS Keychain exports; re-export them with openssl).
//!
//! Hostile input is bounded: iteration counts above [`MAX_ITERATIONS`] are refused before any
//! hashing, the counts of one file may not add up to more than [`MAX_TOTAL_ITERATIONS`], scrypt
//! above 256 MiB, more than [`MAX_BAGS`] bags and SafeContents nested deeper than
//! [`MAX_DEPTH`] are refused, and nothing here panics on malformed DER.
//!
//! Built from RustCrypto's `pkcs12` (ASN.1 types and the RFC 7292 Appendix B KDF), `cms`,
//! `pkcs5`/`pkcs8` (PBES2), `des`, `rc2`, `cbc` and `hmac`; no hand-written DER. Errors say what
//! failed and where, never with what: no password and no key material in any message.

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockCipher, BlockDecryptMut, BlockEncryptMut, InnerIvInit, KeyInit};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::encrypted_data::EncryptedData;
use cms::enveloped_data::EncryptedContentInfo;
use der::asn1::{Any, BmpString, ObjectIdentifier, OctetString, SetOfVec};
use der::{Decode, Encode};
use hmac::digest::core_api::BlockSizeUser;
use hmac::digest::{Digest, FixedOutputReset};
use hmac::Mac as _;
use pkcs12::cert_type::CertBag;
use pkcs12::digest_info::DigestInfo;
use pkcs12::kdf::{derive_key, Pkcs12KeyType};
use pkcs12::mac_data::MacData;
use pkcs12::pbe_params::{EncryptedPrivateKeyInfo, Pkcs12PbeParams};
use pkcs12::pfx::{Pfx, Version};
use pkcs12::safe_bag::SafeBag;
use pkcs8::spki::AlgorithmIdentifierOwned;
use rand_core::{CryptoRng, RngCore};
use x509_cert::attr::Attribute;
use zeroize::Zeroizing;

use super::PrivateKey;

/// Highest iteration count (PBKDF2, PKCS#12 KDF, MAC) accepted on import or export. RFC 8018
/// calls 10,000,000 appropriate "for especially critical keys"; more only serves to stall a reader.
pub const MAX_ITERATIONS: u32 = 10_000_000;
/// Highest sum of the iteration counts in one file.
pub const MAX_TOTAL_ITERATIONS: u64 = 20_000_000;
/// Most SafeBags read from one file.
pub const MAX_BAGS: usize = 1_000;
/// Deepest nesting of SafeContents bags.
pub const MAX_DEPTH: usize = 4;
/// Largest input accepted (16 MiB).
pub const MAX_INPUT: usize = 16 << 20;
/// Iteration count of an export unless told otherwise: openssl's default (`PKCS12_DEFAULT_ITER`).
pub const DEFAULT_ITERATIONS: u32 = 2048;

const OID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const OID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const OID_ENVELOPED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.3");
const OID_ENCRYPTED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.6");
const OID_FRIENDLY_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.20");
const OID_LOCAL_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.21");
const OID_PBES2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");
const OID_PBMAC1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.14");
const OID_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const OID_SHA224: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.4");
const OID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const OID_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const OID_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");

/// Why a PKCS#12 operation failed. Never carries a password or key material.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Pkcs12Error {
    /// The MAC does not verify: the password is wrong, or the file was altered.
    #[error("wrong password or corrupted MAC")]
    WrongPassword,
    /// A part could not be decrypted (no MAC to tell a wrong password from damage).
    #[error("cannot decrypt {at}: wrong password or damaged data")]
    DecryptFailed {
        /// Which part, e.g. `authSafe[0] (encrypted certificates)`.
        at: String,
    },
    /// The structure is not valid PKCS#12.
    #[error("malformed PKCS#12 at {at}: {detail}")]
    Malformed {
        /// Where, e.g. `authSafe[1] bag[0] (shrouded key)`.
        at: String,
        /// What is wrong.
        detail: String,
    },
    /// Valid PKCS#12 using something certwright does not implement.
    #[error("unsupported PKCS#12: {0}")]
    Unsupported(String),
    /// A limit that protects against hostile files (iteration counts, sizes, nesting).
    #[error("refused: {0}")]
    Refused(String),
    /// The export request is not usable (no password, a certificate that does not match the key…).
    #[error("{0}")]
    Invalid(String),
}

fn malformed(at: &str, detail: impl std::fmt::Display) -> Pkcs12Error {
    Pkcs12Error::Malformed { at: at.into(), detail: detail.to_string() }
}

/// Cipher for the certificates of the legacy profile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LegacyCertCipher {
    /// pbeWithSHAAnd40BitRC2-CBC: what `openssl pkcs12 -legacy` and Windows use. Weak, but the
    /// certificates are public anyway; the key is always under 3DES.
    #[default]
    #[serde(rename = "rc2-40")]
    Rc2_40,
    /// pbeWithSHAAnd3-KeyTripleDES-CBC (`openssl pkcs12 -legacy -descert`), for readers
    /// built without RC2.
    #[serde(rename = "3des")]
    TripleDes,
}

/// How an export is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pkcs12Profile {
    /// PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC) for key and certificates, HMAC-SHA-256 MAC.
    Modern,
    /// pbeWithSHAAnd3-KeyTripleDES-CBC for the key, RC2-40 or 3DES for the certificates,
    /// HMAC-SHA-1 MAC.
    Legacy(LegacyCertCipher),
}

impl Pkcs12Profile {
    /// Parses `modern` or `legacy`, with the legacy certificate cipher (`rc2-40` or `3des`).
    pub fn parse(profile: &str, legacy_cert_cipher: Option<&str>) -> Result<Self, Pkcs12Error> {
        let cert = match legacy_cert_cipher.map(str::to_ascii_lowercase).as_deref() {
            None | Some("rc2-40") | Some("rc2") => LegacyCertCipher::Rc2_40,
            Some("3des") | Some("des-ede3") => LegacyCertCipher::TripleDes,
            Some(other) => return Err(Pkcs12Error::Invalid(format!("legacy certificate cipher `{other}` (use rc2-40 or 3des)"))),
        };
        match profile.to_ascii_lowercase().as_str() {
            "modern" => Ok(Pkcs12Profile::Modern),
            "legacy" => Ok(Pkcs12Profile::Legacy(cert)),
            other => Err(Pkcs12Error::Invalid(format!("PKCS#12 profile `{other}` (use modern or legacy)"))),
        }
    }
}

/// Options of [`export_pkcs12`].
#[derive(Clone, Debug)]
pub struct Pkcs12Options {
    /// Protection profile.
    pub profile: Pkcs12Profile,
    /// Friendly name (alias) set on the key and on the leaf certificate.
    pub friendly_name: Option<String>,
    /// Iteration count for the key derivations and the MAC (default 2048, as openssl).
    pub iterations: u32,
}

impl Default for Pkcs12Options {
    fn default() -> Self {
        Pkcs12Options { profile: Pkcs12Profile::Modern, friendly_name: None, iterations: DEFAULT_ITERATIONS }
    }
}

/// What [`import_pkcs12`] found.
#[derive(Clone, Debug)]
pub struct Pkcs12Contents {
    /// The private key (`None` in a certificate-only file). With several keys, the first.
    pub key: Option<PrivateKey>,
    /// Certificates as DER, the key's certificate first, then its issuers in order, then any other.
    pub certificates: Vec<Vec<u8>>,
    /// Friendly name of the key (or, without one, of the leaf certificate).
    pub friendly_name: Option<String>,
    /// The MAC, e.g. `HMAC-SHA-256, 2048 iterations`; `None` if the file has none.
    pub mac: Option<String>,
    /// How each part was encrypted, e.g. `certificates: PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC), 2048 iterations`.
    pub encryption: Vec<String>,
    /// Things worth knowing that did not stop the import (no MAC, ignored bags, extra keys).
    pub warnings: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// Export

/// Writes `key` with its `certificate` (DER) and `chain` (DER, issuer first or in any order) as
/// PKCS#12 DER under `password`.
pub fn export_pkcs12(
    key: &PrivateKey,
    certificate: &[u8],
    chain: &[Vec<u8>],
    password: &str,
    options: &Pkcs12Options,
    rng: &mut (impl CryptoRng + RngCore),
) -> Result<Vec<u8>, Pkcs12Error> {
    if password.is_empty() {
        return Err(Pkcs12Error::Invalid("a password is needed to protect the PKCS#12 file".into()));
    }
    if options.iterations == 0 || options.iterations > MAX_ITERATIONS {
        return Err(Pkcs12Error::Invalid(format!("iteration count {} (use 1 to {MAX_ITERATIONS})", options.iterations)));
    }
    let bmp_password = bmp_password(password)?;
    let spki = key.public_key_der().map_err(|e| Pkcs12Error::Invalid(e.to_string()))?;
    let leaf_spki = cert_spki(certificate).map_err(|e| Pkcs12Error::Invalid(format!("the certificate: {e}")))?;
    if leaf_spki != spki {
        return Err(Pkcs12Error::Invalid("the certificate does not belong to the key (its public key differs)".into()));
    }
    for (i, c) in chain.iter().enumerate() {
        cert_spki(c).map_err(|e| Pkcs12Error::Invalid(format!("chain certificate {}: {e}", i + 1)))?;
    }
    let enc = |e: der::Error| Pkcs12Error::Invalid(format!("encoding failed: {e}"));

    let local_key_id = sha1::Sha1::digest(certificate).to_vec();
    let mut attributes = SetOfVec::new();
    if let Some(name) = options.friendly_name.as_deref().filter(|n| !n.is_empty()) {
        let bmp = BmpString::from_utf8(name)
            .map_err(|_| Pkcs12Error::Invalid("the friendly name has characters outside the Basic Multilingual Plane".into()))?;
        attributes.insert(attribute(OID_FRIENDLY_NAME, Any::encode_from(&bmp)).map_err(enc)?).map_err(enc)?;
    }
    attributes
        .insert(attribute(OID_LOCAL_KEY_ID, Any::encode_from(&OctetString::new(local_key_id).map_err(enc)?)).map_err(enc)?)
        .map_err(enc)?;

    // Certificates: leaf (with the attributes), then the chain.
    let mut cert_bags = Vec::with_capacity(1 + chain.len());
    for (i, der) in std::iter::once(certificate).chain(chain.iter().map(Vec::as_slice)).enumerate() {
        let bag = CertBag { cert_id: pkcs12::PKCS_12_X509_CERT_OID, cert_value: OctetString::new(der).map_err(enc)? };
        cert_bags.push(SafeBag {
            bag_id: pkcs12::PKCS_12_CERT_BAG_OID,
            bag_value: bag.to_der().map_err(enc)?,
            bag_attributes: (i == 0).then(|| attributes.clone()),
        });
    }
    let cert_contents = cert_bags.to_der().map_err(enc)?;
    let (cert_alg, key_alg) = match options.profile {
        Pkcs12Profile::Modern => (Scheme::Pbes2, Scheme::Pbes2),
        Pkcs12Profile::Legacy(LegacyCertCipher::Rc2_40) => (Scheme::Pkcs12(Pkcs12Pbe::Rc2_40), Scheme::Pkcs12(Pkcs12Pbe::TripleDes3Key)),
        Pkcs12Profile::Legacy(LegacyCertCipher::TripleDes) => {
            (Scheme::Pkcs12(Pkcs12Pbe::TripleDes3Key), Scheme::Pkcs12(Pkcs12Pbe::TripleDes3Key))
        }
    };
    let (alg, encrypted) = encrypt(cert_alg, password, &bmp_password, options.iterations, &cert_contents, rng)?;
    let encrypted_data = EncryptedData {
        version: CmsVersion::V0,
        enc_content_info: EncryptedContentInfo {
            content_type: OID_DATA,
            content_enc_alg: alg,
            encrypted_content: Some(OctetString::new(encrypted).map_err(enc)?),
        },
        unprotected_attrs: None,
    };
    let certs_info = ContentInfo { content_type: OID_ENCRYPTED_DATA, content: Any::encode_from(&encrypted_data).map_err(enc)? };

    // The key: a pkcs8ShroudedKeyBag in a plain (id-data) SafeContents.
    let pkcs8 = key.to_pkcs8_der().map_err(|e| Pkcs12Error::Invalid(e.to_string()))?;
    let (alg, encrypted) = encrypt(key_alg, password, &bmp_password, options.iterations, &pkcs8, rng)?;
    let shrouded = EncryptedPrivateKeyInfo { encryption_algorithm: alg, encrypted_data: OctetString::new(encrypted).map_err(enc)? };
    let key_bag =
        SafeBag { bag_id: pkcs12::PKCS_12_PKCS8_KEY_BAG_OID, bag_value: shrouded.to_der().map_err(enc)?, bag_attributes: Some(attributes) };
    let key_contents = vec![key_bag].to_der().map_err(enc)?;
    let key_info =
        ContentInfo { content_type: OID_DATA, content: Any::encode_from(&OctetString::new(key_contents).map_err(enc)?).map_err(enc)? };

    let auth_safe = vec![certs_info, key_info].to_der().map_err(enc)?;
    let mut mac_salt = [0u8; 8];
    rng.fill_bytes(&mut mac_salt);
    let (digest_oid, mac) = match options.profile {
        Pkcs12Profile::Modern => (OID_SHA256, hmac_pkcs12::<sha2::Sha256>(&bmp_password, &mac_salt, options.iterations, &auth_safe)),
        Pkcs12Profile::Legacy(_) => (OID_SHA1, hmac_pkcs12::<sha1::Sha1>(&bmp_password, &mac_salt, options.iterations, &auth_safe)),
    };
    let pfx = Pfx {
        version: Version::V3,
        auth_safe: ContentInfo {
            content_type: OID_DATA,
            content: Any::encode_from(&OctetString::new(auth_safe).map_err(enc)?).map_err(enc)?,
        },
        mac_data: Some(MacData {
            mac: DigestInfo {
                algorithm: AlgorithmIdentifierOwned { oid: digest_oid, parameters: Some(Any::null()) },
                digest: OctetString::new(mac).map_err(enc)?,
            },
            mac_salt: OctetString::new(mac_salt.to_vec()).map_err(enc)?,
            iterations: options.iterations as i32,
        }),
    };
    pfx.to_der().map_err(enc)
}

/// Whether `certificate` (DER) carries the public key of `key`.
pub fn certificate_matches_key(certificate: &[u8], key: &PrivateKey) -> bool {
    matches!((cert_spki(certificate), key.public_key_der()), (Ok(a), Ok(b)) if a == b)
}

/// The issuers of `leaf` found in `pool` (DER), nearest first, up to a self-signed one or the
/// first issuer not in the pool: the chain to export with it.
pub fn issuer_chain(leaf: &[u8], pool: &[Vec<u8>]) -> Vec<Vec<u8>> {
    use x509_parser::prelude::FromDer as _;
    let names = |der: &[u8]| {
        x509_parser::certificate::X509Certificate::from_der(der)
            .ok()
            .map(|(_, c)| (c.subject().as_raw().to_vec(), c.issuer().as_raw().to_vec()))
    };
    let mut chain: Vec<Vec<u8>> = Vec::new();
    let mut current = names(leaf);
    while let Some((subject, issuer)) = current {
        if subject == issuer || chain.len() >= pool.len() {
            break;
        }
        let Some(next) = pool.iter().find(|c| c.as_slice() != leaf && !chain.contains(c) && names(c).is_some_and(|n| n.0 == issuer)) else {
            break;
        };
        chain.push(next.clone());
        current = names(next);
    }
    chain
}

fn attribute(oid: ObjectIdentifier, value: der::Result<Any>) -> der::Result<Attribute> {
    let mut values = SetOfVec::new();
    values.insert(value?)?;
    Ok(Attribute { oid, values })
}

/// The password as PKCS#12 wants it: BMPString (UTF-16BE) with a two-byte terminator.
fn bmp_password(password: &str) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
    let bmp = BmpString::from_utf8(password).map_err(|_| {
        Pkcs12Error::Invalid("the password has characters outside the Basic Multilingual Plane, which PKCS#12 cannot encode".into())
    })?;
    let mut out = Zeroizing::new(bmp.into_bytes().to_vec());
    out.extend([0, 0]);
    Ok(out)
}

fn cert_spki(der: &[u8]) -> Result<Vec<u8>, String> {
    use x509_parser::prelude::FromDer as _;
    let (rest, cert) = x509_parser::certificate::X509Certificate::from_der(der).map_err(|e| format!("not a DER certificate ({e})"))?;
    if !rest.is_empty() {
        return Err(format!("{} bytes after the certificate", rest.len()));
    }
    Ok(cert.public_key().raw.to_vec())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scheme {
    Pbes2,
    Pkcs12(Pkcs12Pbe),
}

/// The PKCS#12 PBE ciphers (RFC 7292 Appendix C); all derive with SHA-1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pkcs12Pbe {
    TripleDes3Key,
    TripleDes2Key,
    Rc2_128,
    Rc2_40,
}

impl Pkcs12Pbe {
    fn from_oid(oid: ObjectIdentifier) -> Option<Self> {
        Some(match oid {
            pkcs12::PKCS_12_PBE_WITH_SHAAND3_KEY_TRIPLE_DES_CBC => Pkcs12Pbe::TripleDes3Key,
            pkcs12::PKCS_12_PBE_WITH_SHAAND2_KEY_TRIPLE_DES_CBC => Pkcs12Pbe::TripleDes2Key,
            pkcs12::PKCS_12_PBE_WITH_SHAAND128_BIT_RC2_CBC => Pkcs12Pbe::Rc2_128,
            pkcs12::PKCS_12_PBEWITH_SHAAND40_BIT_RC2_CBC => Pkcs12Pbe::Rc2_40,
            _ => return None,
        })
    }
    fn oid(self) -> ObjectIdentifier {
        match self {
            Pkcs12Pbe::TripleDes3Key => pkcs12::PKCS_12_PBE_WITH_SHAAND3_KEY_TRIPLE_DES_CBC,
            Pkcs12Pbe::TripleDes2Key => pkcs12::PKCS_12_PBE_WITH_SHAAND2_KEY_TRIPLE_DES_CBC,
            Pkcs12Pbe::Rc2_128 => pkcs12::PKCS_12_PBE_WITH_SHAAND128_BIT_RC2_CBC,
            Pkcs12Pbe::Rc2_40 => pkcs12::PKCS_12_PBEWITH_SHAAND40_BIT_RC2_CBC,
        }
    }
    fn key_len(self) -> usize {
        match self {
            Pkcs12Pbe::TripleDes3Key => 24,
            Pkcs12Pbe::TripleDes2Key | Pkcs12Pbe::Rc2_128 => 16,
            Pkcs12Pbe::Rc2_40 => 5,
        }
    }
    fn name(self) -> &'static str {
        match self {
            Pkcs12Pbe::TripleDes3Key => "pbeWithSHAAnd3-KeyTripleDES-CBC",
            Pkcs12Pbe::TripleDes2Key => "pbeWithSHAAnd2-KeyTripleDES-CBC",
            Pkcs12Pbe::Rc2_128 => "pbeWithSHAAnd128BitRC2-CBC",
            Pkcs12Pbe::Rc2_40 => "pbeWithSHAAnd40BitRC2-CBC",
        }
    }

    /// Runs the cipher in CBC mode with PKCS#7 padding; `None` when the padding is wrong.
    fn crypt(self, key: &[u8], iv: &[u8], data: &[u8], encrypt: bool) -> Option<Vec<u8>> {
        fn run<C: BlockCipher + BlockEncryptMut + BlockDecryptMut>(c: C, iv: &[u8], data: &[u8], encrypt: bool) -> Option<Vec<u8>> {
            if encrypt {
                Some(cbc::Encryptor::<C>::inner_iv_slice_init(c, iv).ok()?.encrypt_padded_vec_mut::<Pkcs7>(data))
            } else {
                cbc::Decryptor::<C>::inner_iv_slice_init(c, iv).ok()?.decrypt_padded_vec_mut::<Pkcs7>(data).ok()
            }
        }
        match self {
            Pkcs12Pbe::TripleDes3Key => run(des::TdesEde3::new_from_slice(key).ok()?, iv, data, encrypt),
            Pkcs12Pbe::TripleDes2Key => run(des::TdesEde2::new_from_slice(key).ok()?, iv, data, encrypt),
            Pkcs12Pbe::Rc2_128 => run(rc2::Rc2::new_with_eff_key_len(key, 128), iv, data, encrypt),
            Pkcs12Pbe::Rc2_40 => run(rc2::Rc2::new_with_eff_key_len(key, 40), iv, data, encrypt),
        }
    }

    /// Key and IV from the RFC 7292 Appendix B KDF with SHA-1.
    fn derive(self, bmp_password: &[u8], salt: &[u8], iterations: u32) -> (Zeroizing<Vec<u8>>, Vec<u8>) {
        let rounds = iterations as i32; // ≤ MAX_ITERATIONS, checked by the callers
        let key = Zeroizing::new(derive_key::<sha1::Sha1>(bmp_password, salt, Pkcs12KeyType::EncryptionKey, rounds, self.key_len()));
        let iv = derive_key::<sha1::Sha1>(bmp_password, salt, Pkcs12KeyType::Iv, rounds, 8);
        (key, iv)
    }
}

fn encrypt(
    scheme: Scheme,
    password: &str,
    bmp_password: &[u8],
    iterations: u32,
    plain: &[u8],
    rng: &mut (impl CryptoRng + RngCore),
) -> Result<(AlgorithmIdentifierOwned, Vec<u8>), Pkcs12Error> {
    let fail = |e: &dyn std::fmt::Display| Pkcs12Error::Invalid(format!("encryption failed: {e}"));
    match scheme {
        Scheme::Pbes2 => {
            let mut salt = [0u8; 16];
            let mut iv = [0u8; 16];
            rng.fill_bytes(&mut salt);
            rng.fill_bytes(&mut iv);
            let params = pkcs5::pbes2::Parameters::pbkdf2_sha256_aes256cbc(iterations, &salt, &iv).map_err(|e| fail(&e))?;
            let ciphertext = params.encrypt(password, plain).map_err(|e| fail(&e))?;
            let alg = pkcs5::EncryptionScheme::from(params).to_der().map_err(|e| fail(&e))?;
            Ok((AlgorithmIdentifierOwned::from_der(&alg).map_err(|e| fail(&e))?, ciphertext))
        }
        Scheme::Pkcs12(pbe) => {
            let mut salt = [0u8; 8];
            rng.fill_bytes(&mut salt);
            let (key, iv) = pbe.derive(bmp_password, &salt, iterations);
            let ciphertext = pbe.crypt(&key, &iv, plain, true).ok_or_else(|| fail(&"cipher setup"))?;
            let params = Pkcs12PbeParams { salt: OctetString::new(salt.to_vec()).map_err(|e| fail(&e))?, iterations: iterations as i32 };
            Ok((
                AlgorithmIdentifierOwned { oid: pbe.oid(), parameters: Some(Any::encode_from(&params).map_err(|e| fail(&e))?) },
                ciphertext,
            ))
        }
    }
}

/// HMAC over `data` with the key from the RFC 7292 KDF (ID 3), as PKCS#12 MACs are computed.
fn hmac_pkcs12<D>(bmp_password: &[u8], salt: &[u8], iterations: u32, data: &[u8]) -> Vec<u8>
where
    D: Digest + FixedOutputReset + BlockSizeUser + Clone,
{
    let key = Zeroizing::new(derive_key::<D>(bmp_password, salt, Pkcs12KeyType::Mac, iterations as i32, <D as Digest>::output_size()));
    let mut mac = <hmac::SimpleHmac<D> as hmac::digest::KeyInit>::new_from_slice(&key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

// ---------------------------------------------------------------------------------------------
// Import

/// Reads PKCS#12 DER under `password` (use `""` for a file without one).
pub fn import_pkcs12(input: &[u8], password: &str) -> Result<Pkcs12Contents, Pkcs12Error> {
    if input.len() > MAX_INPUT {
        return Err(Pkcs12Error::Refused(format!("the file is {} bytes; at most {MAX_INPUT} are read", input.len())));
    }
    if input.first() == Some(&0x30) && input.get(1) == Some(&0x80) {
        return Err(Pkcs12Error::Unsupported(
            "BER indefinite-length encoding (as macOS Keychain writes); re-export it with `openssl pkcs12`".into(),
        ));
    }
    if super::pem::looks_like_pem(input) {
        return Err(Pkcs12Error::Malformed {
            at: "file".into(),
            detail: "this is PEM text; PKCS#12 is a binary (DER) file, usually .p12 or .pfx".into(),
        });
    }
    let pfx = Pfx::from_der(input).map_err(|e| malformed("PFX", e))?;
    if pfx.auth_safe.content_type != OID_DATA {
        return Err(Pkcs12Error::Unsupported(match pfx.auth_safe.content_type {
            OID_SIGNED_DATA => "public-key integrity mode (signedData authSafe)".into(),
            other => format!("authSafe content type {other}"),
        }));
    }
    let auth_safe = pfx.auth_safe.content.decode_as::<OctetString>().map_err(|e| malformed("authSafe", e))?;
    let auth_safe = auth_safe.as_bytes();

    let utf8_password = Zeroizing::new(password.as_bytes().to_vec());
    let bmp = bmp_password(password).map_err(|_| Pkcs12Error::WrongPassword)?;
    let mut budget = Budget::default();
    let mut reader = Reader { utf8_password, bmp_password: bmp, budget: &mut budget, bags: 0, out: Found::default(), mac_checked: false };

    let mut warnings = Vec::new();
    let mac = match &pfx.mac_data {
        Some(mac_data) => {
            let description = reader.verify_mac(mac_data, auth_safe, password.is_empty())?;
            reader.mac_checked = true;
            Some(description)
        }
        None => {
            warnings.push("the file has no MAC: its integrity is not protected".into());
            None
        }
    };

    let safes = Vec::<ContentInfo>::from_der(auth_safe).map_err(|e| malformed("authSafe contents", e))?;
    for (i, info) in safes.iter().enumerate() {
        reader.content_info(info, i)?;
    }

    let found = reader.out;
    warnings.extend(found.warnings);
    let mut keys = found.keys;
    if keys.len() > 1 {
        warnings.push(format!("{} private keys found; the first is used", keys.len()));
    }
    let first_key = if keys.is_empty() { None } else { Some(keys.remove(0)) };
    let (key, key_id, key_name) = match first_key {
        Some((k, id, name)) => (Some(k), id, name),
        None => (None, None, None),
    };
    let spki = key.as_ref().and_then(|k| k.public_key_der().ok());
    let (certificates, leaf_name) = order_certificates(found.certs, key_id.as_deref(), spki.as_deref());
    Ok(Pkcs12Contents { key, certificates, friendly_name: key_name.or(leaf_name), mac, encryption: found.encryption, warnings })
}

/// `hmac_pkcs12::<D>` for one digest.
type MacFn = fn(&[u8], &[u8], u32, &[u8]) -> Vec<u8>;

/// Raw subject, raw issuer and SubjectPublicKeyInfo of a certificate.
type CertNames = (Vec<u8>, Vec<u8>, Vec<u8>);

#[derive(Default)]
struct Budget {
    spent: u64,
}

impl Budget {
    fn take(&mut self, iterations: i64, at: &str) -> Result<u32, Pkcs12Error> {
        if iterations < 1 {
            return Err(malformed(at, format!("iteration count {iterations}")));
        }
        if iterations > MAX_ITERATIONS as i64 {
            return Err(Pkcs12Error::Refused(format!("{at}: iteration count {iterations} is above the limit of {MAX_ITERATIONS}")));
        }
        self.spent += iterations as u64;
        if self.spent > MAX_TOTAL_ITERATIONS {
            return Err(Pkcs12Error::Refused(format!(
                "{at}: the iteration counts of this file add up to more than {MAX_TOTAL_ITERATIONS}"
            )));
        }
        Ok(iterations as u32)
    }
}

struct Cert {
    der: Vec<u8>,
    local_key_id: Option<Vec<u8>>,
    friendly_name: Option<String>,
}

#[derive(Default)]
struct Found {
    keys: Vec<(PrivateKey, Option<Vec<u8>>, Option<String>)>,
    certs: Vec<Cert>,
    encryption: Vec<String>,
    warnings: Vec<String>,
}

struct Reader<'b> {
    utf8_password: Zeroizing<Vec<u8>>,
    /// The BMPString form that verified the MAC (openssl also accepts no bytes at all for "").
    bmp_password: Zeroizing<Vec<u8>>,
    budget: &'b mut Budget,
    bags: usize,
    out: Found,
    mac_checked: bool,
}

impl Reader<'_> {
    fn verify_mac(&mut self, mac_data: &MacData, data: &[u8], empty_password: bool) -> Result<String, Pkcs12Error> {
        let at = "macData";
        let oid = mac_data.mac.algorithm.oid;
        if oid == OID_PBMAC1 {
            return Err(Pkcs12Error::Unsupported("PBMAC1 MAC (openssl -pbmac1_pbkdf2); export with an HMAC MAC instead".into()));
        }
        if mac_data.mac.algorithm.parameters.as_ref().is_some_and(|p| der::Tagged::tag(p) != der::Tag::Null || !p.value().is_empty()) {
            return Err(malformed(at, "the MAC digest algorithm has parameters other than NULL"));
        }
        let iterations = self.budget.take(mac_data.iterations as i64, at)?;
        let salt = mac_data.mac_salt.as_bytes();
        let expected = mac_data.mac.digest.as_bytes();
        let candidates: Vec<Zeroizing<Vec<u8>>> =
            if empty_password { vec![self.bmp_password.clone(), Zeroizing::new(Vec::new())] } else { vec![self.bmp_password.clone()] };
        let (name, compute): (&str, MacFn) = match oid {
            OID_SHA1 => ("HMAC-SHA-1", hmac_pkcs12::<sha1::Sha1>),
            OID_SHA224 => ("HMAC-SHA-224", hmac_pkcs12::<sha2::Sha224>),
            OID_SHA256 => ("HMAC-SHA-256", hmac_pkcs12::<sha2::Sha256>),
            OID_SHA384 => ("HMAC-SHA-384", hmac_pkcs12::<sha2::Sha384>),
            OID_SHA512 => ("HMAC-SHA-512", hmac_pkcs12::<sha2::Sha512>),
            other => return Err(Pkcs12Error::Unsupported(format!("MAC digest {other}"))),
        };
        for (i, candidate) in candidates.iter().enumerate() {
            if i > 0 {
                self.budget.take(mac_data.iterations as i64, at)?;
            }
            let computed = compute(candidate, salt, iterations, data);
            if constant_time_eq(&computed, expected) {
                self.bmp_password = candidate.clone();
                return Ok(format!("{name}, {iterations} iterations"));
            }
        }
        Err(Pkcs12Error::WrongPassword)
    }

    fn content_info(&mut self, info: &ContentInfo, index: usize) -> Result<(), Pkcs12Error> {
        match info.content_type {
            OID_DATA => {
                let at = format!("authSafe[{index}] (data)");
                let octets = info.content.decode_as::<OctetString>().map_err(|e| malformed(&at, e))?;
                self.safe_contents(octets.as_bytes(), &at, 0)
            }
            OID_ENCRYPTED_DATA => {
                let at = format!("authSafe[{index}] (encryptedData)");
                let data = info.content.decode_as::<EncryptedData>().map_err(|e| malformed(&at, e))?;
                let eci = &data.enc_content_info;
                let ciphertext = eci.encrypted_content.as_ref().ok_or_else(|| malformed(&at, "no encrypted content"))?;
                let (plain, how) = self.decrypt(&eci.content_enc_alg, ciphertext.as_bytes(), &at)?;
                self.out.encryption.push(format!("{at}: {how}"));
                self.safe_contents(&plain, &at, 0)
            }
            OID_ENVELOPED_DATA => Err(Pkcs12Error::Unsupported(format!("authSafe[{index}]: public-key privacy mode (envelopedData)"))),
            other => Err(Pkcs12Error::Unsupported(format!("authSafe[{index}]: content type {other}"))),
        }
    }

    fn safe_contents(&mut self, der: &[u8], at: &str, depth: usize) -> Result<(), Pkcs12Error> {
        if depth > MAX_DEPTH {
            return Err(Pkcs12Error::Refused(format!("{at}: SafeContents nested deeper than {MAX_DEPTH}")));
        }
        let bags = Vec::<SafeBag>::from_der(der).map_err(|e| {
            if self.mac_checked || !at.contains("encryptedData") {
                malformed(&format!("{at} SafeContents"), e)
            } else {
                // Without a MAC, garbage after decryption is most likely a wrong password.
                Pkcs12Error::DecryptFailed { at: at.into() }
            }
        })?;
        for (i, bag) in bags.iter().enumerate() {
            self.bags += 1;
            if self.bags > MAX_BAGS {
                return Err(Pkcs12Error::Refused(format!("more than {MAX_BAGS} bags")));
            }
            let at = format!("{at} bag[{i}]");
            self.bag(bag, &at, depth)?;
        }
        Ok(())
    }

    fn bag(&mut self, bag: &SafeBag, at: &str, depth: usize) -> Result<(), Pkcs12Error> {
        let (name, key_id) = bag_attributes(bag, at)?;
        let value = bag_value(bag, at)?;
        match bag.bag_id {
            pkcs12::PKCS_12_CERT_BAG_OID => {
                let at = format!("{at} (certificate)");
                let cert = CertBag::from_der(value).map_err(|e| malformed(&at, e))?;
                if cert.cert_id != pkcs12::PKCS_12_X509_CERT_OID {
                    self.out.warnings.push(format!("{at}: certificate type {} ignored", cert.cert_id));
                    return Ok(());
                }
                let der = cert.cert_value.as_bytes().to_vec();
                cert_spki(&der).map_err(|e| malformed(&at, e))?;
                self.out.certs.push(Cert { der, local_key_id: key_id, friendly_name: name });
            }
            pkcs12::PKCS_12_PKCS8_KEY_BAG_OID => {
                let at = format!("{at} (shrouded key)");
                let info = EncryptedPrivateKeyInfo::from_der(value).map_err(|e| malformed(&at, e))?;
                let (plain, how) = self.decrypt(&info.encryption_algorithm, info.encrypted_data.as_bytes(), &at)?;
                self.out.encryption.push(format!("{at}: {how}"));
                let key = PrivateKey::from_pkcs8(&plain).map_err(|e| {
                    if self.mac_checked {
                        malformed(&at, e)
                    } else {
                        Pkcs12Error::DecryptFailed { at: at.clone() }
                    }
                })?;
                self.out.keys.push((key, key_id, name));
            }
            pkcs12::PKCS_12_KEY_BAG_OID => {
                let at = format!("{at} (key)");
                let key = PrivateKey::from_pkcs8(value).map_err(|e| malformed(&at, e))?;
                self.out.encryption.push(format!("{at}: not encrypted"));
                self.out.keys.push((key, key_id, name));
            }
            pkcs12::PKCS_12_SAFE_CONTENTS_BAG_OID => {
                self.safe_contents(value, &format!("{at} (SafeContents)"), depth + 1)?;
            }
            pkcs12::PKCS_12_CRL_BAG_OID => self.out.warnings.push(format!("{at}: CRL bag ignored")),
            pkcs12::PKCS_12_SECRET_BAG_OID => self.out.warnings.push(format!("{at}: secret bag ignored")),
            other => self.out.warnings.push(format!("{at}: unknown bag type {other} ignored")),
        }
        Ok(())
    }

    /// Decrypts with the algorithm named by `alg`, after checking its cost.
    fn decrypt(&mut self, alg: &AlgorithmIdentifierOwned, data: &[u8], at: &str) -> Result<(Zeroizing<Vec<u8>>, String), Pkcs12Error> {
        if let Some(pbe) = Pkcs12Pbe::from_oid(alg.oid) {
            let params = alg.parameters.as_ref().ok_or_else(|| malformed(at, format!("{} without parameters", pbe.name())))?;
            let params = params.decode_as::<Pkcs12PbeParams>().map_err(|e| malformed(at, e))?;
            // Key and IV are two derivations (3DES: three SHA-1 chains).
            let iterations = self.budget.take(params.iterations as i64, at)?;
            self.budget.take(params.iterations as i64, at)?;
            let (key, iv) = pbe.derive(&self.bmp_password, params.salt.as_bytes(), iterations);
            let plain = pbe.crypt(&key, &iv, data, false).ok_or_else(|| self.decrypt_failed(at))?;
            return Ok((Zeroizing::new(plain), format!("{}, {iterations} iterations", pbe.name())));
        }
        if alg.oid != OID_PBES2 {
            return Err(Pkcs12Error::Unsupported(format!("{at}: encryption algorithm {} ({})", alg.oid, cipher_name(alg.oid))));
        }
        let at_params = format!("{at} PBES2 parameters");
        let params = alg.parameters.as_ref().ok_or_else(|| malformed(&at_params, "missing"))?;
        let params = params.decode_as::<pkcs12::pbe_params::Pbes2Params>().map_err(|e| malformed(&at_params, e))?;
        let cipher = match params.encryption.oid.to_string().as_str() {
            "2.16.840.1.101.3.4.1.2" => "AES-128-CBC",
            "2.16.840.1.101.3.4.1.22" => "AES-192-CBC",
            "2.16.840.1.101.3.4.1.42" => "AES-256-CBC",
            "1.2.840.113549.3.7" => "DES-EDE3-CBC",
            other => return Err(Pkcs12Error::Unsupported(format!("{at}: PBES2 cipher {other} (AES-CBC and DES-EDE3-CBC are supported)"))),
        };
        let alg_der = alg.to_der().map_err(|e| malformed(at, e))?;
        let scheme = pkcs5::EncryptionScheme::from_der(&alg_der).map_err(|e| malformed(&at_params, e))?;
        let pbes2 = scheme.pbes2().ok_or_else(|| malformed(at, "PBES2 parameters"))?;
        let kdf = match &pbes2.kdf {
            pkcs5::pbes2::Kdf::Pbkdf2(p) => {
                let iterations = self.budget.take(p.iteration_count as i64, at)?;
                format!("PBKDF2-{}, {iterations} iterations", prf_name(p.prf))
            }
            pkcs5::pbes2::Kdf::Scrypt(p) => {
                let n = p.cost_parameter;
                let memory = 128u128 * p.block_size as u128 * n as u128 * (p.parallelization as u128).max(1);
                if memory > 256 << 20 {
                    return Err(Pkcs12Error::Refused(format!("{at}: scrypt needs {} MiB; at most 256 MiB", memory >> 20)));
                }
                format!("scrypt (N={n}, r={}, p={})", p.block_size, p.parallelization)
            }
            other => return Err(Pkcs12Error::Unsupported(format!("{at}: PBES2 key derivation {}", other.oid()))),
        };
        let plain = scheme.decrypt(self.utf8_password.as_slice(), data).map_err(|e| match e {
            // pkcs5 0.7 reports bad padding on decryption as `EncryptFailed`.
            pkcs5::Error::DecryptFailed | pkcs5::Error::EncryptFailed => self.decrypt_failed(at),
            pkcs5::Error::UnsupportedAlgorithm { oid } => Pkcs12Error::Unsupported(format!("{at}: algorithm {oid}")),
            other => malformed(at, other),
        })?;
        Ok((Zeroizing::new(plain), format!("PBES2 ({kdf}, {cipher})")))
    }

    fn decrypt_failed(&self, at: &str) -> Pkcs12Error {
        if self.mac_checked {
            malformed(at, "decryption failed although the MAC verified (bad padding)")
        } else {
            Pkcs12Error::DecryptFailed { at: at.into() }
        }
    }
}

fn prf_name(prf: pkcs5::pbes2::Pbkdf2Prf) -> &'static str {
    use pkcs5::pbes2::Pbkdf2Prf::*;
    match prf {
        HmacWithSha1 => "HMAC-SHA-1",
        HmacWithSha224 => "HMAC-SHA-224",
        HmacWithSha256 => "HMAC-SHA-256",
        HmacWithSha384 => "HMAC-SHA-384",
        HmacWithSha512 => "HMAC-SHA-512",
        _ => "HMAC",
    }
}

fn cipher_name(oid: ObjectIdentifier) -> &'static str {
    match oid.to_string().as_str() {
        "1.2.840.113549.1.12.1.1" => "pbeWithSHAAnd128BitRC4",
        "1.2.840.113549.1.12.1.2" => "pbeWithSHAAnd40BitRC4",
        "1.2.840.113549.1.5.3" => "pbeWithMD5AndDES-CBC",
        "1.2.840.113549.1.5.10" => "pbeWithSHA1AndDES-CBC",
        "1.2.840.113549.1.5.6" => "pbeWithMD5AndRC2-CBC",
        "1.2.840.113549.1.5.11" => "pbeWithSHA1AndRC2-CBC",
        _ => "unknown",
    }
}

/// The bag's value. `pkcs12` 0.1 decodes `bagValue` with its `[0] EXPLICIT` wrapper still on
/// (but encodes it without), so the wrapper is taken off here.
fn bag_value<'a>(bag: &'a SafeBag, at: &str) -> Result<&'a [u8], Pkcs12Error> {
    if bag.bag_value.first() != Some(&0xa0) {
        return Ok(&bag.bag_value);
    }
    let wrapper = der::AnyRef::from_der(&bag.bag_value).map_err(|e| malformed(&format!("{at} bagValue"), e))?;
    Ok(wrapper.value())
}

fn bag_attributes(bag: &SafeBag, at: &str) -> Result<(Option<String>, Option<Vec<u8>>), Pkcs12Error> {
    let mut name = None;
    let mut key_id = None;
    for attr in bag.bag_attributes.iter().flat_map(|a| a.iter()) {
        let Some(value) = attr.values.iter().next() else {
            continue;
        };
        match attr.oid {
            OID_FRIENDLY_NAME => {
                let bmp = value.decode_as::<BmpString>().map_err(|e| malformed(&format!("{at} friendlyName"), e))?;
                name = Some(bmp.to_string());
            }
            OID_LOCAL_KEY_ID => {
                let id = value.decode_as::<OctetString>().map_err(|e| malformed(&format!("{at} localKeyId"), e))?;
                key_id = Some(id.as_bytes().to_vec());
            }
            _ => {}
        }
    }
    Ok((name, key_id))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Leaf first (the certificate with the key's localKeyId, else its public key, else the first),
/// then the issuers in order, then the rest in file order. Returns the leaf's friendly name too.
fn order_certificates(certs: Vec<Cert>, key_id: Option<&[u8]>, spki: Option<&[u8]>) -> (Vec<Vec<u8>>, Option<String>) {
    use x509_parser::prelude::FromDer as _;
    if certs.is_empty() {
        return (Vec::new(), None);
    }
    let names: Vec<Option<CertNames>> = certs
        .iter()
        .map(|c| {
            x509_parser::certificate::X509Certificate::from_der(&c.der)
                .ok()
                .map(|(_, x)| (x.subject().as_raw().to_vec(), x.issuer().as_raw().to_vec(), x.public_key().raw.to_vec()))
        })
        .collect();
    let leaf = key_id
        .and_then(|id| certs.iter().position(|c| c.local_key_id.as_deref() == Some(id)))
        .or_else(|| spki.and_then(|s| names.iter().position(|n| n.as_ref().is_some_and(|n| n.2 == s))))
        .unwrap_or(0);
    let mut order = vec![leaf];
    let mut current = leaf;
    while let Some((subject, issuer, _)) = &names[current] {
        if subject == issuer {
            break;
        }
        let next = (0..certs.len()).find(|&j| !order.contains(&j) && names[j].as_ref().is_some_and(|n| &n.0 == issuer));
        match next {
            Some(j) => {
                order.push(j);
                current = j;
            }
            None => break,
        }
    }
    order.extend((0..certs.len()).filter(|j| !order.contains(j)).collect::<Vec<_>>());
    let leaf_name = certs[leaf].friendly_name.clone();
    let mut certs: Vec<Option<Cert>> = certs.into_iter().map(Some).collect();
    (order.into_iter().filter_map(|i| certs[i].take().map(|c| c.der)).collect(), leaf_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_parse() {
        assert_eq!(Pkcs12Profile::parse("modern", None).unwrap(), Pkcs12Profile::Modern);
        assert_eq!(Pkcs12Profile::parse("legacy", None).unwrap(), Pkcs12Profile::Legacy(LegacyCertCipher::Rc2_40));
        assert_eq!(Pkcs12Profile::parse("Legacy", Some("3des")).unwrap(), Pkcs12Profile::Legacy(LegacyCertCipher::TripleDes));
        assert!(Pkcs12Profile::parse("aes", None).is_err());
        assert!(Pkcs12Profile::parse("legacy", Some("rc4")).is_err());
    }

    #[test]
    fn issuer_chain_follows_names_and_stops() {
        assert!(issuer_chain(b"junk", &[b"junk".to_vec()]).is_empty());
    }

    #[test]
    fn garbage_is_a_clear_error() {
        for input in [&b""[..], b"\x30", b"\x30\x03\x02\x01\x03", b"hello world"] {
            let e = import_pkcs12(input, "pw").unwrap_err();
            assert!(matches!(e, Pkcs12Error::Malformed { .. }), "{e}");
        }
        let e = import_pkcs12(b"\x30\x80\x02\x01\x03\x00\x00", "pw").unwrap_err();
        assert!(e.to_string().contains("BER"), "{e}");
    }
}
