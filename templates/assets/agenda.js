// Copy button of the agenda page: copies the Markdown of the agenda to the clipboard.
// A separate file because the Content-Security-Policy allows no inline script.
document.addEventListener('DOMContentLoaded', () => {
  const button = document.getElementById('copy-agenda');
  const status = document.getElementById('copy-status');
  if (!button) return;
  button.addEventListener('click', async () => {
    const source = document.getElementById(button.dataset.copy);
    const text = source ? source.value : '';
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = 'Copied.';
    } catch {
      // Clipboard API refused (http, permissions): select the text so Ctrl+C works.
      source.closest('details').open = true;
      source.select();
      status.textContent = 'Press Ctrl+C to copy.';
    }
  });
});
