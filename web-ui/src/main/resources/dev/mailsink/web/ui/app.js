// Mailsink UI: one page, no dependencies. Mail content is hostile input: every value from a
// message is put into the page with textContent or setAttribute, never parsed as HTML; the HTML
// body is shown only inside a sandboxed iframe served with its own Content-Security-Policy.
'use strict';

(() => {
  const PAGE = 50;
  const RAW_LIMIT = 2 * 1024 * 1024;

  const $ = (id) => document.getElementById(id);

  const state = {
    q: '',
    namespace: '', // '' for every message; kept in the page URL as ?namespace=
    namespaces: [], // [{name, count}] from api/v1/namespaces
    offset: 0,
    total: 0,
    messages: [],
    cursor: -1, // index of the highlighted row
    selectedId: null, // id of the open message
    open: null, // the open message's JSON
    tab: 'html',
    rawFor: null,
    remoteAllowed: new Set(),
    fresh: new Set(),
    info: null,
    faultsAvailable: false,
    sessionFor: null, // id of the message whose Session tab is loaded
    sessionsOpen: null, // id of the session shown in the Sessions dialog
  };

  // ---------------------------------------------------------------------------------------------
  // HTTP

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.message) || 'HTTP ' + status);
      this.status = status;
      this.code = body && body.error;
    }
  }

  async function api(path, options = {}) {
    const init = Object.assign({ headers: { Accept: 'application/json' } }, options);
    const res = await fetch(path, init);
    if (res.status === 204) {
      return null;
    }
    const type = res.headers.get('Content-Type') || '';
    const body = type.startsWith('application/json') ? await res.json() : await res.text();
    if (!res.ok) {
      throw new ApiError(res.status, typeof body === 'object' ? body : null);
    }
    return body;
  }

  /** A message path within the chosen namespace: the server scopes it (?namespace=). */
  function scoped(path) {
    if (!state.namespace) return path;
    return path + (path.includes('?') ? '&' : '?') + 'namespace=' + encodeURIComponent(state.namespace);
  }

  // ---------------------------------------------------------------------------------------------
  // DOM helpers: text only

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v == null) continue;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = v;
        else e.setAttribute(k, v);
      }
    }
    for (const c of children) {
      if (c != null) e.append(c);
    }
    return e;
  }

  function formatSize(bytes) {
    if (bytes < 1024) return bytes + ' B';
    if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(1) + ' kB';
    return (bytes / 1024 / 1024).toFixed(1) + ' MB';
  }

  function formatTime(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    const now = new Date();
    if (d.toDateString() === now.toDateString()) {
      return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    }
    return d.toLocaleString([], {
      year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
    });
  }

  function formatAddress(a) {
    return a.name ? a.name + ' <' + a.address + '>' : a.address;
  }

  function fromLabel(m) {
    if (m.from && m.from.length) {
      return m.from[0].name || m.from[0].address;
    }
    return m.envelope.sender || '<>';
  }

  // ---------------------------------------------------------------------------------------------
  // the list

  let refreshTimer = null;
  let refreshing = false;
  let refreshAgain = false;

  function scheduleRefresh(delay = 120) {
    if (refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      refresh();
    }, delay);
  }

  async function refresh() {
    if (refreshing) {
      refreshAgain = true;
      return;
    }
    refreshing = true;
    try {
      await loadList();
    } finally {
      refreshing = false;
      if (refreshAgain) {
        refreshAgain = false;
        scheduleRefresh();
      }
    }
  }

  async function loadList() {
    const params = new URLSearchParams({ limit: String(PAGE), offset: String(state.offset) });
    if (state.q) params.set('q', state.q);
    if (state.namespace) params.set('namespace', state.namespace);
    let list;
    try {
      list = await api('api/v1/messages?' + params);
    } catch (e) {
      if (e.status === 400) {
        showSearchError(e.message);
      } else {
        setLive('offline', 'cannot reach the server');
      }
      return;
    }
    showSearchError(null);
    if (list.count === 0 && list.total > 0 && state.offset > 0) {
      state.offset = Math.floor((list.total - 1) / PAGE) * PAGE;
      return loadList();
    }
    const previousId = state.messages[state.cursor] ? state.messages[state.cursor].id : null;
    state.total = list.total;
    state.messages = list.messages;
    const again = state.messages.findIndex((m) => m.id === previousId);
    state.cursor = again >= 0 ? again : Math.min(state.cursor, state.messages.length - 1);
    renderList();
  }

  function showSearchError(message) {
    const p = $('search-error');
    p.hidden = !message;
    p.textContent = message || '';
    $('search').setAttribute('aria-invalid', message ? 'true' : 'false');
  }

  let renderedKey = null;

  function renderList() {
    const ul = $('message-list');
    // Messages never change, so the same ids mean the same rows: keep them (and the focus, hover
    // and scroll position) and only update the markers.
    const key = state.messages.map((m) => m.id).join(',');
    if (key !== renderedKey) {
      renderedKey = key;
      const rows = state.messages.map((m, i) => {
        const li = el('li', {
          id: 'msg-' + m.id,
          role: 'option',
          'data-id': String(m.id),
          'data-index': String(i),
          'aria-selected': String(m.id === state.selectedId),
        });
        const extra = el('span', { class: 'm-extra' });
        extra.append(formatSize(m.size));
        li.append(
          el('span', { class: 'm-from', text: fromLabel(m) }),
          el('span', { class: 'm-time', text: formatTime(m.receivedAt), title: m.receivedAt }),
          el('span', { class: 'm-subject', text: m.subject || '(no subject)' }),
          extra,
          el('span', { class: 'm-to', text: 'to ' + m.envelope.recipients.join(', ') }),
        );
        return li;
      });
      ul.replaceChildren(...rows);
    }
    for (const li of ul.children) {
      li.classList.toggle('fresh', state.fresh.has(Number(li.dataset.id)));
    }
    updateCursor(false);

    const count = state.total;
    const what = (state.q ? ' matching' : '') + (state.namespace ? ' in ' + state.namespace : '');
    $('list-count').textContent = count + (count === 1 ? ' message' : ' messages') + what;
    const first = count === 0 ? 0 : state.offset + 1;
    const last = state.offset + state.messages.length;
    $('page-info').textContent = count > PAGE ? first + '–' + last + ' of ' + count : '';
    $('prev').disabled = state.offset === 0;
    $('next').disabled = last >= count;
    $('empty').hidden = count !== 0 || !!state.q;
    $('empty').querySelector('strong').textContent =
      state.namespace ? 'No messages in namespace ' + state.namespace + ' yet.' : 'No messages yet.';
    document.title = count ? 'Mailsink (' + count + ')' : 'Mailsink';
  }

  function updateCursor(scroll) {
    const ul = $('message-list');
    for (const li of ul.children) {
      li.classList.toggle('cursor', Number(li.dataset.index) === state.cursor);
      li.setAttribute('aria-selected', String(Number(li.dataset.id) === state.selectedId));
    }
    const current = state.messages[state.cursor];
    if (current) {
      ul.setAttribute('aria-activedescendant', 'msg-' + current.id);
      if (scroll) {
        const li = $('msg-' + current.id);
        if (li) li.scrollIntoView({ block: 'nearest' });
      }
    } else {
      ul.removeAttribute('aria-activedescendant');
    }
  }

  async function moveCursor(delta) {
    if (!state.messages.length) return;
    let next = state.cursor + delta;
    if (next >= state.messages.length && state.offset + state.messages.length < state.total) {
      state.offset += PAGE;
      await loadList();
      next = 0;
    } else if (next < 0 && state.offset > 0) {
      state.offset = Math.max(0, state.offset - PAGE);
      await loadList();
      next = state.messages.length - 1;
    }
    state.cursor = Math.max(0, Math.min(next, state.messages.length - 1));
    updateCursor(true);
    if (state.open) {
      openMessage(state.messages[state.cursor].id);
    }
  }

  function page(delta) {
    const offset = Math.max(0, state.offset + delta * PAGE);
    if (offset === state.offset || offset >= Math.max(state.total, 1)) return;
    state.offset = offset;
    state.cursor = 0;
    refresh();
  }

  // ---------------------------------------------------------------------------------------------
  // the message view

  async function openMessage(id) {
    state.selectedId = id;
    state.fresh.delete(id);
    const index = state.messages.findIndex((m) => m.id === id);
    if (index >= 0) state.cursor = index;
    updateCursor(true);
    const li = $('msg-' + id);
    if (li) li.classList.remove('fresh');
    let m;
    try {
      m = await api(scoped('api/v1/messages/' + id));
    } catch (e) {
      if (e.status === 404) {
        closeMessage();
        scheduleRefresh();
        return;
      }
      throw e;
    }
    if (state.selectedId !== id) return; // another message was opened meanwhile
    state.open = m;
    renderMessage(m);
    $('placeholder').hidden = true;
    $('detail-pane').hidden = false;
    $('layout').classList.add('reading');
    const bodyTabs = ['html', 'text'];
    let tab = state.tab;
    if (bodyTabs.includes(tab) || tab === 'raw') {
      tab = m.html != null ? 'html' : 'text';
    }
    selectTab(tab, false);
  }

  function closeMessage() {
    state.selectedId = null;
    state.open = null;
    state.rawFor = null;
    $('preview').removeAttribute('src');
    $('detail-pane').hidden = true;
    $('placeholder').hidden = false;
    $('layout').classList.remove('reading');
    updateCursor(false);
  }

  function metaRow(dl, label, value, tag) {
    if (value == null || value === '') return;
    const dd = el('dd', { text: value });
    if (tag) dd.append(el('span', { class: 'tag', text: tag }));
    dl.append(el('dt', { text: label }), dd);
  }

  function hiddenRecipients(m) {
    const shown = new Set([...m.to, ...m.cc].map((a) => a.address.toLowerCase()));
    return m.envelope.recipients.filter((r) => !shown.has(r.toLowerCase()));
  }

  function renderMessage(m) {
    $('d-subject').textContent = m.subject || '(no subject)';
    const meta = $('d-meta');
    meta.replaceChildren();
    metaRow(meta, 'From', m.from.map(formatAddress).join(', ') || m.envelope.sender || '<>');
    metaRow(meta, 'To', m.to.map(formatAddress).join(', '));
    metaRow(meta, 'Cc', m.cc.map(formatAddress).join(', '));
    const bcc = hiddenRecipients(m);
    metaRow(meta, 'Bcc', bcc.join(', '), bcc.length ? 'envelope only' : null);
    metaRow(meta, 'Reply-To', m.replyTo.map(formatAddress).join(', '));
    metaRow(meta, 'Date', m.date ? new Date(m.date).toLocaleString() : null);
    metaRow(meta, 'Received', new Date(m.receivedAt).toLocaleString() + ' · ' + formatSize(m.size));

    const problem = $('d-problem');
    problem.hidden = !m.parseProblem;
    problem.textContent = m.parseProblem ? 'Could not fully parse this message: ' + m.parseProblem : '';

    const download = $('d-download');
    download.setAttribute('href', scoped('api/v1/messages/' + m.id + '/raw'));
    download.setAttribute('download', 'message-' + m.id + '.eml');

    // HTML preview
    const hasHtml = m.html != null;
    $('no-html').hidden = hasHtml;
    $('preview').hidden = !hasHtml;
    const remote = hasHtml && referencesRemoteContent(m.html);
    const allowed = state.remoteAllowed.has(m.id);
    $('remote-banner').hidden = !remote || allowed;
    if (hasHtml) {
      $('preview').setAttribute(
        'src', scoped('ui/preview/' + m.id + (allowed ? '?remoteImages=allow' : '')));
    } else {
      $('preview').removeAttribute('src');
    }

    $('d-text').textContent = m.text != null ? m.text : '(This message has no plain-text body.)';

    const headers = $('d-headers');
    headers.replaceChildren(
      ...m.headers.map((h) => el('tr', null, el('th', { text: h.name }), el('td', { text: h.value }))));

    state.rawFor = null;
    $('d-raw').textContent = '';

    const list = $('d-attachments');
    list.replaceChildren();
    m.attachments.forEach((a) => {
      const href = scoped('api/v1/messages/' + m.id + '/attachments/' + a.index);
      const name = a.filename || 'attachment-' + a.index;
      const li = el('li');
      if (a.mimeType.startsWith('image/')) {
        li.append(el('img', { src: href, alt: name, loading: 'lazy' }));
      }
      const info = el('div', { class: 'a-info' });
      info.append(
        el('a', { href: href, download: name, class: 'a-download', text: name }),
        el('div', { class: 'muted', text: a.mimeType + ' · ' + formatSize(a.size) +
          (a.inline ? ' · inline' : '') + (a.contentId ? ' · cid:' + a.contentId : '') }),
      );
      li.append(info);
      list.append(li);
    });
    if (!m.attachments.length) {
      list.append(el('li', { class: 'muted', text: 'No attachments.' }));
    }
    $('tab-attachments').textContent = 'Attachments' + (m.attachments.length ? ' (' + m.attachments.length + ')' : '');

    const env = $('d-envelope');
    env.replaceChildren();
    const e = m.envelope;
    metaRow(env, 'MAIL FROM', '<' + e.sender + '>');
    const inHeaders = new Set([...m.to, ...m.cc].map((a) => a.address.toLowerCase()));
    e.recipients.forEach((r, i) => {
      metaRow(env, i === 0 ? 'RCPT TO' : '', '<' + r + '>', inHeaders.has(r.toLowerCase()) ? null : 'Bcc');
    });
    metaRow(env, 'HELO', e.heloName);
    metaRow(env, 'Client', e.clientAddress + ':' + e.clientPort);
    metaRow(env, 'Session', e.sessionId);
    metaRow(env, 'TLS', e.tlsProtocol ? e.tlsProtocol + ' · ' + (e.tlsCipher || '') : 'none');
    metaRow(env, 'AUTH user', e.authenticatedUser || 'none');
    metaRow(env, 'Received', m.receivedAt);
    metaRow(env, 'Size', m.size + ' bytes');
    metaRow(env, 'Message-ID', m.messageId);

    state.sessionFor = null;
    $('d-session').replaceChildren();
    const relay = state.info && state.info.relay;
    $('d-release').hidden = !relay;
    $('tab-releases').hidden = !relay && !m.releases.length;
    renderReleases(m.releases);
  }

  // ---------------------------------------------------------------------------------------------
  // session transcripts and releases

  const KIND_LABEL = {
    command: 'C:', reply: 'S:', data: 'data', tls: 'TLS', auth: 'AUTH', fault: 'fault', end: 'end',
  };

  function formatClock(iso) {
    const d = new Date(iso);
    return d.toLocaleTimeString([], {
      hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
    }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  }

  /** A transcript as a header and a table of entries; every value goes in as text. */
  function renderTranscript(t) {
    const box = el('div', { class: 'session' });
    const dl = el('dl', { class: 'meta' });
    metaRow(dl, 'Session', t.id);
    metaRow(dl, 'Client', t.clientAddress + ':' + t.clientPort + ' → port ' + t.serverPort);
    metaRow(dl, 'HELO', t.heloName);
    metaRow(dl, 'TLS', t.tlsProtocol ? t.tlsProtocol + ' · ' + (t.tlsCipher || '') : 'none');
    metaRow(dl, 'AUTH', t.authenticatedUser ? t.authenticatedUser + ' (' + t.authMechanism + ')' : 'none');
    metaRow(dl, 'Ended', t.open ? 'still open' : t.end + (t.endDetail ? ': ' + t.endDetail : ''));
    metaRow(dl, 'Messages', t.messageIds.length ? t.messageIds.map((id) => '#' + id).join(', ') : 'none');
    metaRow(dl, 'Namespaces', t.namespaces.join(', '));
    box.append(dl);
    const table = el('table', { class: 'transcript', id: 'transcript-' + t.id });
    const body = el('tbody');
    t.entries.forEach((e, i) => {
      if (i === 100 && t.omittedEntries > 0) {
        body.append(el('tr', { class: 'k-omitted' }, el('td'), el('td'),
          el('td', { class: 't-text', text: '… ' + t.omittedEntries + ' entries omitted …' })));
      }
      body.append(el('tr', { class: 'k-' + e.kind },
        el('td', { class: 't-time', text: formatClock(e.at) }),
        el('td', { class: 't-kind', text: KIND_LABEL[e.kind] || e.kind }),
        el('td', { class: 't-text', text: e.text })));
    });
    table.append(body);
    box.append(table);
    return box;
  }

  async function loadSession() {
    const m = state.open;
    if (!m || state.sessionFor === m.id) return;
    state.sessionFor = m.id;
    const panel = $('d-session');
    panel.replaceChildren(el('p', { class: 'muted', text: 'Loading…' }));
    try {
      const t = await api(scoped('api/v1/messages/' + m.id + '/transcript'));
      if (state.open !== m) return;
      panel.replaceChildren(renderTranscript(t));
    } catch (e) {
      if (state.open !== m) return;
      panel.replaceChildren(el('p', { class: 'muted', text: e.message }));
    }
  }

  function renderReleases(releases) {
    const panel = $('d-releases');
    panel.replaceChildren();
    $('tab-releases').textContent = 'Releases' + (releases.length ? ' (' + releases.length + ')' : '');
    if (!releases.length) {
      panel.append(el('p', { class: 'muted', text: 'Not released yet. Use Release… to send it to a real mailbox.' }));
      return;
    }
    for (const r of releases.slice().reverse()) {
      const box = el('div', { class: 'release', id: 'release-' + r.id });
      box.append(el('h3', null,
        el('span', { class: 'status-' + r.status, text: r.status.replace('_', ' ') }),
        document.createTextNode(' to ' + r.recipients.join(', ') +
          (r.namespace ? ' · namespace ' + r.namespace : '') + ' · ' + r.trigger + ' · ' +
          formatTime(r.requestedAt))));
      if (r.detail) box.append(el('div', { class: 'muted', text: r.detail }));
      const ol = el('ol');
      for (const a of r.attempts) {
        let text = formatClock(a.at) + ' ' + a.upstream + ' — ' + a.result.replace('_', ' ') + ': ' + a.reply;
        for (const f of a.refusedRecipients) {
          if (f.reply !== a.reply) text += ' · ' + f.recipient + ': ' + f.reply;
        }
        ol.append(el('li', { text: text }));
      }
      box.append(ol);
      panel.append(box);
    }
  }

  function openRelease() {
    const m = state.open;
    const relay = state.info && state.info.relay;
    if (!m || !relay) return;
    $('release-upstream').textContent = 'Sends the message as captured to ' + relay.host + ':' +
      relay.port + ' (' + relay.tls + ').';
    $('release-allowed').textContent = relay.allowedRecipients.length
      ? 'Allowed recipients: ' + relay.allowedRecipients.join(', ')
      : 'The allow list is empty: no recipient is allowed.';
    $('release-error').hidden = true;
    if (!$('r-to').value) $('r-to').value = m.envelope.recipients.join(', ');
    $('release-dialog').showModal();
    $('r-to').focus();
  }

  async function submitRelease() {
    const m = state.open;
    if (!m) return;
    const to = $('r-to').value.split(/[,;\s]+/).filter((a) => a);
    try {
      await api(scoped('api/v1/messages/' + m.id + '/release'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ to }),
      });
    } catch (err) {
      const box = $('release-error');
      box.textContent = err.message;
      box.hidden = false;
      return;
    }
    $('release-dialog').close();
    $('tab-releases').hidden = false;
    await reloadReleases(m.id);
    selectTab('releases', false);
  }

  async function reloadReleases(id) {
    if (!state.open || state.open.id !== id) return;
    const list = await api(scoped('api/v1/messages/' + id + '/releases'));
    if (!state.open || state.open.id !== id) return;
    state.open.releases = list.releases;
    $('tab-releases').hidden = false;
    renderReleases(list.releases);
  }

  async function showSessions() {
    $('sessions-dialog').open || $('sessions-dialog').showModal();
    $('sessions-title').textContent =
      'SMTP sessions' + (state.namespace ? ' in namespace ' + state.namespace : '');
    let list;
    try {
      // in a namespace: the sessions that stored mail in it
      list = await api(scoped('api/v1/sessions?limit=200'));
    } catch (e) {
      $('session-rows').replaceChildren(el('tr', null, el('td', { text: e.message })));
      return;
    }
    const rows = $('session-rows');
    rows.replaceChildren(...list.sessions.map((s) => {
      const tr = el('tr', { 'data-id': s.id, class: s.id === state.sessionsOpen ? 'selected' : null },
        el('td', { text: formatTime(s.startedAt) }),
        el('td', { text: s.clientAddress + ':' + s.clientPort }),
        el('td', { text: s.open ? 'open' : s.end + (s.faultCount ? ' · ' + s.faultCount + ' fault(s)' : '') }),
        el('td', { text: s.messageIds.map((id) => '#' + id).join(', ') || '—' }),
        el('td', { text: s.lastReply || '' }));
      tr.addEventListener('click', () => showSession(s.id));
      return tr;
    }));
    $('sessions-empty').hidden = list.sessions.length > 0;
    $('sessions-empty').textContent = !list.recording
      ? 'Session recording is off on this server.'
      : state.namespace ? 'No session has stored mail in namespace ' + state.namespace + ' yet.'
        : 'No sessions recorded yet.';
  }

  async function showSession(id) {
    state.sessionsOpen = id;
    for (const tr of $('session-rows').children) {
      tr.classList.toggle('selected', tr.dataset.id === id);
    }
    const detail = $('session-detail');
    try {
      const t = await api(scoped('api/v1/sessions/' + encodeURIComponent(id)));
      detail.replaceChildren(renderTranscript(t));
    } catch (e) {
      detail.replaceChildren(el('p', { class: 'muted', text: e.message }));
    }
  }

  function referencesRemoteContent(html) {
    return /(?:src|background|srcset|poster)\s*=\s*["']?\s*(?:https?:)?\/\//i.test(html) ||
      /url\(\s*["']?\s*(?:https?:)?\/\//i.test(html);
  }

  function selectTab(name, focus) {
    state.tab = name;
    for (const tab of document.querySelectorAll('#tabs [role="tab"]')) {
      const on = tab.dataset.tab === name;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      $('panel-' + tab.dataset.tab).hidden = !on;
      if (on && focus) tab.focus();
    }
    if (name === 'raw') loadRaw();
    if (name === 'session') loadSession();
  }

  async function loadRaw() {
    const m = state.open;
    if (!m || state.rawFor === m.id) return;
    state.rawFor = m.id;
    const pre = $('d-raw');
    pre.textContent = 'Loading…';
    try {
      const res = await fetch(scoped('api/v1/messages/' + m.id + '/raw'));
      if (!res.ok) throw new Error('HTTP ' + res.status);
      const text = await res.text();
      if (state.open !== m) return;
      pre.textContent = text.length > RAW_LIMIT
        ? text.slice(0, RAW_LIMIT) + '\n\n… (truncated; download the .eml for the rest)'
        : text;
    } catch (e) {
      pre.textContent = 'Could not load the raw message: ' + e.message;
    }
  }

  async function deleteOpenOrCursor() {
    const id = state.selectedId != null
      ? state.selectedId
      : (state.messages[state.cursor] || {}).id;
    if (id == null) return;
    const index = state.messages.findIndex((m) => m.id === id);
    const wasOpen = state.selectedId === id;
    try {
      await api(scoped('api/v1/messages/' + id), { method: 'DELETE' });
    } catch (e) {
      if (e.status !== 404) throw e;
    }
    state.messages = state.messages.filter((m) => m.id !== id);
    state.total = Math.max(0, state.total - 1);
    state.cursor = Math.min(index, state.messages.length - 1);
    if (wasOpen) closeMessage();
    renderList();
    await refresh();
    const next = state.messages[state.cursor];
    if (wasOpen && next && window.matchMedia('(min-width: 721px)').matches) {
      openMessage(next.id);
    }
    $('message-list').focus();
  }

  // ---------------------------------------------------------------------------------------------
  // live updates

  function setLive(stateName, detail) {
    const live = $('live');
    live.dataset.state = stateName;
    live.textContent = { live: 'live', connecting: 'connecting…', offline: 'offline' }[stateName];
    live.title = detail || '';
  }

  function connectEvents() {
    const events = new EventSource('api/v1/events');
    // One stream for the whole mailbox: the namespace menu follows every namespace, the list
    // reloads (scoped by the server) only for changes that concern what it shows.
    events.addEventListener('hello', () => {
      setLive('live', 'updates arrive as mail does');
      scheduleRefresh(0);
      scheduleNamespaces(0);
    });
    events.addEventListener('received', (e) => {
      const data = JSON.parse(e.data);
      let mine = false;
      for (const m of data.messages) {
        if (!state.namespace || m.namespace === state.namespace) {
          state.fresh.add(m.id);
          mine = true;
        }
      }
      if (mine) scheduleRefresh();
      scheduleNamespaces();
    });
    events.addEventListener('deleted', (e) => {
      const data = JSON.parse(e.data);
      if (state.selectedId != null && data.ids.includes(state.selectedId)) closeMessage();
      scheduleRefresh();
      scheduleNamespaces();
    });
    events.addEventListener('cleared', () => {
      closeMessage();
      state.fresh.clear();
      scheduleRefresh();
      scheduleNamespaces();
    });
    events.addEventListener('resync', () => {
      scheduleRefresh();
      scheduleNamespaces();
    });
    events.addEventListener('release', (e) => {
      const r = JSON.parse(e.data).release;
      if (state.open && state.open.id === r.messageId) reloadReleases(r.messageId);
    });
    events.onerror = () => {
      setLive(events.readyState === EventSource.CLOSED ? 'offline' : 'connecting',
        'reconnecting to the event stream');
    };
  }

  // ---------------------------------------------------------------------------------------------
  // the namespace filter

  function namespaceFromUrl() {
    const name = new URLSearchParams(location.search).get('namespace');
    return name ? name.trim().toLowerCase() : '';
  }

  function chooseNamespace(name, updateUrl = true) {
    if (name === state.namespace) return;
    state.namespace = name;
    if (updateUrl) {
      const url = new URL(location.href);
      if (name) url.searchParams.set('namespace', name);
      else url.searchParams.delete('namespace');
      history.pushState(null, '', url);
    }
    closeMessage();
    state.fresh.clear();
    state.offset = 0;
    state.cursor = -1;
    renderNamespaces();
    refresh();
  }

  let namespacesTimer = null;

  function scheduleNamespaces(delay = 250) {
    if (namespacesTimer) return;
    namespacesTimer = setTimeout(async () => {
      namespacesTimer = null;
      try {
        state.namespaces = (await api('api/v1/namespaces')).namespaces;
      } catch (e) {
        return;
      }
      renderNamespaces();
    }, delay);
  }

  function renderNamespaces() {
    const select = $('namespace');
    const known = state.namespaces.slice();
    // a shared link may name a namespace that holds no mail (yet): keep it selectable
    if (state.namespace && !known.some((n) => n.name === state.namespace)) {
      known.push({ name: state.namespace, count: 0 });
      known.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    }
    const options = [el('option', { value: '', text: 'All namespaces' })];
    for (const n of known) {
      options.push(el('option', { value: n.name, text: n.name + ' (' + n.count + ')' }));
    }
    select.replaceChildren(...options);
    select.value = state.namespace;
  }

  // ---------------------------------------------------------------------------------------------
  // server and faults panels

  async function loadInfo() {
    try {
      state.info = await api('api/v1/info');
    } catch (e) {
      return;
    }
    const smtp = state.info.smtp;
    if (smtp.host) {
      $('empty-hint').textContent =
        'Point your application at SMTP ' + smtp.host + ':' + smtp.port + ' and mail appears here.';
    }
  }

  async function showServer() {
    await loadInfo();
    const info = state.info;
    const dl = $('server-info');
    dl.replaceChildren();
    if (!info) {
      dl.append(el('dt', { text: 'Error' }), el('dd', { text: 'Cannot reach the server' }));
    } else {
      metaRow(dl, 'Version', info.version);
      metaRow(dl, 'SMTP', info.smtp.running ? info.smtp.host + ':' + info.smtp.port : 'stopped');
      if (info.smtp.smtpsPort != null) metaRow(dl, 'SMTPS (implicit TLS)', info.smtp.host + ':' + info.smtp.smtpsPort);
      const readers = info.readers;
      if (readers && readers.pop3Port != null) metaRow(dl, 'POP3', info.smtp.host + ':' + readers.pop3Port);
      if (readers && readers.pop3sPort != null) metaRow(dl, 'POP3S (implicit TLS)', info.smtp.host + ':' + readers.pop3sPort);
      if (readers && readers.imapPort != null) metaRow(dl, 'IMAP', info.smtp.host + ':' + readers.imapPort);
      if (readers && readers.imapsPort != null) metaRow(dl, 'IMAPS (implicit TLS)', info.smtp.host + ':' + readers.imapsPort);
      metaRow(dl, 'Host name', info.smtp.hostName);
      if (info.smtp.startTls) metaRow(dl, 'STARTTLS', info.smtp.startTls);
      if (info.smtp.auth) metaRow(dl, 'AUTH', info.smtp.auth);
      metaRow(dl, 'HTTP', info.http.url);
      metaRow(dl, 'Basic auth', info.http.basicAuth ? 'on' : 'off');
      metaRow(dl, 'CORS origins', info.http.corsOrigins.join(', ') || 'none');
      const l = info.limits;
      metaRow(dl, 'Max message size', formatSize(l.maxMessageBytes));
      metaRow(dl, 'Max recipients', String(l.maxRecipients));
      metaRow(dl, 'Max connections', String(l.maxConnections));
      metaRow(dl, 'Idle timeout', l.idleTimeout);
      metaRow(dl, 'Retention', l.retainedMessages + ' messages / ' + formatSize(l.retainedBytes));
      metaRow(dl, 'Stored', info.counts.messages + ' messages (' + info.counts.evicted + ' evicted)');
      metaRow(dl, 'Sessions', info.smtp.recordSessions
        ? info.counts.sessions + ' recorded (keeps ' + l.retainedSessions + ' / ' +
          formatSize(l.retainedSessionBytes) + ')'
        : 'not recorded');
      const r = info.relay;
      metaRow(dl, 'Relay', r
        ? r.host + ':' + r.port + ' · ' + r.tls + ' · trust ' + r.trust + (r.user ? ' · user ' + r.user : '')
        : 'none (releases are off)');
      if (r) {
        metaRow(dl, 'Allowed recipients', r.allowedRecipients.join(', ') || 'none');
        if (r.autoRelay.length) metaRow(dl, 'Auto-relay', r.autoRelay.join('; '));
        metaRow(dl, 'Pending releases', String(info.counts.releasesPending));
      }
    }
    const tls = $('server-tls');
    tls.replaceChildren();
    if (info && info.smtp.tls) {
      tls.append(el('a', {
        href: 'api/v1/tls/certificate', download: 'mailsink.pem', class: 'button',
        text: 'Download TLS certificate (PEM)',
      }));
    } else {
      tls.append(el('span', { class: 'muted', text: 'TLS is off: there is no certificate to download.' }));
    }
    $('server-dialog').showModal();
  }

  async function detectFaults() {
    try {
      await api('api/v1/faults');
      state.faultsAvailable = true;
      $('btn-faults').hidden = false;
    } catch (e) {
      state.faultsAvailable = false;
    }
  }

  function describeMatch(match) {
    const parts = Object.entries(match || {}).map(([k, v]) => k + '=' + v);
    return parts.length ? parts.join(', ') : 'any';
  }

  function describeAction(a) {
    switch (a.type) {
      case 'reply': return 'reply ' + a.code + ' ' + a.text + (a.delay ? ' after ' + a.delay : '');
      case 'delay': return 'delay ' + a.duration;
      case 'greylist': return 'greylist, retry after ' + a.retryAfter;
      case 'rateLimit': return 'rate limit ' + a.messages + ' per ' + a.per + ' → ' + a.code;
      case 'slowLink': return 'slow link ' + a.bytesPerSecond + ' B/s';
      default: return a.type;
    }
  }

  function describeCount(r) {
    const parts = [r.times != null ? r.times + '×' : 'always'];
    if (r.every && r.every > 1) parts.push('every ' + r.every);
    if (r.after) parts.push('after ' + r.after);
    if (r.probability != null && r.probability < 1) parts.push('p=' + r.probability + ' seed ' + r.seed);
    return parts.join(', ');
  }

  async function loadFaults() {
    let rules;
    try {
      rules = await api('api/v1/faults');
    } catch (e) {
      showFaultError(e.message);
      return;
    }
    const rows = rules.map((r) => {
      const remove = el('button', { type: 'button', class: 'danger', 'data-rule': String(r.id), text: 'Remove' });
      remove.addEventListener('click', async () => {
        await api('api/v1/faults/' + r.id, { method: 'DELETE' });
        loadFaults();
      });
      const tr = el('tr', { 'data-rule': String(r.id), class: r.active === false ? 'inactive' : null },
        el('td', { text: String(r.id) }),
        el('td', { text: r.stage }),
        el('td', { text: describeMatch(r.match) }),
        el('td', { text: describeAction(r.action) }),
        el('td', { text: describeCount(r) + (r.active === false ? ' (used up)' : '') }),
        el('td', { class: 'hits', text: String(r.hits) }),
        el('td', null, remove));
      return tr;
    });
    $('fault-rows').replaceChildren(...rows);
    $('faults-empty').hidden = rules.length > 0;
  }

  function showFaultError(message) {
    const p = $('fault-error');
    p.hidden = !message;
    p.textContent = message || '';
  }

  function faultFromForm() {
    const json = $('f-json').value.trim();
    if (json) return json;
    const rule = { stage: $('f-stage').value };
    const field = $('f-match-field').value;
    const value = $('f-match-value').value.trim();
    if (field && value) rule.match = { [field]: value };
    const type = $('f-action').value;
    const action = { type };
    const number = (id) => {
      const v = $(id).value.trim();
      return /^\d+$/.test(v) ? Number(v) : v;
    };
    if (type === 'reply') { action.code = number('f-code'); action.text = $('f-text').value; }
    if (type === 'delay') action.duration = $('f-duration').value.trim();
    if (type === 'greylist') action.retryAfter = $('f-duration').value.trim();
    if (type === 'rateLimit') { action.messages = number('f-messages'); action.per = $('f-duration').value.trim(); }
    if (type === 'slowLink') action.bytesPerSecond = number('f-bps');
    rule.action = action;
    const times = $('f-times').value.trim();
    if (times) rule.times = /^\d+$/.test(times) ? Number(times) : times;
    return JSON.stringify(rule);
  }

  function updateFaultFields() {
    const type = $('f-action').value;
    for (const label of document.querySelectorAll('#fault-form label[data-for]')) {
      label.hidden = !label.dataset.for.split(' ').includes(type);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // wiring

  function isTyping(target) {
    return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement ||
      target instanceof HTMLSelectElement || (target && target.isContentEditable);
  }

  function onKey(e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    if (document.querySelector('dialog[open]')) return;
    if (isTyping(e.target)) {
      if (e.key === 'Escape' && e.target === $('search')) {
        $('message-list').focus();
      } else if (e.key === 'ArrowDown' && e.target === $('search')) {
        e.preventDefault();
        $('message-list').focus();
        if (state.cursor < 0) moveCursor(1);
      }
      return;
    }
    const tabs = e.target.closest && e.target.closest('#tabs');
    if (tabs && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
      const names = [...tabs.querySelectorAll('[role="tab"]')].map((t) => t.dataset.tab);
      const i = names.indexOf(state.tab);
      const next = names[(i + (e.key === 'ArrowRight' ? 1 : names.length - 1)) % names.length];
      selectTab(next, true);
      e.preventDefault();
      return;
    }
    switch (e.key) {
      case '/':
        e.preventDefault();
        $('search').focus();
        $('search').select();
        break;
      case 'ArrowDown':
      case 'j':
        e.preventDefault();
        moveCursor(1);
        break;
      case 'ArrowUp':
      case 'k':
        e.preventDefault();
        moveCursor(-1);
        break;
      case 'Home':
        if (e.target === $('message-list')) {
          e.preventDefault();
          state.cursor = 0;
          updateCursor(true);
        }
        break;
      case 'End':
        if (e.target === $('message-list')) {
          e.preventDefault();
          state.cursor = state.messages.length - 1;
          updateCursor(true);
        }
        break;
      case 'Enter':
      case 'o':
        if (e.target === $('message-list') || e.target === document.body) {
          const m = state.messages[state.cursor];
          if (m) {
            e.preventDefault();
            openMessage(m.id);
          }
        }
        break;
      case 'Delete':
      case '#':
        if (!(e.target instanceof HTMLButtonElement) || e.key === '#') {
          e.preventDefault();
          deleteOpenOrCursor();
        }
        break;
      case 'Escape':
        if (state.open) {
          closeMessage();
          $('message-list').focus();
        }
        break;
      case 'n':
        page(1);
        break;
      case 'p':
        page(-1);
        break;
      case 'r':
        refresh();
        break;
      default:
        break;
    }
  }

  function init() {
    let searchTimer = null;
    const runSearch = () => {
      clearTimeout(searchTimer);
      const q = $('search').value.trim();
      if (q === state.q) return;
      state.q = q;
      state.offset = 0;
      state.cursor = -1;
      refresh();
    };
    $('search').addEventListener('input', () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(runSearch, 250);
    });
    $('search-form').addEventListener('submit', (e) => {
      e.preventDefault();
      runSearch();
    });

    $('message-list').addEventListener('click', (e) => {
      const li = e.target.closest('li[data-id]');
      if (li) openMessage(Number(li.dataset.id));
    });
    $('message-list').addEventListener('focus', () => {
      if (state.cursor < 0 && state.messages.length) {
        state.cursor = 0;
        updateCursor(false);
      }
    });
    $('prev').addEventListener('click', () => page(-1));
    $('next').addEventListener('click', () => page(1));
    $('back').addEventListener('click', () => {
      closeMessage();
      $('message-list').focus();
    });
    $('d-delete').addEventListener('click', deleteOpenOrCursor);
    for (const tab of document.querySelectorAll('#tabs [role="tab"]')) {
      tab.addEventListener('click', () => selectTab(tab.dataset.tab, false));
    }
    $('allow-remote').addEventListener('click', () => {
      if (!state.open) return;
      state.remoteAllowed.add(state.open.id);
      $('remote-banner').hidden = true;
      $('preview').setAttribute('src', scoped('ui/preview/' + state.open.id + '?remoteImages=allow'));
    });

    $('btn-clear').addEventListener('click', () => {
      const where = state.namespace ? ' in namespace ' + state.namespace : '';
      $('confirm-clear-text').textContent = state.total
        ? 'All ' + state.total + (state.q ? ' matching' : '') + ' messages' + where + ' will be deleted.'
        : (state.namespace ? 'Namespace ' + state.namespace + ' is' : 'The mailbox is') + ' already empty.';
      $('confirm-clear-title').textContent =
        (state.q ? 'Delete all matching messages' : 'Delete all messages') + where + '?';
      $('confirm-clear').showModal();
    });
    $('confirm-clear').addEventListener('close', async () => {
      if ($('confirm-clear').returnValue !== 'ok') return;
      const query = state.q ? '?q=' + encodeURIComponent(state.q) : '';
      await api(scoped('api/v1/messages' + query), { method: 'DELETE' });
      closeMessage();
      state.offset = 0;
      refresh();
    });

    $('btn-server').addEventListener('click', showServer);

    $('d-release').addEventListener('click', openRelease);
    $('release-cancel').addEventListener('click', () => $('release-dialog').close());
    $('release-form').addEventListener('submit', (e) => {
      e.preventDefault();
      submitRelease();
    });
    $('btn-sessions').addEventListener('click', () => {
      $('session-detail').replaceChildren();
      state.sessionsOpen = null;
      showSessions();
    });
    $('sessions-refresh').addEventListener('click', () => {
      showSessions();
      if (state.sessionsOpen) showSession(state.sessionsOpen);
    });
    $('sessions-close').addEventListener('click', () => $('sessions-dialog').close());

    $('btn-faults').addEventListener('click', () => {
      showFaultError(null);
      updateFaultFields();
      loadFaults();
      $('faults-dialog').showModal();
    });
    $('f-action').addEventListener('change', updateFaultFields);
    $('fault-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      showFaultError(null);
      try {
        await api('api/v1/faults', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: faultFromForm(),
        });
        $('f-json').value = '';
        loadFaults();
      } catch (err) {
        showFaultError(err.message);
      }
    });
    $('fault-clear').addEventListener('click', async () => {
      await api('api/v1/faults', { method: 'DELETE' });
      loadFaults();
    });
    $('fault-close').addEventListener('click', () => $('faults-dialog').close());
    $('fault-refresh').addEventListener('click', loadFaults);

    state.namespace = namespaceFromUrl();
    renderNamespaces();
    $('namespace').addEventListener('change', () => chooseNamespace($('namespace').value));
    window.addEventListener('popstate', () => chooseNamespace(namespaceFromUrl(), false));

    document.addEventListener('keydown', onKey);
    window.addEventListener('unhandledrejection', (e) => {
      setLive('offline', String(e.reason && e.reason.message));
    });

    loadInfo();
    detectFaults();
    refresh();
    connectEvents();
  }

  document.addEventListener('DOMContentLoaded', init);
})();
