// Loaded by the app (src/ui/lazy.rs) right after certwright-pages.js: wasm-bindgen's no-modules
// glue declares its init function as a global `let`, which classic scripts share but wasm cannot
// reach; this makes it a property of window.
window.certwrightPagesInit = wasm_bindgen;
