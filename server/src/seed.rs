//! The catalogue a new database starts with: categories, agencies, and the pilot area, shipped as data.

use anyhow::{bail, Context};
use domain::catalogue::{Agency, Category, Route};
use domain::deadline::shipped_holidays;
use domain::geo::{Area, AreaShape};
use serde::Deserialize;
use services::store::CatalogueSeed;

const CATALOGUE: &str = include_str!("../seed/catalogue.json");
const AREAS: [&str; 1] = [include_str!("../seed/areas/dong-hoi.geojson")];

#[derive(Deserialize)]
struct CatalogueFile {
    categories: Vec<Category>,
    agencies: Vec<Agency>,
    routes: Vec<Route>,
}

/// Reads an area from a GeoJSON Feature whose properties hold `code` and `name`.
pub fn area_from_feature(text: &str) -> anyhow::Result<Area> {
    let value: serde_json::Value = serde_json::from_str(text).context("the area is not JSON")?;
    let property =
        |name: &str| value.pointer(&format!("/properties/{name}")).and_then(|v| v.as_str()).map(str::to_string);
    let (Some(code), Some(name)) = (property("code"), property("name")) else {
        bail!("the area's properties need a code and a name")
    };
    let shape = AreaShape::from_geojson(&value).with_context(|| format!("area {code}"))?;
    Ok(Area { code, name, shape, active: true })
}

/// The shipped catalogue, parsed.
pub fn catalogue() -> anyhow::Result<CatalogueSeed> {
    let file: CatalogueFile = serde_json::from_str(CATALOGUE).context("seed/catalogue.json")?;
    let areas = AREAS.iter().map(|text| area_from_feature(text)).collect::<anyhow::Result<Vec<_>>>()?;
    Ok(CatalogueSeed {
        categories: file.categories,
        agencies: file.agencies,
        areas,
        routes: file.routes,
        holidays: shipped_holidays(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::geo::{locate, Coordinates};

    #[test]
    fn shipped_catalogue_parses_and_the_pilot_area_holds_dong_hoi() {
        let seed = catalogue().expect("shipped catalogue parses");
        assert!(seed.categories.len() >= 5);
        assert!(seed.agencies.len() >= 5);
        let centre = Coordinates::parse(17.4689, 106.6222).expect("valid");
        assert_eq!(locate(&seed.areas, &centre).map(|a| a.code.as_str()), Some("dong-hoi"));
        let hue = Coordinates::parse(16.4637, 107.5909).expect("valid");
        assert!(locate(&seed.areas, &hue).is_none(), "Huế is outside the pilot area");
    }
}
