#!/usr/bin/env python3
"""Writes the CA certificates the CA-set tests upload (tests/emulator, tests/e2e/tests/casets.spec.js).

    python3 tests/data/vendors/akamai/make_cas.py

- expired-ca.pem: a self-signed RSA-2048 / SHA-256 CA valid 2015-2020 (expired).
- sha1-ca.pem:    a self-signed RSA-2048 CA signed with SHA-1, valid ten years from when it was made.
- ca-a.pem, ca-b.pem: good self-signed CAs (P-256 / SHA-256, RSA-2048 / SHA-256), valid 2025-2035.
Keys are made fresh and thrown away; the certificates are committed. TEST ONLY.
"""
import datetime as dt
import os
import subprocess

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

HERE = os.path.dirname(os.path.abspath(__file__))


def ca(name, key, digest, start, end):
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "certwright tests")])
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(ski, critical=False)
        .sign(key, digest)
    )
    return cert.public_bytes(serialization.Encoding.PEM)


def utc(y):
    return dt.datetime(y, 1, 1, tzinfo=dt.timezone.utc)


def write(name, pem):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(pem)


rsa_key = lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
write("expired-ca.pem", ca("certwright Expired CA", rsa_key(), hashes.SHA256(), utc(2015), utc(2020)))
# cryptography refuses to sign with SHA-1, so openssl makes this one (valid ten years from now).
subprocess.run(
    ["openssl", "req", "-x509", "-sha1", "-newkey", "rsa:2048", "-nodes", "-keyout", os.devnull, "-out", os.path.join(HERE, "sha1-ca.pem"),
     "-days", "3650", "-subj", "/CN=certwright SHA-1 CA/O=certwright tests",
     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
    check=True, capture_output=True,
)
write("ca-a.pem", ca("certwright CA A", ec.generate_private_key(ec.SECP256R1()), hashes.SHA256(), utc(2025), utc(2035)))
write("ca-b.pem", ca("certwright CA B", rsa_key(), hashes.SHA256(), utc(2025), utc(2035)))
