/* Lantern meeting page: the meeting's next few dates, and the visitor's own time beside the
 * meeting's when their zone differs. The static page already says the weekly schedule; only
 * the browser knows today's date and where the visitor is, and nothing leaves the page.
 */
(function () {
  'use strict';
  var T = window.LanternTime; // time.js, loaded before this script
  var box = document.querySelector('[data-upcoming]');
  var cfgEl = document.getElementById('meeting-clock');
  if (!T || !box || !cfgEl) return;
  var c = JSON.parse(cfgEl.textContent);
  var rows = box.querySelector('[data-upcoming-rows]');
  var COUNT = 4;
  var visitorZone = new Intl.DateTimeFormat().resolvedOptions().timeZone || c.zone;

  // How long it lasts (one that ends past midnight wraps); listed as next until it ends, as
  // the finder lists a meeting in progress.
  var length = c.end > c.start ? c.end - c.start : c.end + 1440 - c.start;
  // The next COUNT starts, as instants.
  function next(now) {
    var zn = T.today(c.zone, now), out = [], skip = c.skip.map(T.dayNumOf);
    for (var d = zn.day - 1; out.length < COUNT && d < zn.day + 400; d++) {
      if (c.days.indexOf(T.civil(d).dow) < 0 || !T.occursOn(c.rule || null, d) || skip.indexOf(d) >= 0) continue;
      var t = T.instant(c.zone, d, c.start);
      if (t + length * 60000 > now) out.push(t);
    }
    return out;
  }
  function dateText(zone, t) {
    return new Intl.DateTimeFormat(c.lang, { timeZone: zone, weekday: 'short', month: 'short', day: 'numeric' }).format(new Date(t));
  }
  function timeText(zone, t) {
    var now = T.today(zone, t);
    return T.clock(now.min, c.strings);
  }
  function cell(tag, text) {
    var e = document.createElement(tag);
    e.textContent = text;
    return e;
  }

  var times = next(Date.now());
  // The visitor's column only where their clock reads differently on one of the dates.
  var differs = times.some(function (t) { return T.offset(visitorZone, t) !== T.offset(c.zone, t); });
  var frag = document.createDocumentFragment();
  times.forEach(function (t) {
    var tr = document.createElement('tr');
    tr.appendChild(cell('td', dateText(c.zone, t)));
    tr.appendChild(cell('td', timeText(c.zone, t)));
    if (differs) {
      var theirs = timeText(visitorZone, t);
      // Say the visitor's weekday where their date is another one.
      if (dateText(visitorZone, t) !== dateText(c.zone, t)) {
        theirs = new Intl.DateTimeFormat(c.lang, { timeZone: visitorZone, weekday: 'short' }).format(new Date(t)) + ' ' + theirs;
      }
      tr.appendChild(cell('td', theirs));
    }
    frag.appendChild(tr);
  });
  rows.appendChild(frag);
  var yours = box.querySelector('[data-yours]');
  if (differs && yours) yours.hidden = false;
})();
