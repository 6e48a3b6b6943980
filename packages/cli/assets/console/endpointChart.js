// dh console: the endpoint page's chart. Reads the series JSON the page points at (same origin)
// and draws deliveries and failures per hour with uPlot (served by the console, no CDN).

(() => {
  const el = document.getElementById('chart');
  if (el === null || typeof uPlot === 'undefined') return;
  const url = el.getAttribute('data-series');
  if (url === null) return;
  fetch(url, { credentials: 'same-origin' })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`series: HTTP ${r.status}`))))
    .then((s) => {
      const width = Math.max(320, el.clientWidth);
      const opts = {
        width,
        height: 300,
        series: [
          {},
          { label: 'deliveries', stroke: '#1a7f37', width: 2 },
          { label: 'failures', stroke: '#cf222e', width: 2 },
        ],
        axes: [{}, {}],
      };
      el.setAttribute('data-points', String(s.time.length));
      // uPlot sizes its own canvas through the CSSOM (allowed by the CSP; no inline style attribute)
      new uPlot(opts, [s.time, s.deliveries, s.failures], el);
    })
    .catch((e) => {
      el.textContent = `chart unavailable: ${e.message}`;
    });
})();
