//! The GPS position a phone's camera wrote into a JPEG's EXIF block, read so the report form can offer it as the pin.

use super::geo::Coordinates;

/// The EXIF tag of the pointer to the GPS directory, in the first directory.
const GPS_DIRECTORY: u16 = 0x8825;
const LATITUDE_REF: u16 = 1;
const LATITUDE: u16 = 2;
const LONGITUDE_REF: u16 = 3;
const LONGITUDE: u16 = 4;
/// TIFF's type code of an unsigned rational (two 32-bit integers).
const RATIONAL: u16 = 5;
/// A directory of more entries than this is not a camera's: reading stops there.
const MOST_ENTRIES: usize = 512;

/// The position in `jpeg`'s EXIF GPS tags, if the file is a JPEG that has one. A position of
/// exactly 0°, 0° is what cameras write before they have a fix, so it counts as none; so does
/// anything outside the WGS84 ranges or malformed.
pub fn gps_position(jpeg: &[u8]) -> Option<Coordinates> {
    let tiff = exif_block(jpeg)?;
    let order = ByteOrder::of(tiff)?;
    let first = order.u32(tiff, 4)? as usize;
    let gps = directory(tiff, order, first)?.find(|entry| entry.tag == GPS_DIRECTORY)?.value as usize;
    let mut latitude = None;
    let mut longitude = None;
    let mut latitude_ref = None;
    let mut longitude_ref = None;
    for entry in directory(tiff, order, gps)? {
        match entry.tag {
            LATITUDE_REF => latitude_ref = entry.first_byte(tiff),
            LONGITUDE_REF => longitude_ref = entry.first_byte(tiff),
            LATITUDE => latitude = entry.degrees(tiff, order),
            LONGITUDE => longitude = entry.degrees(tiff, order),
            _ => {}
        }
    }
    let lat = signed(latitude?, latitude_ref?, b'N', b'S')?;
    let lon = signed(longitude?, longitude_ref?, b'E', b'W')?;
    if lat == 0.0 && lon == 0.0 {
        return None;
    }
    Coordinates::parse(lat, lon).ok()
}

/// `degrees` with the sign its hemisphere letter gives, or nothing for any other letter.
fn signed(degrees: f64, hemisphere: u8, positive: u8, negative: u8) -> Option<f64> {
    match hemisphere.to_ascii_uppercase() {
        h if h == positive => Some(degrees),
        h if h == negative => Some(-degrees),
        _ => None,
    }
}

/// The TIFF structure inside the JPEG's APP1 "Exif" segment. Only the segments before the image
/// data are read.
fn exif_block(jpeg: &[u8]) -> Option<&[u8]> {
    if !jpeg.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut at = 2;
    loop {
        let marker = *jpeg.get(at + 1)?;
        if *jpeg.get(at)? != 0xFF {
            return None;
        }
        // Start of scan: the metadata segments are all behind.
        if marker == 0xDA {
            return None;
        }
        let length = u16::from_be_bytes([*jpeg.get(at + 2)?, *jpeg.get(at + 3)?]) as usize;
        if length < 2 {
            return None;
        }
        let segment = jpeg.get(at + 4..at + 2 + length)?;
        if marker == 0xE1 {
            if let Some(tiff) = segment.strip_prefix(b"Exif\0\0") {
                return Some(tiff);
            }
        }
        at += 2 + length;
    }
}

#[derive(Debug, Clone, Copy)]
enum ByteOrder {
    Little,
    Big,
}

impl ByteOrder {
    fn of(tiff: &[u8]) -> Option<Self> {
        let order = match tiff.get(0..2)? {
            b"II" => ByteOrder::Little,
            b"MM" => ByteOrder::Big,
            _ => return None,
        };
        (order.u16(tiff, 2)? == 42).then_some(order)
    }

    fn u16(self, bytes: &[u8], at: usize) -> Option<u16> {
        let pair = [*bytes.get(at)?, *bytes.get(at + 1)?];
        Some(match self {
            ByteOrder::Little => u16::from_le_bytes(pair),
            ByteOrder::Big => u16::from_be_bytes(pair),
        })
    }

    fn u32(self, bytes: &[u8], at: usize) -> Option<u32> {
        let quad: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(match self {
            ByteOrder::Little => u32::from_le_bytes(quad),
            ByteOrder::Big => u32::from_be_bytes(quad),
        })
    }
}

/// One entry of a TIFF directory: its tag, type, count and the 4 bytes holding the value or its offset.
#[derive(Debug, Clone, Copy)]
struct Entry {
    tag: u16,
    kind: u16,
    count: u32,
    value: u32,
    /// Where the 4 value bytes sit, for values stored inline.
    value_at: usize,
}

impl Entry {
    /// The first character of an inline ASCII value (a hemisphere letter).
    fn first_byte(&self, tiff: &[u8]) -> Option<u8> {
        if self.count == 0 {
            return None;
        }
        tiff.get(self.value_at).copied()
    }

    /// Degrees, minutes and seconds as three rationals, in decimal degrees.
    fn degrees(&self, tiff: &[u8], order: ByteOrder) -> Option<f64> {
        if self.kind != RATIONAL || self.count != 3 {
            return None;
        }
        let start = self.value as usize;
        let mut total = 0.0;
        for (index, scale) in [1.0, 60.0, 3600.0].into_iter().enumerate() {
            let at = start.checked_add(index * 8)?;
            let numerator = order.u32(tiff, at)? as f64;
            let denominator = order.u32(tiff, at + 4)? as f64;
            if denominator == 0.0 {
                return None;
            }
            total += numerator / denominator / scale;
        }
        Some(total)
    }
}

/// The entries of the directory at `offset`, or nothing if it lies outside the block.
fn directory(tiff: &[u8], order: ByteOrder, offset: usize) -> Option<impl Iterator<Item = Entry> + '_> {
    let count = (order.u16(tiff, offset)? as usize).min(MOST_ENTRIES);
    let entries = offset + 2;
    tiff.get(entries..entries.checked_add(count * 12)?)?;
    Some((0..count).filter_map(move |index| {
        let at = entries + index * 12;
        Some(Entry {
            tag: order.u16(tiff, at)?,
            kind: order.u16(tiff, at + 2)?,
            count: order.u32(tiff, at + 4)?,
            value: order.u32(tiff, at + 8)?,
            value_at: at + 8,
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rational as TIFF stores it.
    fn rational(big_endian: bool, numerator: u32, denominator: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        for value in [numerator, denominator] {
            bytes.extend(if big_endian { value.to_be_bytes() } else { value.to_le_bytes() });
        }
        bytes
    }

    /// A JPEG's first segments with an EXIF block holding `lat` and `lon` as a camera writes them
    /// (degrees, minutes, seconds with hundredths), in either byte order.
    fn jpeg_with_position(big_endian: bool, lat: (char, [u32; 3]), lon: (char, [u32; 3])) -> Vec<u8> {
        let u16b = |v: u16| if big_endian { v.to_be_bytes().to_vec() } else { v.to_le_bytes().to_vec() };
        let u32b = |v: u32| if big_endian { v.to_be_bytes().to_vec() } else { v.to_le_bytes().to_vec() };
        let entry = |tag: u16, kind: u16, count: u32, value: Vec<u8>| {
            let mut bytes = u16b(tag);
            bytes.extend(u16b(kind));
            bytes.extend(u32b(count));
            let mut value = value;
            value.resize(4, 0);
            bytes.extend(value);
            bytes
        };
        let mut tiff = if big_endian { b"MM".to_vec() } else { b"II".to_vec() };
        tiff.extend(u16b(42));
        tiff.extend(u32b(8));
        // IFD0 at 8: one entry, the GPS pointer; GPS IFD right after it (8 + 2 + 12 + 4 = 26).
        let gps_at = 26u32;
        tiff.extend(u16b(1));
        tiff.extend(entry(GPS_DIRECTORY, 4, 1, u32b(gps_at)));
        tiff.extend(u32b(0));
        // The GPS IFD: four entries, then the six rationals.
        let rationals_at = gps_at + 2 + 4 * 12 + 4;
        tiff.extend(u16b(4));
        tiff.extend(entry(LATITUDE_REF, 2, 2, vec![lat.0 as u8, 0]));
        tiff.extend(entry(LATITUDE, RATIONAL, 3, u32b(rationals_at)));
        tiff.extend(entry(LONGITUDE_REF, 2, 2, vec![lon.0 as u8, 0]));
        tiff.extend(entry(LONGITUDE, RATIONAL, 3, u32b(rationals_at + 24)));
        tiff.extend(u32b(0));
        // Degrees and minutes whole, seconds in hundredths.
        for (index, value) in lat.1.iter().chain(lon.1.iter()).enumerate() {
            tiff.extend(rational(big_endian, *value, if index % 3 == 2 { 100 } else { 1 }));
        }
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend(tiff);
        let mut jpeg = vec![0xFF, 0xD8];
        // An APP0 (JFIF) segment first, as many encoders write it.
        jpeg.extend([0xFF, 0xE0, 0x00, 0x07, b'J', b'F', b'I', b'F', 0]);
        jpeg.extend([0xFF, 0xE1]);
        jpeg.extend(((app1.len() + 2) as u16).to_be_bytes());
        jpeg.extend(app1);
        jpeg.extend([0xFF, 0xDA, 0x00, 0x02]);
        jpeg
    }

    fn close(found: Coordinates, lat: f64, lon: f64) -> bool {
        (found.lat() - lat).abs() < 1e-6 && (found.lon() - lon).abs() < 1e-6
    }

    #[test]
    fn reads_a_position_in_either_byte_order() {
        // 17° 28' 07.56" N, 106° 37' 21.24" E: Đồng Hới.
        for big_endian in [false, true] {
            let jpeg = jpeg_with_position(big_endian, ('N', [17, 28, 756]), ('E', [106, 37, 2124]));
            let found = gps_position(&jpeg).expect("a position");
            assert!(
                close(found, 17.0 + 28.0 / 60.0 + 7.56 / 3600.0, 106.0 + 37.0 / 60.0 + 21.24 / 3600.0),
                "{found:?}"
            );
        }
    }

    #[test]
    fn south_and_west_are_negative() {
        let jpeg = jpeg_with_position(false, ('S', [33, 52, 0]), ('W', [70, 30, 0]));
        let found = gps_position(&jpeg).expect("a position");
        assert!(close(found, -(33.0 + 52.0 / 60.0), -70.5), "{found:?}");
    }

    #[test]
    fn no_fix_and_nonsense_are_no_position() {
        assert_eq!(gps_position(&jpeg_with_position(false, ('N', [0, 0, 0]), ('E', [0, 0, 0]))), None);
        assert_eq!(gps_position(&jpeg_with_position(false, ('N', [95, 0, 0]), ('E', [10, 0, 0]))), None);
        assert_eq!(gps_position(&jpeg_with_position(false, ('X', [10, 0, 0]), ('E', [10, 0, 0]))), None);
    }

    #[test]
    fn files_without_exif_or_cut_short_have_none() {
        assert_eq!(gps_position(b"\x89PNG\r\n\x1a\n"), None);
        assert_eq!(gps_position(&[0xFF, 0xD8, 0xFF, 0xDA, 0, 2]), None);
        let whole = jpeg_with_position(true, ('N', [17, 28, 756]), ('E', [106, 37, 2124]));
        for cut in 0..whole.len() - 4 {
            assert_eq!(gps_position(&whole[..cut]), None, "cut at {cut}");
        }
    }

    #[test]
    fn an_offset_past_the_end_is_no_position() {
        let mut jpeg = jpeg_with_position(false, ('N', [17, 28, 756]), ('E', [106, 37, 2124]));
        // The GPS pointer (IFD0's one entry's value) is the 4 bytes after the APP1 header, TIFF header, count, tag, type and count.
        let pointer = 2 + 9 + 4 + 6 + 8 + 2 + 8;
        jpeg[pointer..pointer + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(gps_position(&jpeg), None);
    }
}
