/* Lantern finder: narrows the meeting list in the browser, as the visitor types or clicks.
 *
 * Progressive enhancement: the page it runs on already lists every meeting and links to the day,
 * region, type and location pages. The form is on the page from the first paint (CSS hides it
 * where scripting is off); once the index has loaded, the results take the place of the page's
 * own list, at the same height, so nothing moves.
 * Privacy: the index is fetched from this site once; what the visitor types and their location
 * never leave the page (no requests, no cookies, no storage). The filter state lives in the URL,
 * with the query names of the widely used meeting-finder widgets (TSML UI): weekday, time,
 * region, type, search, mode, distance; several values are joined with "/".
 */
(function () {
  'use strict';
  var root = document.querySelector('[data-finder]');
  var cfgEl = document.getElementById('finder-config');
  var T = window.LanternTime; // time.js, loaded before this script
  if (!root || !cfgEl || !T || !window.fetch || !window.Intl || !window.history.pushState) return;
  var cfg = JSON.parse(cfgEl.textContent);
  var S = cfg.strings;
  // The same CLDR plural rules the pages were written with ("1 réunion", "2 réunions").
  var plurals;
  try { plurals = new Intl.PluralRules(cfg.lang); } catch (e) { plurals = new Intl.PluralRules('en'); }
  // Distances in the language's digits and decimal sign ("2,3 km").
  var numberLang = plurals.resolvedOptions().locale;
  var oneDecimal = new Intl.NumberFormat(numberLang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var whole = new Intl.NumberFormat(numberLang, { maximumFractionDigits: 0, useGrouping: false });
  var form = root.querySelector('form');
  var countEl = root.querySelector('[data-count]');
  var listEl = root.querySelector('[data-results]');
  var moreBtn = root.querySelector('[data-more]');
  var nearBtn = root.querySelector('[data-near]');
  var nearStatus = root.querySelector('[data-near-status]');
  var picked = root.querySelector('[data-picked]');
  var moreFilters = root.querySelector('[data-more-filters]');
  var clearBtn = root.querySelector('[data-clear]');
  var DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
  var LISTS = ['weekday', 'time', 'region', 'type', 'distance'];
  // Minutes after midnight [from, to) of each time of day; night wraps past midnight.
  var WINDOWS = { morning: [240, 720], midday: [660, 1020], evening: [960, 1260], night: [1200, 300] };
  var TONIGHT = [1020, 300]; // "tonight": today from 5 pm until early morning
  var UPCOMING = 180; // "upcoming": starts within this many minutes
  var GRACE = 10; // a meeting without a known end counts as next this many minutes after it began
  var PAGE = 50;
  var ATT = { 'in-person': [0, 2], online: [1, 2], hybrid: [2] };

  var data, meetings, typeBySlug = {}, regionByKey = {}, hay = '', starts;
  var state = empty();
  var order = []; // meetings sorted by next occurrence (or by distance near me)
  var position = null; // {lat, lon}: only in memory, only after the visitor asked
  var shown = PAGE;
  var announceTimer = 0;
  var typingRun = false;
  var visitorZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;

  function empty() {
    return { search: '', weekday: [], time: [], region: [], type: [], distance: [], mode: 'search' };
  }

  function fill(s, vars) {
    return String(s).replace(/\{(\w+)\}/g, function (m, k) { return k in vars ? vars[k] : m; });
  }

  // Lower case without accents or apostrophes, so "linea" finds "Línea" and "womens" finds
  // "Women's".
  function fold(s) {
    return s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/['\u2019\u02bc]/g, '');
  }

  function fmtTime(min) { return T.clock(min, S); }
  var instant = T.instant, civil = T.civil, dayNumOf = T.dayNumOf, occursOn = T.occursOn;

  // Each meeting's next occurrence of each of its weekdays, from the visitor's "now".
  function schedule(now) {
    var zoneNow = {};
    data.zones.forEach(function (z) { zoneNow[z] = T.today(z, now); });
    meetings.forEach(function (m) {
      var zn = zoneNow[m.zone], occ = [];
      var today = civil(zn.day).dow;
      // How long it lasts; one that ends past midnight wraps.
      var length = m.end > m.start ? m.end - m.start : m.end + 1440 - m.start;
      m.days.forEach(function (dow) {
        var ahead = (dow - today + 7) % 7;
        // Listed (as in progress) until it ends.
        if (ahead === 0 && zn.min >= m.start + Math.max(length, GRACE)) ahead = 7;
        var dayNum = zn.day + ahead;
        for (var i = 0; i < 10 && (!occursOn(m.rule, dayNum) || m.skip.indexOf(dayNum) >= 0); i++) dayNum += 7;
        var t = instant(m.zone, dayNum, m.start);
        var local = new Date(t);
        occ.push({
          t: t, dow: local.getDay(), min: local.getHours() * 60 + local.getMinutes(), own: dow,
          live: t <= now, ends: instant(m.zone, dayNum, m.start + length)
        });
      });
      occ.sort(function (a, b) { return a.t - b.t; });
      m.occ = occ;
      m.next = occ.length ? occ[0].t : Infinity;
    });
  }

  function distanceKm(lat1, lon1, lat2, lon2) {
    var r = Math.PI / 180, a = Math.sin((lat2 - lat1) * r / 2), b = Math.sin((lon2 - lon1) * r / 2);
    var h = a * a + Math.cos(lat1 * r) * Math.cos(lat2 * r) * b * b;
    return 12742 * Math.asin(Math.min(1, Math.sqrt(h)));
  }
  var perUnit = S.finder_distance_unit === 'km' ? 1 : 1.609344;

  function sortOrder() {
    nodes = {};
    order = meetings.slice();
    if (position) {
      meetings.forEach(function (m) {
        m.dist = m.lat == null ? Infinity : distanceKm(position.lat, position.lon, m.lat, m.lon) / perUnit;
      });
      order.sort(function (a, b) { return a.dist - b.dist || a.next - b.next; });
    } else {
      order.sort(function (a, b) { return a.next - b.next || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0); });
    }
  }

  // --- Loading ---
  function load(json) {
    data = json;
    json.types.forEach(function (t, i) { typeBySlug[t[2]] = i; });
    var chains = json.regions.map(function () { return null; });
    function chain(i) {
      if (chains[i]) return chains[i];
      var p = json.regions[i][2];
      return (chains[i] = (p < 0 ? [] : chain(p)).concat([i]));
    }
    json.regions.forEach(function (r, i) { regionByKey[r[1]] = i; });
    meetings = json.meetings.map(function (r) {
      var loc = r[3] >= 0 ? json.locations[r[3]] : null;
      var typeNames = r[5].map(function (i) { return json.types[i][1]; });
      var m = {
        slug: r[0], name: r[1], group: r[2], loc: loc, notes: r[4], types: r[5], typeNames: typeNames,
        days: r[6], start: r[7], end: r[8], zone: json.zones[r[9]], att: r[10],
        regions: r[11] >= 0 ? chain(r[11]) : [], closed: r[12] === 1, rec: r[13],
        rule: r[14] === 0 ? null : r[14], skip: r[15].map(dayNumOf),
        join: r[16] ? r[16][0] : '', tel: r[16] ? r[16][1] : '',
        lat: loc && loc[3] != null ? loc[3] : null, lon: loc && loc[4] != null ? loc[4] : null,
        url: json.base + 'meetings/' + r[0] + '/'
      };
      m.hay = fold([m.name, m.group, loc ? loc[0] : '', loc ? loc[1] : '', loc ? loc[2] : '', m.notes,
        typeNames.join(' ')].join('\t').replace(/\n/g, ' '));
      return m;
    });
    // All meetings' text in one string: one native search per word instead of one per meeting.
    starts = new Int32Array(meetings.length + 1);
    var pos = 0;
    meetings.forEach(function (m, i) { m.ix = i; starts[i] = pos; pos += m.hay.length + 1; });
    starts[meetings.length] = pos;
    hay = meetings.map(function (m) { return m.hay; }).join('\n') + '\n';
    schedule(Date.now());
    sortOrder();
    readUrl();
    document.querySelectorAll('[data-finder-fallback]').forEach(function (el) { el.hidden = true; });
    listEl.hidden = false;
    update(false);
    // Keep "today" and "upcoming" true as the clock moves on.
    setInterval(function () { schedule(Date.now()); sortOrder(); update(false, true); }, 60000);
  }

  // --- State <-> URL <-> form ---
  function readUrl() {
    var q = new URLSearchParams(location.search);
    state = empty();
    LISTS.forEach(function (k) {
      var v = q.get(k);
      if (v) state[k] = v.split('/').filter(Boolean);
    });
    state.search = q.get('search') || '';
    state.mode = q.get('mode') === 'me' ? 'me' : 'search';
    state.weekday = state.weekday.map(function (d) { return /^[0-6]$/.test(d) ? DAYS[+d] : d; });
    toForm();
  }
  function toUrl(push) {
    clearTimeout(urlTimer);
    urlPush = false;
    var parts = [];
    LISTS.forEach(function (k) {
      if (state[k].length) parts.push(k + '=' + state[k].map(encodeURIComponent).join('/'));
    });
    if (state.search) parts.push('search=' + encodeURIComponent(state.search));
    if (state.mode === 'me') parts.push('mode=me');
    var url = location.pathname + (parts.length ? '?' + parts.join('&') : '') + location.hash;
    if (url === location.pathname + location.search + location.hash) return;
    history[push ? 'pushState' : 'replaceState'](null, '', url);
  }
  // A select shows one value; a shared link with several shows none picked but keeps them.
  function toSelect(sel, values) {
    var v = values.length === 1 ? values[0] : '';
    sel.value = Array.prototype.some.call(sel.options, function (o) { return o.value === v; }) ? v : '';
  }
  function toForm() {
    form.elements.search.value = state.search;
    form.querySelectorAll('input[type=checkbox]').forEach(function (el) {
      el.checked = (state[el.name] || []).indexOf(el.value) >= 0;
    });
    toSelect(form.elements.weekday, state.weekday);
    toSelect(form.elements.time, state.time);
    var region = form.elements.region;
    if (region) region.value = state.region[0] || '';
    var dist = form.elements.distance, dv = state.distance[0] || '';
    if (!/^\d+(\.\d+)?$/.test(dv)) { state.distance = []; dv = ''; }
    // A shared link may use a radius the list does not offer: add it.
    if (dv && !Array.prototype.some.call(dist.options, function (o) { return o.value === dv; })) {
      var opt = el('option', null, fill(S.finder_distance_option, { n: dv }));
      opt.value = dv;
      dist.appendChild(opt);
    }
    dist.value = dv;
    // Show the filters a shared link uses.
    if (state.type.length || state.region.length || state.mode === 'me' || state.distance.length) moreFilters.open = true;
    nearUi();
  }
  function fromForm(target) {
    state.search = form.elements.search.value;
    state.type = [];
    form.querySelectorAll('input[name=type]:checked').forEach(function (el) { state.type.push(el.value); });
    ['weekday', 'time'].forEach(function (k) {
      if (target && target.name === k) state[k] = target.value ? [target.value] : [];
    });
    if (target && target.name === 'region') state.region = target.value ? [target.value] : [];
    if (target && target.name === 'distance') state.distance = target.value ? [target.value] : [];
  }

  // --- Filtering ---
  // Words that mean a time rather than text: typing "tonight" does what the Time choice does.
  var WHEN_WORDS = { today: 'today', tonight: 'tonight', now: 'upcoming', soon: 'upcoming' };
  function terms(text) {
    var out = [], re = /"([^"]*)"|(\S+)/g, m;
    text = fold(text);
    out.when = [];
    while ((m = re.exec(text))) {
      var t = (m[1] !== undefined ? m[1] : m[2]).trim();
      if (m[2] !== undefined && WHEN_WORDS[t]) out.when.push(WHEN_WORDS[t]);
      else if (t) out.push(t);
    }
    return out;
  }
  // Which meetings contain every word: a flag per meeting, or null when there are no words.
  function textMatch(words) {
    if (!words.length) return null;
    var n = meetings.length, flags = null;
    for (var w = 0; w < words.length; w++) {
      var word = words[w];
      // A plural with no match is looked up without its "s": "womens" finds "Women's", and
      // "speakers" finds "Speaker".
      if (hay.indexOf(word) < 0 && word.length > 3 && word.charAt(word.length - 1) === 's') word = word.slice(0, -1);
      var cur = new Uint8Array(n), p = hay.indexOf(word);
      while (p >= 0) {
        var lo = 0, hi = n - 1; // the meeting whose text holds position p
        while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (starts[mid] <= p) lo = mid; else hi = mid - 1; }
        // Words never hold a line break, so a hit never spans two meetings.
        if (!flags || flags[lo]) cur[lo] = 1;
        p = hay.indexOf(word, starts[lo + 1]);
      }
      flags = cur;
    }
    return flags;
  }
  function inWindow(min, w) {
    return w[0] < w[1] ? min >= w[0] && min < w[1] : min >= w[0] || min < w[1];
  }

  // The visitor's tonight: today from 5 pm until 5 am.
  function tonight(now) {
    var d = new Date(now);
    var from = new Date(d.getFullYear(), d.getMonth(), d.getDate(), 17).getTime();
    return [from, new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1, 5).getTime()];
  }
  function filter(now, loose) {
    var words = terms(state.search);
    var found = textMatch(words);
    var days = null, windows = [], upcoming = false, night = null, types = [], att = [], regions = null, unknown = false;
    var weekday = state.weekday.concat(words.when.filter(function (w) { return w === 'today'; }));
    var time = state.time.concat(words.when.filter(function (w) { return w !== 'today'; }));
    // Looking for the next meeting that would match: without the day and time.
    if (loose) { weekday = []; time = []; }
    if (weekday.length) {
      days = {};
      weekday.forEach(function (d) {
        if (d === 'today') days[new Date(now).getDay()] = true;
        else if (DAYS.indexOf(d) >= 0) days[DAYS.indexOf(d)] = true;
        else unknown = true;
      });
    }
    time.forEach(function (t) {
      if (t === 'upcoming') upcoming = true;
      else if (t === 'tonight') night = tonight(now);
      else if (WINDOWS[t]) windows.push(WINDOWS[t]);
      else unknown = true;
    });
    var anyTime = windows.length || upcoming || night;
    state.type.forEach(function (t) {
      if (ATT[t]) att.push(ATT[t]);
      else if (t in typeBySlug) types.push(typeBySlug[t]);
      else unknown = true; // no meeting has a type nobody uses
    });
    if (state.region.length) {
      regions = {};
      state.region.forEach(function (k) { if (k in regionByKey) regions[regionByKey[k]] = true; });
    }
    var near = state.mode === 'me' && position;
    var radius = near && state.distance.length ? parseFloat(state.distance[0]) : Infinity;
    if (unknown) return [];
    var out = [];
    for (var i = 0; i < order.length; i++) {
      var m = order[i], j, ok;
      if (near && (m.dist === Infinity || m.dist > radius)) continue;
      for (j = 0, ok = true; ok && j < att.length; j++) ok = att[j].indexOf(m.att) >= 0;
      for (j = 0; ok && j < types.length; j++) ok = m.types.indexOf(types[j]) >= 0;
      if (!ok) continue;
      if (regions) {
        for (j = 0, ok = false; !ok && j < m.regions.length; j++) ok = regions[m.regions[j]] === true;
        if (!ok) continue;
      }
      if (found && !found[m.ix]) continue;
      if (days || anyTime) {
        ok = false;
        for (j = 0; !ok && j < m.occ.length; j++) {
          var o = m.occ[j];
          if (days && !days[o.dow]) continue;
          if (!anyTime) { ok = true; break; }
          if (upcoming && o.t - now <= UPCOMING * 60000 && (o.t >= now || o.live)) ok = true;
          if (night && o.t < night[1] && (o.t >= night[0] || (o.live && o.ends > night[0]))) ok = true;
          for (var w = 0; !ok && w < windows.length; w++) ok = inWindow(o.min, windows[w]);
        }
        if (!ok) continue;
      }
      out.push(m);
    }
    return out;
  }

  // --- Rendering ---
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function dayLabel(t, now) {
    var a = new Date(t), b = new Date(now);
    var d0 = Date.UTC(a.getFullYear(), a.getMonth(), a.getDate());
    var d1 = Date.UTC(b.getFullYear(), b.getMonth(), b.getDate());
    var diff = Math.round((d0 - d1) / 86400000);
    return diff === 0 ? S.finder_today : diff === 1 ? S.finder_tomorrow : S[DAYS[a.getDay()]];
  }
  function distText(d) {
    return fill(S.finder_distance_away, { d: (d < 10 ? oneDecimal : whole).format(d) });
  }
  function item(m, now) {
    var li = el('li', 'meeting' + (m.closed ? ' is-closed' : ''));
    var when = el('p', 'meeting-time');
    var o = m.occ[0];
    if (o && o.live) {
      var endLocal = new Date(o.ends);
      when.appendChild(el('span', 'when-day live', fill(S.finder_in_progress, {
        time: fmtTime(endLocal.getHours() * 60 + endLocal.getMinutes())
      })));
    } else if (o) {
      when.appendChild(el('span', 'when-day', dayLabel(o.t, now)));
      when.appendChild(document.createTextNode(' ' + fmtTime(o.min)));
      if (m.zone !== visitorZone) {
        when.appendChild(el('span', 'yours', ' (' + S.finder_your_time + ')'));
        when.appendChild(el('span', 'tz', fill(S.finder_meeting_zone_time, {
          day: S[DAYS[o.own]], time: fmtTime(m.start),
          zone: fill(S.time_zone_in_words, { city: m.zone.split('/').pop().replace(/_/g, ' ') })
        })));
      }
    }
    li.appendChild(when);
    var body = el('div', 'meeting-body');
    var h = el('h3', 'meeting-name');
    var a = el('a', null, m.name);
    a.href = m.url;
    h.appendChild(a);
    body.appendChild(h);
    var where = el('p', 'meeting-where');
    // The separator goes with the label (which never wraps), so a wrapped line never ends in it.
    if (m.loc) where.appendChild(document.createTextNode(m.loc[0] + (m.loc[2] ? ', ' + m.loc[2] : '') + ' '));
    var att = where.appendChild(el('span', 'attendance', S['attendance_' + ['in_person', 'online', 'hybrid'][m.att]]));
    if (m.loc) att.insertBefore(el('span', null, '\u00b7\u00a0'), att.firstChild).setAttribute('aria-hidden', 'true');
    if (position && m.dist !== Infinity) where.appendChild(el('span', 'distance', ' · ' + distText(m.dist)));
    body.appendChild(where);
    if (m.closed) body.appendChild(el('p', 'closed-note')).appendChild(el('strong', null, S.closed_banner));
    if (m.rec) body.appendChild(el('p', 'recurrence', m.rec));
    if (m.typeNames.length) {
      var tags = el('p', 'types');
      tags.appendChild(el('span', 'visually-hidden', S.finder_types_summary + ': '));
      m.typeNames.forEach(function (n, i) {
        if (i) tags.appendChild(el('span', 'visually-hidden', ', '));
        tags.appendChild(el('span', 'tag', n));
      });
      body.appendChild(tags);
    }
    if (m.join || m.tel) {
      var acts = el('p', 'entry-actions');
      [[m.join, S.action_join, 'button small'], [m.tel, S.action_call, 'button small secondary']].forEach(function (x) {
        if (!x[0]) return;
        var b = el('a', x[2], x[1]);
        b.href = x[0];
        if (x[0] !== m.tel) b.rel = 'noopener';
        b.appendChild(el('span', 'visually-hidden', ': ' + m.name));
        acts.appendChild(b);
        acts.appendChild(document.createTextNode(' '));
      });
      body.appendChild(acts);
    }
    li.appendChild(body);
    return li;
  }

  // Rendered entries, reused while the clock and the position stay the same.
  var results = [], lastKey = '', nodes = {};
  function render(now, from) {
    // Typing often leaves the visible list as it was: then leave the DOM alone.
    var key = (position ? position.lat + ',' + position.lon : '') + '|' + shown + '|' + results.length + '|' +
      results.slice(0, shown).map(function (m) { return m.ix; }).join(',');
    if (!from && key === lastKey) return;
    lastKey = key;
    // Keep keyboard focus on the same meeting when the list is rebuilt around it.
    var focused = listEl.contains(document.activeElement) ? document.activeElement.getAttribute('href') : null;
    var frag = document.createDocumentFragment();
    var end = Math.min(results.length, shown);
    for (var i = from; i < end; i++) {
      var m = results[i], node = nodes[m.ix];
      if (!node) node = nodes[m.ix] = item(m, now);
      frag.appendChild(node);
    }
    if (!from) listEl.textContent = '';
    listEl.appendChild(frag);
    moreBtn.hidden = end >= results.length;
    if (focused) {
      var again = listEl.querySelector('a[href="' + focused + '"]');
      if (again) again.focus();
    }
  }
  var suggested = false; // the list shows the next meeting that would match, not a match
  function countText() {
    var n = results.length;
    if (suggested) return S.finder_count_none_next;
    var text = n === 0 ? S.finder_count_none : fill(S['finder_count_' + plurals.select(n)] || S.finder_count_other, { n: n });
    if (n > shown) text += ' ' + fill(S.finder_shown, { n: shown });
    return text;
  }
  // quiet: the clock tick; the list changes only if the order did, and the page stays as it is.
  function update(announceLater, quiet) {
    var now = Date.now();
    results = filter(now);
    suggested = false;
    // Nothing on that day or at that time: name the next meeting that fits the rest.
    if (!results.length && (state.weekday.length || state.time.length || terms(state.search).when.length)) {
      var next = filter(now, true);
      if (next.length) { results = next.slice(0, 1); suggested = true; }
    }
    if (!quiet) shown = PAGE;
    render(now, 0);
    var n = state.type.length + state.region.length;
    picked.textContent = n ? '· ' + n : '';
    clearBtn.parentNode.hidden = !(n || state.search || state.weekday.length || state.time.length ||
      state.distance.length || state.mode === 'me');
    // While typing, wait for a pause so a screen reader is not interrupted at every key.
    clearTimeout(announceTimer);
    if (announceLater) announceTimer = setTimeout(announce, 600);
    else announce();
  }
  // Only a changed text is written, so the live region speaks only when there is news.
  function announce() {
    var text = countText();
    if (countEl.textContent !== text) countEl.textContent = text;
  }

  // --- Near me ---
  function nearUi(message) {
    var on = state.mode === 'me' && position;
    nearBtn.textContent = on ? S.finder_near_stop : S.finder_near_button;
    nearBtn.setAttribute('aria-pressed', on ? 'true' : 'false');
    nearStatus.textContent = message || (on ? S.finder_near_active : state.mode === 'me' ? S.finder_near_ask : '');
  }
  nearBtn.addEventListener('click', function () {
    if (state.mode === 'me' && position) {
      position = null;
      state.mode = 'search';
      sortOrder();
      nearUi();
      toUrl(true);
      update(false);
      return;
    }
    if (!navigator.geolocation) return nearUi(S.finder_near_error);
    nearUi(S.finder_near_waiting);
    navigator.geolocation.getCurrentPosition(function (p) {
      position = { lat: p.coords.latitude, lon: p.coords.longitude };
      state.mode = 'me';
      sortOrder();
      nearUi();
      toUrl(true);
      update(false);
    }, function () { nearUi(S.finder_near_error); }, { timeout: 15000, maximumAge: 300000 });
  });

  // --- Events ---
  form.addEventListener('submit', function (e) { e.preventDefault(); update(false); });
  form.addEventListener('input', function (e) {
    if (!data) return;
    var typing = e.target.name === 'search';
    fromForm(e.target);
    // Each click adds a history entry; a run of keystrokes adds one and then updates it, so
    // Back undoes the whole word typed.
    laterUrl(!typing || !typingRun, typing ? 400 : 30);
    typingRun = typing;
    update(typing);
  });
  // Writing the URL is slow on a phone (tens of ms), so it waits until the list is updated,
  // and while typing until a pause.
  var urlTimer = 0, urlPush = false;
  function laterUrl(push, delay) {
    urlPush = urlPush || push;
    clearTimeout(urlTimer);
    urlTimer = setTimeout(function () { toUrl(urlPush); urlPush = false; }, delay);
  }
  form.elements.search.addEventListener('blur', function () { typingRun = false; });
  clearBtn.addEventListener('click', function () {
    state = empty();
    position = null;
    sortOrder();
    toForm();
    toUrl(true);
    update(false);
    form.elements.search.focus();
  });
  moreBtn.addEventListener('click', function () {
    var from = shown;
    shown += PAGE;
    lastKey = '';
    render(Date.now(), from);
    announce();
    var next = listEl.children[from];
    if (next) next.querySelector('a').focus();
  });
  window.addEventListener('popstate', function () {
    if (!data) return;
    clearTimeout(urlTimer);
    urlPush = typingRun = false;
    readUrl();
    if (state.mode !== 'me' && position) { position = null; sortOrder(); }
    update(false);
  });

  fetch(cfg.index, { credentials: 'omit' }).then(function (r) {
    if (!r.ok) throw new Error(r.status);
    return r.json();
  }).then(load).catch(function () {
    form.hidden = true;
    countEl.textContent = S.finder_load_error;
  });
})();
