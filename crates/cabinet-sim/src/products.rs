//! Product lines of the scenarios' final lists.
//!
//! Every function takes `image_base`, the URL prefix of this server's picture route
//! (`http://127.0.0.1:PORT/upload/image/`), so that `thumbImage` points back at the simulator.

use rust_decimal::Decimal;

use crate::frames::{ProductLine, Thumb};
use crate::images::{FaultImage, Shape, THREE_DRINKS_PICTURES};

/// `recordId` of the contract's example list, also used by door-held, malformed-frames and
/// html-name.
pub(crate) const THREE_DRINKS_RECORD_ID: u64 = 33116;

/// `recordId` of the large list. It is above 2^53, so a client that parses it as f64 loses
/// the last digit.
pub(crate) const LARGE_RECORD_ID: u64 = 900_000_000_000_000_001;

/// `recordId` of the broken-images list.
pub(crate) const BROKEN_IMAGES_RECORD_ID: u64 = 33117;

/// Number of distinct products (and so of distinct picture URLs) in the large list.
pub(crate) const LARGE_KIND_COUNT: usize = 60;

const LARGE_CABINETS: u32 = 6;
const LARGE_LINES_PER_CABINET: u32 = 100;

const HTML_NAME: &str = "<img src=x onerror=alert(1)><b>奶茶</b>";
const HTML_TYPE_NAME: &str = "<script>x</script>";

/// Builds a price from an amount in units of 0.00001 yuan.
fn price(hundred_thousandths: i64) -> Decimal {
    Decimal::new(hundred_thousandths, 5)
}

fn url(image_base: &str, file: &str) -> Thumb {
    Thumb::Url(format!("{image_base}{file}"))
}

/// The contract's example list: 阿莎姆奶茶, 可口可乐 and 脉动 in cabinets 1 and 2.
pub(crate) fn three_drinks(image_base: &str) -> Vec<ProductLine> {
    let [milk_tea, cola, mizone] = THREE_DRINKS_PICTURES;

    vec![
        ProductLine {
            id: 3297,
            name: "阿莎姆奶茶".to_owned(),
            type_name: "饮料".to_owned(),
            aisle_no: 101,
            cabinet_no: 1,
            is_bulk: false,
            thumb: url(image_base, milk_tea),
            storage: 41,
            remove_quantity: 0,
            remove_quantity_revise: 0,
            add_quantity: 13,
            add_quantity_revise: 13,
            sale_price: price(6_50000),
            cost_price: price(3_10000),
        },
        ProductLine {
            id: 3295,
            name: "可口可乐".to_owned(),
            type_name: "饮料".to_owned(),
            aisle_no: 102,
            cabinet_no: 1,
            is_bulk: false,
            thumb: url(image_base, cola),
            storage: 29,
            remove_quantity: 0,
            remove_quantity_revise: 0,
            add_quantity: 8,
            add_quantity_revise: 8,
            sale_price: price(5_00000),
            cost_price: price(2_20000),
        },
        ProductLine {
            id: 3296,
            name: "脉动".to_owned(),
            type_name: "饮料".to_owned(),
            aisle_no: 202,
            cabinet_no: 2,
            is_bulk: false,
            thumb: url(image_base, mizone),
            storage: 33,
            remove_quantity: 0,
            remove_quantity_revise: 0,
            add_quantity: 9,
            add_quantity_revise: 9,
            sale_price: price(6_00000),
            cost_price: price(2_90000),
        },
    ]
}

/// Returns the three drinks, with HTML markup as the first product's name and category.
pub(crate) fn html_name(image_base: &str) -> Vec<ProductLine> {
    let mut lines = three_drinks(image_base);
    lines[0].name = HTML_NAME.to_owned();
    lines[0].type_name = HTML_TYPE_NAME.to_owned();
    lines
}

/// Returns one line per fault picture, plus a line without `thumbImage` and one with `null`.
pub(crate) fn broken_images(image_base: &str) -> Vec<ProductLine> {
    let faults = [
        (FaultImage::Good, "冰红茶 · 图片正常"),
        (FaultImage::Truncated, "绿茶 · 截断的JPEG"),
        (FaultImage::HtmlAsJpeg, "矿泉水 · HTML冒充图片"),
        (FaultImage::Missing, "橙汁 · 图片不存在"),
        (FaultImage::Slow, "酸奶 · 图片加载很慢"),
        (FaultImage::Bomb, "咖啡 · 解压炸弹"),
    ];
    let mut thumbs: Vec<(Thumb, &str)> = faults
        .iter()
        .map(|(fault, name)| (url(image_base, fault.file_name()), *name))
        .collect();
    thumbs.push((Thumb::Absent, "苏打水 · 无图片字段"));
    thumbs.push((Thumb::Null, "椰汁 · 图片为null"));

    thumbs
        .into_iter()
        .zip(1u32..)
        .map(|((thumb, name), slot)| ProductLine {
            id: 4100 + u64::from(slot),
            name: name.to_owned(),
            type_name: "饮料".to_owned(),
            aisle_no: 100 + slot,
            cabinet_no: 1,
            is_bulk: false,
            thumb,
            storage: 10 + slot,
            remove_quantity: 0,
            remove_quantity_revise: 0,
            add_quantity: slot,
            add_quantity_revise: slot,
            sale_price: price(4_50000 + i64::from(slot) * 10000),
            cost_price: price(2_00000 + i64::from(slot) * 5000),
        })
        .collect()
}

/// A product of the large list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LargeKind {
    pub name: String,
    pub type_name: &'static str,
    pub is_bulk: bool,
    pub shape: Shape,
    /// Cost in units of 0.00001 yuan, per piece or per jin.
    pub cost: i64,
    /// Sale price in units of 0.00001 yuan, per piece or per jin.
    pub sale: i64,
}

const DRINKS: [&str; 8] = [
    "农夫山泉",
    "可口可乐",
    "雪碧",
    "王老吉",
    "红牛",
    "脉动",
    "冰红茶",
    "元气森林",
];
const DRINK_SIZES: [&str; 3] = ["330ml", "500ml", "1.25L"];
const SNACKS: [&str; 7] = [
    "乐事薯片",
    "奥利奥",
    "旺旺雪饼",
    "卫龙辣条",
    "德芙巧克力",
    "好丽友派",
    "三只松鼠坚果",
];
const SNACK_SIZES: [&str; 3] = ["45g", "90g", "180g"];
const BULK: [&str; 15] = [
    "散装开心果",
    "散装腰果",
    "散装巴旦木",
    "散装瓜子",
    "散装花生",
    "散装核桃",
    "散装红枣",
    "散装葡萄干",
    "散装芒果干",
    "散装牛肉干",
    "散装软糖",
    "散装话梅",
    "散装锅巴",
    "散装饼干",
    "散装巧克力",
];

/// Returns product `index` (0..60) of the large list: 24 drinks, 21 snacks, 15 bulk goods.
pub(crate) fn large_kind(index: usize) -> LargeKind {
    let drink_count = DRINKS.len() * DRINK_SIZES.len();
    let snack_count = SNACKS.len() * SNACK_SIZES.len();
    let step = i64::try_from(index).unwrap_or(0);

    // Rounding the price to 0.1, 0.01 or 0.00001 yuan by index gives lists where some
    // prices use all five decimals and others only one or two.
    let rounding = match index % 3 {
        0 => 10_000,
        1 => 1_000,
        _ => 1,
    };
    let round = |units: i64| units / rounding * rounding;

    if index < drink_count {
        let size = index % DRINK_SIZES.len();
        let cost = round(1_50000 + step * 17_317);
        return LargeKind {
            name: format!(
                "{} {}",
                DRINKS[index / DRINK_SIZES.len()],
                DRINK_SIZES[size]
            ),
            type_name: "饮料",
            is_bulk: false,
            shape: if size == 0 { Shape::Can } else { Shape::Bottle },
            cost,
            sale: round(cost + 1_20000 + step * 5_113),
        };
    }

    if index < drink_count + snack_count {
        let snack = index - drink_count;
        let cost = round(2_00000 + step * 23_917);
        return LargeKind {
            name: format!(
                "{} {}",
                SNACKS[snack / SNACK_SIZES.len()],
                SNACK_SIZES[snack % 3]
            ),
            type_name: "零食",
            is_bulk: false,
            shape: Shape::Bag,
            cost,
            sale: round(cost + 2_00000 + step * 7_331),
        };
    }

    let bulk = (index - drink_count - snack_count) % BULK.len();
    let cost = round(12_00000 + step * 31_771);
    LargeKind {
        name: BULK[bulk].to_owned(),
        type_name: "散装食品",
        is_bulk: true,
        shape: Shape::Bowl,
        cost,
        sale: round(cost + 8_00000 + step * 9_173),
    }
}

/// Picture file name of large-list product `index`.
pub(crate) fn large_picture_file(index: usize) -> String {
    format!("large-{index:02}.jpg")
}

/// 600 lines over cabinets 1 to 6, 100 per cabinet, with aisles `c00` to `c99` for cabinet
/// `c`.
///
/// The lines are sent in a fixed shuffled order (not grouped by cabinet), so that a client
/// must group and sort them itself. Every line has its own product id, but the 60 products
/// repeat, so the list has only 60 distinct picture URLs.
pub(crate) fn large(image_base: &str) -> Vec<ProductLine> {
    let total = LARGE_CABINETS * LARGE_LINES_PER_CABINET;

    (0..total)
        // 7 and 600 are coprime, so this visits every line exactly once.
        .map(|position| (position * 7) % total)
        .map(|line| large_line(image_base, line))
        .collect()
}

fn large_line(image_base: &str, line: u32) -> ProductLine {
    let cabinet_no = line / LARGE_LINES_PER_CABINET + 1;
    let slot = line % LARGE_LINES_PER_CABINET;
    let kind_index = line as usize % LARGE_KIND_COUNT;
    let kind = large_kind(kind_index);

    let add_quantity = (line * 11) % 25;
    let add_quantity_revise = match line % 7 {
        3 => add_quantity + 2,
        5 => add_quantity.saturating_sub(1),
        _ => add_quantity,
    };
    let remove_quantity = if line % 9 == 4 { 1 + line % 3 } else { 0 };
    let remove_quantity_revise = if line % 18 == 4 {
        remove_quantity - 1
    } else {
        remove_quantity
    };

    ProductLine {
        id: 500_000 + u64::from(line),
        name: kind.name,
        type_name: kind.type_name.to_owned(),
        aisle_no: cabinet_no * 100 + slot,
        cabinet_no,
        is_bulk: kind.is_bulk,
        thumb: url(image_base, &large_picture_file(kind_index)),
        storage: 5 + (line * 37) % 60,
        remove_quantity,
        remove_quantity_revise,
        add_quantity,
        add_quantity_revise,
        sale_price: price(kind.sale),
        cost_price: price(kind.cost),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn large_list_shape() {
        let lines = large("http://h/upload/image/");

        let aisles: HashSet<u32> = lines.iter().map(|line| line.aisle_no).collect();
        let thumbs: HashSet<&Thumb> = lines.iter().map(|line| &line.thumb).collect();
        let ids: HashSet<u64> = lines.iter().map(|line| line.id).collect();

        assert_eq!(lines.len(), 600);
        assert_eq!(aisles.len(), 600);
        assert_eq!(ids.len(), 600);
        assert_eq!(thumbs.len(), LARGE_KIND_COUNT);
        for cabinet in 1..=6 {
            let count = lines.iter().filter(|l| l.cabinet_no == cabinet).count();
            assert_eq!(count, 100, "cabinet {cabinet}");
        }
    }

    #[test]
    fn large_list_mixes_cases() {
        let lines = large("http://h/upload/image/");

        assert!(lines.iter().any(|l| l.is_bulk));
        assert!(lines.iter().any(|l| !l.is_bulk));
        assert!(lines
            .iter()
            .any(|l| l.add_quantity_revise != l.add_quantity));
        assert!(lines
            .iter()
            .any(|l| l.remove_quantity_revise != l.remove_quantity));
        assert!(lines.iter().any(|l| l.cost_price.normalize().scale() == 5));
        assert!(lines.iter().any(|l| l.cost_price.normalize().scale() == 1));
        assert!(lines.iter().all(|l| l.sale_price > l.cost_price));
    }
}
