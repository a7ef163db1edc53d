/** One CSV record with where it starts in the file. `row` counts records, the header being row 1, as a spreadsheet shows them. */
export interface CsvRecord {
  row: number;
  line: number;
  cells: string[];
}

export type CsvResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

const BOM = '\uFEFF';

/**
 * RFC 4180, read strictly: quoted fields may hold commas, quotes (doubled) and line breaks; a quote inside an
 * unquoted field, or anything but a comma or line end after a closing quote, is an error. A leading UTF-8 BOM,
 * CRLF or LF line ends, blank lines and a missing final line end are tolerated.
 */
export function parseCsv(input: string): CsvResult {
  const text = input.startsWith(BOM) ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let afterQuote = false;
  let recordHasContent = false;

  const endCell = () => {
    cells.push(cell);
    cell = '';
    afterQuote = false;
  };
  const endRecord = () => {
    endCell();
    if (recordHasContent) records.push({ row: records.length + 1, line: recordLine, cells });
    cells = [];
    recordHasContent = false;
  };

  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          quoted = false;
          afterQuote = true;
        }
      } else {
        if (char === '\n') line++;
        cell += char;
      }
      continue;
    }
    if (char === ',') {
      recordHasContent = true;
      endCell();
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (afterQuote) {
      return { ok: false, line, message: 'a closing quote must be followed by a comma or the end of the line' };
    } else if (char === '"') {
      if (cell !== '') return { ok: false, line, message: 'a quote may only appear inside a quoted field (write it as "")' };
      quoted = true;
      recordHasContent = true;
    } else {
      cell += char;
      recordHasContent = true;
    }
  }
  if (quoted) return { ok: false, line: recordLine, message: 'a quoted field is not closed before the end of the file' };
  endRecord();
  return { ok: true, records };
}
