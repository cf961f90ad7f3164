#!/usr/bin/env python3
"""Regenerate the certwright test vectors under tests/data/.

Usage:  python3 tests/data/make_vectors.py

* Idempotent: private keys in tests/data/keys/ are reused if present (and only
  generated when missing), serials and validity dates are fixed, RSA signatures
  use PKCS#1 v1.5 and ECDSA signatures use RFC 6979 deterministic nonces, so a
  re-run with the same keys reproduces byte-identical certificates, CRLs and
  CSRs.  (pem/with-text.pem embeds `openssl x509 -text` output and may differ
  cosmetically between OpenSSL versions.)
* Needs python3 with `cryptography` (>= 44 for deterministic ECDSA) and the
  `openssl` command line tool (tested with OpenSSL 3.0).
* At the end every file is checked with openssl and tests/data/README.md is
  rewritten with a provenance table and SHA-256 fingerprints.

All keys in tests/data/keys/ are TEST-ONLY keys; never trust them.
"""

import base64
import datetime as dt
import hashlib
import ipaddress
import os
import subprocess
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "keys")

NOT_BEFORE = dt.datetime(2025, 1, 1, 0, 0, 0, tzinfo=dt.timezone.utc)
NOT_AFTER = dt.datetime(2035, 1, 1, 0, 0, 0, tzinfo=dt.timezone.utc)
CRL_THIS = dt.datetime(2025, 6, 1, 0, 0, 0, tzinfo=dt.timezone.utc)
CRL_NEXT = dt.datetime(2035, 1, 1, 0, 0, 0, tzinfo=dt.timezone.utc)

SHA256 = hashes.SHA256()

# Provenance rows for the README: (relative path, how made, what is special)
ROWS = []


def row(path, how, special):
    ROWS.append((path, how, special))


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def p(rel):
    full = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    return full


def write(rel, data):
    if isinstance(data, str):
        data = data.encode()
    with open(p(rel), "wb") as f:
        f.write(data)


def read(rel):
    with open(os.path.join(HERE, rel), "rb") as f:
        return f.read()


def run(*args, check=True, input=None):
    r = subprocess.run(list(args), cwd=HERE, input=input,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and r.returncode != 0:
        raise SystemExit("command failed: %s\n%s%s" % (
            " ".join(args), r.stdout.decode(errors="replace"),
            r.stderr.decode(errors="replace")))
    return r


def pem_armor(label, der, width=64, eol="\n"):
    b64 = base64.b64encode(der).decode()
    lines = [b64[i:i + width] for i in range(0, len(b64), width)] if width else [b64]
    return eol.join(["-----BEGIN %s-----" % label] + lines +
                    ["-----END %s-----" % label]) + eol


def load_or_make_key(name, kind):
    path = os.path.join(KEYS, name + ".key.pem")
    os.makedirs(KEYS, exist_ok=True)
    if os.path.exists(path):
        with open(path, "rb") as f:
            return serialization.load_pem_private_key(f.read(), None)
    if kind == "rsa":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    else:
        key = ec.generate_private_key(ec.SECP256R1())
    with open(path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return key


def sign_kw(key):
    return {"ecdsa_deterministic": True} if isinstance(key, ec.EllipticCurvePrivateKey) else {}


def name(cn, o="Certwright Test", c="US"):
    attrs = []
    if c:
        attrs.append(x509.NameAttribute(NameOID.COUNTRY_NAME, c))
    if o:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, o))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def cert_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def cert_der(cert):
    return cert.public_bytes(serialization.Encoding.DER)


# --------------------------------------------------------------------------
# minimal hand-written DER encoder (used for odd/ certs and the v1 CRL)
# --------------------------------------------------------------------------

def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, content):
    return bytes([tag]) + der_len(len(content)) + content


def d_seq(*items):
    return tlv(0x30, b"".join(items))


def d_set(*items):
    return tlv(0x31, b"".join(sorted(items)))


def d_int(v):
    """Minimal two's complement INTEGER."""
    if v == 0:
        body = b"\x00"
    else:
        n = (v.bit_length() + 8) // 8  # room for sign bit
        body = v.to_bytes(n, "big", signed=True)
        while len(body) > 1 and ((body[0] == 0 and body[1] < 0x80) or
                                 (body[0] == 0xFF and body[1] >= 0x80)):
            body = body[1:]
    return tlv(0x02, body)


def d_oid(dotted):
    parts = [int(x) for x in dotted.split(".")]
    out = bytearray([40 * parts[0] + parts[1]])
    for v in parts[2:]:
        enc = [v & 0x7F]
        v >>= 7
        while v:
            enc.append(0x80 | (v & 0x7F))
            v >>= 7
        out += bytes(reversed(enc))
    return tlv(0x06, bytes(out))


def d_null():
    return b"\x05\x00"


def d_bool(b):
    return tlv(0x01, b"\xff" if b else b"\x00")


def d_octets(b):
    return tlv(0x04, b)


def d_bits(b):
    return tlv(0x03, b"\x00" + b)


def d_utf8(s):
    return tlv(0x0C, s.encode("utf-8"))


def d_printable(s):
    return tlv(0x13, s.encode("ascii"))


def d_universal(s):
    return tlv(0x1C, s.encode("utf-32-be"))


def d_utctime(s):
    return tlv(0x17, s.encode("ascii"))


def d_gentime(s):
    return tlv(0x18, s.encode("ascii"))


def d_explicit(n, content):
    return tlv(0xA0 | n, content)


OID_CN = "2.5.4.3"
OID_O = "2.5.4.10"
OID_C = "2.5.4.6"
OID_SHA256_RSA = "1.2.840.113549.1.1.11"
OID_SAN = "2.5.29.17"
OID_BC = "2.5.29.19"
OID_SKI = "2.5.29.14"


def d_rdn(oid, value_der):
    return d_set(d_seq(d_oid(oid), value_der))


def d_name(*rdns):
    return d_seq(*rdns)


SIGALG_RSA = d_seq(d_oid(OID_SHA256_RSA), d_null())


def rsa_sign_tbs(tbs, key):
    sig = key.sign(tbs, padding.PKCS1v15(), SHA256)
    return d_seq(tbs, SIGALG_RSA, d_bits(sig))


def spki_der(key):
    return key.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


def ski_of(key):
    return x509.SubjectKeyIdentifier.from_public_key(key.public_key()).digest


def raw_tbs(key, *, serial_der, issuer, subject, not_before, not_after,
            extensions=None, version_der=None):
    """Build a TBSCertificate from raw DER pieces.  serial_der/version_der are
    complete INTEGER TLVs so callers can make them non-minimal / negative."""
    if version_der is None:
        version_der = d_int(2)
    items = [d_explicit(0, version_der), serial_der, SIGALG_RSA, issuer,
             d_seq(not_before, not_after), subject, spki_der(key)]
    if extensions:
        items.append(d_explicit(3, d_seq(*extensions)))
    return d_seq(*items)


def d_ext(oid, value, critical=False):
    parts = [d_oid(oid)]
    if critical:
        parts.append(d_bool(True))
    parts.append(d_octets(value))
    return d_seq(*parts)


def odd_basic_exts(key):
    return [d_ext(OID_BC, d_seq(), critical=True),  # CA:FALSE (default)
            d_ext(OID_SKI, d_octets(ski_of(key)))]


# --------------------------------------------------------------------------
# 1. chain
# --------------------------------------------------------------------------

def make_chain():
    root_key = load_or_make_key("root", "rsa")
    int_key = load_or_make_key("intermediate", "ec")
    leaf_key = load_or_make_key("leaf", "ec")

    root_name = name("Certwright Test Root CA")
    int_name = name("Certwright Test Intermediate CA")
    leaf_name = name("example.com")

    root = (x509.CertificateBuilder()
            .subject_name(root_name).issuer_name(root_name)
            .public_key(root_key.public_key())
            .serial_number(0x1001)
            .not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=True,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
            .sign(root_key, SHA256))

    inter = (x509.CertificateBuilder()
             .subject_name(int_name).issuer_name(root_name)
             .public_key(int_key.public_key())
             .serial_number(0x2001)
             .not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER)
             .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
             .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                          key_encipherment=False, data_encipherment=False,
                                          key_agreement=False, key_cert_sign=True, crl_sign=True,
                                          encipher_only=False, decipher_only=False), critical=True)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(int_key.public_key()), critical=False)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
             .sign(root_key, SHA256))

    def leaf_builder(subject, key, serial):
        return (x509.CertificateBuilder()
                .subject_name(subject).issuer_name(int_name)
                .public_key(key.public_key())
                .serial_number(serial)
                .not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(int_key.public_key()), critical=False))

    leaf = (leaf_builder(leaf_name, leaf_key, 0x3001)
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("example.com"),
                x509.DNSName("*.example.com"),
                x509.IPAddress(ipaddress.ip_address("192.0.2.1")),
                x509.RFC822Name("admin@example.com"),
                x509.UniformResourceIdentifier("https://example.com/"),
            ]), critical=False)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=True, key_cert_sign=False, crl_sign=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH,
                                                  ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier("http://crl.example.com/int.crl")],
                relative_name=None, reasons=None, crl_issuer=None)]), critical=False)
            .add_extension(x509.AuthorityInformationAccess([
                x509.AccessDescription(x509.AuthorityInformationAccessOID.OCSP,
                                       x509.UniformResourceIdentifier("http://ocsp.example.com")),
                x509.AccessDescription(x509.AuthorityInformationAccessOID.CA_ISSUERS,
                                       x509.UniformResourceIdentifier("http://ca.example.com/int.cer")),
            ]), critical=False)
            .add_extension(x509.CertificatePolicies([x509.PolicyInformation(
                x509.ObjectIdentifier("2.23.140.1.2.1"), None)]), critical=False)
            .sign(int_key, SHA256, ecdsa_deterministic=True))

    write("chain/root.pem", cert_pem(root))
    write("chain/intermediate.pem", cert_pem(inter))
    write("chain/leaf.pem", cert_pem(leaf))
    write("chain/leaf.der", cert_der(leaf))
    write("chain/bundle-shuffled.pem", cert_pem(leaf) + cert_pem(root) + cert_pem(inter) + cert_pem(leaf))
    row("chain/root.pem", "`make_chain()` (cryptography)",
        "Self-signed RSA-2048 root, serial 0x1001, basicConstraints CA:TRUE (critical), keyUsage keyCertSign+cRLSign, SKI, AKI (=own SKI), 2025-01-01..2035-01-01")
    row("chain/intermediate.pem", "`make_chain()` (cryptography)",
        "P-256 intermediate signed by root (sha256WithRSA), serial 0x2001, CA:TRUE pathlen:0, keyUsage digitalSignature+keyCertSign+cRLSign, SKI/AKI")
    row("chain/leaf.pem", "`make_chain()` (cryptography, deterministic ECDSA)",
        "P-256 leaf signed by intermediate (ecdsa-with-SHA256), serial 0x3001, CN=example.com; SAN DNS example.com, DNS *.example.com, IP 192.0.2.1, email admin@example.com, URI https://example.com/; EKU serverAuth+clientAuth; keyUsage digitalSignature+keyAgreement (critical); CRLDP http://crl.example.com/int.crl; AIA OCSP http://ocsp.example.com + caIssuers http://ca.example.com/int.cer; policy 2.23.140.1.2.1; SKI/AKI; CA:FALSE")
    row("chain/leaf.der", "`make_chain()`", "DER encoding of chain/leaf.pem")
    row("chain/bundle-shuffled.pem", "`make_chain()`",
        "4 PEM blocks in order leaf, root, intermediate, leaf (duplicate leaf; out-of-order chain)")

    # 2. unknown private extension
    ue_key = load_or_make_key("unknown-ext", "ec")
    unknown = (leaf_builder(name("unknown-ext.example.com"), ue_key, 0x3002)
               .add_extension(x509.SubjectAlternativeName([x509.DNSName("unknown-ext.example.com")]), critical=False)
               .add_extension(x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.55555.1"),
                                                         bytes.fromhex("0403010203")), critical=False)
               .sign(int_key, SHA256, ecdsa_deterministic=True))
    write("chain/unknown-ext.pem", cert_pem(unknown))
    row("chain/unknown-ext.pem", "`make_chain()` (cryptography `UnrecognizedExtension`)",
        "Leaf (serial 0x3002, issued by intermediate) with non-critical private extension OID 1.3.6.1.4.1.55555.1 whose extnValue OCTET STRING contains `04 03 01 02 03`")
    return root_key, int_key, root, inter, leaf


# --------------------------------------------------------------------------
# 3. PKCS#7
# --------------------------------------------------------------------------

def make_pkcs7():
    run("openssl", "crl2pkcs7", "-nocrl",
        "-certfile", "chain/leaf.pem", "-certfile", "chain/intermediate.pem",
        "-certfile", "chain/root.pem", "-outform", "DER", "-out", p("pkcs7/chain.p7b"))
    der = read("pkcs7/chain.p7b")
    write("pkcs7/chain.p7c.pem", pem_armor("PKCS7", der))
    write("pkcs7/chain-cms.pem", pem_armor("CMS", der))
    how = "`openssl crl2pkcs7 -nocrl -certfile chain/leaf.pem -certfile chain/intermediate.pem -certfile chain/root.pem -outform DER`"
    row("pkcs7/chain.p7b", how, "DER degenerate PKCS#7 SignedData, certs in order leaf, intermediate, root (crl2pkcs7 keeps input order, so the SET OF is not DER-sorted; `openssl cms -cmsout` re-sorts it); no CRLs")
    row("pkcs7/chain.p7c.pem", "`make_pkcs7()` re-armours chain.p7b", "Same DER, PEM label `PKCS7`")
    row("pkcs7/chain-cms.pem", "`make_pkcs7()` re-armours chain.p7b",
        "Same DER, PEM label `CMS` (openssl pkcs7 does not accept this label; loaded via `openssl cms -cmsout`)")


# --------------------------------------------------------------------------
# 4. CRLs
# --------------------------------------------------------------------------

def make_crls(root_key, int_key, root, inter):
    revoked = []
    for serial, reason in [(0x3101, x509.ReasonFlags.key_compromise),
                           (0x3102, x509.ReasonFlags.cessation_of_operation),
                           (0x3103, None)]:
        b = (x509.RevokedCertificateBuilder().serial_number(serial)
             .revocation_date(dt.datetime(2025, 3, 1, 12, 0, serial & 0xF, tzinfo=dt.timezone.utc)))
        if reason is not None:
            b = b.add_extension(x509.CRLReason(reason), critical=False)
        revoked.append(b.build())
    builder = (x509.CertificateRevocationListBuilder()
               .issuer_name(inter.subject)
               .last_update(CRL_THIS).next_update(CRL_NEXT)
               .add_extension(x509.CRLNumber(42), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(int_key.public_key()), critical=False))
    for r in revoked:
        builder = builder.add_revoked_certificate(r)
    crl = builder.sign(int_key, SHA256, ecdsa_deterministic=True)
    write("crl/intermediate.crl.pem", crl.public_bytes(serialization.Encoding.PEM))
    write("crl/intermediate.crl.der", crl.public_bytes(serialization.Encoding.DER))
    row("crl/intermediate.crl.pem", "`make_crls()` (cryptography, deterministic ECDSA)",
        "v2 CRL signed by intermediate; thisUpdate 2025-06-01T00:00:00Z, nextUpdate 2035-01-01T00:00:00Z; CRLNumber 42; AKI; revoked 0x3101 (keyCompromise, 2025-03-01T12:00:01Z), 0x3102 (cessationOfOperation, 2025-03-01T12:00:02Z), 0x3103 (no reason, 2025-03-01T12:00:03Z)")
    row("crl/intermediate.crl.der", "`make_crls()`", "DER of crl/intermediate.crl.pem")

    # v1 CRL, hand-encoded: no version, no crlExtensions, no entry extensions
    issuer_der = root.subject.public_bytes()
    tbs = d_seq(SIGALG_RSA, issuer_der,
                d_utctime("250601000000Z"), d_utctime("341231235959Z"),
                d_seq(d_seq(d_int(0x1101), d_utctime("250301120000Z")),
                      d_seq(d_int(0x1102), d_utctime("250401120000Z"))))
    der = rsa_sign_tbs(tbs, root_key)
    write("crl/v1.crl.pem", pem_armor("X509 CRL", der))
    row("crl/v1.crl.pem", "`make_crls()` hand-written DER encoder, signed sha256WithRSA by root key",
        "v1 CRL: no version field, no extensions; issuer = root; thisUpdate 250601000000Z, nextUpdate 341231235959Z; revoked 0x1101 (2025-03-01T12:00:00Z), 0x1102 (2025-04-01T12:00:00Z)")


# --------------------------------------------------------------------------
# 5. CSRs
# --------------------------------------------------------------------------

def make_csrs():
    subj = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "csr.example.com")])

    def build(key):
        return (x509.CertificateSigningRequestBuilder().subject_name(subj)
                .add_extension(x509.SubjectAlternativeName([
                    x509.DNSName("csr.example.com"),
                    x509.IPAddress(ipaddress.ip_address("198.51.100.7"))]), critical=False)
                .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                             key_encipherment=True, data_encipherment=False,
                                             key_agreement=False, key_cert_sign=False, crl_sign=False,
                                             encipher_only=False, decipher_only=False), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                .sign(key, SHA256, **sign_kw(key)))

    rsa_csr = build(load_or_make_key("csr-rsa", "rsa"))
    ec_csr = build(load_or_make_key("csr-ec", "ec"))
    write("csr/rsa.csr.pem", rsa_csr.public_bytes(serialization.Encoding.PEM))
    write("csr/ec.csr.pem", ec_csr.public_bytes(serialization.Encoding.PEM))
    der = bytearray(rsa_csr.public_bytes(serialization.Encoding.DER))
    der[-1] ^= 0x01  # flip the last bit of the signature
    write("csr/bad-signature.csr.pem", pem_armor("CERTIFICATE REQUEST", bytes(der)))
    common = "C=US, O=Example, CN=csr.example.com; extensionRequest: SAN DNS csr.example.com + IP 198.51.100.7, keyUsage digitalSignature+keyEncipherment (critical), EKU serverAuth"
    row("csr/rsa.csr.pem", "`make_csrs()` (cryptography)", "RSA-2048 PKCS#10 CSR, " + common)
    row("csr/ec.csr.pem", "`make_csrs()` (cryptography, deterministic ECDSA)", "P-256 PKCS#10 CSR, " + common)
    row("csr/bad-signature.csr.pem", "`make_csrs()`",
        "csr/rsa.csr.pem with the last byte of the signature XOR 0x01; `openssl req -verify` reports `verify failure` (asserted; note OpenSSL 3.0 still exits 0) and cryptography's `is_signature_valid` is False")


# --------------------------------------------------------------------------
# 6/7. PEM formatting variants
# --------------------------------------------------------------------------

def make_pem_variants(root, inter, leaf):
    der = cert_der(root)
    write("pem/crlf.pem", pem_armor("CERTIFICATE", der, eol="\r\n"))
    write("pem/width76.pem", pem_armor("CERTIFICATE", der, width=76))
    b64 = base64.b64encode(der).decode()
    hdr = ("-----BEGIN CERTIFICATE-----\nComment: hello\nComment: RFC 1421 style header, no Proc-Type\n\n" +
           "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64)) + "\n-----END CERTIFICATE-----\n")
    write("pem/rfc1421-headers.pem", hdr)
    write("pem/x509-label.pem", pem_armor("X509 CERTIFICATE", der))
    run("openssl", "x509", "-in", "chain/root.pem", "-trustout", "-addtrust", "serverAuth",
        "-out", p("pem/trusted.pem"))
    write("pem/one-line.pem", pem_armor("CERTIFICATE", der, width=0))

    t_root = run("openssl", "x509", "-in", "chain/root.pem", "-noout", "-text").stdout.decode()
    t_int = run("openssl", "x509", "-in", "chain/intermediate.pem", "-noout", "-text").stdout.decode()
    text = ("This file contains two certificates with explanatory text around them.\n"
            "Lines outside BEGIN/END markers must be ignored.\n\n" + t_root +
            cert_pem(root).decode() +
            "\nSome text between the blocks (e.g. subject= /CN=...)\n\n" + t_int +
            cert_pem(inter).decode() + "\nTrailing text after the last block.\n")
    write("pem/with-text.pem", text)

    garbage = bytes.fromhex("3003020105")
    write("pem/malformed-middle.pem", cert_pem(root).decode() +
          pem_armor("CERTIFICATE", garbage) + cert_pem(leaf).decode())
    write("pem/bad-base64.pem", cert_pem(root).decode() +
          "-----BEGIN CERTIFICATE-----\nMIIB!!!!this is *not* base64@@@@~~~~\n-----END CERTIFICATE-----\n")

    src = "root certificate (chain/root.pem)"
    row("pem/crlf.pem", "`make_pem_variants()`", "Root cert, CRLF line endings")
    row("pem/width76.pem", "`make_pem_variants()`", "Root cert, base64 wrapped at 76 columns")
    row("pem/rfc1421-headers.pem", "`make_pem_variants()`",
        "Root cert with RFC 1421 style headers (`Comment: hello`, no Proc-Type) and a blank line before the base64; OpenSSL 3.0 refuses it (PEM_R_NOT_PROC_TYPE) - not asserted")
    row("pem/x509-label.pem", "`make_pem_variants()`", "Root cert with legacy label `X509 CERTIFICATE`")
    row("pem/trusted.pem", "`openssl x509 -in chain/root.pem -trustout -addtrust serverAuth`",
        "Label `TRUSTED CERTIFICATE`; DER = root certificate followed by X509_CERT_AUX (trust serverAuth 1.3.6.1.5.5.7.3.1)")
    row("pem/with-text.pem", "`make_pem_variants()` + `openssl x509 -noout -text`",
        "Root and intermediate PEM blocks with text before, between and after (openssl -text dumps; content depends on OpenSSL version)")
    row("pem/one-line.pem", "`make_pem_variants()`", "Root cert, entire base64 on one line")
    row("pem/malformed-middle.pem", "`make_pem_variants()`",
        "3 blocks: root; a CERTIFICATE block with valid base64 decoding to `30 03 02 01 05` (not a certificate); leaf")
    row("pem/bad-base64.pem", "`make_pem_variants()`",
        "2 blocks: root; a CERTIFICATE block with invalid base64 characters (`!`, `*`, `@`, `~`, spaces)")


# --------------------------------------------------------------------------
# 8. XSS
# --------------------------------------------------------------------------

def make_xss():
    key = load_or_make_key("xss", "ec")
    subj = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "<script>alert(2)</script>"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "<img src=x onerror=alert(1)>")])
    cert = (x509.CertificateBuilder().subject_name(subj).issuer_name(subj)
            .public_key(key.public_key()).serial_number(0x4001)
            .not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("xss.example.com")]), critical=False)
            .sign(key, SHA256, ecdsa_deterministic=True))
    write("xss/xss-subject.pem", cert_pem(cert))
    row("xss/xss-subject.pem", "`make_xss()` (cryptography)",
        "Self-signed P-256, serial 0x4001, subject O=`<script>alert(2)</script>`, CN=`<img src=x onerror=alert(1)>` (UTF8String)")


# --------------------------------------------------------------------------
# 9-15. odd certificates (hand-written DER, self-signed with keys/odd.key.pem)
# --------------------------------------------------------------------------

def make_odd():
    key = load_or_make_key("odd", "rsa")
    std_nb, std_na = d_utctime("250101000000Z"), d_utctime("350101000000Z")

    def simple_name(cn):
        return d_name(d_rdn(OID_C, d_printable("US")), d_rdn(OID_O, d_utf8("Certwright Odd")),
                      d_rdn(OID_CN, d_utf8(cn)))

    def emit(rel, cn_or_name, serial_der, how, special, nb=std_nb, na=std_na, exts=None,
             version_der=None, der_out=False, trailer=b"", base_exts=None):
        nm = simple_name(cn_or_name) if isinstance(cn_or_name, str) else cn_or_name
        tbs = raw_tbs(key, serial_der=serial_der, issuer=nm, subject=nm, not_before=nb,
                      not_after=na, extensions=(odd_basic_exts(key) if base_exts is None else base_exts) + (exts or []),
                      version_der=version_der)
        der = rsa_sign_tbs(tbs, key)
        write(rel, der + trailer if der_out else pem_armor("CERTIFICATE", der))
        row(rel, how, special)
        return der

    enc = "`make_odd()` hand-written DER, self-signed sha256WithRSA with keys/odd.key.pem"
    emit("odd/pre1970.pem", "pre1970.example", d_int(0x5001), enc,
         "notBefore UTCTime `650101000000Z` (1965-01-01, before the Unix epoch); notAfter GeneralizedTime `20491231235959Z` (GeneralizedTime before 2050 is not RFC 5280 DER-conformant)",
         nb=d_utctime("650101000000Z"), na=d_gentime("20491231235959Z"))
    uname = d_name(d_rdn(OID_C, d_printable("US")), d_rdn(OID_CN, d_universal("Universal Test")))
    emit("odd/universalstring.pem", uname, d_int(0x5002), enc,
         "Subject/issuer CN `Universal Test` encoded as UniversalString (tag 0x1C, UCS-4 BE)")
    long_serial = bytes([0x4C]) + bytes(range(1, 25))  # 25 octets, high bit clear
    assert len(long_serial) == 25
    emit("odd/long-serial.pem", "long-serial.example", tlv(0x02, long_serial), enc,
         "25-octet positive serial `4c 01 02 .. 18` (RFC 5280 limit is 20 octets)")
    bad_san = bytes.fromhex("300582094141")
    emit("odd/bad-san.pem", "bad-san.example", d_int(0x5004), enc,
         "SAN extension whose extnValue content `30 05 82 09 41 41` is truncated and does not parse as GeneralNames",
         exts=[d_ext(OID_SAN, bad_san)])
    # OpenSSL 3.0 refuses a non-minimal INTEGER in serialNumber/version
    # (ASN1_R_ILLEGAL_PADDING), so the openssl-loadable variant puts the
    # non-minimal INTEGER in basicConstraints.pathLenConstraint (parsed lazily)
    # and gives the serial a non-minimal *length* instead.
    emit("odd/non-minimal-int.pem", "non-minimal-int.example", bytes.fromhex("02810101"), enc,
         "Serial encoded `02 81 01 01` (value 1, non-minimal long-form length); critical basicConstraints "
         "`30 06 01 01 ff 02 02 00 01` = CA:TRUE with pathLenConstraint as non-minimal INTEGER `02 02 00 01`. "
         "openssl loads it (prints the basicConstraints as a hex dump)",
         base_exts=[d_ext(OID_BC, d_seq(d_bool(True), bytes.fromhex("02020001")), critical=True),
                    d_ext(OID_SKI, d_octets(ski_of(key)))])
    emit("odd/non-minimal-serial.pem", "non-minimal-serial.example", bytes.fromhex("02020001"), enc,
         "Serial INTEGER encoded non-minimally as `02 02 00 01` (value 1), exactly as in the spec. "
         "OpenSSL 3.0 REFUSES to load it (illegal padding); the script asserts that refusal")
    emit("odd/trailing-bytes.der", "trailing-bytes.example", d_int(0x5006), enc,
         "Valid DER certificate followed by 4 extra bytes `00 00 00 00`", der_out=True, trailer=b"\0\0\0\0")
    emit("odd/negative-serial.pem", "negative-serial.example", bytes.fromhex("0201ff"), enc,
         "Serial INTEGER `02 01 ff` = -1 (negative)")


# --------------------------------------------------------------------------
# verification + README
# --------------------------------------------------------------------------

def pem_blocks(text):
    """Return list of (label, der or None) for each PEM block (lenient)."""
    out = []
    lines = text.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.startswith("-----BEGIN ") and ln.endswith("-----"):
            label = ln[11:-5]
            body = []
            i += 1
            while i < len(lines) and not lines[i].startswith("-----END "):
                if ":" not in lines[i]:
                    body.append(lines[i].strip())
                i += 1
            try:
                der = base64.b64decode("".join(body), validate=True)
            except Exception:
                der = None
            out.append((label, der))
        i += 1
    return out


def first_cert_der(der):
    """Strip trailing data (aux info, trailing bytes) after the first TLV."""
    assert der[0] == 0x30
    l = der[1]
    if l < 0x80:
        return der[:2 + l]
    n = l & 0x7F
    return der[:2 + n + int.from_bytes(der[2:2 + n], "big")]


def ossl_fp(args):
    out = run("openssl", "x509", "-noout", "-fingerprint", "-sha256", *args).stdout.decode()
    return out.strip().split("=", 1)[1].replace(":", "").lower()


CERT_FILES_OPENSSL = [  # (file, extra openssl args) -- each must load with openssl x509
    ("chain/root.pem", []), ("chain/intermediate.pem", []), ("chain/leaf.pem", []),
    ("chain/leaf.der", ["-inform", "DER"]), ("chain/bundle-shuffled.pem", []),
    ("chain/unknown-ext.pem", []),
    ("pem/crlf.pem", []), ("pem/width76.pem", []), ("pem/x509-label.pem", []),
    ("pem/trusted.pem", []), ("pem/with-text.pem", []), ("pem/one-line.pem", []),
    ("pem/malformed-middle.pem", []), ("pem/bad-base64.pem", []),
    ("xss/xss-subject.pem", []),
    ("odd/pre1970.pem", []), ("odd/universalstring.pem", []), ("odd/long-serial.pem", []),
    ("odd/bad-san.pem", []), ("odd/non-minimal-int.pem", []),
    ("odd/trailing-bytes.der", ["-inform", "DER"]), ("odd/negative-serial.pem", []),
]


def verify_and_fingerprint():
    failures = []
    fps = {}
    for rel, extra in CERT_FILES_OPENSSL:
        r = run("openssl", "x509", "-in", rel, "-noout", "-text", *extra, check=False)
        if r.returncode != 0:
            failures.append((rel, r.stderr.decode(errors="replace").strip()))
            continue
        # Per-certificate fingerprints computed in Python over each block's DER
        if rel.endswith(".der"):
            ders = [first_cert_der(read(rel))]
        else:
            ders = [first_cert_der(d) for lab, d in pem_blocks(read(rel).decode())
                    if d is not None and lab in ("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE")
                    and len(d) > 100]
        py = [hashlib.sha256(d).hexdigest() for d in ders]
        o = ossl_fp(["-in", rel, *extra])
        if o != py[0]:
            failures.append((rel, "openssl fingerprint %s != python %s" % (o, py[0])))
        fps[rel] = py
    # files openssl may not load: still fingerprint in python
    for rel in ["pem/rfc1421-headers.pem", "odd/non-minimal-serial.pem"]:
        fps[rel] = [hashlib.sha256(d).hexdigest() for _, d in pem_blocks(read(rel).decode()) if d]

    # PKCS#7
    for rel, args in [("pkcs7/chain.p7b", ["-inform", "DER"]), ("pkcs7/chain.p7c.pem", [])]:
        r = run("openssl", "pkcs7", "-in", rel, "-print_certs", "-noout", *args, check=False)
        if r.returncode != 0:
            failures.append((rel, r.stderr.decode(errors="replace")))
    # `openssl pkcs7` does not accept the CMS label; `openssl cms` does.  Its
    # re-encoding DER-sorts the certificate SET OF, so compare the cert list.
    r = run("openssl", "cms", "-cmsout", "-in", "pkcs7/chain-cms.pem", "-inform", "PEM",
            "-outform", "DER", check=False)
    ok = r.returncode == 0
    if ok:
        a = run("openssl", "pkcs7", "-inform", "DER", "-print_certs", "-noout", input=r.stdout).stdout
        b = run("openssl", "pkcs7", "-inform", "DER", "-print_certs", "-noout", "-in", "pkcs7/chain.p7b").stdout
        ok = a.count(b"subject=") == 3 and sorted(a.splitlines()) == sorted(b.splitlines())
    if not ok:
        failures.append(("pkcs7/chain-cms.pem", "openssl cms -cmsout failed: "
                         + r.stderr.decode(errors="replace")))
    chain_fps = [fps["chain/leaf.pem"][0], fps["chain/intermediate.pem"][0], fps["chain/root.pem"][0]]
    for rel in ["pkcs7/chain.p7b", "pkcs7/chain.p7c.pem", "pkcs7/chain-cms.pem"]:
        fps[rel] = chain_fps

    # CRLs
    for rel, args in [("crl/intermediate.crl.pem", ["-CAfile", "chain/intermediate.pem"]),
                      ("crl/intermediate.crl.der", ["-inform", "DER", "-CAfile", "chain/intermediate.pem"]),
                      ("crl/v1.crl.pem", ["-CAfile", "chain/root.pem"])]:
        r = run("openssl", "crl", "-in", rel, "-noout", "-text", *args, check=False)
        if r.returncode != 0 or b"verify OK" not in r.stderr + r.stdout:
            failures.append((rel, (r.stdout + r.stderr).decode(errors="replace")))
    txt = run("openssl", "crl", "-in", "crl/v1.crl.pem", "-noout", "-text").stdout.decode()
    if "Version 1 (0x0)" not in txt:
        failures.append(("crl/v1.crl.pem", "not reported as version 1"))

    # CSRs
    for rel in ["csr/rsa.csr.pem", "csr/ec.csr.pem"]:
        r = run("openssl", "req", "-in", rel, "-verify", "-noout", check=False)
        if r.returncode != 0 or b"verify OK" not in r.stdout + r.stderr:
            failures.append((rel, (r.stdout + r.stderr).decode(errors="replace")))
    # OpenSSL 3.0's `req -verify` prints "verify failure" but still exits 0,
    # so assert on the message (and on cryptography's own check).
    r = run("openssl", "req", "-in", "csr/bad-signature.csr.pem", "-verify", "-noout", check=False)
    msg = r.stdout + r.stderr
    if b"verify OK" in msg or (b"verify failure" not in msg and r.returncode == 0):
        failures.append(("csr/bad-signature.csr.pem", "openssl req -verify unexpectedly succeeded"))
    if x509.load_pem_x509_csr(read("csr/bad-signature.csr.pem")).is_signature_valid:
        failures.append(("csr/bad-signature.csr.pem", "cryptography says signature is valid"))

    # openssl must refuse the spec-exact non-minimal serial
    r = run("openssl", "x509", "-in", "odd/non-minimal-serial.pem", "-noout", check=False)
    if r.returncode == 0:
        failures.append(("odd/non-minimal-serial.pem", "openssl unexpectedly loaded it; move it to CERT_FILES_OPENSSL"))

    # negative checks that document behaviour (not failures either way)
    notes = {}
    r = run("openssl", "x509", "-in", "pem/rfc1421-headers.pem", "-noout", check=False)
    notes["pem/rfc1421-headers.pem"] = "openssl x509 loads it" if r.returncode == 0 else "openssl x509 refuses it"
    return failures, fps, notes


README_HEAD = """# certwright test vectors

Everything in this directory (except this README's prose) is produced by
[`make_vectors.py`](make_vectors.py):

    python3 tests/data/make_vectors.py

The script is idempotent: it reuses the private keys in `keys/` (creating them
only if missing), uses fixed serial numbers and fixed dates (certificates are
valid 2025-01-01T00:00:00Z .. 2035-01-01T00:00:00Z unless stated otherwise),
PKCS#1 v1.5 RSA signatures and RFC 6979 deterministic ECDSA, so re-running it
reproduces byte-identical files (only `pem/with-text.pem` embeds `openssl x509
-text` output, whose wording depends on the OpenSSL version). At the end it
checks every file with the `openssl` CLI (`x509 -noout -text`, `pkcs7
-print_certs`, `cms -cmsout`, `crl -CAfile` (signature verified), `req -verify`)
and asserts that `csr/bad-signature.csr.pem` does *not* verify; it then rewrites
this README (table and fingerprints).

Generated with: {versions}

## Keys

`keys/*.key.pem` are **test-only** private keys (PKCS#8, unencrypted), committed
solely so the vectors can be regenerated consistently. They protect nothing and
must never be trusted for anything.

| key | type | used for |
|---|---|---|
| `keys/root.key.pem` | RSA-2048 | root CA; signs intermediate and `crl/v1.crl.pem` |
| `keys/intermediate.key.pem` | P-256 | intermediate CA; signs leaf, unknown-ext and `crl/intermediate.crl.*` |
| `keys/leaf.key.pem` | P-256 | `chain/leaf.*` subject key |
| `keys/unknown-ext.key.pem` | P-256 | `chain/unknown-ext.pem` subject key |
| `keys/csr-rsa.key.pem` | RSA-2048 | `csr/rsa.csr.pem` |
| `keys/csr-ec.key.pem` | P-256 | `csr/ec.csr.pem` |
| `keys/xss.key.pem` | P-256 | `xss/xss-subject.pem` (self-signed) |
| `keys/odd.key.pem` | RSA-2048 | all `odd/*` certificates (self-signed, issuer = subject) |

## System-level sources (not committed)

Besides these files the native tests also read, at run time, the system trust
store `/etc/ssl/certs/ca-certificates.crt` (Debian package `ca-certificates`)
and the Mozilla bundle shipped by the PyPI package `certifi`
(`python3 -c "import certifi; print(certifi.where())"`). Those are not copied
into the repository; tests must skip gracefully when they are absent.

## Files

"""

README_TAIL = """
## SHA-256 fingerprints

Lowercase hex SHA-256 of each certificate's DER (same value as
`openssl x509 -noout -fingerprint -sha256`, lowercased, colons removed; for
files openssl can read the first value was cross-checked against openssl). For
multi-certificate files the fingerprints are listed in file order; blocks that
do not decode to a certificate are listed as `-`.

| file | certificate(s) | SHA-256 |
|---|---|---|
"""


def write_readme(fps, notes):
    v_ossl = run("openssl", "version").stdout.decode().strip()
    import cryptography
    versions = "Python %s, cryptography %s, %s" % (sys.version.split()[0], cryptography.__version__, v_ossl)
    out = [README_HEAD.format(versions=versions)]
    out.append("| file | how it was made | what is special |\n|---|---|---|\n")
    for path, how, special in ROWS:
        if path in notes:
            special += " (" + notes[path] + ")"
        out.append("| `%s` | %s | %s |\n" % (path, how, special.replace("|", "\\|")))
    out.append(README_TAIL)
    labels = {
        "chain/bundle-shuffled.pem": ["leaf", "root", "intermediate", "leaf (dup)"],
        "pem/with-text.pem": ["root", "intermediate"],
        "pem/malformed-middle.pem": ["root", "(garbage block: -)", "leaf"],
        "pem/bad-base64.pem": ["root", "(invalid base64: -)"],
        "pkcs7/chain.p7b": ["leaf", "intermediate", "root"],
        "pkcs7/chain.p7c.pem": ["leaf", "intermediate", "root"],
        "pkcs7/chain-cms.pem": ["leaf", "intermediate", "root"],
    }
    for path, _, _ in ROWS:
        if path not in fps:
            continue
        names = labels.get(path, [""])
        vals = list(fps[path])
        if path == "pem/malformed-middle.pem":
            vals = [vals[0], "-", vals[1]]
        if path == "pem/bad-base64.pem":
            vals = [vals[0], "-"]
        for i, v in enumerate(vals):
            out.append("| `%s` | %s | `%s` |\n" % (path, names[i] if i < len(names) else "#%d" % (i + 1), v))
    out.append("\nThe private extension in `chain/unknown-ext.pem` is encoded as\n"
               "`SEQUENCE { OID 1.3.6.1.4.1.55555.1, OCTET STRING { 04 03 01 02 03 } }`, i.e. the\n"
               "extnValue octets are `04 03 01 02 03`.\n")
    out.append("\n`build/` is not made by this script: `tests/build_golden.rs` compares what certwright\nbuilds (CSRs, certificates, CRLs from `keys/` and `build/p384.key.pem`, a test-only key)\nwith its `*.der` files, recorded with certwright's earlier hand-written DER writer.\n")
    write("README.md", "".join(out))


def main():
    ROWS.clear()
    root_key, int_key, root, inter, leaf = make_chain()
    make_pkcs7()
    make_crls(root_key, int_key, root, inter)
    make_csrs()
    make_pem_variants(root, inter, leaf)
    make_xss()
    make_odd()
    failures, fps, notes = verify_and_fingerprint()
    write_readme(fps, notes)
    for k, v in notes.items():
        print("note: %s: %s" % (k, v))
    if failures:
        for rel, msg in failures:
            print("FAIL %s: %s" % (rel, msg), file=sys.stderr)
        raise SystemExit(1)
    print("all vectors written and checked with openssl")


if __name__ == "__main__":
    main()
