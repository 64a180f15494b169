//! The columns of an export, their headers and their XLSX widths.

use i18n::Language;

/// One export column, in output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    Time,
    DeviceNo,
    DeviceName,
    RecordId,
    Outcome,
    Cabinet,
    Aisle,
    ProductId,
    ProductName,
    Category,
    Unit,
    Added,
    Removed,
    Net,
    Stock,
    SalePrice,
    CostPrice,
    SaleValue,
    CostValue,
}

impl Column {
    /// Every column, in output order.
    pub(crate) const ALL: [Column; 19] = [
        Column::Time,
        Column::DeviceNo,
        Column::DeviceName,
        Column::RecordId,
        Column::Outcome,
        Column::Cabinet,
        Column::Aisle,
        Column::ProductId,
        Column::ProductName,
        Column::Category,
        Column::Unit,
        Column::Added,
        Column::Removed,
        Column::Net,
        Column::Stock,
        Column::SalePrice,
        Column::CostPrice,
        Column::SaleValue,
        Column::CostValue,
    ];

    /// Returns the header text in `language`.
    pub(crate) fn header(self, language: Language) -> &'static str {
        let (chinese, english) = match self {
            Column::Time => ("补货时间", "Time"),
            Column::DeviceNo => ("设备号", "Device no."),
            Column::DeviceName => ("设备名称", "Device name"),
            Column::RecordId => ("记录号", "Record id"),
            Column::Outcome => ("结果", "Outcome"),
            Column::Cabinet => ("货柜", "Cabinet"),
            Column::Aisle => ("货道", "Aisle"),
            Column::ProductId => ("商品ID", "Product id"),
            Column::ProductName => ("商品名称", "Product name"),
            Column::Category => ("类型", "Category"),
            Column::Unit => ("单位", "Unit"),
            Column::Added => ("补货数量", "Added"),
            Column::Removed => ("撤货数量", "Removed"),
            Column::Net => ("净变化", "Net change"),
            Column::Stock => ("库存", "Stock"),
            Column::SalePrice => ("销售价", "Sale price"),
            Column::CostPrice => ("成本价", "Cost price"),
            Column::SaleValue => ("销售金额", "Sale value"),
            Column::CostValue => ("成本金额", "Cost value"),
        };
        match language {
            Language::ZhCn => chinese,
            Language::En => english,
        }
    }

    /// Returns the XLSX column width in character units. A Chinese character takes about two.
    pub(crate) fn width(self) -> f64 {
        match self {
            Column::Time => 20.0,
            Column::DeviceNo => 12.0,
            Column::DeviceName => 16.0,
            Column::RecordId => 20.0,
            Column::Outcome => 18.0,
            Column::Cabinet | Column::Aisle => 8.0,
            Column::ProductId => 10.0,
            Column::ProductName => 24.0,
            Column::Category | Column::Unit => 10.0,
            Column::Added | Column::Removed | Column::Net | Column::Stock => 10.0,
            Column::SalePrice | Column::CostPrice => 10.0,
            Column::SaleValue | Column::CostValue => 12.0,
        }
    }
}
