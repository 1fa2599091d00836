/* The report's one script: copy buttons, graphs in a new tab, actual size, expand/collapse,
   opening the finding a link points to, and the marks the browser test reads (data-*). */
(function () {
  'use strict';
  var errors = [];
  window.addEventListener('error', function (event) {
    errors.push(String(event.message));
    document.body.setAttribute('data-js-errors', String(errors.length));
  });

  function reveal(target) {
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === 'DETAILS') { node.open = true; }
    }
  }

  function revealHash() {
    if (!location.hash) { return; }
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) { reveal(target); target.scrollIntoView({block: 'start', behavior: 'instant'}); }
  }

  function copy(text, button) {
    function done(word) {
      var before = button.textContent;
      button.textContent = word;
      setTimeout(function () { button.textContent = before; }, 1200);
    }
    function fallback() {
      var area = document.createElement('textarea');
      area.value = text;
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      document.body.removeChild(area);
      done(ok ? 'Copied' : 'Select and copy');
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done('Copied'); }, fallback);
    } else {
      fallback();
    }
  }

  function openGraph(figure) {
    var svg = figure.querySelector('svg');
    if (!svg) { return; }
    var blob = new Blob([svg.outerHTML], {type: 'image/svg+xml'});
    window.open(URL.createObjectURL(blob), '_blank');
  }

  /* A graph wider than the column at a readable size says so (it scrolls sideways). */
  function markWide(figure) {
    var canvas = figure.querySelector('.canvas');
    figure.classList.toggle('overflows', canvas.scrollWidth > canvas.clientWidth + 1);
  }
  document.addEventListener('toggle', function (event) {
    if (event.target.tagName === 'DETAILS' && event.target.open) {
      event.target.querySelectorAll('figure.graph').forEach(markWide);
    }
  }, true);

  document.addEventListener('click', function (event) {
    var target = event.target.closest('[data-copy],[data-open-graph],[data-zoom],[data-expand],a[href^="#"]');
    if (!target) { return; }
    if (target.hasAttribute('data-copy')) {
      copy(document.getElementById(target.getAttribute('data-copy')).textContent, target);
    } else if (target.hasAttribute('data-open-graph')) {
      event.preventDefault();
      openGraph(target.closest('figure'));
    } else if (target.hasAttribute('data-zoom')) {
      event.preventDefault();
      var figure = target.closest('figure');
      figure.setAttribute('data-zoom', target.getAttribute('data-zoom'));
      figure.querySelectorAll('[data-zoom]').forEach(function (a) { a.classList.toggle('on', a === target); });
      markWide(figure);
    } else if (target.hasAttribute('data-expand')) {
      var open = target.getAttribute('data-expand') === 'open';
      document.querySelectorAll('details').forEach(function (d) { d.open = open; });
    } else {
      var linked = document.getElementById(decodeURIComponent(target.getAttribute('href').slice(1)));
      if (linked) { reveal(linked); }
    }
  });
  window.addEventListener('hashchange', revealHash);
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  });

  /* The sidebar marks the section being read. */
  var links = {};
  document.querySelectorAll('#sidebar a[href^="#"]').forEach(function (a) {
    links[a.getAttribute('href').slice(1)] = a;
  });
  if ('IntersectionObserver' in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        var link = links[entry.target.id];
        if (entry.isIntersecting && link) {
          document.querySelectorAll('#sidebar a.here').forEach(function (a) { a.classList.remove('here'); });
          link.classList.add('here');
        }
      });
    }, {rootMargin: '0px 0px -80% 0px'});
    Object.keys(links).forEach(function (id) {
      var section = document.getElementById(id);
      if (section) { observer.observe(section); }
    });
  }

  /* Marks for the browser test: how many graphs have a visible size once their findings are
     open (they are put back as they were), how many links point nowhere, any script error. */
  window.addEventListener('load', function () {
    var body = document.body;
    var closed = Array.prototype.filter.call(document.querySelectorAll('details'), function (d) { return !d.open; });
    closed.forEach(function (d) { d.open = true; });
    function shown(selector) {
      var n = 0;
      document.querySelectorAll(selector).forEach(function (s) {
        var box = s.getBoundingClientRect();
        if (box.width > 0 && box.height > 0) { n++; }
      });
      return n;
    }
    body.setAttribute('data-graphs-rendered', String(shown('figure.graph svg')));
    body.setAttribute('data-comparison-graphs', String(shown('#comparisons figure.graph svg')));
    closed.forEach(function (d) { d.open = false; });
    body.setAttribute('data-matrix-rows', String(document.querySelectorAll('#matrix tbody tr').length));
    body.setAttribute('data-comparison-pairs', String(document.querySelectorAll('#comparisons section.pair').length));
    var broken = 0;
    document.querySelectorAll('a[href^="#"]').forEach(function (a) {
      if (!document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)))) { broken++; }
    });
    body.setAttribute('data-broken-links', String(broken));
    body.setAttribute('data-js-errors', String(errors.length));
    revealHash();
  });
}());
