//! The messages an account is sent about itself (the link verifying its e-mail address, the link
//! resetting its forgotten password), in the language it asked in, through the notices' SMTP relay.

use crate::notices::Mailer;
use domain::lang::Lang;
use services::account_links::{AccountLetter, AccountMail, LinkPurpose};

/// Posts account letters through the relay, each on a task of its own: the request that asked for
/// one is answered at once, whether the relay is quick, slow or down.
pub struct RelayedAccountMail {
    mailer: Mailer,
}

impl RelayedAccountMail {
    pub fn new(mailer: Mailer) -> Self {
        Self { mailer }
    }
}

impl AccountMail for RelayedAccountMail {
    fn post(&self, letter: AccountLetter) {
        let mailer = self.mailer.clone();
        tokio::spawn(async move {
            let purpose = letter.purpose.as_str();
            let (subject, body) = letter_text(&letter, mailer.public_url());
            let message = match mailer.plain_message(letter.to.as_str(), subject, body) {
                Ok(message) => message,
                Err(error) => {
                    tracing::warn!(purpose, %error, "an account letter could not be built");
                    return;
                }
            };
            // The link lasts minutes to a day and a new one is a click away: a failed send is
            // logged rather than retried, so no token waits anywhere to be sent later.
            match mailer.send(message).await {
                Ok(()) => tracing::info!(purpose, "account letter sent"),
                Err(error) => tracing::warn!(purpose, %error, "account letter failed"),
            }
        });
    }
}

/// Where the letter's link leads on the site at `public_url`.
pub fn link_of(letter: &AccountLetter, public_url: &str) -> String {
    let page = match letter.purpose {
        LinkPurpose::VerifyEmail => "verify-email",
        LinkPurpose::ResetPassword => "reset-password",
    };
    format!("{}/{page}/{}", public_url.trim_end_matches('/'), letter.token)
}

/// The letter's subject and body in its language, with its link and the site's address.
pub fn letter_text(letter: &AccountLetter, public_url: &str) -> (String, String) {
    let link = link_of(letter, public_url);
    let username = &letter.username;
    let site = public_url.trim_end_matches('/');
    match (letter.lang, letter.purpose) {
        (Lang::Vi, LinkPurpose::VerifyEmail) => (
            "Xác nhận địa chỉ thư điện tử".to_string(),
            format!(
                "Xin chào {username},\n\n\
                 Địa chỉ thư điện tử này vừa được thêm vào tài khoản {username} trên Hệ thống phản ánh hiện trường tỉnh Quảng Bình.\n\
                 Mở liên kết sau để xác nhận. Liên kết dùng được một lần, trong 24 giờ:\n\n\
                 {link}\n\n\
                 Khi đã xác nhận, thư của hệ thống gửi cho tài khoản sẽ đến địa chỉ này; tài khoản người dân còn đặt lại được mật khẩu qua địa chỉ này nếu quên.\n\
                 Nếu không phải bạn thêm địa chỉ này, hãy bỏ qua thư.\n\n\
                 — Hệ thống phản ánh hiện trường tỉnh Quảng Bình\n{site}\n"
            ),
        ),
        (Lang::En, LinkPurpose::VerifyEmail) => (
            "Confirm your e-mail address".to_string(),
            format!(
                "Hello {username},\n\n\
                 This e-mail address was just added to the account {username} on the Quảng Bình province field reports system.\n\
                 Open this link to confirm it. The link works once, within 24 hours:\n\n\
                 {link}\n\n\
                 Once it is confirmed, the system's mail for the account goes to this address, and a citizen's account can reset a forgotten password through it.\n\
                 If you did not add this address, ignore this message.\n\n\
                 — Quảng Bình province field reports\n{site}\n"
            ),
        ),
        (Lang::Vi, LinkPurpose::ResetPassword) => (
            "Đặt lại mật khẩu".to_string(),
            format!(
                "Xin chào {username},\n\n\
                 Có yêu cầu đặt lại mật khẩu của tài khoản {username} trên Hệ thống phản ánh hiện trường tỉnh Quảng Bình.\n\
                 Mở liên kết sau để đặt mật khẩu mới. Liên kết dùng được một lần, trong 30 phút:\n\n\
                 {link}\n\n\
                 Sau khi đặt lại, mọi phiên đăng nhập của tài khoản đều kết thúc.\n\
                 Nếu không phải bạn yêu cầu, hãy bỏ qua thư: mật khẩu của bạn vẫn giữ nguyên.\n\n\
                 — Hệ thống phản ánh hiện trường tỉnh Quảng Bình\n{site}\n"
            ),
        ),
        (Lang::En, LinkPurpose::ResetPassword) => (
            "Reset your password".to_string(),
            format!(
                "Hello {username},\n\n\
                 Someone asked to reset the password of the account {username} on the Quảng Bình province field reports system.\n\
                 Open this link to set a new password. The link works once, within 30 minutes:\n\n\
                 {link}\n\n\
                 Once the password is reset, every session of the account is signed out.\n\
                 If you did not ask for this, ignore this message: your password stays as it is.\n\n\
                 — Quảng Bình province field reports\n{site}\n"
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::contact::Email;

    fn letter(purpose: LinkPurpose, lang: Lang) -> AccountLetter {
        AccountLetter {
            purpose,
            to: Email::parse("lan@example.vn").expect("address"),
            username: "lan.nguyen".into(),
            token: "ab12".into(),
            lang,
        }
    }

    #[test]
    fn each_letter_carries_its_link_on_the_public_site_in_its_language() {
        let site = "https://phananh.example.vn/";
        let (subject, body) = letter_text(&letter(LinkPurpose::ResetPassword, Lang::Vi), site);
        assert_eq!(subject, "Đặt lại mật khẩu");
        assert!(body.contains("https://phananh.example.vn/reset-password/ab12\n"), "{body}");
        assert!(body.contains("30 phút") && body.contains("lan.nguyen"), "{body}");
        let (subject, body) = letter_text(&letter(LinkPurpose::VerifyEmail, Lang::En), site);
        assert_eq!(subject, "Confirm your e-mail address");
        assert!(body.contains("https://phananh.example.vn/verify-email/ab12\n"), "{body}");
        assert!(body.contains("24 hours"), "{body}");
        let (_, body) = letter_text(&letter(LinkPurpose::VerifyEmail, Lang::Vi), site);
        assert!(body.contains("Mở liên kết sau để xác nhận"), "{body}");
        assert!(body.ends_with("https://phananh.example.vn\n"), "the site's address closes it: {body}");
    }
}
