//! Static files of the built app, with the single-page-app fallback to `index.html`.
//!
//! A file with a precompressed twin `<file>.gz` beside it (the app's build writes them for wasm,
//! JS and CSS: `scripts/csp-hashes.py`) is sent as that twin with `Content-Encoding: gzip` to
//! clients that accept gzip, so the first page's wasm crosses the network at its gzipped size.
//! The relay never compresses anything itself.

use std::path::Path;

use hyper::{Method, Response};

use crate::relay::{plain, respond, set_header, Body};

/// Serves the request target `target` from the (canonical) directory `dist`; `accept_encoding`
/// is the request's `Accept-Encoding` header, if any.
pub(crate) fn serve(dist: &Path, method: &Method, target: &str, accept_encoding: Option<&str>) -> Response<Body> {
    if !matches!(*method, Method::GET | Method::HEAD) {
        let mut response = plain(405, "Only GET and HEAD are served here.\n");
        set_header(&mut response, "allow", "GET, HEAD");
        return response;
    }
    let raw = target.split(['?', '#']).next().unwrap_or("");
    let Some(relative) = safe_relative_path(raw) else {
        return not_found();
    };
    let candidate = if relative.is_empty() { dist.join("index.html") } else { dist.join(&relative) };
    let candidate = if candidate.is_dir() { candidate.join("index.html") } else { candidate };
    if accept_encoding.is_some_and(accepts_gzip) {
        if let Some(response) = gzip_response(dist, &candidate) {
            return response;
        }
    }
    if let Some(response) = file_response(dist, &candidate) {
        return response;
    }
    // A client-side route such as /sets/12: the app decides what it shows.
    let last = relative.rsplit('/').next().unwrap_or("");
    if !last.contains('.') {
        if let Some(response) = file_response(dist, &dist.join("index.html")) {
            return response;
        }
    }
    not_found()
}

fn not_found() -> Response<Body> {
    plain(404, "Not found.\n")
}

/// The path below the dist directory that `raw` (a request path, still percent-encoded) names,
/// or `None` if it tries to leave it or is not plainly encoded: `..` segments, encoded dots,
/// slashes or backslashes, backslashes, NUL, invalid escapes or invalid UTF-8.
fn safe_relative_path(raw: &str) -> Option<String> {
    if !raw.starts_with('/') || raw.contains('\\') {
        return None;
    }
    let lower = raw.to_ascii_lowercase();
    if ["%2e", "%2f", "%5c", "%00"].iter().any(|bad| lower.contains(bad)) {
        return None;
    }
    let decoded = percent_decode(raw)?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s => segments.push(s),
        }
    }
    Some(segments.join("/"))
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Whether an `Accept-Encoding` value accepts gzip (`gzip` or `x-gzip`, or `*`, without `q=0`).
fn accepts_gzip(header: &str) -> bool {
    header.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let coding = parts.next().unwrap_or("").to_ascii_lowercase();
        let refused = parts.any(|p| {
            p.split_once('=').is_some_and(|(k, v)| k.trim().eq_ignore_ascii_case("q") && v.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
        });
        matches!(coding.as_str(), "gzip" | "x-gzip" | "*") && !refused
    })
}

/// `path`'s precompressed twin `path.gz` as a gzip-encoded response of `path`'s type, if both
/// are regular files inside `dist`.
fn gzip_response(dist: &Path, path: &Path) -> Option<Response<Body>> {
    let original = inside(dist, path)?;
    let twin = inside(dist, &gzip_twin(&original))?;
    let mut response = respond(200, content_type(&original), std::fs::read(twin).ok()?);
    set_header(&mut response, "content-encoding", "gzip");
    set_header(&mut response, "vary", "accept-encoding");
    Some(finish(response))
}

/// The file as a response, if it is a regular file that really lies inside `dist` (symlinks
/// resolved).
/// (The app's files are a few MiB at most, so they are read whole.)
fn file_response(dist: &Path, path: &Path) -> Option<Response<Body>> {
    let canonical = inside(dist, path)?;
    let bytes = std::fs::read(&canonical).ok()?;
    let mut response = respond(200, content_type(&canonical), bytes);
    if gzip_twin(&canonical).is_file() {
        set_header(&mut response, "vary", "accept-encoding");
    }
    Some(finish(response))
}

/// `path.gz`.
fn gzip_twin(path: &Path) -> std::path::PathBuf {
    let mut twin = path.as_os_str().to_owned();
    twin.push(".gz");
    twin.into()
}

/// `path`, canonical, if it is a regular file inside `dist`.
fn inside(dist: &Path, path: &Path) -> Option<std::path::PathBuf> {
    let canonical = path.canonicalize().ok()?;
    (canonical.starts_with(dist) && canonical.is_file()).then_some(canonical)
}

fn finish(mut response: Response<Body>) -> Response<Body> {
    set_header(&mut response, "cache-control", "no-cache");
    set_header(&mut response, "x-content-type-options", "nosniff");
    response
}

fn content_type(path: &Path) -> &'static str {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "pem" | "crt" | "cer" => "application/x-pem-file",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(safe_relative_path("/").as_deref(), Some(""));
        assert_eq!(safe_relative_path("/app-1a2b_bg.wasm").as_deref(), Some("app-1a2b_bg.wasm"));
        assert_eq!(safe_relative_path("/sets/12").as_deref(), Some("sets/12"));
        assert_eq!(safe_relative_path("/a%20b.txt").as_deref(), Some("a b.txt"));
        assert_eq!(safe_relative_path("//./x").as_deref(), Some("x"));
        for bad in [
            "/../Cargo.toml",
            "/a/../../b",
            "/%2e%2e/x",
            "/%2E%2e/x",
            "/.%2e/x",
            "/a%2fb",
            "/a\\b",
            "/a%5cb",
            "/a%00",
            "/%zz",
            "/%e9",
            "relative",
            "",
        ] {
            assert_eq!(safe_relative_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn accept_encoding() {
        for yes in ["gzip", "gzip, deflate, br", "br;q=1.0, GZIP;q=0.5", "x-gzip", "*", "deflate, *;q=0.1"] {
            assert!(accepts_gzip(yes), "{yes:?}");
        }
        for no in ["", "identity", "br", "gzip;q=0", "gzip; q=0.0, br", "gzipx", "*;q=0"] {
            assert!(!accepts_gzip(no), "{no:?}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type(Path::new("x_bg.wasm")), "application/wasm");
        assert_eq!(content_type(Path::new("index.html")), "text/html; charset=utf-8");
        assert_eq!(content_type(Path::new("a.mjs")), "text/javascript; charset=utf-8");
        assert_eq!(content_type(Path::new("a.ICO")), "image/x-icon");
        assert_eq!(content_type(Path::new("noext")), "application/octet-stream");
    }
}
