#!/usr/bin/env python3
"""Trunk post-build hook: put the SHA-256 hashes of the inline scripts Trunk wrote into the
Content-Security-Policy of index.html (placeholder CSP_SCRIPT_HASHES), so the policy allows
exactly Trunk's loader and nothing else inline; then write gzip twins of the wasm, JS and CSS."""
import base64, hashlib, os, re, sys

staging = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")
path = os.path.join(staging, "index.html")
html = open(path, encoding="utf-8").read()
scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
hashes = " ".join(
    "'sha256-%s'" % base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() for s in scripts
)
if "CSP_SCRIPT_HASHES" not in html:
    sys.exit("csp-hashes: placeholder CSP_SCRIPT_HASHES not found in " + path)
html = html.replace("CSP_SCRIPT_HASHES", hashes)
open(path, "w", encoding="utf-8").write(html)
print(f"csp-hashes: {len(scripts)} inline script(s) hashed into the CSP")

# Precompressed twins for the relay (relay/src/statics.rs serves `<file>.gz` to clients that take
# gzip): the wasm, JS and CSS, at gzip's best level, with a fixed mtime so builds are repeatable.
import gzip

for name in sorted(os.listdir(staging)):
    if name.endswith((".wasm", ".js", ".css")):
        src = os.path.join(staging, name)
        with open(src, "rb") as f:
            data = f.read()
        with open(src + ".gz", "wb") as out:
            out.write(gzip.compress(data, compresslevel=9, mtime=0))
print("csp-hashes: gzip twins written for the wasm, JS and CSS")
