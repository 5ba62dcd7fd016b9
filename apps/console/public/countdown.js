// Progressive enhancement: deadlines count down live; without JavaScript the page shows the time left when it was served.
(function () {
  function format(ms, lang) {
    var overdue = ms < 0;
    var minutes = Math.floor(Math.abs(ms) / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var rest = minutes % 60;
    var th = lang === 'th';
    var parts = [];
    if (days) parts.push(days + (th ? ' วัน' : ' d'));
    if (days || hours) parts.push(hours + (th ? ' ชม.' : ' h'));
    parts.push(rest + (th ? ' นาที' : ' min'));
    var text = parts.join(' ');
    return overdue ? (th ? 'เลยกำหนด ' : 'overdue by ') + text : text;
  }
  function tick() {
    var lang = document.documentElement.lang;
    var timers = document.querySelectorAll('[data-due]');
    for (var i = 0; i < timers.length; i++) {
      var left = new Date(timers[i].getAttribute('data-due')).getTime() - Date.now();
      timers[i].textContent = format(left, lang);
      timers[i].classList.toggle('overdue', left < 0);
    }
  }
  document.addEventListener('DOMContentLoaded', function () {
    tick();
    setInterval(tick, 30000);
  });
})();
