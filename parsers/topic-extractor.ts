/**
 * Topics: headings that name a subject (not "Attendees", "Agenda", the title or a date) and
 * `Topic:` / `#topic` lines. Sets `block.topic` on every block in one pass and marks a topic
 * deferred when its text says so ("Defer to Oct call", "postponed to the next meeting").
 */
import type { Block } from './block-types.js';
import type { ParsedTopic } from './types.js';
import { findDate, findDayMonth } from './meeting-extractor.js';
import { resolveLeadingDate } from './due-dates.js';
import { ABSENT_LABELS, ACTION_SECTIONS, DECISION_SECTIONS, alternation } from './vocabulary.js';

const STRUCTURAL = new RegExp(
  '^(?:' +
    [
      'attendees', 'attendance', 'present', 'participants', 'roll ?call', 'regrets', 'apologies', 'absent',
      'agenda', 'agenda items?', 'agenda and notes', 'minutes', 'notes', 'meeting notes', 'meeting minutes', 'raw notes',
      'action items?', 'actions?', 'next steps', 'decisions?', 'decisions made', 'resolutions?', 'summary',
      'links', 'logistics', 'date', 'time', 'location', 'dial[- ]in(?: information)?', 'meeting details', 'details',
      'goals', 'discussion items', 'items of discussion', 'items for discussion', 'discussion', 'content', 'contents', 'next meeting', 'next call', 'other business',
      'new business', 'old business', 'open floor', 'aob', 'any other business', 'welcome', 'introductions',
      'updates', 'announcements', 'table of contents', 'toc', 'speaking queue', 'past meetings', 'upcoming meetings',
      'new contributors(?: \\(returning\\))?', 'attachments', 'recordings?', 'call recording',
      'meeting summary', 'people present(?: \\(lines said\\))?', 'meeting template', 'template', 'archive',
      '(?:audio|video|audio/video|recording)(?: of the (?:meeting|call))?', '(?:github )?agenda page', 'zoom chat.*',
      'actions required', 'next actions', 'review (?:of )?previous decisions(?: made)? and action items', 'action items? summary', 'summary of action items',
      // Item lists are not subjects: "Action Items, by person", "Review of open action items".
      '(?:(?:new|open|previous|outstanding|pending|review of(?: the)?(?: open| previous| last| outstanding)?|recap of|follow[- ]up on|status of)\\s+)?(?:action items?|actions?|ais|todos?)(?:,?\\s*by (?:person|owner|assignee)|\\s+(?:review|list|recap|from (?:the )?(?:last|previous) (?:meeting|call|week)))?',
      // The shared vocabulary: action and decision section names, absence labels.
      alternation(ACTION_SECTIONS), alternation(DECISION_SECTIONS), alternation(ABSENT_LABELS),
    ].join('|') +
    ')$',
);
const STRUCTURAL_SUFFIX = /\b(agenda|minutes|attendance|attendees|notes)$/;
/** "10:30am Pacific (18:30 UTC)": when the call starts, not what it is about. */
const TIME_ONLY = /^\d{1,2}(?::\d{2})?\s*(?:am|pm)?\s+(?:pacific|eastern|central|utc|gmt|pt|et|cet|cest|pst|pdt|est|edt)\b[^\p{L}]*(?:\([^)]*\))?[\s*!(]*(?:\(?long time no meeting!?\)?)?[\s*]*$/iu;
/** "Moderator: Hudson Jameson", "Meeting Date/Time: Friday ...": the meeting's details, not subjects. */
const DETAIL_LABEL = /^(?:meeting )?(?:date|time|date\/time|duration|moderator|chair|facilitator|host|notes|note ?taker|scribe|minutes|recording|video|audio|location|where|when|dial[- ]in|zoom|call link|agenda)(?: \([^)]*\))?\s*:/;

const TOPIC_LINE = /^\s*(?:#topic|topic)\s*[:\-–]?\s+(.+)$/i;
const DEFER = /\b(?:defer(?:red|ring|s)?|postpone[ds]?|push(?:ed)?\s+(?:back|out)|delay(?:ed)?|moved?|tabled|carr(?:y|ied)\s+over)\b[^.;!?]{0,60}?\b(?:to|until|till|for|at)\s+(?:the\s+|a\s+)?([^.;!?]{1,40})/i;

/** Folded heading text without numbering ("4. Resolutions" -> "resolutions"). */
function foldHeading(text: string): string {
  return text
    .toLowerCase()
    .replace(/\p{Extended_Pictographic}\uFE0F?/gu, ' ') // "🎉 New contributors 🎉"
    .replace(/^[\s\d.)#:-]+/, '')
    .replace(/[:.!\s]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when a heading names a subject rather than a part of the minutes' frame. */
export function isTopicHeading(text: string): boolean {
  const f = foldHeading(text);
  if (!f || !/\p{L}/u.test(f)) return false;
  if (STRUCTURAL.test(f) || DETAIL_LABEL.test(f) || TIME_ONLY.test(f)) return false;
  // "Decisions/Action Items", "Notes/Actions", "Updates & reminders": every part is a frame word.
  if (/[/&]| and /.test(f) && f.split(/\s*(?:\/|&|\band\b)\s*/).every((p) => p !== '' && (STRUCTURAL.test(p) || p === 'reminders' || p === 'questions'))) return false;
  if (STRUCTURAL_SUFFIX.test(f) && f.split(' ').length <= 4) return false;
  const d = findDate(text);
  if (d) {
    const rest = (text.slice(0, d.index) + text.slice(d.index + d.length)).replace(/\[[^\]]*\]|\([^)]*\)/g, ' ').replace(/[^\p{L}\s]/gu, ' ').trim();
    if (rest.split(/\s+/).filter(Boolean).length <= 4) return false;
  }
  return true;
}

/**
 * Sets `topic` on every block and returns the topics in document order. `titleLine` is the
 * line of the block taken as the meeting title; `meetingDate` and `nextMeetingDate` resolve
 * deferrals ("Oct call" -> `2017-10`, "the next meeting" -> the next date or `next`).
 */
export function extractTopics(
  blocks: Block[],
  ctx: { titleLine: number | null; meetingDate: string | null; nextMeetingDate: string | null },
): ParsedTopic[] {
  const topics: ParsedTopic[] = [];
  const stack: { depth: number; topic: ParsedTopic | null }[] = [];
  let lineTopic: ParsedTopic | null = null;
  const current = (): ParsedTopic | null => {
    if (lineTopic) return lineTopic;
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i].topic) return stack[i].topic;
    return null;
  };
  for (const b of blocks) {
    if (b.kind === 'heading') {
      lineTopic = null;
      while (stack.length && stack[stack.length - 1].depth >= b.depth) stack.pop();
      let topic: ParsedTopic | null = null;
      if (b.line !== ctx.titleLine && b.role !== 'attendance' && isTopicHeading(b.text)) {
        topic = { title: b.text.replace(/^(?:#?topic)\s*[:\-–]\s*/i, ''), line: b.line, deferredTo: null };
        topics.push(topic);
      }
      stack.push({ depth: b.depth, topic });
      b.topic = current()?.title ?? null;
      continue;
    }
    if (b.kind !== 'code' && !b.quoted && b.role !== 'attendance') {
      for (const l of b.lines) {
        const m = TOPIC_LINE.exec(l.text);
        if (m && b.kind !== 'tableRow') {
          lineTopic = { title: m[1].trim(), line: l.line, deferredTo: null };
          topics.push(lineTopic);
        }
      }
    }
    const topic = current();
    b.topic = topic?.title ?? null;
    if (topic && !topic.deferredTo && b.kind !== 'code' && !b.quoted) {
      const to = deferral(b.text, ctx.meetingDate, ctx.nextMeetingDate);
      if (to) topic.deferredTo = to;
    }
  }
  return topics;
}

/**
 * Where a text defers its topic to: `YYYY-MM-DD`, `YYYY-MM`, `next`, or null when it does
 * not defer ("Focus moves to 6.1.0" is not a deferral).
 */
export function deferral(text: string, meetingDate: string | null, nextMeetingDate: string | null): string | null {
  const m = DEFER.exec(text);
  if (!m) return null;
  const target = m[1].trim();
  const verb = m[0].toLowerCase();
  if (/^(?:next|following|future|later|another|subsequent)\b[\w' ]*\b(?:meetings?|calls?|syncs?|sessions?|week'?s? (?:call|meeting))\b/i.test(target)
    || /^(?:next|following)\s+(?:one|time)\b/i.test(target)) {
    return /^(?:next|following)\b/i.test(target) ? nextMeetingDate ?? 'next' : 'next';
  }
  if (/^mov/.test(verb) && !/\b(?:meeting|call)\b/i.test(target)) return null;
  const full = findDate(target); // "to the call on 2017-10-05"
  if (full?.precision === 'day') return full.value;
  // One reading of dates for due dates and deferrals: "Oct call" -> `2017-10`, "Nov 3" -> a day.
  const dm = findDayMonth(target, meetingDate); // "Jun 30"
  if (dm) return dm.value;
  // Fast rules only: most "moved to ..." phrases are no date, and chrono is costly per block.
  return resolveLeadingDate(target, meetingDate, false);
}
