//! The pages split into WebAssembly of their own, which a browser loads when the page is first
//! visited: every page but the report form, the page a citizen's phone opens first, which comes
//! with the main module. The staff's pages are never downloaded by citizens; the server names the
//! files of a split page in the page itself, so that they load beside the main module.

use crate::routes;
use leptos::component::{component_props_builder, component_view};
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// Declares, for each page component, a route whose view is compiled into a separate WebAssembly
/// chunk by `cargo leptos build --split`. On the server, and in builds without `--split`, the view
/// is simply rendered; in the browser, the chunk is fetched before the page is hydrated or opened.
macro_rules! lazy_pages {
    ($($route:ident at $path:literal => $page:path;)*) => {
        /// Every page split off, with the path the router serves it at.
        pub const SPLIT_PAGES: &[SplitPage] = &[$(SplitPage { path: $path, route: stringify!($route) }),*];
        $(
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

/// A page whose code `--split` builds into WebAssembly of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitPage {
    /// The route's path as the router declares it, `:name` standing for one segment.
    pub path: &'static str,
    /// The name of the route's type, which names its WebAssembly module.
    pub route: &'static str,
}

lazy_pages! {
    Screening at "/staff/screening" => routes::staff_queues::ScreeningPage;
    Review at "/staff/review" => routes::staff_queues::ReviewPage;
    AgencyQueue at "/staff/agency" => routes::staff_queues::AgencyQueuePage;
    StaffCase at "/staff/cases/:id" => routes::staff_case::StaffCasePage;
    StaffMap at "/staff/map" => routes::staff_map::StaffMapPage;
    LeaderDashboard at "/leader" => routes::leader::LeaderDashboardPage;
    HotlineReport at "/hotline" => routes::hotline::HotlineReportPage;
    Calls at "/hotline/calls" => routes::hotline::CallsPage;
    Verification at "/hotline/verify" => routes::hotline::VerificationPage;
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
    Login at "/login" => routes::login::LoginPage;
    Register at "/register" => routes::login::RegisterPage;
    Account at "/account" => routes::account::AccountPage;
    MyReports at "/my/reports" => routes::my_reports::MyReportsPage;
    Notices at "/my/notices" => routes::my_reports::NoticesPage;
    Claim at "/my/claim" => routes::hotline::ClaimPage;
    Open311Guide at "/open311" => routes::admin::Open311GuidePage;
    AgencyScorecard at "/agencies/:code" => routes::scorecard::AgencyScorecardPage;
    AreaScorecard at "/areas/:code" => routes::scorecard::AreaScorecardPage;
    OpenData at "/open-data" => routes::open_data::OpenDataPage;
    Privacy at "/privacy" => routes::privacy::PrivacyPage;
    ForgotPassword at "/forgot-password" => routes::recovery::ForgotPasswordPage;
    ResetPassword at "/reset-password/:token" => routes::recovery::ResetPasswordPage;
    VerifyEmail at "/verify-email/:token" => routes::recovery::VerifyEmailPage;
    PublicMap at "/map" => routes::public_map::PublicMapPage;
    Case at "/cases/:id" => routes::case_page::CasePage;
    Receipt at "/receipt/:token" => routes::case_page::ReceiptPage;
    Statistics at "/stats" => routes::stats_page::StatisticsPage;
}
