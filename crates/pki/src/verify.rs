//! Signature verification for what the inspector checks itself (CSR self-signatures).
//! RSA PKCS#1 v1.5 and ECDSA over P-256 / P-384, with SHA-1 and the SHA-2 family.

use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use x509_parser::prelude::SubjectPublicKeyInfo;

/// Verifies `signature` over `message` with the key in `spki`, for the signature algorithm OID.
pub fn verify(spki: &SubjectPublicKeyInfo<'_>, signature_oid: &str, message: &[u8], signature: &[u8]) -> Result<(), String> {
    let hash = match signature_oid {
        "1.2.840.113549.1.1.5" | "1.2.840.10045.4.1" => Hash::Sha1,
        "1.2.840.113549.1.1.14" | "1.2.840.10045.4.3.1" => Hash::Sha224,
        "1.2.840.113549.1.1.11" | "1.2.840.10045.4.3.2" => Hash::Sha256,
        "1.2.840.113549.1.1.12" | "1.2.840.10045.4.3.3" => Hash::Sha384,
        "1.2.840.113549.1.1.13" | "1.2.840.10045.4.3.4" => Hash::Sha512,
        other => {
            let name = super::oids::signature_algorithm(other).unwrap_or(other);
            return Err(format!("verifying {name} signatures is not supported"));
        }
    };
    let digest = hash.digest(message);
    let key_oid = super::oids::dotted(&spki.algorithm.algorithm);
    let key = spki.subject_public_key.data.as_ref();
    let is_rsa_sig = signature_oid.starts_with("1.2.840.113549.1.1.");
    match (&*key_oid, is_rsa_sig) {
        ("1.2.840.113549.1.1.1", true) => verify_rsa(key, hash, &digest, signature),
        ("1.2.840.10045.2.1", false) => {
            let curve = spki.algorithm.parameters.as_ref().and_then(|p| p.as_oid().ok()).map(|o| super::oids::dotted(&o));
            match curve.as_deref() {
                Some("1.2.840.10045.3.1.7") => {
                    use p256::ecdsa::signature::hazmat::PrehashVerifier;
                    let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(key).map_err(|_| "invalid P-256 public key")?;
                    let sig = p256::ecdsa::Signature::from_der(signature).map_err(|_| "malformed ECDSA signature")?;
                    vk.verify_prehash(&digest, &sig).map_err(|_| "signature does not verify".to_string())
                }
                Some("1.3.132.0.34") => {
                    use p384::ecdsa::signature::hazmat::PrehashVerifier;
                    let vk = p384::ecdsa::VerifyingKey::from_sec1_bytes(key).map_err(|_| "invalid P-384 public key")?;
                    let sig = p384::ecdsa::Signature::from_der(signature).map_err(|_| "malformed ECDSA signature")?;
                    vk.verify_prehash(&digest, &sig).map_err(|_| "signature does not verify".to_string())
                }
                _ => Err("verifying signatures on this curve is not supported".into()),
            }
        }
        _ => Err("the signature algorithm does not match the key type".into()),
    }
}

#[derive(Clone, Copy)]
enum Hash {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn digest(self, m: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha1 => Sha1::digest(m).to_vec(),
            Hash::Sha224 => Sha224::digest(m).to_vec(),
            Hash::Sha256 => Sha256::digest(m).to_vec(),
            Hash::Sha384 => Sha384::digest(m).to_vec(),
            Hash::Sha512 => Sha512::digest(m).to_vec(),
        }
    }
}

fn verify_rsa(key: &[u8], hash: Hash, digest: &[u8], signature: &[u8]) -> Result<(), String> {
    use rsa::{BigUint, Pkcs1v15Sign, RsaPublicKey};
    let (seq, _) = super::asn1::read(key)?;
    let parts = super::asn1::children(seq.content)?;
    let [n, e] = parts.as_slice() else {
        return Err("invalid RSA public key".into());
    };
    let pk = RsaPublicKey::new(BigUint::from_bytes_be(n.content), BigUint::from_bytes_be(e.content))
        .map_err(|e| format!("unusable RSA public key: {e}"))?;
    let scheme = match hash {
        Hash::Sha1 => Pkcs1v15Sign::new::<Sha1>(),
        Hash::Sha224 => Pkcs1v15Sign::new::<Sha224>(),
        Hash::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
        Hash::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
        Hash::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
    };
    pk.verify(scheme, digest, signature).map_err(|_| "signature does not verify".to_string())
}
