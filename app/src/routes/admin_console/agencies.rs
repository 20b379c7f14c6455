//! The agencies page: the bodies that handle cases, and how to reach them.

use super::form_kit::{
    catalogue_resource, row_button, send_if_valid, CatalogueTable, CheckField, Column, FormAnswers, SaveForm,
    SelectField, TextField,
};
use super::ConsolePage;
use crate::admin::SaveAgency;
use crate::i18n::{agency_kind_label, Key};
use crate::lang::{use_lang, use_tr};
use domain::catalogue::{Agency, AgencyForm, AgencyKind};
use domain::validation::Field;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

const COLUMNS: &[Column] = &[
    Column::Field(Field::Code),
    Column::Field(Field::Name),
    Column::Field(Field::Kind),
    Column::Field(Field::Contact),
    Column::Text(Key::Status),
    Column::Blank,
];

#[component]
pub fn AgenciesPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let save = ServerAction::<SaveAgency>::new();
    let catalogue = catalogue_resource(move || save.version().get());
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(AgencyKind::Department.as_str().to_string());
    let contact = RwSignal::new(String::new());
    let active = RwSignal::new(true);
    let answers = FormAnswers::follow(Signal::derive(move || save.value().get()));
    let errors = answers.errors;
    let edit = move |agency: Agency| {
        code.set(agency.code);
        name.set(agency.name);
        kind.set(agency.kind.as_str().to_string());
        contact.set(agency.contact);
        active.set(agency.active);
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form = AgencyForm {
            code: code.get_untracked(),
            name: name.get_untracked(),
            kind: kind.get_untracked(),
            contact: contact.get_untracked(),
            active: active.get_untracked(),
        };
        let found = Agency::parse(&form).err().unwrap_or_default();
        send_if_valid(errors, found, || {
            save.dispatch(SaveAgency { form });
        });
    };
    let kinds = AgencyKind::ALL
        .into_iter()
        .map(|k| (k.as_str().to_string(), Signal::derive(move || agency_kind_label(lang.get(), k).to_string())))
        .collect::<Vec<_>>();
    let row = move |agency: Agency| {
        let agency_kind = agency.kind;
        let active = agency.active;
        let name = agency.name.clone();
        view! {
            <tr>
                <td>{agency.code.clone()}</td>
                <td>{agency.name.clone()}</td>
                <td>{move || agency_kind_label(lang.get(), agency_kind)}</td>
                <td>{agency.contact.clone()}</td>
                <td>{move || t(if active { Key::AdminActive } else { Key::AdminInactive })}</td>
                {row_button(Key::AdminEdit, &name, None, move || edit(agency.clone()))}
            </tr>
        }
    };
    view! {
        <ConsolePage heading=Key::AdminAgencies intro=Key::AdminAgenciesIntro>
            <SaveForm on_submit answers submit=Key::AdminSaveAgency busy=move || save.pending().get()>
                <TextField id="agency_code" field=Field::Code value=code errors/>
                <TextField id="agency_name" field=Field::Name value=name errors/>
                <SelectField id="agency_kind" field=Field::Kind value=kind errors choices=kinds/>
                <TextField id="agency_contact" field=Field::Contact value=contact errors/>
                <CheckField value=active label=Key::AdminActive/>
            </SaveForm>
            <CatalogueTable catalogue columns=COLUMNS rows=move |catalogue| catalogue.agencies.into_iter().map(row).collect_view()/>
        </ConsolePage>
    }
}
