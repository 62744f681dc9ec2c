/**
 * The script of the `listen --ui` page, as the browser runs it (plain ES2020, no build step).
 * Provider text only ever reaches the page as text nodes, `title` and `data-*` values: nothing of
 * the data is parsed as HTML (no `innerHTML`), so a webhook body cannot inject markup or script.
 * test/cli/ui-server.test.ts checks this file parses and never uses an HTML-parsing sink.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var MAX_ROWS = 500;
  var TIMES = ['pending', 'sent', 'delivered', 'read', 'played', 'failed', 'deleted', 'warning'];
  var IMPLIED = { sent: 'sentImplied', delivered: 'deliveredImplied', read: 'readImplied' };
  var page = { session: null, events: 0, changes: 0, selected: null, refresh: null, source: null, lastId: '' };
  var byId = function (id) { return document.getElementById(id); };
  var eventsBody = byId('events').tBodies[0];
  var changesBody = byId('changes').tBodies[0];

  // Elements from data: text nodes and attribute values only.
  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  function h(tag, props) {
    var node = document.createElement(tag);
    if (props) {
      if (props.className) node.className = props.className;
      if (props.title !== undefined && props.title !== null) node.title = String(props.title);
      if (props.data) Object.keys(props.data).forEach(function (k) {
        var v = props.data[k];
        if (v !== undefined && v !== null) node.dataset[k] = String(v);
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }
  function two(n) { return (n < 10 ? '0' : '') + n; }
  function clock(iso) {
    var d = new Date(iso);
    if (!iso || isNaN(d.getTime())) return iso ? String(iso) : '—';
    return two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds()) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  }
  function when(iso) {
    var d = new Date(iso);
    if (!iso || isNaN(d.getTime())) return iso ? String(iso) : '—';
    return d.toLocaleDateString() + ' ' + clock(iso);
  }
  function percent(part, total) { return total === 0 ? '—' : ((part / total) * 100).toFixed(1) + '%'; }
  function badge(status) { return h('span', { className: 'badge s-' + String(status), data: { status: status } }, String(status)); }
  function messageLink(id) {
    if (!id) return h('span', { className: 'muted' }, '—');
    var b = h('button', { className: 'msg', title: 'show the timeline of ' + id, data: { messageId: id } }, id);
    b.type = 'button';
    return b;
  }
  function errorsText(errors, more) {
    if (!errors || errors.length === 0) return null;
    return h('span', { className: 'problem' }, ' errors ' + errors.map(function (x) { return x.code; }).join(', ') + (more ? ', …' : ''));
  }
  function messageOf(r) { return r.event ? r.event.messageId : r.change.messageId; }

  function eventRow(r) {
    var e = r.event;
    var what = null;
    var detail = null;
    if (e.kind === 'status') {
      what = badge(e.status);
      detail = ['→ ', e.participantId ? e.participantId + ' (participant)' : (e.to || '?'), errorsText(e.errors, e.moreErrors)];
    } else if (e.kind === 'message') {
      what = [e.direction === 'outbound' ? '↑ ' : '↓ ', e.type];
      detail = [e.direction === 'outbound' ? 'to ' + (e.to || '?') : 'from ' + (e.from || '?'), e.text !== null ? [' ', h('q', { className: 'text' }, e.text)] : null, errorsText(e.errors, e.moreErrors)];
    } else if (e.kind === 'error') {
      what = 'error';
      detail = e.errors.map(function (x) { return x.code + (x.title ? ' ' + x.title : ''); }).join('; ');
    } else {
      what = e.type;
    }
    var dup = r.type === 'duplicate';
    return h('tr', { className: (dup ? 'dup ' : '') + 'k-' + e.kind, data: { seq: r.seq, type: r.type, kind: e.kind, eventId: e.id, messageId: e.messageId } },
      h('td', { className: 'time', title: 'received ' + r.at + ', occurred ' + e.occurredAt + (e.occurredAtEstimated ? ' (estimated)' : '') }, clock(r.at)),
      h('td', null, dup ? [h('span', { className: 'badge dup' }, 'duplicate'), ' '] : null, e.kind),
      h('td', null, e.provider),
      h('td', null, messageLink(e.messageId)),
      h('td', { className: 'nowrap' }, what),
      h('td', { className: 'detail' }, detail));
  }
  function changeCell(type, c) {
    if (type === 'transition') return [c.before ? badge(c.before) : h('span', { className: 'muted' }, '(new)'), ' → ', badge(c.after)];
    return ['still ', badge(c.after)];
  }
  function changeRow(r) {
    var c = r.change;
    return h('tr', { className: r.type, data: { seq: r.seq, type: r.type, messageId: c.messageId } },
      h('td', { className: 'time', title: r.at + ' (' + c.origin + ')' }, clock(r.at)),
      h('td', null, messageLink(c.messageId)),
      h('td', null, c.participantId ? c.participantId + ' (participant)' : (c.recipientId || '—')),
      h('td', { className: 'nowrap' }, changeCell(r.type, c)),
      h('td', { className: 'muted' }, c.flags.join(', ')));
  }
  function prepend(body, row) {
    body.insertBefore(row, body.firstChild);
    while (body.rows.length > MAX_ROWS) body.deleteRow(-1);
  }
  function counts() {
    byId('events-count').textContent = String(page.events) + (page.events > MAX_ROWS ? ' (last ' + MAX_ROWS + ' shown)' : '');
    byId('changes-count').textContent = String(page.changes) + (page.changes > MAX_ROWS ? ' (last ' + MAX_ROWS + ' shown)' : '');
  }
  function addRecord(r) {
    var row = r.event ? eventRow(r) : changeRow(r);
    if (page.selected !== null && messageOf(r) === page.selected) row.classList.add('selected');
    if (r.event) {
      page.events++;
      prepend(eventsBody, row);
    } else {
      page.changes++;
      prepend(changesBody, row);
    }
    document.body.dataset.lastSeq = String(r.seq);
    if (page.selected !== null && messageOf(r) === page.selected) scheduleRefresh();
  }
  function reset() {
    eventsBody.replaceChildren();
    changesBody.replaceChildren();
    page.events = 0;
    page.changes = 0;
    document.body.dataset.lastSeq = '0';
    counts();
  }

  // The funnel, as bluetick report shows it.
  function funnelTable(name, f) {
    var rows = [['states', 'total', f.total], ['sent', 'sent', f.sent], ['delivered', 'delivered', f.delivered], ['read', 'read', f.read],
      ['failed', 'failed', f.failed], ['not (yet) sent', 'notSent', f.total - f.sent]];
    return h('table', { className: 'funnel', data: { funnel: name } },
      h('thead', null, h('tr', null, h('th', null, 'stage'), h('th', null, 'states'), h('th', null, 'of all'), h('th', null, ''))),
      h('tbody', null, rows.map(function (row) {
        var bar = h('div', { className: 'bar' });
        bar.style.width = f.total === 0 ? '0' : Math.round((row[2] / f.total) * 100) + '%';
        return h('tr', null, h('td', null, row[0]), h('td', { className: 'num', data: { field: name + '.' + row[1] } }, row[2]),
          h('td', { className: 'num' }, row[1] === 'total' ? '' : percent(row[2], f.total)), h('td', { className: 'barcell' }, row[1] === 'total' ? null : bar));
      })));
  }
  function keyValues(name, pairs) {
    return h('table', { data: { table: name } }, h('tbody', null, pairs.map(function (p) {
      return h('tr', null, h('td', null, p[0]), h('td', { className: 'num', data: { field: name + '.' + p[1] } }, p[2]));
    })));
  }
  function renderReport(msg) {
    var rep = msg.report;
    var tracked = rep.tracked ? rep.tracked.total : 0;
    var parts = [h('h3', null, 'Every delivery state (' + rep.all.total + ': ' + tracked + ' tracked by the host with track(), ' + rep.webhookOnly + ' seen only in webhooks)'), funnelTable('all', rep.all)];
    if (rep.tracked) parts.push(h('h3', null, 'Tracked messages only (' + rep.tracked.total + ')'), funnelTable('tracked', rep.tracked));
    else parts.push(h('p', { className: 'hint' }, 'No state was declared with track(): the tracked funnel is empty.'));
    if (rep.events) {
      var e = rep.events;
      parts.push(h('h3', null, 'Events in the webhooks received'), keyValues('events', [['received', 'received', e.received], ['accepted (new)', 'accepted', e.accepted],
        ['duplicates', 'duplicates', e.duplicates], ['messages', 'message', e.byKind.message], ['statuses', 'status', e.byKind.status], ['errors', 'error', e.byKind.error],
        ['notifications', 'notification', e.byKind.notification], ['transitions', 'transitions', e.transitions], ['other changes', 'changes', e.changes]]));
    }
    if (rep.http) parts.push(h('h3', null, 'HTTP responses'), keyValues('http', Object.keys(rep.http).sort().map(function (k) { return [k, k, rep.http[k]]; })));
    if (rep.all.failures && rep.all.failures.byCode.length > 0) {
      parts.push(h('h3', null, 'Failures by error code'), keyValues('failures', rep.all.failures.byCode.map(function (x) { return [x.code + ' (' + x.class + ')', x.code, x.count]; })));
    }
    byId('funnel').replaceChildren.apply(byId('funnel'), parts);
    document.body.dataset.reportSeq = String(msg.seq);
  }

  // A message's presented state and what this session saw of it.
  function timelineItem(r) {
    var body;
    if (r.event) {
      var e = r.event;
      body = [r.type === 'duplicate' ? h('span', { className: 'badge dup' }, 'duplicate') : null, ' ', e.kind, ' ',
        e.kind === 'status' ? badge(e.status) : (e.type || ''), e.text !== null ? [' ', h('q', { className: 'text' }, e.text)] : null,
        errorsText(e.errors, e.moreErrors), h('span', { className: 'muted' }, ' occurred ' + when(e.occurredAt) + (e.occurredAtEstimated ? ' (estimated)' : ''))];
    } else {
      body = [r.type, ' ', changeCell(r.type, r.change), r.change.flags.length ? h('span', { className: 'tag' }, r.change.flags.join(', ')) : null];
    }
    return h('li', { data: { seq: r.seq, type: r.type, status: r.event ? r.event.status : r.change.after } }, h('span', { className: 'mono muted' }, clock(r.at)), ' ', body);
  }
  function renderState(s) {
    var rows = [['status', badge(s.status)], ['provider', s.provider], ['recipient', s.recipientId || '—']];
    if (s.participantId) rows.push(['participant', s.participantId]);
    if (s.accountId) rows.push(['account', s.accountId]);
    rows.push(['tracked', s.tracked ? 'yes (track())' : 'no (seen only in webhooks)']);
    if (s.participants) {
      var p = s.participants;
      rows.push(['participants', p.total + ': ' + p.delivered + ' delivered, ' + p.read + ' read, ' + p.played + ' played, ' + p.failed + ' failed']);
    }
    var flags = [];
    if (s.failedAfterDelivery) flags.push('failedAfterDelivery');
    s.annotations.forEach(function (a) { flags.push(a); });
    if (flags.length) rows.push(['flags', flags.join(', ')]);
    if (s.pricing) rows.push(['pricing', [s.pricing.model, s.pricing.category, s.pricing.type, s.pricing.billable === undefined ? null : (s.pricing.billable ? 'billable' : 'not billable')].filter(Boolean).join(' · ')]);
    if (s.conversation) rows.push(['conversation', [s.conversation.id, s.conversation.origin, s.conversation.expiresAt ? 'expires ' + when(s.conversation.expiresAt) : null].filter(Boolean).join(' · ')]);
    if (s.bizOpaqueCallbackData) rows.push(['callback data', s.bizOpaqueCallbackData]);
    var dl = h('dl', { data: { state: s.status } }, rows.map(function (r) { return [h('dt', null, r[0]), h('dd', null, r[1])]; }));
    var times = TIMES.filter(function (t) { return s[t + 'At']; }).map(function (t) {
      var tags = [];
      if (IMPLIED[t] && s[IMPLIED[t]]) tags.push('implied');
      if (s.estimatedTimes.indexOf(t + 'At') >= 0) tags.push('receipt time');
      return h('tr', { data: { time: t } }, h('td', null, t), h('td', { className: 'mono', title: s[t + 'At'] }, when(s[t + 'At'])), h('td', null, tags.length ? h('span', { className: 'tag' }, tags.join(', ')) : null));
    });
    var parts = [dl, h('h3', null, 'Times'), times.length ? h('table', { data: { table: 'times' } }, h('tbody', null, times)) : h('p', { className: 'hint' }, 'No time yet.')];
    if (s.errors.length) {
      parts.push(h('h3', null, 'Errors'), h('table', { data: { table: 'errors' } }, h('tbody', null, s.errors.map(function (x) {
        return h('tr', null, h('td', { className: 'mono' }, x.code), h('td', null, x.class), h('td', { className: 'detail' }, [x.title, x.message, x.details].filter(Boolean).join(' — ')));
      }))));
    }
    return parts;
  }
  function renderMessage(m) {
    var parts = m.state ? renderState(m.state) : [h('p', { className: 'hint' }, 'No delivery state for this id (an inbound message has none).')];
    parts.push(h('h3', null, 'Seen in this session (' + m.records.length + ')'));
    parts.push(m.records.length ? h('ol', { className: 'timeline' }, m.records.map(timelineItem)) : h('p', { className: 'hint' }, 'Nothing kept for it in this session.'));
    var box = byId('message');
    box.replaceChildren.apply(box, parts);
    box.dataset.messageId = m.messageId;
    box.dataset.status = m.state ? m.state.status : '';
  }
  function showProblem(box, text) { box.replaceChildren(h('p', { className: 'problem' }, text)); }
  function load() {
    var id = page.selected;
    page.refresh = null;
    fetch('/_bluetick/messages/' + encodeURIComponent(id), { cache: 'no-store' })
      .then(function (res) { return res.json().then(function (body) { return { ok: res.ok, body: body }; }); })
      .then(function (x) {
        if (id !== page.selected) return;
        if (x.ok) renderMessage(x.body);
        else showProblem(byId('message'), x.body && x.body.error ? x.body.error.message : 'not found');
      })
      .catch(function (err) { if (id === page.selected) showProblem(byId('message'), 'could not load: ' + err); });
  }
  function scheduleRefresh() { if (page.refresh === null) page.refresh = setTimeout(load, 200); }
  function select(id) {
    page.selected = id;
    byId('message-title').textContent = id;
    Array.prototype.forEach.call(document.querySelectorAll('tr.selected'), function (tr) { tr.classList.remove('selected'); });
    Array.prototype.forEach.call(document.querySelectorAll('tr[data-message-id]'), function (tr) { if (tr.dataset.messageId === id) tr.classList.add('selected'); });
    load();
  }
  document.addEventListener('click', function (ev) {
    var b = ev.target instanceof Element ? ev.target.closest('button.msg') : null;
    if (b) select(b.dataset.messageId);
  });

  // The live stream. EventSource reconnects by itself and sends Last-Event-ID; when the server
  // refused (closed for good), a new one is opened with the last id in the query.
  function setConn(state, text) { var c = byId('conn'); c.dataset.state = state; c.textContent = text; }
  function connect() {
    var source = new EventSource('/_bluetick/events' + (page.lastId ? '?lastEventId=' + encodeURIComponent(page.lastId) : ''));
    page.source = source;
    source.addEventListener('hello', function (ev) {
      var hello = JSON.parse(ev.data);
      if (!hello.resumed) reset();
      page.session = hello.session;
      byId('receiver').textContent = hello.receiverUrl || '—';
      byId('store').textContent = hello.store || '—';
      setConn('live', 'live');
    });
    source.addEventListener('record', function (ev) {
      page.lastId = ev.lastEventId;
      addRecord(JSON.parse(ev.data));
      counts();
    });
    source.addEventListener('report', function (ev) { renderReport(JSON.parse(ev.data)); });
    source.addEventListener('problem', function (ev) { byId('problem').textContent = JSON.parse(ev.data).message; });
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) {
        setConn('reconnecting', 'disconnected, retrying…');
        setTimeout(connect, 2000);
      } else setConn('reconnecting', 'reconnecting…');
    };
  }
  counts();
  connect();
})();
`;
