//! The photos of a case as thumbnails linking to their display size: the report's, then the results'.

use crate::i18n::Key;
use crate::lang::use_tr;
use domain::photos::CasePhoto;
use leptos::prelude::*;

/// One titled group of thumbnails.
fn group(photos: Vec<CasePhoto>, heading: Key, alt: Key) -> impl IntoView {
    let t = use_tr();
    let items = photos
        .into_iter()
        .enumerate()
        .map(|(index, photo)| {
            // The thumbnail's own size is unknown here; the display size gives its proportions.
            let (width, height) = scaled(photo.width, photo.height, 160);
            view! {
                <li>
                    <a href=photo.display_url.clone() target="_blank" rel="noopener">
                        <img
                            src=photo.thumbnail_url.clone()
                            alt=move || format!("{} {}", t(alt), index + 1)
                            width=width
                            height=height
                            loading="lazy"
                        />
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="photos">
            <h2>{move || t(heading)}</h2>
            <ul class="photo-gallery">{items}</ul>
        </section>
    }
}

/// `width` × `height` shrunk so the longer side is at most `long_side`.
fn scaled(width: u32, height: u32, long_side: u32) -> (u32, u32) {
    let longest = width.max(height).max(1);
    if longest <= long_side {
        return (width, height);
    }
    let scale = |side: u32| (u64::from(side) * u64::from(long_side) / u64::from(longest)).max(1) as u32;
    (scale(width), scale(height))
}

/// The report's photos and the results' photos, each group shown only when it has any.
#[component]
pub fn PhotoGallery(
    /// The photos to show, as the server decided the viewer may see them.
    photos: Vec<CasePhoto>,
) -> impl IntoView {
    let (report, results): (Vec<_>, Vec<_>) = photos.into_iter().partition(|p| p.event_seq == 1);
    view! {
        {(!report.is_empty()).then(|| group(report, Key::ReportPhotosHeading, Key::PhotoAlt))}
        {(!results.is_empty()).then(|| group(results, Key::ResultPhotosHeading, Key::ResultPhotoAlt))}
    }
}

#[cfg(test)]
mod tests {
    use super::scaled;

    #[test]
    fn thumbnails_keep_their_proportions() {
        assert_eq!(scaled(1600, 800, 160), (160, 80));
        assert_eq!(scaled(80, 160, 160), (80, 160));
        assert_eq!(scaled(3000, 1, 160), (160, 1));
    }
}
