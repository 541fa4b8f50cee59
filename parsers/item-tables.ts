/**
 * Action and decision tables: a table with Owner/Due columns, the ethereum "## Decisions
 * Made" / "## Actions Required" two-column tables (| **N** | text |), and a mixed
 * "Decisions/Action Items" table where each row is classified on its own.
 */
import type { Block } from './block-types.js';
import { resolveDatePhrase } from './due-dates.js';
import { extractOwner } from './owners.js';
import { type ItemCollector, type SectionKind, plain, sectionKind } from './item-collector.js';
import { emitAction } from './item-readers.js';

const OWNER_COL = /^(?:owners?|who|assignees?|assigned(?: to)?|responsible|person|lead|driver|ai owner|action owner)$/i;
const DUE_COL = /^(?:due(?: date)?|deadline|when|by|target(?: date)?|eta)$/i;
const STATUS_COL = /^(?:status|state|done|complete[d]?|closed)$/i;
const TEXT_COL = /^(?:description|task|what|text|summary|details?|action(?: item)?s?|items?|decisions?(?: items?)?|resolutions?|outcomes?|todo|to-do)$/i;
const DONE_VALUE = /^(?:done|closed|complete[d]?|finished|yes|y|x|✓|✔|☑|✅)$/i;
const NUMBER_CELL = /^[#\s]*\d{1,4}(?:\.\d{1,4}){0,3}\.?$/u;

function findCol(header: string[], re: RegExp): number {
  return header.findIndex((h) => re.test(plain(h)));
}

/** The cell holding the item's text: a description-like column, else the longest wordy cell. */
function textCell(cells: string[], header: string[], skip: number[]): string {
  const preferred = header.findIndex((h, i) => !skip.includes(i) && /^(?:description|task|what|text|summary|details?)$/i.test(plain(h)));
  if (preferred >= 0 && cells[preferred] !== undefined && !NUMBER_CELL.test(plain(cells[preferred]!))) return plain(cells[preferred]!);
  const col = findCol(header, TEXT_COL);
  if (col >= 0 && !skip.includes(col) && cells[col] !== undefined && !NUMBER_CELL.test(plain(cells[col]!)) && plain(cells[col]!) !== '') {
    return plain(cells[col]!);
  }
  let best = '';
  cells.forEach((c, i) => {
    const p = plain(c);
    if (skip.includes(i) || NUMBER_CELL.test(p) || /^\[?[^\]]{0,40}\]?\(?#/u.test(c.trim())) return;
    if (p.length > best.length) best = p;
  });
  return best;
}

/** Reads one table body row as an action or decision, when its table is one of those. */
export function readTableRow(out: ItemCollector, block: Block, headingKind: SectionKind): void {
  // A cell is a few words; cap so that no pattern below sees a hostile megabyte.
  const cells = (block.cells ?? []).map((c) => (c.length > 2000 ? c.slice(0, 2000) : c));
  const header = block.header ?? [];
  if (cells.length === 0) return;
  const ownerCol = findCol(header, OWNER_COL);
  const dueCol = findCol(header, DUE_COL);
  const statusCol = findCol(header, STATUS_COL);
  const firstHeader = plain(header[0] ?? '');
  let kind: SectionKind = headingKind;
  if (ownerCol >= 0 || (dueCol >= 0 && findCol(header, TEXT_COL) >= 0 && !/^decision/iu.test(firstHeader))) kind = 'action';
  else if (kind === null) kind = sectionKind(firstHeader) ?? (/^action/iu.test(firstHeader) ? 'action' : /^decision/i.test(firstHeader) ? 'decision' : null);
  if (kind === null) return;
  const skip = [ownerCol, dueCol, statusCol].filter((i) => i >= 0);
  const text = textCell(cells, header, skip);
  if (text === '' || text.split(' ').length < 2) return;
  const topic = block.topic;
  const done = block.struck || (statusCol >= 0 && DONE_VALUE.test(plain(cells[statusCol] ?? '')));
  const sc = { kind, topic, done, explicitOnly: false, isItem: true };
  if (kind === 'decision' || (kind === 'mixed' && extractOwner(text, { attendees: out.ctx.attendees, explicit: false }).owner === null)) {
    out.addDecision({ text, line: block.line, topic });
    return;
  }
  const owner = ownerCol >= 0 ? plain(cells[ownerCol] ?? '') : null;
  const before = out.actions.length;
  emitAction(out, text, block.line, sc, { owner: owner === '' ? null : owner });
  const added = out.actions.length > before ? out.actions[out.actions.length - 1] : undefined;
  if (added && dueCol >= 0) {
    const dueText = plain(cells[dueCol] ?? '');
    if (dueText !== '' && !/^(?:-|n\/a|none|tbd)$/iu.test(dueText)) {
      const r = resolveDatePhrase(dueText, out.ctx.meetingDate);
      if (r !== null) added.due = r.length === 7 ? `${r}-01` : r;
      else out.warn(block.line, `cannot read the due date '${dueText}'`);
    }
  }
}
