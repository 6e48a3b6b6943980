// dh console: the live toggle of /messages (progressive enhancement: without script the list is
// the plain server page). While the box is ticked it polls /messages/live.json and puts each new
// attempt on top of the "New attempts" table. Everything is inserted as text (textContent), and
// the server already passed every stored string through the output rule.

(() => {
  const section = document.getElementById('live');
  const toggle = document.getElementById('live-toggle');
  const state = document.getElementById('live-state');
  const body = document.querySelector('#live-attempts tbody');
  if (section === null || toggle === null || state === null || body === null) return;
  const base = section.getAttribute('data-live');
  if (base === null) return;
  section.hidden = false;
  let after = null;
  let timer = null;

  const cell = (tr, text, href) => {
    const td = document.createElement('td');
    if (href === undefined) td.textContent = text;
    else {
      const a = document.createElement('a');
      a.href = href;
      a.textContent = text;
      td.appendChild(a);
    }
    tr.appendChild(td);
  };

  const add = (r) => {
    const tr = document.createElement('tr');
    tr.className = r.status === 'SUCCESS' ? 'ok' : 'bad';
    tr.setAttribute('data-message', r.messageId);
    cell(tr, r.completedAt);
    cell(tr, r.messageId, `/messages/${encodeURIComponent(r.messageId)}`);
    cell(tr, String(r.attemptNumber));
    cell(tr, r.status);
    cell(tr, r.category);
    cell(tr, r.code);
    cell(tr, r.endpoint);
    body.insertBefore(tr, body.firstChild);
    while (body.children.length > 200) body.removeChild(body.lastChild);
  };

  const poll = () => {
    const url = new URL(base, location.href);
    if (after !== null) url.searchParams.set('after', String(after));
    fetch(url, { credentials: 'same-origin' })
      .then((r) => r.json())
      .then((p) => {
        if (p._tag === 'following') {
          if (after === null) state.textContent = 'Following new attempts.';
          for (const r of p.attempts) add(r);
          after = p.seq;
          section.setAttribute('data-following', 'true');
        } else if (p._tag === 'failed') state.textContent = `Stream unavailable: ${p.reason}`;
        else state.textContent = 'Connecting to the stream…';
      })
      .catch((e) => {
        state.textContent = `Stream unavailable: ${e.message}`;
      })
      .finally(() => {
        if (toggle.checked) timer = setTimeout(poll, 1000);
      });
  };

  toggle.addEventListener('change', () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (toggle.checked) poll();
    else {
      after = null;
      section.removeAttribute('data-following');
      state.textContent = 'Stopped.';
    }
  });
})();
