import type { ReadRecord } from '@weir/contracts';
import { csvCell, recordsCsv, recordsJson } from './record-export';
import { utf8ToBase64 } from './record-format';

const field = (text: string, truncated = false) => ({ format: 'base64' as const, data: utf8ToBase64(text), size: text.length, truncated });
const record = (offset: number, key: string | null, value: string, headers: [string, string][] = []): ReadRecord => ({
  partition_id: 1,
  offset,
  timestamp: 1_700_000_000_000 + offset,
  timestamp_type: 'CreateTime',
  key: key === null ? null : field(key),
  value: field(value),
  headers: headers.map(([k, v]) => ({ key: k, value: field(v) })),
  size: value.length,
});

describe('record exports', () => {
  it('quotes cells holding quotes, commas or line breaks, doubling quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\r')).toBe('"cr\r"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-1)).toBe('-1');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=1')).toBe('a=1');
  });

  it('writes one CSV row per record with a header row, headers as JSON', () => {
    const csv = recordsCsv([record(5, 'k', 'line1\nline2, "quoted"', [['trace', 't1']]), record(6, null, '=cmd')]);
    expect(csv).toBe(
      'partition,offset,timestamp,timestamp_type,key,value,headers,truncated\r\n' +
        '1,5,1700000000005,CreateTime,k,"line1\nline2, ""quoted""","{""trace"":""t1""}",false\r\n' +
        "1,6,1700000000006,CreateTime,,'=cmd,,false\r\n",
    );
  });

  it('writes JSON with text fields, base64 for bytes that are not text, and the truncation flag', () => {
    const binary: ReadRecord = { ...record(7, 'k', ''), value: { format: 'base64', data: '//4=', size: 2, truncated: true } };
    expect(JSON.parse(recordsJson([record(5, 'k', '{"a":1}'), binary]))).toEqual([
      { partition: 1, offset: 5, timestamp: 1_700_000_000_005, timestamp_type: 'CreateTime', key: 'k', value: '{"a":1}', headers: {}, truncated: false },
      { partition: 1, offset: 7, timestamp: 1_700_000_000_007, timestamp_type: 'CreateTime', key: 'k', value: 'base64://4=', headers: {}, truncated: true },
    ]);
  });
});
