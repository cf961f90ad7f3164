//! A key pair's rotation settings (`/pingfederate/keys/{id}/rotation`): get, put and delete.
//! `creationBufferDays` and `activationBufferDays` are required; `signatureAlgorithm` is required
//! when the original used SHA-1 ([`form::RotationForm`]). Empty choices keep the original's.

use leptos::prelude::*;

use super::{not_sent, router, select_field, text_field, Pf};
use crate::ui::kit::{BusyBar, Failure};
use crate::vendors::pingfederate::form::{self, RotationForm};
use crate::vendors::pingfederate::models::KeyPairView;

#[component]
pub(super) fn RotationView(pf: Pf, id: String) -> impl IntoView {
    let busy = super::fresh(pf.busies.rotation);
    let id = StoredValue::new(id);
    let original = RwSignal::new(None::<KeyPairView>);
    let has_settings = RwSignal::new(false);
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let creation = RwSignal::new(String::new());
    let activation = RwSignal::new(String::new());
    let valid_days = RwSignal::new(String::new());
    let alg = RwSignal::new(String::new());
    let size = RwSignal::new(String::new());
    let sig = RwSignal::new(String::new());
    let fill = move |f: RotationForm| {
        creation.set(f.creation_buffer_days);
        activation.set(f.activation_buffer_days);
        valid_days.set(f.valid_days);
        alg.set(f.key_algorithm);
        size.set(f.key_size);
        sig.set(f.signature_algorithm);
    };
    let form_now = move || RotationForm {
        creation_buffer_days: creation.get_untracked(),
        activation_buffer_days: activation.get_untracked(),
        valid_days: valid_days.get_untracked(),
        key_algorithm: alg.get_untracked(),
        key_size: size.get_untracked(),
        signature_algorithm: sig.get_untracked(),
    };
    let load = move || {
        let Ok(client) = pf.client() else { return };
        let id = id.get_value();
        busy.run(format!("Loading the rotation settings of {id}"), async move {
            let view = client.get(&id).await.map_err(|e| Failure::from_error(&e))?;
            original.set(Some(view));
            match client.rotation_settings(&id).await {
                Ok(s) => {
                    fill(RotationForm::of(&s));
                    has_settings.set(true);
                    Ok(format!("Rotation settings of {id} loaded."))
                }
                Err(e) if e.status() == Some(404) => {
                    fill(RotationForm::default());
                    has_settings.set(false);
                    Ok(format!("{id} has no rotation settings yet."))
                }
                Err(e) => Err(Failure::from_error(&e)),
            }
        });
    };
    load();
    let effective = Memo::new(move |_| {
        let a = alg.get();
        original.with(|o| o.as_ref().map(|o| RotationForm { key_algorithm: a.clone(), ..Default::default() }.effective_algorithm(o)))
    });
    let offered = Memo::new(move |_| pf.catalogue.with(|c| form::offered(c, &effective.get().unwrap_or_default())));
    let sha1 = Memo::new(move |_| original.with(|o| o.as_ref().is_some_and(form::signature_required)));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(view) = original.get_untracked() else { return };
        let catalogue = pf.catalogue.get_untracked();
        let settings = match form_now().settings(&view, &catalogue) {
            Ok(s) => s,
            Err(findings) => {
                let f = not_sent(&findings);
                errors.set(f.fields.clone());
                return busy.fail(f);
            }
        };
        errors.set(Vec::new());
        let client = match pf.client() {
            Ok(c) => c,
            Err(f) => return busy.fail(f),
        };
        let id = id.get_value();
        busy.run(format!("Saving the rotation settings of {id}"), async move {
            match client.put_rotation_settings(&id, &settings, &view, &catalogue).await {
                Ok(s) => {
                    fill(RotationForm::of(&s));
                    has_settings.set(true);
                    Ok(format!("Rotation settings of {id} saved."))
                }
                Err(e) => {
                    let f = Failure::from_error(&e);
                    errors.set(f.fields.clone());
                    Err(f)
                }
            }
        });
    };
    let remove = move |_| {
        let client = match pf.client() {
            Ok(c) => c,
            Err(f) => return busy.fail(f),
        };
        let id = id.get_value();
        busy.run(format!("Deleting the rotation settings of {id}"), async move {
            client.delete_rotation_settings(&id).await.map_err(|e| Failure::from_error(&e))?;
            fill(RotationForm::default());
            has_settings.set(false);
            Ok(format!("Rotation settings of {id} deleted."))
        });
    };
    let p = "pf-rot";
    let key_href = move || format!("/pingfederate/keys/{}", router::segment(&id.get_value()));
    let same = move |what: &'static str| {
        Signal::derive(move || {
            let o = original.get().unwrap_or_default();
            let v = match what {
                "keyAlgorithm" => o.key_algorithm,
                "keySize" => o.key_size.map(|s| s.to_string()),
                _ => o.signature_algorithm,
            };
            format!("Same as the original ({})", v.unwrap_or_else(|| "?".into()))
        })
    };
    view! {
        <div class="rotation">
            <p><router::Link href=Signal::derive(key_href)>{move || format!("Back to key pair {}", id.get_value())}</router::Link></p>
            <form aria-labelledby="pf-rot-heading" on:submit=save novalidate>
                <h3 id="pf-rot-heading">{move || format!("Rotation settings of {}", id.get_value())}</h3>
                <p class="hint">{move || if has_settings.get() { "PingFederate has rotation settings for this key pair." } else { "No rotation settings yet: saving creates them." }}</p>
                <fieldset class="grid">
                    <legend>"When to rotate"</legend>
                    {text_field(p, "Creation buffer (days before expiry; required)", "creationBufferDays", "number", creation, errors)}
                    {text_field(p, "Activation buffer (days before expiry; required)", "activationBufferDays", "number", activation, errors)}
                    {text_field(p, "New key pair valid for (days; empty: as the original)", "validDays", "number", valid_days, errors)}
                </fieldset>
                <fieldset class="grid">
                    <legend>"The new key pair"</legend>
                    {select_field(p, "Rotation key algorithm", "keyAlgorithm", Signal::derive(move || pf.catalogue.with(form::algorithm_names)), Some(same("keyAlgorithm")), alg, errors)}
                    {select_field(p, "Rotation key size", "keySize", Signal::derive(move || offered.with(|o| o.sizes.iter().map(i64::to_string).collect())), Some(same("keySize")), size, errors)}
                    {select_field(p, "Rotation signature algorithm", "signatureAlgorithm", Signal::derive(move || offered.with(|o| o.signatures.clone())), Some(same("signatureAlgorithm")), sig, errors)}
                </fieldset>
                <Show when=move || sha1.get()>
                    <p class="warning" data-testid="pf-rot-sha1">{move || format!(
                        "The original uses {}, a SHA-1 algorithm: choose a signature algorithm for the new key pair.",
                        original.get().and_then(|o| o.signature_algorithm).unwrap_or_default())}</p>
                </Show>
                <div class="actions">
                    <button type="submit" disabled=move || busy.running.get()>"Save rotation settings"</button>
                    <button type="button" disabled=move || busy.running.get() || !has_settings.get() on:click=remove>"Delete rotation settings"</button>
                </div>
            </form>
            <BusyBar busy=busy testid="pf-rot"/>
        </div>
    }
}
