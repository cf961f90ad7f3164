//! Small wrappers over browser APIs used by the UI: files, clipboard, downloads, time.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Current time as Unix seconds.
pub fn now_unix() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Milliseconds from the page's time origin (for slicing work).
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or_else(js_sys::Date::now, |p| p.now())
}

/// Reads a file's bytes.
pub async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buf = JsFuture::from(file.array_buffer()).await.map_err(|_| format!("could not read {}", file.name()))?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

/// The files of a `FileList`, in order.
pub fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Copies text to the clipboard; returns whether it worked.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    JsFuture::from(window.navigator().clipboard().write_text(text)).await.is_ok()
}

/// Offers `text` as a file download named `filename`.
pub fn download(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    download_bytes(filename, mime, text.as_bytes())
}

/// Offers `bytes` as a file download named `filename`.
pub fn download_bytes(filename: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(|_| "could not create the file")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "could not create a download link")?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a").map_err(|_| "no anchor")?.dyn_into().map_err(|_| "no anchor")?;
    a.set_href(&url);
    a.set_download(filename);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
