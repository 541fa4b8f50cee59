// "Copy" buttons: <button data-copy="ID"> copies the value of the field ID to the clipboard.
// A separate file because the Content-Security-Policy allows no inline script.
document.addEventListener('DOMContentLoaded', () => {
  for (const button of document.querySelectorAll('button[data-copy]')) {
    button.hidden = false;
    button.addEventListener('click', async () => {
      const source = document.getElementById(button.dataset.copy);
      const status = document.getElementById(`${button.dataset.copy}-status`);
      try {
        await navigator.clipboard.writeText(source.value);
        if (status) status.textContent = 'Copied.';
      } catch {
        // Clipboard API refused (http, permissions): select the text so Ctrl+C works.
        source.select();
        if (status) status.textContent = 'Press Ctrl+C to copy.';
      }
    });
  }
});
