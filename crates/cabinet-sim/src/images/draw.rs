//! Simple product drawings: a bottle, a can, a snack bag or a bowl of bulk goods in the
//! product's colour on a light background.

use image::{Rgb, RgbImage};

/// Side of every product picture in pixels.
pub(crate) const PICTURE_SIZE: u32 = 400;

const BACKGROUND: Rgb<u8> = Rgb([246, 245, 240]);
const SHADOW: Rgb<u8> = Rgb([222, 220, 212]);
const LABEL: Rgb<u8> = Rgb([250, 250, 250]);
const METAL: Rgb<u8> = Rgb([190, 192, 196]);

/// Outline of a product picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Shape {
    Bottle,
    Can,
    Bag,
    Bowl,
}

/// Draws a product picture of `PICTURE_SIZE` square pixels.
pub(crate) fn render(shape: Shape, colour: [u8; 3]) -> RgbImage {
    let mut canvas = RgbImage::from_pixel(PICTURE_SIZE, PICTURE_SIZE, BACKGROUND);
    let colour = Rgb(colour);

    fill_ellipse(&mut canvas, (200, 355), (120, 16), SHADOW);
    match shape {
        Shape::Bottle => draw_bottle(&mut canvas, colour),
        Shape::Can => draw_can(&mut canvas, colour),
        Shape::Bag => draw_bag(&mut canvas, colour),
        Shape::Bowl => draw_bowl(&mut canvas, colour),
    }
    canvas
}

fn draw_bottle(canvas: &mut RgbImage, colour: Rgb<u8>) {
    fill_rect(canvas, (178, 52), (222, 84), shade(colour, 0.55));
    fill_rect(canvas, (184, 84), (216, 130), shade(colour, 1.25));
    fill_ellipse(canvas, (200, 150), (62, 36), shade(colour, 1.25));
    fill_rounded_rect(canvas, (138, 150), (262, 352), 28, colour);
    fill_rect(canvas, (138, 215), (262, 285), LABEL);
    fill_rect(canvas, (150, 238), (250, 262), shade(colour, 0.8));
}

fn draw_can(canvas: &mut RgbImage, colour: Rgb<u8>) {
    fill_rect(canvas, (132, 110), (268, 330), colour);
    fill_ellipse(canvas, (200, 330), (68, 18), shade(colour, 0.7));
    fill_ellipse(canvas, (200, 110), (68, 18), METAL);
    fill_ellipse(canvas, (200, 110), (50, 11), shade(METAL, 0.85));
    fill_rect(canvas, (132, 190), (268, 240), LABEL);
    fill_ellipse(canvas, (200, 215), (40, 14), colour);
    fill_rect(canvas, (148, 130), (160, 320), shade(colour, 1.3));
}

fn draw_bag(canvas: &mut RgbImage, colour: Rgb<u8>) {
    fill_rounded_rect(canvas, (112, 70), (288, 345), 14, colour);
    for step in 0..11 {
        let x = 116 + step * 16;
        fill_rect(canvas, (x, 70), (x + 8, 92), shade(colour, 0.7));
        fill_rect(canvas, (x, 323), (x + 8, 345), shade(colour, 0.7));
    }
    fill_ellipse(canvas, (200, 210), (62, 70), LABEL);
    fill_ellipse(canvas, (200, 215), (36, 40), shade(colour, 1.3));
}

fn draw_bowl(canvas: &mut RgbImage, colour: Rgb<u8>) {
    let nut_positions = [
        (150, 205),
        (185, 190),
        (222, 196),
        (258, 208),
        (168, 222),
        (205, 215),
        (240, 225),
        (200, 180),
    ];
    for (index, centre) in nut_positions.into_iter().enumerate() {
        let factor = if index % 2 == 0 { 1.0 } else { 0.8 };
        fill_ellipse(canvas, centre, (24, 16), shade(colour, factor));
    }

    fill_half_ellipse_below(canvas, (200, 230), (140, 115), Rgb([120, 86, 58]));
    fill_rect(canvas, (60, 226), (340, 236), Rgb([150, 110, 76]));
}

/// Scales a colour towards black (`factor` < 1) or white (`factor` > 1).
fn shade(colour: Rgb<u8>, factor: f32) -> Rgb<u8> {
    let channel = |value: u8| {
        let value = f32::from(value);
        let shaded = if factor <= 1.0 {
            value * factor
        } else {
            value + (255.0 - value) * (factor - 1.0)
        };
        shaded.clamp(0.0, 255.0) as u8
    };
    Rgb(colour.0.map(channel))
}

fn fill_rect(canvas: &mut RgbImage, from: (u32, u32), to: (u32, u32), colour: Rgb<u8>) {
    for y in from.1..to.1.min(canvas.height()) {
        for x in from.0..to.0.min(canvas.width()) {
            canvas.put_pixel(x, y, colour);
        }
    }
}

fn fill_rounded_rect(
    canvas: &mut RgbImage,
    from: (u32, u32),
    to: (u32, u32),
    radius: u32,
    colour: Rgb<u8>,
) {
    fill_rect(
        canvas,
        (from.0 + radius, from.1),
        (to.0 - radius, to.1),
        colour,
    );
    fill_rect(
        canvas,
        (from.0, from.1 + radius),
        (to.0, to.1 - radius),
        colour,
    );

    let corners = [
        (from.0 + radius, from.1 + radius),
        (to.0 - radius, from.1 + radius),
        (from.0 + radius, to.1 - radius),
        (to.0 - radius, to.1 - radius),
    ];
    for centre in corners {
        fill_ellipse(canvas, centre, (radius, radius), colour);
    }
}

fn fill_ellipse(canvas: &mut RgbImage, centre: (u32, u32), radii: (u32, u32), colour: Rgb<u8>) {
    fill_ellipse_rows(
        canvas,
        centre,
        radii,
        centre.1.saturating_sub(radii.1),
        colour,
    );
}

fn fill_half_ellipse_below(
    canvas: &mut RgbImage,
    centre: (u32, u32),
    radii: (u32, u32),
    colour: Rgb<u8>,
) {
    fill_ellipse_rows(canvas, centre, radii, centre.1, colour);
}

/// Fills the part of an ellipse from row `first_row` down.
fn fill_ellipse_rows(
    canvas: &mut RgbImage,
    centre: (u32, u32),
    radii: (u32, u32),
    first_row: u32,
    colour: Rgb<u8>,
) {
    let (cx, cy) = (i64::from(centre.0), i64::from(centre.1));
    let (rx, ry) = (i64::from(radii.0.max(1)), i64::from(radii.1.max(1)));
    let last_row = (cy + ry).min(i64::from(canvas.height()) - 1);

    for y in i64::from(first_row)..=last_row {
        let dy = y - cy;
        // Half width of the row, from x²/rx² + y²/ry² <= 1.
        let half_width =
            ((1.0 - (dy * dy) as f64 / (ry * ry) as f64).max(0.0).sqrt() * rx as f64) as i64;
        let left = (cx - half_width).max(0);
        let right = (cx + half_width).min(i64::from(canvas.width()) - 1);
        for x in left..=right {
            canvas.put_pixel(x as u32, y as u32, colour);
        }
    }
}
