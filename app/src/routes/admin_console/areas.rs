//! The areas page: served areas imported from a boundary file, shown on the map, switched on and off.

use super::form_kit::{catalogue_resource, row_button, unavailable_while, CatalogueTable, Column, SubmitButton};
use super::ConsolePage;
use crate::admin::{ImportAreas, SetAreaActive};
use crate::components::field_error::error_id;
use crate::components::map::{AreaOutline, AreaOutlines, MapView};
use crate::error::AppError;
#[cfg(feature = "hydrate")]
use crate::i18n::Lang;
use crate::i18n::{import_problem_message, Key};
use crate::lang::{use_lang, use_tr};
use crate::session::error_text;
#[cfg(feature = "hydrate")]
use domain::area_import::{check_file_size, parse_area_file};
use domain::geo::Area;
use domain::validation::Field;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

const COLUMNS: &[Column] = &[
    Column::Field(Field::Code),
    Column::Field(Field::Name),
    Column::Text(Key::AdminPolygons),
    Column::Text(Key::Status),
    Column::Blank,
];

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
    let import = ServerAction::<ImportAreas>::new();
    let toggle = ServerAction::<SetAreaActive>::new();
    let catalogue = catalogue_resource(move || import.version().get() + toggle.version().get());
    let file_input = NodeRef::<leptos::html::Input>::new();
    // Problems found in the browser before anything is sent, already in the user's language.
    let local_problems = RwSignal::new(Vec::<String>::new());
    let reading = RwSignal::new(false);
    let toggling = unavailable_while(move || toggle.pending().get());
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
        Some(Err(AppError::AreaImport(details))) => Some(match details.read() {
            Some(problems) => view! {
                <ul class="form-error" role="alert">
                    {problems.iter().map(|p| view! { <li>{import_problem_message(lang.get_untracked(), p)}</li> }).collect_view()}
                </ul>
            }
            .into_any(),
            None => view! { <p class="form-error" role="alert">{move || t(Key::ActionFailed)}</p> }.into_any(),
        }),
        Some(Err(error)) => {
            Some(view! { <p class="form-error" role="alert">{error_text(lang.get_untracked(), &error)}</p> }.into_any())
        }
        None => None,
    }
    };
    let row = move |area: Area| {
        let active = area.active;
        let action = if active { Key::AdminDeactivate } else { Key::AdminActivate };
        let code = area.code.clone();
        let switch = move || {
            toggle.dispatch(SetAreaActive { code: code.clone(), active: !active });
        };
        view! {
            <tr>
                <td>{area.code.clone()}</td>
                <td>{area.name.clone()}</td>
                <td>{area.shape.polygons.len()}</td>
                <td>{move || t(if active { Key::AdminActive } else { Key::AdminInactive })}</td>
                {row_button(action, &area.name, Some(toggling), switch)}
            </tr>
        }
    };
    view! {
        <ConsolePage heading=Key::AdminAreas intro=Key::AdminAreasIntro>
            <form class="stack narrow" on:submit=on_submit novalidate>
                <div class="field">
                    <label for="area_file">{move || t(Key::AdminAreaFile)}</label>
                    <input id="area_file" type="file" accept=".geojson,.json,application/geo+json,application/json" node_ref=file_input
                        aria-describedby=error_id(Field::File)/>
                    <p class="hint">{move || t(Key::AdminAreaFileHint)}</p>
                </div>
                <SubmitButton text=Key::AdminImportAreas busy=move || reading.get() || import.pending().get()/>
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
            <CatalogueTable catalogue columns=COLUMNS rows=move |catalogue| catalogue.areas.into_iter().map(row).collect_view()/>
        </ConsolePage>
    }
}
