//! Certificate profiles that encode the vendors' documented requirements
//! (`docs/vendors/`), so a form can say why a choice breaks a profile before
//! anything is built.

use serde::{Deserialize, Serialize};

use super::build::{prepare_certificate, CertParams, CertSubject, FieldError, Issuer, San, ToBeSigned};

const DAY: i64 = 86_400;
const YEAR: i64 = 365 * DAY + DAY / 4;

/// A named set of requirements for a certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Profile {
    /// No vendor rules beyond RFC 5280.
    Custom,
    /// OpenAI organization mTLS CA: CA, SKI, AKI keyid, keyCertSign + cRLSign, < 16 KB, not
    /// expiring within a day.
    OpenaiMtlsCa,
    /// OpenAI client certificate: signed directly by the uploaded CA, digitalSignature +
    /// keyEncipherment, EKU clientAuth, SKI / AKI.
    OpenaiClient,
    /// MATTR DTS root CA (unmanaged): issuer alternative name (email or URI), C / CN / O,
    /// serial of at most 20 digits, at most 20 years, notBefore not in the past.
    MattrDtsRoot,
    /// A CA for an Akamai mTLS Edge Truststore CA set: CA bit, RSA >= 2048 or EC >= 256, SHA-256+.
    AkamaiCaSetCa,
}

/// The key being certified, as far as profiles care.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyFacts {
    /// `RSA` or `EC`.
    pub algorithm: String,
    /// Size in bits.
    pub bits: u32,
}

fn err(field: &str, message: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), message: message.into() }
}

impl Profile {
    /// Every profile, for menus.
    pub const ALL: [Profile; 5] =
        [Profile::Custom, Profile::OpenaiMtlsCa, Profile::OpenaiClient, Profile::MattrDtsRoot, Profile::AkamaiCaSetCa];

    /// A short label for menus.
    pub fn label(self) -> &'static str {
        match self {
            Profile::Custom => "Custom",
            Profile::OpenaiMtlsCa => "OpenAI mTLS CA",
            Profile::OpenaiClient => "OpenAI client certificate",
            Profile::MattrDtsRoot => "MATTR DTS root CA",
            Profile::AkamaiCaSetCa => "Akamai CA-set CA",
        }
    }

    /// Whether certificates of this profile are self-signed (no issuer chosen).
    pub fn self_signed(self) -> Option<bool> {
        match self {
            Profile::Custom | Profile::AkamaiCaSetCa => None,
            Profile::OpenaiMtlsCa | Profile::MattrDtsRoot => Some(true),
            Profile::OpenaiClient => Some(false),
        }
    }

    /// Parameters that satisfy the profile, starting at `now` (Unix seconds).
    pub fn defaults(self, now: i64) -> CertParams {
        let ca_usage = vec!["keyCertSign".to_string(), "cRLSign".to_string()];
        let base = CertParams { not_before: now, not_after: now + 365 * DAY, ..Default::default() };
        match self {
            Profile::Custom => base,
            Profile::OpenaiMtlsCa => CertParams { is_ca: true, key_usage: ca_usage, not_after: now + 5 * 365 * DAY, ..base },
            Profile::OpenaiClient => CertParams {
                key_usage: vec!["digitalSignature".into(), "keyEncipherment".into()],
                extended_key_usage: vec!["clientAuth".into()],
                ..base
            },
            Profile::MattrDtsRoot => CertParams { is_ca: true, key_usage: ca_usage, not_after: now + 10 * 365 * DAY, ..base },
            Profile::AkamaiCaSetCa => CertParams { is_ca: true, key_usage: ca_usage, not_after: now + 10 * 365 * DAY, ..base },
        }
    }

    /// Why `params` (for `key`, issued by a CA or self-signed, at `now`) break this profile.
    pub fn check(self, params: &CertParams, key: &KeyFacts, has_issuer: bool, now: i64) -> Vec<FieldError> {
        let mut e = Vec::new();
        let has = |list: &[String], name: &str| list.iter().any(|x| x.eq_ignore_ascii_case(name));
        let need_usage = |e: &mut Vec<FieldError>, names: &[&str]| {
            for n in names {
                if !has(&params.key_usage, n) {
                    e.push(err("keyUsage", format!("{} requires key usage {n}", self.label())));
                }
            }
        };
        let need_ca = |e: &mut Vec<FieldError>| {
            if !params.is_ca {
                e.push(err("isCa", format!("{} must be a CA certificate (basicConstraints cA)", self.label())));
            }
        };
        for (i, eku) in params.extended_key_usage.iter().enumerate() {
            if let Some(problem) = super::build::extended_key_usage_problem(eku) {
                e.push(FieldError { field: format!("extendedKeyUsage[{i}]"), message: problem });
            }
        }
        match self {
            Profile::Custom => {}
            Profile::OpenaiMtlsCa => {
                need_ca(&mut e);
                need_usage(&mut e, &["keyCertSign", "cRLSign"]);
                if params.not_after < now + DAY {
                    e.push(err("notAfter", "OpenAI refuses a CA that expires within 1 day"));
                }
            }
            Profile::OpenaiClient => {
                if params.is_ca {
                    e.push(err("isCa", "an OpenAI client certificate must not be a CA"));
                }
                if !has_issuer {
                    e.push(err("issuer", "an OpenAI client certificate is signed directly by the uploaded mTLS CA: choose it as issuer"));
                }
                need_usage(&mut e, &["digitalSignature", "keyEncipherment"]);
                if !has(&params.extended_key_usage, "clientAuth") {
                    e.push(err("extendedKeyUsage", "an OpenAI client certificate needs EKU clientAuth"));
                }
            }
            Profile::MattrDtsRoot => {
                need_ca(&mut e);
                need_usage(&mut e, &["keyCertSign", "cRLSign"]);
                if has_issuer {
                    e.push(err("issuer", "a MATTR DTS root is self-signed"));
                }
                let s = &params.subject;
                for (field, value, name) in [
                    ("subject.country", &s.country, "C"),
                    ("subject.commonName", &s.common_name, "CN"),
                    ("subject.organization", &s.organization, "O"),
                ] {
                    if value.trim().is_empty() {
                        e.push(err(field, format!("MATTR requires a non-empty {name}")));
                    }
                }
                if !s.common_name.chars().all(|c| c.is_ascii_alphanumeric() || " '()+,-./:=?".contains(c)) {
                    e.push(err("subject.commonName", "MATTR requires the common name to be a valid PrintableString"));
                }
                let ian_ok = params.issuer_alternative_names.iter().any(|n| matches!(San::parse(n), Ok(San::Email(_) | San::Uri(_))));
                if !ian_ok {
                    e.push(err("issuerAlternativeNames", "MATTR requires an issuer alternative name with an email address or a URI"));
                }
                if !params.serial_hex.trim().is_empty() && !serial_within_20_digits(&params.serial_hex) {
                    e.push(err("serial", "MATTR requires a serial number of at most 20 decimal digits"));
                }
                if params.not_before < now - 300 {
                    e.push(err("notBefore", "MATTR requires notBefore not to be in the past"));
                }
                if params.not_after > params.not_before + 20 * YEAR {
                    e.push(err("notAfter", "MATTR allows at most 20 years of validity"));
                }
            }
            Profile::AkamaiCaSetCa => {
                need_ca(&mut e);
                let ok = match key.algorithm.as_str() {
                    "RSA" => key.bits >= 2048,
                    "EC" => key.bits >= 256,
                    _ => false,
                };
                if !ok {
                    e.push(err("key", format!("Akamai needs RSA >= 2048 or EC >= 256 bits (this key: {} {})", key.algorithm, key.bits)));
                }
            }
        }
        e
    }

    /// Issues a certificate under this profile: its rules are checked first (nothing is built
    /// when they fail), the profile picks the serial when none is given, and the result is
    /// checked again where a rule needs the finished certificate.
    pub fn issue(
        self,
        params: &CertParams,
        subject: CertSubject<'_>,
        issuer: Option<Issuer<'_>>,
        random20: [u8; 20],
        now: i64,
    ) -> Result<Vec<u8>, Vec<FieldError>> {
        let tbs = self.prepare(params, subject, issuer, random20, now)?;
        let key = super::build::certificate_signer(subject, issuer)
            .ok_or_else(|| vec![err("issuer", "a certificate for a CSR needs an issuing CA")])?;
        let der = tbs.sign(key)?;
        let problems = self.check_built(&der);
        if problems.is_empty() {
            Ok(der)
        } else {
            Err(problems)
        }
    }

    /// Phase one of [`issue`](Self::issue) for a signature made elsewhere (see
    /// [`ToBeSigned`]): the profile's rules are checked and the serial chosen as in `issue`.
    /// After [`ToBeSigned::finish`], run [`check_built`](Self::check_built) on the result.
    pub fn prepare(
        self,
        params: &CertParams,
        subject: CertSubject<'_>,
        issuer: Option<Issuer<'_>>,
        random20: [u8; 20],
        now: i64,
    ) -> Result<ToBeSigned, Vec<FieldError>> {
        let problems = self.check(params, &subject.key_facts(), issuer.is_some(), now);
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut params = params.clone();
        if params.serial_hex.trim().is_empty() {
            params.serial_hex = self.serial_hex(random20);
        }
        prepare_certificate(&params, subject, issuer, random20)
    }

    /// Checks that need the built certificate (DER): OpenAI refuses a CA of 16 KB or more.
    pub fn check_built(self, der: &[u8]) -> Vec<FieldError> {
        match self {
            Profile::OpenaiMtlsCa if der.len() >= 16 * 1024 => {
                vec![err("certificate", format!("OpenAI requires the CA certificate to be under 16 KB (this one is {} bytes)", der.len()))]
            }
            _ => Vec::new(),
        }
    }

    /// A serial for this profile from 20 random bytes, as hex (MATTR: at most 20 decimal digits).
    pub fn serial_hex(self, random: [u8; 20]) -> String {
        match self {
            Profile::MattrDtsRoot => {
                let mut b = [0u8; 8];
                b.copy_from_slice(&random[..8]);
                let v = (u64::from_be_bytes(b) >> 1).max(1); // < 2^63 < 10^19: at most 19 digits
                                                             // Whole octets, and a leading 00 where the first would have its top bit set
                                                             // (`a542ffc8f965f7` would read as a negative integer).
                let h = format!("{v:x}");
                match (h.len() % 2, h.as_bytes()[0]) {
                    (1, _) => format!("0{h}"),
                    (_, c) if c >= b'8' => format!("00{h}"),
                    _ => h,
                }
            }
            _ => String::new(),
        }
    }
}

fn serial_within_20_digits(hex: &str) -> bool {
    let h: String = hex.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    let h = h.trim_start_matches('0');
    // 10^20 - 1 = 0x56BC75E2D630FFFFF (17 hex digits).
    h.len() < 17 || (h.len() == 17 && h.to_ascii_lowercase().as_str() <= "56bc75e2d630fffff")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SubjectFields;

    const NOW: i64 = 1_767_225_600;

    fn ec256() -> KeyFacts {
        KeyFacts { algorithm: "EC".into(), bits: 256 }
    }

    #[test]
    fn defaults_satisfy_their_profile_where_no_user_input_is_needed() {
        for p in [Profile::OpenaiMtlsCa, Profile::AkamaiCaSetCa] {
            assert_eq!(p.check(&p.defaults(NOW), &ec256(), false, NOW), vec![], "{p:?}");
        }
        assert_eq!(Profile::OpenaiClient.check(&Profile::OpenaiClient.defaults(NOW), &ec256(), true, NOW), vec![]);
    }

    #[test]
    fn mattr_rules_are_explained() {
        let mut p = Profile::MattrDtsRoot.defaults(NOW);
        let fields = |e: Vec<FieldError>| e.into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(
            fields(Profile::MattrDtsRoot.check(&p, &ec256(), false, NOW)),
            ["subject.country", "subject.commonName", "subject.organization", "issuerAlternativeNames"]
        );
        p.subject = SubjectFields {
            common_name: "Example DTS CA".into(),
            organization: "Example".into(),
            country: "AU".into(),
            ..Default::default()
        };
        p.issuer_alternative_names = vec!["URI:https://example.com".into()];
        assert_eq!(Profile::MattrDtsRoot.check(&p, &ec256(), false, NOW), vec![]);
        p.not_after = p.not_before + 21 * YEAR;
        p.serial_hex = "56bc75e2d63100000".into(); // 10^20
        p.not_before = NOW - DAY;
        assert_eq!(fields(Profile::MattrDtsRoot.check(&p, &ec256(), false, NOW)), ["serial", "notBefore", "notAfter"]);
        assert!(serial_within_20_digits(&Profile::MattrDtsRoot.serial_hex([0xff; 20])));
        // A value whose hex starts with a top-bit-set octet gets a leading 00 (positive); an odd
        // number of digits gets a leading 0; the builder accepts every one.
        let mut r = [0u8; 20];
        r[..8].copy_from_slice(&(0x00a5_42ff_c8f9_65f7_u64 << 1).to_be_bytes());
        assert_eq!(Profile::MattrDtsRoot.serial_hex(r), "00a542ffc8f965f7");
        r[..8].copy_from_slice(&(0xabcu64 << 1).to_be_bytes());
        assert_eq!(Profile::MattrDtsRoot.serial_hex(r), "0abc");
        r[..8].copy_from_slice(&(0x12u64 << 1).to_be_bytes());
        assert_eq!(Profile::MattrDtsRoot.serial_hex(r), "12");
        assert_eq!(Profile::OpenaiMtlsCa.check_built(&[0u8; 16 * 1024])[0].field, "certificate");
        assert!(Profile::OpenaiMtlsCa.check_built(&[0u8; 1500]).is_empty());
    }

    #[test]
    fn akamai_and_openai_rules() {
        let p = Profile::AkamaiCaSetCa.defaults(NOW);
        let e = Profile::AkamaiCaSetCa.check(&p, &KeyFacts { algorithm: "RSA".into(), bits: 1024 }, false, NOW);
        assert_eq!(e[0].field, "key");
        let c = Profile::OpenaiClient.check(&Profile::OpenaiClient.defaults(NOW), &ec256(), false, NOW);
        assert_eq!(c[0].field, "issuer");
    }
}
