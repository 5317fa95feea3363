// The public entry of features/portfolio: The Portfolio view, and what other views share with it: the filter chips and saved views.
export { PortfolioView } from "./portfolioView";
export { SavedViewList } from "./savedView";
export { FilterBar, filtersInWords, usePatternNames } from "./filterBar";
