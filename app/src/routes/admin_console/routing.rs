//! The routing page: which agency handles which category of case in which area.

use super::form_kit::{
    catalogue_resource, loading, name_of, named, row_button, send_if_valid, unavailable_while, Column, ConsoleTable,
    FormAnswers, SaveForm, SelectField,
};
use super::{category_name, ConsolePage};
use crate::admin::{CatalogueView, RemoveRoute, SaveRoute};
use crate::i18n::Key;
use crate::lang::use_lang;
use domain::validation::{Field, Reason, ValidationError};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

const COLUMNS: &[Column] =
    &[Column::Field(Field::Category), Column::Field(Field::Area), Column::Field(Field::Agency), Column::Blank];

#[component]
pub fn RoutesPage() -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveRoute>::new();
    let remove = ServerAction::<RemoveRoute>::new();
    let catalogue = catalogue_resource(move || save.version().get() + remove.version().get());
    let removing = unavailable_while(move || remove.pending().get());
    let category = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let agency = RwSignal::new(String::new());
    let answers = FormAnswers::follow(Signal::derive(move || save.value().get()));
    let errors = answers.errors;
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let missing = [(Field::Category, category), (Field::Area, area), (Field::Agency, agency)]
            .into_iter()
            .filter(|(_, value)| value.get_untracked().is_empty())
            .map(|(field, _)| ValidationError::new(field, Reason::Required))
            .collect();
        send_if_valid(errors, missing, || {
            save.dispatch(SaveRoute {
                category: category.get_untracked(),
                area: area.get_untracked(),
                agency: agency.get_untracked(),
            });
        });
    };
    let page = move |catalogue: CatalogueView| {
        let CatalogueView { categories, agencies, areas, routes, .. } = catalogue;
        let category_names: Vec<(String, String)> =
            categories.iter().map(|c| (c.code.clone(), category_name(lang.get_untracked(), c))).collect();
        let area_names: Vec<(String, String)> = areas.iter().map(|a| (a.code.clone(), a.name.clone())).collect();
        let agency_names: Vec<(String, String)> = agencies.iter().map(|a| (a.code.clone(), a.name.clone())).collect();
        let category_choices = categories
            .into_iter()
            .filter(|c| c.active)
            .map(|c| (c.code.clone(), Signal::derive(move || category_name(lang.get(), &c))))
            .collect::<Vec<_>>();
        let area_choices = area_names.iter().map(|(code, name)| named(code, name)).collect::<Vec<_>>();
        let agency_choices = agencies.iter().filter(|a| a.active).map(|a| named(&a.code, &a.name)).collect::<Vec<_>>();
        let rows = routes
            .into_iter()
            .map(|route| {
                let category_text = name_of(&category_names, &route.category);
                let area_text = name_of(&area_names, &route.area);
                let agency_text = name_of(&agency_names, &route.agency);
                let row_name = format!("{category_text} · {area_text}");
                let drop_route = move || {
                    remove.dispatch(RemoveRoute { category: route.category.clone(), area: route.area.clone() });
                };
                view! {
                    <tr>
                        <td>{category_text}</td>
                        <td>{area_text}</td>
                        <td>{agency_text}</td>
                        {row_button(Key::AdminRemove, &row_name, Some(removing), drop_route)}
                    </tr>
                }
            })
            .collect_view();
        view! {
            <SaveForm on_submit answers submit=Key::AdminSaveRoute busy=move || save.pending().get()>
                <SelectField id="route_category" field=Field::Category value=category errors choices=category_choices placeholder=Key::ChooseOne/>
                <SelectField id="route_area" field=Field::Area value=area errors choices=area_choices placeholder=Key::ChooseOne/>
                <SelectField id="route_agency" field=Field::Agency value=agency errors choices=agency_choices placeholder=Key::ChooseOne/>
            </SaveForm>
            <ConsoleTable columns=COLUMNS>{rows}</ConsoleTable>
        }
    };
    view! {
        <ConsolePage heading=Key::AdminRoutes intro=Key::AdminRoutesIntro>
            <Transition fallback=loading>
                {move || Suspend::new(async move { catalogue.await.map(page) })}
            </Transition>
        </ConsolePage>
    }
}
