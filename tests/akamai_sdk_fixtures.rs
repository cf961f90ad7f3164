//! Akamai's own SDK test fixtures (`tests/data/vendors/akamai/sdk/`, see the README there) decode
//! into the models and re-encode without losing a field or a value.
//!
//! The comparison: every member of the fixture is in the re-encoded JSON with the same value,
//! except that a fixture `null` may come back absent (the models use `Option`, and some fields are
//! left out when empty). The re-encoded JSON may add members the fixture lacks only if they are
//! empty (`null`, `[]`, `{}`): defaults, never invented values.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use certwright::vendors::akamai::client::{decode, duplicate_version_link, Client, Error};
use certwright::vendors::akamai::edgegrid::Credentials;
use certwright::vendors::akamai::models::{
    Activation, ActivationType, AssociationsResponse, CaSet, CaSetStatus, CaSetVersion, DeleteStatus, ListActivitiesResponse,
    ListCaSetsResponse, Problem, VersionNetworkStatus,
};
use certwright::vendors::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/vendors/akamai/sdk")
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Where `got` loses or changes something of `want` (see the module docs), as JSON paths.
fn differences(want: &Value, got: Option<&Value>, path: &str, out: &mut Vec<String>) {
    let empty = |v: &Value| v.is_null() || v.as_array().is_some_and(Vec::is_empty) || v.as_object().is_some_and(|o| o.is_empty());
    match (want, got) {
        (Value::Null, None | Some(Value::Null)) => {}
        (Value::Object(w), Some(Value::Object(g))) => {
            for (k, wv) in w {
                differences(wv, g.get(k), &format!("{path}.{k}"), out);
            }
            for (k, gv) in g {
                if !w.contains_key(k) && !empty(gv) {
                    out.push(format!("{path}.{k}: invented {gv}"));
                }
            }
        }
        (Value::Array(w), Some(Value::Array(g))) if w.len() == g.len() => {
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                differences(wv, Some(gv), &format!("{path}[{i}]"), out);
            }
        }
        (w, Some(g)) if w == g => {}
        (w, g) => out.push(format!("{path}: want {w}, got {}", g.map_or("nothing".into(), Value::to_string))),
    }
}

fn round_trip<T: DeserializeOwned + Serialize>(name: &str) -> T {
    let body = read(name);
    let model: T = decode(&body).unwrap_or_else(|e| panic!("{name}: {e}"));
    let want: Value = serde_json::from_slice(&body).unwrap();
    let got = serde_json::to_value(&model).unwrap();
    let mut out = Vec::new();
    differences(&want, Some(&got), "", &mut out);
    assert!(out.is_empty(), "{name} lost or changed: {out:#?}");
    model
}

#[test]
fn every_fixture_round_trips_without_loss() {
    type Check = fn(&str);
    let expected: &[(&str, Check)] = &[
        ("activation_202.json", |n| drop(round_trip::<Activation>(n))),
        ("activation_202_warning.json", |n| drop(round_trip::<Activation>(n))),
        ("activities_200.json", |n| drop(round_trip::<ListActivitiesResponse>(n))),
        ("associations_enrollments_200.json", |n| drop(round_trip::<AssociationsResponse>(n))),
        ("associations_non_navigable_property_200.json", |n| drop(round_trip::<AssociationsResponse>(n))),
        ("associations_none_200.json", |n| drop(round_trip::<AssociationsResponse>(n))),
        ("associations_properties_200.json", |n| drop(round_trip::<AssociationsResponse>(n))),
        ("ca_set_clone_201.json", |n| drop(round_trip::<CaSet>(n))),
        ("ca_set_create_201.json", |n| drop(round_trip::<CaSet>(n))),
        ("ca_sets_list_200.json", |n| drop(round_trip::<ListCaSetsResponse>(n))),
        ("deactivation_202.json", |n| drop(round_trip::<Activation>(n))),
        ("delete_status_200.json", |n| drop(round_trip::<DeleteStatus>(n))),
        ("delete_status_202.json", |n| drop(round_trip::<DeleteStatus>(n))),
        ("delete_status_207_partial.json", |n| drop(round_trip::<DeleteStatus>(n))),
        ("error_400_certificate_validation_failure_create.json", |n| drop(round_trip::<Problem>(n))),
        ("error_409_delete_in_progress_activations.json", |n| drop(round_trip::<Problem>(n))),
        ("error_409_in_use_by_enrollments_and_hostnames.json", |n| drop(round_trip::<Problem>(n))),
        ("error_409_name_not_unique.json", |n| drop(round_trip::<Problem>(n))),
        ("error_422_duplicate_version.json", |n| drop(round_trip::<Problem>(n))),
        ("error_504_associations_timeout.json", |n| drop(round_trip::<Problem>(n))),
        ("version_clone_201.json", |n| drop(round_trip::<CaSetVersion>(n))),
        ("version_create_201.json", |n| drop(round_trip::<CaSetVersion>(n))),
        ("version_create_201_duplicate_warning.json", |n| drop(round_trip::<CaSetVersion>(n))),
        ("version_create_201_no_description.json", |n| drop(round_trip::<CaSetVersion>(n))),
    ];
    // Every committed fixture is covered, and only those.
    let mut on_disk: Vec<String> =
        std::fs::read_dir(dir()).unwrap().filter_map(|e| e.ok()?.file_name().into_string().ok()).filter(|n| n.ends_with(".json")).collect();
    on_disk.sort();
    assert_eq!(on_disk, expected.iter().map(|(n, _)| (*n).to_owned()).collect::<Vec<_>>());
    for (name, check) in expected {
        check(name);
    }
}

#[test]
fn the_fields_today_s_models_lost_are_kept() {
    let v: CaSetVersion = round_trip("version_create_201.json");
    assert_eq!((v.staging_status, v.production_status), (Some(VersionNetworkStatus::Pending), Some(VersionNetworkStatus::Pending)));

    let a: AssociationsResponse = round_trip("associations_enrollments_200.json");
    assert_eq!(a.associations.properties, None);
    let e = &a.associations.enrollments()[0];
    assert_eq!((e.staging_slots.as_deref(), e.production_slots.as_deref()), (Some(&[78956][..]), Some(&[78956, 56478][..])));
    let a: AssociationsResponse = round_trip("associations_properties_200.json");
    let p = &a.associations.properties()[0];
    assert_eq!((p.asset_id, p.group_id), (Some(123_456), Some(345)));
    assert_eq!(a.associations.enrollments, None);

    let log: ListActivitiesResponse = round_trip("activities_200.json");
    assert_eq!(log.ca_set_link.as_deref(), Some("/mtls-edge-truststore/v2/ca-sets/1"));
    assert_eq!(log.ca_set_status, Some(CaSetStatus::Deleted));
    assert_eq!((log.created_by.as_deref(), log.created_date.as_deref()), (Some("user1"), Some("2025-04-15T13:35:48.211999Z")));
    assert_eq!((log.deleted_by.as_deref(), log.deleted_date.as_deref()), (Some("user1"), Some("2025-04-18T11:31:40.225213Z")));

    let d: Activation = round_trip("deactivation_202.json");
    assert_eq!(d.activation_type, ActivationType::Deactivate);
}

/// A transport that answers every request with one canned response.
struct Canned(u16, Vec<u8>);

impl Transport for Canned {
    async fn send(&self, _req: HttpRequest) -> Result<HttpResponse, TransportError> {
        Ok(HttpResponse { status: self.0, headers: vec![], body: self.1.clone() })
    }
    async fn sleep_ms(&self, _ms: u64) {}
}

#[test]
fn the_422_duplicate_keeps_its_type_title_detail_and_link() {
    let creds = Credentials::new("akab-x.luna.akamaiapis.net", "ct", "c2VjcmV0", "at");
    let client = Client::new(Canned(422, read("error_422_duplicate_version.json")), creds, || 1_754_387_136);
    let body = certwright::vendors::akamai::validate::VersionBody {
        certificates: vec![certwright::vendors::akamai::validate::CertificateEntry { certificate_pem: "x".into(), description: None }],
        ..Default::default()
    };
    let err = futures_executor::block_on(client.create_version("1", &body)).unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(duplicate_version_link(&err), Some("/tcm-api/ca-sets/1/versions/1"));
    let p = err.problem().unwrap();
    assert_eq!(p.type_name(), "duplicate-ca-set-version");
    assert_eq!(p.title.as_deref(), Some("A version with same certificates exists in the CA set."));
    assert_eq!(p.detail.as_deref(), Some("A version with same certificates exists in the CA set."));
    assert_eq!(p.status, Some(422));
}
