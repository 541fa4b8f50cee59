/**
 * The vocabulary of minutes, in one place: the words communities use for actions, decisions,
 * completion, sections, roles and owners. Every extractor reads its word lists from here;
 * `markers.ts` builds its anchored patterns from them. Pure data: no imports, no logic beyond
 * joining a list into a regular-expression alternation.
 */

/** Escapes a word for use inside a regular expression. */
function esc(w: string): string {
  return w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `(?:a|b|c)` from a list of words or phrases (longest first, so "action items" wins over "action"). */
export function alternation(words: readonly string[]): string {
  return `(?:${[...words].sort((a, b) => b.length - a.length).map(esc).join('|').replace(/ /g, '\\s+')})`;
}

// --- Markers ---------------------------------------------------------------------------------

/** Labels that open an explicit decision ("DECISION:", "RESOLVED:", "Conclusion:", "Outcome:"). */
export const DECISION_LABELS = ['decisions', 'decision', 'resolution', 'resolved', 'agreed', 'conclusion', 'outcome', 'decided'] as const;

/** MeetBot / IRC decision commands (`#agreed`). */
export const HASH_DECISION_WORDS = ['agreed', 'decided', 'resolved', 'decision'] as const;

/** Words that say an action is finished: "DONE", "-done-", "(completed)", a "Done" bullet under it. */
export const DONE_WORDS = ['done', 'completed', 'complete', 'closed', 'finished', 'resolved'] as const;

// --- Sections --------------------------------------------------------------------------------

/** Section names (headings, labels, parent bullets) whose items are actions. */
export const ACTION_SECTIONS = ['action items', 'action item', 'actions', 'action', 'actions required', 'next steps', 'next step', 'next actions', 'todos', 'todo', 'to-dos', 'to-do', 'todo list', 'follow-ups', 'follow ups', 'follow-up', 'follow up'] as const;

/** Qualifiers in front of an action section name ("Review of action items", "New actions"). */
export const ACTION_SECTION_QUALIFIERS = ['review of', 'recap of', 'open', 'previous', 'new', 'tentative', 'next', 'outstanding', 'summary of', 'proposed', 'agreed'] as const;

/** Section names whose items are decisions. */
export const DECISION_SECTIONS = ['decisions', 'decision', 'decisions made', 'decisions taken', 'resolutions', 'resolution', 'agreements', 'agreed', 'outcomes', 'outcome', 'conclusions', 'conclusion'] as const;

// --- Roles -----------------------------------------------------------------------------------

/** Role labels of an attendance block ("Chair:", "Scribe:", "Note taker:"). */
export const ROLE_LABELS = ['chair', 'co-chair', 'scribe', 'facilitator', 'moderator', 'note taker', 'note-taker', 'minute taker', 'host', 'minutes by', 'notes by', 'minutes taken by'] as const;

/** Labels of people not present. */
export const ABSENT_LABELS = ['regrets', 'apologies', 'absent', 'absentees', 'not present', 'unable to attend', 'excused'] as const;

// --- Attendance (attendee-extractor.ts; owned by the attendance side) ------------------------

/** Line labels whose value lists people present, never headings ("Members: a, b", "Others: c"). */
export const MEMBER_LINE_LABELS = ['members', 'team members', 'tsc members', 'board members', 'committee members', 'council members', 'wg members', 'others', 'other attendees'] as const;

/** Role labels beyond ROLE_LABELS that attendance lines use ("Sessions Host:", "Scribing:"). */
export const EXTRA_ROLE_LABELS = ['scribing', 'note taking', 'note-taking', 'sessions host', 'session host', 'meeting host', 'hosts', 'co-host'] as const;

/** Labels of meeting details, which end a run of attendance lines ("Language: ...", "Meeting link: ..."). */
export const MEETING_DETAIL_LABELS = ['time', 'date', 'place', 'location', 'venue', 'where', 'when', 'language', 'agenda', 'link', 'url', 'meeting link', 'video link', 'call link', 'zoom link', 'jitsi link', 'meet link', 'video', 'videoconference', 'videoconference link', 'call', 'dial-in', 'dial in', 'zoom', 'slides', 'notes', 'recording', 'minutes', 'etherpad', 'hackmd', 'doc', 'document', 'topic', 'duration', 'tags'] as const;

/** Cells of an attendance table that mark someone present ("X" only counts where no "Y" is used). */
export const PRESENT_MARKS = ['y', 'yes', 'present', 'attended', 'here', '✓', '✔', '☑', '[x]', '1', 'true'] as const;

/** Cells of an attendance table that mark someone absent. */
export const ABSENT_MARKS = ['n', 'no', 'r', 'regret', 'regrets', 'absent', 'apologies', 'excused'] as const;

/** Words that make an attendance entry an organisation or a seat ("Eclipse Project PMC", "Red Hat, Inc."). */
export const ORG_WORDS = ['PMC', 'TSC', 'TOC', 'TAC', 'WG', 'SIG', 'Project', 'Projects', 'Foundation', 'Inc', 'Ltd', 'LLC', 'GmbH', 'AG', 'SE', 'Corp', 'Corporation', 'Company', 'University', 'Institute', 'Lab', 'Labs', 'Group', 'Team', 'Council', 'Committee', 'Board', 'Members', 'Technologies', 'Services', 'Systems', 'Software'] as const;

/** Sub-headings that end an attendance section even when deeper ("# Attendees" then "## Agenda"). */
export const FRAME_HEADING_WORDS = ['agenda', 'notes', 'minutes', 'discussion', 'action', 'actions', 'action items', 'decision', 'decisions', 'summary', 'topic', 'topics', 'update', 'updates', 'news', 'announcement', 'announcements', 'next steps', 'intro', 'intros', 'introduction', 'introductions', 'welcome', 'open floor', 'aob'] as const;

// --- Decisions in prose ----------------------------------------------------------------------

/**
 * Verbs that state a group's decision when the group is their subject ("we agreed to",
 * "the board voted to", "Consensus was that ...").
 */
export const DECISION_VERBS = ['agreed', 'decided', 'voted', 'resolved', 'approved', 'accepted', 'adopted', 'appointed', 'elected', 'concluded', 'chose', 'selected'] as const;

/** Subjects that are the meeting's own group ("we", "the board", "the TSC", "the PAB"). */
export const GROUP_SUBJECTS = ['we', 'the group', 'group', 'the board', 'board', 'the committee', 'committee', 'the council', 'council', 'the team', 'everyone', 'all', 'the meeting', 'the wg', 'the working group', 'attendees', 'participants', 'members', 'the members', 'the tsc', 'tsc', 'the toc', 'the tc', 'the sig', 'the pmc', 'the pab', 'pab', 'it'] as const;

/** Passive or verbless forms of a decision ("Approved", "passed by voice vote", "Resolved to"). */
export const DECISION_PASSIVES = ['approved', 'passed', 'carried', 'adopted', 'accepted', 'appointed', 'elected', 'ratified'] as const;

/** Words that make a resolution not ours or not a decision: tabled, failed, only proposed. */
export const NOT_DECIDED = ['tabled', 'failed', 'withdrawn', 'proposed resolution', 'deferred', 'postponed'] as const;

// --- Owners ------------------------------------------------------------------------------------

/** Words between the owner and the task: "Ross to ...", "Eric will ...", "Nimbus should ...". */
export const OWNER_CONNECTORS = new Set(['to', 'will', "'ll", 'shall', 'should', 'must', 'volunteers', 'volunteered', 'volunteer', 'agreed', 'offered', 'needs', 'need', 'can', 'takes', 'took', 'taking']);

/** Connectors that only count when followed by "to" ("volunteered to", "needs to"). */
export const CONNECTORS_NEEDING_TO = new Set(['volunteers', 'volunteered', 'volunteer', 'agreed', 'offered', 'needs', 'need']);

/** Words that are never the name of an owner even when capitalised. */
export const NOT_NAMES = new Set([
  'the', 'a', 'an', 'we', 'i', 'you', 'it', 'they', 'he', 'she', 'this', 'that', 'these', 'those', 'there', 'here',
  'someone', 'somebody', 'anyone', 'anybody', 'nobody', 'who', 'what', 'which', 'how', 'when', 'where', 'why',
  'note', 'notes', 'status', 'update', 'updates', 'summary', 're', 'fyi', 'todo', 'action', 'actions', 'item', 'items',
  'decision', 'decisions', 'outcome', 'conclusion', 'proposal', 'proposed', 'question', 'answer', 'next', 'steps',
  'back', 'way', 'ways', 'congrats', 'congratulations', 'comments', 'comment', 'thanks', 'kudos', 'happy', 'glad', 'able', 'unable', 'going', 'trying', 'hoping', 'remember', 'reminder',
  'plan', 'goal', 'need', 'needs', 'time', 'welcome', 'discussion', 'agenda', 'topic', 'issue', 'issues', 'pr', 'prs',
  'is', 'are', 'was', 'be', 'been', 'to', 'will', 'of', 'in', 'on', 'for', 'with', 'if', 'but', 'or', 'not', 'no',
  'yes', 'ok', 'okay', 'also', 'then', 'so', 'and', 'some', 'all of', 'it’s', "it's", 'let’s', "let's", 'lets',
  'one', 'two', 'people', 'folks', 'everyone else', 'nothing', 'something', 'release', 'version', 'fix', 'affects',
  'focus', 'work', 'mailing', 'list', 'thanks', 'thank', 'please', 'maybe', 'perhaps', 'still', 'currently', 'now',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'today', 'tomorrow', 'q', 'a:', 'q:',
  'due', 'link', 'links', 'slides', 'users', 'docs', 'details', 'recording', 'video', 'minutes', 'reference', 'see',
]);

/** Capitalised imperatives that open an ownerless task ("Update docs", "Follow up on ..."). */
export const COMMON_VERBS = new Set([
  'add', 'ask', 'bring', 'build', 'call', 'check', 'clean', 'close', 'collect', 'connect', 'consider', 'contact',
  'continue', 'convert', 'coordinate', 'create', 'define', 'discuss', 'document', 'draft', 'email', 'file', 'find',
  'finalize', 'finalise', 'finish', 'fix', 'follow', 'get', 'give', 'go', 'help', 'implement', 'include', 'invite',
  'investigate', 'keep', 'land', 'leave', 'let', 'look', 'make', 'merge', 'move', 'open', 'organize', 'organise',
  'ping', 'plan', 'post', 'prepare', 'promote', 'propose', 'publish', 'push', 'put', 'reach', 'read', 'remove',
  'reply', 'report', 'request', 'research', 'review', 'run', 'schedule', 'send', 'set', 'share', 'start', 'submit',
  'summarise', 'summarize', 'take', 'talk', 'test', 'track', 'try', 'update', 'upload', 'use', 'verify', 'work',
  'write', 'need', 'offer', 'blog', 'join', 'announce', 'approve', 'decide', 'determine', 'figure', 'identify',
  'confirm', 'double', 'search', 'put', 'see', 'think', 'do', 'done', 'write-up', 'setup', 'sync', 'drive', 'raise',
]);

/** Single words that name a group as owner. */
export const GROUP_WORDS = new Set(['all', 'everyone', 'everybody', 'chairs', 'chair', 'steering', 'team', 'maintainers', 'editors', 'staff', 'tsc', 'toc', 'board', 'council']);

/** Last words of a group phrase: "CPC members", "All steering committee members", "Release team". */
export const GROUP_NOUNS = new Set(['members', 'member', 'committee', 'team', 'chairs', 'maintainers', 'folks', 'reps', 'representatives', 'group', 'wg', 'sig', 'council', 'editors', 'leads', 'owners', 'contributors', 'reviewers', 'approvers']);

/** Owner slots that name no one: "VOLUNTEER: task", "TBD: task", "(unassigned)". */
export const PLACEHOLDER_OWNERS = new Set(['volunteer', 'volunteers', 'volunteer needed', 'tbd', 'tba', 'unassigned', 'nobody', 'none', 'someone', 'anyone', 'owner', 'n/a', '?', '??']);

/** Function words that never sit inside a group's name ("Work with the team" is a task). */
export const FUNCTION_WORDS = new Set(['the', 'a', 'an', 'to', 'of', 'in', 'on', 'for', 'with', 'and', 'or', 'is', 'are', 'was', 'be', 'will', 'this', 'that', 'we', 'i', 'you', 'it', 'they', 'from', 'by', 'at', 'as', 'if', 'not', 'no']);
