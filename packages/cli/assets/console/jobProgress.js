// dh console: a re-drive job's page follows the job (progressive enhancement: without script the
// "Refresh" link reloads it). Polls the job's status JSON each second until it has ended, and
// writes the numbers as text.

(() => {
  const link = document.getElementById('job-status');
  if (link === null) return;
  const url = link.getAttribute('data-status');
  if (url === null) return;
  const text = (id, value) => {
    const el = document.getElementById(id);
    if (el !== null) el.textContent = value;
  };
  const poll = () => {
    fetch(url, { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((j) => {
        text('job-state', j.state === 'running' && j.cancelRequested ? 'running (cancelling)' : j.state);
        text('job-done', String(j.done));
        text('job-reopened', String(j.reopened));
        const bar = document.getElementById('job-progress');
        if (bar !== null) bar.setAttribute('value', String(Math.min(j.done, Math.max(1, j.expected))));
        if (j.summary !== null) text('job-summary', j.summary);
        if (j.finishedAt !== null) text('job-finished', j.finishedAt);
        if (j.state !== 'running' || j.cancelRequested) {
          const cancel = document.getElementById('job-cancel');
          if (cancel !== null) cancel.closest('form')?.remove();
        }
        if (j.state === 'running') setTimeout(poll, 1000);
      })
      .catch((e) => text('job-summary', `status unavailable: ${e.message}`));
  };
  poll();
})();
