// diffview keyboard and layout enhancements. The page works without this
// script; it adds: j/k next/previous finding or comment, n/p next/previous
// file, c comment on the focused line, ? help, in-place unfolding of
// collapsed context, and the remembered unified/side-by-side choice.
(function () {
  'use strict';
  var root = document.getElementById('dv');
  if (!root) { return; }
  var notes = Array.prototype.slice.call(root.querySelectorAll('.dv-files [data-note]'));
  var files = Array.prototype.slice.call(root.querySelectorAll('.dv-files [data-file]'));
  var noteIdx = -1, fileIdx = -1, focusedLine = null;
  var form = document.getElementById('dv-comment-form');
  var help = document.getElementById('dv-help');
  var swallow = false;
  var formHome = form ? form.parentNode : null, formNext = form ? form.nextSibling : null;
  if (form) {
    form.elements.body.addEventListener('beforeinput', function (e) {
      if (swallow && e.data === 'c') { e.preventDefault(); }
      swallow = false;
    });
  }

  function rememberView(view) {
    try { localStorage.setItem('dv-view', view); } catch (e) { /* storage off */ }
    document.cookie = 'dv_view=' + view + '; path=/; max-age=31536000; samesite=lax';
  }

  // A choice stored in localStorage wins over a page rendered without one.
  (function restoreView() {
    var pref = null;
    try { pref = localStorage.getItem('dv-view'); } catch (e) { return; }
    if (!pref || pref === root.dataset.view || /[?&]view=/.test(location.search)) { return; }
    var url = pref === 'split' ? root.dataset.splitUrl : root.dataset.unifiedUrl;
    if (url) { rememberView(pref); location.replace(url + location.hash); }
  })();

  function setLine(tr) {
    if (focusedLine) { focusedLine.classList.remove('dv-focus'); }
    focusedLine = tr;
    if (tr) { tr.classList.add('dv-focus'); }
  }

  // lineOf returns the code row a note belongs to: the row before its notes row.
  function lineOf(el) {
    var tr = el.closest('tr.dv-notes');
    var prev = tr ? tr.previousElementSibling : null;
    return prev && prev.hasAttribute('data-line') ? prev : null;
  }

  function show(el) {
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: 'center' });
  }

  // around returns the index of the first item of list after el (delta > 0)
  // or the last one before it, in page order.
  function around(list, el, delta) {
    var i;
    if (delta > 0) {
      for (i = 0; i < list.length; i++) {
        if (el.compareDocumentPosition(list[i]) & Node.DOCUMENT_POSITION_FOLLOWING) { return i; }
      }
      return list.length - 1;
    }
    for (i = list.length - 1; i >= 0; i--) {
      if (el.compareDocumentPosition(list[i]) & Node.DOCUMENT_POSITION_PRECEDING) { return i; }
    }
    return 0;
  }

  // step moves through list from the focused element: from an item of the
  // list to its neighbour, from anything else in the diff (a file header
  // after n, a note after j, a line) to the nearest item that way.
  function step(list, idx, delta) {
    if (!list.length) { return -1; }
    var active = document.activeElement;
    var cur = list.indexOf(active);
    if (cur >= 0) { idx = cur; } else if (active && active !== document.body && root.contains(active)) {
      return around(list, active, delta);
    } else if (focusedLine) {
      return around(list, focusedLine, delta);
    }
    var next = idx < 0 ? (delta > 0 ? 0 : list.length - 1) : idx + delta;
    return Math.max(0, Math.min(list.length - 1, next));
  }

  function gotoNote(delta) {
    noteIdx = step(notes, noteIdx, delta);
    if (noteIdx < 0) { return; }
    show(notes[noteIdx]);
    setLine(lineOf(notes[noteIdx]));
  }

  function gotoFile(delta) {
    fileIdx = step(files, fileIdx, delta);
    if (fileIdx < 0) { return; }
    show(files[fileIdx]);
  }

  // openForm opens the comment form under the focused line: on its new
  // side, or on the old side for a removed line (side "old").
  function openForm(side) {
    if (!form || !focusedLine) { return false; }
    if (side !== 'old' && !focusedLine.dataset.new) { side = 'old'; }
    if (side === 'old' && !focusedLine.dataset.old) { return false; }
    var num = side === 'old' ? focusedLine.dataset.old : focusedLine.dataset.new;
    var after = focusedLine;
    if (after.nextElementSibling && after.nextElementSibling.classList.contains('dv-notes')) {
      after = after.nextElementSibling;
    }
    var tr = document.createElement('tr');
    tr.className = 'dv-notes dv-form-row';
    var td = document.createElement('td');
    td.colSpan = focusedLine.cells.length;
    var h = document.createElement('h3');
    h.className = 'dv-form-title';
    h.textContent = 'Comment on ' + focusedLine.dataset.path + ':' + num + (side === 'old' ? ' (removed line)' : '');
    td.appendChild(h);
    tr.appendChild(td);
    closeForm();
    after.parentNode.insertBefore(tr, after.nextSibling);
    form.elements.path.value = focusedLine.dataset.path;
    form.elements.line.value = num;
    form.elements.side.value = side === 'old' ? 'old' : 'new';
    form.classList.add('dv-inline');
    form.querySelector('.dv-cancel').hidden = false;
    td.appendChild(form);
    // The key that opened the form must not land in it: a cancelled keydown
    // stops the character in browsers, but not every input source honours it.
    swallow = true;
    setTimeout(function () { swallow = false; }, 100);
    form.elements.body.focus();
    return true;
  }

  function closeForm() {
    var row = root.querySelector('.dv-form-row');
    if (!row || !form) { return; }
    form.classList.remove('dv-inline');
    form.querySelector('.dv-cancel').hidden = true;
    form.elements.path.value = '';
    form.elements.line.value = '';
    form.elements.side.value = 'new';
    formHome.insertBefore(form, formNext);
    row.remove();
  }

  function toggleHelp(open) {
    if (!help) { return; }
    help.classList.toggle('dv-open', open);
  }

  document.addEventListener('keydown', function (e) {
    var t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) {
      if (e.key === 'Escape') { closeForm(); }
      return;
    }
    var done = true;
    switch (e.key) {
      case 'j': gotoNote(1); break;
      case 'k': gotoNote(-1); break;
      case 'n': gotoFile(1); break;
      case 'p': gotoFile(-1); break;
      case 'c': done = openForm(); break;
      case '?': toggleHelp(!help.classList.contains('dv-open')); break;
      case 'Escape': toggleHelp(false); closeForm(); break;
      default: done = false;
    }
    if (done) { e.preventDefault(); }
  });

  root.addEventListener('click', function (e) {
    var a = e.target.closest('a');
    if (a && a.dataset.unfold) {
      e.preventDefault();
      root.querySelectorAll('tr[data-fold="' + a.dataset.unfold + '"]').forEach(function (tr) { tr.hidden = false; });
      var head = a.closest('tr');
      if (head) { head.remove(); }
      return;
    }
    if (a && a.dataset.setView) { rememberView(a.dataset.setView); return; }
    if (a && a.hasAttribute('data-help')) { e.preventDefault(); toggleHelp(true); return; }
    if (a && a.hasAttribute('data-line-link') && form) {
      setLine(a.closest('tr'));
      if (openForm(a.dataset.side)) { e.preventDefault(); }
      return;
    }
    if (e.target.closest('.dv-cancel')) { closeForm(); return; }
    var tr = e.target.closest('tr[data-line]');
    if (tr && !a) { setLine(tr); }
  });
})();
