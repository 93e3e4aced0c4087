// Spreadsheet programs run cells that start with these as formulas: exported text is quoted with a leading '.
const formulaStart = /^[=+\-@\t\r]/;

/** A cell for a CSV that people open in spreadsheets: text that would run as a formula gets a leading '. */
export const neutralize = (value: string): string => (formulaStart.test(value) ? `'${value}` : value);

/** A text cell of such a CSV: neutralized, then quoted (RFC 4180: inner quotes doubled). */
export const csvText = (value: string): string => `"${neutralize(value).replace(/"/g, '""')}"`;
