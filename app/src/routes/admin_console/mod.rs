//! The admin console: its pages, one a module, framed by the console's own navigation.

mod access_log;
mod agencies;
mod areas;
mod categories;
mod changes;
mod form_kit;
mod holidays;
mod overview;
mod routing;
mod staff;
mod staff_password;

pub use access_log::AccessLogPage;
pub use agencies::AgenciesPage;
pub use areas::AreasPage;
pub use categories::CategoriesPage;
pub use changes::ChangesPage;
pub use holidays::HolidaysPage;
pub use overview::OverviewPage;
pub use routing::RoutesPage;
pub use staff::StaffPage;

use crate::i18n::{Key, Lang};
use crate::lang::use_tr;
use domain::catalogue::Category;
use leptos::prelude::*;
use leptos_router::components::A;

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
        ("/admin", Key::AdminOverview),
        ("/admin/categories", Key::AdminCategories),
        ("/admin/agencies", Key::AdminAgencies),
        ("/admin/areas", Key::AdminAreas),
        ("/admin/routes", Key::AdminRoutes),
        ("/admin/holidays", Key::AdminHolidays),
        ("/admin/staff", Key::AdminStaff),
        ("/admin/changes", Key::AdminChanges),
        ("/admin/access-log", Key::AccessLogTab),
        ("/admin/api-keys", Key::NavApiKeys),
    ];
    // The router's `A` marks the current page with aria-current, for the eye and for screen readers;
    // exactly, or the overview at /admin would be marked on every console page.
    view! {
        <nav class="admin-tabs" aria-label=move || t(Key::AdminConsole)>
            {tabs.into_iter().map(|(href, key)| view! { <A href=href exact=true>{move || t(key)}</A> }).collect_view()}
        </nav>
    }
}

/// An admin page: the console's tabs, the page's heading and introduction, then its content.
#[component]
fn ConsolePage(heading: Key, intro: Key, children: Children) -> impl IntoView {
    let t = use_tr();
    view! {
        <section>
            <AdminTabs/>
            <h1>{move || t(heading)}</h1>
            <p>{move || t(intro)}</p>
            {children()}
        </section>
    }
}
