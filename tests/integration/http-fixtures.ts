/** Minutes used by the HTTP tests. */

/** Two attendees share a first name, so "Rich" stays unresolved; one implicit action. */
export const AMBIGUOUS = `# Community call 2026-11-19

## Attendees

- Rich Turner; Citrix
- Rich Persaud; BAE
- Ada Lovelace; Analytical

## Release

ACTION: Rich to review the release notes by Friday

ACTION: Ada to tag the release

Ada will write the announcement.

DECISION: ship 7.1 in December
`;

/** Minutes that try to run script in every way Markdown allows. */
export const HOSTILE = `# Security review 2026-11-12

## Attendees

- Mallory Evil

<script>window.pwned = 1</script>

<img src="x" onerror="window.pwned = 2">

[click me](javascript:window.pwned=3)

<a href="#" onclick="window.pwned=4">inline handler</a>

<iframe src="https://example.org"></iframe>

ACTION: Mallory to stop <script>alert(1)</script> doing this
`;

/** A small meeting with one clear action per owner. */
export const simpleMinutes = (date: string, extra = '') => `# Team sync ${date}

## Attendees

- Ada Lovelace
- Grace Hopper

## Work

ACTION: Ada to write the parser tests
ACTION: Grace to review the compiler patch by 2026-12-01
${extra}`;
