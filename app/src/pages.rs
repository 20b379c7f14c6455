//! The staff's pages (screening, agency queues, cases, map, the leader's dashboard, the hotline and
//! the administration), each split into WebAssembly of its own that a browser loads when the page is
//! first visited, so that citizens never download them.

use crate::routes;
use leptos::component::{component_props_builder, component_view};
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// Declares, for each page component, a route whose view is compiled into a separate WebAssembly
/// chunk by `cargo leptos build --split`. On the server, and in builds without `--split`, the view
/// is simply rendered; in the browser, the chunk is fetched before the page is hydrated or opened.
macro_rules! lazy_pages {
    ($($route:ident => $page:path;)*) => {$(
        #[doc = concat!("The route of [`", stringify!($page), "`].")]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_route: Self) -> AnyView {
                // What `view! { <Page/> }` expands to, written out because the macro cannot take a path.
                component_view(&$page, component_props_builder(&$page).build()).into_any()
            }
        }
    )*};
}

lazy_pages! {
    Screening => routes::staff_queues::ScreeningPage;
    Review => routes::staff_queues::ReviewPage;
    AgencyQueue => routes::staff_queues::AgencyQueuePage;
    StaffCase => routes::staff_case::StaffCasePage;
    StaffMap => routes::staff_map::StaffMapPage;
    LeaderDashboard => routes::leader::LeaderDashboardPage;
    HotlineReport => routes::hotline::HotlineReportPage;
    Calls => routes::hotline::CallsPage;
    Verification => routes::hotline::VerificationPage;
    ApiKeys => routes::admin::ApiKeysPage;
    Overview => routes::admin_console::OverviewPage;
    Categories => routes::admin_console::CategoriesPage;
    Agencies => routes::admin_console::AgenciesPage;
    Areas => routes::admin_console::AreasPage;
    Routes => routes::admin_console::RoutesPage;
    Holidays => routes::admin_console::HolidaysPage;
    Staff => routes::admin_console::StaffPage;
    Changes => routes::admin_console::ChangesPage;
    AccessLog => routes::admin_console::AccessLogPage;
}
