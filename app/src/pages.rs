//! The pages split off the main WebAssembly module in four groups (public, account, staff, admin),
//! each fetched when one of its pages is first visited. The report form, the page a citizen's
//! phone opens first, comes with the main module; the staff's pages are never downloaded by
//! citizens; the server names a page's files in the page itself, so they load beside the main module.

use crate::routes;
use leptos::component::{component_props_builder, component_view};
use leptos::prelude::*;
use leptos_router::LazyRoute;

/// Declares groups of pages, each compiled into WebAssembly of its own by `cargo leptos build
/// --split`, and a route for each page of a group. A page's code is fetched with its whole group:
/// a split per page made the browser fetch 86 to 107 files for one page (the code pages share
/// became a file per set of pages sharing it), and on a slow connection the round trips cost more
/// than the bytes a group adds. On the server, and in builds without `--split`, the page is simply
/// rendered.
macro_rules! split_pages {
    ($($group:ident / $preload:ident as $which:ident { $($route:ident at $path:literal => $page:path;)* })*) => {
        /// Every page split off, with the path the router serves it at.
        pub const SPLIT_PAGES: &[SplitPage] = &[$($(SplitPage { path: $path, route: stringify!($route), split: stringify!($group) },)*)*];
        $(
        #[doc = concat!("The pages fetched together as `", stringify!($group), "`.")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $which { $($route),* }

        #[doc = concat!("Renders one of the pages of [`", stringify!($which), "`]: the group's split point.")]
        #[leptos::lazy]
        fn $group(page: $which) -> AnyView {
            // What `view! { <Page/> }` expands to, written out because the macro cannot take a path.
            match page {
                $($which::$route => component_view(&$page, component_props_builder(&$page).build()).into_any(),)*
            }
        }

        $(
        #[doc = concat!("The route of [`", stringify!($page), "`].")]
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_route: Self) -> AnyView {
                $group($which::$route).await
            }

            async fn preload() {
                #[cfg(target_arch = "wasm32")]
                $preload().await;
            }
        }
        )*
    )*};
}

/// The pages every anonymous visitor sees alike in one language: the report form and the public
/// pages, but not a receipt, which shows its holder's own report. The server may give one render
/// of them to many visitors (see the server's page cache).
pub const SHARED_PAGES: &[&str] =
    &["/", "/map", "/cases/:id", "/stats", "/agencies/:code", "/areas/:code", "/open-data", "/privacy", "/open311"];

/// The pages that draw a map, which bring Leaflet's script with them. Every other page leaves it
/// out (its 38 kB compressed, and the time to run it); a map reached from one by a link fetches the
/// script then (see `components::map`), so a page missing here is only slower to draw its map.
pub const MAP_PAGES: &[&str] = &[
    "/",
    "/map",
    "/cases/:id",
    "/receipt/:token",
    "/agencies/:code",
    "/areas/:code",
    "/hotline",
    "/staff/cases/:id",
    "/staff/map",
    "/admin/areas",
];

/// Whether the page at `path` draws a map.
pub fn draws_a_map(path: &str) -> bool {
    MAP_PAGES.iter().any(|pattern| route_matches(pattern, path))
}

/// Whether the router serves `path` by the route declared as `pattern`, where `:name` stands for
/// one segment that is not empty.
pub fn route_matches(pattern: &str, path: &str) -> bool {
    let (mut wanted, mut asked) = (pattern.split('/'), path.split('/'));
    loop {
        match (wanted.next(), asked.next()) {
            (None, None) => return true,
            (Some(want), Some(segment)) if want == segment || (want.starts_with(':') && !segment.is_empty()) => {}
            _ => return false,
        }
    }
}

/// A page whose code `--split` builds into WebAssembly of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitPage {
    /// The route's path as the router declares it, `:name` standing for one segment.
    pub path: &'static str,
    /// The name of the route's type.
    pub route: &'static str,
    /// The split point its code is fetched with, which names the group's WebAssembly module.
    pub split: &'static str,
}

split_pages! {
    public_pages / __preload_public_pages as PublicGroup {
        PublicMap at "/map" => routes::public_map::PublicMapPage;
        Case at "/cases/:id" => routes::case_page::CasePage;
        Receipt at "/receipt/:token" => routes::case_page::ReceiptPage;
        Statistics at "/stats" => routes::stats_page::StatisticsPage;
        AgencyScorecard at "/agencies/:code" => routes::scorecard::AgencyScorecardPage;
        AreaScorecard at "/areas/:code" => routes::scorecard::AreaScorecardPage;
        OpenData at "/open-data" => routes::open_data::OpenDataPage;
        Privacy at "/privacy" => routes::privacy::PrivacyPage;
        Open311Guide at "/open311" => routes::admin::Open311GuidePage;
    }
    account_pages / __preload_account_pages as AccountGroup {
        Login at "/login" => routes::login::LoginPage;
        Register at "/register" => routes::login::RegisterPage;
        Account at "/account" => routes::account::AccountPage;
        MyReports at "/my/reports" => routes::my_reports::MyReportsPage;
        Notices at "/my/notices" => routes::my_reports::NoticesPage;
        Claim at "/my/claim" => routes::hotline::ClaimPage;
        ForgotPassword at "/forgot-password" => routes::recovery::ForgotPasswordPage;
        ResetPassword at "/reset-password/:token" => routes::recovery::ResetPasswordPage;
        VerifyEmail at "/verify-email/:token" => routes::recovery::VerifyEmailPage;
    }
    staff_pages / __preload_staff_pages as StaffGroup {
        Screening at "/staff/screening" => routes::staff_queues::ScreeningPage;
        Review at "/staff/review" => routes::staff_queues::ReviewPage;
        AgencyQueue at "/staff/agency" => routes::staff_queues::AgencyQueuePage;
        StaffCase at "/staff/cases/:id" => routes::staff_case::StaffCasePage;
        StaffMap at "/staff/map" => routes::staff_map::StaffMapPage;
        LeaderDashboard at "/leader" => routes::leader::LeaderDashboardPage;
        HotlineReport at "/hotline" => routes::hotline::HotlineReportPage;
        Calls at "/hotline/calls" => routes::hotline::CallsPage;
        Verification at "/hotline/verify" => routes::hotline::VerificationPage;
    }
    admin_pages / __preload_admin_pages as AdminGroup {
        ApiKeys at "/admin/api-keys" => routes::admin::ApiKeysPage;
        Overview at "/admin" => routes::admin_console::OverviewPage;
        Categories at "/admin/categories" => routes::admin_console::CategoriesPage;
        Agencies at "/admin/agencies" => routes::admin_console::AgenciesPage;
        Areas at "/admin/areas" => routes::admin_console::AreasPage;
        Routes at "/admin/routes" => routes::admin_console::RoutesPage;
        Holidays at "/admin/holidays" => routes::admin_console::HolidaysPage;
        Staff at "/admin/staff" => routes::admin_console::StaffPage;
        Changes at "/admin/changes" => routes::admin_console::ChangesPage;
        AccessLog at "/admin/access-log" => routes::admin_console::AccessLogPage;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_with_a_map_are_told_from_the_others() {
        for path in ["/", "/map", "/cases/12", "/receipt/abc", "/areas/dong-hoi", "/staff/map", "/admin/areas"] {
            assert!(draws_a_map(path), "{path}");
        }
        for path in ["/stats", "/open-data", "/privacy", "/login", "/admin", "/staff/screening", "/cases"] {
            assert!(!draws_a_map(path), "{path}");
        }
    }

    #[test]
    fn a_route_matches_its_own_paths_only() {
        assert!(route_matches("/", "/"));
        assert!(route_matches("/cases/:id", "/cases/12"));
        assert!(!route_matches("/cases/:id", "/cases/"), "an empty segment");
        assert!(!route_matches("/cases/:id", "/cases/12/photos"), "a longer path");
        assert!(!route_matches("/cases/:id", "/cases"), "a shorter path");
        assert!(!route_matches("/map", "/maps"));
    }
}
