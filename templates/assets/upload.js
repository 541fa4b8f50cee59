// Upload page: dropping a file onto the drop zone loads it into the file input (so the form
// still posts it the normal way). Without JavaScript the page works the same, minus the drop.
(function () {
  'use strict';
  var zone = document.getElementById('dropzone');
  var input = document.getElementById('u-file');
  var hint = document.getElementById('drop-hint');
  if (!zone || !input || !window.DataTransfer) return;
  function show() {
    if (input.files && input.files[0]) hint.textContent = input.files[0].name + ' (' + Math.ceil(input.files[0].size / 1024) + ' KB)';
  }
  ['dragenter', 'dragover'].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add('over'); });
  });
  ['dragleave', 'drop'].forEach(function (t) {
    zone.addEventListener(t, function () { zone.classList.remove('over'); });
  });
  zone.addEventListener('drop', function (e) {
    e.preventDefault();
    if (!e.dataTransfer || !e.dataTransfer.files.length) return;
    var dt = new DataTransfer();
    dt.items.add(e.dataTransfer.files[0]);
    input.files = dt.files;
    show();
  });
  input.addEventListener('change', show);
})();
