//! The categories page: the kinds of problem citizens report, with their deadlines.

use super::form_kit::{
    catalogue_resource, row_button, send_if_valid, CatalogueTable, CheckField, Column, FormAnswers, SaveForm, TextField,
};
use super::{category_name, ConsolePage};
use crate::admin::SaveCategory;
use crate::i18n::Key;
use crate::lang::{use_lang, use_tr};
use domain::catalogue::{Category, CategoryForm};
use domain::validation::Field;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

const COLUMNS: &[Column] = &[
    Column::Field(Field::Code),
    Column::Field(Field::NameVi),
    Column::Field(Field::NameEn),
    Column::Field(Field::DeadlineDays),
    Column::Field(Field::ReminderDays),
    Column::Field(Field::LeaderDays),
    Column::Text(Key::Status),
    Column::Blank,
];

/// A step of a category's own ladder, or what its empty setting means: the province's.
fn escalation_days(lang: crate::i18n::Lang, days: Option<u16>) -> String {
    match days {
        Some(days) => days.to_string(),
        None => lang.pick("Theo tỉnh", "Province's").to_string(),
    }
}

#[component]
pub fn CategoriesPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let save = ServerAction::<SaveCategory>::new();
    let catalogue = catalogue_resource(move || save.version().get());
    let code = RwSignal::new(String::new());
    let name_vi = RwSignal::new(String::new());
    let name_en = RwSignal::new(String::new());
    let days = RwSignal::new(String::new());
    let reminder_days = RwSignal::new(String::new());
    let leader_days = RwSignal::new(String::new());
    let active = RwSignal::new(true);
    let answers = FormAnswers::follow(Signal::derive(move || save.value().get()));
    let errors = answers.errors;
    let edit = move |category: Category| {
        code.set(category.code);
        name_vi.set(category.name_vi);
        name_en.set(category.name_en);
        days.set(category.deadline_days.to_string());
        reminder_days.set(category.reminder_days_before.map(|d| d.to_string()).unwrap_or_default());
        leader_days.set(category.leader_days_after.map(|d| d.to_string()).unwrap_or_default());
        active.set(category.active);
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form = CategoryForm {
            code: code.get_untracked(),
            name_vi: name_vi.get_untracked(),
            name_en: name_en.get_untracked(),
            deadline_days: days.get_untracked(),
            active: active.get_untracked(),
            reminder_days_before: reminder_days.get_untracked(),
            leader_days_after: leader_days.get_untracked(),
        };
        let found = Category::parse(&form).err().unwrap_or_default();
        send_if_valid(errors, found, || {
            save.dispatch(SaveCategory { form });
        });
    };
    let row = move |category: Category| {
        let name = category_name(lang.get_untracked(), &category);
        let active = category.active;
        view! {
            <tr>
                <td>{category.code.clone()}</td>
                <td>{category.name_vi.clone()}</td>
                <td>{category.name_en.clone()}</td>
                <td>{category.deadline_days}</td>
                <td>{escalation_days(lang.get_untracked(), category.reminder_days_before)}</td>
                <td>{escalation_days(lang.get_untracked(), category.leader_days_after)}</td>
                <td>{move || t(if active { Key::AdminActive } else { Key::AdminInactive })}</td>
                {row_button(Key::AdminEdit, &name, None, move || edit(category.clone()))}
            </tr>
        }
    };
    view! {
        <ConsolePage heading=Key::AdminCategories intro=Key::AdminCategoriesIntro>
            <SaveForm on_submit answers submit=Key::AdminSaveCategory busy=move || save.pending().get()>
                <TextField id="category_code" field=Field::Code value=code errors/>
                <TextField id="category_name_vi" field=Field::NameVi value=name_vi errors/>
                <TextField id="category_name_en" field=Field::NameEn value=name_en errors/>
                <TextField id="category_days" field=Field::DeadlineDays value=days errors input_type="number"/>
                <TextField id="category_reminder_days" field=Field::ReminderDays value=reminder_days errors input_type="number"/>
                <TextField id="category_leader_days" field=Field::LeaderDays value=leader_days errors input_type="number"/>
                <CheckField value=active label=Key::AdminActive/>
            </SaveForm>
            <CatalogueTable catalogue columns=COLUMNS rows=move |catalogue| catalogue.categories.into_iter().map(row).collect_view()/>
        </ConsolePage>
    }
}
