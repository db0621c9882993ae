// The Echo Show's breathing shape, on the dashboard: drawn from the very APL document the skill sent
// with the reply (each phase a call of its "B" command: duration, scale from and to, opacity, in ms and
// percent), timed from when the voice starts. So it can be seen, and checked, without an Echo.
'use strict';

(function () {
  let timers = [];
  let disc = null;

  function element() {
    const box = document.getElementById('breath-shape');
    if (!box) return null;
    if (!disc) {
      box.style.cssText = 'display:flex;align-items:center;justify-content:center;width:12rem;height:12rem;margin:1rem auto;border-radius:1rem;background:#000';
      disc = document.createElement('div');
      disc.style.cssText = 'width:9rem;height:9rem;border-radius:50%;opacity:0;transform:scale(0.74)';
      box.appendChild(disc);
    }
    return disc;
  }

  function clear() {
    for (const t of timers) clearTimeout(t);
    timers = [];
  }

  function apply(el, phase, ms) {
    el.style.transition = `transform ${ms}ms ease-in-out, opacity ${ms}ms ease-in-out`;
    el.style.transform = `scale(${phase.t / 100})`;
    el.style.opacity = String(phase.o / 100);
    el.dataset.scale = String(phase.t);
  }

  /**
   * Shows the shape of one reply: `screen` is the RenderDocument's document (null: the reply had none,
   * and the shape stays as it was), `speaksAt` when the voice starts and `now` the page's clock.
   */
  function show(screen, speaksAt, now) {
    const el = element();
    if (!el || !screen) return;
    clear();
    const disc0 = screen.mainTemplate && JSON.stringify(screen.mainTemplate).match(/"backgroundColor":"(#[0-9A-Fa-f]{6})","opacity"/);
    if (disc0) el.style.background = disc0[1];
    const sequence = Array.isArray(screen.onMount) ? screen.onMount[0] : null;
    if (!sequence) {
      // A stopped session: the screen goes black.
      apply(el, { t: 62, o: 0 }, 1000);
      return;
    }
    let at = speaksAt + (sequence.delay || 0);
    for (const phase of sequence.commands || []) {
      const end = at + phase.d;
      if (end <= now) {
        at = end;
        continue;
      }
      const startIn = Math.max(0, at - now);
      const length = end - Math.max(at, now);
      timers.push(setTimeout(() => apply(el, phase, length), startIn));
      at = end;
    }
  }

  window.BreathShape = { show };
})();
