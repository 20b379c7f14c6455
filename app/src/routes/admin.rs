//! The administrator's pages: keys for Open311 integrations; and the public guide for integrators.

use crate::admin::{list_api_keys, IssueApiKey, RevokeApiKey};
use crate::i18n::{tr, Key};
use crate::lang::{use_lang, use_tr};
use crate::routes::case_page::local_time;
use crate::session::{error_text, use_hydrated};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let hydrated = use_hydrated();
    let issue = ServerAction::<IssueApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let keys = Resource::new(move || (issue.version().get(), revoke.version().get()), |_| list_api_keys());
    let name = RwSignal::new(String::new());
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        issue.dispatch(IssueApiKey { name: name.get_untracked() });
    };
    let issued = move || match issue.value().get() {
        Some(Ok(key)) => Some(
            view! {
                <div class="issued" role="status">
                    <p>{move || t(Key::ApiKeyShownOnce)}</p>
                    <code class="secret">{key}</code>
                </div>
            }
            .into_any(),
        ),
        Some(Err(error)) => {
            Some(view! { <p class="form-error" role="alert">{error_text(lang.get(), &error)}</p> }.into_any())
        }
        None => None,
    };
    view! {
        <section>
            <h1>{move || t(Key::ApiKeysHeading)}</h1>
            <p>{move || t(Key::ApiKeysIntro)} " " <a href="/open311">{move || t(Key::Open311Guide)}</a></p>
            <form class="stack narrow" method="post" on:submit=on_submit>
                <div class="field">
                    <label for="key_name">{move || t(Key::ApiKeyName)}</label>
                    <input id="key_name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="primary" disabled=move || !hydrated.get() || issue.pending().get()>{move || t(Key::IssueApiKey)}</button>
            </form>
            {issued}
            <Transition fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match keys.await {
                        Ok(list) => view! {
                            <table class="queue-table">
                                <thead><tr><th>"#"</th><th>{move || t(Key::ApiKeyName)}</th><th>{move || t(Key::When)}</th><th>{move || t(Key::Status)}</th><th></th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|key| {
                                        let id = key.id;
                                        let revoked = key.revoked_at.is_some();
                                        view! {
                                            <tr>
                                                <td>{id}</td>
                                                <td>{key.name.clone()}</td>
                                                <td>{local_time(key.created_at)}</td>
                                                <td>{move || t(if revoked { Key::ApiKeyRevoked } else { Key::ApiKeyActive })}</td>
                                                <td>{(!revoked).then(|| view! {
                                                    <button type="button" disabled=move || !hydrated.get() || revoke.pending().get()
                                                        on:click=move |_| { revoke.dispatch(RevokeApiKey { id }); }
                                                        aria-label=format!("{} {}", tr(lang.get_untracked(), Key::RevokeApiKey), key.name)>
                                                        {move || t(Key::RevokeApiKey)}
                                                    </button>
                                                })}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(error) => view! { <p class="form-error" role="alert">{error_text(lang.get_untracked(), &error)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn Open311GuidePage() -> impl IntoView {
    let t = use_tr();
    view! {
        <article class="guide">
            <h1>{move || t(Key::Open311Guide)}</h1>
            <p>{move || t(Key::Open311Intro)}</p>
            <h2>{move || t(Key::Open311GetKey)}</h2>
            <p>{move || t(Key::Open311GetKeyText)}</p>
            <h2>{move || t(Key::Open311Examples)}</h2>
            <pre tabindex="0"><code>{"# Lĩnh vực / services
curl https://phananh.example.vn/open311/v2/services.json

# Gửi phản ánh / file a report
curl -X POST https://phananh.example.vn/open311/v2/requests.json \\
    --data-urlencode api_key=KHOA_API \\
    --data-urlencode service_code=environment \\
    --data-urlencode lat=17.4689 --data-urlencode long=106.6222 \\
    --data-urlencode 'description=Rác thải đổ trộm bên bờ sông Nhật Lệ' \\
  --data-urlencode 'address_string=Đường Quang Trung, Đồng Hới'

# Tình trạng / status (XML or JSON)
curl https://phananh.example.vn/open311/v2/requests/123.xml
curl 'https://phananh.example.vn/open311/v2/requests.json?status=open&service_code=traffic&extensions=true'
curl https://phananh.example.vn/open311/v2/tokens/TOKEN.json"}</code></pre>
            <h2>{move || t(Key::Open311Rules)}</h2>
            <p>{move || t(Key::Open311RulesText)}</p>
        </article>
    }
}
