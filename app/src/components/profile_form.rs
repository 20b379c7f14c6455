//! A person's own details on the account page: name (a citizen's only), e-mail address and phone,
//! whether the address is confirmed, and sending its confirmation again.

use crate::components::field_error::{error_id, has_error, FieldErrorLine};
use crate::error::AppError;
use crate::i18n::{field_label, recovery_tr, staff_mail_tr, RecoveryKey, StaffMailKey};
use crate::lang::use_lang;
use crate::recovery::{my_profile, ResendVerification, UpdateProfile};
use crate::session::{error_text, use_hydrated, use_session};
use domain::profile::{Profile, ProfileEdit, ProfileInput};
use domain::validation::{Field, ValidationError};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// The profile form's actions, its stored details and the address a save started from. Made by the
/// page, so that the form drawn again (when the session is refreshed after a save) keeps its answers.
#[derive(Clone, Copy)]
pub struct ProfileState {
    update: ServerAction<UpdateProfile>,
    resend: ServerAction<ResendVerification>,
    profile: Resource<Result<Profile, AppError>>,
    /// The address as it stood when the latest save was sent: whether the save changed it.
    address_before: RwSignal<Option<String>>,
}

impl ProfileState {
    pub fn new() -> Self {
        let update = ServerAction::<UpdateProfile>::new();
        let resend = ServerAction::<ResendVerification>::new();
        let profile = Resource::new(move || (update.version().get(), resend.version().get()), |_| my_profile());
        let session = use_session();
        Effect::new(move |_| {
            // The navigation shows the name: once per save, wherever the form is drawn.
            if let (Some(Ok(_)), Some(session)) = (update.value().get(), session) {
                session.reload();
            }
        });
        Self { update, resend, profile, address_before: RwSignal::new(None) }
    }
}

impl Default for ProfileState {
    fn default() -> Self {
        Self::new()
    }
}

/// The profile form, filled with the stored details once they have loaded.
#[component]
pub fn ProfileForm(
    /// The page's profile state.
    state: ProfileState,
    /// A staff member's: their name is the administrator's to give, so only the address and phone show.
    #[prop(optional)]
    staff: bool,
) -> impl IntoView {
    let lang = use_lang();
    let ProfileState { update, resend, profile, address_before } = state;
    let intro = move || {
        if staff {
            staff_mail_tr(lang.get(), StaffMailKey::ProfileIntro)
        } else {
            recovery_tr(lang.get(), RecoveryKey::ProfileIntro)
        }
    };
    view! {
        <section class="profile" aria-labelledby="profile-heading">
            <h2 id="profile-heading">{move || recovery_tr(lang.get(), RecoveryKey::ProfileHeading)}</h2>
            <p class="hint">{intro}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(stored) => view! { <ProfileFields stored update resend address_before staff/> }.into_any(),
                        Err(error) => view! { <p class="form-error" role="alert">{error_text(lang.get_untracked(), &error)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ProfileFields(
    /// The details as stored, which the fields start from.
    stored: Profile,
    update: ServerAction<UpdateProfile>,
    resend: ServerAction<ResendVerification>,
    /// Set to the stored address when a save is sent.
    address_before: RwSignal<Option<String>>,
    /// Whether the name field is left out (a staff member's name is sent unchanged).
    staff: bool,
) -> impl IntoView {
    let lang = use_lang();
    let hydrated = use_hydrated();
    let display_name = RwSignal::new(stored.display_name.clone());
    let email = RwSignal::new(stored.email.clone().unwrap_or_default());
    let phone = RwSignal::new(stored.phone.clone().unwrap_or_default());
    let errors = RwSignal::new(Vec::<ValidationError>::new());
    let stored_address = stored.email.clone();
    Effect::new(move |_| match update.value().get() {
        Some(Err(AppError::Invalid(fields))) => errors.set(fields.into_iter().map(|f| f.error).collect()),
        Some(Ok(_)) => errors.set(Vec::new()),
        _ => {}
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let input = ProfileInput {
            display_name: display_name.get_untracked(),
            email: email.get_untracked(),
            phone: phone.get_untracked(),
        };
        match ProfileEdit::parse(&input) {
            Ok(_) => {
                errors.set(Vec::new());
                address_before.set(stored_address.clone());
                update.dispatch(UpdateProfile { input });
            }
            Err(found) => errors.set(found),
        }
    };
    let field = move |field: Field,
                      id: &'static str,
                      value: RwSignal<String>,
                      kind: &'static str,
                      autocomplete: &'static str| {
        view! {
            <div class="field">
                <label for=id>{move || field_label(lang.get(), field)}</label>
                <input id=id name=id type=kind autocomplete=autocomplete
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=has_error(errors, field) aria-describedby=error_id(field)/>
                <FieldErrorLine field errors/>
            </div>
        }
    };
    // What the latest save says: the address it changed to needs confirming.
    let saved = move || match update.value().get() {
        Some(Ok(now)) => {
            let changed = now.email.is_some() && now.email != address_before.get();
            let key = if changed && now.email_verified_at.is_none() {
                RecoveryKey::ProfileSavedCheckMail
            } else {
                RecoveryKey::ProfileSaved
            };
            Some(view! { <p class="form-ok" role="status">{move || recovery_tr(lang.get(), key)}</p> }.into_any())
        }
        Some(Err(error)) if !matches!(error, AppError::Invalid(_)) => {
            Some(view! { <p class="form-error" role="alert">{error_text(lang.get(), &error)}</p> }.into_any())
        }
        _ => None,
    };
    let confirmation = stored.email.clone().map(|_| {
        let verified = stored.email_verified();
        let resent = move || match resend.value().get() {
            Some(Ok(())) => Some(
                view! { <p class="form-ok" role="status">{move || recovery_tr(lang.get(), RecoveryKey::VerificationSent)}</p> }
                    .into_any(),
            ),
            Some(Err(error)) => {
                Some(view! { <p class="form-error" role="alert">{error_text(lang.get(), &error)}</p> }.into_any())
            }
            None => None,
        };
        if verified {
            view! { <p class="email-state email-verified">{move || recovery_tr(lang.get(), RecoveryKey::EmailVerified)}</p> }
                .into_any()
        } else {
            view! {
                <div class="email-state email-unverified">
                    <p>{move || recovery_tr(lang.get(), RecoveryKey::EmailUnverified)}</p>
                    <button type="button" disabled=move || !hydrated.get() || resend.pending().get()
                        on:click=move |_| { resend.dispatch(ResendVerification {}); }>
                        {move || recovery_tr(lang.get(), RecoveryKey::ResendVerification)}
                    </button>
                    {resent}
                </div>
            }
            .into_any()
        }
    });
    view! {
        <form class="stack" method="post" on:submit=on_submit novalidate>
            {(!staff).then(|| field(Field::DisplayName, "display_name", display_name, "text", "name"))}
            {field(Field::Email, "email", email, "email", "email")}
            {field(Field::Phone, "phone", phone, "tel", "tel")}
            {saved}
            <button type="submit" class="primary" disabled=move || !hydrated.get() || update.pending().get()>
                {move || recovery_tr(lang.get(), RecoveryKey::SaveProfile)}
            </button>
        </form>
        {confirmation}
    }
}
