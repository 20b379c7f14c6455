//! The translation layer: every string the UI shows, in Vietnamese (default) and English.

use crate::core::case::{ActorRole, CaseStatus, Channel};
use crate::core::validation::{Field, Reason, ValidationError};
use serde::{Deserialize, Serialize};

/// A language of the UI. Vietnamese is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

/// The cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "lang";

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Self {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    /// Reads the language from a `Cookie` header value; Vietnamese when absent or unknown.
    pub fn from_cookie_header(header: &str) -> Self {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LANG_COOKIE)
            .map(|(_, value)| if value.trim() == "en" { Lang::En } else { Lang::Vi })
            .unwrap_or_default()
    }

    fn pick(self, vi: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

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
    FixErrors,
    SubmittedHeading,
    SubmittedCaseNumber,
    ViewCase,
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
        FixErrors => lang.pick("Vui lòng sửa các mục được đánh dấu.", "Please correct the marked fields."),
        SubmittedHeading => lang.pick("Đã nhận phản ánh", "Report received"),
        SubmittedCaseNumber => lang.pick("Mã số phản ánh", "Case number"),
        ViewCase => lang.pick("Xem phản ánh", "View the case"),
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
            "Các phản ánh gần đây. Không hiển thị thông tin cá nhân của người phản ánh.",
            "Recent reports. Reporters' personal details are never shown.",
        ),
        Loading => lang.pick("Đang tải…", "Loading…"),
        LoadFailed => lang.pick("Không tải được dữ liệu. Vui lòng thử lại.", "The data could not be loaded. Please try again."),
        NotFoundPage => lang.pick("Không tìm thấy trang.", "Page not found."),
        PrivacyNote => lang.pick(
            "Thông tin liên hệ của người phản ánh không bao giờ được công khai.",
            "Reporters' contact details are never published.",
        ),
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
    }
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
    }
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
    fn error_messages_name_the_field_in_each_language() {
        let error = ValidationError::new(Field::ReporterPhone, Reason::InvalidPhone);
        assert!(error_message(Lang::Vi, &error).starts_with("Số điện thoại"));
        assert!(error_message(Lang::En, &error).starts_with("Phone number"));
        let error = ValidationError::new(Field::Title, Reason::TooShort { min: 5 });
        assert_eq!(error_message(Lang::Vi, &error), "Tiêu đề: cần ít nhất 5 ký tự.");
    }
}
