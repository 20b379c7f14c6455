//! The holidays page: the days off that deadlines skip.

use super::form_kit::{
    catalogue_resource, row_button, send_if_valid, unavailable_while, CatalogueTable, Column, FormAnswers, SaveForm,
    TextField,
};
use super::ConsolePage;
use crate::admin::{RemoveHoliday, SaveHoliday};
use crate::i18n::Key;
use domain::catalogue::{parse_holiday, HolidayForm};
use domain::deadline::Holiday;
use domain::validation::Field;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

const COLUMNS: &[Column] = &[Column::Field(Field::Date), Column::Field(Field::Name), Column::Blank];

#[component]
pub fn HolidaysPage() -> impl IntoView {
    let save = ServerAction::<SaveHoliday>::new();
    let remove = ServerAction::<RemoveHoliday>::new();
    let catalogue = catalogue_resource(move || save.version().get() + remove.version().get());
    let removing = unavailable_while(move || remove.pending().get());
    let date = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let answers = FormAnswers::follow(Signal::derive(move || save.value().get()));
    let errors = answers.errors;
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form = HolidayForm { date: date.get_untracked(), name: name.get_untracked() };
        let found = parse_holiday(&form).err().unwrap_or_default();
        send_if_valid(errors, found, || {
            save.dispatch(SaveHoliday { form });
        });
    };
    let row = move |holiday: Holiday| {
        let day = holiday.date.to_string();
        let removed = day.clone();
        let drop_holiday = move || {
            remove.dispatch(RemoveHoliday { date: removed.clone() });
        };
        view! {
            <tr>
                <td>{day.clone()}</td>
                <td>{holiday.name.clone()}</td>
                {row_button(Key::AdminRemove, &day, Some(removing), drop_holiday)}
            </tr>
        }
    };
    view! {
        <ConsolePage heading=Key::AdminHolidays intro=Key::AdminHolidaysIntro>
            <SaveForm on_submit answers submit=Key::AdminSaveHoliday busy=move || save.pending().get()>
                <TextField id="holiday_date" field=Field::Date value=date errors input_type="date"/>
                <TextField id="holiday_name" field=Field::Name value=name errors/>
            </SaveForm>
            <CatalogueTable catalogue columns=COLUMNS rows=move |catalogue| catalogue.holidays.into_iter().rev().map(row).collect_view()/>
        </ConsolePage>
    }
}
