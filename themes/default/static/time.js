/* Lantern's clock arithmetic, shared by the finder and the meeting pages (window.LanternTime).
 *
 * A meeting is a wall-clock time in its own zone ("19:00 in America/Chicago"); a visitor's
 * browser knows instants and its own zone. Intl gives a zone's wall clock at an instant; these
 * functions invert that, so a meeting's next occurrence is found without a time zone library.
 * Days are counted as day numbers since 1970-01-01 in the zone's own calendar.
 */
(function () {
  'use strict';
  if (!window.Intl) return;
  var fmts = {};
  // A zone's wall clock at an instant: {year, month, day, hour, minute, second}.
  function wall(zone, ms) {
    var f = fmts[zone] || (fmts[zone] = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric'
    }));
    var p = {};
    f.formatToParts(new Date(ms)).forEach(function (x) { p[x.type] = +x.value; });
    return p;
  }
  // Offset of a zone from UTC in minutes at an instant.
  function offset(zone, ms) {
    var p = wall(zone, ms);
    var asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
    return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
  }
  var offsets = {};
  // The instant of a wall-clock time (day number in that zone's calendar, minute of the day).
  function instant(zone, dayNum, minute) {
    var guess = dayNum * 86400000 + minute * 60000;
    var key = zone + '|' + dayNum + '|' + Math.floor(minute / 60);
    var off = offsets[key];
    if (off === undefined) {
      off = offset(zone, guess);
      var again = offset(zone, guess - off * 60000);
      if (again !== off) off = again;
      offsets[key] = off;
    }
    return guess - off * 60000;
  }
  // A zone's day number and minute of the day at an instant.
  function today(zone, ms) {
    var p = wall(zone, ms);
    return { day: Date.UTC(p.year, p.month - 1, p.day) / 86400000, min: p.hour % 24 * 60 + p.minute };
  }
  function civil(dayNum) {
    var d = new Date(dayNum * 86400000);
    return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), dow: d.getUTCDay() };
  }
  function dayNumOf(iso) {
    var p = iso.split('-');
    return Date.UTC(+p[0], p[1] - 1, +p[2]) / 86400000;
  }
  // Whether a meeting with this rule meets on a day (null: every week; [1, weeks]: those
  // weeks of the month, -1 the last; [2, "YYYY-MM-DD"]: every other week from that date).
  function occursOn(rule, dayNum) {
    if (!rule) return true;
    if (rule[0] === 1) {
      var c = civil(dayNum), nth = Math.floor((c.d - 1) / 7) + 1;
      var last = civil(dayNum + 7).m !== c.m;
      return rule[1].some(function (w) { return w === nth || (w === -1 && last); });
    }
    var diff = dayNum - dayNumOf(rule[1]);
    return ((diff % 14) + 14) % 14 < 7;
  }
  // Minutes after midnight as the site writes times: "19:00" or "7:00 pm".
  function clock(min, S) {
    var h = Math.floor(min / 60) % 24, m = min % 60, mm = (m < 10 ? '0' : '') + m;
    if (S.time_format === '24h') return (h < 10 ? '0' : '') + h + ':' + mm;
    return (h % 12 || 12) + ':' + mm + ' ' + (h < 12 ? S.am : S.pm);
  }
  window.LanternTime = {
    wall: wall, offset: offset, instant: instant, today: today, civil: civil,
    dayNumOf: dayNumOf, occursOn: occursOn, clock: clock
  };
})();
