// Type-ahead person pickers: <input data-people-picker list="ID"> gets the people whose name,
// alias or email starts with what was typed (GET /api/people?q=, at most 20) in its datalist.
// With data-people-picker="many" (comma-separated owners) only the name being typed is
// completed. Options the page put in the datalist (e.g. a preview's attendees, not stored yet)
// stay offered while they match what is typed. Without this script the input is a plain text
// field: the server resolves the name.
document.addEventListener('DOMContentLoaded', () => {
  for (const input of document.querySelectorAll('input[data-people-picker]')) {
    const list = input.list;
    if (!list) continue;
    const many = input.dataset.peoplePicker === 'many';
    const fixed = [...list.options].map((o) => ({ name: o.value, label: o.label === o.value ? '' : o.label }));
    let timer = 0;
    let asked = '';
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const value = input.value;
        const cut = many ? Math.max(value.lastIndexOf(','), value.lastIndexOf(';')) + 1 : 0;
        const head = value.slice(0, cut) + (cut ? ' ' : '');
        const typed = value.slice(cut).trim();
        if (typed.length < 1 || typed === asked) return;
        asked = typed;
        try {
          const res = await fetch(`/api/people?q=${encodeURIComponent(typed)}`, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
          if (!res.ok) return;
          const { people } = await res.json();
          const lower = typed.toLowerCase();
          const found = people.map((p) => ({ name: p.name, label: [p.email, p.org, p.kind === 'group' ? 'group' : ''].filter(Boolean).join(' · ') }));
          const extra = fixed.filter((f) => f.name.toLowerCase().split(/\s+/).some((w) => w.startsWith(lower)) && !found.some((p) => p.name === f.name));
          list.replaceChildren(...[...extra, ...found].map((p) => {
            const o = document.createElement('option');
            o.value = (head.trimStart() ? head : '') + p.name;
            if (p.label) o.label = p.label;
            return o;
          }));
        } catch {
          // Offline or signed out: the field still works as plain text.
        }
      }, 150);
    });
  }
});
