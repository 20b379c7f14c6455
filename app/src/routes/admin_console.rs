//! The admin console's pages: categories, agencies, areas, routing, holidays, staff accounts and the change log.

use crate::admin::{
    admin_catalogue, catalogue_log, check_role, staff_accounts, CatalogueView, ImportAreas, InviteStaff, RemoveHoliday,
    RemoveRoute, SaveAgency, SaveCategory, SaveHoliday, SaveRoute, SetAreaActive, UpdateStaff,
};
use crate::components::field_error::{error_id, has_error, FieldErrorLine};
use crate::components::map::{AreaOutline, AreaOutlines, MapView};
use crate::core::account::{Account, InvitationForm, RoleForm, ASSIGNABLE_ROLES};
#[cfg(feature = "hydrate")]
use crate::core::area_import::{check_file_size, parse_area_file};
use crate::core::case::ActorRole;
use crate::core::catalogue::{Agency, AgencyForm, AgencyKind, Category, CategoryForm, HolidayForm};
use crate::core::validation::{Field, ValidationError};
use crate::error::AppError;
use crate::i18n::{agency_kind_label, entity_label, field_label, import_problem_message, role_label, Key, Lang};
use crate::lang::{use_lang, use_tr};
use crate::routes::case_page::local_time;
use crate::session::{error_text, use_hydrated};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;

/// The field errors of a refused request, to show beside the fields.
fn field_errors(error: &AppError) -> Vec<ValidationError> {
    match error {
        AppError::Invalid(fields) => fields.iter().map(|f| f.error).collect(),
        _ => Vec::new(),
    }
}

fn category_name(lang: Lang, category: &Category) -> String {
    match lang {
        Lang::Vi => category.name_vi.clone(),
        Lang::En => category.name_en.clone(),
    }
}

/// The console's own navigation, on every admin page.
#[component]
fn AdminTabs() -> impl IntoView {
    let t = use_tr();
    let tabs = [
        ("/admin/categories", Key::AdminCategories),
        ("/admin/agencies", Key::AdminAgencies),
        ("/admin/areas", Key::AdminAreas),
        ("/admin/routes", Key::AdminRoutes),
        ("/admin/holidays", Key::AdminHolidays),
        ("/admin/staff", Key::AdminStaff),
        ("/admin/changes", Key::AdminChanges),
        ("/admin/api-keys", Key::NavApiKeys),
    ];
    // The router's `A` marks the current page with aria-current, for the eye and for screen readers.
    view! {
        <nav class="admin-tabs" aria-label=move || t(Key::AdminConsole)>
            {tabs.into_iter().map(|(href, key)| view! { <A href=href>{move || t(key)}</A> }).collect_view()}
        </nav>
    }
}

/// A form's field errors and its other failure, following the answers of the form's action.
#[derive(Clone, Copy)]
struct FormAnswers {
    errors: RwSignal<Vec<ValidationError>>,
    failure: RwSignal<Option<AppError>>,
    /// The latest answer was a success.
    done: Signal<bool>,
}

impl FormAnswers {
    fn follow(answer: Signal<Option<Result<(), AppError>>>) -> Self {
        let errors = RwSignal::new(Vec::new());
        let failure = RwSignal::new(None);
        Effect::new(move |_| match answer.get() {
            Some(Ok(())) => {
                errors.set(Vec::new());
                failure.set(None);
            }
            Some(Err(error)) => {
                errors.set(field_errors(&error));
                failure.set((!matches!(error, AppError::Invalid(_))).then_some(error));
            }
            None => {}
        });
        Self { errors, failure, done: Signal::derive(move || matches!(answer.get(), Some(Ok(())))) }
    }
}

/// A request's outcome under a form: a confirmation, or what went wrong when no field is to blame.
#[component]
fn Outcome(
    #[prop(into)] done: Signal<bool>,
    #[prop(into)] failure: Signal<Option<AppError>>,
    /// The confirmation shown after success.
    done_text: Key,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    move || {
        if let Some(error) = failure.get() {
            Some(view! { <p class="form-error" role="alert">{error_text(lang.get(), &error)}</p> }.into_any())
        } else if done.get() {
            Some(view! { <p class="done" role="status">{move || t(done_text)}</p> }.into_any())
        } else {
            None
        }
    }
}

/// Loads the catalogue again whenever `version` changes.
fn catalogue_resource(
    version: impl Fn() -> usize + Send + Sync + 'static,
) -> Resource<Result<CatalogueView, AppError>> {
    Resource::new(version, |_| admin_catalogue())
}

/// A text input with its label and error line.
#[component]
fn TextField(
    id: &'static str,
    field: Field,
    value: RwSignal<String>,
    errors: RwSignal<Vec<ValidationError>>,
    #[prop(optional)] input_type: Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="field">
            <label for=id>{move || field_label(lang.get(), field)}</label>
            <input id=id type=input_type.unwrap_or("text") prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=has_error(errors, field) aria-describedby=error_id(field)/>
            <FieldErrorLine field errors/>
        </div>
    }
}

#[component]
pub fn CategoriesPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let hydrated = use_hydrated();
    let save = ServerAction::<SaveCategory>::new();
    let catalogue = catalogue_resource(move || save.version().get());
    let code = RwSignal::new(String::new());
    let name_vi = RwSignal::new(String::new());
    let name_en = RwSignal::new(String::new());
    let days = RwSignal::new(String::new());
    let active = RwSignal::new(true);
    let FormAnswers { errors, failure, done } = FormAnswers::follow(Signal::derive(move || save.value().get()));
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
        match Category::parse(&form) {
            Ok(_) => {
                errors.set(Vec::new());
                save.dispatch(SaveCategory { form });
            }
            Err(found) => errors.set(found),
        }
    };
    view! {
        <section>
            <AdminTabs/>
            <h1>{move || t(Key::AdminCategories)}</h1>
            <p>{move || t(Key::AdminCategoriesIntro)}</p>
            <form class="stack narrow" on:submit=on_submit novalidate>
                <TextField id="category_code" field=Field::Code value=code errors/>
                <TextField id="category_name_vi" field=Field::NameVi value=name_vi errors/>
                <TextField id="category_name_en" field=Field::NameEn value=name_en errors/>
                <TextField id="category_days" field=Field::DeadlineDays value=days errors input_type="number"/>
                <label class="check">
                    <input type="checkbox" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev))/>
                    {move || t(Key::AdminActive)}
                </label>
                <button type="submit" class="primary" disabled=move || !hydrated.get() || save.pending().get()>{move || t(Key::AdminSaveCategory)}</button>
                <Outcome done failure done_text=Key::AdminSaved/>
            </form>
            <Transition fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    catalogue.await.map(|catalogue| view! {
                        <table class="queue-table">
                            <thead><tr>
                                <th>{move || field_label(lang.get(), Field::Code)}</th>
                                <th>{move || field_label(lang.get(), Field::NameVi)}</th>
                                <th>{move || field_label(lang.get(), Field::NameEn)}</th>
                                <th>{move || field_label(lang.get(), Field::DeadlineDays)}</th>
                                <th>{move || t(Key::Status)}</th>
                                <th></th>
                            </tr></thead>
                            <tbody>
                                {catalogue.categories.into_iter().map(|category| {
                                    let label = format!("{} {}", t(Key::AdminEdit), category_name(lang.get_untracked(), &category));
                                    let row = category.clone();
                                    view! {
                                        <tr>
                                            <td>{category.code.clone()}</td>
                                            <td>{category.name_vi.clone()}</td>
                                            <td>{category.name_en.clone()}</td>
                                            <td>{category.deadline_days}</td>
                                            <td>{move || t(if category.active { Key::AdminActive } else { Key::AdminInactive })}</td>
                                            <td><button type="button" aria-label=label on:click=move |_| edit(row.clone())>{move || t(Key::AdminEdit)}</button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    })
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn AgenciesPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let hydrated = use_hydrated();
    let save = ServerAction::<SaveAgency>::new();
    let catalogue = catalogue_resource(move || save.version().get());
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(AgencyKind::Department.as_str().to_string());
    let contact = RwSignal::new(String::new());
    let active = RwSignal::new(true);
    let FormAnswers { errors, failure, done } = FormAnswers::follow(Signal::derive(move || save.value().get()));
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
        match Agency::parse(&form) {
            Ok(_) => {
                errors.set(Vec::new());
                save.dispatch(SaveAgency { form });
            }
            Err(found) => errors.set(found),
        }
    };
    view! {
        <section>
            <AdminTabs/>
            <h1>{move || t(Key::AdminAgencies)}</h1>
            <p>{move || t(Key::AdminAgenciesIntro)}</p>
            <form class="stack narrow" on:submit=on_submit novalidate>
                <TextField id="agency_code" field=Field::Code value=code errors/>
                <TextField id="agency_name" field=Field::Name value=name errors/>
                <div class="field">
                    <label for="agency_kind">{move || field_label(lang.get(), Field::Kind)}</label>
                    <select id="agency_kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                        {AgencyKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=move || kind.get() == k.as_str()>{move || agency_kind_label(lang.get(), k)}</option>
                        }).collect_view()}
                    </select>
                    <FieldErrorLine field=Field::Kind errors/>
                </div>
                <TextField id="agency_contact" field=Field::Contact value=contact errors/>
                <label class="check">
                    <input type="checkbox" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev))/>
                    {move || t(Key::AdminActive)}
                </label>
                <button type="submit" class="primary" disabled=move || !hydrated.get() || save.pending().get()>{move || t(Key::AdminSaveAgency)}</button>
                <Outcome done failure done_text=Key::AdminSaved/>
            </form>
            <Transition fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    catalogue.await.map(|catalogue| view! {
                        <table class="queue-table">
                            <thead><tr>
                                <th>{move || field_label(lang.get(), Field::Code)}</th>
                                <th>{move || field_label(lang.get(), Field::Name)}</th>
                                <th>{move || field_label(lang.get(), Field::Kind)}</th>
                                <th>{move || field_label(lang.get(), Field::Contact)}</th>
                                <th>{move || t(Key::Status)}</th>
                                <th></th>
                            </tr></thead>
                            <tbody>
                                {catalogue.agencies.into_iter().map(|agency| {
                                    let label = format!("{} {}", t(Key::AdminEdit), agency.name);
                                    let row = agency.clone();
                                    let agency_kind = agency.kind;
                                    view! {
                                        <tr>
                                            <td>{agency.code.clone()}</td>
                                            <td>{agency.name.clone()}</td>
                                            <td>{move || agency_kind_label(lang.get(), agency_kind)}</td>
                                            <td>{agency.contact.clone()}</td>
                                            <td>{move || t(if agency.active { Key::AdminActive } else { Key::AdminInactive })}</td>
                                            <td><button type="button" aria-label=label on:click=move |_| edit(row.clone())>{move || t(Key::AdminEdit)}</button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    })
                })}
            </Transition>
        </section>
    }
}

/// The text of the file chosen in the import form, read in the browser; `None` when no file is
/// chosen, and the message naming the problem when it is too large or unreadable.
#[cfg(feature = "hydrate")]
async fn read_chosen_file(input: web_sys::HtmlInputElement, lang: Lang) -> Result<Option<String>, String> {
    let Some(file) = input.files().and_then(|files| files.get(0)) else { return Ok(None) };
    check_file_size(file.size() as u64).map_err(|problem| import_problem_message(lang, &problem))?;
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|_| crate::i18n::tr(lang, Key::ActionFailed).to_string())?;
    Ok(Some(text.as_string().unwrap_or_default()))
}

#[component]
pub fn AreasPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let hydrated = use_hydrated();
    let import = ServerAction::<ImportAreas>::new();
    let toggle = ServerAction::<SetAreaActive>::new();
    let catalogue = catalogue_resource(move || import.version().get() + toggle.version().get());
    let file_input = NodeRef::<leptos::html::Input>::new();
    // Problems found in the browser before anything is sent, already in the user's language.
    let local_problems = RwSignal::new(Vec::<String>::new());
    let reading = RwSignal::new(false);
    let outlines = RwSignal::new(Vec::<AreaOutline>::new());
    Effect::new(move |_| {
        if let Some(Ok(catalogue)) = catalogue.get() {
            outlines.set(
                catalogue
                    .areas
                    .into_iter()
                    .map(|a| AreaOutline { name: a.name, active: a.active, polygons: a.shape.polygons })
                    .collect(),
            );
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        local_problems.set(Vec::new());
        #[cfg(feature = "hydrate")]
        {
            let Some(input) = file_input.get_untracked() else { return };
            reading.set(true);
            leptos::task::spawn_local(async move {
                let lang = lang.get_untracked();
                match read_chosen_file(input, lang).await {
                    Ok(Some(text)) => match parse_area_file(&text) {
                        Ok(_) => {
                            import.dispatch(ImportAreas { file: text });
                        }
                        Err(problems) => {
                            local_problems.set(problems.iter().map(|p| import_problem_message(lang, p)).collect())
                        }
                    },
                    Ok(None) => local_problems.set(vec![crate::i18n::tr(lang, Key::AdminChooseFile).to_string()]),
                    Err(message) => local_problems.set(vec![message]),
                }
                reading.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (file_input, reading);
    };
    let server_outcome = move || {
        match import.value().get() {
        Some(Ok(codes)) => Some(
            view! { <p class="done" role="status">{move || t(Key::AdminImported)} " " {codes.join(", ")}</p> }.into_any(),
        ),
        Some(Err(AppError::AreaImport(problems))) => Some(
            view! {
                <ul class="form-error" role="alert">
                    {problems.iter().map(|p| view! { <li>{import_problem_message(lang.get_untracked(), p)}</li> }).collect_view()}
                </ul>
            }
            .into_any(),
        ),
        Some(Err(error)) => {
            Some(view! { <p class="form-error" role="alert">{error_text(lang.get_untracked(), &error)}</p> }.into_any())
        }
        None => None,
    }
    };
    view! {
        <section>
            <AdminTabs/>
            <h1>{move || t(Key::AdminAreas)}</h1>
            <p>{move || t(Key::AdminAreasIntro)}</p>
            <form class="stack narrow" on:submit=on_submit novalidate>
                <div class="field">
                    <label for="area_file">{move || t(Key::AdminAreaFile)}</label>
                    <input id="area_file" type="file" accept=".geojson,.json,application/geo+json,application/json" node_ref=file_input
                        aria-describedby=error_id(Field::File)/>
                    <p class="hint">{move || t(Key::AdminAreaFileHint)}</p>
                </div>
                <button type="submit" class="primary" disabled=move || !hydrated.get() || reading.get() || import.pending().get()>{move || t(Key::AdminImportAreas)}</button>
                {move || (!local_problems.get().is_empty()).then(|| view! {
                    <ul class="form-error" role="alert" id=error_id(Field::File)>
                        {local_problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                    </ul>
                })}
                {server_outcome}
            </form>
            <MapView label=Signal::derive(move || t(Key::AdminAreasMap).to_string()) zoom=9.0>
                <AreaOutlines outlines=outlines/>
            </MapView>
            <Transition fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    catalogue.await.map(|catalogue| view! {
                        <table class="queue-table">
                            <thead><tr>
                                <th>{move || field_label(lang.get(), Field::Code)}</th>
                                <th>{move || field_label(lang.get(), Field::Name)}</th>
                                <th>{move || t(Key::AdminPolygons)}</th>
                                <th>{move || t(Key::Status)}</th>
                                <th></th>
                            </tr></thead>
                            <tbody>
                                {catalogue.areas.into_iter().map(|area| {
                                    let active = area.active;
                                    let action = if active { Key::AdminDeactivate } else { Key::AdminActivate };
                                    let label = format!("{} {}", t(action), area.name);
                                    let code = area.code.clone();
                                    view! {
                                        <tr>
                                            <td>{area.code.clone()}</td>
                                            <td>{area.name.clone()}</td>
                                            <td>{area.shape.polygons.len()}</td>
                                            <td>{move || t(if active { Key::AdminActive } else { Key::AdminInactive })}</td>
                                            <td><button type="button" aria-label=label disabled=move || !hydrated.get() || toggle.pending().get()
                                                on:click=move |_| { toggle.dispatch(SetAreaActive { code: code.clone(), active: !active }); }>
                                                {move || t(action)}
                                            </button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    })
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn RoutesPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let hydrated = use_hydrated();
    let save = ServerAction::<SaveRoute>::new();
    let remove = ServerAction::<RemoveRoute>::new();
    let catalogue = catalogue_resource(move || save.version().get() + remove.version().get());
    let category = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let agency = RwSignal::new(String::new());
    let FormAnswers { errors, failure, done } = FormAnswers::follow(Signal::derive(move || save.value().get()));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let missing: Vec<ValidationError> = [(Field::Category, category), (Field::Area, area), (Field::Agency, agency)]
            .into_iter()
            .filter(|(_, value)| value.get_untracked().is_empty())
            .map(|(field, _)| ValidationError::new(field, crate::core::validation::Reason::Required))
            .collect();
        errors.set(missing.clone());
        if missing.is_empty() {
            save.dispatch(SaveRoute {
                category: category.get_untracked(),
                area: area.get_untracked(),
                agency: agency.get_untracked(),
            });
        }
    };
    view! {
        <section>
            <AdminTabs/>
            <h1>{move || t(Key::AdminRoutes)}</h1>
            <p>{move || t(Key::AdminRoutesIntro)}</p>
            <Transition fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    catalogue.await.map(|catalogue| {
                        let CatalogueView { categories, agencies, areas, routes, .. } = catalogue;
                        let name_of_category = {
                            let categories = categories.clone();
                            move |code: &str| categories.iter().find(|c| c.code == code).map(|c| category_name(lang.get_untracked(), c)).unwrap_or_else(|| code.to_string())
                        };
                        let name_of_area = {
                            let areas = areas.clone();
                            move |code: &str| areas.iter().find(|a| a.code == code).map(|a| a.name.clone()).unwrap_or_else(|| code.to_string())
                        };
                        let name_of_agency = {
                            let agencies = agencies.clone();
                            move |code: &str| agencies.iter().find(|a| a.code == code).map(|a| a.name.clone()).unwrap_or_else(|| code.to_string())
                        };
                        view! {
                            <form class="stack narrow" on:submit=on_submit novalidate>
                                <div class="field">
                                    <label for="route_category">{move || field_label(lang.get(), Field::Category)}</label>
                                    <select id="route_category" on:change=move |ev| category.set(event_target_value(&ev)) aria-describedby=error_id(Field::Category)>
                                        <option value="">{move || t(Key::ChooseOne)}</option>
                                        {categories.iter().filter(|c| c.active).map(|c| view! { <option value=c.code.clone()>{category_name(lang.get_untracked(), c)}</option> }).collect_view()}
                                    </select>
                                    <FieldErrorLine field=Field::Category errors/>
                                </div>
                                <div class="field">
                                    <label for="route_area">{move || field_label(lang.get(), Field::Area)}</label>
                                    <select id="route_area" on:change=move |ev| area.set(event_target_value(&ev)) aria-describedby=error_id(Field::Area)>
                                        <option value="">{move || t(Key::ChooseOne)}</option>
                                        {areas.iter().map(|a| view! { <option value=a.code.clone()>{a.name.clone()}</option> }).collect_view()}
                                    </select>
                                    <FieldErrorLine field=Field::Area errors/>
                                </div>
                                <div class="field">
                                    <label for="route_agency">{move || field_label(lang.get(), Field::Agency)}</label>
                                    <select id="route_agency" on:change=move |ev| agency.set(event_target_value(&ev)) aria-describedby=error_id(Field::Agency)>
                                        <option value="">{move || t(Key::ChooseOne)}</option>
                                        {agencies.iter().filter(|a| a.active).map(|a| view! { <option value=a.code.clone()>{a.name.clone()}</option> }).collect_view()}
                                    </select>
                                    <FieldErrorLine field=Field::Agency errors/>
                                </div>
                                <button type="submit" class="primary" disabled=move || !hydrated.get() || save.pending().get()>{move || t(Key::AdminSaveRoute)}</button>
                                <Outcome done failure done_text=Key::AdminSaved/>
                            </form>
                            <table class="queue-table">
                                <thead><tr>
                                    <th>{move || field_label(lang.get(), Field::Category)}</th>
                                    <th>{move || field_label(lang.get(), Field::Area)}</th>
                                    <th>{move || field_label(lang.get(), Field::Agency)}</th>
                                    <th></th>
                                </tr></thead>
                                <tbody>
                                    {routes.into_iter().map(|route| {
                                        let (category_text, area_text) = (name_of_category(&route.category), name_of_area(&route.area));
                                        let label = format!("{} {} · {}", t(Key::AdminRemove), category_text, area_text);
                                        view! {
                                            <tr>
                                                <td>{category_text}</td>
                                                <td>{area_text}</td>
                                                <td>{name_of_agency(&route.agency)}</td>
                                                <td><button type="button" aria-label=label disabled=move || !hydrated.get() || remove.pending().get()
                                                    on:click=move |_| { remove.dispatch(RemoveRoute { category: route.category.clone(), area: route.area.clone() }); }>
                                                    {move || t(Key::AdminRemove)}
                                                </button></td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }
                    })
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn HolidaysPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let hydrated = use_hydrated();
    let save = ServerAction::<SaveHoliday>::new();
    let remove = ServerAction::<RemoveHoliday>::new();
    let catalogue = catalogue_resource(move || save.version().get() + remove.version().get());
    let date = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let FormAnswers { errors, failure, done } = FormAnswers::follow(Signal::derive(move || save.value().get()));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form = HolidayForm { date: date.get_untracked(), name: name.get_untracked() };
        match crate::core::catalogue::parse_holiday(&form) {
            Ok(_) => {
                errors.set(Vec::new());
                save.dispatch(SaveHoliday { form });
            }
            Err(found) => errors.set(found),
        }
    };
    view! {
        <section>
            <AdminTabs/>
            <h1>{move || t(Key::AdminHolidays)}</h1>
            <p>{move || t(Key::AdminHolidaysIntro)}</p>
            <form class="stack narrow" on:submit=on_submit novalidate>
                <TextField id="holiday_date" field=Field::Date value=date errors input_type="date"/>
                <TextField id="holiday_name" field=Field::Name value=name errors/>
                <button type="submit" class="primary" disabled=move || !hydrated.get() || save.pending().get()>{move || t(Key::AdminSaveHoliday)}</button>
                <Outcome done failure done_text=Key::AdminSaved/>
            </form>
            <Transition fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    catalogue.await.map(|catalogue| view! {
                        <table class="queue-table">
                            <thead><tr>
                                <th>{move || field_label(lang.get(), Field::Date)}</th>
                                <th>{move || field_label(lang.get(), Field::Name)}</th>
                                <th></th>
                            </tr></thead>
                            <tbody>
                                {catalogue.holidays.into_iter().rev().map(|holiday| {
                                    let day = holiday.date.to_string();
                                    let label = format!("{} {}", t(Key::AdminRemove), day);
                                    view! {
                                        <tr>
                                            <td>{day.clone()}</td>
                                            <td>{holiday.name.clone()}</td>
                                            <td><button type="button" aria-label=label disabled=move || !hydrated.get() || remove.pending().get()
                                                on:click=move |_| { remove.dispatch(RemoveHoliday { date: day.clone() }); }>
                                                {move || t(Key::AdminRemove)}
                                            </button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    })
                })}
            </Transition>
        </section>
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
    let role_id = format!("{prefix}_role");
    let agency_id = format!("{prefix}_agency");
    let agencies = catalogue.agencies.into_iter().filter(|a| a.active).collect::<Vec<_>>();
    let served = catalogue.areas.into_iter().filter(|a| a.active).collect::<Vec<_>>();
    view! {
        <div class="field">
            <label for=role_id.clone()>{move || field_label(lang.get(), Field::Role)}</label>
            <select id=role_id prop:value=move || role.get() on:change=move |ev| role.set(event_target_value(&ev)) aria-describedby=error_id(Field::Role)>
                {ASSIGNABLE_ROLES.into_iter().map(|r| view! {
                    <option value=r.as_str() selected=move || role.get() == r.as_str()>{move || role_label(lang.get(), r)}</option>
                }).collect_view()}
            </select>
            <FieldErrorLine field=Field::Role errors/>
        </div>
        <Show when=move || role.get() == ActorRole::Officer.as_str()>
            <div class="field">
                <label for=agency_id.clone()>{move || field_label(lang.get(), Field::Agency)}</label>
                <select id=agency_id.clone() prop:value=move || agency.get() on:change=move |ev| agency.set(event_target_value(&ev)) aria-describedby=error_id(Field::Agency)>
                    <option value="">{move || crate::i18n::tr(lang.get(), Key::ChooseOne)}</option>
                    {agencies.iter().map(|a| {
                        let code = a.code.clone();
                        view! { <option value=a.code.clone() selected=move || agency.get() == code>{a.name.clone()}</option> }
                    }).collect_view()}
                </select>
                <FieldErrorLine field=Field::Agency errors/>
            </div>
        </Show>
        <Show when=move || role.get() == ActorRole::Coordinator.as_str()>
            <fieldset class="field">
                <legend>{move || field_label(lang.get(), Field::Areas)}</legend>
                <p class="hint">{move || crate::i18n::tr(lang.get(), Key::AdminAreasHint)}</p>
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

fn role_form(role: RwSignal<String>, agency: RwSignal<String>, areas: RwSignal<Vec<String>>) -> RoleForm {
    RoleForm { role: role.get_untracked(), agency: agency.get_untracked(), areas: areas.get_untracked() }
}

#[component]
pub fn StaffPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let invite = ServerAction::<InviteStaff>::new();
    let update = ServerAction::<UpdateStaff>::new();
    let accounts = Resource::new(move || (invite.version().get(), update.version().get()), |_| staff_accounts());
    let catalogue = catalogue_resource(|| 0);
    let editing = RwSignal::new(None::<Account>);
    Effect::new(move |_| {
        if let Some(Ok(())) = update.value().get() {
            editing.set(None);
        }
    });
    view! {
        <section>
            <AdminTabs/>
            <h1>{move || t(Key::AdminStaff)}</h1>
            <p>{move || t(Key::AdminStaffIntro)}</p>
            <Transition fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let catalogue = catalogue.await?;
                    let list = accounts.await?;
                    let agency_names: Vec<(String, String)> = catalogue.agencies.iter().map(|a| (a.code.clone(), a.name.clone())).collect();
                    let area_names: Vec<(String, String)> = catalogue.areas.iter().map(|a| (a.code.clone(), a.name.clone())).collect();
                    let editor_catalogue = catalogue.clone();
                    Ok::<_, AppError>(view! {
                        <InviteForm invite catalogue=catalogue.clone()/>
                        <h2>{move || t(Key::AdminStaffList)}</h2>
                        <table class="queue-table">
                            <thead><tr>
                                <th>{move || field_label(lang.get(), Field::Username)}</th>
                                <th>{move || field_label(lang.get(), Field::DisplayName)}</th>
                                <th>{move || field_label(lang.get(), Field::Role)}</th>
                                <th>{move || field_label(lang.get(), Field::Agency)}</th>
                                <th>{move || field_label(lang.get(), Field::Areas)}</th>
                                <th>{move || t(Key::Status)}</th>
                                <th></th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|account| {
                                    let role = account.role;
                                    let agency = account.agency.as_ref().map(|code| agency_names.iter().find(|(c, _)| c == code).map(|(_, n)| n.clone()).unwrap_or_else(|| code.clone())).unwrap_or_default();
                                    let active = account.active;
                                    let label = format!("{} {}", t(Key::AdminEdit), account.username);
                                    let row = account.clone();
                                    view! {
                                        <tr>
                                            <td>{account.username.clone()}</td>
                                            <td>{account.display_name.clone()}</td>
                                            <td>{move || role_label(lang.get(), role)}</td>
                                            <td>{agency}</td>
                                            <td>{account.areas.iter().map(|code| area_names.iter().find(|(c, _)| c == code).map_or_else(|| code.clone(), |(_, n)| n.clone())).collect::<Vec<_>>().join(", ")}</td>
                                            <td>{move || t(if active { Key::AdminActive } else { Key::AdminDeactivated })}</td>
                                            <td><button type="button" aria-label=label on:click=move |_| editing.set(Some(row.clone()))>{move || t(Key::AdminEdit)}</button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        {move || editing.get().map(|account| view! { <AccountEditor account update catalogue=editor_catalogue.clone()/> })}
                    })
                })}
            </Transition>
        </section>
    }
}

#[component]
fn InviteForm(invite: ServerAction<InviteStaff>, catalogue: CatalogueView) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let hydrated = use_hydrated();
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
        if let Err(reason) = crate::core::account::Username::parse(&form.username) {
            found.push(ValidationError::new(Field::Username, reason));
        }
        if let Err(reason) = crate::core::contact::PersonName::parse(&form.display_name) {
            found.push(ValidationError::new(Field::DisplayName, reason));
        }
        found.extend(check_role(&form.role, &checked).err().unwrap_or_default());
        errors.set(found.clone());
        if found.is_empty() {
            invite.dispatch(InviteStaff { form });
        }
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
            <button type="submit" class="primary" disabled=move || !hydrated.get() || invite.pending().get()>{move || t(Key::AdminInvite)}</button>
            {issued}
        </form>
    }
}

#[component]
fn AccountEditor(account: Account, update: ServerAction<UpdateStaff>, catalogue: CatalogueView) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let hydrated = use_hydrated();
    let role = RwSignal::new(account.role.as_str().to_string());
    let agency = RwSignal::new(account.agency.clone().unwrap_or_default());
    let areas = RwSignal::new(account.areas.clone());
    let active = RwSignal::new(account.active);
    let FormAnswers { errors, failure, .. } = FormAnswers::follow(Signal::derive(move || update.value().get()));
    let id = account.id;
    let checked = catalogue.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form = role_form(role, agency, areas);
        let found = check_role(&form, &checked).err().unwrap_or_default();
        errors.set(found.clone());
        if found.is_empty() {
            update.dispatch(UpdateStaff { id, role: form, active: active.get_untracked() });
        }
    };
    let heading = format!("{} {}", crate::i18n::tr(lang.get_untracked(), Key::AdminEdit), account.username);
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
            <label class="check">
                <input type="checkbox" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev))/>
                {move || t(Key::AdminMaySignIn)}
            </label>
            <button type="submit" class="primary" disabled=move || !hydrated.get() || update.pending().get()>{move || t(Key::AdminSaveAccount)}</button>
            <Outcome done=Signal::derive(|| false) failure done_text=Key::AdminSaved/>
        </form>
    }
}

/// A logged entry as the table shows it: boundaries run to megabytes, so long entries are cut.
fn shorten(entry: Option<&str>) -> String {
    const SHOWN: usize = 400;
    match entry {
        None => "—".to_string(),
        Some(text) if text.chars().count() > SHOWN => format!("{}…", text.chars().take(SHOWN).collect::<String>()),
        Some(text) => text.to_string(),
    }
}

#[component]
pub fn ChangesPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let before = RwSignal::new(None::<i64>);
    let changes = Resource::new(move || before.get(), catalogue_log);
    view! {
        <section>
            <AdminTabs/>
            <h1>{move || t(Key::AdminChanges)}</h1>
            <p>{move || t(Key::AdminChangesIntro)}</p>
            <Transition fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    changes.await.map(|list| {
                        let oldest = list.last().map(|c| c.id);
                        let full_page = list.len() == 100;
                        view! {
                            <table class="queue-table change-log">
                                <thead><tr>
                                    <th>{move || t(Key::When)}</th>
                                    <th>{move || t(Key::AdminWho)}</th>
                                    <th>{move || t(Key::AdminWhat)}</th>
                                    <th>{move || t(Key::AdminBefore)}</th>
                                    <th>{move || t(Key::AdminAfter)}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|change| {
                                        let entity = change.entity;
                                        view! {
                                            <tr>
                                                <td>{local_time(change.at)}</td>
                                                <td>{match change.actor.clone() {
                                                    Some(username) => username,
                                                    // Seeding and demo loading act as the system, not as a person.
                                                    None => role_label(lang.get_untracked(), ActorRole::System).to_string(),
                                                }}</td>
                                                <td>{move || entity_label(lang.get(), entity)} " " <strong>{change.key.clone()}</strong></td>
                                                <td><code>{shorten(change.before.as_deref())}</code></td>
                                                <td><code>{shorten(change.after.as_deref())}</code></td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {(full_page).then(|| view! {
                                <button type="button" on:click=move |_| before.set(oldest)>{move || t(Key::AdminOlder)}</button>
                            })}
                        }
                    })
                })}
            </Transition>
        </section>
    }
}
