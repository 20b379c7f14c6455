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
    Column::Text(Key::Status),
    Column::Blank,
];

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
    let active = RwSignal::new(true);
    let answers = FormAnswers::follow(Signal::derive(move || save.value().get()));
    let errors = answers.errors;
    let edit = move |category: Category| {
        code.set(category.code);
        name_vi.set(category.name_vi);
        name_en.set(category.name_en);
        days.set(category.deadline_days.to_string());
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
                <CheckField value=active label=Key::AdminActive/>
            </SaveForm>
            <CatalogueTable catalogue columns=COLUMNS rows=move |catalogue| catalogue.categories.into_iter().map(row).collect_view()/>
        </ConsolePage>
    }
}
