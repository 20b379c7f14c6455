//! The translation layer: every string the UI shows, in Vietnamese (default) and English.

use domain::calls::{CallOutcome, CallPurpose};
use domain::case::{ActorRole, CaseStatus, Channel};
use domain::map_query::{Param, ParamError, Problem, MAX_ZOOM};
use domain::validation::{Field, Reason, ValidationError};
use domain::workflow::{ChangeKind, Rating, RejectReason};

pub use domain::lang::{Lang, LANG_COOKIE};

/// Every fixed UI string. Adding a key without both translations does not compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    AppName,
    Tagline,
    NavReport,
    NavMap,
    SwitchLanguage,
    ReportHeading,
    ReportIntro,
    MapLabel,
    ZoomIn,
    ZoomOut,
    NavStaffMap,
    StaffMapHeading,
    StaffMapIntro,
    ClusterMapLabel,
    MapFilters,
    MapArea,
    MapAgency,
    AnyValue,
    OverdueOnly,
    SubmittedFrom,
    SubmittedTo,
    CasesInView,
    NoCasesInView,
    PreviousPage,
    NextPage,
    PinHint,
    PinAt,
    NoPinYet,
    UseMyLocation,
    PinAtCentre,
    LocatingFailed,
    Category,
    ChooseCategory,
    Title,
    Description,
    ContactLegend,
    ContactHint,
    ReporterName,
    ReporterPhone,
    ReporterEmail,
    Submit,
    Submitting,
    SubmitFailed,
    SubmittedHeading,
    SubmittedCaseNumber,
    ViewCase,
    ReceiptHeading,
    ReceiptExplanation,
    ReceiptPageNote,
    ReceiptNotFound,
    AwaitingScreening,
    ReportAnother,
    CaseHeading,
    Status,
    Location,
    OutOfArea,
    Submitted,
    Channel,
    Timeline,
    CaseNotFound,
    PublicMapHeading,
    PublicMapIntro,
    Loading,
    LoadFailed,
    NotFoundPage,
    PrivacyNote,
    ApiKeysHeading,
    ApiKeysIntro,
    ApiKeyName,
    IssueApiKey,
    ApiKeyShownOnce,
    RevokeApiKey,
    ApiKeyRevoked,
    ApiKeyActive,
    NavApiKeys,
    ChooseOne,
    AdminConsole,
    NavAdmin,
    AdminCategories,
    AdminCategoriesIntro,
    AdminAgencies,
    AdminAgenciesIntro,
    AdminAreas,
    AdminAreasIntro,
    AdminAreaFile,
    AdminAreaFileHint,
    AdminImportAreas,
    AdminChooseFile,
    AdminImported,
    AdminAreasMap,
    AdminPolygons,
    AdminActivate,
    AdminDeactivate,
    AdminActive,
    AdminInactive,
    AdminEdit,
    AdminRemove,
    AdminSaved,
    AdminSaveCategory,
    AdminSaveAgency,
    AdminRoutes,
    AdminRoutesIntro,
    AdminSaveRoute,
    AdminHolidays,
    AdminHolidaysIntro,
    AdminSaveHoliday,
    AdminStaff,
    AdminStaffIntro,
    AdminStaffList,
    AdminInvite,
    AdminPasswordShownOnce,
    AdminAreasHint,
    AdminMaySignIn,
    AdminDeactivated,
    AdminSaveAccount,
    AdminChanges,
    AdminChangesIntro,
    AdminWho,
    AdminWhat,
    AdminBefore,
    AdminAfter,
    AdminOlder,
    Open311Guide,
    Open311Intro,
    Open311GetKey,
    Open311GetKeyText,
    Open311Examples,
    Open311Rules,
    Open311RulesText,
    CallerLegend,
    CallDurationLabel,
    HotlineHeading,
    HotlineIntro,
    NavHotline,
    NavCalls,
    NavVerify,
    CallsHeading,
    InboundHeading,
    PurposeLabel,
    OutcomeLabel,
    CaseNumberLabel,
    CallbackAtLabel,
    LogCall,
    CallLogged,
    VerifyHeading,
    DueNow,
    Upcoming,
    ActRequestVerification,
    ClaimHeading,
    ClaimIntro,
    Claim,
    Claimed,
    NavClaim,
    ClaimCode,
    ClaimCodeHeading,
    ClaimCodeExplanation,
    Direction,
    Phone,
    When,
    AddressLabel,
    NavSignIn,
    NavSignOut,
    NavMenu,
    NavMyReports,
    NavNotices,
    NavScreening,
    NavReview,
    NavAgencyQueue,
    NavAccount,
    SignInHeading,
    Username,
    Password,
    SignIn,
    BadCredentials,
    NoAccountYet,
    RegisterHeading,
    Register,
    FullName,
    UsernameTaken,
    AccountHeading,
    CurrentPassword,
    NewPasswordLabel,
    ChangePassword,
    PasswordChanged,
    SetOwnPassword,
    OneTimePasswordExpired,
    SignedInAs,
    ScreeningHeading,
    ReviewHeading,
    AgencyQueueHeading,
    QueueEmpty,
    QueueNextPage,
    QueueFirstPage,
    SuggestOutOfArea,
    SuggestDuplicates,
    SuggestAgency,
    Deadline,
    Overdue,
    LeadAgency,
    Returns,
    Reporter,
    Internal,
    Actions,
    ActAccept,
    ActReject,
    RejectReasonLabel,
    DuplicateOfLabel,
    ExplanationLabel,
    ActAcknowledge,
    ActAddNote,
    NoteLabel,
    NotePublicLabel,
    ActRequestExtension,
    DaysLabel,
    ExtensionReasonLabel,
    ExtensionPending,
    ActApproveExtension,
    ActRefuseExtension,
    ActSubmitResult,
    ResultLabel,
    ActReturn,
    ReturnReasonLabel,
    ActApprove,
    ActSendBack,
    SendBackLabel,
    ActClose,
    ActReopen,
    Conflict,
    Refused,
    ActionFailed,
    Done,
    MyReportsHeading,
    RateHeading,
    RateSatisfied,
    RateAcceptable,
    RateUnsatisfied,
    RatingLabel,
    CommentLabel,
    SendRating,
    YourRating,
    NoticesHeading,
    SignInToSee,
    NotAllowed,
    OpenCase,
    ReportSignedInHint,
    ReportAnonymousHint,
    Photos,
    PhotosHint,
    AttachPhotos,
    RemovePhoto,
    UploadingPhotos,
    PhotosUploaded,
    PhotoAlt,
    ResultPhotoAlt,
    ReportPhotosHeading,
    ResultPhotosHeading,
    ResultPhotos,
    PhotosStillUploading,
    NavStats,
    StatsHeading,
    StatsIntro,
    StatsFrom,
    StatsTo,
    StatsArea,
    StatsAllAreas,
    StatsShow,
    StatsSummaryCaption,
    StatsReceived,
    StatsAccepted,
    StatsIneligible,
    StatsOutOfArea,
    StatsHandled,
    StatsOnTime,
    StatsLate,
    StatsSatisfied,
    StatsAcceptable,
    StatsUnsatisfied,
    StatsAgencies,
    StatsAccounts,
    StatsCallsIn,
    StatsCallsOut,
    StatsByCategory,
    StatsByMonth,
    StatsSatisfaction,
    StatsAgencyCaption,
    StatsRankingRule,
    StatsRank,
    StatsAgency,
    StatsOnTimeRate,
    StatsOverdueNow,
    StatsOverdueHeading,
    StatsNoOverdue,
    StatsDaysLate,
    StatsExports,
    ScorecardHeading,
    ScorecardAgencyKind,
    ScorecardAreaKind,
    ScorecardBackToStats,
    ScorecardNotFound,
    ScorecardFiguresCaption,
    ScorecardTakenUp,
    ScorecardOpenNow,
    ScorecardMedianDays,
    ScorecardRank,
    ScorecardTrend,
    ScorecardTrendChart,
    ScorecardTrendTable,
    ScorecardMonth,
    ScorecardMapHeading,
    ScorecardMapShow,
    ScorecardShowOpen,
    ScorecardShowOverdue,
    ScorecardMethodHeading,
    ScorecardMethodPeriod,
    ScorecardMethodReceivedAgency,
    ScorecardMethodReceivedArea,
    ScorecardMethodTakenUp,
    ScorecardMethodAccepted,
    ScorecardMethodHandled,
    ScorecardMethodOnTime,
    ScorecardMethodMedian,
    ScorecardMethodOpen,
    ScorecardMethodSatisfaction,
    ScorecardMethodTrend,
    ScorecardMethodRanking,
    ScorecardMethodMap,
    ScorecardsOfAreas,
    RejectionReasonLabel,
    MapLegend,
    MapLegendCluster,
    StatsChartData,
    StatsPeriodColumn,
    StatsCasesColumn,
    StatsRatingColumn,
    SelectedCase,
    // Staff workspace and landing pages
    WsCaseSection,
    WsArea,
    WsAddress,
    WsNoAddress,
    WsSentAt,
    WsCoordinates,
    WsDescription,
    WsMapHeading,
    WsMapLabel,
    WsMapHint,
    WsSuggestions,
    WsNoActions,
    WsNextCase,
    WsNextShortcut,
    WsQueueEmpty,
    WsBackToQueue,
    WsCaseLeft,
    WsProgressNoteLabel,
    WsVerificationNoteLabel,
    WsReopenNoteLabel,
    WsCloseNoteLabel,
    NavLeader,
    LeaderHeading,
    LeaderIntro,
    LeaderPeriod,
    LeaderFigures,
    LeaderOnTime,
    LeaderSatisfied,
    LeaderFullStats,
    LeaderOverdueCases,
    LeaderLongestOverdue,
    LeaderMapIntro,
    LeaderOpenMap,
    AdminOverview,
    AdminOverviewHeading,
    AdminOverviewIntro,
    AdminOverviewCaption,
    AdminOverviewPage,
    AdminOverviewTotal,
    AdminOverviewInUse,
    AdminRecentChanges,
    AdminNoChanges,
    AdminWholeLog,
    AdminStaffMapIntro,
    AccessLogTab,
    AccessLogHeading,
    AccessLogIntro,
    AccessLogCaption,
    AccessLogPerson,
    AccessLogWho,
    AccessLogEveryone,
    AccessLogFilter,
    AccessLogPage,
    AccessLogCases,
    AccessLogEmpty,
    AccessLogNewest,
    AccessLogFiltered,
    LeaderAccessHeading,
    LeaderAccessIntro,
    LeaderAccessViews,
    LeaderAccessPeople,
    LeaderAccessCases,
    LeaderAccessNone,
}

/// The text for `key` in `lang`.
pub fn tr(lang: Lang, key: Key) -> &'static str {
    use Key::*;
    match key {
        AppName => lang.pick("Phản ánh hiện trường", "Field reports"),
        Tagline => lang.pick("Tỉnh Quảng Bình", "Quảng Bình province"),
        NavReport => lang.pick("Gửi phản ánh", "Report a problem"),
        NavMap => lang.pick("Bản đồ phản ánh", "Map of reports"),
        SwitchLanguage => lang.pick("English", "Tiếng Việt"),
        ReportHeading => lang.pick("Gửi phản ánh hiện trường", "Report a problem on site"),
        ReportIntro => lang.pick(
            "Ghim vị trí trên bản đồ, chọn lĩnh vực và mô tả vấn đề. Cơ quan chức năng sẽ tiếp nhận và xử lý.",
            "Pin the place on the map, choose a category and describe the problem. The authorities will receive and handle it.",
        ),
        MapLabel => lang.pick("Bản đồ", "Map"),
        ZoomIn => lang.pick("Phóng to bản đồ", "Zoom in"),
        ZoomOut => lang.pick("Thu nhỏ bản đồ", "Zoom out"),
        NavStaffMap => lang.pick("Bản đồ điều hành", "Cases map"),
        StaffMapHeading => lang.pick("Bản đồ phản ánh theo khu vực", "Cases by place"),
        StaffMapIntro => lang.pick("Mỗi vòng tròn là một cụm phản ánh; bấm vào để phóng to. Danh sách bên cạnh luôn theo khung bản đồ và bộ lọc.", "Each circle is a cluster of cases; click it to zoom in. The list beside the map follows the view and the filters."),
        ClusterMapLabel => lang.pick("Bản đồ cụm phản ánh", "Map of case clusters"),
        MapFilters => lang.pick("Bộ lọc", "Filters"),
        MapArea => lang.pick("Địa bàn", "Area"),
        MapAgency => lang.pick("Đơn vị xử lý", "Agency"),
        AnyValue => lang.pick("Tất cả", "All"),
        OverdueOnly => lang.pick("Chỉ phản ánh trễ hạn", "Overdue only"),
        SubmittedFrom => lang.pick("Gửi từ ngày", "Submitted from"),
        SubmittedTo => lang.pick("Đến ngày", "Submitted until"),
        CasesInView => lang.pick("Phản ánh trong khung nhìn", "Cases in view"),
        NoCasesInView => lang.pick("Không có phản ánh nào trong khung nhìn.", "No cases in view."),
        PreviousPage => lang.pick("Trang trước", "Previous page"),
        NextPage => lang.pick("Trang sau", "Next page"),
        PinHint => lang.pick(
            "Bấm vào bản đồ để ghim vị trí; kéo ghim để di chuyển.",
            "Click the map to drop a pin; drag the pin to move it.",
        ),
        PinAt => lang.pick("Vị trí đã ghim", "Pinned location"),
        NoPinYet => lang.pick("Chưa ghim vị trí", "No location pinned yet"),
        UseMyLocation => lang.pick("Dùng vị trí của tôi", "Use my location"),
        PinAtCentre => lang.pick("Ghim tại tâm bản đồ", "Pin at map centre"),
        LocatingFailed => lang.pick("Không lấy được vị trí của bạn.", "Your location could not be found."),
        Category => lang.pick("Lĩnh vực", "Category"),
        ChooseCategory => lang.pick("— Chọn lĩnh vực —", "— Choose a category —"),
        Title => lang.pick("Tiêu đề", "Title"),
        Description => lang.pick("Nội dung phản ánh", "Description"),
        ContactLegend => lang.pick("Thông tin liên hệ (không bắt buộc)", "Contact details (optional)"),
        ContactHint => lang.pick(
            "Chỉ cán bộ xử lý thấy thông tin này; không bao giờ công khai.",
            "Only staff see these details; they are never published.",
        ),
        ReporterName => lang.pick("Họ và tên", "Name"),
        ReporterPhone => lang.pick("Số điện thoại", "Phone number"),
        ReporterEmail => lang.pick("Thư điện tử", "E-mail"),
        Submit => lang.pick("Gửi phản ánh", "Send report"),
        Submitting => lang.pick("Đang gửi…", "Sending…"),
        SubmitFailed => lang.pick(
            "Chưa gửi được phản ánh. Nội dung vẫn được giữ nguyên; vui lòng thử lại.",
            "The report could not be sent. Your text is kept; please try again.",
        ),
        SubmittedHeading => lang.pick("Đã nhận phản ánh", "Report received"),
        SubmittedCaseNumber => lang.pick("Mã số phản ánh", "Case number"),
        ViewCase => lang.pick("Xem phản ánh", "View the case"),
        ReceiptHeading => lang.pick("Đường dẫn riêng để theo dõi phản ánh", "Your private link to follow the report"),
        ReceiptExplanation => lang.pick(
            "Hãy lưu lại đường dẫn này và không chia sẻ cho người khác. Chỉ đường dẫn này cho bạn xem phản ánh trước khi được tiếp nhận công khai; đường dẫn chỉ hiển thị một lần và được lưu trong trình duyệt này.",
            "Keep this link and share it with no one. It alone shows you the report before it is screened and made public; it is shown only once and kept in this browser.",
        ),
        ReceiptPageNote => lang.pick(
            "Đây là trang riêng của người phản ánh, mở bằng đường dẫn riêng. Người khác không xem được phản ánh trước khi được tiếp nhận.",
            "This is the reporter's own page, opened by the private link. Others cannot see the report before it is screened.",
        ),
        ReceiptNotFound => lang.pick(
            "Đường dẫn riêng này không mở được phản ánh nào.",
            "This private link does not open any report.",
        ),
        AwaitingScreening => lang.pick(
            "Phản ánh đang chờ tiếp nhận và chưa công khai.",
            "The report is waiting for screening and is not public yet.",
        ),
        ReportAnother => lang.pick("Gửi phản ánh khác", "Report another problem"),
        CaseHeading => lang.pick("Phản ánh", "Case"),
        Status => lang.pick("Trạng thái", "Status"),
        Location => lang.pick("Vị trí", "Location"),
        OutOfArea => lang.pick("Ngoài địa bàn phục vụ", "Outside the served area"),
        Submitted => lang.pick("Ngày gửi", "Submitted"),
        Channel => lang.pick("Kênh tiếp nhận", "Channel"),
        Timeline => lang.pick("Quá trình xử lý", "Timeline"),
        CaseNotFound => lang.pick("Không tìm thấy phản ánh này.", "This case does not exist."),
        PublicMapHeading => lang.pick("Bản đồ phản ánh", "Map of reports"),
        PublicMapIntro => lang.pick(
            "Mọi phản ánh đã được tiếp nhận hoặc từ chối (kèm lý do), không kèm thông tin cá nhân. Bấm vào cụm để phóng to; danh sách theo khung bản đồ, và địa chỉ trang giữ khung nhìn để chia sẻ.",
            "Every report accepted or rejected (with the reason), without anyone's personal details. Click a cluster to zoom in; the list follows the map, and the page's address keeps the view for sharing.",
        ),
        Loading => lang.pick("Đang tải…", "Loading…"),
        LoadFailed => lang.pick("Không tải được dữ liệu. Vui lòng thử lại.", "The data could not be loaded. Please try again."),
        NavStats => lang.pick("Thống kê", "Statistics"),
        StatsHeading => lang.pick("Thống kê phản ánh hiện trường", "Field report statistics"),
        StatsIntro => lang.pick("Số liệu được tính trực tiếp từ diễn biến của từng phản ánh, cho bất kỳ khoảng thời gian và địa bàn nào.", "Figures are computed from what happened to each case, for any period and area."),
        StatsFrom => lang.pick("Từ ngày", "From"),
        StatsTo => lang.pick("Đến ngày", "To"),
        StatsArea => lang.pick("Địa bàn", "Area"),
        StatsAllAreas => lang.pick("Toàn tỉnh", "Whole province"),
        StatsShow => lang.pick("Xem thống kê", "Show statistics"),
        StatsSummaryCaption => lang.pick("Kết quả tiếp nhận và xử lý", "Reports received and handled"),
        StatsReceived => lang.pick("Tiếp nhận", "Received"),
        StatsAccepted => lang.pick("Đủ điều kiện xử lý", "Accepted"),
        StatsIneligible => lang.pick("Không đủ điều kiện", "Ineligible"),
        StatsOutOfArea => lang.pick("Trong đó ngoài địa bàn", "Of which out of area"),
        StatsHandled => lang.pick("Đã xử lý xong", "Handled"),
        StatsOnTime => lang.pick("Đúng hạn", "On time"),
        StatsLate => lang.pick("Trễ hạn", "Late"),
        StatsSatisfied => lang.pick("Hài lòng", "Satisfied"),
        StatsAcceptable => lang.pick("Chấp nhận được", "Acceptable"),
        StatsUnsatisfied => lang.pick("Không hài lòng", "Unsatisfied"),
        StatsAgencies => lang.pick("Đơn vị tham gia xử lý", "Agencies participating"),
        StatsAccounts => lang.pick("Tài khoản người dân đã đăng ký", "Citizen accounts registered"),
        StatsCallsIn => lang.pick("Cuộc gọi đến đường dây nóng", "Inbound hotline calls"),
        StatsCallsOut => lang.pick("Cuộc gọi xác minh", "Outbound verification calls"),
        StatsByCategory => lang.pick("Phản ánh theo lĩnh vực", "Reports by category"),
        StatsByMonth => lang.pick("Phản ánh theo tháng", "Reports by month"),
        StatsSatisfaction => lang.pick("Mức độ hài lòng", "Satisfaction"),
        StatsAgencyCaption => lang.pick("Kết quả theo đơn vị xử lý", "Results by agency"),
        StatsRankingRule => lang.pick("chỉ xếp hạng đơn vị có số phản ánh đã xử lý tối thiểu là", "ranked only with at least this many handled cases:"),
        StatsRank => lang.pick("Hạng", "Rank"),
        StatsAgency => lang.pick("Đơn vị", "Agency"),
        StatsOnTimeRate => lang.pick("Tỷ lệ đúng hạn", "On-time rate"),
        StatsOverdueNow => lang.pick("Đang quá hạn", "Overdue now"),
        StatsOverdueHeading => lang.pick("Phản ánh đang quá hạn theo đơn vị", "Overdue cases by agency"),
        StatsNoOverdue => lang.pick("Không có phản ánh nào đang quá hạn.", "No case is overdue."),
        StatsDaysLate => lang.pick("ngày quá hạn", "days overdue"),
        StatsExports => lang.pick("Tải dữ liệu", "Download the data"),
        ScorecardHeading => lang.pick("Bảng kết quả", "Scorecard"),
        ScorecardAgencyKind => lang.pick("Đơn vị xử lý", "Agency"),
        ScorecardAreaKind => lang.pick("Địa bàn", "Area"),
        ScorecardBackToStats => lang.pick("Về trang thống kê", "Back to the statistics"),
        ScorecardNotFound => lang.pick("Không có đơn vị hoặc địa bàn này.", "There is no such agency or area."),
        ScorecardFiguresCaption => lang.pick("Kết quả trong kỳ", "Figures for the period"),
        ScorecardTakenUp => lang.pick("Đã nhận xử lý", "Taken up"),
        ScorecardOpenNow => lang.pick("Đang giải quyết", "Open now"),
        ScorecardMedianDays => lang.pick("Thời gian đến khi có kết quả (trung vị)", "Time to a result (median)"),
        ScorecardRank => lang.pick("Xếp hạng đúng hạn", "On-time ranking"),
        ScorecardTrend => lang.pick("Xu hướng theo tháng", "Monthly trend"),
        ScorecardTrendChart => lang.pick("Phản ánh tiếp nhận và đã xử lý xong theo tháng", "Cases received and handled by month"),
        ScorecardTrendTable => lang.pick("Số liệu theo tháng", "Figures by month"),
        ScorecardMonth => lang.pick("Tháng", "Month"),
        ScorecardMapHeading => lang.pick("Phản ánh đang giải quyết trên bản đồ", "Open cases on the map"),
        ScorecardMapShow => lang.pick("Hiển thị", "Show"),
        ScorecardShowOpen => lang.pick("Mọi phản ánh đang giải quyết", "Every open case"),
        ScorecardShowOverdue => lang.pick("Chỉ phản ánh đang quá hạn", "Overdue cases only"),
        ScorecardMethodHeading => lang.pick("Cách tính các số liệu", "How the figures are computed"),
        ScorecardMethodPeriod => lang.pick(
            "Kỳ: các phản ánh gửi từ đầu ngày bắt đầu đến hết ngày kết thúc (giờ Việt Nam). Mọi số liệu dưới đây đếm các phản ánh đó, theo diễn biến của chúng đến lúc xem.",
            "Period: the cases reported from the start of the first day to the end of the last (Vietnam time). Every figure below counts those cases, as their history stands when you look.",
        ),
        ScorecardMethodReceivedAgency => lang.pick(
            "Tiếp nhận: các phản ánh gửi trong kỳ đã được chấp nhận khi sàng lọc và đang giao cho đơn vị này (phản ánh đơn vị đã trả lại vì không thuộc thẩm quyền thì không tính). Đúng bằng số Tiếp nhận của đơn vị trong bảng thống kê cùng kỳ.",
            "Received: the cases reported in the period that were accepted at screening and are routed to this agency (cases it returned as not its own are not counted). Exactly the agency's Received in the statistics for the same period.",
        ),
        ScorecardMethodReceivedArea => lang.pick(
            "Tiếp nhận: các phản ánh gửi trong kỳ có vị trí thuộc địa bàn này, kể cả phản ánh chưa sàng lọc hoặc không đủ điều kiện. Đúng bằng số Tiếp nhận của trang thống kê khi chọn địa bàn này.",
            "Received: the cases reported in the period located in this area, including those not yet screened or found ineligible. Exactly what the statistics page shows as Received with this area chosen.",
        ),
        ScorecardMethodTakenUp => lang.pick(
            "Đã nhận xử lý: trong số phản ánh tiếp nhận, các phản ánh đơn vị đã xác nhận và bắt đầu xử lý.",
            "Taken up: of the cases received, those the agency has acknowledged and started on.",
        ),
        ScorecardMethodAccepted => lang.pick(
            "Đủ điều kiện xử lý: trong số phản ánh tiếp nhận, các phản ánh được chấp nhận khi sàng lọc và giao cho một đơn vị xử lý.",
            "Accepted: of the cases received, those accepted at screening and routed to an agency.",
        ),
        ScorecardMethodHandled => lang.pick(
            "Đã xử lý xong: các phản ánh có kết quả xử lý đã được điều phối viên duyệt.",
            "Handled: the cases whose result a coordinator has approved.",
        ),
        ScorecardMethodOnTime => lang.pick(
            "Đúng hạn, trễ hạn: các phản ánh đã xử lý xong có kết quả nộp đến hết hạn xử lý đang có hiệu lực (tính cả gia hạn đã được duyệt), hoặc sau hạn đó. Tỷ lệ đúng hạn = số đúng hạn ÷ số đã xử lý xong.",
            "On time, late: handled cases whose result was submitted by the deadline in force (approved extensions counted), or after it. On-time rate = on time ÷ handled.",
        ),
        ScorecardMethodMedian => lang.pick(
            "Thời gian đến khi có kết quả: với mỗi phản ánh đã xử lý xong, số ngày làm việc sau ngày gửi cho đến hết ngày kết quả được duyệt, không tính thứ Bảy, Chủ nhật và ngày nghỉ lễ theo lịch của tỉnh (được duyệt ngay trong ngày gửi là 0 ngày). Con số là trung vị: một nửa số phản ánh có kết quả trong chừng ấy ngày làm việc hoặc ít hơn.",
            "Time to a result: for each handled case, the working days after the day it was reported up to the day its result was approved, leaving out Saturdays, Sundays and the province's public holidays (approved on the day it was reported counts 0). The figure is the median: half of the cases had their result within that many working days or fewer.",
        ),
        ScorecardMethodOpen => lang.pick(
            "Đang giải quyết: các phản ánh đã giao cho đơn vị, chưa có kết quả (chờ đơn vị nhận hoặc đang xử lý) tại thời điểm xem. Đang quá hạn: trong số đó, các phản ánh đã qua hạn xử lý.",
            "Open now: the cases routed to an agency and without a result yet (waiting for the agency or in progress) at the time you look. Overdue now: of those, the ones past their deadline.",
        ),
        ScorecardMethodSatisfaction => lang.pick(
            "Mức độ hài lòng: đánh giá của người phản ánh về các phản ánh đã xử lý xong; tỷ lệ tính trên số phản ánh có đánh giá.",
            "Satisfaction: the reporters' ratings of handled cases; the shares are of the rated cases.",
        ),
        ScorecardMethodTrend => lang.pick(
            "Xu hướng theo tháng: các số liệu trên, chia theo tháng gửi phản ánh.",
            "Monthly trend: the same figures, by the month the cases were reported in.",
        ),
        ScorecardMethodRanking => lang.pick(
            "Xếp hạng: các đơn vị có ít nhất số phản ánh đã xử lý xong tối thiểu trong kỳ được xếp theo tỷ lệ đúng hạn, rồi theo số đã xử lý xong; đơn vị có ít hơn không được xếp hạng, vì tỷ lệ trên vài phản ánh không nói lên nhiều. Đây cũng là thứ hạng trên trang thống kê.",
            "Ranking: agencies with at least the minimum number of handled cases in the period are ranked by on-time rate, then by the number handled; agencies with fewer are not ranked, because a rate over a few cases says little. It is the ranking the statistics page shows.",
        ),
        ScorecardMethodMap => lang.pick(
            "Bản đồ: các phản ánh gửi trong kỳ đang giải quyết, là các phản ánh được đếm trong Đang giải quyết và Đang quá hạn.",
            "Map: the cases reported in the period that are open now, the very cases counted in Open now and Overdue now.",
        ),
        ScorecardsOfAreas => lang.pick("Bảng kết quả theo địa bàn", "Scorecards by area"),
        MapLegend => lang.pick("Chú giải", "Legend"),
        StatsChartData => lang.pick("Bảng số liệu", "Data table"),
        StatsPeriodColumn => lang.pick("Thời gian", "Period"),
        StatsCasesColumn => lang.pick("Số phản ánh", "Cases"),
        StatsRatingColumn => lang.pick("Đánh giá", "Rating"),
        SelectedCase => lang.pick("Đang chọn", "Selected"),
        MapLegendCluster => lang.pick("Cụm phản ánh (số là số phản ánh)", "Cluster of reports (the number counts them)"),
        RejectionReasonLabel => lang.pick("Lý do không tiếp nhận", "Why it was not accepted"),
        NotFoundPage => lang.pick("Không tìm thấy trang.", "Page not found."),
        PrivacyNote => lang.pick(
            "Thông tin liên hệ của người phản ánh không bao giờ được công khai.",
            "Reporters' contact details are never published.",
        ),
        CallerLegend => lang.pick("Người gọi", "Caller"),
        CallDurationLabel => lang.pick("Thời lượng cuộc gọi (giây)", "Call duration (seconds)"),
        HotlineHeading => lang.pick("Nhập phản ánh qua tổng đài", "Enter a report taken by phone"),
        HotlineIntro => lang.pick("Ghim vị trí người gọi mô tả (hoặc ghi địa chỉ), chọn lĩnh vực và ghi nội dung. Số điện thoại người gọi là bắt buộc.", "Pin the place the caller describes (or type the address), choose a category and write it down. The caller's phone number is required."),
        NavHotline => lang.pick("Nhập phản ánh", "New report"),
        NavCalls => lang.pick("Cuộc gọi", "Calls"),
        NavVerify => lang.pick("Gọi xác minh", "Verification calls"),
        CallsHeading => lang.pick("Nhật ký cuộc gọi", "Call log"),
        InboundHeading => lang.pick("Ghi nhận cuộc gọi đến", "Log an incoming call"),
        PurposeLabel => lang.pick("Mục đích cuộc gọi", "Purpose"),
        OutcomeLabel => lang.pick("Kết quả cuộc gọi", "Outcome"),
        CaseNumberLabel => lang.pick("Mã số phản ánh (nếu có)", "Case number (if any)"),
        CallbackAtLabel => lang.pick("Gọi lại lúc", "Call back at"),
        LogCall => lang.pick("Ghi cuộc gọi", "Log call"),
        CallLogged => lang.pick("Đã ghi cuộc gọi.", "Call logged."),
        VerifyHeading => lang.pick("Cuộc gọi xác minh cần thực hiện", "Verification calls to make"),
        DueNow => lang.pick("Cần gọi", "Due"),
        Upcoming => lang.pick("Hẹn gọi lại lúc", "Call back at"),
        ActRequestVerification => lang.pick("Yêu cầu gọi xác minh", "Request a verification call"),
        ClaimHeading => lang.pick("Nhận phản ánh đã gọi qua tổng đài", "Claim a report you phoned in"),
        ClaimIntro => lang.pick(
            "Nhập mã số phản ánh và mã nhận phản ánh gồm 8 chữ số mà tổng đài viên đã đọc cho bạn.",
            "Enter the case number and the 8-digit claim code the operator read to you.",
        ),
        ClaimCode => lang.pick("Mã nhận phản ánh", "Claim code"),
        ClaimCodeHeading => lang.pick("Mã nhận phản ánh cho người gọi", "Claim code for the caller"),
        ClaimCodeExplanation => lang.pick(
            "Đọc mã này cho người gọi: với mã số phản ánh và mã này, họ gắn phản ánh vào tài khoản của mình. Mã chỉ hiển thị một lần.",
            "Read this code to the caller: with the case number and this code they link the report to their account. It is shown only once.",
        ),
        Claim => lang.pick("Nhận phản ánh", "Claim"),
        Claimed => lang.pick("Phản ánh đã được gắn vào tài khoản của bạn.", "The report is now linked to your account."),
        NavClaim => lang.pick("Nhận phản ánh qua tổng đài", "Claim a phoned-in report"),
        Direction => lang.pick("Chiều", "Direction"),
        Phone => lang.pick("Số điện thoại", "Phone"),
        When => lang.pick("Thời điểm", "When"),
        ApiKeysHeading => lang.pick("Khóa API cho hệ thống liên kết", "API keys for linked systems"),
        ApiKeysIntro => lang.pick("Hệ thống khác (ứng dụng thành phố, doanh nghiệp viễn thông…) gửi phản ánh vào đây qua chuẩn Open311 bằng khóa API. Khóa chỉ hiện một lần khi cấp.", "Other systems (a city app, a telecom's system…) file reports here through Open311 with an API key. A key is shown only once, when issued."),
        ApiKeyName => lang.pick("Tên hệ thống", "System name"),
        IssueApiKey => lang.pick("Cấp khóa mới", "Issue a key"),
        ApiKeyShownOnce => lang.pick("Khóa API mới (chỉ hiện lần này, hãy lưu lại):", "New API key (shown only now, keep it safe):"),
        RevokeApiKey => lang.pick("Thu hồi", "Revoke"),
        ApiKeyRevoked => lang.pick("Đã thu hồi", "Revoked"),
        ApiKeyActive => lang.pick("Đang dùng", "Active"),
        NavApiKeys => lang.pick("Khóa API", "API keys"),
        Open311Guide => lang.pick("Hướng dẫn tích hợp Open311", "Open311 integration guide"),
        Open311Intro => lang.pick("Hệ thống hỗ trợ chuẩn Open311 GeoReport v2 tại /open311/v2/: discovery, services, requests (GET và POST), requests/{id}, tokens/{token}, mỗi điểm cuối có dạng .xml và .json. Thời gian theo ISO 8601 kèm múi giờ (+07:00).", "This system speaks Open311 GeoReport v2 under /open311/v2/: discovery, services, requests (GET and POST), requests/{id}, tokens/{token}, each as .xml and .json. Times are ISO 8601 with a time zone (+07:00)."),
        Open311GetKey => lang.pick("Xin khóa API", "Getting a key"),
        Open311GetKeyText => lang.pick("Chỉ việc gửi phản ánh (POST) cần khóa API. Liên hệ quản trị viên hệ thống để được cấp; khóa có thể bị thu hồi bất cứ lúc nào.", "Only filing reports (POST) needs an API key. Ask the system administrator for one; a key can be revoked at any time."),
        Open311Examples => lang.pick("Ví dụ với curl", "Examples with curl"),
        Open311Rules => lang.pick("Quy tắc", "Rules"),
        Open311RulesText => lang.pick("Phản ánh qua Open311 được kiểm tra bằng đúng các quy tắc của biểu mẫu web: cần vị trí (lat, long), mô tả từ 10 đến 4.000 ký tự, số điện thoại Việt Nam hợp lệ nếu có. Lỗi trả về danh sách {code, description}: 400 dữ liệu sai, 403 khóa thiếu hoặc bị thu hồi, 404 lĩnh vực, phản ánh hoặc mã token không tồn tại. GET requests mặc định trả 90 ngày gần nhất, tối đa 1.000 phản ánh, hỗ trợ page/page_size, extensions=true và q (từ cần tìm, gõ có dấu hay không dấu đều được). Thông tin liên hệ của người phản ánh không bao giờ được trả lại.", "Reports filed through Open311 pass exactly the web form's rules: a position (lat, long), a description of 10 to 4,000 characters, a valid Vietnamese phone number if any. Errors are a list of {code, description}: 400 for bad input, 403 for a missing or revoked key, 404 for an unknown service, request or token. GET requests defaults to the last 90 days and at most 1,000 requests, with page/page_size, extensions=true and q (words to search for, with or without diacritics). The reporter's contact details are never served back."),
        AddressLabel => lang.pick("Địa chỉ (không bắt buộc)", "Address (optional)"),
        NavSignIn => lang.pick("Đăng nhập", "Sign in"),
        NavSignOut => lang.pick("Đăng xuất", "Sign out"),
        NavMenu => lang.pick("Menu", "Menu"),
        NavMyReports => lang.pick("Phản ánh của tôi", "My reports"),
        NavNotices => lang.pick("Thông báo", "Notices"),
        NavScreening => lang.pick("Tiếp nhận", "Screening"),
        NavReview => lang.pick("Duyệt kết quả", "Review"),
        NavAgencyQueue => lang.pick("Việc của đơn vị", "Agency cases"),
        NavAccount => lang.pick("Tài khoản", "Account"),
        SignInHeading => lang.pick("Đăng nhập", "Sign in"),
        Username => lang.pick("Tên đăng nhập", "Username"),
        Password => lang.pick("Mật khẩu", "Password"),
        SignIn => lang.pick("Đăng nhập", "Sign in"),
        BadCredentials => lang.pick("Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password."),
        NoAccountYet => lang.pick("Chưa có tài khoản?", "No account yet?"),
        RegisterHeading => lang.pick("Đăng ký tài khoản", "Create an account"),
        Register => lang.pick("Đăng ký", "Create account"),
        FullName => lang.pick("Họ và tên", "Full name"),
        UsernameTaken => lang.pick("Tên đăng nhập này đã có người dùng.", "This username is already taken."),
        AccountHeading => lang.pick("Tài khoản của tôi", "My account"),
        CurrentPassword => lang.pick("Mật khẩu hiện tại", "Current password"),
        NewPasswordLabel => lang.pick("Mật khẩu mới", "New password"),
        ChangePassword => lang.pick("Đổi mật khẩu", "Change password"),
        SetOwnPassword => lang.pick("Tài khoản đang dùng mật khẩu tạm thời: hãy đặt mật khẩu của riêng bạn trước khi làm việc.", "This account still has its one-time password: set your own before anything else."),
        OneTimePasswordExpired => lang.pick("Mật khẩu tạm thời đã hết hạn sau 72 giờ; hãy nhờ quản trị viên cấp mật khẩu mới.", "The one-time password expired after 72 hours; ask an administrator for a new one."),
        PasswordChanged => lang.pick("Đã đổi mật khẩu. Các phiên đăng nhập khác đã bị đăng xuất.", "Password changed. Your other sessions were signed out."),
        SignedInAs => lang.pick("Đăng nhập với vai trò", "Signed in as"),
        ScreeningHeading => lang.pick("Phản ánh chờ tiếp nhận", "Reports awaiting screening"),
        ReviewHeading => lang.pick("Cần điều phối xử lý", "Waiting for the coordinator"),
        AgencyQueueHeading => lang.pick("Phản ánh giao cho đơn vị", "Cases routed to my agency"),
        QueueEmpty => lang.pick("Không có phản ánh nào.", "Nothing here."),
        QueueNextPage => lang.pick("Trang sau", "Next page"),
        QueueFirstPage => lang.pick("Về trang đầu", "Back to the first page"),
        SuggestOutOfArea => lang.pick("Ngoài địa bàn", "Out of area"),
        SuggestDuplicates => lang.pick("Có thể trùng với", "Possible duplicate of"),
        SuggestAgency => lang.pick("Đơn vị đề xuất", "Suggested agency"),
        Deadline => lang.pick("Hạn xử lý", "Deadline"),
        Overdue => lang.pick("Quá hạn", "Overdue"),
        LeadAgency => lang.pick("Đơn vị xử lý", "Lead agency"),
        Returns => lang.pick("Số lần bị trả lại", "Times returned"),
        Reporter => lang.pick("Người phản ánh", "Reporter"),
        Internal => lang.pick("Nội bộ", "Internal"),
        Actions => lang.pick("Xử lý phản ánh", "Actions"),
        ActAccept => lang.pick("Tiếp nhận và chuyển xử lý", "Accept and route"),
        ActReject => lang.pick("Không tiếp nhận", "Reject"),
        RejectReasonLabel => lang.pick("Lý do không tiếp nhận", "Reason for rejection"),
        DuplicateOfLabel => lang.pick("Trùng với phản ánh số", "Duplicate of case number"),
        ExplanationLabel => lang.pick("Giải thích công khai", "Public explanation"),
        ActAcknowledge => lang.pick("Nhận xử lý", "Acknowledge"),
        ActAddNote => lang.pick("Thêm ghi chú", "Add note"),
        NoteLabel => lang.pick("Ghi chú", "Note"),
        NotePublicLabel => lang.pick("Công khai ghi chú này", "Make this note public"),
        ActRequestExtension => lang.pick("Xin gia hạn", "Request extension"),
        DaysLabel => lang.pick("Số ngày làm việc", "Working days"),
        ExtensionReasonLabel => lang.pick("Lý do gia hạn", "Reason for the extension"),
        ExtensionPending => lang.pick("Đơn vị xin gia hạn", "The agency asks for an extension of"),
        ActApproveExtension => lang.pick("Đồng ý gia hạn", "Approve extension"),
        ActRefuseExtension => lang.pick("Không đồng ý gia hạn", "Refuse extension"),
        ActSubmitResult => lang.pick("Gửi kết quả xử lý", "Submit result"),
        ResultLabel => lang.pick("Kết quả xử lý", "Result"),
        ActReturn => lang.pick("Trả lại (không thuộc thẩm quyền)", "Return (not ours)"),
        ReturnReasonLabel => lang.pick("Lý do trả lại", "Why it is not ours"),
        ActApprove => lang.pick("Duyệt kết quả", "Approve result"),
        ActSendBack => lang.pick("Yêu cầu xử lý lại", "Send back"),
        SendBackLabel => lang.pick("Yêu cầu bổ sung", "What is missing"),
        ActClose => lang.pick("Đóng phản ánh", "Close the case"),
        ActReopen => lang.pick("Mở lại và giao xử lý lại", "Reopen and reassign"),
        Conflict => lang.pick("Người khác vừa cập nhật phản ánh này. Trang đã hiển thị trạng thái mới nhất; vui lòng xem lại.", "Someone else changed this case just now. The page shows the latest state; please check again."),
        Refused => lang.pick("Không thể thực hiện thao tác này ở trạng thái hiện tại.", "This action is not possible in the case's current state."),
        ActionFailed => lang.pick("Không thực hiện được. Vui lòng thử lại.", "That did not work. Please try again."),
        Done => lang.pick("Đã cập nhật.", "Updated."),
        MyReportsHeading => lang.pick("Phản ánh của tôi", "My reports"),
        RateHeading => lang.pick("Đánh giá kết quả xử lý", "Rate the result"),
        RateSatisfied => lang.pick("Hài lòng", "Satisfied"),
        RateAcceptable => lang.pick("Chấp nhận", "Acceptable"),
        RateUnsatisfied => lang.pick("Không hài lòng", "Unsatisfied"),
        RatingLabel => lang.pick("Mức độ hài lòng", "Your rating"),
        CommentLabel => lang.pick("Nhận xét (không bắt buộc)", "Comment (optional)"),
        SendRating => lang.pick("Gửi đánh giá", "Send rating"),
        YourRating => lang.pick("Bạn đã đánh giá", "Your rating"),
        NoticesHeading => lang.pick("Thông báo", "Notices"),
        SignInToSee => lang.pick("Vui lòng đăng nhập để xem trang này.", "Please sign in to see this page."),
        NotAllowed => lang.pick("Bạn không có quyền xem trang này.", "You may not see this page."),
        OpenCase => lang.pick("Mở", "Open"),
        ReportSignedInHint => lang.pick("Phản ánh sẽ gắn với tài khoản của bạn để theo dõi và đánh giá.", "The report will be linked to your account so you can follow and rate it."),
        ChooseOne => lang.pick("— Chọn —", "— Choose —"),
        AdminConsole => lang.pick("Quản trị hệ thống", "Administration"),
        NavAdmin => lang.pick("Quản trị", "Administration"),
        AdminCategories => lang.pick("Lĩnh vực", "Categories"),
        AdminCategoriesIntro => lang.pick("Mỗi lĩnh vực có thời hạn xử lý tính bằng ngày làm việc. Đổi thời hạn chỉ áp dụng cho phản ánh gửi đến sau đó; phản ánh đã có giữ nguyên thời hạn. Lĩnh vực ngừng sử dụng vẫn giữ lịch sử nhưng không nhận phản ánh mới. Một lĩnh vực có thể đặt riêng số ngày nhắc đơn vị trước hạn và báo lãnh đạo sau hạn; để trống là theo cài đặt của tỉnh.", "Each category has a deadline in working days. A new deadline applies to cases that arrive afterwards; existing cases keep theirs. A deactivated category keeps its history but takes no new reports. A category may set its own days for reminding the agency before the deadline and telling the leader after it; empty keeps the province's setting."),
        AdminAgencies => lang.pick("Đơn vị xử lý", "Agencies"),
        AdminAgenciesIntro => lang.pick("Các sở, ngành, doanh nghiệp, UBND cấp huyện, xã và công an nhận xử lý phản ánh. Đơn vị ngừng hoạt động vẫn giữ lịch sử nhưng không thể được giao phản ánh mới.", "The departments, utilities, district and commune committees and police that handle cases. A deactivated agency keeps its history but cannot be given new cases."),
        AdminAreas => lang.pick("Địa bàn", "Areas"),
        AdminAreasIntro => lang.pick("Nhập ranh giới địa bàn từ tệp GeoJSON (Polygon hoặc MultiPolygon, thuộc tính code và name). Địa bàn mới nhập ở trạng thái ngừng sử dụng cho đến khi được kích hoạt; kiểm tra ngoài địa bàn chỉ dùng các địa bàn đang hoạt động.", "Import area boundaries from a GeoJSON file (Polygon or MultiPolygon, with code and name properties). Imported areas stay inactive until activated; the out-of-area check uses active areas only."),
        AdminAreaFile => lang.pick("Tệp GeoJSON ranh giới", "Boundary GeoJSON file"),
        AdminAreaFileHint => lang.pick("Tối đa 10 MB và 500 vùng. Nhập lại một mã đã có sẽ thay ranh giới và tên của địa bàn đó.", "At most 10 MB and 500 features. Importing a code that exists replaces that area's boundary and name."),
        AdminImportAreas => lang.pick("Nhập địa bàn", "Import areas"),
        AdminChooseFile => lang.pick("Vui lòng chọn một tệp GeoJSON.", "Please choose a GeoJSON file."),
        AdminImported => lang.pick("Đã nhập các địa bàn:", "Areas imported:"),
        AdminAreasMap => lang.pick("Bản đồ ranh giới địa bàn", "Map of area boundaries"),
        AdminPolygons => lang.pick("Số vùng", "Polygons"),
        AdminActivate => lang.pick("Kích hoạt", "Activate"),
        AdminDeactivate => lang.pick("Ngừng sử dụng", "Deactivate"),
        AdminActive => lang.pick("Đang sử dụng", "Active"),
        AdminInactive => lang.pick("Ngừng sử dụng", "Inactive"),
        AdminEdit => lang.pick("Sửa", "Edit"),
        AdminRemove => lang.pick("Xóa", "Remove"),
        AdminSaved => lang.pick("Đã lưu.", "Saved."),
        AdminSaveCategory => lang.pick("Lưu lĩnh vực", "Save category"),
        AdminSaveAgency => lang.pick("Lưu đơn vị", "Save agency"),
        AdminRoutes => lang.pick("Phân công xử lý", "Routing table"),
        AdminRoutesIntro => lang.pick("Đơn vị chủ trì cho từng lĩnh vực trên từng địa bàn. Khi tiếp nhận, điều phối viên được gợi ý đơn vị theo bảng này như lúc phản ánh được gửi đến.", "The lead agency for each category in each area. Screening suggests the agency this table named when the case arrived."),
        AdminSaveRoute => lang.pick("Lưu phân công", "Save route"),
        AdminHolidays => lang.pick("Ngày nghỉ lễ", "Holidays"),
        AdminHolidaysIntro => lang.pick("Các ngày nghỉ không tính vào thời hạn xử lý. Thay đổi áp dụng cho các thời hạn được tính từ nay.", "Days off that deadlines do not count. Changes apply to deadlines computed from now on."),
        AdminSaveHoliday => lang.pick("Lưu ngày nghỉ", "Save holiday"),
        AdminStaff => lang.pick("Tài khoản cán bộ", "Staff accounts"),
        AdminStaffIntro => lang.pick("Tạo tài khoản cho cán bộ, đổi vai trò, gán cán bộ xử lý vào đơn vị và điều phối viên vào địa bàn. Tài khoản đã tham gia xử lý phản ánh không bao giờ bị xóa, chỉ bị khóa.", "Create staff accounts, change roles, bind officers to an agency and coordinators to areas. Accounts that acted on cases are never deleted, only deactivated."),
        AdminStaffList => lang.pick("Danh sách tài khoản", "Accounts"),
        AdminInvite => lang.pick("Tạo tài khoản", "Create account"),
        AdminPasswordShownOnce => lang.pick("Mật khẩu tạm thời, chỉ hiện một lần: hãy trao trực tiếp cho cán bộ và yêu cầu đổi ngay khi đăng nhập.", "Temporary password, shown once: hand it over in person and ask for it to be changed at first sign-in."),
        AdminAreasHint => lang.pick("Không chọn địa bàn nào: điều phối viên cấp tỉnh, xem mọi phản ánh.", "No area chosen: a province-level coordinator who sees every case."),
        AdminMaySignIn => lang.pick("Được phép đăng nhập", "May sign in"),
        AdminDeactivated => lang.pick("Đã khóa", "Deactivated"),
        AdminSaveAccount => lang.pick("Lưu tài khoản", "Save account"),
        AdminChanges => lang.pick("Nhật ký thay đổi", "Change log"),
        AdminChangesIntro => lang.pick("Mọi thay đổi danh mục và tài khoản: ai, khi nào, trước và sau.", "Every change to the catalogue and accounts: who, when, before and after."),
        AdminWho => lang.pick("Người thực hiện", "By"),
        AdminWhat => lang.pick("Mục", "Entry"),
        AdminBefore => lang.pick("Trước", "Before"),
        AdminAfter => lang.pick("Sau", "After"),
        AdminOlder => lang.pick("Cũ hơn", "Older"),
        ReportAnonymousHint => lang.pick("Đăng nhập để theo dõi phản ánh và đánh giá kết quả.", "Sign in to follow your report and rate the result."),
        Photos => lang.pick("Ảnh", "Photos"),
        PhotosHint => lang.pick("Tối đa 5 ảnh JPEG, PNG hoặc WebP, mỗi ảnh không quá 10 MB. Vị trí và thông tin máy ảnh trong tệp được xóa trước khi lưu.", "Up to 5 JPEG, PNG or WebP photos of at most 10 MB each. Location and camera details in the files are removed before they are stored."),
        AttachPhotos => lang.pick("Đính kèm ảnh", "Attach photos"),
        RemovePhoto => lang.pick("Bỏ ảnh", "Remove photo"),
        UploadingPhotos => lang.pick("Đang tải ảnh lên", "Uploading photos"),
        PhotosUploaded => lang.pick("Đã tải ảnh lên", "Photos uploaded"),
        PhotoAlt => lang.pick("Ảnh hiện trường", "Photo of the site"),
        ResultPhotoAlt => lang.pick("Ảnh kết quả xử lý", "Photo of the result"),
        ReportPhotosHeading => lang.pick("Ảnh hiện trường", "Photos of the site"),
        ResultPhotosHeading => lang.pick("Ảnh kết quả xử lý", "Photos of the result"),
        ResultPhotos => lang.pick("Ảnh kết quả", "Result photos"),
        PhotosStillUploading => lang.pick("Vui lòng chờ ảnh tải lên xong.", "Please wait until the photos have uploaded."),
        // Staff workspace and landing pages
        WsCaseSection => lang.pick("Thông tin phản ánh", "The case"),
        WsArea => lang.pick("Địa bàn", "Area"),
        WsAddress => lang.pick("Địa chỉ", "Address"),
        WsNoAddress => lang.pick("Không ghi địa chỉ", "No address given"),
        WsSentAt => lang.pick("Thời điểm gửi", "Sent at"),
        WsCoordinates => lang.pick("Tọa độ", "Coordinates"),
        WsDescription => lang.pick("Nội dung phản ánh", "What was reported"),
        WsMapHeading => lang.pick("Vị trí và các phản ánh lân cận", "Where it is, and the cases nearby"),
        WsMapLabel => lang.pick("Bản đồ phản ánh này và các phản ánh lân cận", "Map of this case and the cases nearby"),
        WsMapHint => lang.pick("Điểm ghim là phản ánh này; các chấm và cụm là phản ánh lân cận trong phạm vi của bạn.", "The pin is this case; the dots and clusters are the cases nearby within your reach."),
        WsSuggestions => lang.pick("Gợi ý khi tiếp nhận", "Screening suggestions"),
        WsNoActions => lang.pick("Vai trò của bạn không có thao tác nào với phản ánh ở trạng thái này.", "Your role has nothing to do on this case in its current status."),
        WsNextCase => lang.pick("Phản ánh tiếp theo", "Next case"),
        WsNextShortcut => lang.pick("Phím tắt: Alt+N", "Shortcut: Alt+N"),
        WsQueueEmpty => lang.pick("Không còn phản ánh nào khác trong hàng chờ.", "No other case waits in this queue."),
        WsBackToQueue => lang.pick("Về hàng chờ", "Back to the queue"),
        WsCaseLeft => lang.pick("Phản ánh đã rời khỏi phạm vi của bạn.", "The case has left your reach."),
        WsProgressNoteLabel => lang.pick("Ghi chú tiến độ xử lý", "Progress note"),
        WsVerificationNoteLabel => lang.pick("Nội dung cần tổng đài gọi xác minh", "What the hotline should verify by phone"),
        WsReopenNoteLabel => lang.pick("Lý do mở lại", "Why the case is reopened"),
        WsCloseNoteLabel => lang.pick("Lý do đóng phản ánh", "Why the case is closed"),
        NavLeader => lang.pick("Tổng quan điều hành", "Overview"),
        LeaderHeading => lang.pick("Tổng quan điều hành", "Leader's overview"),
        LeaderIntro => lang.pick("Số liệu của kỳ, các phản ánh đang quá hạn theo đơn vị và bản đồ điều hành.", "This period's figures, the overdue cases by agency, and the cases map."),
        LeaderPeriod => lang.pick("Kỳ số liệu", "Period"),
        LeaderFigures => lang.pick("Số liệu của kỳ", "This period's figures"),
        LeaderOnTime => lang.pick("Tỷ lệ xử lý đúng hạn", "Handled on time"),
        LeaderSatisfied => lang.pick("Người dân hài lòng", "Reporters satisfied"),
        LeaderFullStats => lang.pick("Xem thống kê đầy đủ của kỳ", "See the period's full statistics"),
        LeaderOverdueCases => lang.pick("Phản ánh quá hạn", "Overdue cases"),
        LeaderLongestOverdue => lang.pick("Quá hạn lâu nhất (ngày)", "Longest overdue (days)"),
        LeaderMapIntro => lang.pick("Xem các phản ánh theo khu vực, lọc theo trạng thái, đơn vị và quá hạn.", "See the cases by place, filtered by status, agency and overdue."),
        LeaderOpenMap => lang.pick("Mở bản đồ điều hành", "Open the cases map"),
        AdminOverview => lang.pick("Tổng quan", "Overview"),
        AdminOverviewHeading => lang.pick("Tổng quan quản trị", "Administration overview"),
        AdminOverviewIntro => lang.pick("Danh mục, tài khoản và khóa API của hệ thống; mở từng trang để xem và sửa.", "The system's catalogue, accounts and API keys; open each page to see and change them."),
        AdminOverviewCaption => lang.pick("Các trang quản trị", "The console's pages"),
        AdminOverviewPage => lang.pick("Trang", "Page"),
        AdminOverviewTotal => lang.pick("Tổng số", "Total"),
        AdminOverviewInUse => lang.pick("Đang dùng", "In use"),
        AdminRecentChanges => lang.pick("Thay đổi gần đây", "Recent changes"),
        AdminNoChanges => lang.pick("Chưa có thay đổi nào.", "No change yet."),
        AdminWholeLog => lang.pick("Xem toàn bộ nhật ký thay đổi", "See the whole change log"),
        AdminStaffMapIntro => lang.pick("Bản đồ điều hành cho thấy các phản ánh theo khu vực.", "The cases map shows the cases by place."),
        AccessLogTab => lang.pick("Nhật ký truy cập", "Access log"),
        AccessLogHeading => lang.pick("Nhật ký truy cập dữ liệu cá nhân", "Access log of personal data"),
        AccessLogIntro => lang.pick(
            "Mỗi lần cán bộ xem họ tên, số điện thoại, thư điện tử của người phản ánh hoặc số điện thoại của người gọi, hệ thống ghi lại ai xem, khi nào, phản ánh nào và trên trang nào. Nhật ký chỉ được ghi thêm: không ai sửa hay xóa được.",
            "Each time staff see a reporter's name, phone or e-mail, or a caller's number, the system records who saw it, when, which case and on which page. The log is append-only: nobody can change or delete it.",
        ),
        AccessLogCaption => lang.pick("Các lượt xem dữ liệu cá nhân, mới nhất trước", "Views of personal data, newest first"),
        AccessLogPerson => lang.pick("Cán bộ", "Staff member"),
        AccessLogWho => lang.pick("Người xem", "Who"),
        AccessLogEveryone => lang.pick("Tất cả cán bộ", "Everyone"),
        AccessLogFilter => lang.pick("Lọc nhật ký", "Filter the log"),
        AccessLogPage => lang.pick("Trang hiển thị", "Page that showed it"),
        AccessLogCases => lang.pick("Phản ánh", "Cases"),
        AccessLogEmpty => lang.pick("Không có lượt xem nào.", "No view recorded."),
        AccessLogNewest => lang.pick("Về các lượt xem mới nhất", "Back to the newest views"),
        AccessLogFiltered => lang.pick("Bộ lọc nhật ký truy cập", "Access log filters"),
        LeaderAccessHeading => lang.pick("Truy cập dữ liệu cá nhân", "Access to personal data"),
        LeaderAccessIntro => lang.pick(
            "Số lượt cán bộ xem thông tin liên hệ của người phản ánh hoặc số điện thoại người gọi trong kỳ, theo vai trò. Chỉ có số lượng; quản trị viên xem nhật ký chi tiết.",
            "How often staff saw reporters' contacts or callers' numbers in the period, by role. Counts only; administrators read the detailed log.",
        ),
        LeaderAccessViews => lang.pick("Lượt xem", "Views"),
        LeaderAccessPeople => lang.pick("Số cán bộ", "People"),
        LeaderAccessCases => lang.pick("Số phản ánh", "Cases"),
        LeaderAccessNone => lang.pick("Không có lượt xem dữ liệu cá nhân nào trong kỳ.", "No view of personal data in the period."),
    }
}

/// The label of a form field, for error messages and labels alike.
pub fn field_label(lang: Lang, field: Field) -> &'static str {
    match field {
        Field::SubmissionKey => lang.pick("Mã gửi", "Submission key"),
        Field::Category => tr(lang, Key::Category),
        Field::Title => tr(lang, Key::Title),
        Field::Description => tr(lang, Key::Description),
        Field::Location => tr(lang, Key::Location),
        Field::ReporterName => tr(lang, Key::ReporterName),
        Field::ReporterPhone => tr(lang, Key::ReporterPhone),
        Field::ReporterEmail => tr(lang, Key::ReporterEmail),
        Field::Username => lang.pick("Tên đăng nhập", "Username"),
        Field::DisplayName => lang.pick("Họ và tên", "Full name"),
        Field::Password => lang.pick("Mật khẩu", "Password"),
        Field::Note => lang.pick("Nội dung", "Note"),
        Field::Agency => lang.pick("Đơn vị xử lý", "Agency"),
        Field::Reason => lang.pick("Lý do", "Reason"),
        Field::DuplicateOf => lang.pick("Trùng với phản ánh số", "Duplicate of case"),
        Field::Days => lang.pick("Số ngày làm việc", "Working days"),
        Field::CallerPhone => lang.pick("Số điện thoại người gọi", "Caller's phone"),
        Field::CallPurpose => lang.pick("Mục đích cuộc gọi", "Purpose of the call"),
        Field::CallOutcome => lang.pick("Kết quả cuộc gọi", "Outcome of the call"),
        Field::CaseNumber => lang.pick("Mã số phản ánh", "Case number"),
        Field::ClaimCode => tr(lang, Key::ClaimCode),
        Field::Duration => lang.pick("Thời lượng", "Duration"),
        Field::CallbackAt => lang.pick("Thời điểm gọi lại", "Callback time"),
        Field::Address => lang.pick("Địa chỉ", "Address"),
        Field::PeriodFrom => lang.pick("Từ ngày", "From"),
        Field::PeriodTo => lang.pick("Đến ngày", "To"),
        Field::Area => lang.pick("Địa bàn", "Area"),
        Field::Status => lang.pick("Trạng thái", "Status"),
        Field::Channel => tr(lang, Key::Channel),
        Field::Photos => tr(lang, Key::Photos),
        Field::Code => lang.pick("Mã", "Code"),
        Field::NameVi => lang.pick("Tên tiếng Việt", "Vietnamese name"),
        Field::NameEn => lang.pick("Tên tiếng Anh", "English name"),
        Field::DeadlineDays => lang.pick("Thời hạn xử lý (ngày làm việc)", "Deadline (working days)"),
        Field::Kind => lang.pick("Loại đơn vị", "Kind of agency"),
        Field::Contact => lang.pick("Liên hệ", "Contact"),
        Field::Date => lang.pick("Ngày", "Date"),
        Field::Name => lang.pick("Tên", "Name"),
        Field::Role => lang.pick("Vai trò", "Role"),
        Field::Areas => lang.pick("Địa bàn phụ trách", "Areas covered"),
        Field::File => lang.pick("Tệp", "File"),
        Field::SearchQuery => lang.pick("Từ khoá tìm kiếm", "Search"),
        Field::Email => lang.pick("Thư điện tử", "E-mail address"),
        Field::Phone => lang.pick("Số điện thoại", "Phone number"),
        Field::Handle => lang.pick("Tên đăng nhập hoặc thư điện tử", "Username or e-mail address"),
        Field::Frequency => lang.pick("Tần suất nhận thư", "How often to mail"),
        Field::PauseDays => lang.pick("Số ngày làm việc chờ trả lời", "Working days to wait for the answer"),
        Field::Question => lang.pick("Câu hỏi cho người phản ánh", "Question to the reporter"),
        Field::Answer => lang.pick("Thông tin bổ sung", "Your answer"),
        Field::ReminderDays => {
            lang.pick("Nhắc đơn vị trước hạn (ngày làm việc)", "Remind the agency before (working days)")
        }
        Field::LeaderDays => lang.pick("Báo lãnh đạo sau hạn (ngày làm việc)", "Tell the leader after (working days)"),
        Field::Assignee => lang.pick("Cán bộ được giao", "Officer assigned"),
        Field::PushEndpoint => lang.pick("Địa chỉ nhận thông báo (endpoint)", "Push address (endpoint)"),
        Field::PushKey => lang.pick("Khóa mã hóa thông báo (keys.p256dh)", "Push key (keys.p256dh)"),
        Field::PushAuth => lang.pick("Mã xác thực thông báo (keys.auth)", "Push secret (keys.auth)"),
    }
}

/// A sentence explaining why the file `file_name` was refused, naming it first.
pub fn photo_error_message(lang: Lang, file_name: &str, error: &ValidationError) -> String {
    let name = domain::photos::display_file_name(file_name);
    format!("{name}: {}", error_message(lang, error))
}

/// A sentence explaining `error` in `lang`, naming the field.
pub fn error_message(lang: Lang, error: &ValidationError) -> String {
    let field = field_label(lang, error.field);
    match (lang, error.reason) {
        (_, Reason::Required) if error.field == Field::Location => {
            lang.pick("Vui lòng ghim vị trí trên bản đồ.", "Please pin the location on the map.").to_string()
        }
        (Lang::Vi, Reason::Required) => format!("{field}: không được để trống."),
        (Lang::En, Reason::Required) => format!("{field} is required."),
        (Lang::Vi, Reason::TooShort { min }) => format!("{field}: cần ít nhất {min} ký tự."),
        (Lang::En, Reason::TooShort { min }) => format!("{field} needs at least {min} characters."),
        (Lang::Vi, Reason::TooLong { max }) => format!("{field}: tối đa {max} ký tự."),
        (Lang::En, Reason::TooLong { max }) => format!("{field} can have at most {max} characters."),
        (Lang::Vi, Reason::ControlCharacters) => format!("{field}: có ký tự điều khiển không hợp lệ."),
        (Lang::En, Reason::ControlCharacters) => format!("{field} contains control characters."),
        (Lang::Vi, Reason::OutOfRange) if error.field == Field::DeadlineDays => {
            format!("{field}: cần một số từ 1 đến {}.", domain::catalogue::MAX_DEADLINE_DAYS)
        }
        (Lang::En, Reason::OutOfRange) if error.field == Field::DeadlineDays => {
            format!("{field} needs a number from 1 to {}.", domain::catalogue::MAX_DEADLINE_DAYS)
        }
        (Lang::Vi, Reason::OutOfRange) if error.field == Field::Days => format!("{field}: cần một số từ 1 đến 30."),
        (Lang::En, Reason::OutOfRange) if error.field == Field::Days => format!("{field} needs a number from 1 to 30."),
        (Lang::Vi, Reason::OutOfRange) if matches!(error.field, Field::ReminderDays | Field::LeaderDays) => {
            format!("{field}: để trống hoặc một số từ 1 đến {}.", domain::catalogue::MAX_ESCALATION_DAYS)
        }
        (Lang::En, Reason::OutOfRange) if matches!(error.field, Field::ReminderDays | Field::LeaderDays) => {
            format!("{field}: leave it empty or give a number from 1 to {}.", domain::catalogue::MAX_ESCALATION_DAYS)
        }
        (Lang::Vi, Reason::OutOfRange) if error.field == Field::PauseDays => {
            format!("{field}: cần một số từ 1 đến {}.", domain::pause::MAX_PAUSE_DAYS)
        }
        (Lang::En, Reason::OutOfRange) if error.field == Field::PauseDays => {
            format!("{field} needs a number from 1 to {}.", domain::pause::MAX_PAUSE_DAYS)
        }
        (Lang::Vi, Reason::OutOfRange) if error.field == Field::Date => {
            format!("{field}: cần một năm từ 2000 đến 2100.")
        }
        (Lang::En, Reason::OutOfRange) if error.field == Field::Date => {
            format!("{field} needs a year from 2000 to 2100.")
        }
        (Lang::Vi, Reason::OutOfRange) => format!("{field}: tọa độ nằm ngoài phạm vi hợp lệ."),
        (Lang::En, Reason::OutOfRange) => format!("{field}: the coordinates are out of range."),
        (Lang::Vi, Reason::NotFinite) => format!("{field}: tọa độ không phải là số hợp lệ."),
        (Lang::En, Reason::NotFinite) => format!("{field}: the coordinates are not valid numbers."),
        (Lang::Vi, Reason::UnknownCategory) => format!("{field}: lĩnh vực không có trong danh mục."),
        (Lang::En, Reason::UnknownCategory) => format!("{field}: not a category of the catalogue."),
        (Lang::Vi, Reason::InvalidPhone) => {
            format!("{field}: không phải số điện thoại Việt Nam hợp lệ (ví dụ 0912 345 678).")
        }
        (Lang::En, Reason::InvalidPhone) => format!("{field} is not a valid Vietnamese number (e.g. 0912 345 678)."),
        (Lang::Vi, Reason::InvalidEmail) => format!("{field}: địa chỉ thư điện tử không hợp lệ."),
        (Lang::En, Reason::InvalidEmail) => format!("{field} is not a valid e-mail address."),
        (Lang::Vi, Reason::InvalidKey) => format!("{field}: không hợp lệ; vui lòng tải lại trang."),
        (Lang::En, Reason::InvalidKey) => format!("{field} is invalid; please reload the page."),
        (Lang::Vi, Reason::InvalidUsername) => {
            format!("{field}: chỉ dùng chữ thường không dấu, chữ số và các dấu . _ -")
        }
        (Lang::En, Reason::InvalidUsername) => format!("{field} may hold only a–z, digits and . _ -"),
        (Lang::Vi, Reason::UnknownAgency) => format!("{field}: đơn vị không có trong danh mục."),
        (Lang::En, Reason::UnknownAgency) => format!("{field}: not an agency of the catalogue."),
        (Lang::Vi, Reason::UnknownCase) => format!("{field}: không có phản ánh này."),
        (Lang::En, Reason::UnknownCase) => format!("{field}: no such case."),
        (Lang::Vi, Reason::InvalidDate) => {
            format!("{field}: cần một ngày có thật, dạng NNNN-TT-NN (ví dụ 2023-06-30).")
        }
        (Lang::En, Reason::InvalidDate) => format!("{field} needs a real date written YYYY-MM-DD (e.g. 2023-06-30)."),
        (Lang::Vi, Reason::EndBeforeStart) => format!("{field}: không được trước ngày bắt đầu."),
        (Lang::En, Reason::EndBeforeStart) => format!("{field} cannot be before the start date."),
        (Lang::Vi, Reason::PeriodTooLong { max_years }) => {
            format!("{field}: khoảng thời gian dài nhất là {max_years} năm.")
        }
        (Lang::En, Reason::PeriodTooLong { max_years }) => {
            format!("{field}: a period spans at most {max_years} years.")
        }
        (Lang::Vi, Reason::UnknownArea) => format!("{field}: địa bàn không có trong danh mục."),
        (Lang::En, Reason::UnknownArea) => format!("{field}: not an area of the catalogue."),
        (Lang::Vi, Reason::UnknownStatus) => format!("{field}: không phải trạng thái của phản ánh."),
        (Lang::En, Reason::UnknownStatus) => format!("{field}: not a status of a case."),
        (Lang::Vi, Reason::UnknownChannel) => format!("{field}: chỉ có thể là web, app, hotline hoặc api."),
        (Lang::En, Reason::UnknownChannel) => format!("{field} can only be web, app, hotline or api."),
        (Lang::Vi, Reason::TooManyPhotos { max }) => format!("{field}: tối đa {max} ảnh."),
        (Lang::En, Reason::TooManyPhotos { max }) => format!("{field}: at most {max} photos."),
        (Lang::Vi, Reason::FileTooLarge { max_mb }) => format!("tệp lớn hơn {max_mb} MB."),
        (Lang::En, Reason::FileTooLarge { max_mb }) => format!("the file is larger than {max_mb} MB."),
        (Lang::Vi, Reason::TooManyPixels { max_megapixels }) => {
            format!("ảnh lớn hơn {max_megapixels} megapixel.")
        }
        (Lang::En, Reason::TooManyPixels { max_megapixels }) => {
            format!("the image has more than {max_megapixels} megapixels.")
        }
        (Lang::Vi, Reason::UnsupportedFormat) => {
            "định dạng ảnh không được hỗ trợ (HEIC); vui lòng gửi ảnh JPEG, PNG hoặc WebP.".to_string()
        }
        (Lang::En, Reason::UnsupportedFormat) => {
            "format not supported (HEIC); please send a JPEG, PNG or WebP photo.".to_string()
        }
        (Lang::Vi, Reason::NotAnImage) => "không phải ảnh JPEG, PNG hoặc WebP đọc được.".to_string(),
        (Lang::En, Reason::NotAnImage) => "not a readable JPEG, PNG or WebP image.".to_string(),
        (Lang::Vi, Reason::UnknownPhoto) => format!("{field}: có ảnh chưa được tải lên; vui lòng đính kèm lại."),
        (Lang::En, Reason::UnknownPhoto) => format!("{field}: a photo was not uploaded; please attach it again."),
        (Lang::Vi, Reason::InvalidCode) => {
            format!("{field}: 2–40 ký tự gồm chữ thường không dấu, chữ số, _ và -, bắt đầu bằng chữ cái.")
        }
        (Lang::En, Reason::InvalidCode) => {
            format!("{field}: 2–40 of a–z, digits, _ and -, starting with a letter.")
        }
        (Lang::Vi, Reason::InvalidClaimCode) => format!("{field}: gồm đúng 8 chữ số."),
        (Lang::En, Reason::InvalidClaimCode) => format!("{field}: exactly 8 digits."),
        (Lang::Vi, Reason::UnknownKind) => format!("{field}: không phải loại đơn vị trong danh sách."),
        (Lang::En, Reason::UnknownKind) => format!("{field}: not a kind of agency from the list."),
        (Lang::Vi, Reason::UnknownRole) => format!("{field}: không phải vai trò trong danh sách."),
        (Lang::En, Reason::UnknownRole) => format!("{field}: not a role from the list."),
        (Lang::Vi, Reason::AreasForCoordinatorsOnly) => format!("{field}: chỉ cán bộ điều phối được gán địa bàn."),
        (Lang::En, Reason::AreasForCoordinatorsOnly) => format!("{field}: only coordinators are bound to areas."),
        (Lang::Vi, Reason::Inactive) => format!("{field}: mục này đã ngừng sử dụng."),
        (Lang::En, Reason::Inactive) => format!("{field}: this entry is no longer in use."),
        (Lang::Vi, Reason::OwnAccount) => {
            format!("{field}: không thể tự bỏ quyền quản trị hoặc tự khóa tài khoản của mình.")
        }
        (Lang::En, Reason::OwnAccount) => {
            format!("{field}: you cannot remove your own admin rights or deactivate yourself.")
        }
        (Lang::Vi, Reason::WrongPassword) => format!("{field}: không đúng mật khẩu hiện tại của tài khoản."),
        (Lang::En, Reason::WrongPassword) => format!("{field}: this is not the account's current password."),
        (Lang::Vi, Reason::AreaTooLarge) => {
            format!("{field}: vùng vẽ trên bản đồ quá rộng; hãy phóng to bản đồ tới một khu phố hoặc thị trấn.")
        }
        (Lang::Vi, Reason::LimitReached { max }) => {
            format!("{field}: bạn đã có tối đa {max}; hãy xoá bớt trước khi thêm.")
        }
        (Lang::En, Reason::LimitReached { max }) => {
            format!("{field}: you already have the most allowed ({max}); remove one first.")
        }
        (Lang::En, Reason::AreaTooLarge) => {
            format!("{field}: the place drawn on the map is too large; zoom in to a neighbourhood or a town.")
        }
        (Lang::Vi, Reason::AlreadySupported) => {
            format!("{field}: bạn đã ủng hộ phản ánh này rồi; mỗi tài khoản hoặc thiết bị chỉ ủng hộ một lần.")
        }
        (Lang::En, Reason::AlreadySupported) => {
            format!("{field}: you already support this case; one support per account or device.")
        }
        (Lang::Vi, Reason::OwnReport) => format!("{field}: đây là phản ánh của chính bạn, đã được tính."),
        (Lang::En, Reason::OwnReport) => format!("{field}: this is your own report, which already counts you."),
        (Lang::Vi, Reason::NotOpenForSupport) => {
            format!("{field}: phản ánh này chưa được tiếp nhận, đã kết thúc hoặc đã được gộp vào phản ánh khác.")
        }
        (Lang::En, Reason::NotOpenForSupport) => {
            format!("{field}: this case is not screened yet, is finished, or was merged into another.")
        }
        (Lang::Vi, Reason::SameCase) => format!("{field}: không thể gộp một phản ánh vào chính nó."),
        (Lang::En, Reason::SameCase) => format!("{field}: a case cannot be merged into itself."),
        (Lang::Vi, Reason::NotAnOfficerOfTheAgency) => {
            format!("{field}: không phải cán bộ đang làm việc của đơn vị xử lý phản ánh này.")
        }
        (Lang::En, Reason::NotAnOfficerOfTheAgency) => {
            format!("{field}: not an active officer of the agency handling this case.")
        }
        (Lang::Vi, Reason::NotHttpsUrl) => format!("{field}: cần một địa chỉ https của dịch vụ thông báo đẩy."),
        (Lang::En, Reason::NotHttpsUrl) => format!("{field} needs the https address of a push service."),
        (Lang::Vi, Reason::WrongKeyLength { bytes }) => {
            format!("{field}: cần đúng {bytes} byte viết theo base64url.")
        }
        (Lang::En, Reason::WrongKeyLength { bytes }) => format!("{field} needs exactly {bytes} bytes in base64url."),
    }
}

/// A sentence naming the feature of an uploaded area file and what is wrong with it.
/// What a server function says of a body it could not read, naming the field.
pub fn unreadable_message(lang: Lang, unreadable: &crate::codec::Unreadable) -> String {
    use crate::codec::Problem;
    let field = &unreadable.field;
    match (lang, unreadable.problem) {
        (Lang::Vi, Problem::Syntax) => "body: nội dung gửi lên không phải JSON đọc được.".to_string(),
        (Lang::En, Problem::Syntax) => "body: the request body is not readable JSON.".to_string(),
        (Lang::Vi, Problem::WrongType) => format!("{field}: giá trị không đúng kiểu."),
        (Lang::En, Problem::WrongType) => format!("{field}: the value has the wrong type."),
        (Lang::Vi, Problem::Missing) => format!("{field}: thiếu trường này."),
        (Lang::En, Problem::Missing) => format!("{field}: this field is missing."),
        (Lang::Vi, Problem::UnknownChoice) => format!("{field}: giá trị không thuộc các lựa chọn cho phép."),
        (Lang::En, Problem::UnknownChoice) => format!("{field}: the value is not one of the allowed choices."),
    }
}

pub fn import_problem_message(lang: Lang, problem: &domain::area_import::ImportProblem) -> String {
    use domain::area_import::Problem;
    use domain::geo::GeoJsonError;
    let place = match (lang, problem.feature, &problem.label) {
        (Lang::Vi, Some(n), Some(label)) => format!("Vùng thứ {n} ({label}): "),
        (Lang::En, Some(n), Some(label)) => format!("Feature {n} ({label}): "),
        (Lang::Vi, Some(n), None) => format!("Vùng thứ {n}: "),
        (Lang::En, Some(n), None) => format!("Feature {n}: "),
        (Lang::Vi, None, _) => "Tệp ranh giới: ".to_string(),
        (Lang::En, None, _) => "Area file: ".to_string(),
    };
    let megabytes = |bytes: u64| format!("{:.1}", bytes as f64 / (1024.0 * 1024.0));
    let what = match (lang, &problem.problem) {
        (Lang::Vi, Problem::TooLarge { bytes, limit }) => {
            format!("tệp nặng {} MB, vượt giới hạn {} MB.", megabytes(*bytes), megabytes(*limit))
        }
        (Lang::En, Problem::TooLarge { bytes, limit }) => {
            format!("the file is {} MB, over the {} MB limit.", megabytes(*bytes), megabytes(*limit))
        }
        (Lang::Vi, Problem::NotJson { line, column }) => {
            format!("không phải JSON hợp lệ (lỗi ở dòng {line}, cột {column}).")
        }
        (Lang::En, Problem::NotJson { line, column }) => {
            format!("not valid JSON (error at line {line}, column {column}).")
        }
        (Lang::Vi, Problem::NotFeatures) => "cần một GeoJSON FeatureCollection hoặc Feature.".to_string(),
        (Lang::En, Problem::NotFeatures) => "a GeoJSON FeatureCollection or Feature is needed.".to_string(),
        (Lang::Vi, Problem::NoFeatures) => "tệp không có vùng nào.".to_string(),
        (Lang::En, Problem::NoFeatures) => "the file holds no features.".to_string(),
        (Lang::Vi, Problem::TooManyFeatures { count, limit }) => format!("có {count} vùng, tối đa {limit}."),
        (Lang::En, Problem::TooManyFeatures { count, limit }) => format!("{count} features, at most {limit}."),
        (Lang::Vi, Problem::MissingCode) => "thiếu thuộc tính \"code\" (mã địa bàn).".to_string(),
        (Lang::En, Problem::MissingCode) => "the \"code\" property is missing.".to_string(),
        (Lang::Vi, Problem::BadCode) => {
            "mã địa bàn cần 2–40 ký tự gồm chữ thường không dấu, chữ số, _ và -, bắt đầu bằng chữ cái.".to_string()
        }
        (Lang::En, Problem::BadCode) => {
            "the code needs 2–40 of a–z, digits, _ and -, starting with a letter.".to_string()
        }
        (Lang::Vi, Problem::MissingName) => "thiếu thuộc tính \"name\" (tên địa bàn).".to_string(),
        (Lang::En, Problem::MissingName) => "the \"name\" property is missing.".to_string(),
        (Lang::Vi, Problem::NameTooLong { max }) => format!("tên dài quá {max} ký tự."),
        (Lang::En, Problem::NameTooLong { max }) => format!("the name is longer than {max} characters."),
        (Lang::Vi, Problem::DuplicateCode) => "mã này đã dùng cho một vùng khác trong tệp.".to_string(),
        (Lang::En, Problem::DuplicateCode) => "another feature in the file has this code.".to_string(),
        (lang, Problem::Geometry { error }) => match (lang, error) {
            (Lang::Vi, GeoJsonError::MissingGeometry) => "thiếu hình dạng (geometry).".to_string(),
            (Lang::En, GeoJsonError::MissingGeometry) => "the geometry is missing.".to_string(),
            (Lang::Vi, GeoJsonError::UnsupportedType { kind }) => {
                format!("hình dạng {kind} không được hỗ trợ; cần Polygon hoặc MultiPolygon.")
            }
            (Lang::En, GeoJsonError::UnsupportedType { kind }) => {
                format!("geometry {kind} is not supported; a Polygon or MultiPolygon is needed.")
            }
            (Lang::Vi, GeoJsonError::UnclosedRing) => {
                "vòng ranh giới không khép kín: cần ít nhất 4 điểm và điểm cuối trùng điểm đầu.".to_string()
            }
            (Lang::En, GeoJsonError::UnclosedRing) => {
                "a boundary ring is not closed: it needs 4 positions or more, ending where it starts.".to_string()
            }
            (Lang::Vi, GeoJsonError::OutOfRange { lat, lon }) => {
                format!("tọa độ ({lat}, {lon}) nằm ngoài phạm vi WGS84 (vĩ độ ±90, kinh độ ±180).")
            }
            (Lang::En, GeoJsonError::OutOfRange { lat, lon }) => {
                format!("position ({lat}, {lon}) is outside WGS84 ranges (latitude ±90, longitude ±180).")
            }
            (Lang::Vi, GeoJsonError::SelfIntersection { lat, lon }) => {
                format!("đường ranh giới tự cắt nhau gần ({lat:.5}, {lon:.5}).")
            }
            (Lang::En, GeoJsonError::SelfIntersection { lat, lon }) => {
                format!("the boundary crosses itself near ({lat:.5}, {lon:.5}).")
            }
            (Lang::Vi, _) => "tọa độ không đúng dạng danh sách vòng các cặp [kinh độ, vĩ độ].".to_string(),
            (Lang::En, _) => "the coordinates are not rings of [longitude, latitude] pairs.".to_string(),
        },
    };
    format!("{place}{what}")
}

pub fn status_label(lang: Lang, status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Submitted => lang.pick("Chờ tiếp nhận", "Awaiting screening"),
        CaseStatus::Rejected => lang.pick("Không đủ điều kiện tiếp nhận", "Ineligible"),
        CaseStatus::Assigned => lang.pick("Đã chuyển đơn vị xử lý", "Routed to an agency"),
        CaseStatus::InProgress => lang.pick("Đang xử lý", "In progress"),
        CaseStatus::ResultReview => lang.pick("Đang duyệt kết quả", "Result under review"),
        CaseStatus::Resolved => lang.pick("Đã xử lý", "Resolved"),
        CaseStatus::Closed => lang.pick("Đã đóng", "Closed"),
    }
}

pub fn channel_label(lang: Lang, channel: Channel) -> &'static str {
    match channel {
        Channel::Web => lang.pick("Cổng thông tin", "Web portal"),
        Channel::App => lang.pick("Ứng dụng di động", "Mobile app"),
        Channel::Hotline => lang.pick("Tổng đài", "Hotline"),
        Channel::Api => lang.pick("Hệ thống liên kết (Open311)", "Linked system (Open311)"),
    }
}

/// A cluster's accessible name: how many cases it holds.
pub fn cluster_label(lang: Lang, count: u64) -> String {
    match lang {
        Lang::Vi => format!("Cụm {count} phản ánh"),
        Lang::En => format!("Cluster of {count} cases"),
    }
}

/// A single case's marker name, with its status, which the marker's colour also shows.
pub fn case_marker_label(lang: Lang, id: i64, status: CaseStatus) -> String {
    let status = status_label(lang, status);
    match lang {
        Lang::Vi => format!("Phản ánh số {id}: {status}"),
        Lang::En => format!("Case {id}: {status}"),
    }
}

/// How many cases the viewport holds, and which of them the list shows.
pub fn in_view_summary(lang: Lang, total: u64, first: u64, last: u64) -> String {
    match lang {
        Lang::Vi => format!("{total} phản ánh trong khung nhìn, đang xem {first}–{last}"),
        Lang::En => format!("{total} cases in view, showing {first}–{last}"),
    }
}

/// An agency's place in the period's ranking, or why it has none.
pub fn scorecard_rank(lang: Lang, rank: Option<u64>, ranked: u64, minimum: u64) -> String {
    match (lang, rank) {
        (Lang::Vi, Some(rank)) => format!("{rank} trên {ranked} đơn vị được xếp hạng"),
        (Lang::En, Some(rank)) => format!("{rank} of {ranked} ranked agencies"),
        (Lang::Vi, None) => format!("Chưa xếp hạng: cần ít nhất {minimum} phản ánh đã xử lý xong trong kỳ"),
        (Lang::En, None) => format!("Not ranked: it needs at least {minimum} handled cases in the period"),
    }
}

/// A number of working days, with one decimal when it is a half; a dash without any.
pub fn working_days(lang: Lang, days: Option<f64>) -> String {
    let Some(days) = days else { return "–".to_string() };
    let number = if days.fract() == 0.0 { format!("{days:.0}") } else { format!("{days:.1}") };
    match lang {
        // A point, as the statistics write their shares.
        Lang::Vi => format!("{number} ngày làm việc"),
        Lang::En if days == 1.0 => "1 working day".to_string(),
        Lang::En => format!("{number} working days"),
    }
}

/// The accessible name of a scorecard's map.
pub fn scorecard_map_label(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Vi => format!("Bản đồ phản ánh đang giải quyết: {name}"),
        Lang::En => format!("Map of the open cases: {name}"),
    }
}

/// After failed sign-ins: when to try again, in seconds while it is under a minute.
pub fn too_many_attempts(lang: Lang, retry_after_seconds: u64) -> String {
    let (count, vi_unit, en_unit) = if retry_after_seconds < 60 {
        (retry_after_seconds.max(1), "giây", "second(s)")
    } else {
        (retry_after_seconds.div_ceil(60), "phút", "minute(s)")
    };
    match lang {
        Lang::Vi => format!("Đăng nhập sai nhiều lần. Vui lòng thử lại sau {count} {vi_unit}."),
        Lang::En => format!("Too many failed sign-ins. Please try again in {count} {en_unit}."),
    }
}

/// A request whose body is larger than anything the form could send.
pub fn body_too_large(lang: Lang, limit_kb: usize) -> String {
    match lang {
        Lang::Vi => format!("Nội dung gửi lên quá lớn: tối đa {limit_kb} kB."),
        Lang::En => format!("The request is too large: at most {limit_kb} kB."),
    }
}

/// What a client that asked too often reads, with when it may ask again.
/// Why an upload was refused before its photo was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadRefusal {
    /// This client's photos still waiting for a report reached their number.
    ClientQuota,
    /// Everyone's photos still waiting for a report reached the site's number.
    SiteQuota,
    /// The disk room set aside for photos waiting for a report is used up.
    DiskBudget,
    /// Every photo decoder stayed busy for as long as an upload waits.
    Busy { retry_after_seconds: u64 },
    /// The file did not arrive in the time an upload is given.
    TooSlow,
}

/// A sentence naming the photo field and `file_name`, saying why the upload was refused.
pub fn upload_refusal_message(lang: Lang, file_name: &str, refusal: UploadRefusal) -> String {
    let name = domain::photos::display_file_name(file_name);
    let field = field_label(lang, Field::Photos);
    let why = match (lang, refusal) {
        (Lang::Vi, UploadRefusal::ClientQuota) => {
            "bạn đã tải lên nhiều ảnh chưa gửi kèm phản ánh nào. Hãy gửi phản ánh đang soạn, hoặc thử lại sau.".to_string()
        }
        (Lang::En, UploadRefusal::ClientQuota) => {
            "you have uploaded many photos no report has taken yet. Send the report you are writing, or try again later."
                .to_string()
        }
        (Lang::Vi, UploadRefusal::SiteQuota | UploadRefusal::DiskBudget) => {
            "hệ thống tạm thời không nhận thêm ảnh. Vui lòng thử lại sau.".to_string()
        }
        (Lang::En, UploadRefusal::SiteQuota | UploadRefusal::DiskBudget) => {
            "the site is not taking more photos for now. Please try again later.".to_string()
        }
        (Lang::Vi, UploadRefusal::Busy { retry_after_seconds }) => {
            format!("hệ thống đang xử lý nhiều ảnh. Vui lòng thử lại sau {retry_after_seconds} giây.")
        }
        (Lang::En, UploadRefusal::Busy { retry_after_seconds }) => {
            format!("the site is busy with other photos. Please try again in {retry_after_seconds} seconds.")
        }
        (Lang::Vi, UploadRefusal::TooSlow) => "tệp đến quá chậm. Vui lòng thử lại.".to_string(),
        (Lang::En, UploadRefusal::TooSlow) => "the file arrived too slowly. Please try again.".to_string(),
    };
    format!("{name}: {field}: {why}")
}

pub fn too_many_requests(lang: Lang, retry_after_seconds: u64) -> String {
    let minutes = retry_after_seconds.div_ceil(60).max(1);
    match lang {
        Lang::Vi => format!("Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau {minutes} phút."),
        Lang::En => format!("You have sent too many requests. Please try again in {minutes} minute(s)."),
    }
}

/// A sentence explaining a refused map parameter in `lang`, naming the parameter.
pub fn map_param_message(lang: Lang, error: &ParamError) -> String {
    let name = error.param.as_str();
    match (lang, &error.problem) {
        (Lang::Vi, Problem::Missing) => format!("{name}: thiếu tham số bắt buộc."),
        (Lang::En, Problem::Missing) => format!("{name} is required."),
        (Lang::Vi, Problem::Malformed) => match error.param {
            Param::Bbox => format!("{name}: cần bốn số minLon,minLat,maxLon,maxLat."),
            Param::Zoom => format!("{name}: cần một số nguyên từ 0 đến {MAX_ZOOM}."),
            Param::Overdue => format!("{name}: chỉ nhận true hoặc false."),
            _ => format!("{name}: cần ngày dạng YYYY-MM-DD."),
        },
        (Lang::En, Problem::Malformed) => match error.param {
            Param::Bbox => format!("{name} needs four numbers minLon,minLat,maxLon,maxLat."),
            Param::Zoom => format!("{name} needs a whole number from 0 to {MAX_ZOOM}."),
            Param::Overdue => format!("{name} takes only true or false."),
            _ => format!("{name} needs a date as YYYY-MM-DD."),
        },
        (Lang::Vi, Problem::OutOfRange) => match error.param {
            Param::Zoom => format!("{name}: phải từ 0 đến {MAX_ZOOM}."),
            _ => format!("{name}: kinh độ phải trong [-180, 180] và vĩ độ trong [-90, 90]."),
        },
        (Lang::En, Problem::OutOfRange) => match error.param {
            Param::Zoom => format!("{name} must be from 0 to {MAX_ZOOM}."),
            _ => format!("{name}: longitudes must lie in [-180, 180] and latitudes in [-90, 90]."),
        },
        (Lang::Vi, Problem::Unknown(value)) => format!("{name}: không có giá trị \"{value}\"."),
        (Lang::En, Problem::Unknown(value)) => format!("{name}: \"{value}\" is not a known value."),
        (Lang::Vi, Problem::Reversed) => match error.param {
            Param::Bbox => format!("{name}: cạnh tây/nam phải nhỏ hơn cạnh đông/bắc."),
            _ => format!("{name}: ngày kết thúc phải sau ngày bắt đầu."),
        },
        (Lang::En, Problem::Reversed) => match error.param {
            Param::Bbox => format!("{name}: west/south must not exceed east/north."),
            _ => format!("{name}: the end date must not come before the start date."),
        },
        (Lang::Vi, Problem::TooLarge) => {
            format!("{name}: vùng xem quá rộng ở mức zoom này; hãy thu nhỏ vùng hoặc zoom ra.")
        }
        (Lang::En, Problem::TooLarge) => {
            format!("{name}: the viewport is too large at this zoom; zoom out or ask for a smaller area.")
        }
        (Lang::Vi, Problem::TooLong(max)) => format!("{name}: dài tối đa {max} ký tự."),
        (Lang::En, Problem::TooLong(max)) => format!("{name} may be at most {max} characters long."),
    }
}

pub fn agency_kind_label(lang: Lang, kind: domain::catalogue::AgencyKind) -> &'static str {
    use domain::catalogue::AgencyKind;
    match kind {
        AgencyKind::Department => lang.pick("Sở, ban, ngành", "Department"),
        AgencyKind::Utility => lang.pick("Doanh nghiệp dịch vụ công", "Utility"),
        AgencyKind::Telecom => lang.pick("Doanh nghiệp viễn thông", "Telecom"),
        AgencyKind::District => lang.pick("UBND cấp huyện", "District committee"),
        AgencyKind::Ward => lang.pick("UBND phường", "Ward committee"),
        AgencyKind::Commune => lang.pick("UBND xã", "Commune committee"),
        AgencyKind::Police => lang.pick("Công an", "Police"),
    }
}

pub fn entity_label(lang: Lang, entity: domain::catalogue::Entity) -> &'static str {
    use domain::catalogue::Entity;
    match entity {
        Entity::Category => lang.pick("Lĩnh vực", "Category"),
        Entity::Agency => lang.pick("Đơn vị", "Agency"),
        Entity::Area => lang.pick("Địa bàn", "Area"),
        Entity::Route => lang.pick("Phân công", "Route"),
        Entity::Holiday => lang.pick("Ngày nghỉ", "Holiday"),
        Entity::Account => lang.pick("Tài khoản", "Account"),
    }
}

pub fn role_label(lang: Lang, role: ActorRole) -> &'static str {
    match role {
        ActorRole::Anonymous => lang.pick("Người dân", "Citizen"),
        ActorRole::Citizen => lang.pick("Người dân", "Citizen"),
        ActorRole::Operator => lang.pick("Tổng đài viên", "Hotline operator"),
        ActorRole::Coordinator => lang.pick("Cán bộ điều phối", "Coordinator"),
        ActorRole::Officer => lang.pick("Cán bộ xử lý", "Officer"),
        ActorRole::Leader => lang.pick("Lãnh đạo", "Leader"),
        ActorRole::Admin => lang.pick("Quản trị viên", "Administrator"),
        ActorRole::System => lang.pick("Hệ thống", "System"),
    }
}

pub fn reject_reason_label(lang: Lang, reason: RejectReason) -> &'static str {
    match reason {
        RejectReason::OutOfArea => lang.pick("Ngoài địa bàn phục vụ", "Outside the served area"),
        RejectReason::Duplicate => lang.pick("Trùng với phản ánh khác", "Duplicate of another report"),
        RejectReason::InsufficientInfo => lang.pick("Thiếu thông tin", "Not enough information"),
        RejectReason::NotPublicMatter => lang.pick("Không phải vấn đề công cộng", "Not a public matter"),
        RejectReason::Inappropriate => lang.pick("Nội dung không phù hợp", "Inappropriate content"),
        RejectReason::HandledElsewhere => lang.pick("Đã được xử lý qua kênh khác", "Handled through another channel"),
    }
}

pub fn rating_label(lang: Lang, rating: Rating) -> &'static str {
    match rating {
        Rating::Satisfied => tr(lang, Key::RateSatisfied),
        Rating::Acceptable => tr(lang, Key::RateAcceptable),
        Rating::Unsatisfied => tr(lang, Key::RateUnsatisfied),
    }
}

/// How a change reads on a timeline.
pub fn change_label(lang: Lang, kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Submitted => lang.pick("Gửi phản ánh", "Report submitted"),
        ChangeKind::Accepted => lang.pick("Tiếp nhận, chuyển đơn vị xử lý", "Accepted and routed"),
        ChangeKind::Rejected => lang.pick("Không tiếp nhận", "Rejected"),
        ChangeKind::Acknowledged => lang.pick("Đơn vị nhận xử lý", "Taken up by the agency"),
        ChangeKind::NoteAdded => lang.pick("Ghi chú", "Note"),
        ChangeKind::ExtensionRequested => lang.pick("Xin gia hạn", "Extension requested"),
        ChangeKind::ExtensionDecided => lang.pick("Quyết định gia hạn", "Extension decided"),
        ChangeKind::ResultSubmitted => lang.pick("Gửi kết quả xử lý", "Result submitted"),
        ChangeKind::Returned => lang.pick("Trả lại: không thuộc thẩm quyền", "Returned: not ours"),
        ChangeKind::ResultApproved => lang.pick("Kết quả được duyệt", "Result approved"),
        ChangeKind::SentBack => lang.pick("Yêu cầu xử lý lại", "Sent back"),
        ChangeKind::Rated => lang.pick("Người dân đánh giá", "Rated by the reporter"),
        ChangeKind::Closed => lang.pick("Đóng phản ánh", "Closed"),
        ChangeKind::Reopened => lang.pick("Mở lại", "Reopened"),
        ChangeKind::VerificationRequested => lang.pick("Yêu cầu gọi xác minh", "Verification call requested"),
        ChangeKind::CallLogged => lang.pick("Cuộc gọi tổng đài", "Hotline call"),
        ChangeKind::Claimed => lang.pick("Người gọi nhận phản ánh vào tài khoản", "Claimed by the caller's account"),
        ChangeKind::PersonalDataErased => lang.pick("Đã xoá dữ liệu cá nhân", "Personal data erased"),
        ChangeKind::Supported => lang.pick("Người dân cùng phản ánh", "Supported by a citizen"),
        ChangeKind::DeadlineEscalated => lang.pick("Cảnh báo thời hạn xử lý", "Deadline warning"),
        ChangeKind::InformationRequested => lang.pick(
            "Đề nghị người phản ánh bổ sung thông tin, tạm dừng thời hạn",
            "Reporter asked for more information; deadline paused",
        ),
        ChangeKind::InformationProvided => lang.pick(
            "Người phản ánh đã bổ sung thông tin, thời hạn tiếp tục",
            "Reporter answered; deadline running again",
        ),
        ChangeKind::Assigned => lang.pick("Giao việc trong đơn vị", "Assigned within the agency"),
    }
}

pub fn purpose_label(lang: Lang, purpose: CallPurpose) -> &'static str {
    match purpose {
        CallPurpose::NewReport => lang.pick("Phản ánh mới", "New report"),
        CallPurpose::StatusInquiry => lang.pick("Hỏi tình trạng xử lý", "Status inquiry"),
        CallPurpose::Guidance => lang.pick("Cần hướng dẫn", "Guidance"),
        CallPurpose::Complaint => lang.pick("Khiếu nại về việc xử lý", "Complaint about handling"),
    }
}

pub fn outcome_label(lang: Lang, outcome: CallOutcome) -> &'static str {
    match outcome {
        CallOutcome::Answered => lang.pick("Đã trả lời", "Answered"),
        CallOutcome::ReportCreated => lang.pick("Đã nhập phản ánh", "Report entered"),
        CallOutcome::Forwarded => lang.pick("Đã chuyển tiếp", "Forwarded"),
        CallOutcome::Confirmed => lang.pick("Người gọi xác nhận", "Confirmed"),
        CallOutcome::Unreachable => lang.pick("Không liên lạc được", "Unreachable"),
        CallOutcome::WrongInformation => lang.pick("Thông tin không đúng", "Wrong information"),
        CallOutcome::Withdrawn => lang.pick("Người gọi rút phản ánh", "Withdrawn by the caller"),
        CallOutcome::CallbackScheduled => lang.pick("Hẹn gọi lại", "Callback scheduled"),
    }
}

// The data dictionary of the open data (the page at /open-data): its fixed strings, what each
// export column holds, and how each published figure is recomputed from the columns.

/// The data dictionary's fixed strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenDataKey {
    Nav,
    Heading,
    Intro,
    DownloadsHeading,
    DownloadAll,
    FiltersNote,
    FormatHeading,
    CsvFormat,
    GeoJsonFormat,
    HeldBackNote,
    ColumnsCaption,
    ColumnName,
    ColumnMeaning,
    ColumnFormat,
    ColumnEmpty,
    FiguresHeading,
    FiguresIntro,
    FiguresCaption,
    Figure,
    Rule,
    LicenceHeading,
    LicenceText,
    LicenceInExports,
}

pub fn open_data_tr(lang: Lang, key: OpenDataKey) -> &'static str {
    use OpenDataKey::*;
    match key {
        Nav => lang.pick("Dữ liệu mở", "Open data"),
        Heading => lang.pick("Dữ liệu mở: từ điển dữ liệu", "Open data: data dictionary"),
        Intro => lang.pick(
            "Mỗi phản ánh là một dòng của tệp xuất. Từ các cột dưới đây, bất kỳ ai cũng tính lại được mọi con số trên trang thống kê, theo đúng quy tắc ghi ở cuối trang.",
            "Every case is one row of the exports. From the columns below anyone can recompute every figure of the statistics page, by the rules at the end of this page.",
        ),
        DownloadsHeading => lang.pick("Tải dữ liệu", "Downloads"),
        DownloadAll => lang.pick("Mọi phản ánh", "Every case"),
        FiltersNote => lang.pick(
            "Cả hai tệp nhận cùng bộ lọc: from và to (YYYY-MM-DD, giờ Việt Nam, tính cả hai ngày), area, agency, category và status (nhiều giá trị cách nhau bằng dấu phẩy). Ví dụ: /api/v1/cases.csv?from=2022-11-01&to=2023-06-30&area=dong-hoi",
            "Both files take the same filters: from and to (YYYY-MM-DD, Vietnam time, both days included), area, agency, category and status (several values separated by commas). For example: /api/v1/cases.csv?from=2022-11-01&to=2023-06-30&area=dong-hoi",
        ),
        FormatHeading => lang.pick("Định dạng", "Formats"),
        CsvFormat => lang.pick(
            "CSV: UTF-8 có dấu BOM, phân cách bằng dấu phẩy, trích dẫn theo RFC 4180, dòng đầu là tên cột. Ô chữ bắt đầu bằng = + - @ được thêm dấu nháy đơn ở đầu để bảng tính không chạy nó như công thức.",
            "CSV: UTF-8 with a byte-order mark, comma-separated, quoted as RFC 4180 says, the first line naming the columns. A text cell starting with = + - @ gets a leading apostrophe so that spreadsheets do not run it as a formula.",
        ),
        GeoJsonFormat => lang.pick(
            "GeoJSON (RFC 7946): một FeatureCollection; mỗi phản ánh là một Feature có các thuộc tính trùng tên cột, trừ lat và lon nằm trong geometry. Ô trống là null.",
            "GeoJSON (RFC 7946): a FeatureCollection; each case is a Feature whose properties are named as the columns, but for lat and lon, which are its geometry. An empty cell is null.",
        ),
        HeldBackNote => lang.pick(
            "Phản ánh đang chờ sàng lọc hoặc bị từ chối vì nội dung không phù hợp không được công khai, nhưng vẫn được đếm trong thống kê. Dòng của chúng có published = false và chỉ mang các cột dùng để đếm (id đến rejection_reason); mọi cột khác để trống, và trong GeoJSON geometry là null.",
            "Cases waiting for screening or rejected as inappropriate are not published, yet the statistics count them. Their rows have published = false and carry only the columns they are counted by (id to rejection_reason); every other column is empty, and in GeoJSON their geometry is null.",
        ),
        ColumnsCaption => lang.pick("Các cột của tệp xuất, theo thứ tự", "The export columns, in order"),
        ColumnName => lang.pick("Cột", "Column"),
        ColumnMeaning => lang.pick("Ý nghĩa", "Meaning"),
        ColumnFormat => lang.pick("Định dạng", "Format"),
        ColumnEmpty => lang.pick("Để trống khi", "Empty when"),
        FiguresHeading => lang.pick("Cách tính các con số thống kê", "How the statistics are computed"),
        FiguresIntro => lang.pick(
            "Mỗi con số của GET /api/v1/stats?from=…&to=… được tính trên các dòng của GET /api/v1/cases.csv?from=…&to=… (cùng khoảng thời gian; thêm area=… cho một địa bàn).",
            "Each figure of GET /api/v1/stats?from=…&to=… is computed over the rows of GET /api/v1/cases.csv?from=…&to=… (the same period; add area=… for one area).",
        ),
        FiguresCaption => lang.pick("Con số và quy tắc tính", "Figures and their rules"),
        Figure => lang.pick("Con số", "Figure"),
        Rule => lang.pick("Tính từ các dòng", "Computed from the rows"),
        LicenceHeading => lang.pick("Giấy phép", "Licence"),
        LicenceText => lang.pick("Dữ liệu mở được công bố theo giấy phép", "The open data is published under the licence"),
        LicenceInExports => lang.pick(
            "Mỗi tệp xuất ghi giấy phép trong tiêu đề HTTP Link (rel=\"license\"); tệp GeoJSON còn ghi trong thành phần license ở cấp cao nhất.",
            "Every export names the licence in its HTTP Link header (rel=\"license\"); GeoJSON also names it in its top-level license member.",
        ),
    }
}

/// What one export column holds, how it is written, and when it is empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnDoc {
    pub meaning: &'static str,
    pub format: &'static str,
    pub empty: &'static str,
}

pub fn column_doc(lang: Lang, column: domain::open_data::ExportColumn) -> ColumnDoc {
    use domain::open_data::ExportColumn as C;
    let doc = |meaning: (&'static str, &'static str),
               format: (&'static str, &'static str),
               empty: (&'static str, &'static str)| ColumnDoc {
        meaning: lang.pick(meaning.0, meaning.1),
        format: lang.pick(format.0, format.1),
        empty: lang.pick(empty.0, empty.1),
    };
    const TIME: (&str, &str) = (
        "ngày giờ ISO 8601 theo giờ Việt Nam, đến giây: 2023-03-01T15:04:05+07:00",
        "ISO 8601 date and time in Vietnam time, to the second: 2023-03-01T15:04:05+07:00",
    );
    const CODE: (&str, &str) = ("mã danh mục", "catalogue code");
    const NEVER: (&str, &str) = ("không bao giờ", "never");
    const UNPUBLISHED: (&str, &str) =
        ("phản ánh không được công khai (published = false)", "the case is not published (published = false)");
    match column {
        C::Id => doc(("Số phản ánh", "Case number"), ("số nguyên", "whole number"), NEVER),
        C::Published => doc(
            ("Nội dung phản ánh có được công khai không; false với phản ánh chờ sàng lọc hoặc bị từ chối vì không phù hợp", "Whether the case's details are published; false for a case waiting for screening or rejected as inappropriate"),
            ("true hoặc false", "true or false"),
            NEVER,
        ),
        C::SubmittedAt => doc(("Thời điểm tiếp nhận phản ánh", "When the report was received"), TIME, NEVER),
        C::Status => doc(
            ("Tình trạng hiện tại", "Where the case stands now"),
            ("submitted, rejected, assigned, in_progress, result_review, resolved, closed", "submitted, rejected, assigned, in_progress, result_review, resolved, closed"),
            NEVER,
        ),
        C::Channel => doc(("Kênh tiếp nhận", "How the report arrived"), ("web, app, hotline, api", "web, app, hotline, api"), NEVER),
        C::Category => doc(("Lĩnh vực", "Category"), CODE, NEVER),
        C::Area => doc(("Địa bàn chứa vị trí phản ánh", "The served area holding the pin"), CODE, ("vị trí nằm ngoài mọi địa bàn đang phục vụ", "the pin lies outside every served area")),
        C::Decision => doc(
            ("Quyết định sàng lọc đang có hiệu lực", "The screening decision in force"),
            ("accepted hoặc rejected", "accepted or rejected"),
            ("phản ánh đang chờ sàng lọc (status = submitted)", "the case waits for screening (status = submitted)"),
        ),
        C::RejectionReason => doc(
            ("Lý do không đủ điều kiện xử lý", "Why screening found the case ineligible"),
            ("out_of_area, duplicate, insufficient_info, not_public_matter, inappropriate, handled_elsewhere", "out_of_area, duplicate, insufficient_info, not_public_matter, inappropriate, handled_elsewhere"),
            ("decision khác rejected", "decision is not rejected"),
        ),
        C::ScreenedAt => doc(
            ("Thời điểm ra quyết định sàng lọc đang có hiệu lực (lần tiếp nhận hoặc từ chối gần nhất)", "When the screening decision in force was made (the latest acceptance or rejection)"),
            TIME,
            ("chờ sàng lọc, kể cả khi đơn vị trả lại; hoặc không công khai", "waiting for screening, also after an agency returned it; or not published"),
        ),
        C::Agency => doc(("Đơn vị chủ trì xử lý", "The lead agency"), CODE, ("chưa được tiếp nhận, bị từ chối hoặc không công khai", "not accepted, rejected, or not published")),
        C::Deadline => doc(
            ("Hạn xử lý đang có hiệu lực, đã tính gia hạn (cuối ngày làm việc cuối cùng, 23:59:59)", "The deadline in force, extensions counted (the end of the last working day, 23:59:59)"),
            TIME,
            ("chưa được tiếp nhận hoặc không công khai", "not accepted, or not published"),
        ),
        C::ResultSubmittedAt => doc(
            ("Thời điểm đơn vị gửi kết quả xử lý gần nhất", "When the lead agency submitted its latest result"),
            TIME,
            ("chưa có kết quả, hoặc bị mở lại sau khi người dân không hài lòng", "no result yet, or reopened after an unsatisfied rating"),
        ),
        C::ResolvedAt => doc(
            ("Thời điểm điều phối viên duyệt kết quả: phản ánh đã xử lý xong", "When the coordinator approved the result: the case is handled"),
            TIME,
            ("kết quả chưa được duyệt, hoặc bị mở lại", "no result approved yet, or reopened"),
        ),
        C::OnTime => doc(
            ("Kết quả được duyệt có được gửi trước hạn đang có hiệu lực lúc gửi không", "Whether the approved result was submitted by the deadline in force when it was submitted"),
            ("true hoặc false", "true or false"),
            ("resolved_at trống", "resolved_at is empty"),
        ),
        C::Rating => doc(
            ("Đánh giá của người phản ánh về kết quả", "The reporter's rating of the result"),
            ("satisfied, acceptable, unsatisfied", "satisfied, acceptable, unsatisfied"),
            ("chưa đánh giá, hoặc bị mở lại", "not rated, or reopened"),
        ),
        C::Title => doc(("Tiêu đề do người phản ánh viết", "The title the reporter wrote"), ("văn bản", "text"), UNPUBLISHED),
        C::Description => doc(("Nội dung do người phản ánh viết", "The description the reporter wrote"), ("văn bản", "text"), UNPUBLISHED),
        C::Address => doc(("Địa chỉ bằng lời", "The place in words"), ("văn bản", "text"), ("không có địa chỉ, hoặc không công khai", "no address was given, or not published")),
        C::Lat => doc(("Vĩ độ của vị trí phản ánh", "Latitude of the pin"), ("độ thập phân WGS 84, 6 chữ số sau dấu chấm", "WGS 84 decimal degrees, 6 decimals"), UNPUBLISHED),
        C::Lon => doc(("Kinh độ của vị trí phản ánh", "Longitude of the pin"), ("độ thập phân WGS 84, 6 chữ số sau dấu chấm", "WGS 84 decimal degrees, 6 decimals"), UNPUBLISHED),
        C::Url => doc(("Trang công khai của phản ánh", "The case's public page"), ("địa chỉ web", "web address"), UNPUBLISHED),
        C::Result => doc(
            ("Kết quả xử lý đã được điều phối viên duyệt và công bố", "The result as the coordinator approved and published it"),
            ("văn bản", "text"),
            ("chưa có kết quả được duyệt, bị mở lại, hoặc không công khai", "no approved result, reopened, or not published"),
        ),
    }
}

/// Each published figure, by its name in `GET /api/v1/stats`, and how it is computed from the
/// export's rows.
pub fn figure_rules(lang: Lang) -> Vec<(&'static str, &'static str)> {
    vec![
        ("received", lang.pick("Số dòng.", "The number of rows.")),
        ("accepted", lang.pick("Số dòng có decision = accepted.", "Rows with decision = accepted.")),
        ("rejected", lang.pick("Số dòng có decision = rejected.", "Rows with decision = rejected.")),
        (
            "rejected_by_reason",
            lang.pick(
                "Các dòng có decision = rejected, đếm theo rejection_reason; ngoài địa bàn là out_of_area.",
                "Rows with decision = rejected, counted by rejection_reason; out of area is out_of_area.",
            ),
        ),
        (
            "handled",
            lang.pick(
                "Số dòng có resolved_at (kết quả đã được duyệt); cũng là số dòng có on_time.",
                "Rows with a resolved_at (an approved result); also the rows with an on_time.",
            ),
        ),
        ("on_time", lang.pick("Số dòng có on_time = true.", "Rows with on_time = true.")),
        (
            "late",
            lang.pick("Số dòng có on_time = false, tức handled − on_time.", "Rows with on_time = false: handled − on_time."),
        ),
        (
            "ratings",
            lang.pick(
                "Các dòng có resolved_at, đếm theo rating (satisfied, acceptable, unsatisfied); tỷ lệ hài lòng là mỗi loại chia cho tổng số dòng đã đánh giá.",
                "Rows with a resolved_at, counted by rating (satisfied, acceptable, unsatisfied); each share is its count over all rated rows.",
            ),
        ),
        (
            "by_category",
            lang.pick(
                "received, accepted và handled như trên, theo từng category.",
                "received, accepted and handled as above, per category.",
            ),
        ),
        (
            "by_month",
            lang.pick(
                "received, accepted và handled như trên, theo tháng của submitted_at (giờ Việt Nam).",
                "received, accepted and handled as above, per month of submitted_at (Vietnam time).",
            ),
        ),
        (
            "by_agency",
            lang.pick(
                "Các dòng có decision = accepted, nhóm theo agency: received là số dòng; handled, on_time, late và ratings như trên; overdue_now là số dòng có status assigned hoặc in_progress và deadline trước thời điểm tải về.",
                "Rows with decision = accepted, grouped by agency: received is the number of rows; handled, on_time, late and ratings as above; overdue_now is the rows with status assigned or in_progress whose deadline is before the moment of download.",
            ),
        ),
        (
            "agencies_participating",
            lang.pick(
                "Số agency khác nhau trong các dòng có decision = accepted.",
                "The number of distinct agencies among rows with decision = accepted.",
            ),
        ),
        (
            "ranking",
            lang.pick(
                "Các agency có handled không dưới mức tối thiểu (ranking_minimum), xếp theo on_time / handled giảm dần.",
                "Agencies with handled at least the minimum (ranking_minimum), by on_time / handled, highest first.",
            ),
        ),
        (
            "accounts_registered, calls",
            lang.pick(
                "Không tính từ tệp xuất: số tài khoản và cuộc gọi lấy từ sổ tài khoản và nhật ký cuộc gọi, vốn chứa dữ liệu cá nhân nên không công bố từng dòng.",
                "Not from the export: accounts and calls come from the account register and the call log, which hold personal data and are not published row by row.",
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_comes_from_the_cookie_and_defaults_to_vietnamese() {
        assert_eq!(Lang::from_cookie_header(""), Lang::Vi);
        assert_eq!(Lang::from_cookie_header("a=1; lang=en"), Lang::En);
        assert_eq!(Lang::from_cookie_header("lang=fr"), Lang::Vi);
    }

    #[test]
    fn scorecard_phrases_read_in_each_language() {
        assert_eq!(working_days(Lang::Vi, Some(4.5)), "4.5 ngày làm việc");
        assert_eq!(working_days(Lang::En, Some(4.0)), "4 working days");
        assert_eq!(working_days(Lang::En, Some(1.0)), "1 working day");
        assert_eq!(working_days(Lang::En, None), "–");
        assert_eq!(scorecard_rank(Lang::En, Some(2), 9, 5), "2 of 9 ranked agencies");
        assert!(scorecard_rank(Lang::Vi, None, 9, 5).contains("ít nhất 5"));
    }

    #[test]
    fn error_messages_name_the_field_in_each_language() {
        let error = ValidationError::new(Field::ReporterPhone, Reason::InvalidPhone);
        assert!(error_message(Lang::Vi, &error).starts_with("Số điện thoại"));
        assert!(error_message(Lang::En, &error).starts_with("Phone number"));
        let error = ValidationError::new(Field::Title, Reason::TooShort { min: 5 });
        assert_eq!(error_message(Lang::Vi, &error), "Tiêu đề: cần ít nhất 5 ký tự.");
    }
}

// The citizen's path through the report form: the skip link, the error summary, the photo
// button, and the confirmation that says what happens next.

/// The report form's and page frame's fixed strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKey {
    SkipToContent,
    ErrorSummaryHeading,
    ChoosePhotos,
    NoPhotosYet,
    NextStepsHeading,
    NextScreening,
    NextAnswer,
    AsSentHeading,
    PhotosOnlyYou,
    PinFirst,
}

pub fn form_tr(lang: Lang, key: FormKey) -> &'static str {
    use FormKey::*;
    match key {
        SkipToContent => lang.pick("Bỏ qua, đến nội dung chính", "Skip to main content"),
        ErrorSummaryHeading => lang.pick("Phản ánh chưa gửi được. Vui lòng sửa:", "The report was not sent. Please correct:"),
        ChoosePhotos => lang.pick("Chụp hoặc chọn ảnh", "Take or choose photos"),
        NoPhotosYet => lang.pick("Chưa có ảnh nào (không bắt buộc).", "No photos yet (optional)."),
        NextStepsHeading => lang.pick("Tiếp theo", "What happens next"),
        NextScreening => lang.pick(
            "Cán bộ điều phối xem xét phản ánh: tiếp nhận và chuyển cho cơ quan có thẩm quyền, hoặc từ chối kèm lý do. Bạn sẽ được báo kết quả.",
            "A coordinator screens the report: accepts it and routes it to the agency responsible, or rejects it with a reason. You will be told which.",
        ),
        NextAnswer => lang.pick(
            "Khi có kết quả xử lý, bạn xem kết quả và đánh giá mức độ hài lòng.",
            "When the agency reports its result, you can read it and rate it.",
        ),
        AsSentHeading => lang.pick("Phản ánh bạn đã gửi", "Your report as sent"),
        PhotosOnlyYou => lang.pick(
            "Chỉ bạn và cán bộ xử lý thấy các ảnh này cho đến khi phản ánh được tiếp nhận.",
            "Only you and the staff see these photos until the report is accepted.",
        ),
        PinFirst => lang.pick("Ghim vị trí trên bản đồ", "Pin the location on the map"),
    }
}

/// How long the agency has once the report is accepted, counted in working days.
pub fn next_deadline(lang: Lang, days: u16) -> String {
    match lang {
        Lang::Vi => format!(
            "Sau khi tiếp nhận, cơ quan xử lý có {days} ngày làm việc để giải quyết (không tính thứ Bảy, Chủ nhật và ngày lễ)."
        ),
        Lang::En => format!(
            "Once accepted, the agency has {days} working days to handle it (Saturdays, Sundays and public holidays not counted)."
        ),
    }
}

/// What the live region says once a report is stored.
pub fn report_sent_announcement(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Vi => format!("Đã nhận phản ánh số #{id}."),
        Lang::En => format!("Report #{id} received."),
    }
}

/// How many photos the form holds, of the most it takes.
pub fn photos_attached(lang: Lang, count: usize, most: usize) -> String {
    match lang {
        Lang::Vi => format!("Đã đính kèm {count}/{most} ảnh."),
        Lang::En => format!("{count} of {most} photos attached."),
    }
}

/// The privacy notice and a citizen's rights over their data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrivacyKey {
    NoticeLink,
    NoticeTitle,
    NoticeIntro,
    ControllerHeading,
    Controller,
    CollectedHeading,
    Collected,
    PurposeHeading,
    Purpose,
    WhoSeesHeading,
    WhoSees,
    RetentionHeading,
    RightsHeading,
    RightSee,
    RightCorrect,
    RightDelete,
    RightComplain,
    PhoneErased,
    YourDataHeading,
    YourDataIntro,
    Download,
    CloseHeading,
    CloseExplain,
    ClosePassword,
    CloseButton,
    Closed,
}

pub fn privacy_tr(lang: Lang, key: PrivacyKey) -> &'static str {
    use PrivacyKey::*;
    match key {
        NoticeLink => lang.pick("Cách chúng tôi xử lý dữ liệu cá nhân của bạn", "How we handle your personal data"),
        NoticeTitle => lang.pick("Thông báo xử lý dữ liệu cá nhân", "Privacy notice"),
        NoticeIntro => lang.pick(
            "Hệ thống tiếp nhận phản ánh hiện trường xử lý dữ liệu cá nhân theo Luật Bảo vệ dữ liệu cá nhân (Luật số 91/2025/QH15). Trang này nói rõ chúng tôi thu thập gì, để làm gì, giữ trong bao lâu và bạn có những quyền gì.",
            "The field report system processes personal data under Vietnam's Personal Data Protection Law (Law 91/2025/QH15). This page says what we collect, why, how long we keep it and what your rights are.",
        ),
        ControllerHeading => lang.pick("Ai xử lý dữ liệu", "Who processes the data"),
        Controller => lang.pick(
            "Ủy ban nhân dân tỉnh, qua Trung tâm Giám sát, điều hành đô thị thông minh, là bên kiểm soát và xử lý dữ liệu. Các cơ quan được giao xử lý phản ánh chỉ thấy phần dữ liệu cần cho việc của họ.",
            "The provincial People's Committee, through its Smart City Operations Centre, controls and processes the data. The agencies a report is routed to see only what their work needs.",
        ),
        CollectedHeading => lang.pick("Chúng tôi thu thập gì", "What we collect"),
        Collected => lang.pick(
            "Nội dung phản ánh (tiêu đề, mô tả, vị trí, ảnh — siêu dữ liệu của ảnh, kể cả toạ độ GPS, bị xoá khi tải lên); thông tin liên hệ bạn tự nguyện để lại (họ tên, số điện thoại, thư điện tử); với tài khoản: tên đăng nhập, tên hiển thị và mật khẩu (chỉ lưu dạng băm), các phản ánh bạn theo dõi và các khu vực bạn đăng ký nhận thông báo; với cuộc gọi đến đường dây nóng: số điện thoại người gọi.",
            "The report itself (title, description, location, photos — their metadata, GPS position included, is stripped on upload); the contact details you choose to leave (name, phone number, e-mail address); for an account: username, display name and password (kept only as a hash), the reports you follow and the places you watch for alerts; for calls to the hotline: the caller's phone number.",
        ),
        PurposeHeading => lang.pick("Để làm gì", "Why"),
        Purpose => lang.pick(
            "Chỉ để tiếp nhận, xác minh và xử lý phản ánh, báo cho bạn tiến độ và kết quả, và để bạn đánh giá kết quả. Thông tin liên hệ không bao giờ được công khai; bản đồ và số liệu công khai không chứa dữ liệu cá nhân.",
            "Only to receive, verify and handle reports, tell you their progress and result, and let you rate the result. Contact details are never published; the public map and statistics hold no personal data.",
        ),
        WhoSeesHeading => lang.pick("Ai được xem", "Who sees it"),
        WhoSees => lang.pick(
            "Cán bộ điều phối và điện thoại viên đường dây nóng xem thông tin liên hệ khi cần liên lạc với bạn. Mỗi lần cán bộ xem thông tin liên hệ hoặc số điện thoại người gọi đều được ghi lại (ai, khi nào, phản ánh nào) để có thể kiểm tra.",
            "Coordinators and hotline operators see contact details when they need to reach you. Every time staff see a contact or a caller's number, it is logged (who, when, which report) so that it can be checked.",
        ),
        RetentionHeading => lang.pick("Giữ trong bao lâu", "How long we keep it"),
        RightsHeading => lang.pick("Quyền của bạn", "Your rights"),
        RightSee => lang.pick(
            "Xem và tải về toàn bộ dữ liệu của bạn: trang Tài khoản có nút tải một tệp JSON gồm tài khoản, các phản ánh, thông tin liên hệ, đánh giá và các cuộc gọi ghi nhận số của bạn.",
            "See and download all your data: the Account page has a button that downloads one JSON file with your account, reports, contact details, ratings and the calls logged with your number.",
        ),
        RightCorrect => lang.pick(
            "Sửa tên hiển thị, thư điện tử và số điện thoại trên trang Tài khoản.",
            "Correct your display name, e-mail address and phone number on the Account page.",
        ),
        RightDelete => lang.pick(
            "Xoá tài khoản: các phản ánh vẫn công khai nhưng không còn gắn với bạn, và thông tin liên hệ bạn để lại bị xoá.",
            "Delete your account: your reports stay public but are no longer linked to you, and the contact details you left are erased.",
        ),
        RightComplain => lang.pick(
            "Khiếu nại về việc xử lý dữ liệu cá nhân: gọi đường dây nóng hoặc gửi đến cơ quan chuyên trách bảo vệ dữ liệu cá nhân của Bộ Công an.",
            "Complain about how your data is handled: call the hotline, or write to the Ministry of Public Security's personal data protection authority.",
        ),
        PhoneErased => lang.pick("Đã xoá theo thời hạn lưu trữ", "Erased after its retention period"),
        YourDataHeading => lang.pick("Dữ liệu của bạn", "Your data"),
        YourDataIntro => lang.pick(
            "Tải về mọi dữ liệu hệ thống giữ về bạn, trong một tệp JSON.",
            "Download everything the system keeps about you, as one JSON file.",
        ),
        Download => lang.pick("Tải dữ liệu của tôi (JSON)", "Download my data (JSON)"),
        CloseHeading => lang.pick("Xoá tài khoản", "Delete my account"),
        CloseExplain => lang.pick(
            "Không thể hoàn tác. Các phản ánh của bạn vẫn công khai nhưng không còn gắn với bạn; thông tin liên hệ bạn để lại và số điện thoại trong các cuộc gọi về các phản ánh đó bị xoá; bạn bị đăng xuất khỏi mọi thiết bị.",
            "This cannot be undone. Your reports stay public but are no longer linked to you; the contact details you left and the phone numbers of calls about them are erased; you are signed out everywhere.",
        ),
        ClosePassword => lang.pick("Mật khẩu hiện tại (để xác nhận)", "Current password (to confirm)"),
        CloseButton => lang.pick("Xoá vĩnh viễn tài khoản của tôi", "Delete my account for good"),
        Closed => lang.pick("Tài khoản của bạn đã được xoá.", "Your account has been deleted."),
    }
}

/// How long contacts and call numbers are kept, as the privacy notice states it.
pub fn retention_statement(lang: Lang, contact_months: u32, photo_days: i64) -> String {
    match lang {
        Lang::Vi => format!(
            "Thông tin liên hệ của người phản ánh và số điện thoại trong các cuộc gọi được xoá {contact_months} tháng sau khi phản ánh kết thúc (đóng hoặc bị từ chối); việc xoá được ghi vào lịch sử của phản ánh. Ảnh của phản ánh bị từ chối vì nội dung không phù hợp bị xoá sau {photo_days} ngày. Ảnh đã tải lên nhưng không gửi kèm phản ánh nào bị xoá sau một ngày. Nội dung phản ánh và số liệu thống kê (không chứa dữ liệu cá nhân) được giữ lại."
        ),
        Lang::En => format!(
            "A reporter's contact details and the phone numbers of calls are erased {contact_months} months after the report is finished (closed or rejected); the erasure is recorded in the report's history. Photos of a report rejected as inappropriate are deleted after {photo_days} days. Photos uploaded but never sent with a report are deleted after a day. The reports themselves and the statistics (which hold no personal data) are kept."
        ),
    }
}

/// Finding and following: the search box of the public map, and the feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchKey {
    CaseFeed,
    Label,
    Hint,
    Button,
    Places,
    Cases,
    Nothing,
    MovedTo,
}

pub fn search_tr(lang: Lang, key: SearchKey) -> &'static str {
    use SearchKey::*;
    match key {
        CaseFeed => lang.pick("Theo dõi phản ánh này qua Atom", "Follow this report (Atom feed)"),
        Label => lang.pick("Tìm địa điểm, phản ánh hoặc số phản ánh", "Find a place, a report or a report number"),
        Hint => lang.pick(
            "Gõ có dấu hay không dấu đều được, ví dụ: dong hoi, duong tran hung dao, #316.",
            "With or without diacritics, for example: dong hoi, duong tran hung dao, #316.",
        ),
        Button => lang.pick("Tìm", "Search"),
        Places => lang.pick("Địa điểm", "Places"),
        Cases => lang.pick("Phản ánh", "Reports"),
        Nothing => lang.pick("Không tìm thấy địa điểm hay phản ánh nào.", "No place or report found."),
        MovedTo => lang.pick("Bản đồ đã chuyển đến", "The map moved to"),
    }
}
// Account recovery: a person's own details on the account page, the link verifying an e-mail
// address, the forgotten password's reset link, and an administrator's reset of a staff password.

/// The fixed strings of account recovery and the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoveryKey {
    ProfileHeading,
    ProfileIntro,
    SaveProfile,
    ProfileSaved,
    ProfileSavedCheckMail,
    EmailVerified,
    EmailUnverified,
    ResendVerification,
    VerificationSent,
    ForgotPasswordLink,
    ForgotHeading,
    ForgotIntro,
    SendResetLink,
    ResetLinkRequested,
    ForgotStaffNote,
    ResetHeading,
    ResetAccount,
    SetNewPassword,
    PasswordResetDone,
    GoToSignIn,
    LinkFailedHeading,
    AskNewLink,
    VerifyHeading,
    EmailConfirmed,
    BackToAccount,
    ResendFromAccount,
    AdminResetPassword,
    AdminResetExplain,
    AdminIssueOneTime,
    Cancel,
}

pub fn recovery_tr(lang: Lang, key: RecoveryKey) -> &'static str {
    use RecoveryKey::*;
    match key {
        ProfileHeading => lang.pick("Thông tin cá nhân", "Your details"),
        ProfileIntro => lang.pick(
            "Tên, thư điện tử và số điện thoại của bạn chỉ cán bộ xử lý thấy. Thư điện tử đã xác nhận cho phép bạn đặt lại mật khẩu khi quên.",
            "Only the staff handling your reports see your name, e-mail address and phone. A confirmed e-mail address lets you reset a forgotten password.",
        ),
        SaveProfile => lang.pick("Lưu thông tin", "Save details"),
        ProfileSaved => lang.pick("Đã lưu thông tin.", "Details saved."),
        ProfileSavedCheckMail => lang.pick(
            "Đã lưu. Một thư xác nhận đã được gửi đến địa chỉ mới: hãy mở liên kết trong thư.",
            "Saved. A confirmation message was sent to the new address: open the link in it.",
        ),
        EmailVerified => lang.pick("Thư điện tử đã được xác nhận.", "E-mail address confirmed."),
        EmailUnverified => lang.pick(
            "Thư điện tử chưa được xác nhận: hãy mở liên kết trong thư xác nhận đã gửi đến địa chỉ này.",
            "E-mail address not confirmed yet: open the link in the confirmation message sent to it.",
        ),
        ResendVerification => lang.pick("Gửi lại thư xác nhận", "Send the confirmation again"),
        VerificationSent => lang.pick(
            "Đã gửi lại thư xác nhận. Liên kết dùng được trong 24 giờ.",
            "The confirmation was sent again. Its link works for 24 hours.",
        ),
        ForgotPasswordLink => lang.pick("Quên mật khẩu?", "Forgot your password?"),
        ForgotHeading => lang.pick("Quên mật khẩu", "Forgotten password"),
        ForgotIntro => lang.pick(
            "Nhập tên đăng nhập hoặc thư điện tử của tài khoản. Nếu tài khoản có thư điện tử đã xác nhận, chúng tôi gửi đến đó một liên kết để đặt mật khẩu mới.",
            "Enter the account's username or e-mail address. If the account has a confirmed e-mail address, we send it a link to set a new password.",
        ),
        SendResetLink => lang.pick("Gửi liên kết đặt lại", "Send a reset link"),
        ResetLinkRequested => lang.pick(
            "Nếu có tài khoản như vậy với thư điện tử đã xác nhận, liên kết đặt lại mật khẩu đã được gửi đến đó. Liên kết dùng được một lần, trong 30 phút.",
            "If such an account has a confirmed e-mail address, a reset link is on its way there. The link works once, within 30 minutes.",
        ),
        ForgotStaffNote => lang.pick(
            "Cán bộ quên mật khẩu: hãy đề nghị quản trị viên cấp mật khẩu dùng một lần.",
            "Staff who forgot their password: ask an administrator for a one-time password.",
        ),
        ResetHeading => lang.pick("Đặt mật khẩu mới", "Set a new password"),
        ResetAccount => lang.pick("Tài khoản", "Account"),
        SetNewPassword => lang.pick("Đặt mật khẩu mới", "Set the new password"),
        PasswordResetDone => lang.pick(
            "Đã đặt mật khẩu mới. Mọi phiên đăng nhập của tài khoản đã kết thúc: hãy đăng nhập bằng mật khẩu mới.",
            "The new password is set. Every session of the account was signed out: sign in with the new password.",
        ),
        GoToSignIn => lang.pick("Đến trang đăng nhập", "Go to sign in"),
        LinkFailedHeading => lang.pick("Liên kết không dùng được", "This link does not work"),
        AskNewLink => lang.pick("Yêu cầu liên kết mới", "Ask for a new link"),
        VerifyHeading => lang.pick("Xác nhận thư điện tử", "E-mail confirmation"),
        EmailConfirmed => lang.pick(
            "Đã xác nhận địa chỉ thư điện tử. Từ nay thư của hệ thống gửi đến địa chỉ này, và tài khoản người dân đặt lại được mật khẩu qua nó.",
            "The e-mail address is confirmed. From now on the system's mail goes to it, and a citizen's account can reset its password through it.",
        ),
        BackToAccount => lang.pick("Về trang tài khoản", "Back to my account"),
        ResendFromAccount => lang.pick(
            "Bạn có thể gửi lại thư xác nhận từ trang tài khoản.",
            "You can have the confirmation sent again from your account page.",
        ),
        AdminResetPassword => lang.pick("Đặt lại mật khẩu", "Reset password"),
        AdminResetExplain => lang.pick(
            "Cán bộ nhận một mật khẩu dùng một lần, có hiệu lực 72 giờ, và phải đặt mật khẩu riêng ngay khi đăng nhập. Mọi phiên đăng nhập hiện tại của họ kết thúc ngay.",
            "The staff member gets a one-time password that works for 72 hours and must set their own at first sign-in. All their current sessions end at once.",
        ),
        AdminIssueOneTime => lang.pick("Cấp mật khẩu dùng một lần", "Issue a one-time password"),
        Cancel => lang.pick("Hủy", "Cancel"),
    }
}

/// Why a link from a message opens nothing, and what to do about it.
pub fn link_problem_text(lang: Lang, problem: domain::profile::LinkProblem) -> &'static str {
    use domain::profile::LinkProblem;
    match problem {
        LinkProblem::Used => lang.pick(
            "Liên kết này đã được dùng. Mỗi liên kết chỉ dùng được một lần.",
            "This link was used already. Each link works once.",
        ),
        LinkProblem::Expired => lang.pick(
            "Liên kết này đã hết hạn. Hãy yêu cầu một liên kết mới.",
            "This link has expired. Ask for a new one.",
        ),
        LinkProblem::Unknown => lang.pick(
            "Liên kết này không đúng hoặc đã được thay bằng liên kết mới hơn.",
            "This link is wrong, or a newer link replaced it.",
        ),
    }
}

// The access log of personal data: the pages that show it, and what an entry lists beyond its first cases.

/// The page that showed personal data, as the access log names it.
pub fn access_purpose_label(lang: Lang, purpose: domain::access_log::AccessPurpose) -> &'static str {
    use domain::access_log::AccessPurpose;
    match purpose {
        AccessPurpose::StaffCase => lang.pick("Hồ sơ phản ánh (cán bộ)", "Case, staff view"),
        AccessPurpose::CallLog => lang.pick("Nhật ký cuộc gọi", "Calls log"),
        AccessPurpose::VerificationQueue => lang.pick("Cuộc gọi xác minh", "Verification calls"),
    }
}

/// What one view showed in all, when more than its listed cases: `total` cases and calls.
pub fn access_subjects_total(lang: Lang, total: u64) -> String {
    match lang {
        Lang::Vi => format!("{total} mục (phản ánh, cuộc gọi) trong lượt xem này"),
        Lang::En => format!("{total} items (cases, calls) in this view"),
    }
}

/// Following cases and alerts for new cases in a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowKey {
    Follow,
    Following,
    FollowingHint,
    SignInToFollow,
    AlertsHeading,
    AlertsHint,
    NoAlerts,
    NewAlert,
    Area,
    ChooseArea,
    UseDrawn,
    DrawnPlace,
    Categories,
    EveryCategory,
    Frequency,
    AtOnce,
    Daily,
    AddAlert,
    AlertSaved,
    DeleteAlert,
    Unread,
    ReasonReported,
    ReasonFollowed,
    ReasonAlert,
    ReasonAgency,
    ReasonDeadline,
    AlertThisView,
}

pub fn follow_tr(lang: Lang, key: FollowKey) -> &'static str {
    use FollowKey::*;
    match key {
        Follow => lang.pick("Theo dõi phản ánh này", "Follow this report"),
        Following => lang.pick("Đang theo dõi · Bỏ theo dõi", "Following · Stop following"),
        FollowingHint => lang.pick(
            "Bạn sẽ nhận thông báo mỗi bước xử lý công khai của phản ánh này.",
            "You will be told of each public step of this report.",
        ),
        SignInToFollow => lang.pick("Đăng nhập để theo dõi phản ánh này", "Sign in to follow this report"),
        AlertsHeading => lang.pick("Thông báo theo khu vực", "Alerts for a place"),
        AlertsHint => lang.pick(
            "Nhận thư và thông báo khi có phản ánh mới được tiếp nhận trong khu vực bạn chọn. Thư gửi tới địa chỉ thư điện tử đã xác nhận của tài khoản.",
            "Get an e-mail and a notice when a new report is accepted in a place you choose. Mail goes to the account's confirmed e-mail address.",
        ),
        NoAlerts => lang.pick("Bạn chưa theo dõi khu vực nào.", "You are not watching any place yet."),
        NewAlert => lang.pick("Theo dõi một khu vực", "Watch a place"),
        Area => lang.pick("Địa bàn", "Area"),
        ChooseArea => lang.pick("Chọn phường, xã…", "Choose a ward or commune…"),
        UseDrawn => lang.pick("Dùng vùng vừa chọn trên bản đồ", "Use the place chosen on the map"),
        DrawnPlace => lang.pick("Vùng chọn trên bản đồ", "Place chosen on the map"),
        Categories => lang.pick("Chỉ các lĩnh vực (bỏ trống: tất cả)", "Only these categories (none: all)"),
        EveryCategory => lang.pick("mọi lĩnh vực", "every category"),
        Frequency => lang.pick("Gửi thư", "Send mail"),
        AtOnce => lang.pick("Ngay khi có phản ánh mới", "As soon as a new report is accepted"),
        Daily => lang.pick("Một thư tổng hợp mỗi ngày (7 giờ sáng)", "One digest a day (7 a.m.)"),
        AddAlert => lang.pick("Theo dõi khu vực này", "Watch this place"),
        AlertSaved => lang.pick("Đã lưu. Bạn sẽ nhận thông báo về phản ánh mới tại đây.", "Saved. You will be told of new reports here."),
        DeleteAlert => lang.pick("Bỏ theo dõi", "Stop watching"),
        Unread => lang.pick("Mới", "New"),
        ReasonReported => lang.pick("phản ánh của bạn", "your report"),
        ReasonFollowed => lang.pick("bạn theo dõi", "you follow"),
        ReasonAlert => lang.pick("phản ánh mới trong khu vực bạn theo dõi", "new report in a place you watch"),
        ReasonAgency => lang.pick("của đơn vị bạn", "your agency's"),
        ReasonDeadline => lang.pick("sắp hoặc đã quá hạn xử lý", "deadline near or passed"),
        AlertThisView => lang.pick("Nhận thông báo về vùng đang xem", "Get alerts for this part of the map"),
    }
}

// "Me too": the screened cases near a pin the report form suggests, support added to one of them,
// a case's count of supporters, and a duplicate merged into its original.

/// The fixed strings of support and merges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupportKey {
    SuggestionsHeading,
    SuggestionsIntro,
    SupportButton,
    Supporting,
    SupportFailed,
    SupportersLabel,
    MergedIntoBefore,
    MergeHint,
}

pub fn support_tr(lang: Lang, key: SupportKey) -> &'static str {
    use SupportKey::*;
    match key {
        SuggestionsHeading => lang.pick("Có phải một trong các phản ánh này?", "Is it one of these?"),
        SuggestionsIntro => lang.pick(
            "Đã có phản ánh cùng lĩnh vực gần vị trí bạn chọn. Nếu vấn đề của bạn là một trong số đó, hãy cùng phản ánh thay vì gửi phản ánh mới.",
            "Reports of the same category were made near your pin. If yours is one of them, add your support instead of filing a new report.",
        ),
        SupportButton => lang.pick("Tôi cũng gặp vấn đề này", "Me too"),
        Supporting => lang.pick("Đang ghi nhận…", "Adding your support…"),
        SupportFailed => lang.pick("Chưa ghi nhận được. Vui lòng thử lại.", "Your support was not added. Please try again."),
        SupportersLabel => lang.pick("Người cùng phản ánh", "Supporters"),
        MergedIntoBefore => lang.pick("Phản ánh này trùng và đã được gộp vào", "This report duplicates, and was merged into,"),
        MergeHint => lang.pick(
            "Để gộp phản ánh trùng: chọn lý do “Trùng với phản ánh khác” và nhập số phản ánh gốc. Người phản ánh và những người cùng phản ánh sẽ được tính vào phản ánh gốc.",
            "To merge a duplicate, choose the reason “Duplicate of another report” and enter the original's number. Its reporter and supporters then count as supporters of the original.",
        ),
    }
}

/// How many support a case, as its page and the suggestions show it.
pub fn supporters_count(lang: Lang, count: u32) -> String {
    match (lang, count) {
        (Lang::Vi, _) => format!("{count} người cùng phản ánh"),
        (Lang::En, 1) => "1 person supports this".to_string(),
        (Lang::En, _) => format!("{count} people support this"),
    }
}

/// How far a suggested case lies from the pin.
pub fn metres_away(lang: Lang, metres: u32) -> String {
    match lang {
        Lang::Vi => format!("cách {metres} m"),
        Lang::En => format!("{metres} m away"),
    }
}

/// The case a support button is for, read after the button's text by screen readers.
pub fn support_button_case(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Vi => format!("(phản ánh #{id})"),
        Lang::En => format!("(case #{id})"),
    }
}

/// The confirmation of a support just added, with the case's count now.
pub fn support_added(lang: Lang, id: i64, count: u32) -> String {
    match lang {
        Lang::Vi => format!("Đã ghi nhận bạn cùng phản ánh #{id}. {}.", supporters_count(lang, count)),
        Lang::En => format!("Your support for case #{id} was added: {}.", supporters_count(lang, count)),
    }
}

/// The link to a merged duplicate's original.
pub fn case_number_link(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Vi => format!("phản ánh #{id}"),
        Lang::En => format!("case #{id}"),
    }
}

// Search in the staff queues and on the staff map: the box, and what it says when nothing matches.

/// The fixed strings of the staff's search boxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffSearchKey {
    QueueLabel,
    MapLabel,
    Hint,
    Button,
    Clear,
}

pub fn staff_search_tr(lang: Lang, key: StaffSearchKey) -> &'static str {
    use StaffSearchKey::*;
    match key {
        QueueLabel => lang.pick("Tìm trong danh sách này", "Search this list"),
        MapLabel => lang.pick("Tìm phản ánh trên bản đồ", "Search the cases on the map"),
        Hint => lang.pick(
            "Từ trong tiêu đề, mô tả, địa chỉ, lĩnh vực, địa bàn hoặc số phản ánh; có dấu hay không dấu đều được.",
            "Words of the title, description, address, category or area, or the report number; with or without diacritics.",
        ),
        Button => lang.pick("Tìm", "Search"),
        Clear => lang.pick("Bỏ tìm kiếm", "Clear the search"),
    }
}

/// What a staff list says when nothing in it matches `q`.
pub fn staff_search_nothing(lang: Lang, q: &str) -> String {
    match lang {
        Lang::Vi => format!("Không có phản ánh nào khớp với “{q}”."),
        Lang::En => format!("No case matches “{q}”."),
    }
}

/// What the staff map says when nothing in its view matches `q`.
pub fn staff_map_search_nothing(lang: Lang, q: &str) -> String {
    match lang {
        Lang::Vi => format!("Không có phản ánh nào khớp với “{q}” trong vùng bản đồ này."),
        Lang::En => format!("No case in this view of the map matches “{q}”."),
    }
}

/// Texts of the published result and of ratings given through the receipt link or by phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultKey {
    PublishedHeading,
    PublishedApprovedOn,
    RatingSent,
    ApproveEditLabel,
    ApproveEditHint,
    CallRatingHeading,
    CallRatingLabel,
    CallRatingSubmit,
    CallRatingRecorded,
}

pub fn result_tr(lang: Lang, key: ResultKey) -> &'static str {
    use ResultKey::*;
    match key {
        PublishedHeading => lang.pick("Kết quả xử lý", "Result"),
        PublishedApprovedOn => lang.pick("Được duyệt lúc", "Approved on"),
        RatingSent => lang.pick("Cảm ơn bạn, đánh giá đã được ghi nhận.", "Thank you, your rating was recorded."),
        ApproveEditLabel => lang.pick("Kết quả công bố cho người dân", "Result published to the public"),
        ApproveEditHint => lang.pick(
            "Có thể sửa trước khi duyệt; nội dung này hiển thị công khai và được gửi cho người phản ánh.",
            "You may edit it before approving; this text is public and sent to the reporter.",
        ),
        CallRatingHeading => lang.pick("Đánh giá của người gọi qua điện thoại", "The caller's rating, by phone"),
        CallRatingLabel => lang.pick("Người gọi đánh giá kết quả", "The caller's rating of the result"),
        CallRatingSubmit => lang.pick("Ghi cuộc gọi và đánh giá", "Log the call and the rating"),
        CallRatingRecorded => lang.pick("Đã ghi cuộc gọi và đánh giá.", "The call and the rating were logged."),
    }
}

// Pausing the clock: questions to the reporter and their answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseKey {
    AskHint,
    AskButton,
    Waiting,
    WaitingUntil,
    QuestionHeading,
    AnswerHint,
    AnswerButton,
    AnswerSent,
    CallAnswerLabel,
    CallAnswerSubmit,
    CallAnswerRecorded,
}

pub fn pause_tr(lang: Lang, key: PauseKey) -> &'static str {
    use PauseKey::*;
    match key {
        AskHint => lang.pick(
            "Thời hạn xử lý tạm dừng đến khi người phản ánh trả lời, tối đa số ngày làm việc đã chọn; người phản ánh nhận câu hỏi qua thư, tài khoản hoặc đường dây nóng.",
            "The deadline stands still until the reporter answers, at most the working days chosen; the reporter gets the question by mail, in their account or from the hotline.",
        ),
        AskButton => lang.pick("Gửi câu hỏi và tạm dừng thời hạn", "Ask and pause the deadline"),
        Waiting => lang.pick("Đang chờ người phản ánh bổ sung thông tin", "Waiting for the reporter's answer"),
        WaitingUntil => lang.pick("Thời hạn tạm dừng tối đa đến", "The deadline stands still at most until"),
        QuestionHeading => lang.pick("Cơ quan xử lý cần thêm thông tin", "The agency needs more information"),
        AnswerHint => lang.pick(
            "Thời hạn xử lý tạm dừng trong lúc chờ bạn trả lời.",
            "The deadline stands still while the agency waits for your answer.",
        ),
        AnswerButton => lang.pick("Gửi thông tin bổ sung", "Send the answer"),
        AnswerSent => lang.pick("Cảm ơn bạn, thông tin đã được gửi đến cơ quan xử lý.", "Thank you, your answer was sent to the agency."),
        CallAnswerLabel => lang.pick("Câu trả lời của người gọi", "The caller's answer"),
        CallAnswerSubmit => lang.pick("Ghi cuộc gọi và câu trả lời", "Log the call and the answer"),
        CallAnswerRecorded => lang.pick("Đã ghi cuộc gọi và câu trả lời.", "The call and the answer were logged."),
    }
}

// Assignment inside an agency: heads giving cases to officers, officers taking them, who holds
// what in the agency's queue, and the notice an assignee reads.

/// The fixed strings of assignment inside an agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignKey {
    /// The facts' line and the queue's column: who holds the case.
    Holder,
    /// Nobody holds the case yet.
    Unassigned,
    AssigneeLabel,
    AssignButton,
    TakeButton,
    TakeHint,
    /// The queue's tabs: the whole agency's cases, and the reader's own.
    AllCases,
    MyCases,
    TabsLabel,
    MyCasesEmpty,
    /// Why an officer is told: a case was given to them.
    ReasonAssigned,
    /// A head's admin flag.
    AgencyHead,
    AgencyHeadHint,
}

pub fn assign_tr(lang: Lang, key: AssignKey) -> &'static str {
    use AssignKey::*;
    match key {
        Holder => lang.pick("Người xử lý", "Handled by"),
        Unassigned => lang.pick("Chưa giao", "Unassigned"),
        AssigneeLabel => lang.pick("Giao cho cán bộ", "Assign to officer"),
        AssignButton => lang.pick("Giao việc", "Assign"),
        TakeButton => lang.pick("Nhận phụ trách phản ánh này", "Take this case"),
        TakeHint => lang.pick(
            "Chưa ai phụ trách phản ánh này trong đơn vị; bạn có thể tự nhận.",
            "Nobody in the agency holds this case yet; you may take it.",
        ),
        AllCases => lang.pick("Cả đơn vị", "Whole agency"),
        MyCases => lang.pick("Việc của tôi", "My cases"),
        TabsLabel => lang.pick("Lọc theo người xử lý", "Filter by holder"),
        MyCasesEmpty => lang.pick("Bạn chưa được giao phản ánh nào.", "No case is assigned to you."),
        ReasonAssigned => lang.pick("bạn được giao xử lý", "assigned to you"),
        AgencyHead => lang.pick("Lãnh đạo đơn vị (giao việc cho cán bộ)", "Head of the agency (assigns its cases)"),
        AgencyHeadHint => lang.pick(
            "Lãnh đạo đơn vị giao từng phản ánh của đơn vị cho một cán bộ và giao lại khi cần.",
            "A head gives each of the agency's cases to one of its officers, and gives it again when needed.",
        ),
    }
}

/// How an assignment reads on a case's timeline: to whom it was given again and from whom, or
/// who took a case nobody held, or to whom it was given.
pub fn assignment_text(lang: Lang, to: &str, from: Option<&str>, taken: bool) -> String {
    match (lang, from, taken) {
        (Lang::Vi, Some(from), _) => format!("Đã giao lại cho {to} (trước đó: {from})"),
        (Lang::En, Some(from), _) => format!("Reassigned to {to} (from {from})"),
        (Lang::Vi, None, true) => format!("{to} nhận phụ trách"),
        (Lang::En, None, true) => format!("{to} took the case"),
        (Lang::Vi, None, false) => format!("Đã giao cho {to}"),
        (Lang::En, None, false) => format!("Assigned to {to}"),
    }
}

// Staff digests and deadline mail: what a staff member's account page says of their own address.

/// The fixed strings of a staff member's own e-mail address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffMailKey {
    /// What the address is for, and that the name is the administrator's.
    ProfileIntro,
}

pub fn staff_mail_tr(lang: Lang, key: StaffMailKey) -> &'static str {
    match key {
        StaffMailKey::ProfileIntro => lang.pick(
            "Họ tên do quản trị viên quản lý. Thư điện tử đã xác nhận nhận các thư tổng hợp và cảnh báo thời hạn xử lý gửi cho vai trò của bạn.",
            "An administrator keeps your name. A confirmed e-mail address receives the digests and deadline warnings your role is sent.",
        ),
    }
}

// The installed app and offline reports: the camera, drafts kept on the device, and reports sent from it.

/// The fixed strings of drafts, photos kept offline and the camera.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfflineKey {
    TakePhoto,
    PhotosKept,
    OfflineBanner,
    DraftSaved,
    DraftNotSaved,
    DraftsHeading,
    WaitingToSend,
    DraftRefused,
    DraftBusy,
    EditingDraft,
    SentHeading,
    SendNow,
    PhotoPositionFound,
    UsePhotoPosition,
    EditDraft,
    DeleteDraft,
}

pub fn offline_tr(lang: Lang, key: OfflineKey) -> &'static str {
    use OfflineKey::*;
    match key {
        TakePhoto => lang.pick("Chụp ảnh", "Take a photo"),
        PhotosKept => lang.pick(
            "Không có mạng: ảnh được giữ trên máy và sẽ gửi cùng phản ánh.",
            "No connection: the photos stay on this device and go with the report.",
        ),
        OfflineBanner => lang.pick(
            "Bạn đang ngoại tuyến. Vẫn gửi phản ánh được: phản ánh được lưu trên máy và tự gửi khi có mạng.",
            "You are offline. You can still report: the report is kept on this device and sent by itself when the connection returns.",
        ),
        DraftSaved => lang.pick(
            "Chưa có mạng nên phản ánh được lưu trên máy. Phản ánh đang chờ gửi và sẽ tự gửi khi có mạng.",
            "There is no connection, so the report is kept on this device. It is waiting to send and goes out by itself when the connection returns.",
        ),
        DraftNotSaved => lang.pick("Không lưu được phản ánh trên máy này:", "The report could not be kept on this device:"),
        DraftsHeading => lang.pick("Phản ánh chờ gửi trên máy này", "Reports waiting on this device"),
        WaitingToSend => lang.pick("Đang chờ gửi", "Waiting to send"),
        DraftRefused => lang.pick("Chưa gửi được, cần sửa:", "Not sent, needs an edit:"),
        DraftBusy => lang.pick(
            "Phản ánh này đang được gửi hoặc đang mở ở một thẻ khác.",
            "This report is being sent or is open in another tab.",
        ),
        EditingDraft => lang.pick(
            "Bạn đang sửa một phản ánh chờ gửi. Bấm gửi để gửi đi, hoặc lưu lại nếu vẫn chưa có mạng.",
            "You are editing a report waiting to send. Submit to send it, or to keep it again while there is no connection.",
        ),
        SentHeading => lang.pick("Phản ánh đã gửi từ máy này", "Reports sent from this device"),
        SendNow => lang.pick("Gửi ngay", "Send now"),
        PhotoPositionFound => lang.pick("Ảnh có ghi vị trí chụp.", "The photo records where it was taken."),
        UsePhotoPosition => lang.pick("Ghim tại nơi chụp ảnh", "Pin where the photo was taken"),
        EditDraft => lang.pick("Sửa", "Edit"),
        DeleteDraft => lang.pick("Xoá", "Delete"),
    }
}

/// A draft's photos, counted.
pub fn draft_photo_count(lang: Lang, count: usize) -> String {
    match lang {
        Lang::Vi => format!("{count} ảnh"),
        Lang::En if count == 1 => "1 photo".to_string(),
        Lang::En => format!("{count} photos"),
    }
}

/// The label of the button that opens draft `title` for editing.
pub fn edit_draft_label(lang: Lang, title: &str) -> String {
    match lang {
        Lang::Vi => format!("Sửa: {title}"),
        Lang::En => format!("Edit: {title}"),
    }
}

/// The label of the button that deletes draft `title`.
pub fn delete_draft_label(lang: Lang, title: &str) -> String {
    match lang {
        Lang::Vi => format!("Xoá: {title}"),
        Lang::En => format!("Delete: {title}"),
    }
}

// Push notices.

/// The fixed strings of the "get notifications" switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushKey {
    /// The switch's label.
    Toggle,
    /// What turning it on does.
    Hint,
    /// Notifications now come to this device.
    On,
    /// Notifications no longer come to this device.
    Off,
    /// The browser has no Web Push.
    Unsupported,
    /// The person, or the browser's settings, blocked notifications for the site.
    Denied,
    /// Subscribing failed: no push service answered, or the server refused.
    Failed,
    /// While the browser asks and subscribes.
    Working,
}

pub fn push_tr(lang: Lang, key: PushKey) -> &'static str {
    match key {
        PushKey::Toggle => lang.pick("Nhận thông báo", "Get notifications"),
        PushKey::Hint => lang.pick(
            "Nhận thông báo trên thiết bị này mỗi khi phản ánh có bước xử lý mới.",
            "A notification on this device at each new step of the cases.",
        ),
        PushKey::On => lang.pick("Đã bật thông báo trên thiết bị này.", "Notifications are on for this device."),
        PushKey::Off => lang.pick("Đã tắt thông báo trên thiết bị này.", "Notifications are off for this device."),
        PushKey::Unsupported => lang.pick(
            "Trình duyệt này không nhận được thông báo đẩy; bạn vẫn theo dõi được tiến độ trên trang này.",
            "This browser cannot receive push notifications; you can still follow the progress on this page.",
        ),
        PushKey::Denied => lang.pick(
            "Thông báo đang bị chặn cho trang này. Hãy cho phép thông báo trong cài đặt của trình duyệt rồi thử lại.",
            "Notifications are blocked for this site. Allow them in your browser's settings, then try again.",
        ),
        PushKey::Failed => lang.pick(
            "Chưa bật được thông báo: dịch vụ thông báo của trình duyệt không trả lời. Vui lòng thử lại sau.",
            "Notifications could not be turned on: the browser's push service did not answer. Please try again later.",
        ),
        PushKey::Working => lang.pick("Đang xử lý…", "Working…"),
    }
}

/// The title of a push notice of case `case` now in `status`; for an officer, that the case is
/// for their agency to handle.
pub fn push_title(lang: Lang, case: i64, status: CaseStatus, officer: bool) -> String {
    match (lang, officer) {
        (Lang::Vi, true) => format!("Phản ánh #{case} cần đơn vị xử lý"),
        (Lang::En, true) => format!("Case #{case} for your agency to handle"),
        (Lang::Vi, false) => format!("Phản ánh #{case}: {}", status_label(lang, status)),
        (Lang::En, false) => format!("Report #{case}: {}", status_label(lang, status)),
    }
}

/// The body of a push notice: the case's title, and what the step says to the public (a
/// rejection's reason, the published result, a closing note) when it says anything.
pub fn push_body(title: &str, note: Option<&str>) -> String {
    match note.map(str::trim).filter(|note| !note.is_empty()) {
        Some(note) => format!("{title} — {note}"),
        None => title.to_string(),
    }
}
