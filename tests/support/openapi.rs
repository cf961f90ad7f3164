//! A small JSON-Schema checker for the vendors' OpenAPI documents in `tests/data/vendors/`
//! (OpenAI's `openai/certificates.openapi.json`, PingFederate's
//! `pingfederate/signing-keypairs.openapi.json`): enough of the vocabulary they use (`$ref`
//! within the document, `type` (also as a list), `required`, `properties`, `enum`, `anyOf` /
//! `oneOf` (nullable fields are `anyOf [T, null]`), `items`, `minItems` / `maxItems`, `minimum`).
//! Unknown keywords are ignored. In strict mode a property the schema does not declare is an
//! error too, so a response cannot carry undocumented fields.
#![allow(dead_code)]

use serde_json::Value;

/// The OpenAI document.
pub fn document() -> Value {
    load("openai/certificates.openapi.json")
}

/// A document under `tests/data/vendors/`, e.g. `pingfederate/signing-keypairs.openapi.json`.
pub fn load(rel: &str) -> Value {
    // From the main package (`tests/data`) or from the emulator's (`tests/emulator` → `../data`).
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let p = ["tests/data", "../data"]
        .iter()
        .map(|d| root.join(d).join("vendors").join(rel))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("the OpenAPI document {rel}"));
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

/// Resolves `#/a/b/c` within `doc`.
pub fn resolve<'a>(doc: &'a Value, reference: &str) -> &'a Value {
    let pointer = reference.strip_prefix('#').unwrap_or_else(|| panic!("only local $ref: {reference}"));
    doc.pointer(pointer).unwrap_or_else(|| panic!("unresolved $ref {reference}"))
}

/// `v` with its `$ref`s followed.
pub fn deref<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
    while let Some(r) = v.get("$ref").and_then(Value::as_str) {
        v = resolve(doc, r);
    }
    v
}

/// The operation for `method` on a concrete `path` (`/organization/certificates/cert_1`), and
/// its path template.
pub fn operation<'a>(doc: &'a Value, method: &str, path: &str) -> Option<(&'a str, &'a Value)> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let paths = doc["paths"].as_object()?;
    // Literal segments beat parameters (`/certificates/activate` vs `/certificates/{id}`).
    let mut best: Option<(usize, &str, &Value)> = None;
    for (template, item) in paths {
        let t: Vec<&str> = template.trim_matches('/').split('/').collect();
        if t.len() != segs.len() {
            continue;
        }
        let mut literal = 0;
        let fits = t.iter().zip(&segs).all(|(a, b)| {
            if a.starts_with('{') {
                true
            } else {
                literal += 1;
                a == b
            }
        });
        if let (true, Some(op)) = (fits, item.get(method.to_ascii_lowercase())) {
            if best.is_none_or(|(l, _, _)| literal > l) {
                best = Some((literal, template, op));
            }
        }
    }
    best.map(|(_, t, op)| (t, op))
}

/// The JSON schema of the response `status` of `method path`: the operation's own (its `$ref`
/// responses resolved), else, for an error status, `ErrorResponse`.
pub fn response_schema<'a>(doc: &'a Value, method: &str, path: &str, status: u16) -> &'a Value {
    let (template, op) = operation(doc, method, path).unwrap_or_else(|| panic!("{method} {path} is not in the document"));
    match op["responses"].get(status.to_string()) {
        Some(r) => deref(doc, r)["content"]["application/json"]["schema"]
            .as_object()
            .map(|_| &deref(doc, r)["content"]["application/json"]["schema"])
            .unwrap_or_else(|| panic!("{method} {template} {status}: no JSON schema")),
        None if status >= 400 => resolve(doc, "#/components/schemas/ErrorResponse"),
        None => panic!("{method} {template} documents no {status} response"),
    }
}

/// The request body schema of `method path`.
pub fn request_schema<'a>(doc: &'a Value, method: &str, path: &str) -> &'a Value {
    let (_, op) = operation(doc, method, path).unwrap();
    &deref(doc, &op["requestBody"])["content"]["application/json"]["schema"]
}

/// Every way `value` breaks `schema`, as `path: problem`.
pub fn check(doc: &Value, schema: &Value, value: &Value, strict: bool) -> Vec<String> {
    let mut errors = Vec::new();
    walk(doc, schema, value, "$", strict, &mut errors);
    errors
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "null" => v.is_null(),
        _ => true,
    }
}

fn walk(doc: &Value, schema: &Value, v: &Value, at: &str, strict: bool, errors: &mut Vec<String>) {
    let s = deref(doc, schema);
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(t) => vec![t.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if !types.is_empty() && !types.iter().any(|t| type_ok(t, v)) {
            errors.push(format!("{at}: expected {}, got {v}", types.join(" or ")));
            return;
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            errors.push(format!("{at}: {v} is not one of {}", Value::Array(e.clone())));
        }
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(alts) = s.get(key).and_then(Value::as_array) {
            let fitting = alts.iter().filter(|a| check(doc, a, v, strict).is_empty()).count();
            if fitting == 0 || (key == "oneOf" && fitting > 1) {
                errors.push(format!("{at}: {v} fits {fitting} of the {key} alternatives"));
            }
        }
    }
    if let Some(obj) = v.as_object() {
        let props = s.get("properties").and_then(Value::as_object);
        for r in s.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            if !obj.contains_key(r) {
                errors.push(format!("{at}: required property `{r}` is missing"));
            }
        }
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => walk(doc, ps, val, &format!("{at}.{k}"), strict, errors),
                None if strict && props.is_some() => errors.push(format!("{at}: property `{k}` is not in the schema")),
                None => {}
            }
        }
    }
    if let Some(items) = v.as_array() {
        if let Some(min) = s.get("minItems").and_then(Value::as_u64) {
            if (items.len() as u64) < min {
                errors.push(format!("{at}: {} items, at least {min} required", items.len()));
            }
        }
        if let Some(max) = s.get("maxItems").and_then(Value::as_u64) {
            if items.len() as u64 > max {
                errors.push(format!("{at}: {} items, at most {max} allowed", items.len()));
            }
        }
        if let Some(is) = s.get("items") {
            for (i, item) in items.iter().enumerate() {
                walk(doc, is, item, &format!("{at}[{i}]"), strict, errors);
            }
        }
    }
    if let (Some(min), Some(n)) = (s.get("minimum").and_then(Value::as_f64), v.as_f64()) {
        if n < min {
            errors.push(format!("{at}: {n} is below the minimum {min}"));
        }
    }
}
