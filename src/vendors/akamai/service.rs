//! A model of the mTLS Edge Truststore service itself: CA sets, versions, activations and
//! certificate validation, with Akamai's rules, limits and error shapes (`docs/vendors/akamai.md`).
//!
//! [`Service::handle`] takes one request (method, origin-form target, body, the time) and returns
//! the response Akamai would send. It is plain state with no clock, network or signatures, so two
//! things share it:
//! - the vendor emulator (`tests/emulator`), which adds HTTP, EdgeGrid verification, nonce replay
//!   checks and injected faults around it;
//! - the app's offline workspace, where CA sets and versions are kept in IndexedDB: the same
//!   client and UI talk to it, so local and remote sets behave alike (the same validation, the
//!   same 422 for a duplicate version).
//!
//! Activations run over time: `IN_PROGRESS` with a growing `percentComplete` and a `Retry-After`
//! until [`Service::activation_ms`] have passed, then `COMPLETE`. Deletions do the same. The whole
//! state serializes with serde (the workspace stores it as JSON).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::client::BASE_PATH;
use super::models::{
    Activation, ActivationStatus, ActivationType, Activity, CaSet, CaSetStatus, CaSetVersion, Certificate, CreateCaSet, DeleteStatus,
    Deletion, Network, NetworkBody, Problem, Validation, VersionNetworkStatus,
};
use super::validate::{self, CertificateEntry, Finding, VersionBody};
use crate::vendors::query::{parse_query, percent_decode, query_value};
use crate::vendors::transport::HttpResponse;

const TYPES: &str = "/mtls-edge-truststore/error-types/";

/// Akamai's documented limits (§1.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    /// CA sets per account (200).
    pub ca_sets: usize,
    /// Versions per CA set (100).
    pub versions: usize,
    /// Certificates per version (300).
    pub certificates: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { ca_sets: 200, versions: 100, certificates: validate::MAX_CERTIFICATES }
    }
}

/// The whole state of one account.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    /// The account id reported in CA sets.
    pub account_id: String,
    /// Who `createdBy` / `modifiedBy` name.
    pub user: String,
    /// The documented limits.
    pub limits: Limits,
    /// How long an activation, deactivation or deletion takes, in milliseconds.
    pub activation_ms: i64,
    /// `Retry-After` sent while one runs, in seconds.
    pub retry_after_s: u64,
    sets: Vec<SetRecord>,
    next_id: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SetRecord {
    id: u64,
    name: String,
    description: Option<String>,
    created_ms: i64,
    created_by: String,
    /// When a deletion was requested.
    delete_started_ms: Option<i64>,
    versions: Vec<VersionRecord>,
    activations: Vec<ActivationRecord>,
    activities: Vec<Activity>,
    staging_version: Option<u32>,
    production_version: Option<u32>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct VersionRecord {
    version: u32,
    version_id: u64,
    description: Option<String>,
    allow_insecure_sha1: bool,
    certificates: Vec<CertRecord>,
    created_ms: i64,
    modified_ms: Option<i64>,
    ever_active: bool,
    validation: Validation,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CertRecord {
    id: u64,
    pem: String,
    description: Option<String>,
    created_ms: i64,
    /// What parsing the certificate tells (dates, names, fingerprint), worked out once when the
    /// record is made, not on every listing. `None` in records saved before it was kept.
    #[serde(default)]
    facts: Option<Certificate>,
}

impl CertRecord {
    fn new(id: u64, entry: &CertificateEntry, now: i64) -> CertRecord {
        CertRecord {
            id,
            pem: entry.certificate_pem.clone(),
            description: entry.description.clone(),
            created_ms: now,
            facts: Some(facts_of(&entry.certificate_pem)),
        }
    }

    fn facts(&self) -> Certificate {
        self.facts.clone().unwrap_or_else(|| facts_of(&self.pem))
    }

    /// The certificate as the API returns it.
    fn json(&self, user: &str) -> Certificate {
        Certificate {
            certificate_pem: self.pem.clone(),
            description: self.description.clone(),
            created_by: Some(user.into()),
            created_date: Some(iso_ms(self.created_ms)),
            ..self.facts()
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ActivationRecord {
    id: u64,
    version: u32,
    network: Network,
    kind: ActivationType,
    started_ms: i64,
    /// Set once the effect (network pointer, `everActive`) has been applied.
    done: bool,
}

/// A response under construction: status, body and extra headers.
type Reply = Result<(u16, Value, Vec<(String, String)>), Box<Problem>>;

impl Default for Service {
    fn default() -> Service {
        Service::new("emulator", "certwright")
    }
}

impl Service {
    /// An empty account.
    pub fn new(account_id: &str, user: &str) -> Service {
        Service {
            account_id: account_id.into(),
            user: user.into(),
            limits: Limits::default(),
            activation_ms: 5_000,
            retry_after_s: 1,
            sets: Vec::new(),
            next_id: 1,
        }
    }

    /// Handles one request: `target` is the origin-form path and query
    /// (`/mtls-edge-truststore/v2/ca-sets?caSetNamePrefix=x`), `now_ms` Unix milliseconds.
    pub fn handle(&mut self, method: &str, target: &str, body: &[u8], now_ms: i64) -> HttpResponse {
        self.tick(now_ms);
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let query = parse_query(query);
        let reply = match path.strip_prefix(BASE_PATH) {
            Some(rest) => {
                let segments: Vec<String> = rest.split('/').filter(|s| !s.is_empty()).map(percent_decode).collect();
                let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
                self.route(&method.to_ascii_uppercase(), &segments, &query, body, now_ms)
            }
            None => Err(problem(404, "not-found", "No such resource.", &format!("{path} is not part of the mTLS Edge Truststore API."))),
        };
        match reply {
            Ok((status, value, headers)) => response(status, &value, headers),
            Err(p) => {
                let status = p.status.unwrap_or(500);
                response(status, &serde_json::to_value(&*p).unwrap_or(Value::Null), vec![])
            }
        }
    }

    fn route(&mut self, method: &str, seg: &[&str], q: &[(String, String)], body: &[u8], now: i64) -> Reply {
        match (method, seg) {
            ("POST", ["ca-sets"]) => self.create_set(body, now),
            ("GET", ["ca-sets"]) => Ok(ok(json!({ "caSets": self.list_sets(q, now) }))),
            ("GET", ["ca-sets", id]) => Ok(ok(self.set_json(self.set_index(id)?, now))),
            ("DELETE", ["ca-sets", id]) => self.delete_set(id, now),
            ("GET", ["ca-sets", id, "status", "delete"]) => self.delete_status(id, now),
            ("GET", ["ca-sets", id, "activations"]) => {
                let s = &self.sets[self.set_index(id)?];
                Ok(ok(json!({ "activations": s.activations.iter().rev().map(|a| self.activation_json(s, a, now)).collect::<Vec<_>>() })))
            }
            ("GET", ["ca-sets", id, "activities"]) => {
                let s = &self.sets[self.set_index(id)?];
                let set = self.set_record_json(s, now);
                Ok(ok(json!({
                    // Newest first, as Akamai lists it.
                    "activities": s.activities.iter().rev().collect::<Vec<_>>(),
                    "caSetId": set.ca_set_id,
                    "caSetLink": set.ca_set_link,
                    "caSetName": set.ca_set_name,
                    "caSetStatus": set.ca_set_status,
                    "createdBy": set.created_by,
                    "createdDate": set.created_date,
                    "deletedBy": set.deleted_by,
                    "deletedDate": set.deleted_date,
                })))
            }
            ("GET", ["ca-sets", id, "associations"]) => {
                self.set_index(id)?;
                // Nothing is attached in the model. As Akamai's fixtures show, the list not asked
                // for is `null` (and enrollments are `null` when neither is asked for).
                let body = match query_value(q, "associationType") {
                    Some("enrollments") => json!({ "associations": { "properties": null, "enrollments": [] } }),
                    _ => json!({ "associations": { "properties": [], "enrollments": null } }),
                };
                Ok(ok(body))
            }
            ("POST", ["ca-sets", id, "clone"]) => self.clone_set(id, q, body, now),
            ("POST", ["ca-sets", id, "versions"]) => self.create_version(id, body, now),
            ("GET", ["ca-sets", id, "versions"]) => self.list_versions(id, q),
            ("GET", ["ca-sets", id, "versions", v]) => {
                let (si, vi) = self.version_index(id, v)?;
                Ok(ok(self.version_json(&self.sets[si], &self.sets[si].versions[vi], true)))
            }
            ("PUT", ["ca-sets", id, "versions", v]) => self.update_version(id, v, body, now),
            ("DELETE", ["ca-sets", id, "versions", v]) => self.delete_version(id, v),
            ("POST", ["ca-sets", id, "versions", v, "clone"]) => self.clone_version(id, v, now),
            ("POST", ["ca-sets", id, "versions", v, "activate"]) => self.activate(id, v, body, ActivationType::Activate, now),
            ("POST", ["ca-sets", id, "versions", v, "deactivate"]) => self.activate(id, v, body, ActivationType::Deactivate, now),
            ("GET", ["ca-sets", id, "versions", v, "activations"]) => {
                let (si, vi) = self.version_index(id, v)?;
                let s = &self.sets[si];
                let n = s.versions[vi].version;
                Ok(ok(
                    json!({ "activations": s.activations.iter().rev().filter(|a| a.version == n).map(|a| self.activation_json(s, a, now)).collect::<Vec<_>>() }),
                ))
            }
            ("GET", ["ca-sets", id, "versions", v, "activations", a]) => {
                let (si, vi) = self.version_index(id, v)?;
                let s = &self.sets[si];
                let n = s.versions[vi].version;
                let act = s.activations.iter().find(|x| x.version == n && x.id.to_string() == *a).ok_or_else(|| {
                    problem(
                        404,
                        "activation-or-deactivation-request-not-found",
                        "The activation or deactivation request was not found.",
                        &format!("No activation {a} for version {n} of CA set {id}."),
                    )
                })?;
                let body = self.activation_json(s, act, now);
                if act.done {
                    Ok(ok(body))
                } else {
                    Ok((202, body, vec![("Retry-After".into(), self.retry_after_s.to_string())]))
                }
            }
            ("GET", ["ca-sets", id, "versions", v, "certificates"]) => {
                let (si, vi) = self.version_index(id, v)?;
                let (s, ver) = (&self.sets[si], &self.sets[si].versions[vi]);
                let status = q.iter().find(|(k, _)| k == "certificateStatus").map(|(_, v)| v.as_str());
                let days = query_value(q, "expiryThresholdInDays");
                let stamp = query_value(q, "expiryThresholdTimestamp");
                let horizon = match (days, stamp) {
                    (Some(_), Some(_)) => {
                        return Err(problem(
                            400,
                            "invalid-field",
                            "A query parameter is not valid.",
                            "Give expiryThresholdInDays or expiryThresholdTimestamp, not both.",
                        ))
                    }
                    (Some(d), None) => {
                        now + d.parse::<i64>().map_err(|_| {
                            problem(
                                400,
                                "invalid-field",
                                "A query parameter is not valid.",
                                "expiryThresholdInDays must be a number of days.",
                            )
                        })? * 86_400_000
                    }
                    (None, Some(t)) => super::client::parse_rfc3339_ms(t).ok_or_else(|| {
                        problem(
                            400,
                            "invalid-field",
                            "A query parameter is not valid.",
                            "expiryThresholdTimestamp must be an RFC 3339 date.",
                        )
                    })?,
                    (None, None) => now + 30 * 86_400_000,
                };
                let certs: Vec<Certificate> =
                    ver.certificates.iter().map(|c| c.json(&self.user)).filter(|c| certificate_matches(c, status, now, horizon)).collect();
                Ok(ok(json!({ "caSetId": s.id.to_string(), "caSetName": s.name, "version": ver.version, "certificates": certs })))
            }
            ("POST", ["certificates", "validate"]) => {
                let body: VersionBody = parse_body(body)?;
                let certs: Vec<Certificate> = body.certificates.iter().map(|e| CertRecord::new(0, e, now).json(&self.user)).collect();
                let validation = validation_of(&validate::validate_version(&body, now / 1000));
                if !validation.errors.is_empty() {
                    return Err(failure("certificate-validation-failure", validation));
                }
                Ok(ok(json!({ "allowInsecureSha1": body.allow_insecure_sha1, "certificates": certs, "validation": validation })))
            }
            (_, [first, ..]) if ["ca-sets", "certificates"].contains(first) => {
                Err(problem(405, "method-not-allowed", "The method is not allowed.", &format!("{method} is not supported here.")))
            }
            _ => Err(problem(404, "not-found", "No such resource.", "The path is not part of the mTLS Edge Truststore API.")),
        }
    }

    // ---- CA sets -------------------------------------------------------------------------

    fn create_set(&mut self, body: &[u8], now: i64) -> Reply {
        let body: CreateCaSet = parse_body(body)?;
        self.check_new_set(&body)?;
        let id = self.next();
        self.sets.push(SetRecord {
            id,
            name: body.ca_set_name,
            description: body.description,
            created_ms: now,
            created_by: self.user.clone(),
            delete_started_ms: None,
            versions: Vec::new(),
            activations: Vec::new(),
            activities: vec![self.activity("CREATE_CA_SET", None, None, now)],
            staging_version: None,
            production_version: None,
        });
        let i = self.sets.len() - 1;
        Ok((201, self.set_json(i, now), vec![("Location".into(), set_link(id))]))
    }

    fn check_new_set(&self, body: &CreateCaSet) -> Result<(), Box<Problem>> {
        let name = &body.ca_set_name;
        let valid = (3..=64).contains(&name.chars().count())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || "%._-".contains(c))
            && !name.contains("...");
        if !valid {
            return Err(problem(
                400,
                "ca-set-name-validation-failure",
                "The CA set name is not valid.",
                &format!("caSetName {name:?} must be 3 to 64 characters of letters, digits, '%', '.', '_' and '-', without '...'."),
            ));
        }
        check_description(body.description.as_deref(), "/description")?;
        let live: Vec<&SetRecord> = self.sets.iter().filter(|s| s.delete_started_ms.is_none()).collect();
        if live.iter().any(|s| s.name == *name) {
            return Err(problem(
                409,
                "ca-set-name-is-not-unique",
                "The CA set name is already in use.",
                &format!("A CA set named {name} already exists in the account."),
            ));
        }
        if live.len() >= self.limits.ca_sets {
            return Err(problem(
                400,
                "ca-set-limit-reached",
                "The account has reached its CA set limit.",
                &format!("An account holds at most {} CA sets.", self.limits.ca_sets),
            ));
        }
        Ok(())
    }

    fn list_sets(&self, q: &[(String, String)], now: i64) -> Vec<Value> {
        let prefix = query_value(q, "caSetNamePrefix").unwrap_or("");
        let statuses: Vec<String> =
            query_value(q, "caSetStatus").unwrap_or("NOT_DELETED").split(',').map(|s| s.trim().to_owned()).collect();
        let activated_on = query_value(q, "activatedOn");
        (0..self.sets.len())
            .filter(|&i| {
                let s = &self.sets[i];
                let status =
                    serde_json::to_value(self.set_status(s, now)).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                let on = match activated_on {
                    None => true,
                    Some("INACTIVE") => s.staging_version.is_none() && s.production_version.is_none(),
                    Some(list) => list.split(['+', ',']).all(|n| match n {
                        "STAGING" => s.staging_version.is_some(),
                        "PRODUCTION" => s.production_version.is_some(),
                        _ => false,
                    }),
                };
                s.name.starts_with(prefix) && statuses.contains(&status) && on
            })
            .map(|i| self.set_json(i, now))
            .collect()
    }

    fn set_status(&self, s: &SetRecord, now: i64) -> CaSetStatus {
        match s.delete_started_ms {
            None => CaSetStatus::NotDeleted,
            Some(t) if now - t < self.activation_ms => CaSetStatus::Deleting,
            Some(_) => CaSetStatus::Deleted,
        }
    }

    fn delete_set(&mut self, id: &str, now: i64) -> Reply {
        let i = self.set_index(id)?;
        let s = &self.sets[i];
        if s.delete_started_ms.is_some() {
            return Err(problem(
                409,
                "delete-ca-set-request-in-progress",
                "The CA set is already being deleted.",
                &format!("CA set {id} has a deletion in progress or is deleted."),
            ));
        }
        if s.activations.iter().any(|a| !a.done) {
            return Err(problem(
                409,
                "ca-set-cannot-be-deleted-in-progress-version-activations",
                "The CA set has activations in progress.",
                &format!("Wait for the activations of CA set {id} to finish."),
            ));
        }
        if s.staging_version.is_some() || s.production_version.is_some() {
            return Err(problem(
                409,
                "ca-set-cannot-be-deleted-active-versions",
                "The CA set has active versions.",
                &format!("Deactivate the versions of CA set {id} on every network first."),
            ));
        }
        let activity = self.activity("DELETE_CA_SET", None, None, now);
        let s = &mut self.sets[i];
        s.delete_started_ms = Some(now);
        s.activities.push(activity);
        Ok((202, Value::Null, vec![("Location".into(), format!("{}/status/delete", set_link(s.id)))]))
    }

    fn delete_status(&self, id: &str, now: i64) -> Reply {
        let s = &self.sets[self.set_index(id)?];
        let Some(started) = s.delete_started_ms else {
            return Err(problem(
                404,
                "no-active-cert-deletions",
                "The CA set has no deletion.",
                &format!("CA set {id} is not being deleted."),
            ));
        };
        let done = now - started >= self.activation_ms;
        let status = if done { ActivationStatus::Complete } else { ActivationStatus::InProgress };
        let percent = self.percent(started, now);
        let body = DeleteStatus {
            status,
            status_link: Some(format!("{}/status/delete", set_link(s.id))),
            ca_set_link: Some(set_link(s.id)),
            resource_method: Some("delete".into()),
            ca_set_id: Some(s.id.to_string()),
            ca_set_name: Some(s.name.clone()),
            start_time: Some(iso_ms(started)),
            estimated_end_time: Some(iso_ms(started + self.activation_ms)),
            end_time: done.then(|| iso_ms(started + self.activation_ms)),
            failure_reason: None,
            deletions: [Network::Staging, Network::Production]
                .into_iter()
                .map(|n| Deletion { network: Some(n), percent_complete: Some(percent), status, failure_reason: None })
                .collect(),
            removal_date: Some(iso_ms(started + 30 * 86_400_000)),
        };
        let value = serde_json::to_value(body).unwrap_or(Value::Null);
        if done {
            Ok(ok(value))
        } else {
            Ok((202, value, vec![("Retry-After".into(), self.retry_after_s.to_string())]))
        }
    }

    fn clone_set(&mut self, id: &str, q: &[(String, String)], body: &[u8], now: i64) -> Reply {
        let from = self.set_index(id)?;
        let source = &self.sets[from];
        let version = match query_value(q, "cloneFromVersion") {
            Some(v) => Some(source.versions.iter().find(|x| x.version.to_string() == v).ok_or_else(|| missing_version(id, v))?.clone()),
            None => source.versions.last().cloned(),
        };
        self.create_set(body, now)?;
        let new_id = self.next();
        let i = self.sets.len() - 1;
        if let Some(mut v) = version {
            v.version = 1;
            v.version_id = new_id;
            v.ever_active = false;
            v.created_ms = now;
            v.modified_ms = None;
            self.sets[i].versions.push(v);
        }
        Ok((201, self.set_json(i, now), vec![]))
    }

    // ---- versions ------------------------------------------------------------------------

    fn create_version(&mut self, id: &str, body: &[u8], now: i64) -> Reply {
        let si = self.live_set_index(id)?;
        let body: VersionBody = parse_body(body)?;
        check_description(body.description.as_deref(), "/description")?;
        if self.sets[si].versions.len() >= self.limits.versions {
            return Err(problem(
                400,
                "ca-set-version-limit-reached",
                "The CA set has reached its version limit.",
                &format!("A CA set holds at most {} versions.", self.limits.versions),
            ));
        }
        let validation = self.check_version_body(si, None, &body, "certificate-validation-failure-create", now)?;
        let number = self.sets[si].versions.last().map_or(1, |v| v.version + 1);
        let record = VersionRecord {
            version: number,
            version_id: self.next(),
            description: body.description.clone(),
            allow_insecure_sha1: body.allow_insecure_sha1,
            certificates: Vec::new(),
            created_ms: now,
            modified_ms: None,
            ever_active: false,
            validation,
        };
        let certificates = self.cert_records(&body, now);
        let activity = self.activity("CREATE_CA_SET_VERSION", None, Some(number), now);
        let s = &mut self.sets[si];
        s.versions.push(VersionRecord { certificates, ..record });
        s.activities.push(activity);
        let s = &self.sets[si];
        let v = s.versions.last().expect("just pushed");
        Ok((201, self.version_json_as(s, v, true, true), vec![("Location".into(), version_link(s.id, number))]))
    }

    fn update_version(&mut self, id: &str, v: &str, body: &[u8], now: i64) -> Reply {
        let (si, vi) = self.version_index(id, v)?;
        self.live_set_index(id)?;
        let s = &self.sets[si];
        let number = s.versions[vi].version;
        if s.staging_version == Some(number) || s.production_version == Some(number) {
            return Err(problem(
                409,
                "ca-set-version-is-active",
                "The version is active and cannot be modified.",
                &format!("Version {number} of CA set {id} is active; clone it and edit the clone."),
            ));
        }
        if s.versions[vi].ever_active {
            return Err(problem(
                409,
                "ca-set-version-was-previously-active",
                "The version was previously active and cannot be modified.",
                &format!("Version {number} of CA set {id} was active before; clone it and edit the clone."),
            ));
        }
        let body: VersionBody = parse_body(body)?;
        check_description(body.description.as_deref(), "/description")?;
        let validation = self.check_version_body(si, Some(number), &body, "certificate-validation-failure-update", now)?;
        let certificates = self.cert_records(&body, now);
        let ver = &mut self.sets[si].versions[vi];
        ver.description = body.description;
        ver.allow_insecure_sha1 = body.allow_insecure_sha1;
        ver.certificates = certificates;
        ver.modified_ms = Some(now);
        ver.validation = validation;
        let s = &self.sets[si];
        Ok(ok(self.version_json(s, &s.versions[vi], true)))
    }

    /// Validation, the certificate limit and the duplicate-version check shared by create and
    /// update; returns what goes into the version's `validation`.
    fn check_version_body(
        &self,
        si: usize,
        except: Option<u32>,
        body: &VersionBody,
        failure_type: &str,
        now: i64,
    ) -> Result<Validation, Box<Problem>> {
        if body.certificates.is_empty() {
            let mut p = problem(
                400,
                "json-schema-validation-error",
                "The request body is not valid.",
                "certificates must hold at least one certificate.",
            );
            p.pointer = Some("/certificates".into());
            return Err(p);
        }
        if body.certificates.len() > self.limits.certificates {
            return Err(problem(
                400,
                "certificate-limit-reached",
                "The version has too many certificates.",
                &format!("A version holds at most {} certificates; this one has {}.", self.limits.certificates, body.certificates.len()),
            ));
        }
        let validation = validation_of(&validate::validate_version(body, now / 1000));
        if !validation.errors.is_empty() {
            return Err(failure(failure_type, validation));
        }
        let s = &self.sets[si];
        let mine = validate::fingerprint_set(body);
        let existing: Vec<(u32, BTreeSet<String>)> =
            s.versions.iter().filter(|v| Some(v.version) != except).map(|v| (v.version, fingerprints(&v.certificates))).collect();
        if let Some(n) = validate::duplicate_of(&mine, &existing) {
            let mut p = problem(
                422,
                "duplicate-ca-set-version",
                "A version with same certificates exists in the CA set.",
                "A version with same certificates exists in the CA set.",
            );
            p.context_info = Some(json!({ "caSetName": s.name, "caSetId": s.id.to_string(), "versionLink": version_link(s.id, n) }));
            return Err(p);
        }
        Ok(validation)
    }

    fn cert_records(&mut self, body: &VersionBody, now: i64) -> Vec<CertRecord> {
        body.certificates.iter().map(|e| CertRecord::new(self.next(), e, now)).collect()
    }

    fn list_versions(&self, id: &str, q: &[(String, String)]) -> Reply {
        let s = &self.sets[self.set_index(id)?];
        let include = query_value(q, "includeCertificates") == Some("true");
        let active_only = query_value(q, "activeVersionsOnly") == Some("true");
        let versions: Vec<Value> = s
            .versions
            .iter()
            .filter(|v| !active_only || s.staging_version == Some(v.version) || s.production_version == Some(v.version))
            .map(|v| self.version_json(s, v, include))
            .collect();
        Ok(ok(json!({ "versions": versions })))
    }

    fn delete_version(&mut self, id: &str, v: &str) -> Reply {
        let (si, vi) = self.version_index(id, v)?;
        let s = &self.sets[si];
        let number = s.versions[vi].version;
        if s.staging_version == Some(number)
            || s.production_version == Some(number)
            || s.activations.iter().any(|a| a.version == number && !a.done)
        {
            return Err(problem(
                409,
                "ca-set-version-is-active",
                "The version is active and cannot be deleted.",
                &format!("Version {number} of CA set {id} is active or being activated."),
            ));
        }
        self.sets[si].versions.remove(vi);
        Ok((204, Value::Null, vec![]))
    }

    fn clone_version(&mut self, id: &str, v: &str, now: i64) -> Reply {
        let (si, vi) = self.version_index(id, v)?;
        self.live_set_index(id)?;
        if self.sets[si].versions.len() >= self.limits.versions {
            return Err(problem(
                400,
                "ca-set-version-limit-reached",
                "The CA set has reached its version limit.",
                &format!("A CA set holds at most {} versions.", self.limits.versions),
            ));
        }
        let source = self.sets[si].versions[vi].clone();
        let body = version_body(&source);
        let number = self.sets[si].versions.last().map_or(1, |v| v.version + 1);
        let certificates = self.cert_records(&body, now);
        let validation = validation_of(&validate::validate_version(&body, now / 1000));
        let record = VersionRecord {
            version: number,
            version_id: self.next(),
            description: source.description,
            allow_insecure_sha1: source.allow_insecure_sha1,
            certificates,
            created_ms: now,
            modified_ms: None,
            ever_active: false,
            validation,
        };
        let activity = self.activity("CREATE_CA_SET_VERSION", None, Some(number), now);
        let s = &mut self.sets[si];
        s.versions.push(record);
        s.activities.push(activity);
        let s = &self.sets[si];
        Ok((
            201,
            self.version_json_as(s, s.versions.last().expect("just pushed"), true, true),
            vec![("Location".into(), version_link(s.id, number))],
        ))
    }

    // ---- activations ---------------------------------------------------------------------

    fn activate(&mut self, id: &str, v: &str, body: &[u8], kind: ActivationType, now: i64) -> Reply {
        let (si, vi) = self.version_index(id, v)?;
        self.live_set_index(id)?;
        let NetworkBody { network } = parse_body(body)?;
        let s = &self.sets[si];
        let number = s.versions[vi].version;
        if let Some(running) = s.activations.iter().find(|a| !a.done) {
            let (t, title) = match running.kind {
                ActivationType::Deactivate => {
                    ("another-deactivation-request-in-progress-in-the-ca-set", "Another deactivation is in progress in the CA set.")
                }
                _ => ("another-activation-request-in-progress-in-the-ca-set", "Another activation is in progress in the CA set."),
            };
            return Err(problem(
                409,
                t,
                title,
                &format!("Activation {} of version {} is still running; only one runs per CA set at a time.", running.id, running.version),
            ));
        }
        let active = match network {
            Network::Staging => s.staging_version,
            Network::Production => s.production_version,
        } == Some(number);
        let net = network_name(network);
        if kind == ActivationType::Activate && active {
            return Err(problem(
                409,
                "ca-set-version-already-active-on-network",
                "The version is already active on this network.",
                &format!("Version {number} of CA set {id} is already active on {net}."),
            ));
        }
        if kind == ActivationType::Deactivate && !active {
            return Err(problem(
                409,
                "ca-set-version-not-active-on-network",
                "The version is not active on this network.",
                &format!("Version {number} of CA set {id} is not active on {net}."),
            ));
        }
        if kind == ActivationType::Activate {
            let validation = validation_of(&validate::validate_version(&version_body(&s.versions[vi]), now / 1000));
            if !validation.errors.is_empty() {
                return Err(failure("certificate-validation-failure-activate", validation));
            }
        }
        let activation = ActivationRecord { id: self.next(), version: number, network, kind, started_ms: now, done: false };
        let name = if kind == ActivationType::Activate { "ACTIVATE_CA_SET_VERSION" } else { "DEACTIVATE_CA_SET_VERSION" };
        let activity = self.activity(name, Some(network), Some(number), now);
        let s = &mut self.sets[si];
        s.activations.push(activation);
        s.activities.push(activity);
        let s = &self.sets[si];
        let a = s.activations.last().expect("just pushed");
        let link = format!("{}/activations/{}", version_link(s.id, number), a.id);
        Ok((202, self.activation_json(s, a, now), vec![("Location".into(), link), ("Retry-After".into(), self.retry_after_s.to_string())]))
    }

    /// Completes the activations whose time has come.
    fn tick(&mut self, now: i64) {
        let duration = self.activation_ms;
        for s in &mut self.sets {
            for a in &mut s.activations {
                if a.done || now - a.started_ms < duration {
                    continue;
                }
                a.done = true;
                let slot = match a.network {
                    Network::Staging => &mut s.staging_version,
                    Network::Production => &mut s.production_version,
                };
                if a.kind == ActivationType::Activate {
                    *slot = Some(a.version);
                    if let Some(v) = s.versions.iter_mut().find(|v| v.version == a.version) {
                        v.ever_active = true;
                    }
                } else if *slot == Some(a.version) {
                    *slot = None;
                }
            }
        }
    }

    fn percent(&self, started: i64, now: i64) -> u32 {
        if self.activation_ms <= 0 {
            return 100;
        }
        (((now - started).max(0) * 100) / self.activation_ms).clamp(0, 100) as u32
    }

    // ---- JSON ----------------------------------------------------------------------------

    fn set_json(&self, i: usize, now: i64) -> Value {
        serde_json::to_value(self.set_record_json(&self.sets[i], now)).unwrap_or(Value::Null)
    }

    fn set_record_json(&self, s: &SetRecord, now: i64) -> CaSet {
        let latest = s.versions.last().map(|v| v.version);
        CaSet {
            account_id: Some(self.account_id.clone()),
            ca_set_id: s.id.to_string(),
            ca_set_link: Some(set_link(s.id)),
            ca_set_name: s.name.clone(),
            ca_set_status: self.set_status(s, now),
            description: s.description.clone(),
            latest_version: latest,
            latest_version_link: latest.map(|n| version_link(s.id, n)),
            staging_version: s.staging_version,
            staging_version_link: s.staging_version.map(|n| version_link(s.id, n)),
            production_version: s.production_version,
            production_version_link: s.production_version.map(|n| version_link(s.id, n)),
            versions_link: Some(format!("{}/versions", set_link(s.id))),
            created_date: Some(iso_ms(s.created_ms)),
            created_by: Some(s.created_by.clone()),
            deleted_date: s.delete_started_ms.map(iso_ms),
            deleted_by: s.delete_started_ms.map(|_| self.user.clone()),
            removal_date: s.delete_started_ms.map(|t| iso_ms(t + 30 * 86_400_000)),
        }
    }

    /// A version as the API shows it. `created` marks the answer to creating or cloning it,
    /// where Akamai reports `PENDING` on both networks (its SDK fixtures); later reads say
    /// `ACTIVE` or `INACTIVE`.
    fn version_json(&self, s: &SetRecord, v: &VersionRecord, include_certificates: bool) -> Value {
        self.version_json_as(s, v, include_certificates, false)
    }

    fn version_json_as(&self, s: &SetRecord, v: &VersionRecord, include_certificates: bool, created: bool) -> Value {
        let status = |slot: Option<u32>| {
            Some(if slot == Some(v.version) {
                VersionNetworkStatus::Active
            } else if created {
                VersionNetworkStatus::Pending
            } else {
                VersionNetworkStatus::Inactive
            })
        };
        let version = CaSetVersion {
            ca_set_id: Some(s.id.to_string()),
            ca_set_name: Some(s.name.clone()),
            version: v.version,
            version_link: Some(version_link(s.id, v.version)),
            description: v.description.clone(),
            allow_insecure_sha1: Some(v.allow_insecure_sha1),
            staging_status: status(s.staging_version),
            production_status: status(s.production_version),
            created_date: Some(iso_ms(v.created_ms)),
            created_by: Some(self.user.clone()),
            modified_date: v.modified_ms.map(iso_ms),
            modified_by: v.modified_ms.map(|_| self.user.clone()),
            certificates: if include_certificates { v.certificates.iter().map(|c| c.json(&self.user)).collect() } else { Vec::new() },
            validation: Some(v.validation.clone()),
            removal_date: None,
            ca_set_version_status: Some("NOT_DELETED".into()),
        };
        serde_json::to_value(version).unwrap_or(Value::Null)
    }

    fn activation_json(&self, s: &SetRecord, a: &ActivationRecord, now: i64) -> Value {
        let activation = Activation {
            activation_id: a.id,
            activation_link: Some(format!("{}/activations/{}", version_link(s.id, a.version), a.id)),
            ca_set_id: Some(s.id.to_string()),
            ca_set_name: Some(s.name.clone()),
            ca_set_link: Some(set_link(s.id)),
            version: Some(a.version),
            version_link: Some(version_link(s.id, a.version)),
            network: Some(a.network),
            activation_type: a.kind,
            activation_status: if a.done { ActivationStatus::Complete } else { ActivationStatus::InProgress },
            percent_complete: Some(if a.done { 100 } else { self.percent(a.started_ms, now) }),
            failure_reason: None,
            created_by: Some(self.user.clone()),
            created_date: Some(iso_ms(a.started_ms)),
            modified_by: a.done.then(|| self.user.clone()),
            modified_date: a.done.then(|| iso_ms(a.started_ms + self.activation_ms)),
            validation: None,
        };
        serde_json::to_value(activation).unwrap_or(Value::Null)
    }

    // ---- lookups -------------------------------------------------------------------------

    fn next(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    fn activity(&self, kind: &str, network: Option<Network>, version: Option<u32>, now: i64) -> Activity {
        Activity { kind: kind.into(), network, version, activity_date: Some(iso_ms(now)), activity_by: Some(self.user.clone()) }
    }

    fn set_index(&self, id: &str) -> Result<usize, Box<Problem>> {
        self.sets.iter().position(|s| s.id.to_string() == id).ok_or_else(|| {
            problem(404, "ca-set-not-found", "The CA set was not found.", &format!("There is no CA set {id} in the account."))
        })
    }

    /// A set that is not being deleted (deleted sets are read-only).
    fn live_set_index(&self, id: &str) -> Result<usize, Box<Problem>> {
        let i = self.set_index(id)?;
        if self.sets[i].delete_started_ms.is_some() {
            return Err(problem(
                409,
                "delete-ca-set-request-in-progress",
                "The CA set is deleted or being deleted.",
                &format!("CA set {id} is read-only."),
            ));
        }
        Ok(i)
    }

    fn version_index(&self, id: &str, v: &str) -> Result<(usize, usize), Box<Problem>> {
        let si = self.set_index(id)?;
        let vi = self.sets[si].versions.iter().position(|x| x.version.to_string() == v).ok_or_else(|| missing_version(id, v))?;
        Ok((si, vi))
    }
}

fn missing_version(id: &str, v: &str) -> Box<Problem> {
    problem(404, "ca-set-version-not-found", "The CA set version was not found.", &format!("CA set {id} has no version {v}."))
}

fn check_description(d: Option<&str>, pointer: &str) -> Result<(), Box<Problem>> {
    match d {
        Some(d) if d.is_empty() || d.chars().count() > 255 => {
            let mut p = problem(400, "invalid-field", "A field is not valid.", "description must be null or 1 to 255 characters.");
            p.pointer = Some(pointer.into());
            Err(p)
        }
        _ => Ok(()),
    }
}

fn network_name(n: Network) -> &'static str {
    match n {
        Network::Staging => "STAGING",
        Network::Production => "PRODUCTION",
    }
}

fn version_body(v: &VersionRecord) -> VersionBody {
    VersionBody {
        allow_insecure_sha1: v.allow_insecure_sha1,
        description: v.description.clone(),
        certificates: v
            .certificates
            .iter()
            .map(|c| CertificateEntry { certificate_pem: c.pem.clone(), description: c.description.clone() })
            .collect(),
    }
}

fn fingerprints(certs: &[CertRecord]) -> BTreeSet<String> {
    certs.iter().filter_map(|c| c.facts().fingerprint).collect()
}

/// The parsed fields of a certificate's API form (all `None` if it does not parse).
fn facts_of(pem: &str) -> Certificate {
    let body =
        VersionBody { certificates: vec![CertificateEntry { certificate_pem: pem.into(), description: None }], ..VersionBody::default() };
    let Some(Ok(info)) = validate::parse_entries(&body).pop() else { return Certificate::default() };
    Certificate {
        start_date: Some(info.valid_from),
        end_date: Some(info.expires),
        fingerprint: Some(info.sha256_fingerprint),
        issuer: Some(info.issuer_dn),
        subject: Some(info.subject_dn),
        serial_number: Some(info.serial_number),
        signature_algorithm: Some(akamai_algorithm_name(&info.signature_algorithm)),
        ..Certificate::default()
    }
}

/// `sha256WithRSAEncryption` → `SHA256WITHRSA`, `ecdsa-with-SHA384` → `SHA384WITHECDSA`.
fn akamai_algorithm_name(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let hash = ["sha512", "sha384", "sha256", "sha224", "sha1", "md5"].into_iter().find(|h| lower.contains(h));
    let key = if lower.contains("ecdsa") {
        "ECDSA"
    } else if lower.contains("rsa") {
        "RSA"
    } else {
        ""
    };
    match (hash, key) {
        (Some(h), k) if !k.is_empty() => format!("{}WITH{k}", h.to_ascii_uppercase()),
        _ => name.to_ascii_uppercase(),
    }
}

/// Whether a certificate is in `status` (`EXPIRED`, `EXPIRING` before `horizon`, `ACTIVE`).
fn certificate_matches(c: &Certificate, status: Option<&str>, now: i64, horizon: i64) -> bool {
    let Some(status) = status else { return true };
    let end = c.end_date.as_deref().and_then(super::client::parse_rfc3339_ms).unwrap_or(i64::MAX);
    status.split(',').any(|s| match s.trim() {
        "EXPIRED" => end < now,
        "EXPIRING" => end >= now && end < horizon,
        "ACTIVE" => end >= now,
        _ => false,
    })
}

/// Akamai's `validation` object from a local [`validate::Validation`].
pub fn validation_of(v: &validate::Validation) -> Validation {
    let list = |findings: &[Finding]| findings.iter().map(problem_of).collect();
    Validation { errors: list(&v.errors), warnings: list(&v.warnings), notices: list(&v.notices) }
}

fn problem_of(f: &Finding) -> Problem {
    Problem {
        kind: f.kind.clone(),
        title: Some(f.title.clone()),
        detail: Some(f.detail.clone()),
        pointer: (!f.pointer.is_empty()).then(|| f.pointer.clone()),
        ..Problem::default()
    }
}

fn failure(kind: &str, validation: Validation) -> Box<Problem> {
    let n = validation.errors.len();
    let mut p = problem(
        400,
        kind,
        "Certificates have failed validation.",
        &format!("{n} certificate check{} failed; see errors.", if n == 1 { "" } else { "s" }),
    );
    p.errors = validation.errors;
    p
}

fn problem(status: u16, kind: &str, title: &str, detail: &str) -> Box<Problem> {
    Box::new(Problem {
        kind: format!("{TYPES}{kind}"),
        title: Some(title.into()),
        detail: Some(detail.into()),
        status: Some(status),
        instance: Some(format!("{TYPES}{kind}/{status:x}")),
        ..Problem::default()
    })
}

fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Box<Problem>> {
    serde_json::from_slice(body).map_err(|e| {
        let kind = if serde_json::from_slice::<Value>(body).is_ok() { "json-schema-validation-error" } else { "invalid-json" };
        problem(400, kind, "The request body is not valid.", &format!("The body could not be read: {e}."))
    })
}

fn ok(value: Value) -> (u16, Value, Vec<(String, String)>) {
    (200, value, vec![])
}

fn response(status: u16, value: &Value, mut headers: Vec<(String, String)>) -> HttpResponse {
    let body = if value.is_null() { Vec::new() } else { serde_json::to_vec(value).unwrap_or_default() };
    if !body.is_empty() {
        let media = if status >= 400 { "application/problem+json" } else { "application/json" };
        headers.insert(0, ("Content-Type".into(), media.into()));
    }
    HttpResponse { status, headers, body }
}

fn set_link(id: u64) -> String {
    format!("{BASE_PATH}/ca-sets/{id}")
}

fn version_link(id: u64, v: u32) -> String {
    format!("{BASE_PATH}/ca-sets/{id}/versions/{v}")
}

/// Unix milliseconds as `2026-11-22T16:00:00.000Z`.
pub fn iso_ms(ms: i64) -> String {
    let seconds = crate::pki::iso8601_unix(ms.div_euclid(1000));
    format!("{}.{:03}Z", seconds.trim_end_matches('Z'), ms.rem_euclid(1000))
}
