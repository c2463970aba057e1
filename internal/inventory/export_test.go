package inventory

// StockAllInRanges is StockAll reading span variant ids per statement.
var StockAllInRanges = (*Service).stockAll
