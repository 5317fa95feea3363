// The public entry of features/transfer: Import… and Export… in the top bar.
export { ExportAction } from "./portfolioExport";
export { ImportAction } from "./portfolioImport";
