import { parseCsv } from './csv';

const cellsOf = (text: string) => {
  const result = parseCsv(text);
  if (!result.ok) throw new Error(result.message);
  return result.records.map((r) => r.cells);
};

describe('parseCsv (RFC 4180, strict)', () => {
  it('reads plain records, with or without a final line end', () => {
    expect(cellsOf('a,b\n1,2\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(cellsOf('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('tolerates a UTF-8 BOM and CRLF line ends', () => {
    expect(cellsOf('\uFEFFa,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reads quoted fields holding commas, doubled quotes and line breaks', () => {
    expect(cellsOf('a,b\n"x, y","say ""hi"""\n"line\r\nbreak",""\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['line\r\nbreak', ''],
    ]);
  });

  it('keeps empty fields and spaces as they are', () => {
    expect(cellsOf('a,,c\n , 2 ,\n')).toEqual([
      ['a', '', 'c'],
      [' ', ' 2 ', ''],
    ]);
  });

  it('skips blank lines', () => {
    expect(cellsOf('a\n\n1\n\r\n')).toEqual([['a'], ['1']]);
  });

  it('numbers records as a spreadsheet does and remembers the line each starts on', () => {
    const result = parseCsv('a,b\n"multi\nline",1\n2,3\n');
    expect(result.ok && result.records.map(({ row, line }) => ({ row, line }))).toEqual([
      { row: 1, line: 1 },
      { row: 2, line: 2 },
      { row: 3, line: 4 },
    ]);
  });

  it.each([
    ['a stray quote in an unquoted field', 'a,b\n1,2"3\n', 2, /quote may only appear inside a quoted field/],
    ['text after a closing quote', 'a,b\n"1"x,2\n', 2, /closing quote must be followed/],
    ['an unclosed quoted field', 'a,b\n1,"2\n3\n', 2, /not closed/],
  ])('refuses %s, naming the line', (_, text, line, message) => {
    const result = parseCsv(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.line).toBe(line);
      expect(result.message).toMatch(message);
    }
  });
});
