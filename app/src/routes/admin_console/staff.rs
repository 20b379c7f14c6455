//! The staff page: accounts listed with their roles, invited, edited, and their passwords reset.

use super::form_kit::{
    catalogue_resource, loading, name_of, named, row_button, send_if_valid, CheckField, Column, ConsoleTable,
    FormAnswers, Outcome, SelectField, SubmitButton, TextField,
};
use super::staff_password::{reset_cell, PasswordReset};
use super::ConsolePage;
use crate::admin::{check_role, staff_accounts, CatalogueView, InviteStaff, UpdateStaff};
use crate::components::field_error::FieldErrorLine;
use crate::error::AppError;
use crate::i18n::{assign_tr, field_label, role_label, tr, AssignKey, Key};
use crate::lang::{use_lang, use_tr};
use crate::session::{error_text, use_session};
use domain::account::{Account, InvitationForm, RoleForm, Username, ASSIGNABLE_ROLES};
use domain::case::ActorRole;
use domain::contact::PersonName;
use domain::validation::{Field, ValidationError};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

const COLUMNS: &[Column] = &[
    Column::Field(Field::Username),
    Column::Field(Field::DisplayName),
    Column::Field(Field::Role),
    Column::Field(Field::Agency),
    Column::Field(Field::Areas),
    Column::Text(Key::Status),
    Column::Blank,
    Column::Blank,
];

#[component]
pub fn StaffPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let invite = ServerAction::<InviteStaff>::new();
    let update = ServerAction::<UpdateStaff>::new();
    let accounts = Resource::new(move || (invite.version().get(), update.version().get()), |_| staff_accounts());
    let catalogue = catalogue_resource(|| 0);
    let editing = RwSignal::new(None::<Account>);
    let resetting = RwSignal::new(None::<Account>);
    let session = use_session();
    Effect::new(move |_| {
        if let Some(Ok(())) = update.value().get() {
            editing.set(None);
        }
    });
    view! {
        <ConsolePage heading=Key::AdminStaff intro=Key::AdminStaffIntro>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    let catalogue = catalogue.await?;
                    let list = accounts.await?;
                    let agency_names: Vec<(String, String)> = catalogue.agencies.iter().map(|a| (a.code.clone(), a.name.clone())).collect();
                    let area_names: Vec<(String, String)> = catalogue.areas.iter().map(|a| (a.code.clone(), a.name.clone())).collect();
                    let editor_catalogue = catalogue.clone();
                    // Awaited, not peeked: the server's page and the browser's hydration must agree on it.
                    let own_id = match session {
                        Some(session) => session.account.await.ok().flatten().map(|a| a.id),
                        None => None,
                    };
                    let rows = list.into_iter().map(|account| {
                        let role = account.role;
                        let agency = account.agency.as_deref().map(|code| name_of(&agency_names, code)).unwrap_or_default();
                        let head = account.agency_head;
                        let served = account.areas.iter().map(|code| name_of(&area_names, code)).collect::<Vec<_>>().join(", ");
                        let active = account.active;
                        let username = account.username.clone();
                        let own = own_id == Some(account.id);
                        let to_reset = account.clone();
                        view! {
                            <tr>
                                <td>{account.username.clone()}</td>
                                <td>{account.display_name.clone()}</td>
                                <td>{move || role_label(lang.get(), role)}</td>
                                <td>{agency}{head.then(|| view! { <br/><span class="badge">{move || assign_tr(lang.get(), AssignKey::AgencyHead)}</span> })}</td>
                                <td>{served}</td>
                                <td>{move || t(if active { Key::AdminActive } else { Key::AdminDeactivated })}</td>
                                {row_button(Key::AdminEdit, &username, None, move || {
                                    resetting.set(None);
                                    editing.set(Some(account.clone()));
                                })}
                                {reset_cell(&username, own, move || {
                                    editing.set(None);
                                    resetting.set(Some(to_reset.clone()));
                                })}
                            </tr>
                        }
                    }).collect_view();
                    Ok::<_, AppError>(view! {
                        <InviteForm invite catalogue=catalogue.clone()/>
                        <h2>{move || t(Key::AdminStaffList)}</h2>
                        <ConsoleTable columns=COLUMNS>{rows}</ConsoleTable>
                        {move || editing.get().map(|account| view! { <AccountEditor account update catalogue=editor_catalogue.clone()/> })}
                        {move || resetting.get().map(|account| view! { <PasswordReset account on_close=Callback::new(move |()| resetting.set(None))/> })}
                    })
                })}
            </Transition>
        </ConsolePage>
    }
}

/// The role, agency and areas fields, shared by the invitation and the account editor.
#[component]
fn RoleFields(
    prefix: &'static str,
    role: RwSignal<String>,
    agency: RwSignal<String>,
    areas: RwSignal<Vec<String>>,
    errors: RwSignal<Vec<ValidationError>>,
    catalogue: CatalogueView,
) -> impl IntoView {
    let lang = use_lang();
    let roles = ASSIGNABLE_ROLES
        .into_iter()
        .map(|r| (r.as_str().to_string(), Signal::derive(move || role_label(lang.get(), r).to_string())))
        .collect::<Vec<_>>();
    let agencies = catalogue.agencies.iter().filter(|a| a.active).map(|a| named(&a.code, &a.name)).collect::<Vec<_>>();
    let served = catalogue.areas.into_iter().filter(|a| a.active).collect::<Vec<_>>();
    view! {
        <SelectField id=format!("{prefix}_role") field=Field::Role value=role errors choices=roles/>
        <Show when=move || role.get() == ActorRole::Officer.as_str()>
            <SelectField id=format!("{prefix}_agency") field=Field::Agency value=agency errors choices=agencies.clone() placeholder=Key::ChooseOne/>
        </Show>
        <Show when=move || role.get() == ActorRole::Coordinator.as_str()>
            <fieldset class="field">
                <legend>{move || field_label(lang.get(), Field::Areas)}</legend>
                <p class="hint">{move || tr(lang.get(), Key::AdminAreasHint)}</p>
                {served.iter().map(|a| {
                    let code = a.code.clone();
                    let toggled = code.clone();
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || areas.get().contains(&code)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    areas.update(|list| {
                                        list.retain(|c| c != &toggled);
                                        if on { list.push(toggled.clone()); }
                                    });
                                }/>
                            {a.name.clone()}
                        </label>
                    }
                }).collect_view()}
                <FieldErrorLine field=Field::Areas errors/>
            </fieldset>
        </Show>
    }
}

/// The role form as the fields hold it; whether an officer heads their agency is set in the
/// account editor only, once the officer exists.
fn role_form(role: RwSignal<String>, agency: RwSignal<String>, areas: RwSignal<Vec<String>>) -> RoleForm {
    RoleForm {
        role: role.get_untracked(),
        agency: agency.get_untracked(),
        areas: areas.get_untracked(),
        agency_head: false,
    }
}

#[component]
fn InviteForm(invite: ServerAction<InviteStaff>, catalogue: CatalogueView) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let role = RwSignal::new(ActorRole::Officer.as_str().to_string());
    let agency = RwSignal::new(String::new());
    let areas = RwSignal::new(Vec::<String>::new());
    let errors = RwSignal::new(Vec::<ValidationError>::new());
    let checked = catalogue.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form = InvitationForm {
            username: username.get_untracked(),
            display_name: display_name.get_untracked(),
            role: role_form(role, agency, areas),
        };
        let mut found = Vec::new();
        if let Err(reason) = Username::parse(&form.username) {
            found.push(ValidationError::new(Field::Username, reason));
        }
        if let Err(reason) = PersonName::parse(&form.display_name) {
            found.push(ValidationError::new(Field::DisplayName, reason));
        }
        found.extend(check_role(&form.role, &checked).err().unwrap_or_default());
        send_if_valid(errors, found, || {
            invite.dispatch(InviteStaff { form });
        });
    };
    let issued = move || match invite.value().get() {
        Some(Ok(password)) => Some(
            view! {
                <div class="issued" role="status">
                    <p>{move || t(Key::AdminPasswordShownOnce)}</p>
                    <code class="secret">{password}</code>
                </div>
            }
            .into_any(),
        ),
        Some(Err(AppError::Invalid(fields))) => {
            errors.set(fields.iter().map(|f| f.error).collect());
            None
        }
        Some(Err(error)) => {
            Some(view! { <p class="form-error" role="alert">{error_text(lang.get_untracked(), &error)}</p> }.into_any())
        }
        None => None,
    };
    view! {
        <h2>{move || t(Key::AdminInvite)}</h2>
        <form class="stack narrow" on:submit=on_submit novalidate>
            <TextField id="invite_username" field=Field::Username value=username errors/>
            <TextField id="invite_name" field=Field::DisplayName value=display_name errors/>
            <RoleFields prefix="invite" role agency areas errors catalogue/>
            <SubmitButton text=Key::AdminInvite busy=move || invite.pending().get()/>
            {issued}
        </form>
    }
}

#[component]
fn AccountEditor(account: Account, update: ServerAction<UpdateStaff>, catalogue: CatalogueView) -> impl IntoView {
    let lang = use_lang();
    let role = RwSignal::new(account.role.as_str().to_string());
    let agency = RwSignal::new(account.agency.clone().unwrap_or_default());
    let areas = RwSignal::new(account.areas.clone());
    let active = RwSignal::new(account.active);
    let agency_head = RwSignal::new(account.agency_head);
    let FormAnswers { errors, failure, .. } = FormAnswers::follow(Signal::derive(move || update.value().get()));
    let id = account.id;
    let checked = catalogue.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form = RoleForm { agency_head: agency_head.get_untracked(), ..role_form(role, agency, areas) };
        let found = check_role(&form, &checked).err().unwrap_or_default();
        send_if_valid(errors, found, || {
            update.dispatch(UpdateStaff { id, role: form, active: active.get_untracked() });
        });
    };
    let heading = format!("{} {}", tr(lang.get_untracked(), Key::AdminEdit), account.username);
    // The editor opens below a long list: bring it into view, where the admin's eyes go next.
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(form) = form_ref.get() {
            #[cfg(feature = "hydrate")]
            form.scroll_into_view();
            #[cfg(not(feature = "hydrate"))]
            let _ = form;
        }
    });
    view! {
        <form class="stack narrow editor" on:submit=on_submit novalidate aria-label=heading.clone() node_ref=form_ref>
            <h2>{heading.clone()}</h2>
            <RoleFields prefix="edit" role agency areas errors catalogue/>
            <Show when=move || role.get() == ActorRole::Officer.as_str()>
                <label class="check">
                    <input type="checkbox" aria-describedby="edit_agency_head_hint" prop:checked=move || agency_head.get()
                        on:change=move |ev| agency_head.set(event_target_checked(&ev))/>
                    {move || assign_tr(lang.get(), AssignKey::AgencyHead)}
                </label>
                <p class="hint" id="edit_agency_head_hint">{move || assign_tr(lang.get(), AssignKey::AgencyHeadHint)}</p>
            </Show>
            <CheckField value=active label=Key::AdminMaySignIn/>
            <SubmitButton text=Key::AdminSaveAccount busy=move || update.pending().get()/>
            <Outcome done=Signal::derive(|| false) failure done_text=Key::AdminSaved/>
        </form>
    }
}
