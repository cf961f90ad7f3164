//! The Akamai service model (what the emulator serves and the offline workspace runs), driven
//! directly: limits, naming, activation rules, re-validation at activation, clone semantics.

use std::path::Path;

use certwright::vendors::akamai::service::{Limits, Service};
use serde_json::{json, Value};

const BASE: &str = "/mtls-edge-truststore/v2";
/// 2026-01-01T00:00:00Z: inside the validity of the committed CAs (2025–2035).
const NOW: i64 = 1_767_225_600_000;

fn pem(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel)).unwrap()
}

fn call(s: &mut Service, method: &str, path: &str, body: Value, now: i64) -> (u16, Value) {
    let bytes = if body.is_null() { Vec::new() } else { serde_json::to_vec(&body).unwrap() };
    let resp = s.handle(method, &format!("{BASE}{path}"), &bytes, now);
    (resp.status, serde_json::from_slice(&resp.body).unwrap_or(Value::Null))
}

fn kind(v: &Value) -> &str {
    v["type"].as_str().unwrap_or("").trim_start_matches("/mtls-edge-truststore/error-types/")
}

fn version(files: &[&str]) -> Value {
    json!({ "certificates": files.iter().map(|f| json!({ "certificatePem": pem(f) })).collect::<Vec<_>>() })
}

fn new_set(s: &mut Service, name: &str) -> String {
    let (status, set) = call(s, "POST", "/ca-sets", json!({ "caSetName": name }), NOW);
    assert_eq!(status, 201, "{set}");
    set["caSetId"].as_str().unwrap().to_owned()
}

#[test]
fn documented_limits_are_enforced() {
    let mut s = Service::default();
    s.limits = Limits { ca_sets: 2, versions: 2, certificates: 2 };
    let id = new_set(&mut s, "one");
    new_set(&mut s, "two");
    let (status, p) = call(&mut s, "POST", "/ca-sets", json!({ "caSetName": "three" }), NOW);
    assert_eq!((status, kind(&p)), (400, "ca-set-limit-reached"));

    let (status, p) = call(
        &mut s,
        "POST",
        &format!("/ca-sets/{id}/versions"),
        version(&["chain/root.pem", "vendors/akamai/ca-a.pem", "vendors/akamai/ca-b.pem"]),
        NOW,
    );
    assert_eq!((status, kind(&p)), (400, "certificate-limit-reached"));
    assert_eq!(call(&mut s, "POST", &format!("/ca-sets/{id}/versions"), version(&["chain/root.pem"]), NOW).0, 201);
    assert_eq!(call(&mut s, "POST", &format!("/ca-sets/{id}/versions"), version(&["vendors/akamai/ca-a.pem"]), NOW).0, 201);
    let (status, p) = call(&mut s, "POST", &format!("/ca-sets/{id}/versions"), version(&["vendors/akamai/ca-b.pem"]), NOW);
    assert_eq!((status, kind(&p)), (400, "ca-set-version-limit-reached"));
    let (status, p) = call(&mut s, "POST", &format!("/ca-sets/{id}/versions/1/clone"), Value::Null, NOW);
    assert_eq!((status, kind(&p)), (400, "ca-set-version-limit-reached"));
}

#[test]
fn names_bodies_and_unknown_paths_are_checked() {
    let mut s = Service::default();
    for bad in ["ab", "has space", "a...b", &"x".repeat(65)] {
        let (status, p) = call(&mut s, "POST", "/ca-sets", json!({ "caSetName": bad }), NOW);
        assert_eq!((status, kind(&p)), (400, "ca-set-name-validation-failure"), "{bad}");
    }
    let (status, p) = call(&mut s, "POST", "/ca-sets", json!({ "caSetName": "ok-name", "description": "" }), NOW);
    assert_eq!((status, kind(&p)), (400, "invalid-field"));
    let resp = s.handle("POST", &format!("{BASE}/ca-sets"), b"{not json", NOW);
    assert_eq!(resp.status, 400);
    assert!(String::from_utf8_lossy(&resp.body).contains("invalid-json"));
    let id = new_set(&mut s, "ok-name");
    let (status, p) = call(&mut s, "POST", &format!("/ca-sets/{id}/versions"), json!({ "certificates": [] }), NOW);
    assert_eq!((status, kind(&p)), (400, "json-schema-validation-error"));
    assert_eq!(call(&mut s, "GET", "/ca-sets/999", Value::Null, NOW).1["type"], "/mtls-edge-truststore/error-types/ca-set-not-found");
    assert_eq!(call(&mut s, "GET", &format!("/ca-sets/{id}/versions/7"), Value::Null, NOW).0, 404);
    assert_eq!(call(&mut s, "PATCH", "/ca-sets", Value::Null, NOW).0, 405);
    assert_eq!(s.handle("GET", "/elsewhere", b"", NOW).status, 404);
    // Listing filters.
    new_set(&mut s, "other");
    let (_, list) = call(&mut s, "GET", "/ca-sets?caSetNamePrefix=ok", Value::Null, NOW);
    assert_eq!(list["caSets"].as_array().unwrap().len(), 1);
}

#[test]
fn activation_rules_and_revalidation() {
    let mut s = Service::default();
    s.activation_ms = 1_000;
    let id = new_set(&mut s, "rules");
    assert_eq!(call(&mut s, "POST", &format!("/ca-sets/{id}/versions"), version(&["chain/root.pem"]), NOW).0, 201);
    let (status, p) = call(&mut s, "POST", &format!("/ca-sets/{id}/versions/1/deactivate"), json!({ "network": "STAGING" }), NOW);
    assert_eq!((status, kind(&p)), (409, "ca-set-version-not-active-on-network"));
    let (status, a) = call(&mut s, "POST", &format!("/ca-sets/{id}/versions/1/activate"), json!({ "network": "STAGING" }), NOW);
    assert_eq!((status, a["activationStatus"].as_str()), (202, Some("IN_PROGRESS")));
    let act = a["activationId"].as_u64().unwrap();
    let (status, half) = call(&mut s, "GET", &format!("/ca-sets/{id}/versions/1/activations/{act}"), Value::Null, NOW + 500);
    assert_eq!((status, half["percentComplete"].as_u64()), (202, Some(50)));
    // A set with an activation in progress cannot be deleted.
    let (status, p) = call(&mut s, "DELETE", &format!("/ca-sets/{id}"), Value::Null, NOW + 600);
    assert_eq!((status, kind(&p)), (409, "ca-set-cannot-be-deleted-in-progress-version-activations"));
    let (status, done) = call(&mut s, "GET", &format!("/ca-sets/{id}/versions/1/activations/{act}"), Value::Null, NOW + 1_000);
    assert_eq!((status, done["activationStatus"].as_str()), (200, Some("COMPLETE")));
    let (status, p) = call(&mut s, "POST", &format!("/ca-sets/{id}/versions/1/activate"), json!({ "network": "STAGING" }), NOW + 1_100);
    assert_eq!((status, kind(&p)), (409, "ca-set-version-already-active-on-network"));
    let (status, p) = call(&mut s, "DELETE", &format!("/ca-sets/{id}"), Value::Null, NOW + 1_100);
    assert_eq!((status, kind(&p)), (409, "ca-set-cannot-be-deleted-active-versions"));
    let (_, list) = call(&mut s, "GET", "/ca-sets?activatedOn=STAGING", Value::Null, NOW + 1_100);
    assert_eq!(list["caSets"].as_array().unwrap().len(), 1);
    let (_, list) = call(&mut s, "GET", "/ca-sets?activatedOn=STAGING%2BPRODUCTION", Value::Null, NOW + 1_100);
    assert!(list["caSets"].as_array().unwrap().is_empty());

    // A clone is a new, never-active version with the same certificates; version 2 takes over
    // STAGING once its own activation completes.
    let (status, clone) = call(&mut s, "POST", &format!("/ca-sets/{id}/versions/1/clone"), Value::Null, NOW + 1_200);
    // The answer to a clone says PENDING on both networks, as Akamai's SDK fixture does; a later
    // read says INACTIVE.
    assert_eq!(
        (status, clone["version"].as_u64(), clone["stagingStatus"].as_str(), clone["productionStatus"].as_str()),
        (201, Some(2), Some("PENDING"), Some("PENDING"))
    );
    assert_eq!(call(&mut s, "GET", &format!("/ca-sets/{id}/versions/2"), Value::Null, NOW + 1_200).1["stagingStatus"], "INACTIVE");
    assert_eq!(call(&mut s, "POST", &format!("/ca-sets/{id}/versions/2/activate"), json!({ "network": "STAGING" }), NOW + 1_300).0, 202);
    let (_, set) = call(&mut s, "GET", &format!("/ca-sets/{id}"), Value::Null, NOW + 2_300);
    assert_eq!(set["stagingVersion"], 2);

    // Activation re-validates: after the root expires (2035), activating fails.
    let after_2035 = 2_082_758_400_000;
    let (status, p) = call(&mut s, "POST", &format!("/ca-sets/{id}/versions/1/activate"), json!({ "network": "PRODUCTION" }), after_2035);
    assert_eq!((status, kind(&p)), (400, "certificate-validation-failure-activate"));
    assert_eq!(kind(&p["errors"][0]), "expired-certificate");
    assert_eq!(p["errors"][0]["pointer"], "/certificates/0");
}

#[test]
fn the_state_round_trips_through_json() {
    let mut s = Service::default();
    let id = new_set(&mut s, "persisted");
    call(&mut s, "POST", &format!("/ca-sets/{id}/versions"), version(&["chain/root.pem", "chain/intermediate.pem"]), NOW);
    let mut back: Service = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    let (_, v) = call(&mut back, "GET", &format!("/ca-sets/{id}/versions/1"), Value::Null, NOW);
    assert_eq!(v["certificates"].as_array().unwrap().len(), 2);
    assert_eq!(v["certificates"][0]["fingerprint"].as_str().map(str::len), Some(64));
    // A record saved without its parsed facts (an older workspace) is parsed when read.
    let mut old: Value = serde_json::to_value(&s).unwrap();
    let text = old.to_string();
    assert!(text.contains("\"facts\""));
    old["sets"][0]["versions"][0]["certificates"].as_array_mut().unwrap().iter_mut().for_each(|c| {
        c.as_object_mut().unwrap().remove("facts");
    });
    let mut older: Service = serde_json::from_value(old).unwrap();
    let (_, w) = call(&mut older, "GET", &format!("/ca-sets/{id}/versions/1"), Value::Null, NOW);
    assert_eq!(w["certificates"], v["certificates"]);
    // Ids keep counting from where they were.
    let id2 = new_set(&mut back, "after-reload");
    assert_ne!(id, id2);
}

#[test]
fn cloning_a_set_copies_one_version() {
    let mut s = Service::default();
    let id = new_set(&mut s, "source");
    call(&mut s, "POST", &format!("/ca-sets/{id}/versions"), version(&["chain/root.pem"]), NOW);
    call(&mut s, "POST", &format!("/ca-sets/{id}/versions"), version(&["vendors/akamai/ca-a.pem", "vendors/akamai/ca-b.pem"]), NOW);
    let (status, copy) =
        call(&mut s, "POST", &format!("/ca-sets/{id}/clone?cloneFromVersion=1"), json!({ "caSetName": "copy-of-v1" }), NOW);
    assert_eq!(status, 201, "{copy}");
    let copy_id = copy["caSetId"].as_str().unwrap();
    assert_ne!(copy_id, id);
    assert_eq!(copy["latestVersion"], 1);
    let (_, v) = call(&mut s, "GET", &format!("/ca-sets/{copy_id}/versions/1"), Value::Null, NOW);
    assert_eq!(v["certificates"].as_array().unwrap().len(), 1);
    // Without cloneFromVersion: the latest version.
    let (_, latest) = call(&mut s, "POST", &format!("/ca-sets/{id}/clone"), json!({ "caSetName": "copy-of-latest" }), NOW);
    let (_, v) = call(&mut s, "GET", &format!("/ca-sets/{}/versions/1", latest["caSetId"].as_str().unwrap()), Value::Null, NOW);
    assert_eq!(v["certificates"].as_array().unwrap().len(), 2);
    // The new name is checked like any other, and a missing version is reported.
    let (status, p) = call(&mut s, "POST", &format!("/ca-sets/{id}/clone"), json!({ "caSetName": "source" }), NOW);
    assert_eq!((status, kind(&p)), (409, "ca-set-name-is-not-unique"));
    let (status, p) = call(&mut s, "POST", &format!("/ca-sets/{id}/clone?cloneFromVersion=9"), json!({ "caSetName": "nine" }), NOW);
    assert_eq!((status, kind(&p)), (404, "ca-set-version-not-found"));
}

/// The model answers in the shapes Akamai's own SDK fixtures show
/// (`tests/data/vendors/akamai/sdk/`): a new version is PENDING on both networks; no guessed
/// `versionId` / `certificateId`; the 422 duplicate carries type, title, detail and the link;
/// associations not asked for are `null`; the activity log carries the set's own facts.
#[test]
fn answers_have_the_sdk_fixtures_shapes() {
    let mut s = Service::default();
    let id = new_set(&mut s, "shapes");
    let (status, v) = call(&mut s, "POST", &format!("/ca-sets/{id}/versions"), version(&["chain/root.pem"]), NOW);
    assert_eq!(status, 201, "{v}");
    assert_eq!((v["stagingStatus"].as_str(), v["productionStatus"].as_str()), (Some("PENDING"), Some("PENDING")));
    assert!(v.get("versionId").is_none(), "{v}");
    assert!(v["certificates"][0].get("certificateId").is_none(), "{v}");
    assert_eq!(v["caSetVersionStatus"], "NOT_DELETED");

    let (status, p) = call(&mut s, "POST", &format!("/ca-sets/{id}/versions"), version(&["chain/root.pem"]), NOW + 1);
    assert_eq!(status, 422);
    assert_eq!(p["type"], "/mtls-edge-truststore/error-types/duplicate-ca-set-version");
    assert_eq!(p["title"], "A version with same certificates exists in the CA set.");
    assert_eq!(p["detail"], "A version with same certificates exists in the CA set.");
    assert_eq!(p["contextInfo"], json!({ "caSetName": "shapes", "caSetId": id, "versionLink": format!("{BASE}/ca-sets/{id}/versions/1") }));

    let (_, a) = call(&mut s, "GET", &format!("/ca-sets/{id}/associations"), Value::Null, NOW);
    assert_eq!(a, json!({ "associations": { "properties": [], "enrollments": null } }));
    let (_, a) = call(&mut s, "GET", &format!("/ca-sets/{id}/associations?associationType=enrollments"), Value::Null, NOW);
    assert_eq!(a, json!({ "associations": { "properties": null, "enrollments": [] } }));

    let (_, log) = call(&mut s, "GET", &format!("/ca-sets/{id}/activities"), Value::Null, NOW);
    assert_eq!(log["caSetLink"], format!("{BASE}/ca-sets/{id}"));
    assert_eq!(log["caSetStatus"], "NOT_DELETED");
    assert_eq!(log["createdDate"], "2026-01-01T00:00:00.000Z");
    assert!(log["createdBy"].is_string() && log["deletedBy"].is_null() && log["deletedDate"].is_null(), "{log}");
    let kinds: Vec<&str> = log["activities"].as_array().unwrap().iter().map(|a| a["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["CREATE_CA_SET_VERSION", "CREATE_CA_SET"], "newest first, as Akamai lists it");
}
